//! applet: sha512sum
//! usage: sha512sum [-c[sw]] [FILE]...
//! Print or check SHA512 checksums
//!
//! -c  Check sums against list in FILEs
//! -s  Don't output anything, status code shows success
//! -w  Warn about improperly formatted checksum lines

use crate::{hashsum, Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    hashsum::main(cx, args, hashsum::Algo::Sha512)
}
