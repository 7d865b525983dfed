//! tar t and tar x. Extraction never writes outside the target directory: names are
//! cleaned (leading `/` removed with GNU's message, `..` refused), every parent is opened
//! from the target's descriptor one component at a time with O_NOFOLLOW|O_DIRECTORY (so no
//! symlink, from the archive or swapped in meanwhile, is followed, except one that is
//! relative without `..` and so can only lead further down), hard links only
//! reach names inside the target the same way, and every file is made under a temporary
//! name (O_EXCL|O_NOFOLLOW) and renamed into place when complete.

use super::{list_match, mode_string, Codec, Kids, Opts};
use crate::tar::{self, Error, FdSource, Member, Reader};
use crate::extract::{self, Target, Temp, WalkErr};
use crate::{spawn, sys, Cx, Res};
use std::ffi::CString;

fn cs(b: &[u8]) -> CString {
    // Names never hold NUL (they are C strings in the archive), but be safe.
    sys::cstr(b).unwrap_or_default()
}

/// The archive's descriptor, decompressed through a child when asked or when its first
/// bytes say so; bytes already read from a pipe to sniff come back in the preload.
fn input(cx: &Cx, file: &[u8], codec: Option<Codec>, kids: &mut Kids) -> Res<(i32, Vec<u8>)> {
    let fd = if file == b"-" {
        0
    } else {
        let c = cs(file);
        // SAFETY: a NUL-terminated path.
        let fd = unsafe { libc::open(c.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
        if fd < 0 {
            return Err(cx.fail(&[b"can't open '", file, b"': ", sys::strerror(sys::errno())]));
        }
        fd
    };
    let mut pre = Vec::new();
    let codec = match codec {
        Some(c) => Some(c),
        None => {
            let mut b = [0u8; 10];
            // SAFETY: fstat fills st.
            let mut st: libc::stat = unsafe { std::mem::zeroed() };
            let regular = unsafe { libc::fstat(fd, &mut st) } == 0
                && st.st_mode & libc::S_IFMT == libc::S_IFREG;
            let off = if regular {
                // SAFETY: lseek on our descriptor.
                unsafe { libc::lseek(fd, 0, libc::SEEK_CUR) }
            } else {
                -1
            };
            if off >= 0 {
                // SAFETY: pread into b.
                let n = unsafe { libc::pread(fd, b.as_mut_ptr().cast(), b.len(), off) };
                Codec::sniff(&b[..n.max(0) as usize])
            } else {
                let mut got = 0;
                while got < b.len() {
                    match sys::read(fd, &mut b[got..]) {
                        Ok(0) => break,
                        Ok(n) => got += n,
                        Err(e) => return Err(cx.fail_no(b"read error", e)),
                    }
                }
                pre.extend_from_slice(&b[..got]);
                Codec::sniff(&pre)
            }
        }
    };
    let Some(codec) = codec else {
        return Ok((fd, pre));
    };
    let fail = |e: i32| cx.fail_no(b"can't create pipe", e);
    let mut src = fd;
    if !pre.is_empty() {
        // The sniffed bytes were read from a pipe: a feeder child writes them, then the rest.
        let (r, w) = spawn::pipe().map_err(fail)?;
        match spawn::fork() {
            Ok(0) => {
                spawn::close(r);
                let mut ok = sys::write_all(w, &pre).is_ok();
                let mut buf = vec![0u8; crate::io::BLOCK];
                while ok {
                    match sys::read(fd, &mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => ok = sys::write_all(w, &buf[..n]).is_ok(),
                    }
                }
                spawn::child_exit(0)
            }
            Ok(pid) => kids.1.push(pid),
            Err(e) => return Err(cx.fail_no(b"fork", e)),
        }
        spawn::close(w);
        src = r;
        pre.clear();
    }
    let (r, w) = spawn::pipe().map_err(fail)?;
    let pid = spawn::through(codec.decompress(), src, w, &[r]).map_err(|e| cx.fail_no(b"fork", e))?;
    kids.0.push(pid);
    spawn::close(w);
    if src != fd {
        spawn::close(src);
    }
    if fd != 0 {
        spawn::close(fd);
    }
    Ok((r, pre))
}

/// The extraction state: the target (src/extract.rs: the safe walk, temporary names,
/// directories fixed at the end) and how owners are given.
struct Ex<'a> {
    o: &'a Opts,
    t: Target,
    umask: u32,
    chown: bool,
    users: crate::users::Users,
    /// (uname, its archive uid, the uid to use, gname, archive gid, the gid to use).
    idcache: (Vec<u8>, u32, u32, Vec<u8>, u32, u32),
}

impl Ex<'_> {
    /// The owner to give (None unless root without -o): the archive's names looked up
    /// (the last pair cached: members mostly share one), else its numbers.
    fn owner(&mut self, m: &Member) -> Option<(u32, u32)> {
        if !self.chown {
            return None;
        }
        let mut uid = m.uid as u32;
        let mut gid = m.gid as u32;
        if !self.o.numeric {
            let c = &mut self.idcache;
            if !m.uname.is_empty() {
                if c.0 != m.uname || c.1 != uid {
                    c.0.clone_from(&m.uname);
                    c.1 = uid;
                    c.2 = self.users.uid(&m.uname).unwrap_or(uid);
                }
                uid = c.2;
            }
            if !m.gname.is_empty() {
                if c.3 != m.gname || c.4 != gid {
                    c.3.clone_from(&m.gname);
                    c.4 = gid;
                    c.5 = self.users.gid(&m.gname).unwrap_or(gid);
                }
                gid = c.5;
            }
        }
        Some((uid, gid))
    }

    fn mtime(&self, m: &Member) -> Option<i64> {
        (!self.o.no_mtime).then_some(m.mtime)
    }

    /// The mode to set on a file or node: the archive's, or under --no-same-permissions
    /// what creating it with the umask gave.
    fn mode(&self, m: &Member) -> u32 {
        if self.o.no_same_perms {
            m.mode & 0o777 & !self.umask
        } else {
            m.mode & 0o7777
        }
    }
}

