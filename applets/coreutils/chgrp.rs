//! applet: chgrp
//! dir: bin
//! usage: chgrp [-RhLHPcvf]... GROUP FILE...
//! Change the group membership of FILEs to GROUP
//!
//! -h  Affect symlinks instead of symlink targets
//! -L  Traverse all symlinks to directories
//! -H  Traverse symlinks on command line only
//! -P  Don't traverse symlinks (default)
//! -R  Recurse
//! -c  List changed files
//! -v  Verbose
//! -f  Hide errors

use crate::{owner, Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    owner::chown_main(cx, args, true)
}
