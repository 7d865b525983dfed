//! applet: bunzip2
//! dir: usr/bin
//! usage: bunzip2 [-cfkt] [FILE]...
//! Decompress FILEs (or stdin)
//!
//! -c  Write to stdout
//! -f  Force
//! -k  Keep input files
//! -t  Test integrity
//! -q  Quiet
//! -v  Verbose

use crate::compress::{self, Codec, Mode};
use crate::{Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    compress::main(cx, args, Codec::Bz, Mode::Unpack)
}
