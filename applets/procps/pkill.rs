//! applet: pkill
//! usage: pkill [-l|-SIGNAL] [-xfvno] [-s SID|-P PPID|-u USER|-g PGID|PATTERN]
//! Send signal to processes selected by regex PATTERN
//!
//! -l  List all signals
//! -x  Match whole name (not substring)
//! -f  Match against entire command line
//! -s SID	Match session ID (0 for current)
//! -P PID	Match parent process ID
//! -u USER	Match effective user (name or number; a comma list)
//! -g PGID	Match process group (0 for current; a comma list)
//! -v  Negate the match
//! -n  Signal the newest process only
//! -o  Signal the oldest process only

use crate::{Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    super::a_pgrep::run(cx, args, true)
}
