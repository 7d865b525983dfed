//! Safe extraction of archive members (tar, cpio, unzip, ar): nothing is ever written
//! outside the target directory, whatever the archive says and whatever is swapped in
//! while it runs.
//!
//! ```ignore
//! let mut x = extract::Target::open(b".", true)?;     // the target dir, make parents
//! let Some(name) = x.clean(cx, raw_name) else { continue };  // strips `/`, `../`
//! let (dir, leaf) = x.parent(name)?;                   // openat(O_NOFOLLOW) step by step
//! let mut t = extract::Temp::create(dir.0)?;           // O_EXCL|O_NOFOLLOW, hidden name
//! t.write(data)?; ...                                  // truncated input: t is dropped,
//! t.commit(leaf, true)?;                               //   unlinked; else renameat into place
//! ```
//! - Names: `clean` removes a leading `/` and everything up to the last `..` component,
//!   with BusyBox's message `removing leading 'X' from member names` once (its
//!   strip_unsafe_prefix, made complete: `a/..` and a trailing `..` count too);
//!   `components` is GNU tar's rule instead (a leading `/` stripped, `..` refused).
//! - Parents are opened one component at a time with `openat(O_NOFOLLOW|O_DIRECTORY)` from the
//!   target's descriptor, so no symlink (one from the archive, or one swapped in by another
//!   process) is ever followed: such a path fails with ELOOP/ENOTDIR. `follow_down` (tar)
//!   makes one exception: an existing relative symlink without `..`, which can only lead
//!   further down. `dir` keeps the last member's directories open for the next one.
//! - Every node (files, symlinks, devices, hard links) is made under a temporary name in
//!   its directory and renamed over the real name only when complete; rename replaces a
//!   symlink, never follows it.
//! - Hard links are made with `linkat` (no AT_SYMLINK_FOLLOW) from a source name that went
//!   through the same cleaning and parent walk, so it is always inside the target.
//! - Directories' modes and times can wait for their contents (`later`, `fix_dirs`).

use crate::{sys, Cx};
use std::ffi::CString;

/// An owned descriptor, closed when dropped.
pub struct Fd(pub i32);

impl Drop for Fd {
    fn drop(&mut self) {
        if self.0 >= 0 {
            // SAFETY: a descriptor this module opened, closed once.
            unsafe { libc::close(self.0) };
        }
    }
}

fn c(s: &[u8]) -> Result<CString, i32> {
    sys::cstr(s).ok_or(libc::EINVAL)
}

/// The length of the unsafe prefix of `name` (leading `/`s, and everything up to and with
/// its last `..` component), so `&name[n..]` is safe to create below a target.
pub fn unsafe_prefix(name: &[u8]) -> usize {
    let mut cut = 0;
    let mut i = 0;
    while i < name.len() {
        let end = crate::bytes::memchr(b'/', &name[i..]).map_or(name.len(), |k| i + k);
        let comp = &name[i..end];
        if (comp.is_empty() && cut == i) || comp == b".." {
            cut = (end + 1).min(name.len());
        }
        i = end + 1;
    }
    cut
}

/// C-style escapes for control characters and backslashes (`\n`, `\033`), as GNU tar shows
/// member names: a name cannot move the cursor, recolour or rewrite the terminal.
pub fn escape_name(name: &[u8], out: &mut Vec<u8>) {
    for &b in name {
        let e = match b {
            b'\\' => b'\\',
            b'\n' => b'n',
            b'\t' => b't',
            b'\r' => b'r',
            0x07 => b'a',
            0x08 => b'b',
            0x0b => b'v',
            0x0c => b'f',
            0..=0x1f | 0x7f => {
                out.extend_from_slice(&[
                    b'\\',
                    b'0' + (b >> 6),
                    b'0' + ((b >> 3) & 7),
                    b'0' + (b & 7),
                ]);
                continue;
            }
            _ => {
                out.push(b);
                continue;
            }
        };
        out.extend_from_slice(&[b'\\', e]);
    }
}

/// Whether `name` needs [`escape_name`] (fast path: most names are plain).
pub fn needs_escape(name: &[u8]) -> bool {
    name.iter().any(|&b| b < 0x20 || b == 0x7f || b == b'\\')
}

