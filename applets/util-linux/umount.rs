//! applet: umount
//! dir: bin
//! usage: umount [-rlfda] [-t FSTYPE] FILESYSTEM|DIRECTORY
//! Unmount filesystems
//!
//! -a  Unmount all filesystems
//! -r  Remount devices read-only if mount is busy
//! -l  Lazy umount (detach filesystem)
//! -f  Force umount (i.e., unreachable NFS server)
//! -d  Free loop device if it has been used
//! -t FSTYPE[,...]	Unmount only these filesystem type(s)

use crate::mounts;
use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

fn umount2(dir: &[u8], flags: i32) -> Result<(), i32> {
    let c = sys::cstr(dir).ok_or(libc::EINVAL)?;
    // SAFETY: c is NUL-terminated.
    if unsafe { libc::umount2(c.as_ptr(), flags) } == 0 {
        Ok(())
    } else {
        Err(sys::errno())
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "rlfdat:ni", &[])?;
    let mut flags = 0;
    if o.has(b'l') {
        flags |= libc::MNT_DETACH;
    }
    if o.has(b'f') {
        flags |= libc::MNT_FORCE;
    }
    let fstype = o.val(b't').map(|t| t.as_bytes());
    let table = mounts::mounted().unwrap_or_default();
    let mut targets: Vec<Vec<u8>> = Vec::new();
    if o.has(b'a') {
        // Every mount, the most recent first (the root stays).
        for e in table.iter().rev() {
            if e.dir == b"/" || fstype.is_some_and(|t| !mounts::type_matches(&e.fstype, t)) {
                continue;
            }
            targets.push(e.dir.clone());
        }
    } else {
        if o.args.is_empty() {
            return Err(cx.usage());
        }
        targets.extend(o.args.iter().map(|a| a.as_bytes().to_vec()));
    }
    let mut status = 0;
    for t in &targets {
        // A device names its most recent mount point.
        let dir = table.iter().rev().find(|e| &e.fsname == t && e.dir != *t).map_or(t.clone(), |e| e.dir.clone());
        let dev = table.iter().rev().find(|e| e.dir == dir).map(|e| e.fsname.clone());
        match umount2(&dir, flags) {
            Ok(()) => {
                if o.has(b'd') {
                    if let Some(d) = dev.filter(|d| d.starts_with(b"/dev/loop")) {
                        if let Some(c) = sys::cstr(&d) {
                            // SAFETY: LOOP_CLR_FD on a descriptor opened here.
                            unsafe {
                                let fd = libc::open(c.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC);
                                if fd >= 0 {
                                    libc::ioctl(fd, 0x4C01);
                                    libc::close(fd);
                                }
                            }
                        }
                    }
                }
            }
            Err(e) if e == libc::EBUSY && o.has(b'r') => {
                let r = dev.as_deref().unwrap_or(b"none");
                if crate::ns::mount(r, &dir, None, libc::MS_REMOUNT | libc::MS_RDONLY).is_ok() {
                    cx.err(&[&dir, b" busy - remounted read-only"]);
                } else {
                    cx.err(&[b"can't remount ", r, b" read-only"]);
                    status = 1;
                }
            }
            Err(e) => {
                cx.err(&[b"can't unmount ", &dir, b": ", sys::strerror(e)]);
                status = 1;
            }
        }
    }
    Ok(status)
}
