//! applet: printf
//! usage: printf FORMAT [ARG]...
//! Format and print ARG(s) according to FORMAT (a-la C printf)

use crate::{printf, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // No options; BusyBox skips one leading `--` only.
    let mut ops: Vec<&[u8]> = args.iter().skip(1).map(|a| a.as_bytes()).collect();
    if ops.first() == Some(&&b"--"[..]) {
        ops.remove(0);
    }
    let Some((fmt, rest)) = ops.split_first() else {
        return Err(cx.usage());
    };
    let mut argv = printf::Argv::new(rest);
    let Cx { out, .. } = cx;
    let mut msgs: Vec<u8> = Vec::new();
    // Messages go out as they happen, in the order BusyBox prints them.
    let name = cx.name;
    let st = printf::run(fmt, &mut argv, out, &mut |m| {
        msgs.clear();
        msgs.extend_from_slice(name.as_bytes());
        msgs.extend_from_slice(b": ");
        for p in m {
            msgs.extend_from_slice(p);
        }
        msgs.push(b'\n');
        let _ = crate::sys::write_all(2, &msgs);
    });
    Ok(st)
}
