//! applet: bzip2
//! dir: usr/bin
//! usage: bzip2 [-cfkdtqvz123456789] [FILE]...
//! Compress FILEs (or stdin) with bzip2 algorithm
//!
//! -1..9  Compression level
//! -d  Decompress
//! -z  Compress (even as bunzip2)
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
    compress::main(cx, args, Codec::Bz, Mode::Pack)
}