fn show(o: &Opts, name: &[u8], out: &mut Vec<u8>) {
    tar::escape(out, name, o.utf8);
}

/// BusyBox's `tar tv` line: `MODE USER/GROUP SIZE YYYY-MM-DD HH:MM:SS NAME[ -> LINK]`.
fn verbose_line(o: &Opts, m: &Member, out: &mut Vec<u8>) {
    mode_string(m.typ, m.mode, out);
    out.push(b' ');
    let mut b = [0u8; 20];
    if m.uname.is_empty() || o.numeric {
        out.extend_from_slice(crate::cx::fmt_u64(m.uid, &mut b));
    } else {
        show(o, &m.uname, out);
    }
    out.push(b'/');
    if m.gname.is_empty() || o.numeric {
        out.extend_from_slice(crate::cx::fmt_u64(m.gid, &mut b));
    } else {
        show(o, &m.gname, out);
    }
    let size = crate::cx::fmt_u64(m.size, &mut b);
    out.extend(std::iter::repeat_n(b' ', 10usize.saturating_sub(size.len())));
    out.extend_from_slice(size);
    out.push(b' ');
    if let Some(tm) = crate::time::local(m.mtime) {
        let t = &tm.0;
        crate::time::num(out, tm.year(), 4);
        out.push(b'-');
        crate::time::num(out, i64::from(t.tm_mon) + 1, 2);
        out.push(b'-');
        crate::time::num(out, i64::from(t.tm_mday), 2);
        out.push(b' ');
        crate::time::num(out, i64::from(t.tm_hour), 2);
        out.push(b':');
        crate::time::num(out, i64::from(t.tm_min), 2);
        out.push(b':');
        crate::time::num(out, i64::from(t.tm_sec), 2);
    }
    out.push(b' ');
    show(o, &m.name, out);
    if !m.link.is_empty() && (m.typ == tar::SYMLINK || m.typ == tar::LINK) {
        out.extend_from_slice(b" -> ");
        show(o, &m.link, out);
    }
    out.push(b'\n');
}

