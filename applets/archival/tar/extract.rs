//! tar t and tar x. Extraction never writes outside the target directory: names are
//! cleaned (leading `/` removed with GNU's message, `..` refused), every parent is opened
//! from the target's descriptor one component at a time with O_NOFOLLOW|O_DIRECTORY (so no
//! symlink, from the archive or swapped in meanwhile, is followed, except one that is
//! relative without `..` and so can only lead further down), hard links only
//! reach names inside the target the same way, and every file is made under a temporary
//! name (O_EXCL|O_NOFOLLOW) and renamed into place when complete.

use super::{list_match, mode_string, Codec, Kids, Opts};
use crate::tar::{self, Error, FdSource, Member, Reader};
use crate::{spawn, sys, Cx, Res};
use std::ffi::{CStr, CString};

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

/// A directory whose mode and times are set once its contents are in.
struct DirFix {
    path: Vec<u8>,
    m: Member,
}

/// The extraction state: the target's fd and the open parents of the last member.
struct Ex<'a> {
    o: &'a Opts,
    root: i32,
    comps: Vec<Vec<u8>>,
    fds: Vec<i32>,
    umask: u32,
    chown: bool,
    users: crate::users::Users,
    seq: u32,
    pid: u32,
    /// (uname, its archive uid, the uid to use, gname, archive gid, the gid to use).
    idcache: std::cell::RefCell<(Vec<u8>, u32, u32, Vec<u8>, u32, u32)>,
    dirs: Vec<DirFix>,
    warned: Vec<Vec<u8>>,
}

/// Why a member's parents could not be opened: the errno, and how many components were
/// good before the failing one.
struct ParentErr(i32, usize);

impl Ex<'_> {
    fn cur(&self) -> i32 {
        self.fds.last().copied().unwrap_or(self.root)
    }

    /// Opens (making as needed) the directories `comps` below the target, reusing those the
    /// previous member opened; the last one's fd.
    fn parent(&mut self, comps: &[&[u8]]) -> Result<i32, ParentErr> {
        let mut keep = 0;
        while keep < self.comps.len() && keep < comps.len() && self.comps[keep] == comps[keep] {
            keep += 1;
        }
        while self.comps.len() > keep {
            self.comps.pop();
            if let Some(fd) = self.fds.pop() {
                spawn::close(fd);
            }
        }
        for (i, &c) in comps.iter().enumerate().skip(keep) {
            let name = cs(c);
            let cur = self.cur();
            let fd = match open_dir(cur, &name) {
                Err(libc::ENOENT) => {
                    // SAFETY: NUL-terminated name, a directory fd.
                    let r = unsafe { libc::mkdirat(cur, name.as_ptr(), 0o777) };
                    if r != 0 && sys::errno() != libc::EEXIST {
                        return Err(ParentErr(sys::errno(), i));
                    }
                    open_dir(cur, &name)
                }
                Err(e @ (libc::ELOOP | libc::ENOTDIR)) => follow_down(cur, &name).ok_or(e),
                r => r,
            };
            match fd {
                Ok(fd) => {
                    self.fds.push(fd);
                    self.comps.push(c.to_vec());
                }
                Err(e) => return Err(ParentErr(e, i)),
            }
        }
        Ok(self.cur())
    }

    fn close_all(&mut self) {
        self.comps.clear();
        for fd in self.fds.drain(..) {
            spawn::close(fd);
        }
    }

    /// A fresh temporary name for a member being made in a directory.
    fn tmp(&mut self) -> CString {
        self.seq = self.seq.wrapping_add(0x9e37_79b9);
        let mut b = b".rbox-tar.".to_vec();
        let mut b2 = [0u8; 20];
        b.extend_from_slice(crate::cx::fmt_u64(u64::from(self.pid), &mut b2));
        b.push(b'.');
        b.extend_from_slice(crate::cx::fmt_u64(u64::from(self.seq), &mut b2));
        cs(&b)
    }

    /// The owner to give: the archive's names looked up (the last pair cached: members
    /// mostly share one), else its numbers.
    fn ids(&self, m: &Member) -> (u32, u32) {
        let mut uid = m.uid as u32;
        let mut gid = m.gid as u32;
        if !self.o.numeric {
            let mut c = self.idcache.borrow_mut();
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
        (uid, gid)
    }

    fn times(&self, m: &Member) -> [libc::timespec; 2] {
        let t = libc::timespec {
            tv_sec: m.mtime as _,
            tv_nsec: 0,
        };
        [t, t]
    }
}

