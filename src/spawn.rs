//! Running another program the way BusyBox's BB_EXECVP_or_die and its callers do: exec in
//! place (nice, nohup, setsid, chrt...) or fork, exec and wait (timeout, time, setsid -w).

use crate::{sys, Cx, Fail};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// Executes `argv` (PATH searched) with the current environment; returns only on failure,
/// having reported `can't execute 'PROG': ERROR` (status 127 when it was not found, else
/// 126, as BusyBox and POSIX shells use).
pub fn exec(cx: &mut Cx, argv: &[&OsStr]) -> Fail {
    cx.out.flush();
    let Some(prog) = argv.first() else {
        return cx.usage();
    };
    let args: Vec<&[u8]> = argv.iter().map(|a| a.as_bytes()).collect();
    let e = sys::execvpe(prog.as_bytes(), &args, &sys::environ());
    cx.err(&[
        b"can't execute '",
        prog.as_bytes(),
        b"': ",
        sys::strerror(e),
    ]);
    Fail(if e == libc::ENOENT { 127 } else { 126 })
}

/// fork(2): Ok(0) in the child, Ok(pid) in the parent, Err(errno).
pub fn fork() -> Result<i32, i32> {
    // SAFETY: the child only execs or exits (no locks are taken between fork and exec).
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        Err(sys::errno())
    } else {
        Ok(pid)
    }
}

/// Ends a forked child at once with `status` (no atexit handlers, no stdio flush of the
/// parent's copy).
pub fn child_exit(status: i32) -> ! {
    // SAFETY: _exit never returns.
    unsafe { libc::_exit(status) }
}

/// waitpid(2) retried on EINTR: the raw status, or Err(errno).
pub fn wait(pid: i32, flags: i32) -> Result<(i32, i32), i32> {
    loop {
        let mut st = 0;
        // SAFETY: st is a valid out-pointer.
        let r = unsafe { libc::waitpid(pid, &mut st, flags) };
        if r >= 0 {
            return Ok((r, st));
        }
        let e = sys::errno();
        if e != libc::EINTR {
            return Err(e);
        }
    }
}

/// A wait status as a shell shows it: the exit code, or 128 + the signal.
pub fn status_code(st: i32) -> i32 {
    if libc::WIFEXITED(st) {
        libc::WEXITSTATUS(st)
    } else if libc::WIFSIGNALED(st) {
        128 + libc::WTERMSIG(st)
    } else {
        1
    }
}
