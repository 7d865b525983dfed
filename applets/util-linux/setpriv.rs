//! applet: setpriv
//! usage: setpriv [OPTIONS] PROG ARGS
//! Run PROG with different privilege settings
//!
//! -d,--dump		Show current capabilities
//! --nnp,--no-new-privs	Ignore setuid/setgid bits and file capabilities
//! --inh-caps CAP,CAP	Set inheritable capabilities
//! --ambient-caps CAP,CAP	Set ambient capabilities

use crate::{spawn, sys, Cx, Res};
use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

const NAMES: [&str; 38] = [
    "chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap",
    "linux_immutable", "net_bind_service", "net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner",
    "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice",
    "sys_resource", "sys_time", "sys_tty_config", "mknod", "lease", "audit_write", "audit_control", "setfcap",
    "mac_override", "mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read",
];

fn last_cap() -> u32 {
    std::fs::read("/proc/sys/kernel/cap_last_cap")
        .ok()
        .and_then(|t| crate::args::parse_u64(t.trim_ascii()))
        .map_or(40, |n| n.min(63) as u32)
}

fn name(out: &mut Vec<u8>, i: u32) {
    match NAMES.get(i as usize) {
        Some(n) => out.extend_from_slice(n.as_bytes()),
        None => {
            let _ = write!(out, "cap_{i}");
        }
    }
}

