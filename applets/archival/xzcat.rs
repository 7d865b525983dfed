//! applet: xzcat
//! dir: usr/bin
//! usage: xzcat [FILE]...
//! Decompress to stdout

use crate::compress::{self, Codec, Mode};
use crate::{Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    compress::main(cx, args, Codec::Xz, Mode::Cat)
}
