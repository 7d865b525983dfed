//! applet: logname
//! usage: logname
//! Print the name of the current user

use crate::{Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    if args.len() > 1 {
        return Err(cx.usage());
    }
    // BusyBox calls getlogin_r into a 64-byte buffer. rbox is a static musl program, whose
    // getlogin is $LOGNAME (glibc's reads utmp for the terminal on stdin instead).
    match crate::sys::getenv(c"LOGNAME") {
        Some(n) if n.len() < 64 => {
            cx.out.line(&n);
            Ok(0)
        }
        Some(_) => Err(cx.fail_no(b"getlogin", libc::ERANGE)),
        None => Err(cx.fail_no(b"getlogin", libc::ENXIO)),
    }
}
