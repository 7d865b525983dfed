//! awk values: numbers, strings and strnums (input text that looks numeric), with the
//! CONVFMT/OFMT conversions.

use crate::printf;
use std::rc::Rc;

#[derive(Clone, Default)]
pub enum Val {
    #[default]
    Uninit,
    Num(f64),
    Str(Rc<[u8]>),
    /// Text from input: compares as a number when it looks like one.
    StrNum(Rc<[u8]>),
}

const P10F: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

fn blank(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 11 | 12)
}

/// The longest numeric prefix of `s` as awk reads it (leading blanks, sign, digits, point,
/// exponent), and whether the whole text (blanks aside) was numeric. One pass; up to 15
/// digits and a power of ten within 10^22 are exact doubles, so one multiplication or
/// division rounds correctly (Clinger's fast path), else the standard library's parser.
pub fn strtod(s: &[u8]) -> (f64, bool) {
    let n = s.len();
    let mut i = 0;
    while i < n && blank(s[i]) {
        i += 1;
    }
    let st = i;
    let neg = i < n && s[i] == b'-';
    if i < n && (s[i] == b'+' || s[i] == b'-') {
        i += 1;
    }
    let mut m: u64 = 0;
    let mut sig = 0u32;
    let mut nd = 0;
    let mut e10: i32 = 0;
    let mut exact = true;
    while i < n && s[i].is_ascii_digit() {
        let d = (s[i] - b'0') as u64;
        if m != 0 || d != 0 {
            if sig < 19 {
                m = m * 10 + d;
                sig += 1;
            } else {
                exact = false;
            }
        }
        nd += 1;
        i += 1;
    }
    if i < n && s[i] == b'.' {
        i += 1;
        while i < n && s[i].is_ascii_digit() {
            let d = (s[i] - b'0') as u64;
            if m != 0 || d != 0 {
                if sig < 19 {
                    m = m * 10 + d;
                    sig += 1;
                    e10 -= 1;
                } else {
                    exact = false;
                }
            } else {
                e10 -= 1;
            }
            nd += 1;
            i += 1;
        }
    }
    if nd == 0 {
        return (0.0, false);
    }
    if i < n && (s[i] | 0x20) == b'e' {
        let mut j = i + 1;
        let eneg = j < n && s[j] == b'-';
        if j < n && (s[j] == b'+' || s[j] == b'-') {
            j += 1;
        }
        if j < n && s[j].is_ascii_digit() {
            let mut x: i32 = 0;
            while j < n && s[j].is_ascii_digit() {
                x = (x * 10 + (s[j] - b'0') as i32).min(100_000);
                j += 1;
            }
            e10 = e10.saturating_add(if eneg { -x } else { x });
            i = j;
        }
    }
    let v = if m == 0 {
        0.0
    } else if exact && sig <= 15 && (-22..=22).contains(&e10) {
        let f = m as f64;
        if e10 < 0 {
            f / P10F[(-e10) as usize]
        } else {
            f * P10F[e10 as usize]
        }
    } else {
        let t = &s[st..i];
        let a = std::str::from_utf8(t)
            .ok()
            .and_then(|x| x.parse::<f64>().ok())
            .unwrap_or(0.0);
        return (a, s[i..].iter().all(|&c| blank(c)));
    };
    let v = if neg { -v } else { v };
    (v, s[i..].iter().all(|&c| blank(c)))
}

pub fn looks_numeric(s: &[u8]) -> bool {
    strtod(s).1
}

/// A number as text: integers as "%d" (in the 64-bit range, as BusyBox and gawk print
/// 1e16 as 10000000000000000), others through `fmt` (CONVFMT or OFMT).
pub fn num_to(out: &mut Vec<u8>, n: f64, fmt: &[u8]) {
    if n == (n as i64) as f64 && n.abs() < 9.2e18 {
        let mut b = [0u8; 20];
        let i = n as i64;
        if i < 0 {
            out.push(b'-');
        }
        out.extend_from_slice(crate::cx::fmt_u64(i.unsigned_abs(), &mut b));
    } else if fmt == b"%.6g" {
        printf::float_native(&mut super::interp::Buf(out), b"", 0, 6, b'g', n);
    } else {
        let v = [super::interp::PArg::V(Val::Num(n))];
        let mut a = super::interp::PfArgs {
            v: &v,
            line: b"",
            i: 0,
            tmp: Vec::new(),
        };
        let mut bad = false;
        printf::once_native(
            fmt,
            &mut a,
            &mut super::interp::Buf(out),
            &mut |_| {},
            false,
            &mut bad,
        );
    }
}

impl Val {
    pub fn num(&self) -> f64 {
        match self {
            Val::Uninit => 0.0,
            Val::Num(n) => *n,
            Val::Str(s) | Val::StrNum(s) => strtod(s).0,
        }
    }
    pub fn truthy(&self) -> bool {
        match self {
            Val::Uninit => false,
            Val::Num(n) => *n != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::StrNum(s) => {
                let (n, ok) = strtod(s);
                if ok {
                    n != 0.0
                } else {
                    !s.is_empty()
                }
            }
        }
    }
    /// Appends the text of the value (numbers through `fmt`).
    pub fn put(&self, out: &mut Vec<u8>, fmt: &[u8]) {
        match self {
            Val::Uninit => {}
            Val::Num(n) => num_to(out, *n, fmt),
            Val::Str(s) | Val::StrNum(s) => super::record::push_bytes(out, s),
        }
    }
    pub fn bytes(&self, fmt: &[u8]) -> Rc<[u8]> {
        match self {
            Val::Str(s) | Val::StrNum(s) => s.clone(),
            _ => {
                let mut v = Vec::new();
                self.put(&mut v, fmt);
                v.into()
            }
        }
    }
    /// Compares as a number (both numbers or numeric strnums).
    pub fn is_numeric(&self) -> bool {
        match self {
            Val::Num(_) | Val::Uninit => true,
            Val::Str(_) => false,
            Val::StrNum(s) => looks_numeric(s),
        }
    }
    pub fn str(s: &[u8]) -> Val {
        Val::Str(s.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn conv() {
        assert_eq!(strtod(b" 12abc"), (12.0, false));
        assert_eq!(strtod(b" -1.5e2 "), (-150.0, true));
        assert_eq!(strtod(b"."), (0.0, false));
        assert_eq!(strtod(b"1e"), (1.0, false));
        assert_eq!(strtod(b"-0"), (-0.0, true));
        assert_eq!(strtod(b"0.000123e2x").0, 0.0123);
        assert_eq!(strtod(b"631.53").0, 631.53);
        assert_eq!(
            strtod(b"12345678901234567890123").0,
            12345678901234567890123.0
        );
        assert_eq!(strtod(b"1.7976931348623157e308").0, f64::MAX);
        assert_eq!(strtod(b"4.9e-324").0, 5e-324);
        assert_eq!(strtod(b"+.5e+1 ").0, 5.0);
        assert_eq!(strtod(b"00012").0, 12.0);
        for t in [
            "0.1",
            "2.675",
            "123456.789e-3",
            "9007199254740993",
            "1e23",
            "8.5e-10",
        ] {
            assert_eq!(strtod(t.as_bytes()).0, t.parse::<f64>().unwrap(), "{t}");
        }
        let mut o = Vec::new();
        num_to(&mut o, 0.1, b"%.6g");
        num_to(&mut o, -3.0, b"%.6g");
        assert_eq!(o, b"0.1-3");
    }
}
