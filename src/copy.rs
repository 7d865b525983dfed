//! The copy engine of `cp`, `mv` and `install` (BusyBox's copy_file), race-free: below the
//! roots every source entry is reached with `*at` calls from its directory's descriptor
//! (O_NOFOLLOW unless following symlinks) and every target is made with `mkdirat`/`openat`
//! (O_EXCL) in its own directory's descriptor, so a symlink swapped in mid-copy cannot send
//! it elsewhere.
//!
//! ```text
//! let mut c = Copier::new(Opts { recurse: true, preserve: true, ..Opts::default() });
//! let ok = c.copy(cx, b"src", b"dst");          // reports its own errors
//! ```
//! - Data: `copy_file_range` (in-kernel, reflinks where the filesystem has them), falling
//!   back to 128 KiB read/write; a sparse file (fewer blocks than its size) is copied extent
//!   by extent with SEEK_DATA/SEEK_HOLE, so its holes stay holes.
//! - An existing target file is never truncated in place: the copy goes to a temporary name
//!   beside it and is renamed over it at the end, so a failed copy (full disk) leaves the
//!   old file, and a `cp a a` through another name cannot destroy `a`. A new target that
//!   fails part way is removed.
//! - Hard links are kept when symlinks are not followed (BusyBox's rule), directories this
//!   run created are never copied into themselves, and under -L a directory that is its own
//!   ancestor is reported instead of copied until ELOOP.

use crate::walk::{stat_at, Act, Follow, Kind, Walker};
use crate::{inodes::Inodes, paths, sys, Cx};
use std::ffi::{CStr, CString};

/// Which symlinks are followed.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub enum Deref {
    /// -P/-d (and the default with -R): none.
    #[default]
    Never,
    /// -H: those named on the command line.
    Roots,
    /// -L (and the default without -R): all.
    Always,
}

/// What to do; field names follow cp's options.
#[derive(Clone, Copy, Default, Debug)]
pub struct Opts {
    pub recurse: bool,
    pub deref: Deref,
    /// Mode, owner and times (-p).
    pub preserve: bool,
    /// Replace an existing link or special file (-f); a regular file is always replaced.
    pub force: bool,
    pub interactive: bool,
    pub no_clobber: bool,
    pub update: bool,
    pub verbose: bool,
    /// 0, b'l' (hard links) or b's' (symlinks) instead of copies.
    pub link: u8,
}

extern "C" {
    fn mknodat(dirfd: i32, path: *const libc::c_char, mode: libc::mode_t, dev: libc::dev_t) -> i32;
}

pub struct Copier {
    pub o: Opts,
    umask: u32,
    /// (dev, ino) of source files with several links -> the first copy's path in `paths`.
    links: Inodes,
    paths: Vec<Vec<u8>>,
    /// (dev, ino) of directories this run made: never copied into themselves.
    made: Inodes,
    buf: Vec<u8>,
    /// While copying to a temporary: (the target path shown, the temporary's real path),
    /// so hard links are made to where the first copy really is.
    real: Option<(Vec<u8>, Vec<u8>)>,
}

struct Fd(i32);

impl Drop for Fd {
    fn drop(&mut self) {
        // SAFETY: we own the descriptor.
        unsafe { libc::close(self.0) };
    }
}

fn id(st: &libc::stat) -> (u64, u64) {
    (st.st_dev, st.st_ino)
}

fn fmt(st: &libc::stat) -> u32 {
    st.st_mode & libc::S_IFMT
}

/// Asks `APPLET: overwrite 'PATH'? ` on stderr; true for an answer starting with y or Y.
pub fn ask(cx: &Cx, path: &[u8]) -> bool {
    let m = [cx.name.as_bytes(), b": overwrite '", path, b"'? "].concat();
    let _ = sys::write_all(2, &m);
    let mut first = 0u8;
    let mut n = 0;
    let mut c = [0u8; 1];
    while let Ok(1) = sys::read(0, &mut c) {
        if n == 0 {
            first = c[0];
        }
        n += 1;
        if c[0] == b'\n' {
            break;
        }
    }
    first == b'y' || first == b'Y'
}

/// The process umask, read without leaving it changed.
fn umask() -> u32 {
    // SAFETY: umask only swaps the mask; it is put back at once.
    unsafe {
        let m = libc::umask(0o22);
        libc::umask(m);
        m
    }
}

