//! applet: timeout
//! usage: timeout [-s SIG] [-k KILL_SECS] SECS PROG ARGS
//! Run PROG. Send SIG to it if it is not gone in SECS seconds.
//! Default SIG: TERM. If it still exists in KILL_SECS seconds, send KILL.

// Statuses as coreutils' timeout gives them (BusyBox 1.35 instead execs PROG in its own
// place, so a timed-out PROG shows as killed by the signal, 143): 124 when PROG was timed
// out, 137 when it had to be killed with KILL, else PROG's own status (128 + N when a
// signal N ended it); 125 for timeout's own failures; 126/127 when PROG cannot be run.
// SECS may be fractional and take a suffix s, m, h or d; 0 means no time limit.

use crate::{signals, spawn, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// SECS[.FRAC][smhd] as nanoseconds.
fn duration(s: &[u8]) -> Option<u128> {
    let (num, mul) = match s.last() {
        Some(b's') => (&s[..s.len() - 1], 1u128),
        Some(b'm') => (&s[..s.len() - 1], 60),
        Some(b'h') => (&s[..s.len() - 1], 3600),
        Some(b'd') => (&s[..s.len() - 1], 86400),
        _ => (s, 1),
    };
    let (int, frac) = match num.iter().position(|&c| c == b'.') {
        Some(i) => (&num[..i], &num[i + 1..]),
        None => (num, &b""[..]),
    };
    if (int.is_empty() && frac.is_empty()) || !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let i = if int.is_empty() { 0 } else { crate::args::parse_u64(int)? } as u128;
    let mut ns = 0u128;
    let mut scale = 100_000_000u128;
    for &d in frac.iter().take(9) {
        ns += (d - b'0') as u128 * scale;
        scale /= 10;
    }
    (i * 1_000_000_000 + ns).checked_mul(mul)
}

fn now_ns() -> u128 {
    // SAFETY: ts is plain data filled by the kernel.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u128 * 1_000_000_000 + ts.tv_nsec as u128
}

/// Waits for `pid` to end until `deadline` (None: forever), with SIGCHLD blocked in `set`.
/// Some(status) when it ended.
fn wait_until(pid: i32, set: &libc::sigset_t, deadline: Option<u128>) -> Option<i32> {
    loop {
        if let Ok((r, st)) = spawn::wait(pid, libc::WNOHANG) {
            if r == pid {
                return Some(st);
            }
        }
        let left = match deadline {
            None => u64::MAX as u128,
            Some(d) => d.checked_sub(now_ns()).filter(|&l| l > 0)?,
        };
        let ts = libc::timespec {
            tv_sec: (left / 1_000_000_000).min(i32::MAX as u128) as _,
            tv_nsec: (left % 1_000_000_000) as _,
        };
        // SAFETY: set and ts are valid; a NULL info pointer is allowed.
        unsafe { libc::sigtimedwait(set, std::ptr::null_mut(), &ts) };
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "+s:k:", &[]).map_err(|_| crate::Fail(125))?;
    let sig_name = o.val(b's').map_or(&b"TERM"[..], |s| s.as_bytes());
    let Some(sig) = signals::number(sig_name) else {
        cx.err(&[b"unknown signal '", sig_name, b"'"]);
        return Err(crate::Fail(125));
    };
    if o.args.len() < 2 {
        cx.usage();
        return Err(crate::Fail(125));
    }
    let secs = o.args[0].as_bytes();
    let Some(limit) = duration(secs) else {
        cx.err(&[b"invalid number '", secs, b"'"]);
        return Err(crate::Fail(125));
    };
    let kill_after = match o.val(b'k') {
        Some(k) => match duration(k.as_bytes()) {
            Some(n) => n,
            None => {
                cx.err(&[b"invalid number '", k.as_bytes(), b"'"]);
                return Err(crate::Fail(125));
            }
        },
        None => 0,
    };
    // SIGCHLD is blocked so that sigtimedwait can wait for it; the old mask comes back
    // in the child before exec and in the parent at the end.
    // SAFETY: sigset_t is plain data; these calls only change our signal mask.
    let (set, old) = unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGCHLD);
        libc::sigprocmask(libc::SIG_BLOCK, &set, &mut old);
        (set, old)
    };
    let restore = || unsafe { libc::sigprocmask(libc::SIG_SETMASK, &old, std::ptr::null_mut()) };
    cx.out.flush();
    let pid = match spawn::fork() {
        Ok(p) => p,
        Err(e) => {
            restore();
            cx.err_no(b"fork", e);
            return Err(crate::Fail(125));
        }
    };
    if pid == 0 {
        restore();
        let f = spawn::exec(cx, &o.args[1..]);
        spawn::child_exit(f.0);
    }
    let deadline = (limit > 0).then(|| now_ns() + limit);
    let mut timed_out = false;
    let st = match wait_until(pid, &set, deadline) {
        Some(st) => st,
        None => {
            timed_out = true;
            // SAFETY: signals our own child.
            unsafe { libc::kill(pid, sig) };
            if sig != libc::SIGKILL && sig != libc::SIGCONT {
                // A stopped child would never see the signal.
                unsafe { libc::kill(pid, libc::SIGCONT) };
            }
            let second = (kill_after > 0).then(|| now_ns() + kill_after);
            match wait_until(pid, &set, second) {
                Some(st) => st,
                None => {
                    // SAFETY: as above.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                    wait_until(pid, &set, None).unwrap_or(libc::SIGKILL)
                }
            }
        }
    };
    restore();
    let killed = libc::WIFSIGNALED(st) && libc::WTERMSIG(st) == libc::SIGKILL;
    Ok(if timed_out && !killed { 124 } else { spawn::status_code(st) })
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations() {
        use super::duration as d;
        assert_eq!(d(b"1"), Some(1_000_000_000));
        assert_eq!(d(b"0.25"), Some(250_000_000));
        assert_eq!(d(b".5s"), Some(500_000_000));
        assert_eq!(d(b"2m"), Some(120_000_000_000));
        assert_eq!(d(b"1d"), Some(86_400_000_000_000));
        assert_eq!(d(b"1x"), None);
        assert_eq!(d(b""), None);
        assert_eq!(d(b"."), None);
        assert_eq!(d(b"-1"), None);
    }
}
