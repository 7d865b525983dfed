//! Calendar time through the C library's localtime_r/gmtime_r (musl and glibc both honour
//! TZ and /etc/localtime), and the fixed formats ls, date, stat and touch print. English
//! month and day names, as in the C locale.

use crate::cx::fmt_u64;

/// Broken-down time (a `struct tm`).
#[derive(Clone, Copy)]
pub struct Tm(pub libc::tm);

pub const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];
pub const DAYS: [&[u8; 3]; 7] = [b"Sun", b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat"];

/// Seconds since the epoch, now.
pub fn now() -> i64 {
    // SAFETY: time(NULL) only returns a value.
    unsafe { libc::time(std::ptr::null_mut()) as i64 }
}

/// `t` in the local time zone; None when the year does not fit.
#[allow(deprecated)] // libc's time_t warning is about 32-bit musl; rbox's targets are 64-bit
pub fn local(t: i64) -> Option<Tm> {
    let t = t as libc::time_t;
    // SAFETY: tm is plain data that localtime_r fills in; both pointers are valid.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        (!libc::localtime_r(&t, &mut tm).is_null()).then_some(Tm(tm))
    }
}

/// `t` in UTC; None when the year does not fit.
#[allow(deprecated)]
pub fn utc(t: i64) -> Option<Tm> {
    let t = t as libc::time_t;
    // SAFETY: as in `local`.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        (!libc::gmtime_r(&t, &mut tm).is_null()).then_some(Tm(tm))
    }
}

impl Tm {
    /// The full year (tm_year + 1900).
    pub fn year(&self) -> i64 {
        self.0.tm_year as i64 + 1900
    }
    /// "Jan".."Dec" (the C locale's %b).
    pub fn month_name(&self) -> &'static [u8] {
        MONTHS
            .get(self.0.tm_mon as usize)
            .map_or(b"???", |m| &m[..])
    }
    /// "Sun".."Sat" (the C locale's %a).
    pub fn day_name(&self) -> &'static [u8] {
        DAYS.get(self.0.tm_wday as usize).map_or(b"???", |d| &d[..])
    }
    /// Seconds east of UTC.
    pub fn gmtoff(&self) -> i64 {
        #[allow(clippy::unnecessary_cast)] // c_long: i32 on 32-bit targets
        let off = self.0.tm_gmtoff as i64;
        off
    }

    /// `%Y-%m-%d %H:%M:%S %z`, what `ls --full-time` and `stat` print.
    pub fn iso(&self, out: &mut Vec<u8>) {
        num(out, self.year(), 1);
        out.push(b'-');
        num(out, self.0.tm_mon as i64 + 1, 2);
        out.push(b'-');
        num(out, self.0.tm_mday as i64, 2);
        out.push(b' ');
        self.hms(out);
        out.push(b' ');
        self.zone_offset(out);
    }

    /// `%H:%M:%S`.
    pub fn hms(&self, out: &mut Vec<u8>) {
        num(out, self.0.tm_hour as i64, 2);
        out.push(b':');
        num(out, self.0.tm_min as i64, 2);
        out.push(b':');
        num(out, self.0.tm_sec as i64, 2);
    }

    /// `%z`: "+hhmm" or "-hhmm" (seconds of the offset dropped, as the C libraries do).
    pub fn zone_offset(&self, out: &mut Vec<u8>) {
        let off = self.gmtoff();
        out.push(if off < 0 { b'-' } else { b'+' });
        let m = off.unsigned_abs() / 60;
        num(out, (m / 60) as i64, 2);
        num(out, (m % 60) as i64, 2);
    }

    /// The date `ls -l` prints, 12 columns (C's ctime fields): "Mmm dd hh:mm" for a time
    /// within the last six months (or up to 15 minutes ahead of `now`), else "Mmm dd  yyyy"
    /// (the year right-aligned in five columns). Six months is BusyBox's 365*24*3600/2.
    pub fn ls_date(&self, t: i64, now: i64, out: &mut Vec<u8>) {
        out.extend_from_slice(self.month_name());
        out.push(b' ');
        pad_num(out, self.0.tm_mday as i64, 2, b' ');
        out.push(b' ');
        let age = now.wrapping_sub(t);
        if age < 3600 * 24 * 365 / 2 && age > -15 * 60 {
            num(out, self.0.tm_hour as i64, 2);
            out.push(b':');
            num(out, self.0.tm_min as i64, 2);
        } else {
            pad_num(out, self.year(), 5, b' ');
        }
    }

    /// The C library's strftime(3) for formats this module does not spell out (`date +FMT`).
    /// The result is appended to `out`; an empty expansion appends nothing.
    pub fn strftime(&self, fmt: &[u8], out: &mut Vec<u8>) {
        let Some(f) = crate::sys::cstr(fmt) else {
            return;
        };
        let mut cap = 64 + fmt.len() * 4;
        // strftime gives 0 both for "too small" and for an empty result: retry a few times.
        for _ in 0..6 {
            let start = out.len();
            out.resize(start + cap, 0);
            // SAFETY: the destination has `cap` writable bytes; f and tm are valid.
            let n = unsafe {
                libc::strftime(out.as_mut_ptr().add(start).cast(), cap, f.as_ptr(), &self.0)
            };
            out.truncate(start + n);
            if n > 0 {
                return;
            }
            cap *= 4;
        }
    }
}

