//! applet: ionice
//! usage: ionice [-c 1-3] [-n 0-7] [-t] { -p PID | PROG ARGS }
//! Change I/O priority and class
//!
//! -c N	Class. 1:realtime 2:best-effort 3:idle
//! -n N	Priority
//! -t  Ignore errors

use crate::{spawn, sys, Cx, Res};
use std::ffi::OsStr;
use std::io::Write;

const WHO_PROCESS: libc::c_long = 1;
const CLASS_SHIFT: u32 = 13;
const NAMES: [&str; 4] = ["none", "realtime", "best-effort", "idle"];

fn get(pid: i32) -> libc::c_long {
    // SAFETY: ioprio_get takes two plain values.
    unsafe { libc::syscall(libc::SYS_ioprio_get, WHO_PROCESS, pid as libc::c_long) }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "+c:n:p:t", &[])?;
    let num = |cx: &Cx, v: &OsStr| -> Res<u64> { Ok(cx.num_u64(v)?.min(u32::MAX as u64)) };
    let pid = match o.val(b'p') {
        Some(p) => cx.num_u64(p)?.min(i32::MAX as u64) as i32,
        None => 0,
    };
    let class = match o.val(b'c') {
        Some(c) => Some(num(cx, c)?),
        None => None,
    };
    let prio = match o.val(b'n') {
        Some(n) => Some(num(cx, n)?),
        None => None,
    };
    if class.is_none() && prio.is_none() {
        // Show the class and priority.
        let v = get(pid);
        if v < 0 {
            return Err(cx.fail_no(b"ioprio_get", sys::errno()));
        }
        let (c, n) = ((v >> CLASS_SHIFT) as usize & 3, v & 0xff);
        let mut b = Vec::new();
        let name = NAMES.get(c).copied().unwrap_or("unknown");
        let _ = if c == 3 { writeln!(b, "{name}") } else { writeln!(b, "{name}: prio {n}") };
        cx.out.write(&b);
        return Ok(0);
    }
    // As BusyBox: without -c the class is "none" (and the kernel then takes no -n).
    let class = class.unwrap_or(0);
    if class > 3 {
        let mut b = Vec::new();
        let _ = write!(b, "bad class {class}");
        return Err(cx.fail(&[&b]));
    }
    let prio = prio.unwrap_or(0);
    let v = (class << CLASS_SHIFT) as libc::c_long | prio as libc::c_long;
    // SAFETY: ioprio_set takes plain values.
    let r = unsafe { libc::syscall(libc::SYS_ioprio_set, WHO_PROCESS, pid as libc::c_long, v) };
    if r < 0 && !o.has(b't') {
        return Err(cx.fail_no(b"ioprio_set", sys::errno()));
    }
    if o.val(b'p').is_none() {
        if o.args.is_empty() {
            return Ok(0);
        }
        return Err(spawn::exec(cx, &o.args));
    }
    Ok(0)
}
