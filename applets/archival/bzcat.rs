//! applet: bzcat
//! dir: usr/bin
//! usage: bzcat [FILE]...
//! Decompress to stdout

use crate::compress::{self, Codec, Mode};
use crate::{Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    compress::main(cx, args, Codec::Bz, Mode::Cat)
}
