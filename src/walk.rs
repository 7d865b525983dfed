//! The shared tree walker for every recursive applet (`rm -r`, `chmod -R`, `find`, `du`,
//! later `cp -r`, `tar`, `grep -r`, `ls -R`): directory file descriptors and `*at` calls, so
//! a symlink swapped in mid-walk cannot redirect it.
//!
//! ```ignore
//! use rbox::walk::{Act, Follow, Kind, Walker};
//! let mut w = Walker::new(Follow::Never);
//! w.walk(b"some/dir", &mut |e| {
//!     match e.kind {
//!         Kind::Pre if e.depth >= 3 => return Act::Skip,   // prune: not read, no Post
//!         Kind::Pre | Kind::File => println!("{}", String::from_utf8_lossy(e.path)),
//!         Kind::Post => {
//!             // after the contents; e.dir is the parent's fd, e.cname the dir's name in it:
//!             // nix::unistd::unlinkat(Some(e.dir), e.cname, UnlinkatFlags::RemoveDir)
//!         }
//!         _ => eprintln!("{}: {}", String::from_utf8_lossy(e.path), e.err),
//!     }
//!     if let Ok(st) = e.stat() { let _ = st.st_size; }       // lstat/stat, lazily, cached
//!     Act::Continue
//! });
//! ```
//!
//! - Every directory is opened with `openat(parent, name, O_DIRECTORY|O_NOFOLLOW)` (no
//!   `O_NOFOLLOW` where symlinks are followed), read whole with `getdents64` into one name
//!   arena, then closed only after its entries are done: deleting entries while walking is
//!   safe, and no path is ever resolved from the root again.
//! - Order is the directory's own (as BusyBox's readdir walk), `.` and `..` skipped.
//! - `Follow::Never` (-P): nothing followed; `Follow::Roots` (-H): the roots only;
//!   `Follow::Always` (-L): every symlink. Under -L a directory whose (st_dev, st_ino) is one
//!   of its ancestors' is reported as `Kind::Loop` (with `ancestor`) and not descended; a
//!   dangling symlink is visited as itself (`File`, `dangling` set, `stat()` its lstat).
//! - `xdev`: a directory on another device than its root is visited (`Pre`) but not read.
//! - No allocation per entry: names live in the arena, the path in one growing buffer.
//!   `stat()` is lazy: a walk that only needs names and types (`find -name`) makes no
//!   stat calls at all, where the directory entry's type suffices.
//! - Errors go to the callback (`StatErr`, `OpenErr`, `ReadErr`, `Loop`, with `err` the
//!   errno) so applets keep BusyBox's messages and carry on.

use nix::fcntl::{openat, AtFlags, OFlag};
use nix::sys::stat::{fstat, fstatat, Mode};
use std::ffi::CStr;

/// Which symlinks the walk follows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Follow {
    /// -P: none.
    Never,
    /// -H: those named as roots.
    Roots,
    /// -L: all.
    Always,
}

/// What an entry's visit is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// A directory, before its contents (return `Act::Skip` to prune it).
    Pre,
    /// A directory, after its contents; `err` is set when they could not all be read.
    Post,
    /// Anything that is not walked into: files, devices, unfollowed symlinks.
    File,
    /// lstat/stat failed (a vanished entry, a dangling root); `err` says why.
    StatErr,
    /// A directory could not be opened (its `Pre` came first, its `Post` follows).
    OpenErr,
    /// Reading a directory failed part way (its `Post` follows).
    ReadErr,
    /// Under -L, a directory that is its own ancestor (`ancestor` is that one's path).
    Loop,
}

/// What the callback tells the walker.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Act {
    Continue,
    /// At `Pre`: do not read this directory (and no `Post` for it).
    Skip,
    /// End the whole walk now.
    Stop,
}