/// The directory members are extracted into.
pub struct Target {
    pub root: Fd,
    /// Make missing parent directories (cpio -d; unzip and tar always).
    pub mkdirs: bool,
    /// Follow a symlink already in the target met on the way down when it is relative and
    /// has no `..` (tar: `lib -> usr/lib` on a merged-/usr system under `-C /`): it can only
    /// lead further down, and each of its steps is again O_NOFOLLOW.
    pub follow_down: bool,
    warned: bool,
    /// The directories the last `dir` call opened below root, reused by the next one.
    open: Vec<(Vec<u8>, Fd)>,
    /// Leading prefixes already reported (`lead_once`).
    leads: Vec<Vec<u8>>,
    /// Directories whose metadata `fix_dirs` sets once their contents are in.
    later: Vec<Later>,
}

/// A directory's metadata, set after its contents (`mode` None: left as made).
struct Later {
    path: Vec<u8>,
    mode: Option<u32>,
    owner: Option<(u32, u32)>,
    mtime: Option<i64>,
}

/// Why a walk to a member's directory failed: the errno, and the index of the component
/// that could not be opened.
pub struct WalkErr {
    pub errno: i32,
    pub at: usize,
}

impl Target {
    /// Opens the target directory (following a symlink given by the user).
    pub fn open(path: &[u8], mkdirs: bool) -> Result<Target, i32> {
        let p = c(path)?;
        // SAFETY: p is NUL-terminated.
        let fd = unsafe {
            libc::open(
                p.as_ptr(),
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return Err(sys::errno());
        }
        Ok(Target {
            root: Fd(fd),
            mkdirs,
            follow_down: false,
            warned: false,
            open: Vec::new(),
            leads: Vec::new(),
            later: Vec::new(),
        })
    }

    /// `name` without its unsafe prefix (reported once); None when nothing is left.
    pub fn clean<'a>(&mut self, cx: &Cx, name: &'a [u8]) -> Option<&'a [u8]> {
        let n = unsafe_prefix(name);
        if n > 0 && !self.warned {
            self.warned = true;
            cx.err(&[b"removing leading '", &name[..n], b"' from member names"]);
        }
        let rest = &name[n..];
        let rest = rest.strip_suffix(b"/").unwrap_or(rest);
        (!rest.is_empty()).then_some(rest)
    }

    /// True the first time a leading prefix (`/`, `//`) is seen: GNU tar reports each once.
    pub fn lead_once(&mut self, prefix: &[u8]) -> bool {
        if prefix.is_empty() || self.leads.iter().any(|w| w == prefix) {
            return false;
        }
        self.leads.push(prefix.to_vec());
        true
    }

    /// The directory holding `path` (a cleaned name), opened without following any symlink,
    /// and the last component. Missing directories are made when `mkdirs` is set.
    pub fn parent<'a>(&self, path: &'a [u8]) -> Result<(Fd, &'a [u8]), i32> {
        let mut comps = path
            .split(|&b| b == b'/')
            .filter(|c| !c.is_empty() && *c != b".");
        let mut leaf: &[u8] = b".";
        let mut dir = Fd(dup(self.root.0)?);
        if let Some(first) = comps.next() {
            leaf = first;
        }
        for next in comps {
            dir = Fd(step(dir.0, leaf, self.mkdirs, self.follow_down)?);
            leaf = next;
        }
        Ok((dir, leaf))
    }

    /// The directory `comps` below the target (made as needed when `mkdirs`), borrowed
    /// until the next call: the directories the previous call opened are reused, so a
    /// tree's members cost no walk from the top each.
    pub fn dir(&mut self, comps: &[&[u8]]) -> Result<i32, WalkErr> {
        let keep = self
            .open
            .iter()
            .zip(comps)
            .take_while(|(o, c)| o.0 == **c)
            .count();
        self.open.truncate(keep);
        for (i, &name) in comps.iter().enumerate().skip(keep) {
            let cur = self.open.last().map_or(self.root.0, |o| o.1 .0);
            match step(cur, name, self.mkdirs, self.follow_down) {
                Ok(fd) => self.open.push((name.to_vec(), Fd(fd))),
                Err(errno) => return Err(WalkErr { errno, at: i }),
            }
        }
        Ok(self.open.last().map_or(self.root.0, |o| o.1 .0))
    }

    /// The existing directory `comps` below the target (nothing made), owned.
    pub fn existing<'a>(&self, comps: impl IntoIterator<Item = &'a [u8]>) -> Result<Fd, i32> {
        let mut cur = Fd(dup(self.root.0)?);
        for name in comps {
            cur = Fd(step(cur.0, name, false, self.follow_down)?);
        }
        Ok(cur)
    }

    /// Remembers the directory `path` (components joined by `/`; empty: the target) for
    /// `fix_dirs`.
    pub fn later(
        &mut self,
        path: Vec<u8>,
        mode: Option<u32>,
        owner: Option<(u32, u32)>,
        mtime: Option<i64>,
    ) {
        self.later.push(Later {
            path,
            mode,
            owner,
            mtime,
        });
    }

    /// Owners, modes and times of the directories `later` was told of, deepest first (the
    /// reverse of the order made), now that their contents are in: writing a member into a
    /// directory changes its mtime, and a read-only one could not have been filled.
    pub fn fix_dirs(&mut self) {
        self.open.clear();
        let later = std::mem::take(&mut self.later);
        for d in later.iter().rev() {
            let comps = d.path.split(|&b| b == b'/').filter(|c| !c.is_empty());
            if let Ok(fd) = self.existing(comps) {
                meta(fd.0, d.mode, d.owner, d.mtime);
            }
        }
    }
}

