//! applet: zcat
//! dir: bin
//! usage: zcat [FILE]...
//! Decompress to stdout

use crate::{gz, Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    gz::main(cx, args, gz::Mode::Zcat)
}