/// A name for a temporary beside `name` (`DIR/.NAME.XXXXXX`), or None when it would be too
/// long.
fn tmp_name(name: &[u8]) -> Option<CString> {
    let cut = name.iter().rposition(|&c| c == b'/').map_or(0, |i| i + 1);
    let (dir, name) = name.split_at(cut);
    if name.len() > 240 {
        return None;
    }
    let mut r = [0u8; 6];
    // SAFETY: r is writable for its length.
    unsafe { libc::getrandom(r.as_mut_ptr().cast(), r.len(), 0) };
    let mut v = Vec::with_capacity(dir.len() + name.len() + 8);
    v.extend_from_slice(dir);
    v.push(b'.');
    v.extend_from_slice(name);
    v.push(b'.');
    for b in r {
        v.push(b"abcdefghijklmnopqrstuvwxyz0123456789"[b as usize % 36]);
    }
    CString::new(v).ok()
}

/// Removes `name` in `dfd` and, if it is a directory, everything under it, never following
/// a symlink. Best effort: the first errno is returned.
pub fn remove_at(dfd: i32, name: &CStr) -> Result<(), i32> {
    remove_in(dfd, name, &mut Vec::new())
}

/// `remove_at` with one getdents buffer for the whole tree.
fn remove_in(dfd: i32, name: &CStr, buf: &mut Vec<u8>) -> Result<(), i32> {
    // SAFETY: name is NUL-terminated.
    if unsafe { libc::unlinkat(dfd, name.as_ptr(), 0) } == 0 {
        return Ok(());
    }
    let e = sys::errno();
    if e != libc::EISDIR && e != libc::EPERM {
        return Err(e);
    }
    let d = Fd(open_dir(dfd, name, false)?);
    // The entries as the walker reads them (getdents64): type byte, name, NUL each.
    let mut names = Vec::new();
    let mut first = match crate::walk::read_entries(d.0, buf, &mut names) {
        0 => Ok(()),
        e => Err(e),
    };
    for (_, n) in crate::walk::entries(&names) {
        if let Err(e) = remove_in(d.0, n, buf) {
            first = first.and(Err(e));
        }
    }
    drop(d);
    // SAFETY: name is NUL-terminated.
    if unsafe { libc::unlinkat(dfd, name.as_ptr(), libc::AT_REMOVEDIR) } != 0 {
        first = first.and(Err(sys::errno()));
    }
    first
}

impl Copier {
    pub fn new(o: Opts) -> Copier {
        Copier {
            o,
            umask: umask(),
            links: Inodes::new(),
            paths: Vec::new(),
            made: Inodes::new(),
            buf: Vec::new(),
            real: None,
        }
    }

    /// Copies `src` to `dst` (paths from the current directory), reporting errors as
    /// BusyBox's cp does; false if anything failed.
    pub fn copy(&mut self, cx: &Cx, src: &[u8], dst: &[u8]) -> bool {
        let follow = self.o.deref != Deref::Never;
        // A target named on the command line that is a symlink is written through, as
        // POSIX and BusyBox do (into what it points to, made if missing); the same-file check
        // then sees through it too, where BusyBox truncates the source. Inside a tree a
        // symlink in the target is replaced instead, never followed.
        let mut real = None;
        if self.o.link == 0 && paths::stat(dst, false).is_ok_and(|l| paths::is_link(&l)) {
            let k = paths::stat(src, follow).map_or(0, |s| fmt(&s));
            if k == libc::S_IFREG
                || (!self.o.recurse && k != libc::S_IFDIR && k != libc::S_IFLNK && k != 0)
            {
                real = paths::canonical(dst, paths::Canon::Parent).ok();
            }
        }
        let (Some(s), Some(d)) = (sys::cstr(src), sys::cstr(real.as_deref().unwrap_or(dst))) else {
            cx.err(&[b"can't stat '", src, b"': ", sys::strerror(libc::EINVAL)]);
            return false;
        };
        self.copy_at(
            cx,
            libc::AT_FDCWD,
            &s,
            src,
            follow,
            libc::AT_FDCWD,
            &d,
            dst,
            None,
        )
    }

    /// Copies `src` to a temporary beside `dst`, then renames it over `dst`; on failure
    /// the partial copy is removed. `mv` across filesystems: nothing already at `dst` is
    /// lost when the copy fails. Err is the rename's errno (the copy reports its own).
    pub fn copy_replacing(&mut self, cx: &Cx, src: &[u8], dst: &[u8]) -> Result<bool, i32> {
        let (parent, base) = split(dst);
        let pfd = open_dir(
            libc::AT_FDCWD,
            &sys::cstr(parent).ok_or(libc::EINVAL)?,
            true,
        )?;
        let pfd = Fd(pfd);
        let tmp = tmp_name(base).ok_or(libc::ENAMETOOLONG)?;
        let s = sys::cstr(src).ok_or(libc::EINVAL)?;
        self.real = Some((dst.to_vec(), paths::join(parent, tmp.to_bytes())));
        if !self.copy_at(cx, libc::AT_FDCWD, &s, src, false, pfd.0, &tmp, dst, None) {
            let _ = remove_at(pfd.0, &tmp);
            return Ok(false);
        }
        let d = sys::cstr(base).ok_or(libc::EINVAL)?;
        // SAFETY: both names are NUL-terminated, pfd is open.
        if unsafe { libc::renameat(pfd.0, tmp.as_ptr(), pfd.0, d.as_ptr()) } != 0 {
            let e = sys::errno();
            let _ = remove_at(pfd.0, &tmp);
            return Err(e);
        }
        Ok(true)
    }

