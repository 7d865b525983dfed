//! Date strings as BusyBox's parse_datestr reads them, for `touch -d/-t` and `date -d`:
//!
//! ```text
//! let t = datespec::parse(b"2020-01-02 03:04", time::now())?;   // seconds since the epoch
//! ```
//! - `@EPOCH` (optional sign);
//! - `hh:mm[:ss]`, `MM.DD-hh:mm[:ss]`, `YYYY.MM.DD-hh:mm[:ss]`, `YYYY-MM-DD hh:mm[:ss]`,
//!   ISO `YYYY-MM-DDThh:mm[:ss]`, `YYYY-MM-DD [hh]`, `Mon DD hh:mm:ss YYYY`;
//! - touch -t's digits: `[[[[CC]YY]MM]DD]hh]mm[.ss]` (`mm`, `hhmm`, `DDhhmm`, `MMDDhhmm`,
//!   `YYMMDDhhmm`, `CCYYMMDDhhmm`).
//!
//! Local time (TZ), fields out of range rejected (month 1-12, day 1-31, hour 0-23, minute
//! 0-59, second 0-61), a day past the month's end rolls over as mktime does. Fields the
//! string does not give come from `now`, except that the time of day below the last field
//! given is zero (BusyBox keeps the current seconds, or the whole current time for a bare
//! date, which makes `touch -d 10:00` differ from run to run; GNU zeroes them, and so do we).

use crate::time;

const YEAR: usize = 0;
const MON: usize = 1;
const DAY: usize = 2;
const HOUR: usize = 3;
const MIN: usize = 4;
const SEC: usize = 5;

type Fields = [Option<i64>; 6];

/// Parses `s` relative to `now`; None when it is not a date BusyBox accepts.
pub fn parse(s: &[u8], now: i64) -> Option<i64> {
    parse_in(s, now, false)
}

/// As `parse`, in UTC when `utc` (`date -u -d`: BusyBox sets TZ=UTC0 first).
pub fn parse_in(s: &[u8], now: i64, utc: bool) -> Option<i64> {
    if let Some(e) = s.strip_prefix(b"@") {
        return epoch(e);
    }
    let mut f: Fields = [None; 6];
    let ok = if s.contains(&b':') {
        [
            &b"H:M"[..],
            b"m.d-H:M",
            b"Y.m.d-H:M",
            b"Y-m-d H:M",
            b"Y-m-dTH:M",
        ]
        .iter()
        .any(|p| colon_form(s, p, &mut f))
            || month_name_form(s, &mut f)
    } else if s.contains(&b'-') {
        scan(s, b"Y-m-d H", &mut f) == Some(s.len()) || scan(s, b"Y-m-d", &mut f) == Some(s.len())
    } else {
        digits_form(s, now, &mut f)
    };
    if !ok {
        return None;
    }
    build(&f, now, utc)
}

fn epoch(s: &[u8]) -> Option<i64> {
    let (neg, d) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let n = crate::args::parse_u64(d)?;
    let n = i64::try_from(n).ok()?;
    Some(if neg { -n } else { n })
}

/// `PATTERN` then `[:ss]` to the end of the string.
fn colon_form(s: &[u8], pat: &[u8], f: &mut Fields) -> bool {
    *f = [None; 6];
    let Some(i) = scan(s, pat, f) else {
        return false;
    };
    let rest = &s[i..];
    if rest.is_empty() {
        return true;
    }
    rest.first() == Some(&b':') && scan(&rest[1..], b"S", f) == Some(rest.len() - 1)
}

/// strptime's `%b %d %T %Y`, as GNU date prints dates.
fn month_name_form(s: &[u8], f: &mut Fields) -> bool {
    *f = [None; 6];
    let t = s.trim_ascii_start();
    let Some(m) = time::MONTHS
        .iter()
        .position(|m| t.len() >= 3 && t[..3].eq_ignore_ascii_case(&m[..]))
    else {
        return false;
    };
    f[MON] = Some(m as i64 + 1);
    // A full month name may follow its abbreviation.
    let mut i = 3;
    while t.get(i).is_some_and(|c| c.is_ascii_alphabetic()) {
        i += 1;
    }
    scan(&t[i..], b" d H:M:S Y", f) == Some(t.len() - i)
}

