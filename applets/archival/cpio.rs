//! applet: cpio
//! dir: bin
//! usage: cpio [-dmvu] [-F FILE] [-R USER[:GRP]] [-H newc] [-tio] [-p DIR] [EXTR_FILE]...
//! Extract (-i) or list (-t) files from a cpio archive, or
//! take file list from stdin and create an archive (-o) or copy files (-p)
//!
//! |Main operation mode:
//! -t  List
//! -i  Extract EXTR_FILEs (or all)
//! -o  Create (requires -H newc)
//! -p DIR  Copy files to DIR
//! |Options:
//! -H newc  Archive format
//! -d  Make leading directories
//! -m  Restore mtime
//! -v  Verbose
//! -u  Overwrite
//! -F FILE  Input (-t,-i,-p) or output (-o) file
//! -R USER[:GRP]  Set owner of created files
//! -L  Dereference symlinks
//! -0  NUL terminated input
//! --ignore-devno
//! --renumber-inodes

// Reads newc, crc, odc and old binary archives (BusyBox reads newc and crc only) and writes
// newc as BusyBox does. Extraction never leaves the target directory (src/extract.rs): names
// lose a leading `/` and `..` parts, no symlink is followed, files appear under their names
// only when complete. Unlike BusyBox, `-t` lists every hard link's name.

use crate::cpio::{newc_header, CpioErr, Format, Header, Reader};
use crate::extract::{self, Fd, Target, Temp};
use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

const IFMT: u32 = libc::S_IFMT;

type Key = (u32, u32, u64);

/// What `-i` and `-p` share: the target and the rules for what is made there.
struct X {
    t: Target,
    overwrite: bool,
    mtime: bool,
    verbose: bool,
    owner: (Option<u32>, Option<u32>),
    root: bool,
    /// Hard-link groups already extracted: (dev, ino) -> the name made.
    links: Vec<(Key, Vec<u8>)>,
    /// Names of a group whose data has not come yet (newc stores it with the last link).
    pending: Vec<(Key, Vec<u8>, Header)>,
    status: i32,
}

/// Feeds a member's data to a sink (from the archive, or from a file for -p).
type Body<'a> = &'a mut dyn FnMut(&mut dyn FnMut(&[u8]) -> Result<(), i32>) -> Result<(), CpioErr>;

fn skip(body: Body) -> Result<(), CpioErr> {
    body(&mut |_| Ok(()))
}

impl X {
    fn owner_of(&self, h: &Header) -> Option<(u32, u32)> {
        match self.owner {
            (None, None) if !self.root => None,
            (u, g) => Some((u.unwrap_or(h.uid), g.unwrap_or(h.gid))),
        }
    }

    fn mtime_of(&self, h: &Header) -> Option<i64> {
        self.mtime.then_some(h.mtime as i64)
    }

