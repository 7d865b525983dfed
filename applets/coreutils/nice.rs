//! applet: nice
//! dir: bin
//! usage: nice [-n ADJUST] [PROG ARGS]
//! Change scheduling priority, run PROG
//!
//! -n ADJUST	Adjust priority by ADJUST

// Hand-parsed as BusyBox does: `nice -5 PROG` and `nice -n -5 PROG` both adjust by the
// number; without PROG the current niceness is printed.

use crate::{spawn, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // SAFETY: getpriority only returns a value (errno is not needed: -1 is a valid nice).
    let old = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
    let mut argv = &args[1..];
    if argv.is_empty() {
        if old < 0 {
            cx.out.byte(b'-');
        }
        cx.out.num(old.unsigned_abs() as u64);
        cx.out.byte(b'\n');
        return Ok(0);
    }
    let mut adj: i64 = 10;
    let a = argv[0].as_bytes();
    if a.first() == Some(&b'-') {
        let mut n = &a[1..];
        if n.first() == Some(&b'n') {
            n = &n[1..];
            if n.is_empty() {
                argv = &argv[1..];
                n = argv.first().map_or(&b""[..], |s| s.as_bytes());
                if argv.is_empty() {
                    return Err(cx.usage());
                }
            }
        }
        if argv.len() < 2 {
            return Err(cx.usage());
        }
        adj = cx.num_i64(OsStr::from_bytes(n))?;
        if !(i32::MIN as i64 / 2..=i32::MAX as i64 / 2).contains(&adj) {
            return Err(cx.fail(&[b"invalid number '", n, b"'"]));
        }
        argv = &argv[1..];
    }
    let prio = (old as i64 + adj).clamp(i32::MIN as i64, i32::MAX as i64) as i32;
    // SAFETY: setpriority only changes our own niceness.
    if unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, prio) } < 0 {
        let mut m = b"setpriority(".to_vec();
        let mut b = [0u8; 20];
        if prio < 0 {
            m.push(b'-');
        }
        m.extend_from_slice(crate::cx::fmt_u64(prio.unsigned_abs() as u64, &mut b));
        m.push(b')');
        return Err(cx.fail_no(&m, crate::sys::errno()));
    }
    Err(spawn::exec(cx, argv))
}