/// touch -t's all-digit forms, chosen by the length before `.`.
fn digits_form(s: &[u8], now: i64, f: &mut Fields) -> bool {
    let len = s.iter().position(|&c| c == b'.').unwrap_or(s.len());
    let pat: &[u8] = match len {
        2 => b"2M",
        4 => b"2H2M",
        6 => b"2d2H2M",
        8 => b"2m2d2H2M",
        10 => b"2Y2m2d2H2M",
        12 => b"4Y2m2d2H2M",
        _ => return false,
    };
    if scan(s, pat, f) != Some(len) {
        return false;
    }
    f[SEC] = Some(0);
    if len < s.len() && scan(&s[len + 1..], b"S", f) != Some(s.len() - len - 1) {
        return false;
    }
    if len == 10 {
        // Two-digit years: the one within 50 years of now (BusyBox's rule).
        let cur = time::local(now).map_or(70, |t| t.0.tm_year as i64);
        let mut y = f[YEAR].unwrap_or(0);
        if cur >= 50 {
            y += cur / 100 * 100;
            if y < cur - 50 {
                y += 100;
            }
            if y > cur + 50 {
                y -= 100;
            }
        }
        f[YEAR] = Some(y + 1900);
    }
    true
}

/// Matches `pat` at the start of `s`: letters Y m d H M S are numbers (sscanf's %u: leading
/// blanks, then digits; a digit before a letter fixes its width), anything else is literal.
/// Returns how many bytes matched.
fn scan(s: &[u8], pat: &[u8], f: &mut Fields) -> Option<usize> {
    let mut i = 0;
    let mut width = usize::MAX;
    for &p in pat {
        let slot = match p {
            b'Y' => YEAR,
            b'm' => MON,
            b'd' => DAY,
            b'H' => HOUR,
            b'M' => MIN,
            b'S' => SEC,
            b'1'..=b'9' => {
                width = (p - b'0') as usize;
                continue;
            }
            b' ' => {
                // One blank in the pattern matches any run of them, as in scanf.
                while s.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
                    i += 1;
                }
                continue;
            }
            c => {
                if s.get(i) != Some(&c) {
                    return None;
                }
                i += 1;
                continue;
            }
        };
        if width == usize::MAX {
            while s.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
                i += 1;
            }
        }
        let start = i;
        let mut n: i64 = 0;
        while i - start < width && s.get(i).is_some_and(|c| c.is_ascii_digit()) {
            n = n.checked_mul(10)?.checked_add((s[i] - b'0') as i64)?;
            i += 1;
        }
        if i == start || (width != usize::MAX && i - start != width) {
            return None;
        }
        f[slot] = Some(n);
        width = usize::MAX;
    }
    Some(i)
}

