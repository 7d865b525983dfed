//! applet: realpath
//! usage: realpath FILE...
//! Print absolute pathnames of FILEs

use crate::paths::{self, Canon};
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "", &[])?;
    if o.args.is_empty() {
        return Err(cx.usage());
    }
    let mut status = 0;
    for f in &o.args {
        match paths::canonical(f.as_bytes(), Canon::Parent) {
            Ok(p) => cx.out.line(&p),
            Err(e) => {
                cx.err_no(f.as_bytes(), e);
                status = 1;
            }
        }
    }
    Ok(status)
}
