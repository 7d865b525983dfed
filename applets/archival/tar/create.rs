//! tar c: the named trees through the shared walker (directory fds, so a symlink swapped in
//! meanwhile is never followed), headers and data batched into 128 KiB writes, holes of
//! sparse files sent as zeros without reading them.

use super::{excluded_create, Codec, Kids, Opts};
use crate::tar::{self, Member};
use crate::walk::{Act, Entry, Follow, Kind, Walker};
use crate::{io::BLOCK, spawn, sys, Cx, Res};
use std::collections::HashMap;

/// The archive being written: one buffer, written in BLOCK pieces.
struct Sink {
    fd: i32,
    buf: Vec<u8>,
    err: i32,
}

impl Sink {
    fn put(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
        if self.buf.len() >= BLOCK {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.err == 0 && !self.buf.is_empty() {
            if let Err(e) = sys::write_all(self.fd, &self.buf) {
                self.err = e;
            }
        }
        self.buf.clear();
    }

    /// `n` zero bytes (a hole, or a file that shrank).
    fn zeros(&mut self, mut n: u64) {
        const Z: [u8; 4096] = [0; 4096];
        while n > 0 && self.err == 0 {
            let k = n.min(Z.len() as u64) as usize;
            self.put(&Z[..k]);
            n -= k as u64;
        }
    }

    /// Reads up to `want` bytes of `fd` straight into the buffer: the count, 0 at its end.
    fn read_from(&mut self, fd: i32, want: u64) -> Result<usize, i32> {
        if self.buf.capacity() - self.buf.len() < 4096 {
            self.flush();
        }
        let len = self.buf.len();
        let room = (self.buf.capacity() - len).min(want.min(usize::MAX as u64) as usize);
        loop {
            // SAFETY: reading into the vector's spare capacity, then counting what came.
            let n = unsafe { libc::read(fd, self.buf.as_mut_ptr().add(len).cast(), room) };
            if n >= 0 {
                // SAFETY: n bytes past len were just written by read(2).
                unsafe { self.buf.set_len(len + n as usize) };
                if self.buf.len() >= BLOCK {
                    self.flush();
                }
                return Ok(n as usize);
            }
            let e = sys::errno();
            if e != libc::EINTR {
                return Err(e);
            }
        }
    }
}

struct Cr<'a> {
    o: &'a Opts,
    sink: Sink,
    links: HashMap<(u64, u64), Vec<u8>>,
    archive: Option<(u64, u64)>,
    users: crate::users::Users,
    /// Bytes of the walked path that are the -C directory, not the member name.
    skip: usize,
    warned: bool,
    st: i32,
    /// Where -v names go: stderr when the archive is stdout.
    verbose_fd: i32,
    m: Member,
    line: Vec<u8>,
}

/// BusyBox's strip_unsafe_prefix: leading `/`s and everything up to a last `../`.
fn strip_unsafe(name: &[u8]) -> usize {
    let mut i = 0;
    loop {
        if name.get(i) == Some(&b'/') {
            i += 1;
            continue;
        }
        if name[i..].starts_with(b"../") {
            i += 3;
            continue;
        }
        match crate::bytes::memmem::find(&name[i..], b"/../") {
            Some(p) => i += p + 4,
            None => return i,
        }
    }
}

