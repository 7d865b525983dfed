//! applet: sleep
//! dir: bin
//! usage: sleep [N]...
//! Pause for a time equal to the total of the args given, where each arg can
//! have an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays

use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

const NS: u64 = 1_000_000_000;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // No options: `sleep -1` is an invalid number, as in BusyBox.
    let Some(first) = args.get(1) else {
        return Err(cx.usage());
    };
    // GNU's `sleep inf` (any word starting so, in any case, as the first operand).
    if first.as_bytes().get(..3).is_some_and(|p| p.eq_ignore_ascii_case(b"inf")) {
        loop {
            nap(u64::MAX, 0);
        }
    }
    // Seconds and nanoseconds (below NS) in two words, not one u128: u128 arithmetic is
    // bulky code, and u64::MAX seconds is as good as forever.
    let (mut secs, mut ns) = (0u64, 0u64);
    for a in &args[1..] {
        let (s, n) = duration(cx, a.as_bytes())?;
        ns += n;
        secs = secs.saturating_add(s).saturating_add(ns / NS);
        ns %= NS;
    }
    nap(secs, ns);
    Ok(0)
}

/// Sleeps `secs` seconds and `ns` nanoseconds, resuming after signal handlers. A call
/// sleeps at most 68 years, which fits every time_t; longer sleeps take several.
fn nap(mut secs: u64, mut ns: u64) {
    while secs > 0 || ns > 0 {
        let part = secs.min(i32::MAX as u64);
        secs -= part;
        let mut ts = libc::timespec {
            tv_sec: part as _,
            tv_nsec: ns as _,
        };
        ns = 0;
        loop {
            let mut rem = ts;
            // SAFETY: both timespecs are valid for the call.
            let r = unsafe { libc::nanosleep(&ts, &mut rem) };
            if r == 0 || crate::sys::errno() != libc::EINTR {
                break;
            }
            ts = rem;
        }
    }
}

/// A suffix's multiplier: s, m, h, d, or none.
fn unit(s: &[u8]) -> Option<u64> {
    Some(match s {
        b"" | b"s" => 1,
        b"m" => 60,
        b"h" => 3600,
        b"d" => 86400,
        _ => return None,
    })
}

/// One operand as (seconds, nanoseconds), parsed as BusyBox does: `N[smhd]` with N a
/// whole number that fits 64 bits, or, when the operand has a dot,
/// `[DIGITS][.DIGITS][smhd]`.
fn duration(cx: &Cx, a: &[u8]) -> Res<(u64, u64)> {
    if !a.contains(&b'.') {
        let digits = a.iter().take_while(|c| c.is_ascii_digit()).count();
        let n = crate::args::parse_u64(&a[..digits]);
        return match (n, unit(&a[digits..])) {
            (Some(n), Some(m)) => match n.checked_mul(m) {
                Some(s) => Ok((s, 0)),
                None => Err(cx.fail(&[b"number ", a, b" is not in 0..18446744073709551615 range"])),
            },
            _ => Err(cx.fail(&[b"invalid number '", a, b"'"])),
        };
    }
    let len = a.iter().take_while(|c| c.is_ascii_digit() || **c == b'.').count();
    let (num, rest) = a.split_at(len);
    let int_len = num.iter().take_while(|c| c.is_ascii_digit()).count();
    let (int, frac) = num.split_at(int_len);
    // The number part must be all of a decimal fraction (or empty), else the usage.
    let frac = match frac.split_first() {
        None => &b""[..],
        Some((_, f)) if !f.contains(&b'.') && (int_len > 0 || !f.is_empty()) => f,
        Some(_) => return Err(cx.usage()),
    };
    // BusyBox reads the suffix as the number "1" followed by it, and says so when it is
    // bad: `sleep 1.5x` complains of '1x'.
    let Some(mult) = unit(rest) else {
        return Err(cx.fail(&[b"invalid number '1", rest, b"'"]));
    };
    let mut secs: u64 = 0;
    for &d in int {
        secs = secs.saturating_mul(10).saturating_add((d - b'0') as u64);
    }
    let mut ns: u64 = 0;
    for i in 0..9 {
        ns = ns * 10 + frac.get(i).map_or(0, |d| (d - b'0') as u64);
    }
    // ns * mult < 1e9 * 86400: no overflow.
    let ns = ns * mult;
    Ok((secs.saturating_mul(mult).saturating_add(ns / NS), ns % NS))
}
