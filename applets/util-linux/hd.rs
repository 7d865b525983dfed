//! applet: hd
//! usage: hd FILE...
//! hexdump -C

use crate::Cx;
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> crate::Res {
    super::a_hexdump::run(cx, args, true)
}