/// One visit.
pub struct Entry<'a> {
    pub kind: Kind,
    /// The parent directory's fd (AT_FDCWD for a root): for `*at` calls on `cname`.
    pub dir: i32,
    /// The name in `dir` (the whole path for a root).
    pub name: &'a [u8],
    pub cname: &'a CStr,
    /// The path from the root, as given plus `/name`s.
    pub path: &'a [u8],
    /// 0 for a root.
    pub depth: usize,
    /// The errno of an error kind (and of `Post` after an unreadable directory), else 0.
    pub err: i32,
    /// For `Loop`: the path of the ancestor it repeats.
    pub ancestor: &'a [u8],
    /// Under -L: a symlink whose target does not exist, visited as itself.
    pub dangling: bool,
    /// st_dev of this walk's root, when known (xdev, -L, or after the root's stat).
    pub root_dev: u64,
    dtype: u8,
    follow: bool,
    have: bool,
    st: libc::stat,
}

impl Entry<'_> {
    /// The entry's stat (lstat, or stat where symlinks are followed), made on first use.
    pub fn stat(&mut self) -> Result<&libc::stat, i32> {
        if !self.have {
            self.st = stat_at(self.dir, self.cname, self.follow)?;
            self.have = true;
        }
        Ok(&self.st)
    }

    /// The file type as `S_IFMT` bits, from the directory entry when it says, else a stat
    /// (0 if that fails).
    pub fn file_type(&mut self) -> u32 {
        if !self.have {
            let t = dtype_mode(self.dtype);
            if t != 0 {
                return t;
            }
        }
        self.stat().map_or(0, |s| s.st_mode & libc::S_IFMT)
    }

    /// Whether this entry is a directory that is (or was) walked into.
    pub fn is_dir(&self) -> bool {
        matches!(
            self.kind,
            Kind::Pre | Kind::Post | Kind::OpenErr | Kind::ReadErr
        )
    }
}

fn dtype_mode(t: u8) -> u32 {
    match t {
        libc::DT_REG => libc::S_IFREG,
        libc::DT_DIR => libc::S_IFDIR,
        libc::DT_LNK => libc::S_IFLNK,
        libc::DT_CHR => libc::S_IFCHR,
        libc::DT_BLK => libc::S_IFBLK,
        libc::DT_FIFO => libc::S_IFIFO,
        libc::DT_SOCK => libc::S_IFSOCK,
        _ => 0,
    }
}

fn mode_dtype(m: u32) -> u8 {
    match m & libc::S_IFMT {
        libc::S_IFREG => libc::DT_REG,
        libc::S_IFDIR => libc::DT_DIR,
        libc::S_IFLNK => libc::DT_LNK,
        libc::S_IFCHR => libc::DT_CHR,
        libc::S_IFBLK => libc::DT_BLK,
        libc::S_IFIFO => libc::DT_FIFO,
        libc::S_IFSOCK => libc::DT_SOCK,
        _ => libc::DT_UNKNOWN,
    }
}

/// fstatat(dir, name), following a final symlink or not.
pub fn stat_at(dir: i32, name: &CStr, follow: bool) -> Result<libc::stat, i32> {
    let flag = if follow {
        AtFlags::empty()
    } else {
        AtFlags::AT_SYMLINK_NOFOLLOW
    };
    fstatat(Some(dir), name, flag).map_err(|e| e as i32)
}

/// Opens directory `name` in `dir` for reading its entries; a symlink fails (ELOOP or
/// ENOTDIR) unless `follow`.
pub fn open_dir(dir: i32, name: &CStr, follow: bool) -> Result<i32, i32> {
    let mut fl = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC | OFlag::O_NONBLOCK;
    if !follow {
        fl |= OFlag::O_NOFOLLOW;
    }
    openat(Some(dir), name, fl, Mode::empty()).map_err(|e| e as i32)
}

/// One directory being walked.
struct Level {
    fd: i32,
    /// Its entries in the arena: `pos..end`; `start` is where they began.
    start: usize,
    pos: usize,
    end: usize,
    /// Its own name in the arena (in its parent's entries, or the root's copy).
    name: (usize, usize),
    path_len: usize,
    dev: u64,
    ino: u64,
    /// Whether dev and ino are known (a stat was made), so a closed level can be reopened.
    known: bool,
    err: i32,
}

