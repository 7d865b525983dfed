//! applet: shred
//! usage: shred [-fuz] [-n N] [-s SIZE] FILE...
//! Overwrite/delete FILEs
//!
//! -f  Chmod to ensure writability
//! -s SIZE  Size to write
//! -n N  Overwrite N times (default 3)
//! -z  Final overwrite with zeros
//! -u  Remove file

use crate::{paths, suffix, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "fuzn:s:vx", &[])?;
    if o.args.is_empty() {
        return Err(cx.usage());
    }
    let passes = match o.val(b'n') {
        Some(n) => cx.num_u64(n)?,
        None => 3,
    };
    let size = match o.val(b's') {
        Some(s) => Some(
            suffix::parse(s.as_bytes(), suffix::KMGI)
                .ok_or_else(|| cx.fail(&[b"invalid number '", s.as_bytes(), b"'"]))?,
        ),
        None => None,
    };
    let mut buf = vec![0u8; crate::io::BLOCK];
    let mut status = 0;
    for f in &o.args {
        let name = f.as_bytes();
        let Some(c) = sys::cstr(name) else {
            continue;
        };
        if o.has(b'f') {
            // SAFETY: c is NUL-terminated.
            unsafe { libc::chmod(c.as_ptr(), 0o666) };
        }
        // SAFETY: as above; fd is closed below.
        let fd = unsafe { libc::open(c.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC) };
        if fd < 0 {
            cx.err_open(f, sys::errno());
            status = 1;
            continue;
        }
        let len = size.unwrap_or_else(|| paths::fstat(fd).map_or(0, |s| s.st_size as u64));
        let mut r = Ok(());
        for pass in 0..passes.saturating_add(o.has(b'z') as u64) {
            let zero = o.has(b'z') && pass == passes;
            r = overwrite(fd, len, &mut buf, zero);
            if r.is_err() {
                break;
            }
        }
        if let Err(e) = r {
            cx.err_no(name, e);
            status = 1;
        }
        // SAFETY: we own fd.
        unsafe { libc::close(fd) };
        if o.has(b'u') {
            // SAFETY: c is NUL-terminated.
            if unsafe { libc::unlink(c.as_ptr()) } != 0 {
                cx.err_no(name, sys::errno());
                status = 1;
            }
        }
    }
    Ok(status)
}

/// One pass over `len` bytes from the start: random data (getrandom), or zeros; then fsync,
/// so each pass reaches the disk before the next.
fn overwrite(fd: i32, len: u64, buf: &mut [u8], zero: bool) -> Result<(), i32> {
    // SAFETY: fd is open.
    if unsafe { libc::lseek(fd, 0, libc::SEEK_SET) } < 0 {
        return Err(sys::errno());
    }
    let mut left = len;
    while left > 0 {
        let n = left.min(buf.len() as u64) as usize;
        let b = &mut buf[..n];
        if zero {
            b.fill(0);
        } else {
            // SAFETY: b is writable for its length.
            unsafe { libc::getrandom(b.as_mut_ptr().cast(), n, 0) };
        }
        sys::write_all(fd, b)?;
        left -= n as u64;
    }
    // SAFETY: fd is open.
    unsafe { libc::fsync(fd) };
    Ok(())
}
