//! applet: sync
//! dir: bin
//! usage: sync [-df] [FILE]...
//! Write all buffered blocks (in FILEs) to disk
//! -d  Avoid syncing metadata
//! -f  Sync filesystems underlying FILEs

use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "df", &[])?;
    let (data, fs) = (o.has(b'd'), o.has(b'f'));
    if data && fs {
        return Err(cx.usage());
    }
    if o.args.is_empty() {
        // SAFETY: no arguments.
        unsafe { libc::sync() };
        return Ok(0);
    }
    let mut st = 0;
    for f in &o.args {
        let Some(path) = sys::cstr(f.as_bytes()) else {
            cx.err_open(f, libc::ENOENT);
            st = 1;
            continue;
        };
        // Read-only and non-blocking: FIFOs and devices must not hang us (BusyBox).
        // SAFETY: a NUL-terminated path.
        let fd = unsafe {
            libc::open(
                path.as_ptr(),
                libc::O_RDONLY | libc::O_NOCTTY | libc::O_NONBLOCK | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            cx.err_open(f, sys::errno());
            st = 1;
            continue;
        }
        // SAFETY: fd is ours, closed right after.
        let r = unsafe {
            let r = if fs {
                libc::syncfs(fd)
            } else if data {
                libc::fdatasync(fd)
            } else {
                libc::fsync(fd)
            };
            let e = sys::errno();
            libc::close(fd);
            if r == 0 {
                0
            } else {
                e
            }
        };
        if r != 0 {
            cx.err_no(f.as_bytes(), r);
            st = 1;
        }
    }
    Ok(st)
}
