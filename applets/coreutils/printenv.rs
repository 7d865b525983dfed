//! applet: printenv
//! dir: bin
//! usage: printenv [VARIABLE]...
//! Print environment VARIABLEs. If no VARIABLE specified, print all.

use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let env = sys::environ();
    if args.len() < 2 {
        env.iter().for_each(|e| cx.out.line(e));
        return Ok(0);
    }
    let mut st = 0;
    for name in &args[1..] {
        let n = name.as_bytes();
        // getenv(3): the first `NAME=`; a name holding `=` (or empty) names nothing, as in
        // musl and GNU printenv.
        let v = env.iter().find_map(|e| {
            e.strip_prefix(n)
                .and_then(|r| r.strip_prefix(b"="))
                .filter(|_| !n.is_empty() && !n.contains(&b'='))
        });
        match v {
            Some(v) => cx.out.line(v),
            None => st = 1,
        }
    }
    Ok(st)
}
