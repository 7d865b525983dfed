//! applet: free
//! usage: free [-bkmgh]
//! Display free and used memory

// Only the first argument counts, and only its first letter, as in BusyBox: `free -mb`
// is `free -m`, `free -m -g` too; any other first option is a usage error.

use crate::procfs::MemInfo;
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // Bits to shift bytes right by; None: human-readable.
    let mut shift = Some(10u32);
    if let Some(a) = args.get(1).map(|a| a.as_bytes()).filter(|a| a.first() == Some(&b'-')) {
        shift = match a.get(1) {
            Some(b'b') => Some(0),
            Some(b'k') => Some(10),
            Some(b'm') => Some(20),
            Some(b'g') => Some(30),
            Some(b'h') => None,
            _ => return Err(cx.usage()),
        };
    }
    // SAFETY: sysinfo is plain data filled by the kernel.
    let si = unsafe {
        let mut si: libc::sysinfo = std::mem::zeroed();
        libc::sysinfo(&mut si);
        si
    };
    let unit = (si.mem_unit as u64).max(1);
    let m = MemInfo::read().unwrap_or_else(|_| MemInfo::from_text(Vec::new()));
    let (cached, avail, recl) = (m.get(b"Cached"), m.get(b"MemAvailable"), m.get(b"SReclaimable"));
    let seen = cached.is_some() && avail.is_some() && recl.is_some();
    let kb = |v: Option<u64>| v.unwrap_or(0).saturating_mul(1024) / unit;
    let available = kb(avail);
    let cache = kb(cached) + si.bufferram as u64 + kb(recl);
    let cache_free = cache + si.freeram as u64;
    let total = si.totalram as u64;
    let mut line = Vec::with_capacity(128);
    line.extend_from_slice(b"       ");
    for h in ["total", "used", "free", "shared", "buff/cache", "available"] {
        field(&mut line, h.as_bytes());
    }
    line.extend_from_slice(b"\nMem:   ");
    for v in [
        total,
        total.wrapping_sub(cache_free),
        si.freeram as u64,
        si.sharedram as u64,
        cache,
        available,
    ] {
        scaled(&mut line, v, unit, shift);
    }
    line.push(b'\n');
    if !seen {
        // Kernels before 3.14 have no MemAvailable: count the cache as free instead.
        line.extend_from_slice(b"-/+ buffers/cache:");
        scaled(&mut line, total.wrapping_sub(cache_free), unit, shift);
        scaled(&mut line, cache_free, unit, shift);
        line.push(b'\n');
    }
    line.extend_from_slice(b"Swap:  ");
    let (st, sf) = (si.totalswap as u64, si.freeswap as u64);
    for v in [st, st.wrapping_sub(sf), sf] {
        scaled(&mut line, v, unit, shift);
    }
    line.push(b'\n');
    cx.out.write(&line);
    Ok(0)
}

/// `%12s`.
fn field(line: &mut Vec<u8>, s: &[u8]) {
    line.resize(line.len() + 12usize.saturating_sub(s.len()), b' ');
    line.extend_from_slice(s);
}

fn scaled(line: &mut Vec<u8>, v: u64, unit: u64, shift: Option<u32>) {
    match shift {
        None => field(line, &crate::human::human(v, unit, 0)),
        Some(s) => {
            let mut b = [0u8; 20];
            // Rounded to the nearest unit, as BusyBox does.
            let half = if s > 0 { 1u128 << (s - 1) } else { 0 };
            let n = ((v as u128 * unit as u128 + half) >> s) as u64;
            field(line, crate::cx::fmt_u64(n, &mut b));
        }
    }
}