    /// Creates one member. Err only when the archive itself is unreadable.
    fn member(&mut self, cx: &mut Cx, h: &Header, body: Body) -> Result<(), CpioErr> {
        let Some(name) = self.t.clean(cx, &h.name) else {
            return skip(body);
        };
        let name = name.to_vec();
        if self.verbose {
            line_escaped(cx, &name);
        }
        let typ = h.mode & IFMT;
        let (dir, leaf) = match self.t.parent(&name) {
            Ok((d, l)) if l != b"." => (d, l.to_vec()),
            Ok(_) => return skip(body), // the target itself
            Err(e) => {
                self.fail(cx, &name, typ, e);
                return skip(body);
            }
        };
        if let Some(st) = extract::lstat_at(dir.0, &leaf) {
            let both_dirs = typ == libc::S_IFDIR && st.st_mode & IFMT == libc::S_IFDIR;
            if !both_dirs && !self.overwrite && st.st_mtime >= h.mtime as i64 {
                cx.err(&[&name, b" not created: newer or same age file exists"]);
                return skip(body);
            }
            if !both_dirs && st.st_mode & IFMT == libc::S_IFDIR {
                let _ = extract::remove(dir.0, &leaf);
            }
        }
        let owner = self.owner_of(h);
        let mtime = self.mtime_of(h);
        match typ {
            libc::S_IFREG => {
                let key = (h.dev.0, h.dev.1, h.ino);
                if h.nlink > 1 {
                    if let Some(from) = self.find_link(key) {
                        let r = extract::hard_link(&self.t, &from, dir.0, &leaf, true);
                        if let Err(e) = r {
                            self.fail(cx, &name, typ, e);
                        }
                        return skip(body);
                    }
                    if h.size == 0 && matches!(h.format, Format::Newc | Format::Crc) {
                        self.pending.push((key, name, h.clone()));
                        return skip(body);
                    }
                }
                let mut tmp = match Temp::create(dir.0) {
                    Ok(t) => t,
                    Err(e) => {
                        self.fail(cx, &name, typ, e);
                        return skip(body);
                    }
                };
                let mut werr = 0;
                body(&mut |b| {
                    if werr == 0 {
                        if let Err(e) = tmp.write(b) {
                            werr = e;
                        }
                    }
                    Ok(())
                })
                .map_err(|e| {
                    cx.err(&[&name, b": ", e.msg()]);
                    CpioErr::Format // reported: the caller stops quietly
                })?;
                if werr != 0 {
                    self.fail(cx, &name, 0, werr);
                    return Ok(());
                }
                tmp.meta(h.mode, owner, mtime);
                if let Err(e) = tmp.commit(&leaf, true) {
                    self.fail(cx, &name, typ, e);
                    return Ok(());
                }
                if h.nlink > 1 {
                    self.links.push((key, name.clone()));
                    let mut i = 0;
                    while i < self.pending.len() {
                        if self.pending[i].0 == key {
                            let (_, pname, _) = self.pending.swap_remove(i);
                            self.link_to(cx, &name, &pname);
                        } else {
                            i += 1;
                        }
                    }
                }
            }
            libc::S_IFDIR => {
                skip(body)?;
                match extract::mkdir(dir.0, &leaf, h.mode) {
                    Ok(fd) => extract::set_fd_meta(fd.0, h.mode, owner, mtime),
                    Err(e) => self.fail(cx, &name, typ, e),
                }
            }
            libc::S_IFLNK => {
                let mut target = Vec::new();
                body(&mut |b| {
                    if target.len() < 65536 {
                        target.extend_from_slice(b);
                    }
                    Ok(())
                })?;
                match extract::symlink(dir.0, &leaf, &target, true) {
                    Ok(()) => extract::set_link_meta(dir.0, &leaf, owner, mtime),
                    Err(e) => self.fail(cx, &name, typ, e),
                }
            }
            libc::S_IFCHR | libc::S_IFBLK | libc::S_IFIFO | libc::S_IFSOCK => {
                skip(body)?;
                let rdev = libc::makedev(h.rdev.0, h.rdev.1);
                match extract::mknod(dir.0, &leaf, h.mode, rdev, true) {
                    Ok(()) => extract::set_link_meta(dir.0, &leaf, owner, mtime),
                    Err(e) => self.fail(cx, &name, typ, e),
                }
            }
            _ => skip(body)?,
        }
        Ok(())
    }

    fn find_link(&self, key: Key) -> Option<Vec<u8>> {
        self.links.iter().find(|l| l.0 == key).map(|l| l.1.clone())
    }

    fn link_to(&mut self, cx: &Cx, from: &[u8], name: &[u8]) {
        match self.t.parent(name) {
            Ok((d, leaf)) => {
                if let Err(e) = extract::hard_link(&self.t, from, d.0, leaf, true) {
                    self.fail(cx, name, libc::S_IFREG, e);
                }
            }
            Err(e) => self.fail(cx, name, libc::S_IFREG, e),
        }
    }

    /// Links whose data never came are made as empty files (as GNU cpio does).
    fn finish(&mut self, cx: &mut Cx) {
        let pending = std::mem::take(&mut self.pending);
        for (key, name, h) in pending {
            if let Some(from) = self.find_link(key) {
                self.link_to(cx, &from, &name);
                continue;
            }
            let Ok((d, leaf)) = self.t.parent(&name) else {
                continue;
            };
            match Temp::create(d.0) {
                Ok(t) => {
                    t.meta(h.mode, self.owner_of(&h), self.mtime_of(&h));
                    match t.commit(leaf, true) {
                        Ok(()) => self.links.push((key, name)),
                        Err(e) => self.fail(cx, &name, libc::S_IFREG, e),
                    }
                }
                Err(e) => self.fail(cx, &name, libc::S_IFREG, e),
            }
        }
    }