pub fn run(cx: &mut Cx, o: &Opts, file: &[u8], codec: Option<Codec>, list: bool) -> Res {
    let mut kids = Kids::default();
    let cmd = o.to_command.as_deref();
    // --to-command: nothing is made on disk; the command runs in the -C directory.
    let cwd = match (cmd, o.dir.as_deref()) {
        (Some(_), Some(d)) if !list => super::open_target(cx, Some(d))?,
        _ => -1,
    };
    let mut ex = if list || o.to_stdout || cmd.is_some() {
        None
    } else {
        let d = o.dir.as_deref().unwrap_or(b".");
        let mut t = Target::open(d, true).map_err(|e| {
            cx.fail(&[b"can't change directory to '", d, b"': ", sys::strerror(e)])
        })?;
        t.follow_down = true;
        Some(Ex {
            o,
            t,
            umask: crate::mode::umask(),
            // SAFETY: geteuid cannot fail.
            chown: !o.no_owner && unsafe { libc::geteuid() } == 0,
            users: crate::users::Users::new(),
            idcache: Default::default(),
        })
    };
    let (fd, pre) = input(cx, file, codec, &mut kids)?;
    let mut r = Reader::new(FdSource(fd));
    r.preload(&pre);
    let accept: Vec<CString> = o.names.iter().map(|n| cs(n)).collect();
    let mut found = vec![false; accept.len()];
    let mut st = 0;
    let mut m = Member::default();
    let mut prev: Vec<u8> = Vec::new();
    let mut line = Vec::new();
    let mut fatal = false;
    loop {
        match r.next(&mut m) {
            Ok(true) => {}
            Ok(false) => {
                if r.offset == 0 {
                    // An empty input: BusyBox's word for it.
                    report(cx, o, b"", Error::Short);
                    st = 1;
                    fatal = true;
                }
                break;
            }
            Err(e) => {
                let name = if r.bad.is_empty() { &prev } else { &r.bad };
                report(cx, o, name, e);
                st = 1;
                fatal = true;
                break;
            }
        }
        prev.clone_from(&m.name);
        let name_key = {
            let lead = m.name.iter().take_while(|&&c| c == b'/').count();
            &m.name[lead..]
        };
        if !accept.is_empty() {
            match accept.iter().position(|p| list_match(p, name_key)) {
                Some(i) => found[i] = true,
                None => continue,
            }
        }
        if super::excluded_create(&o.excludes, name_key) {
            continue;
        }
        line.clear();
        if list {
            if o.verbose > 0 {
                verbose_line(o, &m, &mut line);
            } else {
                show(o, &m.name, &mut line);
                line.push(b'\n');
            }
            cx.out.write(&line);
            if let Err(e) = drain(&mut r) {
                report(cx, o, &m.name, e);
                st = 1;
                fatal = true;
                break;
            }
            continue;
        }
        if o.verbose > 0 {
            if o.verbose > 1 {
                verbose_line(o, &m, &mut line);
            } else {
                show(o, &m.name, &mut line);
                line.push(b'\n');
            }
            if o.to_stdout && cmd.is_none() {
                cx.out.flush();
                let _ = sys::write_all(2, &line);
            } else {
                cx.out.write(&line);
            }
        }
        if let Some(cmd) = cmd {
            if m.typ != tar::REG && !is_other(m.typ) {
                continue;
            }
            // TAR_FILENAME is the name it would be extracted as (--strip-components).
            let mut name = m.name.clone();
            if o.strip > 0 {
                let comps = extract::components(&m.name).1.unwrap_or_default();
                if comps.len() <= o.strip {
                    continue;
                }
                name = comps[o.strip..].join(&b'/');
            }
            if let Step::Fatal = to_command(cx, o, cmd, cwd, &mut r, &m, &name) {
                st = 1;
                fatal = true;
                break;
            }
            continue;
        }
        if o.to_stdout {
            if m.typ != tar::REG && !is_other(m.typ) {
                continue;
            }
            let out = &mut cx.out;
            if let Err(Fail::Read(e)) = stream(&mut r, m.size, &mut |d| {
                out.write(d);
                Ok(())
            }) {
                report(cx, o, &m.name, e);
                st = 1;
                fatal = true;
                break;
            }
            continue;
        }
        let Some(ex) = ex.as_mut() else { continue };
        match extract(cx, ex, &mut r, &m) {
            Step::Ok => {}
            Step::Bad => st = 1,
            Step::Fatal => {
                st = 1;
                fatal = true;
                break;
            }
        }
    }
    // Read compressed input to its end, so the decompressor is not killed by SIGPIPE.
    if !kids.0.is_empty() {
        let mut buf = vec![0u8; crate::io::BLOCK];
        while let Ok(n) = sys::read(fd, &mut buf) {
            if n == 0 {
                break;
            }
        }
    }
    if fd > 0 {
        spawn::close(fd);
    }
    if kids.wait(cx) != 0 {
        st = 1;
    }
    if let Some(ex) = ex.as_mut() {
        ex.t.fix_dirs();
    }
    if cwd >= 0 {
        spawn::close(cwd);
    }
    cx.out.flush();
    if !fatal {
        for (i, n) in o.names.iter().enumerate() {
            if !found[i] {
                let mut b = Vec::new();
                show(o, n, &mut b);
                cx.err(&[&b, b": not found in archive"]);
                st = 1;
            }
        }
    }
    Ok(st)
}