    /// One entry: `sname` in `sfd` (shown as `spath`) to `dname` in `dfd` (shown as
    /// `dpath`). `fresh`: the target directory was just made, so `dname` cannot exist yet.
    #[allow(clippy::too_many_arguments)]
    fn copy_at(
        &mut self,
        cx: &Cx,
        sfd: i32,
        sname: &CStr,
        spath: &[u8],
        follow: bool,
        dfd: i32,
        dname: &CStr,
        dpath: &[u8],
        fresh: Option<()>,
    ) -> bool {
        let st = match stat_at(sfd, sname, follow) {
            Ok(s) => s,
            Err(e) => {
                cx.err_path(b"can't stat", spath, e);
                return false;
            }
        };
        let dst = if fresh.is_some() {
            None
        } else {
            match stat_at(dfd, dname, false) {
                Ok(d) => Some(d),
                Err(libc::ENOENT) => None,
                Err(e) => {
                    cx.err_path(b"can't stat", dpath, e);
                    return false;
                }
            }
        };
        if let Some(d) = &dst {
            if id(d) == id(&st) {
                cx.err(&[b"'", spath, b"' and '", dpath, b"' are the same file"]);
                return false;
            }
            if self.o.no_clobber {
                return true;
            }
        }
        let kind = fmt(&st);
        if kind == libc::S_IFDIR {
            // Only roots get here: the walker visits the directories below them itself.
            return self.copy_tree(cx, spath, dfd, dname, dpath, dst.as_ref());
        }
        if let Some(d) = &dst {
            if self.o.update && st.st_mtime <= d.st_mtime {
                return true;
            }
            if self.o.interactive && !ask(cx, dpath) {
                return true;
            }
        }
        // BusyBox makes a link or a special file over an existing one only with -f or -i.
        let nonfile = self.o.link != 0
            || (kind != libc::S_IFREG && (self.o.recurse || kind == libc::S_IFLNK));
        if dst.is_some() && nonfile && !self.o.force && !self.o.interactive {
            cx.err_path(b"can't create", dpath, libc::EEXIST);
            return false;
        }
        if self.o.link != 0 {
            return self.make_link(cx, sfd, sname, spath, dfd, dname, dpath, dst.is_some());
        }
        let keep_links = self.o.deref == Deref::Never;
        if kind == libc::S_IFREG || (!self.o.recurse && kind != libc::S_IFLNK) {
            if keep_links && kind == libc::S_IFREG && st.st_nlink > 1 {
                if let Some(i) = self.links.get(st.st_dev, st.st_ino) {
                    let first = self.paths.get(i as usize).cloned().unwrap_or_default();
                    return self.hard_link(cx, &first, dfd, dname, dpath, dst.is_some());
                }
                let real = match &self.real {
                    Some((shown, real)) => {
                        [&real[..], dpath.get(shown.len()..).unwrap_or_default()].concat()
                    }
                    None => dpath.to_vec(),
                };
                if let Ok(i) = u32::try_from(self.paths.len()) {
                    self.links.insert(st.st_dev, st.st_ino, i);
                    self.paths.push(real);
                }
            }
            return self.copy_file(cx, sfd, sname, spath, &st, dfd, dname, dpath, dst.is_some());
        }
        // A symlink or a special file: made anew, replacing what is there.
        if dst.is_some() {
            // SAFETY: dname is NUL-terminated.
            unsafe { libc::unlinkat(dfd, dname.as_ptr(), 0) };
        }
        if kind == libc::S_IFLNK {
            let target = match readlink_at(sfd, sname) {
                Ok(t) => t,
                Err(e) => {
                    cx.err_path(b"can't read link", spath, e);
                    return false;
                }
            };
            let Some(t) = sys::cstr(&target) else {
                return false;
            };
            // SAFETY: both are NUL-terminated.
            if unsafe { libc::symlinkat(t.as_ptr(), dfd, dname.as_ptr()) } != 0 {
                let e = sys::errno();
                cx.err(&[
                    b"can't create symlink '",
                    dpath,
                    b"' to '",
                    &target,
                    b"': ",
                    sys::strerror(e),
                ]);
                return false;
            }
            if self.o.preserve {
                // SAFETY: as above; the link itself, not its target.
                unsafe {
                    if libc::fchownat(
                        dfd,
                        dname.as_ptr(),
                        st.st_uid,
                        st.st_gid,
                        libc::AT_SYMLINK_NOFOLLOW,
                    ) != 0
                    {
                        cx.err_path(b"can't preserve ownership of", dpath, sys::errno());
                    }
                    let ts = times(&st);
                    libc::utimensat(dfd, dname.as_ptr(), ts.as_ptr(), libc::AT_SYMLINK_NOFOLLOW);
                }
            }
            // BusyBox's -v is silent about symlinks.
            return true;
        }
        if matches!(
            kind,
            libc::S_IFBLK | libc::S_IFCHR | libc::S_IFSOCK | libc::S_IFIFO
        ) {
            // SAFETY: dname is NUL-terminated.
            if unsafe { mknodat(dfd, dname.as_ptr(), st.st_mode, st.st_rdev) } != 0 {
                cx.err_path(b"can't create", dpath, sys::errno());
                return false;
            }
            self.preserve_at(cx, dfd, dname, dpath, &st);
            self.verbose(cx, spath, dpath);
            return true;
        }
        let mut m = [0u8; 8];
        let m = hex(st.st_mode, &mut m);
        cx.err(&[b"unrecognized file '", spath, b"' with mode ", m]);
        false
    }

