//! applet: false
//! dir: bin
//! nohelp
//! usage: false
//! Return an exit code of FALSE (1)

use crate::{Cx, Res};
use std::ffi::OsStr;

pub fn main(_: &mut Cx, _: &[&OsStr]) -> Res {
    Ok(1)
}
