//! applet: arch
//! dir: bin
//! usage: arch
//! Print system architecture

use crate::{sys, Cx, Res};
use std::ffi::OsStr;

/// `uname -m`. It ignores its arguments, as BusyBox's does.
pub fn main(cx: &mut Cx, _: &[&OsStr]) -> Res {
    cx.out.line(&sys::cfield(&sys::utsname().machine));
    Ok(0)
}
