//! applet: chrt
//! usage: chrt -m | -p [PRIO] PID | [-rfobi] PRIO PROG ARGS
//! Change scheduling priority and class for a process
//!
//! -m  Show min/max priorities
//! -p  Operate on PID
//! -r  Set SCHED_RR class
//! -f  Set SCHED_FIFO class
//! -o  Set SCHED_OTHER class
//! -b  Set SCHED_BATCH class
//! -i  Set SCHED_IDLE class

use crate::{spawn, sys, Cx, Res};
use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

const NAMES: [&str; 7] = ["OTHER", "FIFO", "RR", "BATCH", "ISO", "IDLE", "DEADLINE"];
const RESET_ON_FORK: i32 = 0x4000_0000;

// musl's sched_* wrappers answer ENOSYS (POSIX means the process, Linux the thread), so
// the system calls are made directly; the kernel's sched_param is one int.
fn getscheduler(pid: i32) -> i32 {
    // SAFETY: takes a plain value.
    unsafe { libc::syscall(libc::SYS_sched_getscheduler, pid as libc::c_long) as i32 }
}

fn getparam(pid: i32, prio: &mut i32) -> i32 {
    // SAFETY: prio points to one int, the kernel's struct sched_param.
    unsafe { libc::syscall(libc::SYS_sched_getparam, pid as libc::c_long, prio as *mut i32) as i32 }
}

fn setscheduler(pid: i32, policy: i32, prio: i32) -> i32 {
    let p = prio;
    // SAFETY: as above.
    unsafe { libc::syscall(libc::SYS_sched_setscheduler, pid as libc::c_long, policy as libc::c_long, &p as *const i32) as i32 }
}

fn name(p: i32) -> &'static str {
    NAMES.get(p as usize).copied().unwrap_or("?")
}

fn show(cx: &mut Cx, pid: i32, what: &str) -> Res<()> {
    let pol = getscheduler(pid);
    if pol < 0 {
        let mut b = Vec::new();
        let _ = write!(b, "can't get pid {pid}'s policy");
        return Err(cx.fail_no(&b, sys::errno()));
    }
    let mut prio = 0;
    if getparam(pid, &mut prio) != 0 {
        let mut b = Vec::new();
        let _ = write!(b, "can't get pid {pid}'s attributes");
        return Err(cx.fail_no(&b, sys::errno()));
    }
    let mut b = Vec::new();
    let _ = writeln!(b, "pid {pid}'s {what} scheduling policy: SCHED_{}", name(pol & !RESET_ON_FORK));
    let _ = writeln!(b, "pid {pid}'s {what} scheduling priority: {prio}");
    cx.out.write(&b);
    Ok(())
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "+mprfobi", &[])?;
    if o.has(b'm') {
        let mut b = Vec::new();
        for p in [libc::SCHED_FIFO, libc::SCHED_RR, libc::SCHED_OTHER, libc::SCHED_BATCH, libc::SCHED_IDLE] {
            // SAFETY: plain queries.
            let (max, min) = unsafe { (libc::sched_get_priority_max(p), libc::sched_get_priority_min(p)) };
            let _ = if (max | min) < 0 {
                writeln!(b, "SCHED_{} not supported", name(p))
            } else {
                writeln!(b, "SCHED_{} min/max priority\t: {min}/{max}", name(p))
            };
        }
        cx.out.write(&b);
        return Ok(0);
    }
    if o.last_of(b"rfobi").is_some() && [b'r', b'f', b'o', b'b', b'i'].iter().filter(|&&c| o.has(c)).count() > 1 {
        return Err(cx.usage());
    }
    let policy = match o.last_of(b"rfobi") {
        Some(b'f') => libc::SCHED_FIFO,
        Some(b'o') => libc::SCHED_OTHER,
        Some(b'b') => libc::SCHED_BATCH,
        Some(b'i') => libc::SCHED_IDLE,
        _ => libc::SCHED_RR,
    };
    let Some((&first, rest)) = o.args.split_first() else {
        return Err(cx.usage());
    };
    let mut prio = Some(first);
    let mut pid = 0;
    if o.has(b'p') {
        let pid_s = match rest.first() {
            Some(&p) => p,
            None => {
                prio = None;
                first
            }
        };
        pid = match crate::args::parse_u64(pid_s.as_bytes()).filter(|&n| n <= i32::MAX as u64) {
            Some(n) => n as i32,
            None => return Err(cx.fail(&[b"invalid number '", pid_s.as_bytes(), b"'"])),
        };
        show(cx, pid, "current")?;
        if prio.is_none() {
            return Ok(0);
        }
    }
    let Some(prio) = prio else { return Ok(0) };
    let rt = policy == libc::SCHED_FIFO || policy == libc::SCHED_RR;
    let (lo, hi) = if rt { (1, 99) } else { (0, 0) };
    let n = match crate::args::parse_u64(prio.as_bytes()) {
        Some(n) if n >= lo && n <= hi => n as i32,
        Some(_) => {
            let mut b = Vec::new();
            let _ = write!(b, "number {} is not in {lo}..{hi} range", String::from_utf8_lossy(prio.as_bytes()));
            return Err(cx.fail(&[&b]));
        }
        None => return Err(cx.fail(&[b"invalid number '", prio.as_bytes(), b"'"])),
    };
    if setscheduler(pid, policy, n) < 0 {
        let mut b = Vec::new();
        let _ = write!(b, "can't set pid {pid}'s policy");
        return Err(cx.fail_no(&b, sys::errno()));
    }
    if o.has(b'p') {
        show(cx, pid, "new")?;
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(cx.usage());
    }
    Err(spawn::exec(cx, rest))
}
