//! applet: killall
//! usage: killall [-lq] [-SIG] PROCESS_NAME...
//! Send a signal (default: TERM) to given processes
//!
//! -l  List all signal names and numbers
//! -q  Don't complain if no processes were killed

use crate::procfs::{self, Procs};
use crate::{signals, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

fn first<'a>(a: &[&'a OsStr]) -> Option<&'a [u8]> {
    a.first().map(|s| s.as_bytes())
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let mut argv: &[&OsStr] = &args[1..];
    let mut sig = libc::SIGTERM;
    let mut quiet = false;
    if first(argv) == Some(b"-l") {
        let mut out = Vec::new();
        signals::list(&mut out);
        cx.out.write(&out);
        return Ok(0);
    }
    if first(argv) == Some(b"-q") {
        quiet = true;
        argv = &argv[1..];
    }
    if let Some(a) = first(argv).filter(|a| a.len() > 1 && a[0] == b'-') {
        let mut name = &a[1..];
        argv = &argv[1..];
        if name == b"s" && !argv.is_empty() {
            name = argv[0].as_bytes();
            argv = &argv[1..];
        }
        sig = match signals::number(name) {
            Some(n) => n,
            None => return Err(cx.fail(&[b"bad signal name '", name, b"'"])),
        };
    }
    if argv.is_empty() {
        return Err(cx.fail(&[b"you need to specify whom to kill"]));
    }
    // SAFETY: getpid only returns a value.
    let me = unsafe { libc::getpid() } as u32;
    let mut errors = 0;
    for name in argv {
        let name = name.as_bytes();
        let mut pids = Vec::new();
        let mut ps = Procs::open(procfs::STAT).map_err(|e| e.fail(cx))?;
        while let Some(p) = ps.next() {
            if p.name_matches(name) {
                pids.push(p.pid);
            }
        }
        if pids.is_empty() {
            errors += 1;
            if !quiet {
                cx.err(&[name, b": no process killed"]);
            }
            continue;
        }
        for pid in pids.into_iter().filter(|&p| p != me) {
            // SAFETY: kill only sends a signal.
            if unsafe { libc::kill(pid as i32, sig) } != 0 {
                let e = crate::sys::errno();
                errors += 1;
                if !quiet {
                    let mut b = [0u8; 20];
                    cx.err(&[b"can't kill pid ", crate::cx::fmt_u64(pid as u64, &mut b), b": ", crate::sys::strerror(e)]);
                }
            }
        }
    }
    Ok(errors)
}
