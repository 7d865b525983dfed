//! applet: truncate
//! usage: truncate [-c] -s SIZE FILE...
//! Truncate FILEs to SIZE
//!
//! -c  Do not create files
//! -s SIZE  [+-<>/%]N[kKMG]: set, extend, reduce, at most, at least, round down/up to N

use crate::{paths, suffix, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "cs:", &[("no-create", b'c'), ("size", b's')])?;
    let Some(s) = o.val(b's') else {
        return Err(cx.usage());
    };
    if o.args.is_empty() {
        return Err(cx.usage());
    }
    let b = s.as_bytes();
    // GNU's relative sizes (BusyBox has only absolute ones).
    let (op, num) = match b.first() {
        Some(&c @ (b'+' | b'-' | b'<' | b'>' | b'/' | b'%')) => (c, &b[1..]),
        _ => (b'=', b),
    };
    let n = suffix::parse(num, suffix::KMG)
        .filter(|&n| n <= i64::MAX as u64 && !(n == 0 && matches!(op, b'/' | b'%')))
        .ok_or_else(|| cx.fail(&[b"invalid number '", b, b"'"]))?;
    let mut flags = libc::O_WRONLY | libc::O_NONBLOCK | libc::O_CLOEXEC;
    if !o.has(b'c') {
        flags |= libc::O_CREAT;
    }
    let mut status = 0;
    for f in &o.args {
        let name = f.as_bytes();
        let Some(c) = sys::cstr(name) else {
            continue;
        };
        // SAFETY: c is NUL-terminated; fd is closed below.
        let fd = unsafe { libc::open(c.as_ptr(), flags, 0o666) };
        if fd < 0 {
            let e = sys::errno();
            if e != libc::ENOENT || !o.has(b'c') {
                cx.err(&[name, b": open: ", sys::strerror(e)]);
                status = 1;
            }
            continue;
        }
        let cur = paths::fstat(fd).map_or(0, |s| s.st_size as u64);
        let size = match op {
            b'+' => cur.saturating_add(n),
            b'-' => cur.saturating_sub(n),
            b'<' => cur.min(n),
            b'>' => cur.max(n),
            b'/' => cur / n * n,
            b'%' => cur.div_ceil(n).saturating_mul(n),
            _ => n,
        };
        // SAFETY: fd is open.
        if unsafe { libc::ftruncate(fd, size.min(i64::MAX as u64) as libc::off_t) } != 0 {
            cx.err(&[name, b": truncate: ", sys::strerror(sys::errno())]);
            status = 1;
        }
        // SAFETY: we own fd.
        unsafe { libc::close(fd) };
    }
    Ok(status)
}