    /// Reports a member that could not be made; the run goes on, ending with status 1.
    fn fail(&mut self, cx: &Cx, name: &[u8], typ: u32, e: i32) {
        self.status = 1;
        match typ {
            libc::S_IFDIR => cx.err(&[b"can't make dir ", name, b": ", sys::strerror(e)]),
            libc::S_IFREG => cx.err_open(OsStr::from_bytes(name), e),
            _ => cx.err_no(name, e),
        }
    }
}

fn line_escaped(cx: &mut Cx, name: &[u8]) {
    if extract::needs_escape(name) {
        let mut v = Vec::new();
        extract::escape_name(name, &mut v);
        cx.out.line(&v);
    } else {
        cx.out.line(name);
    }
}

fn blocks(n: u64) {
    let mut b = [0u8; 20];
    let mut m = crate::cx::fmt_u64(n.div_ceil(512), &mut b).to_vec();
    m.extend_from_slice(b" blocks\n");
    let _ = sys::write_all(2, &m);
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "tiodmvuF:R:H:L0p:",
        &[("ignore-devno", 1), ("renumber-inodes", 2)],
    )?;
    if o.val(b'H').is_some_and(|h| h.as_bytes() != b"newc") {
        return Err(cx.usage());
    }
    let owner = match o.val(b'R') {
        Some(r) => crate::owner::parse(cx, &crate::users::Users::new(), r.as_bytes())?,
        None => (None, None),
    };
    let file = o.val(b'F');
    if o.has(b'o') {
        if o.val(b'H').is_none() {
            return Err(cx.usage());
        }
        return create(cx, &o, file);
    }
    let root = unsafe { libc::geteuid() } == 0;
    let new_x = |cx: &Cx, dir: &[u8]| -> Res<X> {
        let t = Target::open(dir, o.has(b'd')).map_err(|e| cx.fail_no(dir, e))?;
        Ok(X {
            t,
            overwrite: o.has(b'u'),
            mtime: o.has(b'm'),
            verbose: o.has(b'v'),
            owner,
            root,
            links: Vec::new(),
            pending: Vec::new(),
            status: 0,
        })
    };
    if let Some(dir) = o.val(b'p') {
        let mut x = new_x(cx, dir.as_bytes())?;
        return pass(cx, &o, &mut x);
    }
    let list = o.has(b't');
    if !list && !o.has(b'i') {
        return Err(cx.usage());
    }
    let inp = match file {
        Some(f) => match crate::io::Input::open(f) {
            Ok(i) => i,
            Err(e) => {
                cx.err_open(f, e);
                return Err(crate::Fail(1));
            }
        },
        None => crate::io::Input::stdin(),
    };
    let mut x = if list { None } else { Some(new_x(cx, b".")?) };
    let mut r = Reader::new(inp.fd());
    let pats = &o.args;
    loop {
        let h = match r.next_header() {
            Ok(Some(h)) => h,
            Ok(None) => break,
            Err(e) => return Err(cx.fail(&[e.msg()])),
        };
        if !pats.is_empty() && !pats.iter().any(|p| extract::fnmatch(p.as_bytes(), &h.name)) {
            if let Err(e) = r.data(&h, &mut |_| Ok(())) {
                return Err(cx.fail(&[&h.name, b": ", e.msg()]));
            }
            continue;
        }
        let res = match &mut x {
            None => list_one(cx, &mut r, &h, o.has(b'v')),
            Some(x) => {
                let mut body = |s: &mut dyn FnMut(&[u8]) -> Result<(), i32>| r.data(&h, s);
                x.member(cx, &h, &mut body)
            }
        };
        match res {
            Ok(()) => {}
            // Already reported with the member's name.
            Err(CpioErr::Format) => return Err(crate::Fail(1)),
            Err(e) => return Err(cx.fail(&[&h.name, b": ", e.msg()])),
        }
    }
    let mut status = 0;
    if let Some(x) = &mut x {
        x.finish(cx);
        status = x.status;
    }
    cx.out.flush();
    // An empty input is no archive at all: BusyBox says nothing.
    if r.src.off > 0 {
        blocks(r.end.max(r.src.off));
    }
    Ok(status)
}