/// Directories kept open at once: deeper levels close the oldest ancestors' descriptors and
/// reopen them through `..` on the way back, checked by device and inode, so a tree of any
/// depth needs no more than this many descriptors (and no path longer than PATH_MAX). Half
/// the descriptor limit when that is lower, leaving the rest to the applet.
const MAX_OPEN: usize = 256;

fn max_open() -> usize {
    // SAFETY: getrlimit fills the struct.
    let soft = unsafe {
        let mut r: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) == 0 {
            r.rlim_cur
        } else {
            1024
        }
    };
    usize::try_from(soft / 2)
        .unwrap_or(MAX_OPEN)
        .clamp(8, MAX_OPEN)
}

/// A reusable walker: its buffers serve every root and every walk.
pub struct Walker {
    pub follow: Follow,
    /// Do not read directories on another device than the root (`find -xdev`, `du -x`).
    pub xdev: bool,
    buf: Vec<u8>,
    arena: Vec<u8>,
    path: Vec<u8>,
    levels: Vec<Level>,
    max_open: usize,
}

const DENTS: usize = 32 * 1024;

impl Walker {
    pub fn new(follow: Follow) -> Walker {
        Walker {
            follow,
            xdev: false,
            buf: Vec::new(),
            arena: Vec::new(),
            path: Vec::new(),
            levels: Vec::new(),
            max_open: max_open(),
        }
    }

    /// Walks the tree at `root`, calling `f` for every visit. Returns false when the
    /// callback stopped it.
    pub fn walk(&mut self, root: &[u8], f: &mut dyn FnMut(&mut Entry) -> Act) -> bool {
        self.path.clear();
        self.path.extend_from_slice(root);
        self.arena.clear();
        self.arena.extend_from_slice(root);
        self.arena.push(0);
        let ok = self.run(root.len(), f);
        for l in self.levels.drain(..) {
            close(l.fd);
        }
        ok
    }

