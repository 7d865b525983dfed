//! strftime with glibc's conversions and flags, as BusyBox's `date +FORMAT` shows them on
//! glibc (musl's strftime lacks `%P`, `%k`, `%l`, `%s` padding and the `_ - 0 ^ #` flags),
//! plus GNU date's `%N` (nanoseconds; `%3N` keeps three digits), which BusyBox lacks:
//!
//! ```ignore
//! let tm = time::local(t)?;
//! strftime::format(&tm, t, nsec, b"%a %b %e %H:%M:%S %Z %Y", &mut out);
//! ```
//! A sequence glibc does not know (`%q`, `%:z`, a lone `%E`) is copied as it stands.

use crate::time::{Tm, DAYS, MONTHS};

const LONG_DAYS: [&[u8]; 7] = [
    b"Sunday",
    b"Monday",
    b"Tuesday",
    b"Wednesday",
    b"Thursday",
    b"Friday",
    b"Saturday",
];
const LONG_MONTHS: [&[u8]; 12] = [
    b"January",
    b"February",
    b"March",
    b"April",
    b"May",
    b"June",
    b"July",
    b"August",
    b"September",
    b"October",
    b"November",
    b"December",
];

fn leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// Days from the start of the ISO week-based year to `yday` (may be negative).
fn iso_days(yday: i64, wday: i64) -> i64 {
    // Monday starts a week; week 1 holds the year's first Thursday.
    let big = (366 / 7 + 2) * 7;
    yday - (yday - wday + 4 + big) % 7 + 3
}

/// ISO 8601 week-based year and week number.
fn iso_week(tm: &Tm) -> (i64, i64) {
    let (yday, wday) = (tm.0.tm_yday as i64, tm.0.tm_wday as i64);
    let mut year = tm.year();
    let mut days = iso_days(yday, wday);
    if days < 0 {
        year -= 1;
        days = iso_days(yday + 365 + i64::from(leap(year)), wday);
    } else {
        let d = iso_days(yday - 365 - i64::from(leap(year)), wday);
        if d >= 0 {
            year += 1;
            days = d;
        }
    }
    (year, days / 7 + 1)
}

/// How a conversion is padded when no flag says otherwise.
enum Val {
    /// A number, its default width, and whether it pads with spaces (`%e %k %l`).
    Num(i64, usize, bool),
    Text(Vec<u8>),
}

