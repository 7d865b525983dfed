//! applet: taskset
//! usage: taskset [-ap] [HEXMASK | -c LIST] { PID | PROG ARGS }
//! Set or get CPU affinity
//!
//! -p  Operate on PID
//! -a  Operate on all threads
//! -c  Affinity is a list, not mask

use crate::{spawn, sys, Cx, Res};
use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

/// 1024 CPUs, as glibc's cpu_set_t.
const WORDS: usize = 16;
type Mask = [u64; WORDS];

fn get(cx: &mut Cx, pid: i32) -> Res<Mask> {
    let mut m: Mask = [0; WORDS];
    // SAFETY: m has the size given.
    if unsafe { libc::sched_getaffinity(pid, std::mem::size_of::<Mask>(), m.as_mut_ptr().cast()) } != 0 {
        let e = sys::errno();
        cx.out.flush();
        let mut b = Vec::new();
        let _ = write!(b, "can't get pid {pid}'s affinity");
        return Err(cx.fail_no(&b, e));
    }
    Ok(m)
}

fn list(m: &Mask, out: &mut Vec<u8>) {
    let bit = |i: usize| m[i / 64] >> (i % 64) & 1 == 1;
    let mut i = 0;
    let mut first = true;
    while i < WORDS * 64 {
        if !bit(i) {
            i += 1;
            continue;
        }
        let start = i;
        while i + 1 < WORDS * 64 && bit(i + 1) {
            i += 1;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        let _ = if start == i { write!(out, "{start}") } else { write!(out, "{start}-{i}") };
        i += 1;
    }
}

fn parse(aff: &[u8], is_list: bool) -> Option<Mask> {
    let mut m: Mask = [0; WORDS];
    if !is_list {
        let h = aff.strip_prefix(b"0x").or_else(|| aff.strip_prefix(b"0X")).unwrap_or(aff);
        if h.is_empty() || h.len() > WORDS * 16 {
            return None;
        }
        for (k, &c) in h.iter().rev().enumerate() {
            let d = (c as char).to_digit(16)? as u64;
            m[k / 16] |= d << (4 * (k % 16));
        }
        return Some(m);
    }
    // a,b-c[:step]
    for part in aff.split(|&c| c == b',') {
        let (range, step) = match part.iter().position(|&c| c == b':') {
            Some(i) => (&part[..i], crate::args::parse_u64(&part[i + 1..]).filter(|&s| s > 0)?),
            None => (part, 1),
        };
        let (a, b) = match range.iter().position(|&c| c == b'-') {
            Some(i) => (crate::args::parse_u64(&range[..i])?, crate::args::parse_u64(&range[i + 1..])?),
            None => {
                let n = crate::args::parse_u64(range)?;
                (n, n)
            }
        };
        if a > b {
            return None;
        }
        // CPUs past the mask are left out; the kernel then rejects an empty mask.
        let mut i = a;
        while i <= b.min((WORDS * 64 - 1) as u64) {
            m[i as usize / 64] |= 1 << (i % 64);
            i += step;
        }
    }
    Some(m)
}

fn show(cx: &mut Cx, pid: i32, what: &str, m: &Mask, is_list: bool) {
    let mut o = Vec::new();
    if is_list {
        let _ = write!(o, "pid {pid}'s {what} affinity list: ");
        list(m, &mut o);
        o.push(b'\n');
    } else {
        let _ = writeln!(o, "pid {pid}'s {what} affinity mask: {:x}", m[0]);
    }
    cx.out.write(&o);
}

/// Shows (with -p) and sets one pid's affinity.
fn one(cx: &mut Cx, pid: i32, aff: Option<&[u8]>, p: bool, is_list: bool) -> Res<()> {
    if p {
        let m = get(cx, pid)?;
        show(cx, pid, "current", &m, is_list);
    }
    let Some(aff) = aff else { return Ok(()) };
    let Some(m) = parse(aff, is_list) else {
        cx.out.flush();
        return Err(cx.fail(&[b"bad affinity '", aff, b"'"]));
    };
    // SAFETY: m has the size given.
    if unsafe { libc::sched_setaffinity(pid, std::mem::size_of::<Mask>(), m.as_ptr().cast()) } != 0 {
        let e = sys::errno();
        cx.out.flush();
        let mut b = Vec::new();
        let _ = write!(b, "can't set pid {pid}'s affinity");
        return Err(cx.fail_no(&b, e));
    }
    if p {
        let m = get(cx, pid)?;
        show(cx, pid, "new", &m, is_list);
    }
    Ok(())
}

fn pid_of(cx: &Cx, s: &OsStr) -> Res<i32> {
    match crate::args::parse_u64(s.as_bytes()).filter(|&n| (1..=i32::MAX as u64).contains(&n)) {
        Some(n) => Ok(n as i32),
        None => Err(cx.fail(&[b"invalid number '", s.as_bytes(), b"'"])),
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "+pca", &[])?;
    let (p, is_list) = (o.has(b'p'), o.has(b'c'));
    let Some((&aff, rest)) = o.args.split_first() else {
        return Err(cx.usage());
    };
    if !p {
        if rest.is_empty() {
            return Err(cx.usage());
        }
        one(cx, 0, Some(aff.as_bytes()), false, is_list)?;
        return Err(spawn::exec(cx, rest));
    }
    // -p PID, or -p AFF PID (anything after is ignored).
    let (aff, pid) = match rest.first() {
        Some(&pid) => (Some(aff.as_bytes()), pid),
        None => (None, aff),
    };
    let pid = pid_of(cx, pid)?;
    if o.has(b'a') {
        let mut tids = Vec::new();
        if let Ok(rd) = std::fs::read_dir(format!("/proc/{pid}/task")) {
            for e in rd.flatten() {
                if let Some(t) = crate::args::parse_u64(e.file_name().as_bytes()) {
                    tids.push(t as i32);
                }
            }
        }
        tids.sort_unstable();
        if tids.is_empty() {
            tids.push(pid);
        }
        for t in tids {
            one(cx, t, aff, true, is_list)?;
        }
        return Ok(0);
    }
    one(cx, pid, aff, true, is_list)?;
    Ok(0)
}
