//! applet: base32
//! usage: base32 [-d] [-w COL] [FILE]
//! Base32 encode or decode FILE to standard output
//!
//! -d  Decode data
//! -w COL	Wrap lines at COL (default 76, 0 disables)

use crate::{base64, Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    base64::applet(cx, args, base64::Alphabet::Base32)
}