fn list_one(cx: &mut Cx, r: &mut Reader, h: &Header, verbose: bool) -> Result<(), CpioErr> {
    if !verbose {
        r.data(h, &mut |_| Ok(()))?;
        line_escaped(cx, &h.name);
        return Ok(());
    }
    let mut target = Vec::new();
    let is_link = h.mode & IFMT == libc::S_IFLNK;
    r.data(h, &mut |b| {
        if is_link && target.len() < 65536 {
            target.extend_from_slice(b);
        }
        Ok(())
    })
    .map_err(|e| {
        cx.err(&[&h.name, b": ", e.msg()]);
        CpioErr::Format
    })?;
    let mut l = Vec::with_capacity(100);
    let e = extract::ListEntry {
        mode: h.mode,
        uid: h.uid,
        gid: h.gid,
        // BusyBox shows a symlink's size as 0.
        size: if is_link { 0 } else { h.size },
        mtime: h.mtime as i64,
        name: &h.name,
        link: is_link.then_some(&target[..]),
    };
    e.line(&mut l);
    cx.out.write(&l);
    Ok(())
}

/// The names -o and -p read from stdin, with BusyBox's leading `./` removed; empty ones skipped.
fn next_name(lines: &mut crate::io::Lines, sep: u8) -> Option<Vec<u8>> {
    loop {
        let (mut n, _) = lines.next_record(sep).ok()??;
        while n.starts_with(b"./") {
            n = &n[2..];
            while n.first() == Some(&b'/') {
                n = &n[1..];
            }
        }
        if !n.is_empty() {
            return Some(n.to_vec());
        }
    }
}

fn stat(name: &[u8], deref: bool) -> Result<libc::stat, i32> {
    let c = sys::cstr(name).ok_or(libc::EINVAL)?;
    // SAFETY: st is written by (l)stat; c is NUL-terminated.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    let r = unsafe {
        if deref {
            libc::stat(c.as_ptr(), &mut st)
        } else {
            libc::lstat(c.as_ptr(), &mut st)
        }
    };
    if r == 0 {
        Ok(st)
    } else {
        Err(sys::errno())
    }
}

fn header_of(name: &[u8], st: &libc::stat) -> Header {
    let typ = st.st_mode & IFMT;
    Header {
        format: Format::Newc,
        name: name.to_vec(),
        ino: st.st_ino,
        mode: st.st_mode,
        uid: st.st_uid,
        gid: st.st_gid,
        nlink: st.st_nlink as u32,
        mtime: st.st_mtime as u64,
        size: if typ == libc::S_IFREG || typ == libc::S_IFLNK {
            st.st_size as u64
        } else {
            0
        },
        dev: (libc::major(st.st_dev), libc::minor(st.st_dev)),
        rdev: (libc::major(st.st_rdev), libc::minor(st.st_rdev)),
        check: 0,
    }
}

