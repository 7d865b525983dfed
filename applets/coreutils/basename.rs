//! applet: basename
//! usage: basename FILE [SUFFIX] | -a FILE... | -s SUFFIX FILE...
//! Strip directory path and SUFFIX from FILE
//!
//! -a  	All arguments are FILEs
//! -s SUFFIX  Remove SUFFIX (implies -a)

use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // `+`: options only before the first name, so `basename -a x -s` names "-s" too.
    let o = cx.getopt(args, "+as:", &[])?;
    let (names, suffix): (&[&OsStr], Option<&OsStr>) = match (o.val(b's'), o.has(b'a')) {
        (Some(s), _) => (&o.args, Some(s)),
        (None, true) => (&o.args, None),
        // The classic form: NAME [SUFFIX].
        (None, false) if o.args.len() <= 2 => (o.args.get(..1).unwrap_or_default(), o.args.get(1).copied()),
        _ => return Err(cx.usage()),
    };
    if names.is_empty() {
        return Err(cx.usage());
    }
    let suffix = suffix.map_or(&b""[..], |s| s.as_bytes());
    for n in names {
        let base = sys::basename(n.as_bytes());
        // A suffix is removed only when something is left.
        let base = match base.strip_suffix(suffix) {
            Some(b) if !b.is_empty() => b,
            _ => base,
        };
        cx.out.line(base);
    }
    Ok(0)
}
