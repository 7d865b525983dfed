//! applet: link
//! usage: link FILE LINK
//! Create hard LINK to FILE

use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "", &[])?;
    let [from, to] = o.args[..] else {
        return Err(cx.usage());
    };
    let (f, t) = (from.as_bytes(), to.as_bytes());
    // link(2): a symlink FILE is linked itself, not followed.
    let r = match (sys::cstr(f), sys::cstr(t)) {
        // SAFETY: both are NUL-terminated strings.
        (Some(a), Some(b)) => match unsafe { libc::link(a.as_ptr(), b.as_ptr()) } {
            0 => 0,
            _ => sys::errno(),
        },
        _ => libc::EINVAL,
    };
    if r != 0 {
        return Err(cx.fail(&[b"can't create hardlink '", t, b"' to '", f, b"': ", sys::strerror(r)]));
    }
    Ok(0)
}
