//! Running commands from an applet (find -exec/-ok, xargs, timeout, nice, setsid...): fork, then execvp as glibc does
//! it (`sys::execvpe`, PATH from the environment given), the exec's errno sent back through a
//! close-on-exec pipe, so a command that cannot run is reported by the parent with its real
//! reason, as BusyBox's vfork-based spawn does.
//!
//! ```ignore
//! let env = sys::environ();
//! match spawn::run(&[b"echo", b"hi"], &env) {
//!     Ok(status) => {}                  // exit code, or -signal
//!     Err(errno) => cx.err_no(b"echo", errno),
//! }
//! ```
//! `exec` replaces the process (nice, nohup, setsid: BusyBox's BB_EXECVP_or_die), `fork` +
//! `waitpid` + `status_code` serve those that wait themselves (timeout, setsid -w).

use crate::{sys, Cx, Fail};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// Starts `argv` (argv[0] searched in PATH); the child's pid, or the errno of its exec.
pub fn start(argv: &[&[u8]], env: &[Vec<u8>]) -> Result<i32, i32> {
    start_with(argv, env, || Ok(()))
}

/// `start`, with `setup` run in the child before the exec (dup2 a pipe to stdin, fchdir:
/// tar --to-command); its errno is reported as the exec's would be.
pub fn start_with(
    argv: &[&[u8]],
    env: &[Vec<u8>],
    setup: impl FnOnce() -> Result<(), i32>,
) -> Result<i32, i32> {
    let Some(file) = argv.first() else {
        return Err(libc::EINVAL);
    };
    let mut p = [0i32; 2];
    // SAFETY: pipe2 fills the two descriptors.
    if unsafe { libc::pipe2(p.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(sys::errno());
    }
    // SAFETY: the child only execs or writes its errno and _exits.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        let e = sys::errno();
        close(p[0]);
        close(p[1]);
        return Err(e);
    }
    if pid == 0 {
        close(p[0]);
        let e = match setup() {
            Ok(()) => sys::execvpe(file, argv, env),
            Err(e) => e,
        };
        let _ = sys::write_all(p[1], &e.to_ne_bytes());
        // SAFETY: leave the child at once, without running the parent's exit handlers.
        unsafe { libc::_exit(127) };
    }
    close(p[1]);
    let mut b = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match sys::read(p[0], &mut b[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    close(p[0]);
    if got == 4 {
        wait_exit(pid);
        return Err(i32::from_ne_bytes(b));
    }
    Ok(pid)
}

/// Waits for child `pid`: its exit code, or minus the signal that killed it.
pub fn wait_exit(pid: i32) -> i32 {
    let mut st = 0;
    loop {
        // SAFETY: st is written by the kernel.
        let r = unsafe { libc::waitpid(pid, &mut st, 0) };
        if r == pid {
            return decode(st);
        }
        if r < 0 && sys::errno() != libc::EINTR {
            return 127;
        }
    }
}

/// Waits for any child: (pid, status as `wait` gives it); None when there are none.
pub fn wait_any() -> Option<(i32, i32)> {
    let mut st = 0;
    loop {
        // SAFETY: as above.
        let r = unsafe { libc::waitpid(-1, &mut st, 0) };
        if r > 0 {
            return Some((r, decode(st)));
        }
        if sys::errno() != libc::EINTR {
            return None;
        }
    }
}

/// A child that has ended, if any, without waiting: (pid, status as `wait` gives it).
pub fn try_wait_any() -> Option<(i32, i32)> {
    let mut st = 0;
    // SAFETY: as above.
    let r = unsafe { libc::waitpid(-1, &mut st, libc::WNOHANG) };
    (r > 0).then(|| (r, decode(st)))
}

/// Runs `argv` to its end: its status, or the errno of its exec.
pub fn run(argv: &[&[u8]], env: &[Vec<u8>]) -> Result<i32, i32> {
    start(argv, env).map(wait_exit)
}

fn decode(st: i32) -> i32 {
    if libc::WIFEXITED(st) {
        libc::WEXITSTATUS(st)
    } else if libc::WIFSIGNALED(st) {
        -libc::WTERMSIG(st)
    } else {
        127
    }
}

/// close(2), errors ignored (the descriptor is gone either way).
pub fn close(fd: i32) {
    // SAFETY: a descriptor this module opened, closed once.
    unsafe { libc::close(fd) };
}

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

/// Runs `argv` as a filter between two descriptors, as BusyBox's tar runs its compressors:
/// a forked child with `stdin` as fd 0 and `stdout` as fd 1 runs the applet of that name
/// in-process when it is compiled in, else execs it from PATH. Every fd in `close` is
/// closed in the child first (the caller's other pipe ends, so EOF is seen). The child's
/// pid, or the errno of fork (an exec failure is the child's status 127, reported as
/// `APPLET: can't execute 'PROG': ...` on stderr).
///
/// ```ignore
/// // tar xjf: the archive's fd in, a pipe out; read the pipe, then wait_exit(pid).
/// let (r, w) = spawn::pipe()?;
/// let pid = spawn::through(&[b"bunzip2", b"-c"], archive_fd, w, &[r])?;
/// spawn::close(w);
/// ```
pub fn through(argv: &[&[u8]], stdin: i32, stdout: i32, close_fds: &[i32]) -> Result<i32, i32> {
    let pid = fork()?;
    if pid != 0 {
        return Ok(pid);
    }
    for &fd in close_fds {
        close(fd);
    }
    // SAFETY: dup2 on descriptors the caller owns; a failure leaves the child to exit.
    unsafe {
        if (stdin != 0 && libc::dup2(stdin, 0) < 0) || (stdout != 1 && libc::dup2(stdout, 1) < 0) {
            libc::_exit(1);
        }
        if stdin > 1 {
            libc::close(stdin);
        }
        if stdout > 1 {
            libc::close(stdout);
        }
    }
    let Some(&name) = argv.first() else {
        child_exit(1)
    };
    let args: Vec<&OsStr> = argv.iter().map(|a| OsStr::from_bytes(a)).collect();
    if let Some(a) = crate::find(name) {
        child_exit(crate::multi::run_applet(a, &args));
    }
    let mut cx = Cx::new("", crate::Help::NONE);
    let Fail(st) = exec(&mut cx, &args);
    child_exit(st)
}

/// pipe(2) with O_CLOEXEC: (read end, write end), or the errno.
pub fn pipe() -> Result<(i32, i32), i32> {
    let mut p = [0i32; 2];
    // SAFETY: pipe2 fills the two descriptors.
    if unsafe { libc::pipe2(p.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(sys::errno());
    }
    Ok((p[0], p[1]))
}
