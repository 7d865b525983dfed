//! applet: date
//! dir: bin
//! usage: date [OPTIONS] [+FMT] [[-s] TIME]
//! Display time (using +FMT), or set time
//!
//! -u  	Work in UTC (don't convert to local time)
//! [-s] TIME  Set time to TIME
//! -d TIME  	Display TIME, not 'now'
//! -D FMT  	FMT (strptime format) for -s/-d TIME conversion
//! -r FILE  	Display last modification time of FILE
//! -R  	Output RFC-2822 date
//! -I[SPEC]  Output ISO-8601 date
//!   	SPEC=date (default), hours, minutes, seconds or ns
//!
//! |Recognized TIME formats:
//! |	@seconds_since_1970
//! |	hh:mm[:ss]
//! |	[YYYY.]MM.DD-hh:mm[:ss]
//! |	YYYY-MM-DD hh:mm[:ss]
//! |	[[[[[YY]YY]MM]DD]hh]mm[.ss]
//! |	'date TIME' form accepts MMDDhhmm[[YY]YY][.ss] instead

use crate::{datespec, strftime, sys, time, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

const LONGS: &[(&str, u8)] = &[
    ("rfc-822", b'R'),
    ("rfc-2822", b'R'),
    ("set", b's'),
    ("utc", b'u'),
    ("date", b'd'),
    ("reference", b'r'),
];

/// `MMDDhhmm[[CC]YY][.ss]` (the set-by-operand form) as parse_datestr's
/// `[[CC]YY]MMDDhhmm[.ss]`; None when it is not that form.
fn operand_form(s: &[u8]) -> Option<Vec<u8>> {
    let (digits, secs) = match s.iter().position(|&c| c == b'.') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, &b""[..]),
    };
    if !matches!(digits.len(), 8 | 10 | 12) || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v = digits[8..].to_vec();
    v.extend_from_slice(&digits[..8]);
    v.extend_from_slice(secs);
    Some(v)
}

fn invalid(cx: &Cx, s: &[u8]) -> crate::Fail {
    cx.fail(&[b"invalid date '", s, b"'"])
}

/// strptime(FMT) over `now`'s date with the time of day zeroed, as BusyBox's -D.
fn strptime(s: &[u8], fmt: &[u8], now: &time::Tm, utc: bool) -> Option<i64> {
    let (cs, cf) = (sys::cstr(s)?, sys::cstr(fmt)?);
    let mut tm = now.0;
    tm.tm_hour = 0;
    tm.tm_min = 0;
    tm.tm_sec = 0;
    // SAFETY: both strings are NUL-terminated and tm is a valid struct tm.
    unsafe {
        let end = libc::strptime(cs.as_ptr(), cf.as_ptr(), &mut tm);
        if end.is_null() || *end != 0 {
            return None;
        }
        tm.tm_isdst = -1;
        let t = if utc {
            libc::timegm(&mut tm)
        } else {
            libc::mktime(&mut tm)
        };
        (t != -1).then_some(t as i64)
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "Rs:ud:r:I::D:", LONGS)?;
    let utc = o.has(b'u');
    // -I and -R name two layouts, -d and -s two uses of TIME: BusyBox's usage errors.
    if o.has(b'I') && o.has(b'R') || o.has(b'd') && o.has(b's') {
        return Err(cx.usage());
    }
    let iso = match o.has(b'I').then(|| o.val(b'I').map_or(&b""[..], |v| v.as_bytes())) {
        None => None,
        Some(b"" | b"date") => Some(0),
        Some(b"hours") => Some(1),
        Some(b"minutes") => Some(2),
        Some(b"seconds") => Some(3),
        Some(b"ns") => Some(4),
        Some(_) => return Err(cx.usage()),
    };
    let mut ops = o.args.iter().map(|a| a.as_bytes()).peekable();
    let fmt = ops.next_if(|a| a.starts_with(b"+")).map(|a| &a[1..]);
    // The last -d or -s counts; without either, an operand sets the date.
    let (mut date_str, mut set, mut by_operand) = (o.val(b'd').map(|v| v.as_bytes()), false, false);
    if let Some(s) = o.val(b's') {
        (date_str, set) = (Some(s.as_bytes()), true);
    }
    if date_str.is_none() {
        if let Some(a) = ops.next() {
            (date_str, set, by_operand) = (Some(a), true, true);
        }
    }

    let (mut t, mut nsec) = match o.val(b'r') {
        Some(f) => {
            let Some(c) = sys::cstr(f.as_bytes()) else {
                return Err(cx.fail_no(b"can't stat", libc::EINVAL));
            };
            // SAFETY: plain data filled by the kernel; c is NUL-terminated.
            let mut st: libc::stat = unsafe { std::mem::zeroed() };
            if unsafe { libc::stat(c.as_ptr(), &mut st) } != 0 {
                let e = sys::errno();
                return Err(cx.fail(&[b"can't stat '", f.as_bytes(), b"': ", sys::strerror(e)]));
            }
            (st.st_mtime, st.st_mtime_nsec as u32)
        }
        None => {
            let mut ts = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            // SAFETY: ts is plain data the kernel fills.
            unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut ts) };
            (ts.tv_sec, ts.tv_nsec as u32)
        }
    };
    let conv = |t: i64| if utc { time::utc(t) } else { time::local(t) };

    if let Some(s) = date_str {
        let parsed = match o.val(b'D') {
            Some(hint) => conv(t).and_then(|now| strptime(s, hint.as_bytes(), &now, utc)),
            None => match operand_form(s) {
                Some(v) if by_operand => datespec::parse_in(&v, t, utc),
                _ if by_operand && s.iter().all(u8::is_ascii_digit) => None,
                _ => datespec::parse_in(s, t, utc),
            },
        };
        t = parsed.ok_or_else(|| invalid(cx, s))?;
        nsec = 0;
        if set {
            let ts = libc::timespec {
                tv_sec: t,
                tv_nsec: 0,
            };
            // SAFETY: ts is a valid timespec.
            if unsafe { libc::clock_settime(libc::CLOCK_REALTIME, &ts) } != 0 {
                cx.err_no(b"can't set date", sys::errno());
            }
        }
    }
    if ops.next().is_some() {
        return Err(cx.usage());
    }

    let Some(tm) = conv(t) else {
        return Err(invalid(cx, date_str.unwrap_or(b"")));
    };
    let mut out = Vec::with_capacity(64);
    match (fmt, iso) {
        (Some(f), _) => strftime::format(&tm, t, nsec, f, &mut out),
        (None, Some(spec)) => {
            let f: &[u8] = [
                &b"%Y-%m-%d"[..],
                b"%Y-%m-%dT%H",
                b"%Y-%m-%dT%H:%M",
                b"%Y-%m-%dT%H:%M:%S",
                b"%Y-%m-%dT%H:%M:%S,%N",
            ][spec];
            strftime::format(&tm, t, nsec, f, &mut out);
            if spec > 0 {
                // The zone as +hh:mm.
                let mut z = Vec::new();
                tm.zone_offset(&mut z);
                z.insert(3.min(z.len()), b':');
                out.extend_from_slice(&z);
            }
        }
        (None, None) if o.has(b'R') => {
            strftime::format(&tm, t, nsec, b"%a, %d %b %Y %H:%M:%S %z", &mut out)
        }
        (None, None) => strftime::format(&tm, t, nsec, b"%a %b %e %H:%M:%S %Z %Y", &mut out),
    }
    cx.out.line(&out);
    Ok(0)
}
