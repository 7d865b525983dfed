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

/// The longest numeric prefix of `s` as awk reads it (leading blanks, sign, digits, point,
/// exponent; "inf"/"nan" words too), and whether the whole text (blanks aside) was numeric.
pub fn strtod(s: &[u8]) -> (f64, bool) {
    let mut i = 0;
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\n' | b'\r' | 11 | 12) {
        i += 1;
    }
    let st = i;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        i += 1;
    }
    let ds = i;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    let mut nd = i - ds;
    if i < s.len() && s[i] == b'.' {
        i += 1;
        let f = i;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        nd += i - f;
    }
    if nd == 0 {
        return (0.0, false);
    }
    if i < s.len() && (s[i] | 0x20) == b'e' {
        let mut j = i + 1;
        if j < s.len() && (s[j] == b'+' || s[j] == b'-') {
            j += 1;
        }
        if j < s.len() && s[j].is_ascii_digit() {
            while j < s.len() && s[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    let t = &s[st..i];
    // Fast path: small integers.
    let v = if t.len() < 16 && !t.iter().any(|&c| c == b'.' || c | 0x20 == b'e') {
        let (neg, d) = match t[0] {
            b'-' => (true, &t[1..]),
            b'+' => (false, &t[1..]),
            _ => (false, t),
        };
        let n = d.iter().fold(0i64, |a, &c| a * 10 + (c - b'0') as i64) as f64;
        if neg {
            -n
        } else {
            n
        }
    } else {
        std::str::from_utf8(t).ok().and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0)
    };
    let mut j = i;
    while j < s.len() && matches!(s[j], b' ' | b'\t' | b'\n' | b'\r' | 11 | 12) {
        j += 1;
    }
    (v, j == s.len())
}

pub fn looks_numeric(s: &[u8]) -> bool {
    strtod(s).1
}

/// A number as text: integers as "%d", others through `fmt` (CONVFMT or OFMT).
pub fn num_to(out: &mut Vec<u8>, n: f64, fmt: &[u8]) {
    if n == (n as i64) as f64 && n.abs() < 1e16 {
        let mut b = [0u8; 20];
        let i = n as i64;
        if i < 0 {
            out.push(b'-');
        }
        out.extend_from_slice(crate::cx::fmt_u64(i.unsigned_abs(), &mut b));
    } else if fmt == b"%.6g" {
        printf::float_c(out, b"", 0, 6, b'g', n);
    } else {
        let v = [Val::Num(n)];
        let mut a = super::interp::PfArgs { v: &v, i: 0, tmp: Vec::new() };
        let mut bad = false;
        printf::once(fmt, &mut a, out, &mut |_| {}, false, &mut bad);
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
            Val::Str(s) | Val::StrNum(s) => out.extend_from_slice(s),
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
        let mut o = Vec::new();
        num_to(&mut o, 0.1, b"%.6g");
        num_to(&mut o, -3.0, b"%.6g");
        assert_eq!(o, b"0.1-3");
    }
}