    fn entry<'a>(
        arena: &'a [u8],
        path: &'a [u8],
        name: (usize, usize),
        kind: Kind,
        dir: i32,
        depth: usize,
    ) -> Entry<'a> {
        let n = arena.get(name.0..name.1).unwrap_or_default();
        let c = arena
            .get(name.0..=name.1)
            .and_then(|b| CStr::from_bytes_with_nul(b).ok())
            .unwrap_or(c"");
        Entry {
            kind,
            dir,
            name: n,
            cname: c,
            path,
            depth,
            err: 0,
            ancestor: b"",
            dangling: false,
            root_dev: 0,
            dtype: 0,
            follow: false,
            have: false,
            // SAFETY: stat is plain data; all-zero is a valid value.
            st: unsafe { std::mem::zeroed() },
        }
    }

    fn run(&mut self, root_len: usize, f: &mut dyn FnMut(&mut Entry) -> Act) -> bool {
        let follow_root = self.follow != Follow::Never;
        // The root.
        let name = (0, root_len);
        let mut e = Self::entry(&self.arena, &self.path, name, Kind::File, libc::AT_FDCWD, 0);
        e.follow = follow_root;
        let st = match e.stat() {
            Ok(st) => *st,
            Err(err) => {
                e.kind = Kind::StatErr;
                e.err = err;
                return f(&mut e) != Act::Stop;
            }
        };
        e.root_dev = st.st_dev;
        let root_dev = st.st_dev;
        if st.st_mode & libc::S_IFMT != libc::S_IFDIR {
            return f(&mut e) != Act::Stop;
        }
        e.kind = Kind::Pre;
        match f(&mut e) {
            Act::Stop => return false,
            Act::Skip => return true,
            Act::Continue => {}
        }
        if !self.enter(
            libc::AT_FDCWD,
            name,
            0,
            follow_root,
            (&st, true),
            root_dev,
            f,
        ) {
            return false;
        }
        // The loop: the top level's next entry, or its Post when it is done.
        while let Some(top) = self.levels.last_mut() {
            if top.pos >= top.end {
                let Some(l) = self.levels.pop() else { break };
                if let Some(p) = self.levels.last_mut() {
                    if p.fd < 0 {
                        reopen_parent(l.fd, p);
                    }
                }
                close(l.fd);
                self.path.truncate(l.path_len);
                let parent = self.levels.last().map_or(libc::AT_FDCWD, |p| p.fd);
                let depth = self.levels.len();
                let mut e = Self::entry(&self.arena, &self.path, l.name, Kind::Post, parent, depth);
                e.follow = self.follow == Follow::Always || depth == 0 && follow_root;
                e.err = l.err;
                e.root_dev = root_dev;
                let act = f(&mut e);
                self.arena.truncate(l.start);
                if act == Act::Stop {
                    return false;
                }
                continue;
            }
            // Entry layout in the arena: type byte, name, NUL.
            let at = top.pos;
            let dtype = self.arena.get(at).copied().unwrap_or(0);
            let nstart = at + 1;
            let nend = match crate::bytes::memchr(0, self.arena.get(nstart..).unwrap_or_default()) {
                Some(i) => nstart + i,
                None => {
                    top.pos = top.end;
                    continue;
                }
            };
            top.pos = nend + 1;
            let (fd, plen) = (top.fd, top.path_len);
            let depth = self.levels.len();
            self.path.truncate(plen);
            if self.path.last() != Some(&b'/') {
                self.path.push(b'/');
            }
            self.path
                .extend_from_slice(self.arena.get(nstart..nend).unwrap_or_default());
            let follow = self.follow == Follow::Always;
            let name = (nstart, nend);
            let mut e = Self::entry(&self.arena, &self.path, name, Kind::File, fd, depth);
            e.follow = follow;
            e.dtype = dtype;
            e.root_dev = root_dev;
            // A stat is needed to know the type (DT_UNKNOWN), to follow a symlink, or for
            // the device and inode of a directory under -L or xdev.
            let need = dtype == libc::DT_UNKNOWN
                || follow && dtype == libc::DT_LNK
                || (follow || self.xdev) && dtype == libc::DT_DIR;
            if need {
                match e.stat() {
                    Ok(_) => {}
                    Err(err) if follow && err == libc::ENOENT && dtype != libc::DT_DIR => {
                        // Dangling: visited as the link itself, as BusyBox's find -L does.
                        e.follow = false;
                        if let Err(err) = e.stat() {
                            e.kind = Kind::StatErr;
                            e.err = err;
                        } else {
                            e.dangling = true;
                        }
                    }
                    Err(err) => {
                        e.kind = Kind::StatErr;
                        e.err = err;
                    }
                }
                if e.have {
                    e.dtype = mode_dtype(e.st.st_mode);
                }
            }
            if e.kind == Kind::StatErr || e.dtype != libc::DT_DIR {
                if f(&mut e) == Act::Stop {
                    return false;
                }
                continue;
            }
            let (st, known) = (e.st, e.have);
            if follow {
                let (dev, ino) = (st.st_dev, st.st_ino);
                if let Some(a) = self.levels.iter().find(|l| l.dev == dev && l.ino == ino) {
                    e.kind = Kind::Loop;
                    e.err = libc::ELOOP;
                    e.ancestor = self.path.get(..a.path_len).unwrap_or_default();
                    if f(&mut e) == Act::Stop {
                        return false;
                    }
                    continue;
                }
            }
            e.kind = Kind::Pre;
            match f(&mut e) {
                Act::Stop => return false,
                Act::Skip => continue,
                Act::Continue => {}
            }
            if self.xdev && st.st_dev != root_dev {
                continue;
            }
            if !self.enter(fd, name, depth, follow, (&st, known), root_dev, f) {
                return false;
            }
        }
        true
    }

    /// Opens and reads the directory whose Pre was just visited, pushing its level; on an
    /// open failure reports it and its Post. False when the callback stopped the walk.
    #[allow(clippy::too_many_arguments)]
    fn enter(
        &mut self,
        dir: i32,
        name: (usize, usize),
        depth: usize,
        follow: bool,
        (st, known): (&libc::stat, bool),
        root_dev: u64,
        f: &mut dyn FnMut(&mut Entry) -> Act,
    ) -> bool {
        let cname = self
            .arena
            .get(name.0..=name.1)
            .and_then(|b| CStr::from_bytes_with_nul(b).ok())
            .unwrap_or(c"");
        let fd = match open_dir(dir, cname, follow) {
            Ok(fd) => fd,
            Err(err) => {
                for kind in [Kind::OpenErr, Kind::Post] {
                    let mut e = Self::entry(&self.arena, &self.path, name, kind, dir, depth);
                    e.err = err;
                    e.follow = follow;
                    e.root_dev = root_dev;
                    if f(&mut e) == Act::Stop {
                        return false;
                    }
                }
                return true;
            }
        };
        let start = self.arena.len();
        let err = self.read_all(fd);
        let mut l = Level {
            fd,
            start,
            pos: start,
            end: self.arena.len(),
            name,
            path_len: self.path.len(),
            dev: st.st_dev,
            ino: st.st_ino,
            known,
            err,
        };
        if !known {
            // The Pre stat was lazy: under -L loops need the opened directory's identity
            // (a deep level gets it when its descriptor is closed).
            if follow {
                if let Ok(s) = fstat(fd) {
                    (l.dev, l.ino, l.known) = (s.st_dev, s.st_ino, true);
                }
            }
        }
        self.levels.push(l);
        let n = self.levels.len();
        if n > self.max_open {
            if let Some(old) = self.levels.get_mut(n - 1 - self.max_open) {
                if old.fd >= 0 {
                    if !old.known {
                        if let Ok(s) = fstat(old.fd) {
                            (old.dev, old.ino, old.known) = (s.st_dev, s.st_ino, true);
                        }
                    }
                    close(old.fd);
                    old.fd = -1;
                }
            }
        }
        if err != 0 {
            let mut e = Self::entry(&self.arena, &self.path, name, Kind::ReadErr, dir, depth);
            e.err = err;
            e.root_dev = root_dev;
            if f(&mut e) == Act::Stop {
                return false;
            }
        }
        true
    }

    /// Appends every entry of `fd` but `.` and `..` to the arena; the errno of a failed
    /// read, else 0.
    fn read_all(&mut self, fd: i32) -> i32 {
        read_entries(fd, &mut self.buf, &mut self.arena)
    }
}