impl Cr<'_> {
    fn msg(&mut self, cx: &Cx, path: &[u8], what: &[u8], e: i32) {
        let mut b = Vec::new();
        tar::escape(&mut b, path, self.o.utf8);
        if e == 0 {
            cx.err(&[&b, what]);
        } else {
            cx.err(&[&b, what, sys::strerror(e)]);
        }
        self.st = 1;
    }

    fn entry(&mut self, cx: &mut Cx, e: &mut Entry) -> Act {
        match e.kind {
            Kind::Post => return Act::Continue,
            Kind::StatErr | Kind::OpenErr | Kind::ReadErr => {
                let p = e.path.get(self.skip..).unwrap_or(e.path).to_vec();
                self.msg(cx, &p, b": ", e.err);
                return Act::Continue;
            }
            Kind::Loop => {
                crate::walk::report_loop(cx, e);
                self.st = 1;
                return Act::Continue;
            }
            Kind::Pre | Kind::File => {}
        }
        let st = match e.stat() {
            Ok(s) => *s,
            Err(err) => {
                let p = e.path.get(self.skip..).unwrap_or(e.path).to_vec();
                self.msg(cx, &p, b": ", err);
                return Act::Continue;
            }
        };
        let path = e.path;
        let full = path.get(self.skip..).unwrap_or(b"");
        let cut = strip_unsafe(full);
        if cut > 0 && !self.warned {
            self.warned = true;
            cx.err(&[b"removing leading '", &full[..cut], b"' from member names"]);
        }
        let name = &full[cut..];
        let isdir = st.st_mode & libc::S_IFMT == libc::S_IFDIR;
        let skip_dir = if isdir && self.o.no_recursion {
            Act::Skip
        } else {
            Act::Continue
        };
        if name.is_empty() {
            return skip_dir;
        }
        if excluded_create(&self.o.excludes, name) {
            return if isdir { Act::Skip } else { Act::Continue };
        }
        if self.archive == Some((st.st_dev, st.st_ino)) {
            let n = name.to_vec();
            let mut b = Vec::new();
            tar::escape(&mut b, &n, self.o.utf8);
            cx.err(&[&b, b": file is the archive; skipping"]);
            return Act::Continue;
        }
        let m = &mut self.m;
        m.name.clear();
        m.name.extend_from_slice(name);
        m.link.clear();
        m.mode = st.st_mode & 0o7777;
        m.uid = u64::from(st.st_uid);
        m.gid = u64::from(st.st_gid);
        m.mtime = st.st_mtime;
        m.size = 0;
        m.major = 0;
        m.minor = 0;
        m.uname.clear();
        m.gname.clear();
        if !self.o.numeric {
            if let Some(u) = self.users.user_name(st.st_uid) {
                m.uname.extend_from_slice(u);
            }
            if let Some(g) = self.users.group_name(st.st_gid) {
                m.gname.extend_from_slice(g);
            }
        }
        let mut data_fd = -1;
        match st.st_mode & libc::S_IFMT {
            libc::S_IFDIR => {
                m.typ = tar::DIR;
                if m.name.last() != Some(&b'/') {
                    m.name.push(b'/');
                }
            }
            libc::S_IFLNK => {
                m.typ = tar::SYMLINK;
                match crate::extract::readlink_at(e.dir, e.cname) {
                    Ok(l) => m.link = l,
                    Err(err) => {
                        let p = full.to_vec();
                        self.msg(cx, &p, b": cannot read link: ", err);
                        return Act::Continue;
                    }
                }
            }
            libc::S_IFCHR | libc::S_IFBLK => {
                m.typ = if st.st_mode & libc::S_IFMT == libc::S_IFCHR {
                    tar::CHR
                } else {
                    tar::BLK
                };
                m.major = u64::from(libc::major(st.st_rdev));
                m.minor = u64::from(libc::minor(st.st_rdev));
            }
            libc::S_IFIFO => m.typ = tar::FIFO,
            libc::S_IFSOCK => {
                let mut b = Vec::new();
                tar::escape(&mut b, full, self.o.utf8);
                cx.err(&[&b, b": socket ignored"]);
                return Act::Continue;
            }
            _ => {
                m.typ = tar::REG;
                let key = (st.st_dev, st.st_ino);
                if st.st_nlink > 1 {
                    if let Some(first) = self.links.get(&key) {
                        m.typ = tar::LINK;
                        m.link.clone_from(first);
                    } else {
                        self.links.insert(key, m.name.clone());
                    }
                }
                if m.typ == tar::REG {
                    let fl = libc::O_RDONLY
                        | libc::O_CLOEXEC
                        | if self.o.deref { 0 } else { libc::O_NOFOLLOW };
                    // SAFETY: openat on the walker's directory fd and name.
                    data_fd = unsafe { libc::openat(e.dir, e.cname.as_ptr(), fl) };
                    if data_fd < 0 {
                        let err = sys::errno();
                        let mut b = Vec::new();
                        tar::escape(&mut b, full, self.o.utf8);
                        cx.err(&[b"can't open '", &b, b"': ", sys::strerror(err)]);
                        self.st = 1;
                        return Act::Continue;
                    }
                    m.size = st.st_size as u64;
                }
            }
        }
        if self.o.verbose > 0 {
            self.line.clear();
            tar::escape(&mut self.line, &m.name, self.o.utf8);
            self.line.push(b'\n');
            if self.verbose_fd == 1 {
                cx.out.write(&self.line);
            } else {
                let _ = sys::write_all(2, &self.line);
            }
        }
        let mut hdr = std::mem::take(&mut self.sink.buf);
        tar::write_header(&mut hdr, m);
        self.sink.buf = hdr;
        if data_fd >= 0 {
            let size = self.m.size;
            let sparse = (st.st_blocks as u64).saturating_mul(512) < size;
            self.data(cx, data_fd, size, sparse, full);
            spawn::close(data_fd);
            self.sink.zeros(tar::pad(size) as u64);
        } else if self.sink.buf.len() >= BLOCK {
            self.sink.flush();
        }
        if self.sink.err != 0 {
            return Act::Stop;
        }
        skip_dir
    }

    /// Copies `size` bytes of `fd` (holes skipped with SEEK_DATA/SEEK_HOLE when `sparse`).
    fn data(&mut self, cx: &Cx, fd: i32, size: u64, mut sparse: bool, path: &[u8]) {
        let mut pos = 0u64;
        while pos < size && self.sink.err == 0 {
            let mut stop = size;
            if sparse {
                // SAFETY: lseek on our descriptor (three calls per data extent).
                let d = unsafe { libc::lseek(fd, pos as libc::off_t, libc::SEEK_DATA) };
                let d = if d >= 0 {
                    (d as u64).min(size)
                } else if sys::errno() == libc::ENXIO {
                    size
                } else {
                    sparse = false;
                    pos
                };
                if d > pos {
                    self.sink.zeros(d - pos);
                    pos = d;
                    continue;
                }
                if sparse {
                    // SAFETY: as above.
                    let h = unsafe { libc::lseek(fd, pos as libc::off_t, libc::SEEK_HOLE) };
                    if h >= 0 {
                        stop = (h as u64).clamp(pos + 1, size);
                    }
                    // SAFETY: as above.
                    unsafe { libc::lseek(fd, pos as libc::off_t, libc::SEEK_SET) };
                }
            }
            while pos < stop && self.sink.err == 0 {
                match self.sink.read_from(fd, stop - pos) {
                    Ok(0) => {
                        let mut b = [0u8; 20];
                        let left = crate::cx::fmt_u64(size - pos, &mut b).to_vec();
                        let mut n = Vec::new();
                        tar::escape(&mut n, path, self.o.utf8);
                        cx.err(&[&n, b": File shrank by ", &left, b" bytes; padding with zeros"]);
                        self.st = 1;
                        self.sink.zeros(size - pos);
                        return;
                    }
                    Ok(n) => pos += n as u64,
                    Err(e) => {
                        let p = path.to_vec();
                        self.msg(cx, &p, b": read error: ", e);
                        self.sink.zeros(size - pos);
                        return;
                    }
                }
            }
        }
    }
}