/// `n` in decimal, zero-padded to `width` digits (a minus sign comes first).
pub fn num(out: &mut Vec<u8>, n: i64, width: usize) {
    if n < 0 {
        out.push(b'-');
    }
    let mut b = [0u8; 20];
    let d = fmt_u64(n.unsigned_abs(), &mut b);
    out.resize(out.len() + width.saturating_sub(d.len()), b'0');
    out.extend_from_slice(d);
}

/// `n` right-aligned in `width` columns with `fill` (C's `%*d` when fill is a space).
fn pad_num(out: &mut Vec<u8>, n: i64, width: usize, fill: u8) {
    let mut b = [0u8; 20];
    let d = fmt_u64(n.unsigned_abs(), &mut b);
    let len = d.len() + (n < 0) as usize;
    out.resize(out.len() + width.saturating_sub(len), fill);
    if n < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(d);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut v = Vec::new();
        f(&mut v);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn fixed_formats() {
        let t = 1_000_000_000; // Sun Sep  9 01:46:40 UTC 2001
        let tm = utc(t).unwrap();
        assert_eq!(
            (tm.year(), tm.month_name(), tm.day_name()),
            (2001, &b"Sep"[..], &b"Sun"[..])
        );
        assert_eq!(s(|o| tm.iso(o)), "2001-09-09 01:46:40 +0000");
        assert_eq!(s(|o| tm.ls_date(t, t + 3600, o)), "Sep  9 01:46");
        assert_eq!(s(|o| tm.ls_date(t, t - 15 * 60 + 1, o)), "Sep  9 01:46");
        assert_eq!(s(|o| tm.ls_date(t, t - 15 * 60, o)), "Sep  9  2001");
        assert_eq!(s(|o| tm.ls_date(t, t + 15_768_000, o)), "Sep  9  2001");
        assert_eq!(s(|o| tm.ls_date(t, t + 15_767_999, o)), "Sep  9 01:46");
        assert_eq!(
            s(|o| tm.strftime(b"%a %b %e %H:%M:%S %Y", o)),
            "Sun Sep  9 01:46:40 2001"
        );
        assert_eq!(s(|o| tm.strftime(b"", o)), "");
        let mut east = tm;
        east.0.tm_gmtoff = 5 * 3600 + 45 * 60;
        assert_eq!(s(|o| east.zone_offset(o)), "+0545");
        east.0.tm_gmtoff = -(3 * 3600 + 30 * 60 + 15);
        assert_eq!(s(|o| east.zone_offset(o)), "-0330");
        let far = utc(253_402_300_800).unwrap(); // year 10000
        assert_eq!(s(|o| far.ls_date(253_402_300_800, 0, o)), "Jan  1 10000");
        let neg = utc(-62_198_755_200).unwrap(); // year -1
        assert_eq!(s(|o| neg.ls_date(-62_198_755_200, 0, o)), "Jan  1    -1");
    }
}
