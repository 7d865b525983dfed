//! applet: unlink
//! usage: unlink FILE
//! Delete FILE by calling unlink()

use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "", &[])?;
    let [file] = o.args[..] else {
        return Err(cx.usage());
    };
    let f = file.as_bytes();
    let r = match sys::cstr(f) {
        // SAFETY: a NUL-terminated string.
        Some(p) => match unsafe { libc::unlink(p.as_ptr()) } {
            0 => 0,
            _ => sys::errno(),
        },
        None => libc::EINVAL,
    };
    if r != 0 {
        return Err(cx.fail(&[b"can't remove file '", f, b"': ", sys::strerror(r)]));
    }
    Ok(0)
}
