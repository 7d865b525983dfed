//! applet: time
//! usage: time [-vpa] [-o FILE] PROG ARGS
//! Run PROG, display resource usage when it exits
//!
//! -v  Verbose
//! -p  POSIX output format
//! -f FMT	Custom format
//! -o FILE	Write result to FILE
//! -a  Append (else overwrite)

// BusyBox's time: its formats and its %-letters; a backslash and an unknown %-letter
// are dropped (BusyBox does not translate \n or \t); $TIME is the format when no option
// gives one; the status is PROG's, or the number of the signal that ended it.

use crate::{spawn, sys, Cx, Res};
use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

const DEFAULT: &[u8] = b"real\t%E\nuser\t%u\nsys\t%T";
const POSIX: &[u8] = b"real %e\nuser %U\nsys %S";
const LONG: &[u8] = b"\tCommand being timed: \"%C\"\n\
\tUser time (seconds): %U\n\
\tSystem time (seconds): %S\n\
\tPercent of CPU this job got: %P\n\
\tElapsed (wall clock) time (h:mm:ss or m:ss): %E\n\
\tAverage shared text size (kbytes): %X\n\
\tAverage unshared data size (kbytes): %D\n\
\tAverage stack size (kbytes): %p\n\
\tAverage total size (kbytes): %K\n\
\tMaximum resident set size (kbytes): %M\n\
\tAverage resident set size (kbytes): %t\n\
\tMajor (requiring I/O) page faults: %F\n\
\tMinor (reclaiming a frame) page faults: %R\n\
\tVoluntary context switches: %w\n\
\tInvoluntary context switches: %c\n\
\tSwaps: %W\n\
\tFile system inputs: %I\n\
\tFile system outputs: %O\n\
\tSocket messages sent: %s\n\
\tSocket messages received: %r\n\
\tSignals delivered: %k\n\
\tPage size (bytes): %Z\n\
\tExit status: %x";

fn now_ms() -> u64 {
    // SAFETY: ts is plain data filled by the kernel.
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1000 + ts.tv_nsec as u64 / 1_000_000
}

/// "%um %u.%02us", or "%uh %um %02us" from an hour on.
fn hms(o: &mut Vec<u8>, secs: u64, hundredths: u64) {
    if secs >= 3600 {
        let _ = write!(o, "{}h {}m {:02}s", secs / 3600, secs % 3600 / 60, secs % 60);
    } else {
        let _ = write!(o, "{}m {}.{:02}s", secs / 60, secs % 60, hundredths);
    }
}

