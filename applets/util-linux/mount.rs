//! applet: mount
//! dir: bin
//! usage: mount [OPTIONS] [-o OPT] DEVICE NODE
//! Mount a filesystem. Filesystem autodetection requires /proc.
//!
//! -a  	Mount all filesystems in fstab
//! -f  	Dry run
//! -i  	Don't run mount helper
//! -r  	Read-only mount
//! -t FSTYPE[,...]	Filesystem type(s)
//! -T FILE		Read FILE instead of /etc/fstab
//! -O OPT		Mount only filesystems with option OPT (-a only)
//! -o OPT:
//! 	loop		A regular FILE is attached to a free loop device
//! 	[a]sync		Writes are [a]synchronous
//! 	[no]atime	Disable/enable updates to inode access times
//! 	[no]diratime	Disable/enable atime updates to directories
//! 	[no]relatime	Disable/enable atime updates relative to modification time
//! 	[no]dev		(Dis)allow use of special device files
//! 	[no]exec	(Dis)allow use of executable files
//! 	[no]suid	(Dis)allow set-user-id-root programs
//! 	[r]shared	Convert [recursively] to a shared subtree
//! 	[r]slave	Convert [recursively] to a slave subtree
//! 	[r]private	Convert [recursively] to a private subtree
//! 	[un]bindable	Make mount point [un]able to be bind mounted
//! 	[r]bind		Bind a file or directory [recursively] to another location
//! 	move		Relocate an existing mount point
//! 	remount		Remount a mounted filesystem, changing flags
//! 	ro		Same as -r
//!
//! There are filesystem-specific -o flags.

// BusyBox's mount: the listing is /proc/mounts as "DEV on DIR type TYPE (OPTS)"; options
// not in the table below go to the filesystem as its data string; without -t every type
// in /proc/filesystems that needs a device is tried; a failure exits 255, as BusyBox's.