    fn verbose(&mut self, cx: &Cx, spath: &[u8], dpath: &[u8]) {
        if self.o.verbose {
            let m = [b"'", spath, b"' -> '", dpath, b"'\n"].concat();
            // Straight to fd 1: cp's only output, and it must come out in order with errors.
            let _ = sys::write_all(1, &m);
            let _ = cx;
        }
    }

    /// Mode, owner and times by name (special files).
    fn preserve_at(&self, cx: &Cx, dfd: i32, dname: &CStr, dpath: &[u8], st: &libc::stat) {
        if self.o.preserve {
            self.preserve(cx, -1, dfd, dname, dpath, st);
        }
    }

    /// Mode, owner and times through an open descriptor.
    fn preserve_fd(&self, cx: &Cx, fd: i32, dpath: &[u8], st: &libc::stat) {
        self.preserve(cx, fd, libc::AT_FDCWD, c"", dpath, st);
    }

    /// Mode, owner and times: through `fd`, or when it is -1 by name (`dname` in `dfd`).
    fn preserve(&self, cx: &Cx, fd: i32, dfd: i32, dname: &CStr, dpath: &[u8], st: &libc::stat) {
        let ts = times(st);
        let mut mode = st.st_mode & 0o7777;
        let (n, by_fd) = (dname.as_ptr(), fd >= 0);
        // SAFETY: fd is open or dname NUL-terminated; ts two valid timespecs.
        unsafe {
            let r = if by_fd {
                libc::futimens(fd, ts.as_ptr())
            } else {
                libc::utimensat(dfd, n, ts.as_ptr(), 0)
            };
            if r != 0 {
                cx.err_path(b"can't preserve times of", dpath, sys::errno());
            }
            let r = if by_fd {
                libc::fchown(fd, st.st_uid, st.st_gid)
            } else {
                libc::fchownat(dfd, n, st.st_uid, st.st_gid, 0)
            };
            if r != 0 {
                mode &= !(libc::S_ISUID | libc::S_ISGID);
                cx.err_path(b"can't preserve ownership of", dpath, sys::errno());
            }
            let r = if by_fd {
                libc::fchmod(fd, mode)
            } else {
                libc::fchmodat(dfd, n, mode, 0)
            };
            if r != 0 {
                cx.err_path(b"can't preserve permissions of", dpath, sys::errno());
            }
        }
    }

    /// Makes (or checks) the target directory `dname` in `dfd` for source directory `st`,
    /// and opens it: (its fd, whether this run made it). None after reporting an error.
    #[allow(clippy::too_many_arguments)]
    fn enter_dir(
        &mut self,
        cx: &Cx,
        spath: &[u8],
        st: &libc::stat,
        dfd: i32,
        dname: &CStr,
        dpath: &[u8],
        dst: Option<&libc::stat>,
    ) -> Option<(i32, bool)> {
        if self.made.get(st.st_dev, st.st_ino).is_some() {
            cx.err(&[b"recursion detected, omitting directory '", spath, b"'"]);
            return None;
        }
        let created = match dst {
            Some(d) if fmt(d) != libc::S_IFDIR => {
                cx.err(&[b"target '", dpath, b"' is not a directory"]);
                return None;
            }
            Some(_) => false,
            None => {
                let mut mode = st.st_mode & 0o7777;
                if !self.o.preserve {
                    mode &= !self.umask;
                }
                // SAFETY: dname is NUL-terminated. The owner may enter it while we fill it.
                if unsafe { libc::mkdirat(dfd, dname.as_ptr(), mode | libc::S_IRWXU) } != 0 {
                    cx.err_path(b"can't create directory", dpath, sys::errno());
                    return None;
                }
                true
            }
        };
        match open_dir(dfd, dname, false) {
            Ok(fd) => {
                if let Ok(d) = paths::fstat(fd) {
                    self.made.insert(d.st_dev, d.st_ino, 0);
                }
                Some((fd, created))
            }
            Err(e) => {
                cx.err_path(b"can't stat", dpath, e);
                None
            }
        }
    }