/// The entries `read_entries` appended to `arena`: (d_type, name) each, in order.
pub fn entries(arena: &[u8]) -> impl Iterator<Item = (u8, &CStr)> {
    let mut rest = arena;
    std::iter::from_fn(move || {
        let (&t, r) = rest.split_first()?;
        let name = CStr::from_bytes_until_nul(r).ok()?;
        rest = r.get(name.to_bytes().len() + 1..).unwrap_or_default();
        Some((t, name))
    })
}

/// Appends every entry of directory `fd` but `.` and `..` to `arena` as the walker keeps
/// them (the d_type byte, the name, a NUL), reading through `buf` (grown to 32 KiB): for
/// applets that walk several trees in step (`diff -r`). The errno of a failed read, else 0.
pub fn read_entries(fd: i32, buf: &mut Vec<u8>, arena: &mut Vec<u8>) -> i32 {
    if buf.len() < DENTS {
        buf.resize(DENTS, 0);
    }
    loop {
        // SAFETY: buf is writable for its length; getdents64 writes at most that.
        let n = unsafe { libc::syscall(libc::SYS_getdents64, fd, buf.as_mut_ptr(), buf.len()) };
        if n < 0 {
            let e = crate::sys::errno();
            if e == libc::EINTR {
                continue;
            }
            return e;
        }
        if n == 0 {
            return 0;
        }
        let got = buf.get(..n as usize).unwrap_or_default();
        // struct linux_dirent64: u64 ino, i64 off, u16 reclen, u8 type, name NUL.
        let mut p = 0;
        while p + 19 < got.len() {
            let reclen = u16::from_ne_bytes([got[p + 16], got[p + 17]]) as usize;
            if reclen == 0 {
                break;
            }
            let dtype = got[p + 18];
            let rec = got.get(p + 19..p + reclen).unwrap_or_default();
            let nlen = crate::bytes::memchr(0, rec).unwrap_or(rec.len());
            let name = &rec[..nlen];
            if name != b"." && name != b".." && !name.is_empty() {
                arena.push(dtype);
                arena.extend_from_slice(name);
                arena.push(0);
            }
            p += reclen;
        }
    }
}

