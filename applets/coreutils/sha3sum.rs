//! applet: sha3sum
//! usage: sha3sum [-c[sw]] [-a BITS] [FILE]...
//! Print or check SHA3 checksums
//!
//! -c  Check sums against list in FILEs
//! -s  Don't output anything, status code shows success
//! -w  Warn about improperly formatted checksum lines
//! -a BITS	224 (default), 256, 384, 512

use crate::{hashsum, Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    hashsum::main(cx, args, hashsum::Algo::Sha3(224))
}