    /// After a directory's contents: its mode (and with -p owner and times), -v's line.
    fn leave_dir(
        &mut self,
        cx: &Cx,
        fd: i32,
        created: bool,
        spath: &[u8],
        dpath: &[u8],
        st: &libc::stat,
    ) {
        if self.o.preserve {
            self.preserve_fd(cx, fd, dpath, st);
        } else if created {
            let m = st.st_mode & 0o7777 & !self.umask;
            // Only when mkdir could not give it: owner rights added for the copy, set-id bits.
            if m & libc::S_IRWXU != libc::S_IRWXU || m & 0o7000 != 0 {
                // SAFETY: fd is open.
                unsafe { libc::fchmod(fd, m) };
            }
        }
        self.verbose(cx, spath, dpath);
    }

    /// A directory tree, walked with the shared walker (`walk.rs`: every directory read
    /// whole through its descriptor before its entries are visited, so what this copy adds
    /// inside the source is not seen as source). `sname` is the root's path; the target
    /// directory is `dname` in `dfd`, shown as `dpath`.
    #[allow(clippy::too_many_arguments)]
    fn copy_tree(
        &mut self,
        cx: &Cx,
        spath: &[u8],
        dfd: i32,
        dname: &CStr,
        dpath: &[u8],
        dst: Option<&libc::stat>,
    ) -> bool {
        if !self.o.recurse {
            cx.err(&[b"omitting directory '", spath, b"'"]);
            return false;
        }
        let follow = match self.o.deref {
            Deref::Never => Follow::Never,
            Deref::Roots => Follow::Roots,
            Deref::Always => Follow::Always,
        };
        // Open target directories: (fd, made by us, the source's stat, spath length).
        let mut stack: Vec<(i32, bool, libc::stat)> = Vec::new();
        let mut ok = true;
        let mut dp = dpath.to_vec();
        let root_len = spath.len();
        let mut w = Walker::new(follow);
        let entry_follow = self.o.deref == Deref::Always;
        w.walk(spath, &mut |e| {
            // The target path: dpath plus what the source path has below the root.
            dp.truncate(dpath.len());
            if e.depth > 0 {
                dp.extend_from_slice(e.path.get(root_len..).unwrap_or_default());
            }
            match e.kind {
                Kind::Pre => {
                    let s = match e.stat() {
                        Ok(s) => *s,
                        Err(err) => {
                            cx.err_path(b"can't stat", e.path, err);
                            ok = false;
                            return Act::Skip;
                        }
                    };
                    let (pfd, name, fresh) = match stack.last() {
                        None => (dfd, dname, false),
                        Some(&(fd, made, _)) => (fd, e.cname, made),
                    };
                    let d = if e.depth == 0 {
                        dst.copied()
                    } else if fresh {
                        None
                    } else {
                        match stat_at(pfd, name, false) {
                            Ok(d) => Some(d),
                            Err(libc::ENOENT) => None,
                            Err(err) => {
                                cx.err_path(b"can't stat", &dp, err);
                                ok = false;
                                return Act::Skip;
                            }
                        }
                    };
                    if e.depth > 0
                        && d.is_some()
                        && self.o.no_clobber
                        && d.is_some_and(|d| fmt(&d) != libc::S_IFDIR)
                    {
                        return Act::Skip;
                    }
                    match self.enter_dir(cx, e.path, &s, pfd, name, &dp, d.as_ref()) {
                        Some((fd, made)) => {
                            stack.push((fd, made, s));
                            Act::Continue
                        }
                        None => {
                            ok = false;
                            Act::Skip
                        }
                    }
                }
                Kind::Post => {
                    if let Some((fd, made, s)) = stack.pop() {
                        self.leave_dir(cx, fd, made, e.path, &dp, &s);
                        // SAFETY: we opened fd in enter_dir.
                        unsafe { libc::close(fd) };
                    }
                    if e.err != 0 {
                        ok = false;
                    }
                    Act::Continue
                }
                Kind::File => {
                    let Some(&(fd, made, _)) = stack.last() else {
                        return Act::Continue;
                    };
                    let fresh = made.then_some(());
                    if !self.copy_at(
                        cx,
                        e.dir,
                        e.cname,
                        e.path,
                        entry_follow || e.depth == 0,
                        fd,
                        e.cname,
                        &dp,
                        fresh,
                    ) {
                        ok = false;
                    }
                    Act::Continue
                }
                Kind::Loop => {
                    cx.err(&[b"recursion detected, omitting directory '", e.path, b"'"]);
                    ok = false;
                    Act::Continue
                }
                Kind::StatErr => {
                    cx.err_path(b"can't stat", e.path, e.err);
                    ok = false;
                    Act::Continue
                }
                Kind::OpenErr | Kind::ReadErr => {
                    cx.err_path(b"can't open", e.path, e.err);
                    ok = false;
                    Act::Continue
                }
            }
        });
        for (fd, ..) in stack {
            // SAFETY: only what a Post did not close.
            unsafe { libc::close(fd) };
        }
        ok
    }