/// Reopens level `p` (whose descriptor was closed) as `..` of its child `child`, if that is
/// still the same directory; otherwise its remaining entries are given up (ESTALE).
fn reopen_parent(child: i32, p: &mut Level) {
    let fd = open_dir(child, c"..", false);
    if let Ok(fd) = fd {
        if p.known && fstat(fd).is_ok_and(|s| s.st_dev == p.dev && s.st_ino == p.ino) {
            p.fd = fd;
            return;
        }
        close(fd);
    }
    p.pos = p.end;
    p.err = libc::ESTALE;
}

/// Whether directory `name` in `dir` has no entries but `.` and `..` (`find -empty`).
pub fn is_empty_dir(dir: i32, name: &CStr, follow: bool) -> Result<bool, i32> {
    let fd = open_dir(dir, name, follow)?;
    let mut buf = [0u8; 1024];
    let mut empty = true;
    // SAFETY: buf is writable for its length; getdents64 writes at most that.
    let n = unsafe { libc::syscall(libc::SYS_getdents64, fd, buf.as_mut_ptr(), buf.len()) };
    let r = if n < 0 {
        Err(crate::sys::errno())
    } else {
        let got = buf.get(..n as usize).unwrap_or_default();
        let mut p = 0;
        while p + 19 < got.len() {
            let reclen = u16::from_ne_bytes([got[p + 16], got[p + 17]]) as usize;
            let rec = got.get(p + 19..p + reclen).unwrap_or_default();
            let name = &rec[..crate::bytes::memchr(0, rec).unwrap_or(rec.len())];
            if name != b"." && name != b".." {
                empty = false;
                break;
            }
            if reclen == 0 {
                break;
            }
            p += reclen;
        }
        Ok(empty)
    };
    close(fd);
    r
}

/// The message for a `Kind::Loop` entry, as GNU words it (BusyBox has none: it descends
/// until the path is too long).
pub fn report_loop(cx: &crate::Cx, e: &Entry) {
    cx.err(&[
        b"File system loop detected; '",
        e.path,
        b"' is part of the same file system loop as '",
        e.ancestor,
        b"'.",
    ]);
}