/// Types extracted as regular files (GNU's contiguous `7` is folded in by the parser).
fn is_other(t: u8) -> bool {
    !matches!(
        t,
        tar::LINK | tar::SYMLINK | tar::CHR | tar::BLK | tar::DIR | tar::FIFO | tar::REG
    ) && t.is_ascii()
}

/// Why streaming a member's data stopped.
enum Fail {
    Read(Error),
    Write(i32),
}

/// A member's data in order to `out`, a sparse member's holes as zeros (for stdout or a
/// pipe, which cannot seek).
fn stream<S: tar::Source>(
    r: &mut Reader<S>,
    size: u64,
    out: &mut dyn FnMut(&[u8]) -> Result<(), i32>,
) -> Result<(), Fail> {
    let mut pos = 0;
    loop {
        match r.data_at() {
            Ok(Some((at, d))) => {
                zeros(out, at.saturating_sub(pos))?;
                out(d).map_err(Fail::Write)?;
                pos = at + d.len() as u64;
            }
            Ok(None) => return zeros(out, size.saturating_sub(pos)),
            Err(e) => return Err(Fail::Read(e)),
        }
    }
}

/// GNU's and BusyBox's --to-command: the member's data (holes as zeros) piped to
/// `sh -c CMD`, with BusyBox's TAR_* variables (and GNU's TAR_MTIME) describing it. A
/// command that stops reading is no error (the rest is read and dropped, as both do); a
/// failing one stops the extraction with BusyBox's message.
fn to_command<S: tar::Source>(
    cx: &mut Cx,
    o: &Opts,
    cmd: &[u8],
    cwd: i32,
    r: &mut Reader<S>,
    m: &Member,
    name: &[u8],
) -> Step {
    let mut env: Vec<Vec<u8>> = sys::environ();
    env.retain(|e| !e.starts_with(b"TAR_"));
    let mut mode = Vec::new();
    for i in (0..6).rev() {
        mode.push(b'0' + (((0o100000 | m.mode) >> (3 * i)) & 7) as u8);
    }
    let mut b2 = [0u8; 20];
    let mut mtime = if m.mtime < 0 { b"-".to_vec() } else { Vec::new() };
    mtime.extend_from_slice(crate::cx::fmt_u64(m.mtime.unsigned_abs(), &mut b2));
    for (k, v) in [
        (&b"FILETYPE"[..], &b"f"[..]),
        (b"MODE", &mode),
        (b"FILENAME", name),
        (b"REALNAME", &m.name),
        (b"UNAME", &m.uname),
        (b"GNAME", &m.gname),
        (b"SIZE", crate::cx::fmt_u64(m.size, &mut b2)),
        (b"MTIME", &mtime),
    ] {
        env.push([b"TAR_", k, b"=", v].concat());
    }
    for (k, v) in [(&b"UID"[..], m.uid), (b"GID", m.gid)] {
        env.push([b"TAR_", k, b"=", crate::cx::fmt_u64(v, &mut b2)].concat());
    }
    let (rd, wr) = match spawn::pipe() {
        Ok(p) => p,
        Err(e) => {
            cx.err(&[b"can't create pipe: ", sys::strerror(e)]);
            return Step::Fatal;
        }
    };
    cx.out.flush();
    let pid = spawn::start_with(&[b"sh", b"-c", cmd], &env, || {
        // SAFETY: in the forked child: descriptors it owns.
        unsafe {
            if libc::dup2(rd, 0) < 0 || (cwd >= 0 && libc::fchdir(cwd) != 0) {
                return Err(sys::errno());
            }
        }
        Ok(())
    });
    spawn::close(rd);
    let pid = match pid {
        Ok(pid) => pid,
        Err(e) => {
            spawn::close(wr);
            cx.err(&[b"can't execute 'sh': ", sys::strerror(e)]);
            return Step::Fatal;
        }
    };
    // SIGPIPE held while writing (a command that stops reading gives EPIPE), for this
    // thread only and not in the child, which was started before.
    // SAFETY: signal sets on the stack, filled by sigemptyset.
    let (mut set, mut old) = unsafe { (std::mem::zeroed(), std::mem::zeroed()) };
    unsafe {
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGPIPE);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old);
    }
    let mut gone = false;
    let res = stream(r, m.size, &mut |d| {
        if gone {
            return Ok(());
        }
        match sys::write_all(wr, d) {
            Err(libc::EPIPE) => {
                gone = true;
                Ok(())
            }
            r => r,
        }
    });
    spawn::close(wr);
    // SAFETY: as above; a SIGPIPE raised here is taken off before the mask is restored.
    unsafe {
        let mut pending = std::mem::zeroed();
        if gone && libc::sigismember(&old, libc::SIGPIPE) == 0 && libc::sigpending(&mut pending) == 0 && libc::sigismember(&pending, libc::SIGPIPE) == 1 {
            let zero = libc::timespec { tv_sec: 0, tv_nsec: 0 };
            libc::sigtimedwait(&set, std::ptr::null_mut(), &zero);
        }
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
    }
    let status = spawn::wait(pid, 0).map_or(0, |(_, s)| s);
    match res {
        Err(Fail::Read(e)) => {
            report(cx, o, &m.name, e);
            return Step::Fatal;
        }
        Err(Fail::Write(e)) => {
            cx.err(&[b"write error: ", sys::strerror(e)]);
            return Step::Fatal;
        }
        Ok(()) => {}
    }
    let mut n = [0u8; 20];
    if libc::WIFEXITED(status) && libc::WEXITSTATUS(status) != 0 {
        let c = crate::cx::fmt_u64(libc::WEXITSTATUS(status) as u64, &mut n);
        cx.err(&[b"'", cmd, b"' returned status ", c]);
        return Step::Fatal;
    }
    if libc::WIFSIGNALED(status) {
        let c = crate::cx::fmt_u64(libc::WTERMSIG(status) as u64, &mut n);
        cx.err(&[b"'", cmd, b"' terminated by signal ", c]);
        return Step::Fatal;
    }
    Step::Ok
}