pub fn run(cx: &mut Cx, o: &Opts, file: &[u8], codec: Option<Codec>) -> Res {
    if o.names.is_empty() {
        return Err(cx.fail(&[b"empty archive"]));
    }
    if let Some(d) = &o.dir {
        // Checked first, as BusyBox's chdir is.
        let fd = super::open_target(cx, Some(d))?;
        spawn::close(fd);
    }
    let out = if file == b"-" {
        1
    } else {
        let c = sys::cstr(file).unwrap_or_default();
        // SAFETY: a NUL-terminated path.
        let fd = unsafe {
            libc::open(
                c.as_ptr(),
                libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC,
                0o666,
            )
        };
        if fd < 0 {
            return Err(cx.fail(&[b"can't open '", file, b"': ", sys::strerror(sys::errno())]));
        }
        fd
    };
    let archive = crate::paths::fstat(out)
        .ok()
        .filter(|s| s.st_mode & libc::S_IFMT == libc::S_IFREG)
        .map(|s| (s.st_dev, s.st_ino));
    let mut kids = Kids::default();
    let mut wfd = out;
    if let Some(c) = codec {
        let (r, w) = spawn::pipe().map_err(|e| cx.fail_no(b"can't create pipe", e))?;
        let pid = spawn::through(c.compress(), r, out, &[w]).map_err(|e| cx.fail_no(b"fork", e))?;
        kids.0.push(pid);
        spawn::close(r);
        if out != 1 {
            spawn::close(out);
        }
        wfd = w;
    }
    let mut c = Cr {
        o,
        sink: Sink {
            fd: wfd,
            buf: Vec::with_capacity(BLOCK + 8192),
            err: 0,
        },
        links: HashMap::new(),
        archive,
        users: crate::users::Users::new(),
        skip: 0,
        warned: false,
        st: 0,
        verbose_fd: if file == b"-" { 2 } else { 1 },
        m: Member::default(),
        line: Vec::new(),
    };
    let mut w = Walker::new(if o.deref { Follow::Always } else { Follow::Never });
    let mut root = Vec::new();
    for n in &o.names {
        // `d/` walks as `d` (members `d/`, `d/f`); `/` stays.
        let mut n = &n[..];
        while n.len() > 1 && n.last() == Some(&b'/') {
            n = &n[..n.len() - 1];
        }
        root.clear();
        c.skip = 0;
        if let Some(d) = &o.dir {
            if n.first() != Some(&b'/') {
                root.extend_from_slice(d);
                if !d.ends_with(b"/") {
                    root.push(b'/');
                }
                c.skip = root.len();
            }
        }
        root.extend_from_slice(n);
        if !w.walk(&root, &mut |e| c.entry(cx, e)) {
            break;
        }
    }
    if c.sink.err == 0 {
        c.sink.zeros(2 * tar::BLOCK as u64);
        c.sink.flush();
    }
    let err = c.sink.err;
    if wfd != 1 {
        spawn::close(wfd);
    }
    cx.out.flush();
    let mut st = c.st;
    if err != 0 {
        cx.err(&[b"write error: ", sys::strerror(err)]);
        st = 1;
    }
    if kids.wait(cx) != 0 {
        st = 1;
    }
    if st != 0 && err == 0 {
        cx.err(&[b"error exit delayed from previous errors"]);
    }
    Ok(st)
}