fn build(f: &Fields, now: i64, utc: bool) -> Option<i64> {
    let ranges = [
        (i64::MIN, i64::MAX),
        (1, 12),
        (1, 31),
        (0, 23),
        (0, 59),
        (0, 61),
    ];
    for (v, r) in f.iter().zip(ranges) {
        if v.is_some_and(|v| v < r.0 || v > r.1) {
            return None;
        }
    }
    let mut tm = if utc {
        time::utc(now)?
    } else {
        time::local(now)?
    }
    .0;
    // Below the last field given, the time of day is zero.
    if let Some(last) = f.iter().rposition(|v| v.is_some()) {
        for v in [&mut tm.tm_hour, &mut tm.tm_min, &mut tm.tm_sec]
            .into_iter()
            .skip(last.saturating_sub(2))
        {
            *v = 0;
        }
    }
    let set = |v: Option<i64>, dst: &mut i32, off: i64| -> Option<()> {
        if let Some(v) = v {
            *dst = i32::try_from(v - off).ok()?;
        }
        Some(())
    };
    set(f[YEAR], &mut tm.tm_year, 1900)?;
    set(f[MON], &mut tm.tm_mon, 1)?;
    set(f[DAY], &mut tm.tm_mday, 0)?;
    set(f[HOUR], &mut tm.tm_hour, 0)?;
    set(f[MIN], &mut tm.tm_min, 0)?;
    set(f[SEC], &mut tm.tm_sec, 0)?;
    tm.tm_isdst = -1;
    // SAFETY: tm is a valid struct tm; mktime/timegm normalise it in place.
    let t = unsafe {
        if utc {
            libc::timegm(&mut tm)
        } else {
            libc::mktime(&mut tm)
        }
    };
    (t != -1).then_some(t as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// In UTC so the expected epochs are fixed; tests in this module share the one TZ value.
    fn p(s: &str) -> Option<i64> {
        std::env::set_var("TZ", "UTC0");
        // SAFETY: tzset only rereads TZ.
        unsafe { tzset() };
        // 2026-12-01 11:12:39 UTC
        parse(s.as_bytes(), 1796123559)
    }
    extern "C" {
        fn tzset();
    }

    #[test]
    fn formats() {
        let d = |y: i64, mo: i64, da: i64, h: i64, mi: i64, s: i64| {
            // days from civil (Howard Hinnant's algorithm), for the expected values
            let y2 = if mo <= 2 { y - 1 } else { y };
            let era = y2.div_euclid(400);
            let yoe = y2 - era * 400;
            let mp = (mo + 9) % 12;
            let doy = (153 * mp + 2) / 5 + da - 1;
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
            let days = era * 146097 + doe - 719468;
            Some(days * 86400 + h * 3600 + mi * 60 + s)
        };
        assert_eq!(p("@100"), Some(100));
        assert_eq!(p("@-5"), Some(-5));
        assert_eq!(p("@abc"), None);
        assert_eq!(p("@ 5"), None);
        assert_eq!(p("2020-01-02 03:04:05"), d(2020, 1, 2, 3, 4, 5));
        assert_eq!(p("2020-01-02 03:04"), d(2020, 1, 2, 3, 4, 0));
        assert_eq!(p("2020-1-2 3:4"), d(2020, 1, 2, 3, 4, 0));
        assert_eq!(p("2020-01-02T03:04:05"), d(2020, 1, 2, 3, 4, 5));
        assert_eq!(p("2020.01.02-03:04:05"), d(2020, 1, 2, 3, 4, 5));
        assert_eq!(p("01.02-03:04"), d(2026, 1, 2, 3, 4, 0));
        assert_eq!(p("10:00"), d(2026, 12, 1, 10, 0, 0));
        assert_eq!(p(" 10:00:60"), d(2026, 12, 1, 10, 1, 0));
        assert_eq!(p("2020-01-02"), d(2020, 1, 2, 0, 0, 0));
        assert_eq!(p("2020-01-02 03"), d(2020, 1, 2, 3, 0, 0));
        assert_eq!(p("2020-02-30 10:00"), d(2020, 3, 1, 10, 0, 0));
        assert_eq!(p("Jan 3 04:05:06 2021"), d(2021, 1, 3, 4, 5, 6));
        assert_eq!(p("february 3 10:00:00 2021"), d(2021, 2, 3, 10, 0, 0));
        assert_eq!(p("12"), d(2026, 12, 1, 11, 12, 0));
        assert_eq!(p("1234.56"), d(2026, 12, 1, 12, 34, 56));
        assert_eq!(p("01020304"), d(2026, 1, 2, 3, 4, 0));
        assert_eq!(p("2001020304"), d(2020, 1, 2, 3, 4, 0));
        assert_eq!(p("9901020304"), d(1999, 1, 2, 3, 4, 0));
        assert_eq!(p("202001020304.05"), d(2020, 1, 2, 3, 4, 5));
        for bad in [
            "bad",
            "",
            "25:00",
            "2020-12-31 23:60",
            "2020-13-45 99:99",
            "0101000099",
            "123456",
            "12345678.9",
            "+10:00",
            "10:0x",
            "2020-01-02 03:04:05.123",
            "@99999999999999999999",
            "1234.",
            "1234.5x",
            "2020-01-02x",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }
}
