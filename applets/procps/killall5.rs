//! applet: killall5
//! dir: usr/sbin
//! usage: killall5 [-l] [-SIG] [-o PID]...
//! Send a signal (default: TERM) to all processes outside current session
//!
//! -l  List all signal names and numbers
//! -o PID	Don't signal this PID

// As BusyBox's: everything is stopped while the list is read (unless the signal is STOP
// or CONT), then continued; init, kernel threads (session 0), ourselves and our session
// are spared. Status 2 when no process was signalled.

use crate::procfs::{self, Procs};
use crate::{signals, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let mut argv: Vec<&[u8]> = args[1..].iter().map(|a| a.as_bytes()).collect();
    let mut sig = libc::SIGTERM;
    if argv.first() == Some(&&b"-l"[..]) {
        let mut out = Vec::new();
        signals::list(&mut out);
        cx.out.write(&out);
        return Ok(0);
    }
    if let Some(a) = argv.first().copied().filter(|a| a.len() > 1 && a[0] == b'-' && a[1] != b'o') {
        argv.remove(0);
        let mut name = &a[1..];
        if name == b"s" && !argv.is_empty() {
            name = argv.remove(0);
        }
        sig = signals::number(name).ok_or_else(|| cx.fail(&[b"bad signal name '", name, b"'"]))?;
    }
    // The -o list, checked before anything is stopped.
    let mut omit = Vec::new();
    let mut i = 0;
    while i < argv.len() {
        let a = argv[i];
        let Some(mut v) = a.strip_prefix(b"-o") else {
            return Err(cx.fail(&[b"bad option '", a, b"'"]));
        };
        if v.is_empty() {
            i += 1;
            v = argv.get(i).copied().unwrap_or_default();
        }
        let n = crate::args::parse_u64(v)
            .and_then(|n| i32::try_from(n).ok())
            .ok_or_else(|| cx.fail(&[b"invalid number '", v, b"'"]))?;
        omit.push(n as u32);
        i += 1;
    }
    // SAFETY: plain calls about our own process.
    let (me, sid) = unsafe { (libc::getpid() as u32, libc::getsid(0) as u32) };
    let mut ps = Procs::open(procfs::STAT).map_err(|e| e.fail(cx))?;
    let pause = sig != libc::SIGSTOP && sig != libc::SIGCONT;
    if pause {
        // SAFETY: kill(-1) signals every process we may signal, except ourselves.
        unsafe { libc::kill(-1, libc::SIGSTOP) };
    }
    let mut status = 2;
    while let Some(p) = ps.next() {
        if p.sid == sid || p.sid == 0 || p.pid == me || p.pid == 1 || omit.contains(&p.pid) {
            continue;
        }
        // SAFETY: kill only sends a signal.
        unsafe { libc::kill(p.pid as i32, sig) };
        status = 0;
    }
    if pause {
        // SAFETY: as above.
        unsafe { libc::kill(-1, libc::SIGCONT) };
    }
    Ok(status)
}
