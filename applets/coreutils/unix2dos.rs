//! applet: unix2dos
//! usage: unix2dos [-ud] [FILE]
//! Convert FILE in-place from Unix to DOS format.
//! When no file is given, use stdin/stdout.
//!
//! -u  dos2unix
//! -d  unix2dos

use crate::Cx;
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> crate::Res {
    super::a_dos2unix::run(cx, args, true)
}