#[repr(C)]
struct Header {
    version: u32,
    pid: i32,
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
struct Data {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

fn capget() -> Result<[Data; 2], i32> {
    let mut h = Header { version: 0x2008_0522, pid: 0 };
    let mut d = [Data::default(); 2];
    // SAFETY: capget fills two Data for version 3.
    if unsafe { libc::syscall(libc::SYS_capget, &mut h as *mut Header, d.as_mut_ptr()) } != 0 {
        return Err(sys::errno());
    }
    Ok(d)
}

fn capset(d: &[Data; 2]) -> Result<(), i32> {
    let mut h = Header { version: 0x2008_0522, pid: 0 };
    // SAFETY: as above.
    if unsafe { libc::syscall(libc::SYS_capset, &mut h as *mut Header, d.as_ptr()) } != 0 {
        return Err(sys::errno());
    }
    Ok(())
}

/// A comma list of `+NAME`/`-NAME` (names as in capabilities(7) without `cap_`, or a
/// number): (raise?, cap).
fn parse(cx: &Cx, list: &[u8]) -> Res<Vec<(bool, Option<u32>)>> {
    let mut v = Vec::new();
    for item in list.split(|&c| c == b',') {
        let raise = match item.first() {
            Some(b'+') => true,
            Some(b'-') => false,
            _ => return Err(cx.fail(&[b"invalid capability '", item, b"'"])),
        };
        let n = &item[1..];
        let bare = n.strip_prefix(b"cap_").unwrap_or(n);
        let idx = NAMES
            .iter()
            .position(|x| x.as_bytes().eq_ignore_ascii_case(bare))
            .map(|i| i as u32)
            .or_else(|| crate::args::parse_u64(bare).and_then(|x| u32::try_from(x).ok()).filter(|&x| x <= last_cap()));
        match idx {
            Some(i) => v.push((raise, Some(i))),
            // (BusyBox knows no "all" either.)
            None => return Err(cx.fail(&[b"unknown capability '", n, b"'"])),
        }
    }
    Ok(v)
}

fn dump(cx: &mut Cx) -> Res {
    let mut o = Vec::new();
    // SAFETY: plain queries about this process.
    let (mut ru, mut eu, mut su, mut rg, mut eg, mut sg) = (0, 0, 0, 0, 0, 0);
    unsafe {
        libc::getresuid(&mut ru, &mut eu, &mut su);
        libc::getresgid(&mut rg, &mut eg, &mut sg);
    }
    let _ = write!(o, "uid: {ru}\neuid: {eu}\ngid: {rg}\negid: {eg}\n");
    let mut groups = vec![0 as libc::gid_t; 65536];
    // SAFETY: groups has room for the count given.
    let n = unsafe { libc::getgroups(groups.len() as i32, groups.as_mut_ptr()) }.max(0) as usize;
    o.extend_from_slice(b"Supplementary groups: ");
    if n == 0 {
        o.extend_from_slice(b"[none]");
    }
    for (i, g) in groups[..n].iter().enumerate() {
        let _ = write!(o, "{}{g}", if i > 0 { "," } else { "" });
    }
    // SAFETY: prctl queries.
    let nnp = unsafe { libc::prctl(libc::PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) };
    let _ = write!(o, "\nno_new_privs: {nnp}\n");
    let caps = capget().map_err(|e| cx.fail_no(b"capget", e))?;
    let last = last_cap();
    let list = |o: &mut Vec<u8>, title: &[u8], has: &dyn Fn(u32) -> bool| {
        o.extend_from_slice(title);
        let mut any = false;
        for i in 0..=last {
            if has(i) {
                if any {
                    o.push(b',');
                }
                name(o, i);
                any = true;
            }
        }
        if !any {
            o.extend_from_slice(b"[none]");
        }
        o.push(b'\n');
    };
    list(&mut o, b"Inheritable capabilities: ", &|i| caps[(i / 32) as usize].inheritable >> (i % 32) & 1 == 1);
    // SAFETY: prctl queries.
    list(&mut o, b"Ambient capabilities: ", &|i| unsafe {
        libc::prctl(libc::PR_CAP_AMBIENT, libc::PR_CAP_AMBIENT_IS_SET, i as libc::c_ulong, 0, 0) == 1
    });
    list(&mut o, b"Capability bounding set: ", &|i| unsafe { libc::prctl(libc::PR_CAPBSET_READ, i as libc::c_ulong, 0, 0, 0) == 1 });
    cx.out.write(&o);
    Ok(0)
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "+d\x01\x02:\x03:",
        &[("dump", b'd'), ("nnp", 1), ("no-new-privs", 1), ("inh-caps", 2), ("ambient-caps", 3)],
    )?;
    // -d stands alone (as in BusyBox: with anything else it is a usage error).
    if o.has(b'd') {
        if !o.args.is_empty() || o.seen.iter().any(|s| s.0 != b'd') {
            return Err(cx.usage());
        }
        return dump(cx);
    }
    if o.has(1) {
        // SAFETY: sets a flag on this process.
        if unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) } != 0 {
            return Err(cx.fail_no(b"prctl(PR_SET_NO_NEW_PRIVS)", sys::errno()));
        }
    }
    if let Some(l) = o.val(2) {
        let mut caps = capget().map_err(|e| cx.fail_no(b"capget", e))?;
        for (raise, c) in parse(cx, l.as_bytes())? {
            let bits: Vec<u32> = c.map_or_else(|| (0..=last_cap()).collect(), |c| vec![c]);
            for b in bits {
                let d = &mut caps[(b / 32) as usize % 2];
                if raise {
                    d.inheritable |= 1 << (b % 32);
                } else {
                    d.inheritable &= !(1 << (b % 32));
                }
            }
        }
        capset(&caps).map_err(|e| cx.fail_no(b"capset", e))?;
    }
    if let Some(l) = o.val(3) {
        for (raise, c) in parse(cx, l.as_bytes())? {
            let bits: Vec<u32> = c.map_or_else(|| (0..=last_cap()).collect(), |c| vec![c]);
            for b in bits {
                let op = if raise { libc::PR_CAP_AMBIENT_RAISE } else { libc::PR_CAP_AMBIENT_LOWER };
                // SAFETY: a prctl on this process.
                if unsafe { libc::prctl(libc::PR_CAP_AMBIENT, op, b as libc::c_ulong, 0, 0) } != 0 {
                    let mut m = b"cap_ambient_raise".to_vec();
                    if !raise {
                        m = b"cap_ambient_lower".to_vec();
                    }
                    return Err(cx.fail_no(&m, sys::errno()));
                }
            }
        }
    }
    if o.args.is_empty() {
        return Err(cx.usage());
    }
    Err(spawn::exec(cx, &o.args))
}
