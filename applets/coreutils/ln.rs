//! applet: ln
//! dir: bin
//! usage: ln [-sfnbtv] [-S SUF] TARGET... LINK|DIR
//! Create a link LINK or DIR/TARGET to the specified TARGET(s)
//!
//! -s  Make symlinks instead of hardlinks
//! -f  Remove existing destinations
//! -n  Don't dereference symlinks - treat like normal file
//! -b  Make a backup of the target (if exists) before link operation
//! -S SUF  Use suffix instead of ~ when making backup files
//! -T  Treat LINK as a file, not DIR
//! -v  Verbose

use crate::paths::{self, join};
use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "sfnbS:vT", &[])?;
    let Some((&last, targets)) = o.args.split_last() else {
        return Err(cx.usage());
    };
    let last = last.as_bytes();
    // `ln TARGET` links TARGET's last component in the current directory.
    let (last, targets): (&[u8], &[&OsStr]) = if targets.is_empty() {
        (paths::last_component(last), &o.args[..])
    } else {
        (last, targets)
    };
    let suffix = o.val(b'S').map_or(&b"~"[..], |s| s.as_bytes());
    let mut status = 0;
    for t in targets {
        let t = t.as_bytes();
        let mut dest = last.to_vec();
        if paths::dir_exists(last, !o.has(b'n')) {
            if o.has(b'T') {
                return Err(cx.fail(&[b"'", last, b"' is a directory"]));
            }
            dest = join(last, paths::last_component(t));
        }
        // A hard link needs an existing target (a dangling symlink is linked itself).
        if !o.has(b's') {
            if let Err(e) = paths::stat(t, false) {
                cx.err_no(t, e);
                status = 1;
                continue;
            }
        }
        let (Some(ct), Some(cd)) = (sys::cstr(t), sys::cstr(&dest)) else {
            cx.err_no(&dest, libc::EINVAL);
            status = 1;
            continue;
        };
        if o.has(b'b') {
            let mut bak = dest.clone();
            bak.extend_from_slice(suffix);
            let cb = sys::cstr(&bak).unwrap_or_default();
            // SAFETY: both are NUL-terminated paths.
            if unsafe { libc::rename(cd.as_ptr(), cb.as_ptr()) } != 0 && sys::errno() != libc::ENOENT {
                cx.err_no(&dest, sys::errno());
                status = 1;
                continue;
            }
            // Two hard links to one inode: rename "succeeds" doing nothing, so unlink anyway.
            // SAFETY: NUL-terminated path.
            unsafe { libc::unlink(cd.as_ptr()) };
        } else if o.has(b'f') {
            // SAFETY: NUL-terminated path.
            unsafe { libc::unlink(cd.as_ptr()) };
        }
        if o.has(b'v') {
            cx.out.write(b"'");
            cx.out.write(&dest);
            cx.out.write(b"' -> '");
            cx.out.write(t);
            cx.out.write(b"'\n");
        }
        // SAFETY: both are NUL-terminated paths.
        let r = unsafe {
            if o.has(b's') {
                libc::symlink(ct.as_ptr(), cd.as_ptr())
            } else {
                libc::link(ct.as_ptr(), cd.as_ptr())
            }
        };
        if r != 0 {
            cx.err_no(&dest, sys::errno());
            status = 1;
        }
    }
    Ok(status)
}