fn open_dir(dir: i32, name: &CStr) -> Result<i32, i32> {
    // SAFETY: NUL-terminated name.
    let fd = unsafe {
        libc::openat(
            dir,
            name.as_ptr(),
            libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
        )
    };
    if fd < 0 {
        Err(sys::errno())
    } else {
        Ok(fd)
    }
}

/// A symlink already in the target met on the way down (`lib -> usr/lib` on a merged-/usr
/// system, under `-C /`): followed only when its target is relative and has no `..`, so it
/// can only lead further down inside the same directory (each step again O_NOFOLLOW).
/// Absolute links and links with `..` are never followed.
fn follow_down(dir: i32, name: &CStr) -> Option<i32> {
    let t = super::readlink_at(dir, name).ok()?;
    if t.first() == Some(&b'/') {
        return None;
    }
    let (_, comps) = clean(&t);
    let comps = comps?;
    if comps.is_empty() {
        return None;
    }
    open_chain(dir, &comps).ok()
}

/// Opens the existing directories `comps` below `root` (no creating, no symlinks).
fn open_chain(root: i32, comps: &[&[u8]]) -> Result<i32, i32> {
    let mut cur = root;
    for c in comps {
        let fd = open_dir(cur, &cs(c));
        if cur != root {
            spawn::close(cur);
        }
        cur = fd?;
    }
    Ok(cur)
}

/// A cleaned name: `(prefix removed, components)`, None when it has a `..` component.
fn clean(name: &[u8]) -> (usize, Option<Vec<&[u8]>>) {
    let lead = name.iter().take_while(|&&c| c == b'/').count();
    let mut v = Vec::new();
    for c in name[lead..].split(|&c| c == b'/') {
        match c {
            b"" | b"." => {}
            b".." => return (lead, None),
            _ => v.push(c),
        }
    }
    (lead, Some(v))
}

