//! applet: fallocate
//! usage: fallocate [-o OFS] -l LEN FILE
//! Preallocate space for FILE
//!
//! -o OFS  Offset of range
//! -l LEN  Length of range

use crate::{suffix, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "l:o:", &[])?;
    let (Some(l), [f]) = (o.val(b'l'), &o.args[..]) else {
        return Err(cx.usage());
    };
    let num = |s: &OsStr| {
        suffix::parse(s.as_bytes(), suffix::KMGI)
            .filter(|&n| n <= i64::MAX as u64)
            .ok_or_else(|| cx.fail(&[b"invalid number '", s.as_bytes(), b"'"]))
    };
    let len = num(l)?;
    let ofs = match o.val(b'o') {
        Some(s) => num(s)?,
        None => 0,
    };
    let c = sys::cstr(f.as_bytes()).ok_or_else(|| cx.fail_no(f.as_bytes(), libc::EINVAL))?;
    // SAFETY: c is NUL-terminated; fd is closed below.
    let fd = unsafe { libc::open(c.as_ptr(), libc::O_RDWR | libc::O_CREAT | libc::O_CLOEXEC, 0o666) };
    if fd < 0 {
        cx.err_open(f, sys::errno());
        return Ok(1);
    }
    // SAFETY: fd is open.
    let r = unsafe { libc::fallocate(fd, 0, ofs as libc::off_t, len as libc::off_t) };
    let e = sys::errno();
    // SAFETY: we own fd.
    unsafe { libc::close(fd) };
    if r != 0 {
        return Err(cx.fail_path(b"fallocate", f.as_bytes(), e));
    }
    Ok(0)
}