    #[allow(clippy::too_many_arguments)]
    fn make_link(
        &mut self,
        cx: &Cx,
        sfd: i32,
        sname: &CStr,
        spath: &[u8],
        dfd: i32,
        dname: &CStr,
        dpath: &[u8],
        exists: bool,
    ) -> bool {
        let run = || -> i32 {
            // SAFETY: names are NUL-terminated.
            unsafe {
                if self.o.link == b's' {
                    // A symlink's text is the source path as given.
                    match sys::cstr(spath) {
                        Some(t) => libc::symlinkat(t.as_ptr(), dfd, dname.as_ptr()),
                        None => -1,
                    }
                } else {
                    libc::linkat(sfd, sname.as_ptr(), dfd, dname.as_ptr(), 0)
                }
            }
        };
        if run() != 0 {
            let e = sys::errno();
            if !(exists || e == libc::EEXIST) {
                cx.err_path(b"can't create link", dpath, e);
                return false;
            }
            // SAFETY: dname is NUL-terminated.
            unsafe { libc::unlinkat(dfd, dname.as_ptr(), 0) };
            if run() != 0 {
                cx.err_path(b"can't create link", dpath, sys::errno());
                return false;
            }
        }
        true
    }

    fn hard_link(
        &mut self,
        cx: &Cx,
        first: &[u8],
        dfd: i32,
        dname: &CStr,
        dpath: &[u8],
        exists: bool,
    ) -> bool {
        let Some(f) = sys::cstr(first) else {
            return false;
        };
        // SAFETY: names are NUL-terminated.
        let link = || unsafe { libc::linkat(libc::AT_FDCWD, f.as_ptr(), dfd, dname.as_ptr(), 0) };
        if link() != 0 {
            if exists || sys::errno() == libc::EEXIST {
                // SAFETY: as above.
                unsafe { libc::unlinkat(dfd, dname.as_ptr(), 0) };
                if link() == 0 {
                    return true;
                }
            }
            cx.err_path(b"can't create link", dpath, sys::errno());
            return false;
        }
        true
    }

    #[allow(clippy::too_many_arguments)]
    fn copy_file(
        &mut self,
        cx: &Cx,
        sfd: i32,
        sname: &CStr,
        spath: &[u8],
        st: &libc::stat,
        dfd: i32,
        dname: &CStr,
        dpath: &[u8],
        exists: bool,
    ) -> bool {
        let nofollow = if self.o.deref == Deref::Never {
            libc::O_NOFOLLOW
        } else {
            0
        };
        // SAFETY: sname is NUL-terminated; Fd closes it.
        let src = unsafe {
            libc::openat(
                sfd,
                sname.as_ptr(),
                libc::O_RDONLY | libc::O_CLOEXEC | nofollow,
            )
        };
        if src < 0 {
            cx.err_open(
                std::os::unix::ffi::OsStrExt::from_bytes(spath),
                sys::errno(),
            );
            return false;
        }
        let src = Fd(src);
        let mode = if fmt(st) == libc::S_IFREG {
            st.st_mode & 0o7777
        } else {
            0o666
        };
        // An existing target is replaced by rename at the end, never truncated in place.
        let tmp = if exists {
            tmp_name(dname.to_bytes())
        } else {
            None
        };
        let name: &CStr = tmp.as_deref().unwrap_or(dname);
        if exists && tmp.is_none() {
            // SAFETY: dname is NUL-terminated.
            unsafe { libc::unlinkat(dfd, dname.as_ptr(), 0) };
        }
        let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_CLOEXEC;
        // SAFETY: name is NUL-terminated; Fd closes it.
        let out = unsafe { libc::openat(dfd, name.as_ptr(), flags, mode) };
        if out < 0 {
            cx.err_path(b"can't create", dpath, sys::errno());
            return false;
        }
        let out = Fd(out);
        let r = self.data(src.0, out.0, st);
        let mut ok = match r {
            Ok(()) => true,
            Err((w, e)) => {
                cx.err_no(if w { b"write error" } else { b"read error" }, e);
                false
            }
        };
        if ok && fmt(st) == libc::S_IFREG && self.o.preserve {
            self.preserve_fd(cx, out.0, dpath, st);
        }
        // SAFETY: we own the descriptor; Fd must not close it again.
        let c = unsafe { libc::close(out.0) };
        std::mem::forget(out);
        if ok && c != 0 {
            cx.err_path(b"error writing to", dpath, sys::errno());
            ok = false;
        }
        if !ok {
            // SAFETY: name is NUL-terminated.
            unsafe { libc::unlinkat(dfd, name.as_ptr(), 0) };
            return false;
        }
        if let Some(t) = &tmp {
            // SAFETY: both names are NUL-terminated.
            if unsafe { libc::renameat(dfd, t.as_ptr(), dfd, dname.as_ptr()) } != 0 {
                let e = sys::errno();
                // SAFETY: as above.
                unsafe { libc::unlinkat(dfd, t.as_ptr(), 0) };
                cx.err_path(b"can't create", dpath, e);
                return false;
            }
        }
        if fmt(st) == libc::S_IFREG {
            self.verbose(cx, spath, dpath);
        }
        true
    }

