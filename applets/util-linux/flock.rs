//! applet: flock
//! usage: flock [-sxun] [-w SEC] FD | { FILE [-c] PROG ARGS }
//! [Un]lock file descriptor, or lock FILE, run PROG
//!
//! -s  Shared lock
//! -x  Exclusive lock (default)
//! -u  Unlock FD
//! -n  Fail rather than wait
//! -w SEC	Fail after waiting SEC seconds (util-linux's option)

use crate::{spawn, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "+sxnuw:",
        &[("shared", b's'), ("exclusive", b'x'), ("unlock", b'u'), ("nonblock", b'n'), ("timeout", b'w')],
    )?;
    let Some(&target) = o.args.first() else {
        return Err(cx.usage());
    };
    let mut rest = &o.args[1..];
    let (fd, opened) = if !rest.is_empty() {
        let c = sys::cstr(target.as_bytes()).ok_or_else(|| cx.fail(&[b"bad file name"]))?;
        // SAFETY: c is NUL-terminated.
        let mut fd = unsafe { libc::open(c.as_ptr(), libc::O_RDONLY | libc::O_NOCTTY | libc::O_CREAT, 0o666) };
        if fd < 0 && sys::errno() == libc::EISDIR {
            // SAFETY: as above.
            fd = unsafe { libc::open(c.as_ptr(), libc::O_RDONLY | libc::O_NOCTTY) };
        }
        if fd < 0 {
            let e = sys::errno();
            cx.err_open(target, e);
            return Err(crate::Fail(1));
        }
        (fd, true)
    } else {
        let n = cx.num_u64(target)?;
        (i32::try_from(n).map_err(|_| cx.fail(&[b"invalid number '", target.as_bytes(), b"'"]))?, false)
    };
    let mut shell = false;
    if rest.first().is_some_and(|a| a.as_bytes() == b"-c" || a.as_bytes() == b"--command") {
        rest = &rest[1..];
        if rest.len() > 1 {
            return Err(cx.fail(&[b"-c takes only one argument"]));
        }
        shell = true;
    }
    let mut mode = if o.has(b'u') {
        libc::LOCK_UN
    } else if o.has(b's') {
        libc::LOCK_SH
    } else {
        libc::LOCK_EX
    };
    let deadline = match o.val(b'w') {
        Some(w) => {
            let secs = w.as_bytes();
            let ms = parse_ms(secs).ok_or_else(|| cx.fail(&[b"invalid number '", secs, b"'"]))?;
            Some(std::time::Instant::now() + std::time::Duration::from_millis(ms))
        }
        None => None,
    };
    if o.has(b'n') || deadline.is_some() {
        mode |= libc::LOCK_NB;
    }
    loop {
        // SAFETY: flock on a descriptor we hold.
        if unsafe { libc::flock(fd, mode) } == 0 {
            break;
        }
        let e = sys::errno();
        if e == libc::EINTR {
            continue;
        }
        if e != libc::EWOULDBLOCK {
            return Err(cx.fail(&[sys::strerror(e)]));
        }
        match deadline {
            Some(d) if std::time::Instant::now() < d && !o.has(b'n') => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            _ => return Ok(1),
        }
    }
    if rest.is_empty() {
        return Ok(0);
    }
    cx.out.flush();
    let pid = spawn::fork().map_err(|e| cx.fail_no(b"fork", e))?;
    if pid == 0 {
        let f = if shell {
            spawn::exec(cx, &[OsStr::new("/bin/sh"), OsStr::new("-c"), rest[0]])
        } else {
            spawn::exec(cx, rest)
        };
        spawn::child_exit(f.0);
    }
    let st = spawn::wait(pid, 0).map_err(|e| cx.fail_no(b"wait", e))?.1;
    if opened {
        // SAFETY: our descriptor; closing drops the lock.
        unsafe { libc::close(fd) };
    }
    Ok(spawn::status_code(st))
}

fn parse_ms(s: &[u8]) -> Option<u64> {
    let (int, frac) = match s.iter().position(|&c| c == b'.') {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, &b""[..]),
    };
    if (int.is_empty() && frac.is_empty()) || !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let i = if int.is_empty() { 0 } else { crate::args::parse_u64(int)? };
    let mut ms = 0;
    let mut scale = 100;
    for &d in frac.iter().take(3) {
        ms += (d - b'0') as u64 * scale;
        scale /= 10;
    }
    i.checked_mul(1000)?.checked_add(ms)
}