use crate::mounts::{self, Ent};
use crate::ns;
use crate::{sys, Cx, Fail, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

const PROPAGATION: libc::c_ulong = libc::MS_SHARED | libc::MS_SLAVE | libc::MS_PRIVATE | libc::MS_UNBINDABLE;

/// (name, flags set, flags cleared); names that only mean something to fstab set nothing.
const OPTS: &[(&str, libc::c_ulong, libc::c_ulong)] = &[
    ("loop", 0, 0),
    ("defaults", 0, 0),
    ("noauto", 0, 0),
    ("sw", 0, 0),
    ("swap", 0, 0),
    ("user", 0, 0),
    ("users", 0, 0),
    ("nofail", 0, 0),
    ("_netdev", 0, 0),
    ("sync", libc::MS_SYNCHRONOUS, 0),
    ("async", 0, libc::MS_SYNCHRONOUS),
    ("dirsync", libc::MS_DIRSYNC, 0),
    ("nodev", libc::MS_NODEV, 0),
    ("dev", 0, libc::MS_NODEV),
    ("nosuid", libc::MS_NOSUID, 0),
    ("suid", 0, libc::MS_NOSUID),
    ("noexec", libc::MS_NOEXEC, 0),
    ("exec", 0, libc::MS_NOEXEC),
    ("noatime", libc::MS_NOATIME, 0),
    ("atime", 0, libc::MS_NOATIME),
    ("nodiratime", libc::MS_NODIRATIME, 0),
    ("diratime", 0, libc::MS_NODIRATIME),
    ("mand", libc::MS_MANDLOCK, 0),
    ("nomand", 0, libc::MS_MANDLOCK),
    ("relatime", libc::MS_RELATIME, 0),
    ("norelatime", 0, libc::MS_RELATIME),
    ("strictatime", libc::MS_STRICTATIME, 0),
    ("nostrictatime", 0, libc::MS_STRICTATIME),
    ("lazytime", libc::MS_LAZYTIME, 0),
    ("nolazytime", 0, libc::MS_LAZYTIME),
    ("loud", 0, libc::MS_SILENT),
    ("rbind", libc::MS_BIND | libc::MS_REC, 0),
    ("bind", libc::MS_BIND, 0),
    ("move", libc::MS_MOVE, 0),
    ("shared", libc::MS_SHARED, 0),
    ("slave", libc::MS_SLAVE, 0),
    ("private", libc::MS_PRIVATE, 0),
    ("unbindable", libc::MS_UNBINDABLE, 0),
    ("rshared", libc::MS_SHARED | libc::MS_REC, 0),
    ("rslave", libc::MS_SLAVE | libc::MS_REC, 0),
    ("rprivate", libc::MS_PRIVATE | libc::MS_REC, 0),
    ("runbindable", libc::MS_UNBINDABLE | libc::MS_REC, 0),
    ("ro", libc::MS_RDONLY, 0),
    ("rw", 0, libc::MS_RDONLY),
    ("remount", libc::MS_REMOUNT, 0),
];

/// Flags and the filesystem's data string from an option list.
fn parse_opts(list: &[u8], flags: &mut libc::c_ulong, data: &mut Vec<u8>, loop_: &mut bool) {
    for o in list.split(|&c| c == b',').filter(|o| !o.is_empty()) {
        if o == b"loop" {
            *loop_ = true;
        }
        if o.starts_with(b"comment=") || o.starts_with(b"x-") {
            continue;
        }
        match OPTS.iter().find(|e| e.0.as_bytes() == o) {
            Some(&(_, set, clear)) => {
                *flags = (*flags | set) & !clear;
            }
            None => {
                if !data.is_empty() {
                    data.push(b',');
                }
                data.extend_from_slice(o);
            }
        }
    }
}

/// Types to try without -t: those of /proc/filesystems that need a device.
fn auto_types() -> Vec<Vec<u8>> {
    let t = std::fs::read("/etc/filesystems").or_else(|_| std::fs::read("/proc/filesystems")).unwrap_or_default();
    t.split(|&c| c == b'\n')
        .filter(|l| !l.starts_with(b"nodev") && !l.is_empty())
        .map(|l| l.iter().copied().filter(|c| !c.is_ascii_whitespace()).collect::<Vec<u8>>())
        .filter(|l| !l.is_empty() && l != b"*")
        .collect()
}

fn do_mount(src: &[u8], dir: &[u8], fstype: Option<&[u8]>, flags: libc::c_ulong, data: &[u8]) -> Result<(), i32> {
    let c = |b: &[u8]| sys::cstr(b).ok_or(libc::EINVAL);
    let (s, d) = (c(src)?, c(dir)?);
    let t = match fstype {
        Some(t) => Some(c(t)?),
        None => None,
    };
    let dd = c(data)?;
    // SAFETY: all strings are NUL-terminated.
    let r = unsafe {
        libc::mount(
            s.as_ptr(),
            d.as_ptr(),
            t.as_ref().map_or(std::ptr::null(), |t| t.as_ptr()),
            flags,
            if data.is_empty() { std::ptr::null() } else { dd.as_ptr().cast() },
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(sys::errno())
    }
}

struct Job<'a> {
    src: &'a [u8],
    dir: &'a [u8],
    fstype: Option<&'a [u8]>,
    opts: Vec<u8>,
}

/// Mounts one; reports `mounting SRC on DIR failed: ...`.
fn mount_one(cx: &Cx, j: &Job, ro: bool, dry: bool) -> bool {
    let mut flags = libc::MS_SILENT;
    let mut data = Vec::new();
    let mut loop_ = false;
    parse_opts(&j.opts, &mut flags, &mut data, &mut loop_);
    if ro {
        flags |= libc::MS_RDONLY;
    }
    if dry {
        return true;
    }
    let fail = |e: i32| {
        cx.err(&[b"mounting ", j.src, b" on ", j.dir, b" failed: ", sys::strerror(e)]);
        false
    };
    // Propagation changes stand alone: no source, no type, no other flags.
    if flags & PROPAGATION != 0 {
        return match ns::mount(b"none", j.dir, None, flags & (PROPAGATION | libc::MS_REC | libc::MS_SILENT)) {
            Ok(()) => true,
            Err(e) => fail(e),
        };
    }
    if flags & (libc::MS_BIND | libc::MS_MOVE | libc::MS_REMOUNT) != 0 {
        return match do_mount(j.src, j.dir, j.fstype, flags, &data) {
            Ok(()) => true,
            Err(e) => fail(e),
        };
    }
    let mut src = j.src.to_vec();
    let mut loop_fd = -1;
    // A regular file is mounted through a loop device, `-o loop` or not.
    let _ = loop_;
    if std::fs::metadata(OsStr::from_bytes(j.src)).is_ok_and(|m| m.is_file()) {
        match mounts::loop_attach(j.src, None, 0, flags & libc::MS_RDONLY != 0, true) {
            Ok((dev, fd)) => {
                src = dev;
                loop_fd = fd;
            }
            Err(e) => {
                cx.err(&[b"can't setup loop device: ", sys::strerror(e)]);
                return false;
            }
        }
    }
    let types: Vec<Vec<u8>> = match j.fstype {
        Some(t) if t != b"auto" => t.split(|&c| c == b',').map(|t| t.to_vec()).collect(),
        _ => auto_types(),
    };
    let mut last = libc::ENODEV;
    let mut ok = false;
    for t in &types {
        match do_mount(&src, j.dir, Some(t), flags, &data) {
            Ok(()) => {
                ok = true;
                break;
            }
            // Every type is tried, as BusyBox does; the last error is the one reported.
            Err(e) => last = e,
        }
    }
    if loop_fd >= 0 {
        // SAFETY: ours; the mount (if any) now holds the device.
        unsafe { libc::close(loop_fd) };
    }
    ok || fail(last)
}

fn list(cx: &mut Cx, fstype: Option<&[u8]>) -> Res {
    let m = mounts::mounted().map_err(|e| cx.fail_no(b"can't read /proc/mounts", e))?;
    for e in &m {
        // (The listing takes one type, compared whole, as BusyBox's does.)
        if fstype.is_some_and(|t| e.fstype != t) {
            continue;
        }
        cx.out.write(&e.fsname);
        cx.out.write(b" on ");
        cx.out.write(&e.dir);
        cx.out.write(b" type ");
        cx.out.write(&e.fstype);
        cx.out.write(b" (");
        cx.out.write(&e.opts);
        cx.out.write(b")\n");
    }
    Ok(0)
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "o:t:rwafnvsiT:O:", &[])?;
    let mut opts: Vec<u8> = Vec::new();
    for v in o.vals(b'o') {
        if !opts.is_empty() {
            opts.push(b',');
        }
        opts.extend_from_slice(v.as_bytes());
    }
    let fstype = o.val(b't').map(|t| t.as_bytes());
    let (ro, dry) = (o.has(b'r'), o.has(b'f'));
    let tab_path = o.val(b'T').unwrap_or(OsStr::new("/etc/fstab"));
    if o.args.is_empty() && !o.has(b'a') {
        return list(cx, fstype);
    }
    let tab = || -> Res<Vec<Ent>> {
        match std::fs::read(tab_path) {
            Ok(t) => Ok(mounts::parse(&t)),
            Err(e) => {
                cx.err_open(tab_path, sys::errno_of(&e));
                Err(Fail(255))
            }
        }
    };
    if o.has(b'a') {
        let only = o.val(b'O').map(|v| v.as_bytes());
        let mut ok = true;
        for e in tab()? {
            let has = |name: &[u8]| e.opts.split(|&c| c == b',').any(|x| x == name);
            if has(b"noauto") || e.fstype == b"swap" || has(b"sw") {
                continue;
            }
            if fstype.is_some_and(|t| !mounts::type_matches(&e.fstype, t)) {
                continue;
            }
            if only.is_some_and(|w| !w.split(|&c| c == b',').any(|x| has(x))) {
                continue;
            }
            let mut all = e.opts.clone();
            if !opts.is_empty() {
                all.push(b',');
                all.extend_from_slice(&opts);
            }
            let j = Job { src: &e.fsname, dir: &e.dir, fstype: Some(&e.fstype), opts: all };
            ok &= mount_one(cx, &j, ro, dry);
        }
        return Ok(if ok { 0 } else { 255 });
    }
    let (src, dir): (Vec<u8>, Vec<u8>);
    let mut ftype = fstype.map(|t| t.to_vec());
    let mut all = opts.clone();
    match o.args.as_slice() {
        [one] => {
            // One operand: its line in fstab (or, for remount, in /proc/mounts).
            let one = one.as_bytes();
            let remount = opts.split(|&c| c == b',').any(|x| x == b"remount");
            let table = if remount { mounts::mounted().unwrap_or_default() } else { tab()? };
            let Some(e) = table.iter().rev().find(|e| e.dir == one || e.fsname == one) else {
                if remount {
                    src = b"none".to_vec();
                    dir = one.to_vec();
                    let j = Job { src: &src, dir: &dir, fstype: None, opts: all };
                    return Ok(if mount_one(cx, &j, ro, dry) { 0 } else { 255 });
                }
                return Err(cx.fail(&[b"can't find ", one, b" in ", tab_path.as_bytes()]).max255());
            };
            src = e.fsname.clone();
            dir = e.dir.clone();
            if ftype.is_none() && !remount {
                ftype = Some(e.fstype.clone());
            }
            // The table's options first, then the given ones (which win).
            let mut t = e.opts.clone();
            if !all.is_empty() {
                t.push(b',');
                t.extend_from_slice(&all);
            }
            all = t;
        }
        [s, d] => {
            src = s.as_bytes().to_vec();
            dir = d.as_bytes().to_vec();
        }
        _ => return Err(cx.usage()),
    }
    let j = Job { src: &src, dir: &dir, fstype: ftype.as_deref(), opts: all };
    Ok(if mount_one(cx, &j, ro, dry) { 0 } else { 255 })
}

trait Max255 {
    fn max255(self) -> Fail;
}

impl Max255 for Fail {
    fn max255(self) -> Fail {
        Fail(255)
    }
}