    /// Copies the data; Err((is_write, errno)).
    fn data(&mut self, src: i32, dst: i32, st: &libc::stat) -> Result<(), (bool, i32)> {
        let size = st.st_size as u64;
        if fmt(st) != libc::S_IFREG || size == 0 {
            // Pipes, devices and /proc files whose size says nothing: read to the end.
            return self.rw(src, dst, 0, u64::MAX, false);
        }
        // Sparse: only the data extents, the holes left as holes.
        if (st.st_blocks as u64).saturating_mul(512) < size {
            let mut off: i64 = 0;
            loop {
                // SAFETY: src is open.
                let data = unsafe { libc::lseek(src, off, libc::SEEK_DATA) };
                if data < 0 {
                    let e = sys::errno();
                    if e == libc::ENXIO {
                        break; // no data past off
                    }
                    if off == 0 {
                        return self.range(src, dst, 0, size); // SEEK_DATA unsupported
                    }
                    return Err((false, e));
                }
                // SAFETY: src is open.
                let hole = unsafe { libc::lseek(src, data, libc::SEEK_HOLE) };
                if hole < 0 {
                    return Err((false, sys::errno()));
                }
                self.range(src, dst, data as u64, (hole - data) as u64)?;
                off = hole;
            }
            // SAFETY: dst is open; the trailing hole.
            if unsafe { libc::ftruncate(dst, size as i64) } != 0 {
                return Err((true, sys::errno()));
            }
            return Ok(());
        }
        self.range(src, dst, 0, size)
    }

    /// `len` bytes at `off` in both files: copy_file_range, else read/write.
    fn range(&mut self, src: i32, dst: i32, off: u64, len: u64) -> Result<(), (bool, i32)> {
        let (mut i, mut o) = (off as i64, off as i64);
        let mut left = len;
        while left > 0 {
            let n = left.min(1 << 30) as usize;
            // SAFETY: both descriptors are open, the offsets valid pointers.
            let r = unsafe {
                libc::syscall(
                    libc::SYS_copy_file_range,
                    src,
                    &mut i as *mut i64,
                    dst,
                    &mut o as *mut i64,
                    n,
                    0u32,
                )
            };
            if r < 0 {
                let e = sys::errno();
                if e == libc::EINTR {
                    continue;
                }
                // Not supported here (EXDEV, EINVAL, ENOSYS...), or a failure whose side it
                // does not say: read/write the rest, which tells a read from a write error.
                let _ = e;
                return self.rw(src, dst, o as u64, left, true);
            }
            if r == 0 {
                break; // the file shrank
            }
            left -= r as u64;
        }
        Ok(())
    }

