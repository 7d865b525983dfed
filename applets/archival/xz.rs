//! applet: xz
//! dir: usr/bin
//! usage: xz [-cfkdtlzqve0123456789] [-C CHECK] [-T N] [FILE]...
//! Compress FILEs (or stdin) with xz algorithm, or decompress with -d
//!
//! -0..9  Compression preset
//! -d  Decompress
//! -z  Compress
//! -c  Write to stdout
//! -f  Force
//! -k  Keep input files
//! -t  Test integrity
//! -l  List information about .xz files
//! -C CHECK  Integrity check: none, crc32, crc64 (default) or sha256
//! -q  Quiet
//! -v  Verbose
//! -e  Accepted (extreme presets are not implemented)
//! -T N  Accepted (single-threaded)

use crate::compress::{self, Codec, Mode};
use crate::{Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    compress::main(cx, args, Codec::Xz, Mode::Pack)
}
