//! applet: env
//! usage: env [-i0] [-u NAME]... [-] [NAME=VALUE]... [PROG ARGS]
//! Print current environment or run PROG after setting up environment
//!
//! -, -i  Start with empty environment
//! -0  NUL terminated output
//! -u NAME  Remove variable from environment

use crate::{sys, Cx, Fail, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "+i0u:",
        &[("ignore-environment", b'i'), ("null", b'0'), ("unset", b'u')],
    )?;
    let mut rest = &o.args[..];
    let mut clear = o.has(b'i');
    // A lone `-` (only right after the options) is -i.
    if rest.first().is_some_and(|a| a.as_bytes() == b"-") {
        clear = true;
        rest = &rest[1..];
    }
    // The new environment is built here and handed to execve, never set in this process.
    let mut env = if clear { Vec::new() } else { sys::environ() };
    for u in o.vals(b'u') {
        putenv(&mut env, u.as_bytes());
    }
    while let Some(a) = rest.first().filter(|a| a.as_bytes().contains(&b'=')) {
        putenv(&mut env, a.as_bytes());
        rest = &rest[1..];
    }
    if let Some(prog) = rest.first() {
        cx.out.flush();
        let argv: Vec<&[u8]> = rest.iter().map(|a| a.as_bytes()).collect();
        let e = sys::execvpe(prog.as_bytes(), &argv, &env);
        cx.err(&[
            b"can't execute '",
            prog.as_bytes(),
            b"': ",
            sys::strerror(e),
        ]);
        return Err(Fail(if e == libc::ENOENT { 127 } else { 126 }));
    }
    let end = if o.has(b'0') { 0 } else { b'\n' };
    for e in &env {
        cx.out.write(e);
        cx.out.byte(end);
    }
    Ok(0)
}

/// glibc's putenv(3) on `env`, as BusyBox uses it for both `-u NAME` and `NAME=VALUE`:
/// with `=` it replaces the first entry of that name in place or appends; without, it
/// removes every entry of that name (nothing for an empty name).
fn putenv(env: &mut Vec<Vec<u8>>, s: &[u8]) {
    let has = |e: &[u8], name: &[u8]| e.starts_with(name) && e.get(name.len()) == Some(&b'=');
    match s.iter().position(|&c| c == b'=') {
        Some(eq) => match env.iter_mut().find(|e| has(e, &s[..eq])) {
            Some(e) => *e = s.to_vec(),
            None => env.push(s.to_vec()),
        },
        None if !s.is_empty() => env.retain(|e| !has(e, s)),
        None => {}
    }
}