/// One step down from `dir` to its subdirectory `name` (made first when missing and
/// `make`); a symlink there is followed only when `follow` and it leads down.
fn step(dir: i32, name: &[u8], make: bool, follow: bool) -> Result<i32, i32> {
    match open_dir(dir, name, make) {
        Err(e @ (libc::ELOOP | libc::ENOTDIR)) if follow => follow_down(dir, name).ok_or(e),
        r => r,
    }
}

/// The directory a relative symlink without `..` in `dir` leads to, each step O_NOFOLLOW.
fn follow_down(dir: i32, name: &[u8]) -> Option<i32> {
    let t = readlink_at(dir, &c(name).ok()?).ok()?;
    if t.first() == Some(&b'/') {
        return None;
    }
    let comps = components(&t).1?;
    if comps.is_empty() {
        return None;
    }
    let mut cur = Fd(dup(dir).ok()?);
    for name in comps {
        cur = Fd(open_dir(cur.0, name, false).ok()?);
    }
    Some(std::mem::replace(&mut cur.0, -1))
}

/// GNU tar's rule for member names: the length of the leading `/`s (stripped, with a
/// message), and the components without empty and `.` ones; None when one is `..` (the
/// member is refused).
pub fn components(name: &[u8]) -> (usize, Option<Vec<&[u8]>>) {
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

/// readlinkat(2) into a vector grown as needed.
pub fn readlink_at(dir: i32, n: &std::ffi::CStr) -> Result<Vec<u8>, i32> {
    let mut buf = vec![0u8; 256];
    loop {
        // SAFETY: readlinkat into buf, n is NUL-terminated.
        let r = unsafe { libc::readlinkat(dir, n.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
        if r < 0 {
            return Err(sys::errno());
        }
        if (r as usize) < buf.len() {
            buf.truncate(r as usize);
            return Ok(buf);
        }
        let l = buf.len() * 2;
        buf.resize(l, 0);
    }
}

fn dup(fd: i32) -> Result<i32, i32> {
    // SAFETY: F_DUPFD_CLOEXEC on a descriptor we hold.
    let r = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
    if r < 0 {
        Err(sys::errno())
    } else {
        Ok(r)
    }
}

/// openat(dir, name, O_DIRECTORY|O_NOFOLLOW), made first when missing and `make` is set.
pub fn open_dir(dir: i32, name: &[u8], make: bool) -> Result<i32, i32> {
    let n = c(name)?;
    let fl = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC;
    for _ in 0..2 {
        // SAFETY: n is NUL-terminated; dir is an open directory.
        let fd = unsafe { libc::openat(dir, n.as_ptr(), fl) };
        if fd >= 0 {
            return Ok(fd);
        }
        let e = sys::errno();
        if e != libc::ENOENT || !make {
            return Err(e);
        }
        // SAFETY: as above.
        if unsafe { libc::mkdirat(dir, n.as_ptr(), 0o777) } != 0 && sys::errno() != libc::EEXIST {
            return Err(sys::errno());
        }
    }
    Err(libc::ENOENT)
}

/// lstat of `name` in `dir` (never following a symlink).
pub fn lstat_at(dir: i32, name: &[u8]) -> Option<libc::stat> {
    let n = sys::cstr(name)?;
    // SAFETY: st is written by fstatat.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::fstatat(dir, n.as_ptr(), &mut st, libc::AT_SYMLINK_NOFOLLOW) };
    (r == 0).then_some(st)
}

/// A hidden name for a member being written: `.rbox-XXXXXXXX` (random, retried on clash).
fn temp_name(attempt: u32) -> CString {
    let mut r = [0u8; 8];
    // The first try costs no system call (tar xf of a big tree makes one per file): the
    // clock's nanoseconds (vDSO) and an address. O_EXCL makes a clash, or a name planted
    // by someone guessing, only a retry, and retries take getrandom's bytes.
    // SAFETY: getrandom fills r (or fails, leaving the clock-and-address fallback).
    let got = if attempt == 0 {
        0
    } else {
        unsafe { libc::getrandom(r.as_mut_ptr().cast(), r.len(), libc::GRND_NONBLOCK) }
    };
    if got != 8 {
        // SAFETY: clock_gettime fills ts.
        let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
        unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut ts) };
        // The stack's address differs between processes (ASLR), and costs no getpid.
        let here = &ts as *const libc::timespec as u64;
        let mut t = (ts.tv_nsec as u64) ^ ((ts.tv_sec as u64) << 30) ^ (here << 16);
        t ^= u64::from(attempt) << 20;
        t = t.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        t ^= t >> 31;
        r = t.wrapping_mul(0xbf58_476d_1ce4_e5b9).to_le_bytes();
    }
    let mut v = b".rbox-".to_vec();
    for b in r {
        v.push(b"abcdefghijklmnopqrstuvwxyz0123456789"[b as usize % 36]);
    }
    CString::new(v).unwrap_or_default()
}

/// Creates a node at a fresh temporary name in `dir` with `mk(tmp)` (which returns 0 or -1
/// with errno), retrying on a name clash.
fn at_temp(mut mk: impl FnMut(&CString) -> i32) -> Result<CString, i32> {
    for i in 0..100 {
        let t = temp_name(i);
        if mk(&t) == 0 {
            return Ok(t);
        }
        let e = sys::errno();
        if e != libc::EEXIST {
            return Err(e);
        }
    }
    Err(libc::EEXIST)
}

/// Moves `tmp` onto `leaf` in `dir`: replacing what is there when `replace`, else failing
/// with EEXIST (renameat2 RENAME_NOREPLACE, link+unlink where the kernel lacks it).
fn place(dir: i32, tmp: &CString, leaf: &[u8], replace: bool) -> Result<(), i32> {
    let l = c(leaf)?;
    // SAFETY: both names are NUL-terminated; dir is open.
    unsafe {
        if replace {
            if libc::renameat(dir, tmp.as_ptr(), dir, l.as_ptr()) == 0 {
                return Ok(());
            }
            return Err(sys::errno());
        }
        let r = libc::syscall(
            libc::SYS_renameat2,
            dir,
            tmp.as_ptr(),
            dir,
            l.as_ptr(),
            1, /* RENAME_NOREPLACE */
        );
        if r == 0 {
            return Ok(());
        }
        let e = sys::errno();
        if e != libc::EINVAL && e != libc::ENOSYS {
            return Err(e);
        }
        if libc::linkat(dir, tmp.as_ptr(), dir, l.as_ptr(), 0) != 0 {
            return Err(sys::errno());
        }
        libc::unlinkat(dir, tmp.as_ptr(), 0);
    }
    Ok(())
}

fn unlink_tmp(dir: i32, tmp: &CString) {
    // SAFETY: tmp is NUL-terminated; dir is open.
    unsafe { libc::unlinkat(dir, tmp.as_ptr(), 0) };
}

/// A node being made at a temporary name (a regular file being written, or a symlink,
/// device, fifo or hard link), renamed onto its real name by `commit`; unlinked when
/// dropped uncommitted.
pub struct Temp {
    dir: i32,
    name: CString,
    pub fd: Fd,
    done: bool,
    /// The permission bits the file surely has already (so `meta` skips the fchmod).
    made: Option<u32>,
    /// A hard link: renaming it onto another link of the same file leaves it in place.
    link: bool,
}

impl Temp {
    fn node(dir: i32, name: CString, fd: i32) -> Temp {
        Temp {
            dir,
            name,
            fd: Fd(fd),
            done: false,
            made: None,
            link: false,
        }
    }

    /// Creates the temporary file in `dir` (O_EXCL|O_NOFOLLOW, mode 0600 until committed).
    pub fn create(dir: i32) -> Result<Temp, i32> {
        Temp::open(dir, 0o600)
    }

    /// Creates the temporary file with `mode`'s permission bits less `umask` (the caller's
    /// umask: then `meta` with that mode costs no fchmod).
    pub fn create_as(dir: i32, mode: u32, umask: u32) -> Result<Temp, i32> {
        let mut t = Temp::open(dir, mode & 0o777)?;
        t.made = Some(mode & 0o777 & !umask);
        Ok(t)
    }

    fn open(dir: i32, mode: u32) -> Result<Temp, i32> {
        let mut fd = -1;
        let name = at_temp(|t| {
            // SAFETY: t is NUL-terminated; dir is open.
            fd = unsafe {
                libc::openat(
                    dir,
                    t.as_ptr(),
                    libc::O_WRONLY
                        | libc::O_CREAT
                        | libc::O_EXCL
                        | libc::O_NOFOLLOW
                        | libc::O_CLOEXEC,
                    mode as libc::c_uint,
                )
            };
            if fd < 0 {
                -1
            } else {
                0
            }
        })?;
        Ok(Temp::node(dir, name, fd))
    }

    /// A symlink to `target` at a temporary name in `dir`.
    pub fn symlink(dir: i32, target: &[u8]) -> Result<Temp, i32> {
        let tg = c(target)?;
        // SAFETY: both names are NUL-terminated; dir is open.
        let t = at_temp(|t| unsafe { libc::symlinkat(tg.as_ptr(), dir, t.as_ptr()) })?;
        Ok(Temp::node(dir, t, -1))
    }

    /// A device, fifo or socket node at a temporary name in `dir`.
    pub fn mknod(dir: i32, mode: u32, rdev: u64) -> Result<Temp, i32> {
        // SAFETY: names are NUL-terminated; dir is open.
        let t = at_temp(|t| unsafe { libc::mknodat(dir, t.as_ptr(), mode as _, rdev as _) })?;
        Ok(Temp::node(dir, t, -1))
    }

    /// A hard link in `dir` to `from` in `from_dir` (no AT_SYMLINK_FOLLOW: a symlink is
    /// linked itself, never its target).
    pub fn link(from_dir: i32, from: &[u8], dir: i32) -> Result<Temp, i32> {
        let fl = c(from)?;
        // SAFETY: names are NUL-terminated; both directories are open.
        let t = at_temp(|tn| unsafe { libc::linkat(from_dir, fl.as_ptr(), dir, tn.as_ptr(), 0) })?;
        let mut t = Temp::node(dir, t, -1);
        t.link = true;
        Ok(t)
    }

    pub fn write(&mut self, b: &[u8]) -> Result<(), i32> {
        sys::write_all(self.fd.0, b)
    }

    /// Sets mode, owner (when `owner` is given) and mtime (when given) on the open file.
    pub fn meta(&self, mode: u32, owner: Option<(u32, u32)>, mtime: Option<i64>) {
        let mode = (self.made != Some(mode & 0o7777)).then_some(mode);
        meta(self.fd.0, mode, owner, mtime);
    }

    /// Owner, mode (when given: not for a symlink) and mtime of a node without a
    /// descriptor, by its temporary name, never following it.
    pub fn node_meta(&self, mode: Option<u32>, owner: Option<(u32, u32)>, mtime: Option<i64>) {
        let nf = libc::AT_SYMLINK_NOFOLLOW;
        // SAFETY: *at calls on the name we made in dir.
        unsafe {
            if let Some((u, g)) = owner {
                libc::fchownat(self.dir, self.name.as_ptr(), u, g, nf);
            }
            if let Some(m) = mode {
                libc::fchmodat(self.dir, self.name.as_ptr(), m & 0o7777, 0);
            }
            if let Some(t) = mtime {
                libc::utimensat(self.dir, self.name.as_ptr(), times(t).as_ptr(), nf);
            }
        }
    }

    /// Closes the file: a delayed write error (NFS, quotas) shows here.
    pub fn close(&mut self) -> Result<(), i32> {
        let fd = std::mem::replace(&mut self.fd.0, -1);
        // SAFETY: our descriptor, closed once.
        if fd >= 0 && unsafe { libc::close(fd) } != 0 {
            return Err(sys::errno());
        }
        Ok(())
    }

    /// Closes the file (when not yet) and renames it onto `leaf`.
    pub fn commit(mut self, leaf: &[u8], replace: bool) -> Result<(), i32> {
        self.close()?;
        place(self.dir, &self.name, leaf, replace)?;
        // A link renamed onto another link of the same file stays (rename does nothing).
        self.done = !self.link;
        Ok(())
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.done {
            unlink_tmp(self.dir, &self.name);
        }
    }
}

fn times(t: i64) -> [libc::timespec; 2] {
    let ts = libc::timespec {
        tv_sec: t as _,
        tv_nsec: 0,
    };
    [ts, ts]
}

/// fchown (when asked), fchmod (when given), futimens (when given) on an open node.
fn meta(fd: i32, mode: Option<u32>, owner: Option<(u32, u32)>, mtime: Option<i64>) {
    // SAFETY: fd is open; failures to restore metadata are not fatal (BusyBox ignores them).
    unsafe {
        if let Some((u, g)) = owner {
            libc::fchown(fd, u, g);
        }
        // After chown, which clears set-id bits.
        if let Some(m) = mode {
            libc::fchmod(fd, m & 0o7777);
        }
        if let Some(t) = mtime {
            libc::futimens(fd, times(t).as_ptr());
        }
    }
}

/// fchown (when asked), fchmod, futimens (mtime when given) on an open node.
pub fn set_fd_meta(fd: i32, mode: u32, owner: Option<(u32, u32)>, mtime: Option<i64>) {
    meta(fd, Some(mode), owner, mtime);
}

/// Owner and mtime of a node by name, not following a symlink (for symlinks and devices).
pub fn set_link_meta(dir: i32, leaf: &[u8], owner: Option<(u32, u32)>, mtime: Option<i64>) {
    let Some(n) = sys::cstr(leaf) else { return };
    // SAFETY: n is NUL-terminated; dir is open.
    unsafe {
        if let Some((u, g)) = owner {
            libc::fchownat(dir, n.as_ptr(), u, g, libc::AT_SYMLINK_NOFOLLOW);
        }
        if let Some(t) = mtime {
            libc::utimensat(
                dir,
                n.as_ptr(),
                times(t).as_ptr(),
                libc::AT_SYMLINK_NOFOLLOW,
            );
        }
    }
}

/// A symlink `leaf -> target` in `dir`, made at a temporary name and renamed into place.
pub fn symlink(dir: i32, leaf: &[u8], target: &[u8], replace: bool) -> Result<(), i32> {
    Temp::symlink(dir, target)?.commit(leaf, replace)
}

/// A device, fifo or socket node, made at a temporary name and renamed into place.
pub fn mknod(dir: i32, leaf: &[u8], mode: u32, rdev: u64, replace: bool) -> Result<(), i32> {
    Temp::mknod(dir, mode, rdev)?.commit(leaf, replace)
}

/// mkdirat `leaf` in `dir`; an existing directory (not a symlink to one) is fine. Returns
/// the directory opened (O_NOFOLLOW), for its metadata.
pub fn mkdir(dir: i32, leaf: &[u8], mode: u32) -> Result<Fd, i32> {
    let n = c(leaf)?;
    // SAFETY: n is NUL-terminated; dir is open.
    if unsafe { libc::mkdirat(dir, n.as_ptr(), (mode & 0o7777) as _) } != 0 {
        let e = sys::errno();
        if e != libc::EEXIST {
            return Err(e);
        }
    }
    open_dir(dir, leaf, false).map(Fd)
}

/// mkdirat `leaf` in `dir`; an existing directory (not a symlink to one) is fine, anything
/// else there is removed first when `replace` (as GNU tar does), else EEXIST.
pub fn make_dir(dir: i32, leaf: &[u8], mode: u32, replace: bool) -> Result<(), i32> {
    let n = c(leaf)?;
    // SAFETY: n is NUL-terminated; dir is open.
    if unsafe { libc::mkdirat(dir, n.as_ptr(), (mode & 0o7777) as _) } == 0 {
        return Ok(());
    }
    let e = sys::errno();
    if e != libc::EEXIST
        || lstat_at(dir, leaf).is_some_and(|s| s.st_mode & libc::S_IFMT == libc::S_IFDIR)
    {
        return if e == libc::EEXIST { Ok(()) } else { Err(e) };
    }
    if !replace {
        return Err(e);
    }
    // SAFETY: as above.
    if unsafe {
        libc::unlinkat(dir, n.as_ptr(), 0) != 0
            || libc::mkdirat(dir, n.as_ptr(), (mode & 0o7777) as _) != 0
    } {
        return Err(sys::errno());
    }
    Ok(())
}

/// A hard link `leaf` in `dir` to `from` (a cleaned name, resolved below the target with no
/// symlink followed; a symlink there is linked itself, never its target).
pub fn hard_link(t: &Target, from: &[u8], dir: i32, leaf: &[u8], replace: bool) -> Result<(), i32> {
    let (fdir, fleaf) = t.parent(from)?;
    Temp::link(fdir.0, fleaf, dir)?.commit(leaf, replace)
}

/// Removes `leaf` in `dir` whatever it is (an empty directory too), not following links.
pub fn remove(dir: i32, leaf: &[u8]) -> Result<(), i32> {
    let n = c(leaf)?;
    // SAFETY: n is NUL-terminated; dir is open.
    unsafe {
        if libc::unlinkat(dir, n.as_ptr(), 0) == 0
            || libc::unlinkat(dir, n.as_ptr(), libc::AT_REMOVEDIR) == 0
        {
            return Ok(());
        }
    }
    Err(sys::errno())
}

/// fnmatch(3) without flags (BusyBox's find_list_entry for member selection).
pub fn fnmatch(pat: &[u8], name: &[u8]) -> bool {
    let (Some(p), Some(n)) = (sys::cstr(pat), sys::cstr(name)) else {
        return false;
    };
    // SAFETY: both are NUL-terminated.
    unsafe { libc::fnmatch(p.as_ptr(), n.as_ptr(), 0) == 0 }
}

/// A member as `-tv` shows it.
pub struct ListEntry<'a> {
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    pub mtime: i64,
    pub name: &'a [u8],
    /// A symlink's target.
    pub link: Option<&'a [u8]>,
}

