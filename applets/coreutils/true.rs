//! applet: true
//! dir: bin
//! nohelp
//! usage: true
//! Return an exit code of TRUE (0)

use crate::{Cx, Res};
use std::ffi::OsStr;

pub fn main(_: &mut Cx, _: &[&OsStr]) -> Res {
    Ok(0)
}
