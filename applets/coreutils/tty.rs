//! applet: tty
//! usage: tty [-s]
//! Print file name of stdin's terminal
//!
//! -s  Print nothing, only return exit status

use crate::{Cx, Fail, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // POSIX wants a status above 1 for errors, so a bad option exits 2 (BusyBox).
    let o = cx.getopt(args, "s", &[]).map_err(|_| Fail(2))?;
    if !o.args.is_empty() {
        cx.err(&[b"ignoring all arguments"]);
    }
    let mut buf = [0u8; 256];
    // SAFETY: buf is writable for its length; ttyname_r NUL-terminates on success.
    let name = match unsafe { libc::ttyname_r(0, buf.as_mut_ptr().cast(), buf.len()) } {
        0 => buf.split(|&c| c == 0).next(),
        _ => None,
    };
    if !o.has(b's') {
        cx.out.line(name.unwrap_or(b"not a tty"));
    }
    Ok(if name.is_some() { 0 } else { 1 })
}
