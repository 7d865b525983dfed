//! applet: mkfifo
//! usage: mkfifo [-m MODE] NAME
//! Create named pipe
//!
//! -m MODE  Mode (default a=rw)

use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "m:", &[])?;
    if o.args.is_empty() {
        return Err(cx.usage());
    }
    let mode = match o.val(b'm') {
        Some(m) => crate::mode::parse(m.as_bytes(), 0o666, crate::mode::umask()),
        None => Some(0o666),
    };
    let mut status = 0;
    for n in &o.args {
        let r = match (mode, sys::cstr(n.as_bytes())) {
            // SAFETY: c is NUL-terminated.
            (Some(m), Some(c)) => match unsafe { libc::mkfifo(c.as_ptr(), m) } {
                // An explicit mode is set exactly, past the umask.
                // SAFETY: as above.
                0 if o.has(b'm') && unsafe { libc::chmod(c.as_ptr(), m) } != 0 => sys::errno(),
                0 => 0,
                _ => sys::errno(),
            },
            // BusyBox goes on with mode -1 after a bad -m, and the kernel says EINVAL.
            _ => libc::EINVAL,
        };
        if r != 0 {
            cx.err_no(n.as_bytes(), r);
            status = 1;
        }
    }
    Ok(status)
}

