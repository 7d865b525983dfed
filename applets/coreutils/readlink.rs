//! applet: readlink
//! usage: readlink [-fnv] FILE
//! Display the value of a symlink
//!
//! -f  Canonicalize by following all symlinks
//! -e  Canonicalize, all components must exist
//! -m  Canonicalize, no component need exist
//! -n  Don't add newline
//! -v  Verbose

use crate::paths::{self, Canon};
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // -e and -m are GNU's (Debian's BusyBox lacks them); -q and -s are its quiet synonyms.
    let o = cx.getopt(args, "femnvqs", &[])?;
    let [f] = o.args[..] else {
        return Err(cx.usage());
    };
    let f = f.as_bytes();
    let r = match o.last_of(b"fem") {
        Some(b'f') => paths::canonical(f, Canon::Parent),
        Some(b'e') => paths::canonical(f, Canon::All),
        Some(_) => paths::canonical(f, Canon::None),
        None => paths::readlink(f),
    };
    match r {
        Ok(p) => {
            cx.out.write(&p);
            if !o.has(b'n') {
                cx.out.byte(b'\n');
            }
            Ok(0)
        }
        // BusyBox is silent about a failure unless -v, and silent with -f even then.
        Err(e) => {
            if o.has(b'v') && o.last_of(b"fem").is_none() {
                let why = match e {
                    libc::EINVAL => &b"not a symlink"[..],
                    e => crate::sys::strerror(e),
                };
                cx.err(&[f, b": cannot read link: ", why]);
            }
            Ok(1)
        }
    }
}