fn readlink(name: &[u8]) -> Result<Vec<u8>, i32> {
    let c = sys::cstr(name).ok_or(libc::EINVAL)?;
    let mut buf = vec![0u8; 4096];
    // SAFETY: buf has buf.len() writable bytes.
    let n = unsafe { libc::readlink(c.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        return Err(sys::errno());
    }
    buf.truncate(n as usize);
    Ok(buf)
}

/// Streams the data of the file `name` (exactly `h.size` bytes: a file that shrank is
/// padded with zeros, one that grew is cut, as the header already says how much follows),
/// through `buf` (one block, reused: a fresh 128 KiB buffer per file is an mmap and munmap
/// each under musl).
fn file_body(
    name: &[u8],
    h: &Header,
    buf: &mut [u8],
    sink: &mut dyn FnMut(&[u8]) -> Result<(), i32>,
) -> Result<(), i32> {
    if h.mode & IFMT == libc::S_IFLNK {
        let mut t = readlink(name)?;
        t.resize(h.size as usize, 0);
        return sink(&t);
    }
    if h.mode & IFMT != libc::S_IFREG || h.size == 0 {
        return Ok(());
    }
    let inp = crate::io::Input::open(OsStr::from_bytes(name))?;
    let mut left = h.size;
    while left > 0 {
        let want = (left as usize).min(buf.len());
        let n = match sys::read(inp.fd(), &mut buf[..want])? {
            0 => {
                buf[..want].fill(0);
                want
            }
            n => n,
        };
        sink(&buf[..n])?;
        left -= n as u64;
    }
    Ok(())
}

/// Output of -o: a block buffer flushed to the archive descriptor; file data is read
/// straight into it, so a small file costs open, read, close and no copy.
struct W {
    fd: i32,
    buf: Vec<u8>,
    /// How much of `buf` is filled.
    n: usize,
    off: u64,
}

impl W {
    fn put(&mut self, b: &[u8]) -> Result<(), i32> {
        self.off += b.len() as u64;
        if self.n + b.len() > self.buf.len() {
            self.flush()?;
            if b.len() >= self.buf.len() {
                return sys::write_all(self.fd, b);
            }
        }
        self.buf[self.n..self.n + b.len()].copy_from_slice(b);
        self.n += b.len();
        Ok(())
    }
    fn flush(&mut self) -> Result<(), i32> {
        let r = sys::write_all(self.fd, &self.buf[..self.n]);
        self.n = 0;
        r
    }
    fn header(&mut self, h: &Header, hb: &mut Vec<u8>) -> Result<(), i32> {
        hb.clear();
        newc_header(h, self.off, hb);
        self.put(hb)
    }
    /// A regular file's `size` bytes, read into the buffer. Err(Ok(e)): reading failed,
    /// Err(Err(e)): writing did.
    fn file(&mut self, name: &[u8], size: u64) -> Result<(), Result<i32, i32>> {
        // openat, not open: musl's open follows O_CLOEXEC with an fcntl, a system call a file.
        let c = sys::cstr(name).ok_or(Ok(libc::EINVAL))?;
        // SAFETY: c is NUL-terminated; the descriptor is closed by Fd's drop.
        let inp = Fd(unsafe {
            libc::openat(libc::AT_FDCWD, c.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC)
        });
        if inp.0 < 0 {
            return Err(Ok(sys::errno()));
        }
        let mut left = size;
        while left > 0 {
            if self.n == self.buf.len() {
                self.flush().map_err(Err)?;
            }
            let want = (left as usize).min(self.buf.len() - self.n);
            let dst = &mut self.buf[self.n..self.n + want];
            let got = match sys::read(inp.0, dst).map_err(Ok)? {
                0 => {
                    dst.fill(0);
                    want
                }
                k => k,
            };
            self.n += got;
            self.off += got as u64;
            left -= got as u64;
        }
        Ok(())
    }
    fn member(&mut self, h: &Header, name: &[u8], hb: &mut Vec<u8>) -> Result<(), Result<i32, i32>> {
        self.header(h, hb).map_err(Err)?;
        if h.size > 0 {
            if h.mode & IFMT == libc::S_IFREG {
                self.file(name, h.size)?;
            } else {
                let mut t = readlink(name).map_err(Ok)?;
                t.resize(h.size as usize, 0);
                self.put(&t).map_err(Err)?;
            }
            let pad = (4 - self.off % 4) % 4;
            self.put(&[0u8; 3][..pad as usize]).map_err(Err)?;
        }
        Ok(())
    }
}

fn create(cx: &mut Cx, o: &crate::args::Opts, file: Option<&OsStr>) -> Res {
    let fd = match file {
        Some(f) => {
            let c = sys::cstr(f.as_bytes()).ok_or(crate::Fail(1))?;
            // SAFETY: c is NUL-terminated.
            let fd = unsafe {
                libc::open(
                    c.as_ptr(),
                    libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC,
                    0o666,
                )
            };
            if fd < 0 {
                cx.err_open(f, sys::errno());
                return Err(crate::Fail(1));
            }
            Fd(fd)
        }
        None => Fd(-1),
    };
    cx.out.flush();
    let mut w = W {
        fd: if fd.0 >= 0 { fd.0 } else { 1 },
        buf: vec![0u8; crate::io::BLOCK],
        n: 0,
        off: 0,
    };
    let mut hb = Vec::with_capacity(256);
    let sep = if o.has(b'0') { 0 } else { b'\n' };
    let mut lines = crate::io::Lines::new(crate::io::Input::stdin());
    // Hard-link groups, held back until the end: (header, names), names newest first.
    let mut groups: Vec<(Header, Vec<Vec<u8>>)> = Vec::new();
    let mut inos: Vec<(u64, u64)> = Vec::new();
    let werr = |cx: &Cx, e: i32| cx.fail_no(b"write error", e);
    while let Some(name) = next_name(&mut lines, sep) {
        let name = &name[..];
        let st = match stat(name, o.has(b'L')) {
            Ok(st) => st,
            Err(e) => return Err(cx.fail_no(name, e)),
        };
        let mut h = header_of(name, &st);
        if o.has(2) {
            // --renumber-inodes: hard links keep sharing a number.
            let k = (st.st_dev, st.st_ino);
            h.ino = match inos.iter().position(|&x| x == k) {
                Some(i) => i as u64 + 1,
                None => {
                    inos.push(k);
                    inos.len() as u64
                }
            };
        }
        if o.has(1) {
            h.dev = (0, 0);
        }
        if h.mode & IFMT != libc::S_IFDIR && h.nlink > 1 {
            match groups.iter_mut().find(|g| g.0.ino == h.ino) {
                Some(g) => g.1.insert(0, name.to_vec()),
                None => groups.insert(0, (h, vec![name.to_vec()])),
            }
            continue;
        }
        match w.member(&h, name, &mut hb) {
            Ok(()) => {}
            Err(Ok(e)) => return Err(cx.fail_no(name, e)),
            Err(Err(e)) => return Err(werr(cx, e)),
        }
    }
    // Each group: every name but the last with no data, the data with the last.
    for (h, names) in groups {
        let n = names.len();
        for (i, name) in names.iter().enumerate() {
            let mut hh = h.clone();
            hh.name = name.clone();
            if i + 1 < n {
                hh.size = 0;
            }
            match w.member(&hh, name, &mut hb) {
                Ok(()) => {}
                Err(Ok(e)) => return Err(cx.fail_no(name, e)),
                Err(Err(e)) => return Err(werr(cx, e)),
            }
        }
    }
    let trailer = Header {
        format: Format::Newc,
        name: b"TRAILER!!!".to_vec(),
        ino: 0,
        mode: 0,
        uid: 0,
        gid: 0,
        nlink: 0,
        mtime: 0,
        size: 0,
        dev: (0, 0),
        rdev: (0, 0),
        check: 0,
    };
    w.header(&trailer, &mut hb).map_err(|e| werr(cx, e))?;
    w.flush().map_err(|e| werr(cx, e))?;
    Ok(0)
}

/// -p DIR: each named file made in DIR as if it came out of an archive.
fn pass(cx: &mut Cx, o: &crate::args::Opts, x: &mut X) -> Res {
    let sep = if o.has(b'0') { 0 } else { b'\n' };
    let mut lines = crate::io::Lines::new(crate::io::Input::stdin());
    let mut off: u64 = 0;
    let mut buf = vec![0u8; crate::io::BLOCK];
    while let Some(name) = next_name(&mut lines, sep) {
        let name = &name[..];
        let st = match stat(name, o.has(b'L')) {
            Ok(st) => st,
            Err(e) => {
                cx.err_no(name, e);
                x.status = 1;
                continue;
            }
        };
        let h = header_of(name, &st);
        off += (110 + name.len() as u64 + 1).next_multiple_of(4) + h.size.next_multiple_of(4);
        let mut body = |s: &mut dyn FnMut(&[u8]) -> Result<(), i32>| {
            file_body(name, &h, &mut buf, s).map_err(CpioErr::Read)
        };
        match x.member(cx, &h, &mut body) {
            Ok(()) => {}
            Err(CpioErr::Format) => x.status = 1,
            Err(e) => {
                cx.err(&[name, b": ", e.msg()]);
                x.status = 1;
            }
        }
    }
    x.finish(cx);
    cx.out.flush();
    blocks(off + 124);
    Ok(x.status)
}
