//! applet: setsid
//! usage: setsid [-cw] PROG ARGS
//! Run PROG in a new session. PROG will have no controlling terminal
//! and will not be affected by keyboard signals (^C etc).
//!
//! -c  Set controlling terminal to stdin
//! -w  Wait for PROG and exit with its status

use crate::{spawn, Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "+cw", &[])?;
    if o.args.is_empty() {
        return Err(cx.usage());
    }
    // A process group leader cannot start a session: fork, and let the child do it (the
    // parent returns at once, or with -w waits for it, as util-linux's setsid -w).
    // SAFETY: setsid only changes our own session.
    if unsafe { libc::setsid() } < 0 {
        cx.out.flush();
        let pid = spawn::fork().map_err(|e| cx.fail_no(b"fork", e))?;
        if pid != 0 {
            if !o.has(b'w') {
                return Ok(0);
            }
            return match spawn::wait(pid, 0) {
                Ok((_, st)) => Ok(spawn::status_code(st)),
                Err(e) => Err(cx.fail_no(b"waitpid", e)),
            };
        }
        // SAFETY: as above, in the child, which is no group leader.
        unsafe { libc::setsid() };
        if o.has(b'c') {
            // SAFETY: an ioctl on stdin.
            unsafe { libc::ioctl(0, libc::TIOCSCTTY, 1) };
        }
        let f = spawn::exec(cx, &o.args);
        spawn::child_exit(f.0);
    }
    if o.has(b'c') {
        // SAFETY: an ioctl on stdin.
        unsafe { libc::ioctl(0, libc::TIOCSCTTY, 1) };
    }
    Err(spawn::exec(cx, &o.args))
}