fn zeros(out: &mut dyn FnMut(&[u8]) -> Result<(), i32>, mut n: u64) -> Result<(), Fail> {
    let z = [0u8; 4096];
    while n > 0 {
        let k = n.min(z.len() as u64);
        out(&z[..k as usize]).map_err(Fail::Write)?;
        n -= k;
    }
    Ok(())
}

fn drain<S: tar::Source>(r: &mut Reader<S>) -> Result<(), Error> {
    while r.data()?.is_some() {}
    Ok(())
}

fn report(cx: &Cx, o: &Opts, name: &[u8], e: Error) {
    if name.is_empty() {
        cx.err(&[e.msg()]);
    } else {
        let mut b = Vec::new();
        show(o, name, &mut b);
        cx.err(&[&b, b": ", e.msg()]);
    }
}

enum Step {
    Ok,
    /// This member failed; carry on.
    Bad,
    /// The archive or the disk failed; stop.
    Fatal,
}

fn errmsg(cx: &Cx, o: &Opts, pre: &[u8], name: &[u8], post: &[u8], e: i32) {
    let mut b = Vec::new();
    show(o, name, &mut b);
    cx.err(&[pre, &b, post, sys::strerror(e)]);
}


fn extract<S: tar::Source>(cx: &Cx, ex: &mut Ex, r: &mut Reader<S>, m: &Member) -> Step {
    let o = ex.o;
    let (lead, comps) = extract::components(&m.name);
    let Some(mut comps) = comps else {
        let mut b = Vec::new();
        show(o, &m.name, &mut b);
        cx.err(&[&b, b": Member name contains '..'"]);
        return Step::Bad;
    };
    if ex.t.lead_once(&m.name[..lead]) {
        cx.err(&[b"Removing leading `", &m.name[..lead], b"' from member names"]);
    }
    if o.strip > 0 {
        if comps.len() <= o.strip {
            return Step::Ok;
        }
        comps.drain(..o.strip);
    }
    let Some((&last, parents)) = comps.split_last() else {
        // The target itself (`./`): its mode and times, at the end.
        if m.typ == tar::DIR {
            let mode = (!o.no_same_perms).then_some(m.mode & 0o7777);
            let owner = ex.owner(m);
            ex.t.later(Vec::new(), mode, owner, ex.mtime(m));
        }
        return Step::Ok;
    };
    let dir = match ex.t.dir(parents) {
        Ok(fd) => fd,
        Err(WalkErr { errno, at }) => {
            let mut b = Vec::new();
            show(o, &m.name, &mut b);
            if errno == libc::ELOOP || errno == libc::ENOTDIR {
                let mut pb = Vec::new();
                show(o, &comps[..=at].join(&b'/'), &mut pb);
                cx.err(&[b"can't create '", &b, b"': '", &pb, b"' is not a directory (symlinks are not followed)"]);
            } else {
                cx.err(&[b"can't create '", &b, b"': ", sys::strerror(errno)]);
            }
            return Step::Bad;
        }
    };
    let full = comps.join(&b'/');
    let made = match m.typ {
        tar::DIR => {
            // Owner-writable until the end, whatever the archive says, so its contents can go in.
            if let Err(e) = extract::make_dir(dir, last, (m.mode & 0o777) | 0o700, !o.keep) {
                errmsg(cx, o, b"can't make dir '", &full, b"': ", e);
                return Step::Bad;
            }
            let mode = ex.mode(m);
            let owner = ex.owner(m);
            ex.t.later(full, Some(mode), owner, ex.mtime(m));
            return Step::Ok;
        }
        tar::LINK => match hard_link(cx, ex, dir, &full, m) {
            Ok(t) => t,
            Err(s) => return s,
        },
        tar::SYMLINK => match Temp::symlink(dir, &m.link) {
            Ok(t) => {
                t.node_meta(None, ex.owner(m), ex.mtime(m));
                t
            }
            Err(e) => {
                let mut b = Vec::new();
                show(o, &m.link, &mut b);
                let mut nb = Vec::new();
                show(o, &full, &mut nb);
                cx.err(&[b"can't create symlink '", &nb, b"' to '", &b, b"': ", sys::strerror(e)]);
                return Step::Bad;
            }
        },
        tar::CHR | tar::BLK | tar::FIFO => {
            let kind = match m.typ {
                tar::CHR => libc::S_IFCHR,
                tar::BLK => libc::S_IFBLK,
                _ => libc::S_IFIFO,
            };
            let dev = libc::makedev(m.major as u32, m.minor as u32);
            match Temp::mknod(dir, kind | (m.mode & 0o777), dev) {
                Ok(t) => {
                    let mode = (!o.no_same_perms).then_some(m.mode & 0o7777);
                    t.node_meta(mode, ex.owner(m), ex.mtime(m));
                    t
                }
                Err(e) => {
                    errmsg(cx, o, b"can't create node '", &full, b"': ", e);
                    return Step::Bad;
                }
            }
        }
        _ => match regular(cx, ex, r, dir, &full, m) {
            Ok(t) => t,
            Err(s) => return s,
        },
    };
    // Under -k only where nothing is there yet.
    if let Err(e) = made.commit(last, !o.keep) {
        errmsg(cx, o, b"can't open '", &full, b"': ", e);
        return Step::Bad;
    }
    Step::Ok
}

