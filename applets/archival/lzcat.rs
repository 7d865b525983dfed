//! applet: lzcat
//! dir: usr/bin
//! usage: lzcat [FILE]...
//! Decompress to stdout

use crate::compress::{self, Codec, Mode};
use crate::{Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    compress::main(cx, args, Codec::Lzma, Mode::Cat)
}