impl ListEntry<'_> {
    /// BusyBox's header_verbose_list line (cpio -tv, tar -tv): `MODE UID/GID SIZE DATE
    /// NAME`, the name escaped, ` -> TARGET` for a symlink, and a newline.
    pub fn line(&self, out: &mut Vec<u8>) {
        let (mode, uid, gid, size, mtime, name, link) = (
            self.mode, self.uid, self.gid, self.size, self.mtime, self.name, self.link,
        );
        crate::mode::string(mode, out);
        out.push(b' ');
        let mut b = [0u8; 20];
        out.extend_from_slice(crate::cx::fmt_u64(uid as u64, &mut b));
        out.push(b'/');
        out.extend_from_slice(crate::cx::fmt_u64(gid as u64, &mut b));
        let s = crate::cx::fmt_u64(size, &mut b);
        out.resize(out.len() + 10usize.saturating_sub(s.len()), b' ');
        out.extend_from_slice(s);
        out.push(b' ');
        match crate::time::local(mtime) {
            Some(tm) => tm.strftime(b"%Y-%m-%d %H:%M:%S", out),
            None => out.extend_from_slice(b"1970-01-01 00:00:00"),
        }
        out.push(b' ');
        escape_name(name, out);
        if let Some(l) = link {
            out.extend_from_slice(b" -> ");
            escape_name(l, out);
        }
        out.push(b'\n');
    }
}