/// A hard link to a member already extracted (its name cleaned and stripped the same way,
/// found below the target without following a symlink), at a temporary name.
fn hard_link(cx: &Cx, ex: &mut Ex, dir: i32, full: &[u8], m: &Member) -> Result<Temp, Step> {
    let o = ex.o;
    let (lead, tc) = extract::components(&m.link);
    let Some(mut tc) = tc else {
        let mut b = Vec::new();
        show(o, full, &mut b);
        cx.err(&[&b, b": hard link target contains '..'"]);
        return Err(Step::Bad);
    };
    if ex.t.lead_once(&m.link[..lead]) {
        cx.err(&[b"Removing leading `", &m.link[..lead], b"' from hard link targets"]);
    }
    if o.strip > 0 {
        if tc.len() <= o.strip {
            return Err(Step::Ok);
        }
        tc.drain(..o.strip);
    }
    let target = tc.join(&b'/');
    if target == full {
        // `tar cf t.tar a b a` stores `a` as a link to itself.
        return Err(Step::Ok);
    }
    let Some((&tlast, tdirs)) = tc.split_last() else {
        errmsg(cx, o, b"can't create hardlink '", full, b"': ", libc::ENOENT);
        return Err(Step::Bad);
    };
    let r = ex
        .t
        .existing(tdirs.iter().copied())
        .and_then(|tdir| Temp::link(tdir.0, tlast, dir));
    r.map_err(|e| {
        let mut tb = Vec::new();
        show(o, &target, &mut tb);
        let mut nb = Vec::new();
        show(o, full, &mut nb);
        cx.err(&[b"can't create hardlink '", &nb, b"' to '", &tb, b"': ", sys::strerror(e)]);
        Step::Bad
    })
}