/// Appends `fmt` expanded for `tm` (whose epoch second is `t`, with `nsec` nanoseconds).
pub fn format(tm: &Tm, t: i64, nsec: u32, fmt: &[u8], out: &mut Vec<u8>) {
    let m = &tm.0;
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        if c != b'%' {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let (mut pad, mut upper, mut swap) = (0u8, false, false);
        while let Some(&f) = fmt.get(i) {
            match f {
                b'_' | b'-' | b'0' => pad = f,
                b'^' => upper = true,
                b'#' => swap = true,
                _ => break,
            }
            i += 1;
        }
        let mut width: Option<usize> = None;
        while let Some(d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
            width = Some(
                width
                    .unwrap_or(0)
                    .saturating_mul(10)
                    .saturating_add((d - b'0') as usize)
                    .min(4096),
            );
            i += 1;
        }
        if matches!(fmt.get(i), Some(b'E' | b'O')) {
            i += 1;
        }
        let Some(&conv) = fmt.get(i) else {
            out.extend_from_slice(&fmt[start..]);
            break;
        };
        i += 1;
        let hour12 = if m.tm_hour % 12 == 0 {
            12
        } else {
            m.tm_hour % 12
        } as i64;
        let year = tm.year();
        let sub = |f: &[u8]| {
            let mut v = Vec::new();
            format(tm, t, nsec, f, &mut v);
            Val::Text(v)
        };
        let val = match conv {
            b'a' => Val::Text(DAYS[m.tm_wday.rem_euclid(7) as usize].to_vec()),
            b'A' => Val::Text(LONG_DAYS[m.tm_wday.rem_euclid(7) as usize].to_vec()),
            b'b' | b'h' => Val::Text(MONTHS[m.tm_mon.rem_euclid(12) as usize].to_vec()),
            b'B' => Val::Text(LONG_MONTHS[m.tm_mon.rem_euclid(12) as usize].to_vec()),
            b'c' => sub(b"%a %b %e %H:%M:%S %Y"),
            b'C' => Val::Num(year.div_euclid(100), 2, false),
            b'd' => Val::Num(m.tm_mday as i64, 2, false),
            b'D' | b'x' => sub(b"%m/%d/%y"),
            b'e' => Val::Num(m.tm_mday as i64, 2, true),
            b'F' => sub(b"%Y-%m-%d"),
            b'g' => Val::Num(iso_week(tm).0.rem_euclid(100), 2, false),
            b'G' => Val::Num(iso_week(tm).0, 1, false),
            b'H' => Val::Num(m.tm_hour as i64, 2, false),
            b'I' => Val::Num(hour12, 2, false),
            b'j' => Val::Num(m.tm_yday as i64 + 1, 3, false),
            b'k' => Val::Num(m.tm_hour as i64, 2, true),
            b'l' => Val::Num(hour12, 2, true),
            b'm' => Val::Num(m.tm_mon as i64 + 1, 2, false),
            b'M' => Val::Num(m.tm_min as i64, 2, false),
            b'n' => Val::Text(b"\n".to_vec()),
            b'N' => {
                // GNU date's: nine digits, or the first WIDTH of them.
                let mut d = format!("{nsec:09}").into_bytes();
                d.truncate(width.take().unwrap_or(9).clamp(1, 9));
                Val::Text(d)
            }
            b'p' | b'P' => {
                let am = m.tm_hour < 12;
                let lower = (conv == b'P') != swap;
                swap = false;
                Val::Text(match (am, lower) {
                    (true, false) => b"AM".to_vec(),
                    (false, false) => b"PM".to_vec(),
                    (true, true) => b"am".to_vec(),
                    (false, true) => b"pm".to_vec(),
                })
            }
            b'r' => sub(b"%I:%M:%S %p"),
            b'R' => sub(b"%H:%M"),
            b's' => Val::Num(t, 1, false),
            b'S' => Val::Num(m.tm_sec as i64, 2, false),
            b't' => Val::Text(b"\t".to_vec()),
            b'T' | b'X' => sub(b"%H:%M:%S"),
            b'u' => Val::Num(if m.tm_wday == 0 { 7 } else { m.tm_wday as i64 }, 1, false),
            b'U' => Val::Num((m.tm_yday as i64 + 7 - m.tm_wday as i64) / 7, 2, false),
            b'V' => Val::Num(iso_week(tm).1, 2, false),
            b'w' => Val::Num(m.tm_wday as i64, 1, false),
            b'W' => Val::Num(
                (m.tm_yday as i64 + 7 - (m.tm_wday as i64 + 6) % 7) / 7,
                2,
                false,
            ),
            b'y' => Val::Num(year.rem_euclid(100), 2, false),
            b'Y' => Val::Num(year, 1, false),
            b'z' => {
                let mut v = Vec::new();
                tm.zone_offset(&mut v);
                Val::Text(v)
            }
            b'Z' => {
                let z = if m.tm_zone.is_null() {
                    &b""[..]
                } else {
                    // SAFETY: the C library points tm_zone at a NUL-terminated name.
                    unsafe { std::ffi::CStr::from_ptr(m.tm_zone).to_bytes() }
                };
                if swap {
                    swap = false;
                    Val::Text(z.to_ascii_lowercase())
                } else {
                    Val::Text(z.to_vec())
                }
            }
            b'%' => Val::Text(b"%".to_vec()),
            _ => {
                out.extend_from_slice(&fmt[start..i]);
                continue;
            }
        };
        match val {
            Val::Num(n, def, spaces) => {
                let digits = n.unsigned_abs().to_string();
                let len = digits.len() + usize::from(n < 0);
                let w = match pad {
                    b'-' => 0,
                    _ => width.unwrap_or(def),
                };
                let fill = match pad {
                    b'_' => b' ',
                    b'0' => b'0',
                    _ if spaces => b' ',
                    _ => b'0',
                };
                let padn = w.saturating_sub(len);
                if fill == b' ' {
                    out.resize(out.len() + padn, b' ');
                }
                if n < 0 {
                    out.push(b'-');
                }
                if fill == b'0' {
                    out.resize(out.len() + padn, b'0');
                }
                out.extend_from_slice(digits.as_bytes());
            }
            Val::Text(mut v) => {
                if upper || swap {
                    v.make_ascii_uppercase();
                }
                if let Some(w) = width.filter(|_| pad != b'-') {
                    let fill = if pad == b'0' { b'0' } else { b' ' };
                    out.resize(out.len() + w.saturating_sub(v.len()), fill);
                }
                out.extend_from_slice(&v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(t: i64, fmt: &str) -> String {
        let tm = crate::time::utc(t).unwrap();
        let mut v = Vec::new();
        format(&tm, t, 123_456_789, fmt.as_bytes(), &mut v);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn glibc_conversions() {
        let t = 1_000_000_000; // Sun Sep  9 01:46:40 UTC 2001
        assert_eq!(
            f(t, "%a %b %e %H:%M:%S %Z %Y"),
            "Sun Sep  9 01:46:40 UTC 2001"
        );
        assert_eq!(
            f(t, "%-d|%_H|%05d|%^a|%#a|%#Z|%^B|%10A"),
            "9| 1|00009|SUN|SUN|utc|SEPTEMBER|    Sunday"
        );
        assert_eq!(
            f(t, "%-j|%_5M|%Ey|%Od|%:z|%e|%-e|%0e|%k|%l"),
            "252|   46|01|09|%:z| 9|9|09| 1| 1"
        );
        assert_eq!(
            f(t, "%p|%P|%^p|%#p|%c|%x|%X|%r|%R|%D"),
            "AM|am|AM|am|Sun Sep  9 01:46:40 2001|09/09/01|01:46:40|01:46:40 AM|01:46|09/09/01"
        );
        assert_eq!(
            f(t, "%C|%g|%G|%V|%U|%W|%u|%w|%s|%y|%_y|%E|%Q|%"),
            "20|01|2001|36|36|36|7|0|1000000000|01| 1|%E|%Q|%"
        );
        assert_eq!(f(t, "%N|%3N|%F %T"), "123456789|123|2001-09-09 01:46:40");
        // ISO weeks across a year boundary: 2021-01-01 is in 2020's week 53.
        assert_eq!(f(1_609_459_200, "%G-%V %g"), "2020-53 20");
        // 2024-12-30 is in 2025's week 1.
        assert_eq!(f(1_735_516_800, "%G-%V"), "2025-01");
    }
}
