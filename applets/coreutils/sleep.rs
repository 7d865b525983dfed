//! applet: sleep
//! dir: bin
//! usage: sleep [N]...
//! Pause for a time equal to the total of the args given, where each arg can
//! have an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays

use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

const NS: u128 = 1_000_000_000;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // No options: `sleep -1` is an invalid number, as in BusyBox.
    let Some(first) = args.get(1) else {
        return Err(cx.usage());
    };
    // GNU's `sleep inf` (any word starting so, in any case, as the first operand).
    if first.as_bytes().get(..3).is_some_and(|p| p.eq_ignore_ascii_case(b"inf")) {
        loop {
            nap(u128::MAX);
        }
    }
    let mut total: u128 = 0;
    for a in &args[1..] {
        total = total.saturating_add(duration(cx, a.as_bytes())?);
    }
    nap(total);
    Ok(0)
}

/// Sleeps `ns` nanoseconds, resuming after signal handlers. A call sleeps at most 68
/// years, which fits every time_t; longer sleeps take several.
pub fn nap(mut ns: u128) {
    const MAX: u128 = i32::MAX as u128 * NS;
    while ns > 0 {
        let part = ns.min(MAX);
        ns -= part;
        let mut ts = libc::timespec {
            tv_sec: (part / NS) as _,
            tv_nsec: (part % NS) as _,
        };
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
fn unit(s: &[u8]) -> Option<u128> {
    Some(match s {
        b"" | b"s" => 1,
        b"m" => 60,
        b"h" => 3600,
        b"d" => 86400,
        _ => return None,
    })
}

/// One operand in nanoseconds, parsed as BusyBox does: `N[smhd]` with N a whole number
/// that fits 64 bits, or, when the operand has a dot, `[DIGITS][.DIGITS][smhd]`.
fn duration(cx: &Cx, a: &[u8]) -> Res<u128> {
    if !a.contains(&b'.') {
        let digits = a.iter().take_while(|c| c.is_ascii_digit()).count();
        let n = crate::args::parse_u64(&a[..digits]);
        return match (n, unit(&a[digits..])) {
            (Some(n), Some(m)) if (n as u128) * m <= u64::MAX as u128 => Ok(n as u128 * m * NS),
            (Some(_), Some(_)) => Err(cx.fail(&[
                b"number ",
                a,
                b" is not in 0..18446744073709551615 range",
            ])),
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
    let mut secs: u128 = 0;
    for &d in int {
        secs = secs.saturating_mul(10).saturating_add((d - b'0') as u128);
    }
    let mut ns: u128 = 0;
    for i in 0..9 {
        ns = ns * 10 + frac.get(i).map_or(0, |d| (d - b'0') as u128);
    }
    Ok(secs.saturating_mul(NS).saturating_add(ns).saturating_mul(mult))
}