/// A regular member's data written to a temporary file, its owner, mode and mtime set.
fn regular<S: tar::Source>(
    cx: &Cx,
    ex: &mut Ex,
    r: &mut Reader<S>,
    dir: i32,
    full: &[u8],
    m: &Member,
) -> Result<Temp, Step> {
    let o = ex.o;
    let mut t = match Temp::create_as(dir, m.mode, ex.umask) {
        Ok(t) => t,
        Err(e) => {
            errmsg(cx, o, b"can't open '", full, b"': ", e);
            let _ = drain(r);
            return Err(Step::Bad);
        }
    };
    let fail = |what: &[u8], e: &[u8]| {
        let mut b = Vec::new();
        show(o, full, &mut b);
        cx.err(&[&b, what, e]);
        Step::Fatal
    };
    // A sparse member's holes are seeked over (and its end truncated to), never written.
    let mut pos = 0;
    loop {
        match r.data_at() {
            Ok(Some((at, d))) => {
                if at != pos {
                    if let Err(e) = seek(t.fd.0, at) {
                        return Err(fail(b": write error: ", sys::strerror(e)));
                    }
                }
                if let Err(e) = t.write(d) {
                    return Err(fail(b": write error: ", sys::strerror(e)));
                }
                pos = at + d.len() as u64;
            }
            Ok(None) => break,
            Err(e) => return Err(fail(b": ", e.msg())),
        }
    }
    if pos < m.size {
        let len = libc::off_t::try_from(m.size).unwrap_or(libc::off_t::MAX);
        // SAFETY: ftruncate on our descriptor.
        if unsafe { libc::ftruncate(t.fd.0, len) } != 0 {
            return Err(fail(b": write error: ", sys::strerror(sys::errno())));
        }
    }
    t.meta(ex.mode(m), ex.owner(m), ex.mtime(m));
    if let Err(e) = t.close() {
        return Err(fail(b": write error: ", sys::strerror(e)));
    }
    Ok(t)
}

fn seek(fd: i32, at: u64) -> Result<(), i32> {
    let at = libc::off_t::try_from(at).map_err(|_| libc::EFBIG)?;
    // SAFETY: lseek on our descriptor.
    if unsafe { libc::lseek(fd, at, libc::SEEK_SET) } < 0 {
        return Err(sys::errno());
    }
    Ok(())
}