/// A buffered reader over a descriptor with exact reads, for archive parsers.
pub struct Src {
    pub fd: i32,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    /// Bytes consumed so far (the archive offset).
    pub off: u64,
}

impl Src {
    pub fn new(fd: i32) -> Src {
        Src {
            fd,
            buf: vec![0u8; crate::io::BLOCK],
            pos: 0,
            end: 0,
            eof: false,
            off: 0,
        }
    }

    /// Makes up to `n` (at most a block) bytes available; fewer only at end of input.
    pub fn fill(&mut self, n: usize) -> Result<&[u8], i32> {
        let n = n.min(self.buf.len());
        while self.end - self.pos < n && !self.eof {
            if self.pos > 0 {
                self.buf.copy_within(self.pos..self.end, 0);
                self.end -= self.pos;
                self.pos = 0;
            }
            match sys::read(self.fd, &mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(k) => self.end += k,
                Err(e) => return Err(e),
            }
        }
        Ok(&self.buf[self.pos..self.end])
    }

    /// Consumes `n` bytes already made available by `fill`.
    pub fn consume(&mut self, n: usize) {
        let n = n.min(self.end - self.pos);
        self.pos += n;
        self.off += n as u64;
    }

    /// Exactly `n` bytes (n <= a block), or None at a premature end.
    pub fn exact(&mut self, n: usize) -> Result<Option<&[u8]>, i32> {
        let have = self.fill(n)?.len();
        if have < n {
            return Ok(None);
        }
        let p = self.pos;
        self.consume(n);
        Ok(Some(&self.buf[p..p + n]))
    }