fn summarize(o: &mut Vec<u8>, fmt: &[u8], cmd: &[&OsStr], st: i32, ru: &libc::rusage, elapsed: u64) {
    if libc::WIFSIGNALED(st) {
        let _ = writeln!(o, "Command terminated by signal {}", libc::WTERMSIG(st));
    } else if libc::WIFEXITED(st) && libc::WEXITSTATUS(st) != 0 {
        let _ = writeln!(o, "Command exited with non-zero status {}", libc::WEXITSTATUS(st));
    }
    let (us, ss) = (ru.ru_utime, ru.ru_stime);
    let vv_ms = (us.tv_sec + ss.tv_sec) as u64 * 1000 + (us.tv_usec + ss.tv_usec) as u64 / 1000;
    let ticks = (vv_ms / 10).max(1);
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        i += 1;
        if c == b'\\' {
            continue;
        }
        if c != b'%' {
            o.push(c);
            continue;
        }
        let Some(&k) = fmt.get(i) else { break };
        i += 1;
        let n = |v: libc::c_long| v as u64;
        let _ = match k {
            b'C' => {
                for (j, a) in cmd.iter().enumerate() {
                    if j > 0 {
                        o.push(b' ');
                    }
                    o.extend_from_slice(a.as_bytes());
                }
                Ok(())
            }
            b'D' => write!(o, "{}", (n(ru.ru_idrss) + n(ru.ru_isrss)) / ticks),
            b'E' => {
                hms(o, elapsed / 1000, elapsed / 10 % 100);
                Ok(())
            }
            b'F' => write!(o, "{}", n(ru.ru_majflt)),
            b'I' => write!(o, "{}", n(ru.ru_inblock)),
            b'K' => write!(o, "{}", (n(ru.ru_idrss) + n(ru.ru_isrss) + n(ru.ru_ixrss)) / ticks),
            b'M' => write!(o, "{}", n(ru.ru_maxrss)),
            b'O' => write!(o, "{}", n(ru.ru_oublock)),
            b'P' if elapsed > 0 => write!(o, "{}%", vv_ms * 100 / elapsed),
            b'P' => write!(o, "?%"),
            b'R' => write!(o, "{}", n(ru.ru_minflt)),
            b'S' => write!(o, "{}.{:02}", ss.tv_sec, ss.tv_usec / 10000),
            b'T' => {
                hms(o, ss.tv_sec as u64, ss.tv_usec as u64 / 10000);
                Ok(())
            }
            b'U' => write!(o, "{}.{:02}", us.tv_sec, us.tv_usec / 10000),
            b'u' => {
                hms(o, us.tv_sec as u64, us.tv_usec as u64 / 10000);
                Ok(())
            }
            b'W' => write!(o, "{}", n(ru.ru_nswap)),
            b'X' => write!(o, "{}", n(ru.ru_ixrss) / ticks),
            b'Z' => write!(o, "{page}"),
            b'c' => write!(o, "{}", n(ru.ru_nivcsw)),
            b'e' => write!(o, "{}.{:02}", elapsed / 1000, elapsed / 10 % 100),
            b'k' => write!(o, "{}", n(ru.ru_nsignals)),
            b'p' => write!(o, "{}", n(ru.ru_isrss) / ticks),
            b'r' => write!(o, "{}", n(ru.ru_msgrcv)),
            b's' => write!(o, "{}", n(ru.ru_msgsnd)),
            b't' => write!(o, "{}", n(ru.ru_idrss) / ticks),
            b'w' => write!(o, "{}", n(ru.ru_nvcsw)),
            b'x' => write!(o, "{}", libc::WEXITSTATUS(st)),
            _ => Ok(()),
        };
    }
    o.push(b'\n');
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "+vpao:f:", &[])?;
    if o.args.is_empty() {
        return Err(cx.usage());
    }
    let env_fmt = std::env::var_os("TIME");
    let mut fmt: &[u8] = match (o.val(b'f'), &env_fmt) {
        (Some(f), _) => f.as_bytes(),
        (None, Some(t)) => t.as_bytes(),
        (None, None) => DEFAULT,
    };
    if o.has(b'v') {
        fmt = LONG;
    }
    if o.has(b'p') {
        fmt = POSIX;
    }
    let mut out_fd = 2;
    if let Some(f) = o.val(b'o') {
        let flags = libc::O_CREAT | libc::O_WRONLY | libc::O_CLOEXEC | if o.has(b'a') { libc::O_APPEND } else { libc::O_TRUNC };
        let c = sys::cstr(f.as_bytes()).ok_or_else(|| cx.fail(&[b"bad file name"]))?;
        // SAFETY: c is NUL-terminated.
        out_fd = unsafe { libc::open(c.as_ptr(), flags, 0o666) };
        if out_fd < 0 {
            let e = sys::errno();
            cx.err_open(f, e);
            return Err(crate::Fail(1));
        }
    }
    let start = now_ms();
    cx.out.flush();
    let pid = spawn::fork().map_err(|e| cx.fail_no(b"fork", e))?;
    if pid == 0 {
        let f = spawn::exec(cx, &o.args);
        spawn::child_exit(f.0);
    }
    // Signals from the keyboard are for the child; time reports afterwards.
    // SAFETY: dispositions are put back below.
    let (old_int, old_quit) = unsafe { (libc::signal(libc::SIGINT, libc::SIG_IGN), libc::signal(libc::SIGQUIT, libc::SIG_IGN)) };
    let mut st = 0;
    // SAFETY: rusage is plain data filled by the kernel.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: valid out-pointers.
        let r = unsafe { libc::wait4(pid, &mut st, 0, &mut ru) };
        if r == pid {
            break;
        }
        if r < 0 && sys::errno() != libc::EINTR {
            cx.err_no(b"wait", sys::errno());
            break;
        }
    }
    let elapsed = now_ms().saturating_sub(start);
    // SAFETY: restores what was there.
    unsafe {
        libc::signal(libc::SIGINT, old_int);
        libc::signal(libc::SIGQUIT, old_quit);
    }
    let mut text = Vec::with_capacity(256);
    summarize(&mut text, fmt, &o.args, st, &ru, elapsed);
    let _ = sys::write_all(out_fd, &text);
    if out_fd != 2 {
        // SAFETY: opened above.
        unsafe { libc::close(out_fd) };
    }
    Ok(if libc::WIFSIGNALED(st) { libc::WTERMSIG(st) } else { libc::WEXITSTATUS(st) })
}