/// GNU's `Removing leading `/' from member names`, once per prefix.
fn warn_lead(cx: &Cx, warned: &mut Vec<Vec<u8>>, prefix: &[u8], what: &[u8]) {
    if prefix.is_empty() || warned.iter().any(|w| w == prefix) {
        return;
    }
    warned.push(prefix.to_vec());
    cx.err(&[b"Removing leading `", prefix, b"' from ", what]);
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
    let root = if list || o.to_stdout {
        -1
    } else {
        super::open_target(cx, o.dir.as_deref())?
    };
    let (fd, pre) = input(cx, file, codec, &mut kids)?;
    let mut r = Reader::new(FdSource(fd));
    r.preload(&pre);
    let accept: Vec<CString> = o.names.iter().map(|n| cs(n)).collect();
    let mut found = vec![false; accept.len()];
    let mut ex = Ex {
        o,
        root,
        comps: Vec::new(),
        fds: Vec::new(),
        umask: crate::mode::umask(),
        // SAFETY: geteuid cannot fail.
        chown: !o.no_owner && unsafe { libc::geteuid() } == 0,
        users: crate::users::Users::new(),
        seq: std::process::id().wrapping_mul(2_654_435_761),
        pid: std::process::id(),
        idcache: Default::default(),
        dirs: Vec::new(),
        warned: Vec::new(),
    };
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
            if o.to_stdout {
                cx.out.flush();
                let _ = sys::write_all(2, &line);
            } else {
                cx.out.write(&line);
            }
        }
        if o.to_stdout {
            if m.typ != tar::REG && !is_other(m.typ) {
                continue;
            }
            loop {
                match r.data() {
                    Ok(Some(d)) => cx.out.write(d),
                    Ok(None) => break,
                    Err(e) => {
                        report(cx, o, &m.name, e);
                        st = 1;
                        fatal = true;
                        break;
                    }
                }
            }
            if fatal {
                break;
            }
            continue;
        }
        match extract(cx, &mut ex, &mut r, &m) {
            Step::Ok => {}
            Step::Bad => st = 1,
            Step::Fatal => {
                st = 1;
                fatal = true;
                break;
            }
        }
    }
    ex.close_all();
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
    if !fatal || !ex.dirs.is_empty() {
        fix_dirs(cx, &mut ex);
    }
    if root >= 0 {
        spawn::close(root);
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
    let (lead, comps) = clean(&m.name);
    let Some(mut comps) = comps else {
        let mut b = Vec::new();
        show(o, &m.name, &mut b);
        cx.err(&[&b, b": Member name contains '..'"]);
        return Step::Bad;
    };
    warn_lead(cx, &mut ex.warned, &m.name[..lead], b"member names");
    if o.strip > 0 {
        if comps.len() <= o.strip {
            return Step::Ok;
        }
        comps.drain(..o.strip);
    }
    let Some(&last) = comps.last() else {
        // The target itself (`./`): its mode and times, at the end.
        if m.typ == tar::DIR {
            ex.dirs.push(DirFix {
                path: Vec::new(),
                m: m.clone(),
            });
        }
        return Step::Ok;
    };
    let n = comps.len();
    let dir = match ex.parent(&comps[..n - 1]) {
        Ok(fd) => fd,
        Err(ParentErr(e, i)) => {
            let p = comps[..=i].join(&b'/');
            let mut b = Vec::new();
            show(o, &m.name, &mut b);
            if e == libc::ELOOP || e == libc::ENOTDIR {
                let mut pb = Vec::new();
                show(o, &p, &mut pb);
                cx.err(&[b"can't create '", &b, b"': '", &pb, b"' is not a directory (symlinks are not followed)"]);
            } else {
                cx.err(&[b"can't create '", &b, b"': ", sys::strerror(e)]);
            }
            return Step::Bad;
        }
    };
    let name = cs(last);
    let full = comps.join(&b'/');
    match m.typ {
        tar::DIR => make_dir(cx, ex, dir, &name, full, m),
        tar::LINK => hard_link(cx, ex, dir, &name, &full, m),
        tar::SYMLINK => {
            let tmp = ex.tmp();
            let target = cs(&m.link);
            // SAFETY: NUL-terminated strings, a directory fd.
            if unsafe { libc::symlinkat(target.as_ptr(), dir, tmp.as_ptr()) } != 0 {
                let e = sys::errno();
                let mut b = Vec::new();
                show(o, &m.link, &mut b);
                let mut nb = Vec::new();
                show(o, &full, &mut nb);
                cx.err(&[b"can't create symlink '", &nb, b"' to '", &b, b"': ", sys::strerror(e)]);
                return Step::Bad;
            }
            node_attrs(ex, dir, &tmp, m, true);
            place(cx, ex, dir, &tmp, &name, &full)
        }
        tar::CHR | tar::BLK | tar::FIFO => {
            let tmp = ex.tmp();
            let kind = match m.typ {
                tar::CHR => libc::S_IFCHR,
                tar::BLK => libc::S_IFBLK,
                _ => libc::S_IFIFO,
            };
            let dev = libc::makedev(m.major as u32, m.minor as u32);
            // SAFETY: as above.
            if unsafe { libc::mknodat(dir, tmp.as_ptr(), kind | (m.mode & 0o777), dev) } != 0 {
                errmsg(cx, o, b"can't create node '", &full, b"': ", sys::errno());
                return Step::Bad;
            }
            node_attrs(ex, dir, &tmp, m, false);
            place(cx, ex, dir, &tmp, &name, &full)
        }
        _ => regular(cx, ex, r, dir, &name, &full, m),
    }
}

/// Owner, mode and times of a symlink or node made at `tmp`.
fn node_attrs(ex: &Ex, dir: i32, tmp: &CStr, m: &Member, link: bool) {
    let nf = libc::AT_SYMLINK_NOFOLLOW;
    // SAFETY: *at calls on a name we just made in a directory fd.
    unsafe {
        if ex.chown {
            let (u, g) = ex.ids(m);
            libc::fchownat(dir, tmp.as_ptr(), u, g, nf);
        }
        if !link && !ex.o.no_same_perms {
            libc::fchmodat(dir, tmp.as_ptr(), m.mode & 0o7777, 0);
        }
        if !ex.o.no_mtime {
            let t = ex.times(m);
            libc::utimensat(dir, tmp.as_ptr(), t.as_ptr(), nf);
        }
    }
}