    /// Whatever is buffered or readable next, up to `max` bytes (consumed); empty at the end.
    pub fn chunk(&mut self, max: u64) -> Result<&[u8], i32> {
        if self.pos == self.end {
            self.fill(1)?;
        }
        let n = ((self.end - self.pos) as u64).min(max) as usize;
        let p = self.pos;
        self.consume(n);
        Ok(&self.buf[p..p + n])
    }

    /// Skips `n` bytes; false at a premature end.
    pub fn skip(&mut self, mut n: u64) -> Result<bool, i32> {
        while n > 0 {
            let k = self.chunk(n)?.len();
            if k == 0 {
                return Ok(false);
            }
            n -= k as u64;
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(n: &str) -> &str {
        &n[unsafe_prefix(n.as_bytes())..]
    }

    #[test]
    fn prefixes() {
        assert_eq!(strip("a/b"), "a/b");
        assert_eq!(strip("/etc/passwd"), "etc/passwd");
        assert_eq!(strip("//x"), "x");
        assert_eq!(strip("../evil"), "evil");
        assert_eq!(strip("a/../../b"), "b");
        assert_eq!(strip("a/.."), "");
        assert_eq!(strip(".."), "");
        assert_eq!(strip("./a/..b"), "./a/..b");
        assert_eq!(strip("a//b"), "a//b");
    }

    #[test]
    fn escapes() {
        let mut v = Vec::new();
        escape_name(b"a\x1b[31m\n\\\x7f", &mut v);
        assert_eq!(v, b"a\\033[31m\\n\\\\\\177");
    }
}
