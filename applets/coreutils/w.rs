//! applet: w
//! usage: w
//! Show who is logged on

use crate::{Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    cx.getopt(args, "", &[])?;
    super::a_who::table(cx, false, true);
    Ok(0)
}