fn close(fd: i32) {
    let _ = nix::unistd::close(fd);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;
    use std::path::PathBuf;

    fn tmp(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("rbox-walk-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn events(w: &mut Walker, root: &std::path::Path, skip: &[u8]) -> Vec<String> {
        let mut v = Vec::new();
        let base = root.as_os_str().as_bytes().len();
        w.walk(root.as_os_str().as_bytes(), &mut |e| {
            let p = String::from_utf8_lossy(&e.path[base..]).into_owned();
            let k = match e.kind {
                Kind::Pre => "pre",
                Kind::Post => "post",
                Kind::File => "file",
                Kind::StatErr => "staterr",
                Kind::OpenErr => "openerr",
                Kind::ReadErr => "readerr",
                Kind::Loop => "loop",
            };
            v.push(format!("{k} {p}"));
            if e.kind == Kind::Pre && e.name == skip {
                return Act::Skip;
            }
            Act::Continue
        });
        v.sort();
        v
    }

    #[test]
    fn pre_post_files_and_prune() {
        let d = tmp("basic");
        std::fs::create_dir_all(d.join("a/b")).unwrap();
        std::fs::create_dir_all(d.join("c")).unwrap();
        std::fs::write(d.join("a/f"), "x").unwrap();
        std::fs::write(d.join("a/b/g"), "x").unwrap();
        std::fs::write(d.join("c/h"), "x").unwrap();
        std::os::unix::fs::symlink("../c", d.join("a/l")).unwrap();
        let mut w = Walker::new(Follow::Never);
        let ev = events(&mut w, &d, b"c");
        assert_eq!(
            ev,
            [
                "file /a/b/g",
                "file /a/f",
                "file /a/l",
                "post ",
                "post /a",
                "post /a/b",
                "pre ",
                "pre /a",
                "pre /a/b",
                "pre /c"
            ]
        );
        // -L follows a/l into c.
        let mut w = Walker::new(Follow::Always);
        let ev = events(&mut w, &d, b"");
        assert!(ev.contains(&"file /a/l/h".to_string()), "{ev:?}");
        assert!(ev.contains(&"post /a/l".to_string()));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn loops_dangling_and_errors() {
        let d = tmp("loop");
        std::fs::create_dir_all(d.join("a/b")).unwrap();
        std::os::unix::fs::symlink("..", d.join("a/b/up")).unwrap();
        std::os::unix::fs::symlink("nowhere", d.join("a/dang")).unwrap();
        let mut w = Walker::new(Follow::Always);
        let mut loops = Vec::new();
        let mut dangling = Vec::new();
        w.walk(d.as_os_str().as_bytes(), &mut |e| {
            if e.kind == Kind::Loop {
                loops.push((e.path.to_vec(), e.ancestor.to_vec()));
            }
            if e.dangling {
                assert_eq!(e.file_type(), libc::S_IFLNK);
                dangling.push(e.name.to_vec());
            }
            Act::Continue
        });
        let p = |s: &str| [d.as_os_str().as_bytes(), s.as_bytes()].concat();
        assert_eq!(loops, [(p("/a/b/up"), p("/a"))]);
        assert_eq!(dangling, [b"dang".to_vec()]);
        // A missing root is a StatErr; so is a dangling root under -H.
        let mut w = Walker::new(Follow::Roots);
        let mut k = Vec::new();
        w.walk(&p("/a/dang"), &mut |e| {
            k.push((e.kind, e.err));
            Act::Continue
        });
        assert_eq!(k, [(Kind::StatErr, libc::ENOENT)]);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn delete_in_post_order_and_stop() {
        let d = tmp("del");
        for i in 0..300 {
            std::fs::create_dir_all(d.join(format!("t/d{}/e", i % 7))).unwrap();
            std::fs::write(d.join(format!("t/d{}/f{i}", i % 7)), "").unwrap();
        }
        let mut w = Walker::new(Follow::Never);
        let root = d.join("t");
        let mut n = 0;
        w.walk(root.as_os_str().as_bytes(), &mut |e| {
            let flag = match e.kind {
                Kind::Post => libc::AT_REMOVEDIR,
                Kind::File => 0,
                _ => return Act::Continue,
            };
            n += 1;
            // SAFETY: e.dir is open and e.cname NUL-terminated during the callback.
            assert_eq!(unsafe { libc::unlinkat(e.dir, e.cname.as_ptr(), flag) }, 0);
            Act::Continue
        });
        assert_eq!(n, 300 + 7 * 2 + 1);
        assert!(!root.exists());
        // Stop ends it at once.
        std::fs::create_dir_all(d.join("s/x/y")).unwrap();
        let mut seen = 0;
        let r = w.walk(d.join("s").as_os_str().as_bytes(), &mut |_| {
            seen += 1;
            if seen == 2 {
                Act::Stop
            } else {
                Act::Continue
            }
        });
        assert!(!r);
        assert_eq!(seen, 2);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn lazy_stat_and_xdev() {
        let d = tmp("stat");
        std::fs::write(d.join("f"), "hello").unwrap();
        let mut w = Walker::new(Follow::Never);
        w.xdev = true;
        let mut sizes = Vec::new();
        w.walk(d.as_os_str().as_bytes(), &mut |e| {
            if e.kind == Kind::File {
                assert_eq!(e.file_type(), libc::S_IFREG);
                sizes.push(e.stat().map(|s| s.st_size).unwrap_or(-1));
                assert_ne!(e.root_dev, 0);
            }
            Act::Continue
        });
        assert_eq!(sizes, [5]);
        // A trailing slash on the root gives no double slash.
        let mut paths = Vec::new();
        let mut root = d.as_os_str().as_bytes().to_vec();
        root.push(b'/');
        w.walk(&root, &mut |e| {
            paths.push(e.path.to_vec());
            Act::Continue
        });
        assert!(paths.contains(&[&root[..], b"f"].concat()));
        std::fs::remove_dir_all(&d).unwrap();
    }
}