    /// read/write from `off` (positioned when `at`), up to `len` bytes or the end.
    fn rw(&mut self, src: i32, dst: i32, off: u64, len: u64, at: bool) -> Result<(), (bool, i32)> {
        if self.buf.is_empty() {
            self.buf = vec![0u8; crate::io::BLOCK];
        }
        let mut pos = off;
        let mut left = len;
        while left > 0 {
            let want = left.min(self.buf.len() as u64) as usize;
            // SAFETY: buf is writable for want bytes.
            let n = unsafe {
                if at {
                    libc::pread(src, self.buf.as_mut_ptr().cast(), want, pos as i64)
                } else {
                    libc::read(src, self.buf.as_mut_ptr().cast(), want)
                }
            };
            if n < 0 {
                let e = sys::errno();
                if e == libc::EINTR {
                    continue;
                }
                return Err((false, e));
            }
            if n == 0 {
                break;
            }
            let mut b = &self.buf[..n as usize];
            let mut p = pos;
            while !b.is_empty() {
                // SAFETY: b is readable.
                let w = unsafe {
                    if at {
                        libc::pwrite(dst, b.as_ptr().cast(), b.len(), p as i64)
                    } else {
                        libc::write(dst, b.as_ptr().cast(), b.len())
                    }
                };
                if w < 0 {
                    let e = sys::errno();
                    if e == libc::EINTR {
                        continue;
                    }
                    return Err((true, e));
                }
                b = &b[w as usize..];
                p += w as u64;
            }
            pos += n as u64;
            left -= n as u64;
        }
        Ok(())
    }
}

fn times(st: &libc::stat) -> [libc::timespec; 2] {
    [
        libc::timespec {
            tv_sec: st.st_atime,
            tv_nsec: st.st_atime_nsec,
        },
        libc::timespec {
            tv_sec: st.st_mtime,
            tv_nsec: st.st_mtime_nsec,
        },
    ]
}

fn hex(v: u32, buf: &mut [u8; 8]) -> &[u8] {
    let mut i = buf.len();
    let mut v = v;
    loop {
        i -= 1;
        buf[i] = b"0123456789abcdef"[(v & 15) as usize];
        v >>= 4;
        if v == 0 {
            return &buf[i..];
        }
    }
}

/// Opens a directory for the `*at` calls below it.
pub fn open_dir(dfd: i32, name: &CStr, follow: bool) -> Result<i32, i32> {
    let nf = if follow { 0 } else { libc::O_NOFOLLOW };
    // SAFETY: name is NUL-terminated.
    let fd = unsafe {
        libc::openat(
            dfd,
            name.as_ptr(),
            libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC | nf,
        )
    };
    if fd < 0 {
        Err(sys::errno())
    } else {
        Ok(fd)
    }
}

fn readlink_at(dfd: i32, name: &CStr) -> Result<Vec<u8>, i32> {
    let mut buf = vec![0u8; 256];
    loop {
        // SAFETY: buf is writable for its length.
        let n = unsafe { libc::readlinkat(dfd, name.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            return Err(sys::errno());
        }
        if (n as usize) < buf.len() {
            buf.truncate(n as usize);
            return Ok(buf);
        }
        buf.resize(buf.len() * 2, 0);
    }
}

/// (parent, last component) of a path: `a/b/` gives (`a`, `b`), `b` gives (`.`, `b`).
pub fn split(p: &[u8]) -> (&[u8], &[u8]) {
    let mut end = p.len();
    while end > 1 && p[end - 1] == b'/' {
        end -= 1;
    }
    let p = &p[..end];
    match p.iter().rposition(|&c| c == b'/') {
        Some(0) => (b"/", &p[1..]),
        Some(i) => (&p[..i], &p[i + 1..]),
        None => (b".", p),
    }
}

/// BusyBox's cp_mv_stat for cp and mv: 0 missing, 1 not a directory, 3 a directory; other
/// stat errors reported.
pub fn cp_mv_stat(cx: &Cx, p: &[u8], follow: bool) -> crate::Res<u8> {
    match paths::stat(p, follow) {
        Ok(st) => Ok(if paths::is_dir(&st) { 3 } else { 1 }),
        Err(libc::ENOENT) => Ok(0),
        Err(libc::ENOTDIR) => {
            Err(cx.fail(&[b"can't stat '", p, b"': Path has non-directory component"]))
        }
        Err(e) => Err(cx.fail_path(b"can't stat", p, e)),
    }
}

/// mkdir -p for cp --parents and install -D/-d: each missing directory of `dir` made, the
/// last with `mode`, those before it with 0777 (both less the umask).
pub fn mkdir_p(dir: &[u8], mode: u32) -> Result<(), i32> {
    let mut end = 0;
    while end < dir.len() {
        end = match dir[end + 1..].iter().position(|&c| c == b'/') {
            Some(i) => end + 1 + i,
            None => dir.len(),
        };
        let part = &dir[..end];
        let c = sys::cstr(part).ok_or(libc::EINVAL)?;
        let m = if end == dir.len() { mode } else { 0o777 };
        // SAFETY: c is NUL-terminated.
        if unsafe { libc::mkdir(c.as_ptr(), m) } != 0 {
            let e = sys::errno();
            if e != libc::EEXIST {
                return Err(e);
            }
            if !paths::dir_exists(part, true) {
                return Err(libc::ENOTDIR);
            }
        }
    }
    Ok(())
}
