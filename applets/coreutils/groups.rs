//! applet: groups
//! usage: groups [USER]
//! Print the groups USER is in

use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "", &[])?;
    // `id -Gn [USER]`; like BusyBox, only the first USER counts.
    run(cx, o.args.first().map(|a| a.as_bytes()))
}

/// groups is `id -Gn`: its feature turns on id's (Cargo.toml), whose code it runs.
fn run(cx: &mut Cx, user: Option<&[u8]>) -> Res {
    crate::applets::a_id::run(cx, user, b'G', true, false)
}
