//! applet: kill
//! dir: bin
//! nohelp
//! usage: kill [-l] [-SIG] PID...
//! Send a signal (default: TERM) to given PIDs
//!
//! -l  List all signal names and numbers

// Not getopt: `kill -9 -1` and `kill -- -PGID` need BusyBox's hand-made parsing.

use crate::{signals, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let mut argv = args.iter().skip(1).map(|a| a.as_bytes()).peekable();
    let mut sig = libc::SIGTERM;
    if let Some(&a) = argv.peek() {
        if a == b"--help" {
            cx.show_help();
            return Ok(0);
        }
        if a == b"-l" {
            argv.next();
            return list(cx, argv);
        }
        if a == b"--" {
            argv.next();
        } else if a.len() > 1 && a[0] == b'-' {
            argv.next();
            let mut name = &a[1..];
            // `-s NAME`; a lone `-s` at the end is the signal name "s".
            if name == b"s" && argv.peek().is_some() {
                name = argv.next().unwrap_or_default();
            }
            sig = match signals::number(name) {
                Some(n) => n,
                None => return Err(cx.fail(&[b"bad signal name '", name, b"'"])),
            };
        }
    }
    kill_pids(cx, argv, sig)
}

/// `kill -l [SIG]...`: the table, or each name's number / number's name.
fn list<'a>(cx: &mut Cx, argv: impl Iterator<Item = &'a [u8]>) -> Res {
    let mut out = Vec::new();
    let mut any = false;
    for a in argv {
        any = true;
        if a.first().is_some_and(|c| c.is_ascii_digit()) {
            let Some(n) = crate::args::parse_u64(a).filter(|&n| n <= u32::MAX as u64) else {
                return Err(cx.fail(&[b"unknown signal '", a, b"'"]));
            };
            // Exit statuses above 128 name the signal that killed: 137 is KILL.
            signals::name_or_number((n & 0x7f) as i32, &mut out);
            out.push(b'\n');
        } else {
            let Some(n) = signals::number(a) else {
                return Err(cx.fail(&[b"unknown signal '", a, b"'"]));
            };
            cx.out.write(&out);
            out.clear();
            cx.out.num(n as u64);
            cx.out.byte(b'\n');
        }
        cx.out.write(&out);
        out.clear();
    }
    if !any {
        signals::list(&mut out);
        cx.out.write(&out);
    }
    Ok(0)
}

/// Signals each pid (negative: a process group); the status counts the failures.
fn kill_pids<'a>(cx: &mut Cx, mut argv: impl Iterator<Item = &'a [u8]>, sig: i32) -> Res {
    let Some(first) = argv.next() else {
        return Err(cx.fail(&[b"you need to specify whom to kill"]));
    };
    let mut errors = 0;
    for a in std::iter::once(first).chain(argv) {
        // The shell's "space trick": `kill " 123"`.
        let n = a.strip_prefix(b" ").unwrap_or(a);
        let pid = parse_pid(n);
        match pid {
            None => {
                cx.err(&[b"invalid number '", n, b"'"]);
                errors += 1;
            }
            // SAFETY: kill only sends a signal.
            Some(p) if unsafe { libc::kill(p, sig) } != 0 => {
                let e = crate::sys::errno();
                let mut b = [0u8; 20];
                let d = crate::cx::fmt_u64(p.unsigned_abs() as u64, &mut b);
                let neg: &[u8] = if p < 0 { b"-" } else { b"" };
                cx.err(&[b"can't kill pid ", neg, d, b": ", crate::sys::strerror(e)]);
                errors += 1;
            }
            Some(_) => {}
        }
    }
    Ok(errors)
}

/// A decimal pid, possibly negative, that fits an int.
pub fn parse_pid(s: &[u8]) -> Option<i32> {
    let (neg, d) = match s.strip_prefix(b"-") {
        Some(d) => (true, d),
        None => (false, s),
    };
    let n = crate::args::parse_u64(d)?;
    let n = i64::try_from(n).ok()?;
    i32::try_from(if neg { -n } else { n }).ok()
}
