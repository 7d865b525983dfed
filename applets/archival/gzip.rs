//! applet: gzip
//! dir: bin
//! usage: gzip [-cfkdtlnqv123456789] [FILE]...
//! Compress FILEs (or stdin)
//!
//! -1..9  Compression level
//! -d  Decompress
//! -c  Write to stdout
//! -f  Force
//! -k  Keep input files
//! -t  Test integrity
//! -l  List compressed and uncompressed sizes
//! -n  Don't save the original timestamp
//! -q  Quiet
//! -v  Verbose

use crate::{gz, Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    gz::main(cx, args, gz::Mode::Gzip)
}