/// Renames `tmp` over `name` (under -k only where nothing is there yet); the temporary is
/// removed when that fails.
fn place(cx: &Cx, ex: &Ex, dir: i32, tmp: &CStr, name: &CStr, full: &[u8]) -> Step {
    let r = if ex.o.keep {
        // SAFETY: renameat2(RENAME_NOREPLACE) on names in a directory fd.
        let r = unsafe {
            libc::syscall(
                libc::SYS_renameat2,
                dir,
                tmp.as_ptr(),
                dir,
                name.as_ptr(),
                libc::RENAME_NOREPLACE,
            )
        };
        if r != 0 && matches!(sys::errno(), libc::EINVAL | libc::ENOSYS) {
            // A filesystem without RENAME_NOREPLACE: check, then rename.
            if crate::walk::stat_at(dir, name, false).is_ok() {
                unsafe { *libc::__errno_location() = libc::EEXIST };
                -1
            } else {
                // SAFETY: as below.
                unsafe { libc::renameat(dir, tmp.as_ptr(), dir, name.as_ptr()) as libc::c_long }
            }
        } else {
            r
        }
    } else {
        // SAFETY: renameat on names in a directory fd.
        unsafe { libc::renameat(dir, tmp.as_ptr(), dir, name.as_ptr()) as libc::c_long }
    };
    if r != 0 {
        let e = sys::errno();
        // SAFETY: unlinkat of our temporary.
        unsafe { libc::unlinkat(dir, tmp.as_ptr(), 0) };
        errmsg(cx, ex.o, b"can't open '", full, b"': ", e);
        return Step::Bad;
    }
    Step::Ok
}

fn make_dir(cx: &Cx, ex: &mut Ex, dir: i32, name: &CStr, full: Vec<u8>, m: &Member) -> Step {
    // Owner-writable until the end, whatever the archive says, so its contents can go in.
    let mode = (m.mode & 0o777) | 0o700;
    // SAFETY: mkdirat on a name in a directory fd.
    if unsafe { libc::mkdirat(dir, name.as_ptr(), mode) } != 0 {
        let e = sys::errno();
        let isdir = crate::walk::stat_at(dir, name, false)
            .is_ok_and(|s| s.st_mode & libc::S_IFMT == libc::S_IFDIR);
        if e != libc::EEXIST || (!isdir && ex.o.keep) {
            errmsg(cx, ex.o, b"can't make dir '", &full, b"': ", e);
            return Step::Bad;
        }
        if !isdir {
            // Something else is there: it goes (GNU does the same), the directory comes.
            // SAFETY: as above.
            let ok = unsafe {
                libc::unlinkat(dir, name.as_ptr(), 0) == 0
                    && libc::mkdirat(dir, name.as_ptr(), mode) == 0
            };
            if !ok {
                errmsg(cx, ex.o, b"can't make dir '", &full, b"': ", sys::errno());
                return Step::Bad;
            }
        }
    }
    ex.dirs.push(DirFix {
        path: full,
        m: m.clone(),
    });
    Step::Ok
}

fn hard_link(cx: &Cx, ex: &mut Ex, dir: i32, name: &CStr, full: &[u8], m: &Member) -> Step {
    let o = ex.o;
    let (lead, tc) = clean(&m.link);
    let Some(mut tc) = tc else {
        let mut b = Vec::new();
        show(o, full, &mut b);
        cx.err(&[&b, b": hard link target contains '..'"]);
        return Step::Bad;
    };
    warn_lead(cx, &mut ex.warned, &m.link[..lead], b"hard link targets");
    if o.strip > 0 {
        if tc.len() <= o.strip {
            return Step::Ok;
        }
        tc.drain(..o.strip);
    }
    let target = tc.join(&b'/');
    if target == full {
        // `tar cf t.tar a b a` stores `a` as a link to itself.
        return Step::Ok;
    }
    let Some(&tlast) = tc.last() else {
        errmsg(cx, o, b"can't create hardlink '", full, b"': ", libc::ENOENT);
        return Step::Bad;
    };
    let tmp = ex.tmp();
    let (r, e) = match open_chain(ex.root, &tc[..tc.len() - 1]) {
        Ok(tdir) => {
            let tname = cs(tlast);
            // SAFETY: linkat without AT_SYMLINK_FOLLOW: a symlink is linked as itself.
            let r = unsafe { libc::linkat(tdir, tname.as_ptr(), dir, tmp.as_ptr(), 0) };
            let e = sys::errno();
            if tdir != ex.root {
                spawn::close(tdir);
            }
            (r, e)
        }
        Err(e) => (-1, e),
    };
    if r != 0 {
        let mut tb = Vec::new();
        show(o, &target, &mut tb);
        let mut nb = Vec::new();
        show(o, full, &mut nb);
        cx.err(&[b"can't create hardlink '", &nb, b"' to '", &tb, b"': ", sys::strerror(e)]);
        return Step::Bad;
    }
    let s = place(cx, ex, dir, &tmp, name, full);
    // Renaming one link over another of the same file leaves the temporary: remove it.
    // SAFETY: unlinkat of our temporary name.
    unsafe { libc::unlinkat(dir, tmp.as_ptr(), 0) };
    s
}

