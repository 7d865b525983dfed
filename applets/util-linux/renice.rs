//! applet: renice
//! usage: renice [-n] PRIORITY [[-p|g|u] ID...]...
//! Change scheduling priority of a running process
//!
//! -n  Add PRIORITY to current nice value
//! 	Without -n, nice value is set to PRIORITY
//! -p  Process ids (default)
//! -g  Process group ids
//! -u  Process user names

use crate::users::Users;
use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let mut argv = args[1..].iter().map(|a| a.as_bytes());
    let mut arg = argv.next();
    let mut relative = false;
    if arg == Some(b"-n") {
        relative = true;
        arg = argv.next();
    }
    let Some(a) = arg else {
        return Err(cx.usage());
    };
    let adj = cx.num_i64(OsStr::from_bytes(a))?;
    if !(i32::MIN as i64 / 2..=i32::MAX as i64 / 2).contains(&adj) {
        return Err(cx.fail(&[b"invalid number '", a, b"'"]));
    }
    let users = Users::new();
    let mut which = libc::PRIO_PROCESS;
    let mut status = 0;
    for mut a in argv {
        if a.len() > 1 && a[0] == b'-' {
            let w = match a[1] {
                b'p' => Some(libc::PRIO_PROCESS),
                b'g' => Some(libc::PRIO_PGRP),
                b'u' => Some(libc::PRIO_USER),
                _ => None,
            };
            if let Some(w) = w {
                which = w;
                if a.len() == 2 {
                    continue;
                }
                a = &a[2..];
            }
        }
        let who = if which == libc::PRIO_USER {
            match users.uid(a) {
                Some(u) => u,
                None => {
                    cx.err(&[b"unknown user ", a]);
                    status = 1;
                    continue;
                }
            }
        } else {
            match crate::args::parse_u64(a).and_then(|n| u32::try_from(n).ok()) {
                Some(n) => n,
                None => {
                    cx.err(&[b"invalid number '", a, b"'"]);
                    status = 1;
                    continue;
                }
            }
        };
        let prio = if relative {
            // SAFETY: errno is cleared first, since -1 is a valid priority.
            let old = unsafe {
                *libc::__errno_location() = 0;
                libc::getpriority(which as _, who)
            };
            let e = sys::errno();
            if e != 0 {
                cx.err_no(b"getpriority", e);
                status = 1;
                continue;
            }
            old as i64 + adj
        } else {
            adj
        };
        // SAFETY: setpriority takes plain values.
        if unsafe { libc::setpriority(which as _, who, prio as i32) } != 0 {
            cx.err_no(b"setpriority", sys::errno());
            status = 1;
        }
    }
    Ok(status)
}
