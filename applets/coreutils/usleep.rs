//! applet: usleep
//! dir: bin
//! usage: usleep N
//! Pause for N microseconds

use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // No options, and operands after the first are ignored (BusyBox).
    let Some(a) = args.get(1) else {
        return Err(cx.usage());
    };
    // BusyBox's xatou: decimal digits only, at most 32 bits.
    match crate::args::parse_u64(a.as_bytes()) {
        Some(us) if us <= u32::MAX as u64 => {
            let mut ts = libc::timespec {
                tv_sec: (us / 1_000_000) as _,
                tv_nsec: (us % 1_000_000 * 1000) as _,
            };
            // Resumed after a signal handler, for the time left.
            loop {
                let mut rem = ts;
                // SAFETY: both timespecs are valid for the call.
                if unsafe { libc::nanosleep(&ts, &mut rem) } == 0
                    || crate::sys::errno() != libc::EINTR
                {
                    return Ok(0);
                }
                ts = rem;
            }
        }
        _ => Err(cx.fail(&[b"invalid number '", a.as_bytes(), b"'"])),
    }
}