fn regular<S: tar::Source>(
    cx: &Cx,
    ex: &mut Ex,
    r: &mut Reader<S>,
    dir: i32,
    name: &CStr,
    full: &[u8],
    m: &Member,
) -> Step {
    let o = ex.o;
    let tmp = ex.tmp();
    // SAFETY: openat on a name in a directory fd.
    let fd = unsafe {
        libc::openat(
            dir,
            tmp.as_ptr(),
            libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_CLOEXEC,
            (m.mode & 0o777) as libc::c_uint,
        )
    };
    if fd < 0 {
        errmsg(cx, o, b"can't open '", full, b"': ", sys::errno());
        let _ = drain(r);
        return Step::Bad;
    }
    let gone = |cx: &Cx, what: &[u8], e: Option<i32>| {
        spawn::close(fd);
        // SAFETY: unlinkat of our temporary.
        unsafe { libc::unlinkat(dir, tmp.as_ptr(), 0) };
        let mut b = Vec::new();
        show(o, full, &mut b);
        match e {
            Some(e) => cx.err(&[&b, what, sys::strerror(e)]),
            None => cx.err(&[&b, what]),
        }
        Step::Fatal
    };
    loop {
        match r.data() {
            Ok(Some(d)) => {
                if let Err(e) = sys::write_all(fd, d) {
                    return gone(cx, b": write error: ", Some(e));
                }
            }
            Ok(None) => break,
            Err(e) => return gone(cx, &[b": ", e.msg()].concat(), None),
        }
    }
    // SAFETY: calls on the descriptor we opened.
    unsafe {
        if ex.chown {
            let (u, g) = ex.ids(m);
            libc::fchown(fd, u, g);
        }
        let mode = m.mode & 0o7777;
        if !o.no_same_perms && (mode & ex.umask != 0 || mode & 0o7000 != 0) {
            libc::fchmod(fd, mode);
        }
        if !o.no_mtime {
            let t = ex.times(m);
            libc::futimens(fd, t.as_ptr());
        }
    }
    // SAFETY: closing our descriptor; its error is a late write error (NFS, quotas).
    if unsafe { libc::close(fd) } != 0 {
        let e = sys::errno();
        unsafe { libc::unlinkat(dir, tmp.as_ptr(), 0) };
        errmsg(cx, o, b"", full, b": write error: ", e);
        return Step::Fatal;
    }
    place(cx, ex, dir, &tmp, name, full)
}

/// Modes, owners and times of the directories made, deepest first, now that their
/// contents are in.
fn fix_dirs(cx: &Cx, ex: &mut Ex) {
    let _ = cx;
    let dirs = std::mem::take(&mut ex.dirs);
    for d in dirs.iter().rev() {
        let comps: Vec<&[u8]> = d.path.split(|&c| c == b'/').filter(|c| !c.is_empty()).collect();
        let Ok(fd) = open_chain(ex.root, &comps) else {
            continue;
        };
        let m = &d.m;
        // SAFETY: calls on a directory descriptor we opened.
        unsafe {
            if ex.chown {
                let (u, g) = ex.ids(m);
                libc::fchown(fd, u, g);
            }
            let mode = if ex.o.no_same_perms {
                m.mode & 0o777 & !ex.umask
            } else {
                m.mode & 0o7777
            };
            if !(comps.is_empty() && ex.o.no_same_perms) {
                libc::fchmod(fd, mode);
            }
            if !ex.o.no_mtime {
                let t = ex.times(m);
                libc::futimens(fd, t.as_ptr());
            }
        }
        if fd != ex.root {
            spawn::close(fd);
        }
    }
}
