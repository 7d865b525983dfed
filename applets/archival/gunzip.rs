//! applet: gunzip
//! dir: bin
//! usage: gunzip [-cfkt] [FILE]...
//! Decompress FILEs (or stdin)
//!
//! -c  Write to stdout
//! -f  Force
//! -k  Keep input files
//! -t  Test integrity
//! -l  List compressed and uncompressed sizes
//! -q  Quiet
//! -v  Verbose

use crate::{gz, Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    gz::main(cx, args, gz::Mode::Gunzip)
}
