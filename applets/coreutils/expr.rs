//! applet: expr
//! usage: expr EXPRESSION
//! Print the value of EXPRESSION
//!
//! EXPRESSION may be:
//! 	ARG1 | ARG2	ARG1 if it is neither null nor 0, otherwise ARG2
//! 	ARG1 & ARG2	ARG1 if neither argument is null or 0, otherwise 0
//! 	ARG1 < ARG2	1 if ARG1 is less than ARG2, else 0. Similarly:
//! 	ARG1 <= ARG2
//! 	ARG1 = ARG2
//! 	ARG1 != ARG2
//! 	ARG1 >= ARG2
//! 	ARG1 > ARG2
//! 	ARG1 + ARG2	Sum of ARG1 and ARG2. Similarly:
//! 	ARG1 - ARG2
//! 	ARG1 * ARG2
//! 	ARG1 / ARG2
//! 	ARG1 % ARG2
//! 	STRING : REGEXP		Anchored pattern match of REGEXP in STRING
//! 	match STRING REGEXP	Same as STRING : REGEXP
//! 	substr STRING POS LEN	Substring of STRING, POS counts from 1
//! 	index STRING CHARS	Index in STRING where any CHARS is found, or 0
//! 	length STRING		Length of STRING
//! 	quote TOKEN		Interpret TOKEN as a string, even if
//! 				it is a keyword like 'match' or an
//! 				operator like '/'
//! 	(EXPRESSION)		Value of EXPRESSION
//!
//! Beware that many operators need to be escaped or quoted for shells.
//! Comparisons are arithmetic if both ARGs are numbers, else
//! lexicographical. Pattern matches return the string matched between
//! \( and \) or null; if \( and \) are not used, they return the number
//! of characters matched or 0.

use crate::{Cx, Fail, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

#[derive(Clone)]
enum V {
    I(i64),
    S(Vec<u8>),
}

impl V {
    fn null(&self) -> bool {
        match self {
            V::I(i) => *i == 0,
            V::S(s) => s.is_empty() || s == b"0",
        }
    }
    fn text(&self) -> Vec<u8> {
        match self {
            V::I(i) => i.to_string().into_bytes(),
            V::S(s) => s.clone(),
        }
    }
    /// The number a value stands for: C's strtoll on all of it (white space before, a
    /// sign, saturating as strtoll does).
    fn num(&self) -> Option<i64> {
        match self {
            V::I(i) => Some(*i),
            V::S(s) => {
                let t = s.trim_ascii_start();
                let (neg, d) = match t.first() {
                    Some(b'-') => (true, &t[1..]),
                    Some(b'+') => (false, &t[1..]),
                    _ => (false, t),
                };
                if d.is_empty() || !d.iter().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                let mut n: i128 = 0;
                for &c in d {
                    n = (n * 10 + (c - b'0') as i128).min(i64::MAX as i128 + 1);
                }
                let n = if neg { -n } else { n };
                Some(n.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
            }
        }
    }
}

struct P<'a> {
    args: &'a [&'a [u8]],
    i: usize,
    cx: &'a Cx,
}

impl P<'_> {
    fn peek(&self, t: &[u8]) -> bool {
        self.args.get(self.i) == Some(&t)
    }
    fn die(&self, m: &[u8]) -> Fail {
        self.cx.err(&[m]);
        Fail(2)
    }
    fn or(&mut self) -> Res<V> {
        let mut l = self.and()?;
        while self.peek(b"|") {
            self.i += 1;
            let r = self.and()?;
            if l.null() {
                l = r;
            }
        }
        Ok(l)
    }
    fn and(&mut self) -> Res<V> {
        let mut l = self.cmp()?;
        while self.peek(b"&") {
            self.i += 1;
            let r = self.cmp()?;
            if l.null() || r.null() {
                l = V::I(0);
            }
        }
        Ok(l)
    }
    fn cmp(&mut self) -> Res<V> {
        let mut l = self.add()?;
        loop {
            let op = match self.args.get(self.i) {
                Some(&o) if matches!(o, b"<" | b"<=" | b"=" | b"==" | b"!=" | b">=" | b">") => o,
                _ => return Ok(l),
            };
            self.i += 1;
            let r = self.add()?;
            let ord = match (l.num(), r.num()) {
                (Some(a), Some(b)) => a.cmp(&b),
                _ => l.text().cmp(&r.text()),
            };
            use std::cmp::Ordering::*;
            let t = match op {
                b"<" => ord == Less,
                b"<=" => ord != Greater,
                b"=" | b"==" => ord == Equal,
                b"!=" => ord != Equal,
                b">=" => ord != Less,
                _ => ord == Greater,
            };
            l = V::I(t as i64);
        }
    }
    fn arith(&self, l: &V, r: &V, op: u8) -> Res<V> {
        let (Some(a), Some(b)) = (l.num(), r.num()) else {
            return Err(self.die(b"non-numeric argument"));
        };
        if matches!(op, b'/' | b'%') && b == 0 {
            return Err(self.die(b"division by zero"));
        }
        Ok(V::I(match op {
            b'+' => a.wrapping_add(b),
            b'-' => a.wrapping_sub(b),
            b'*' => a.wrapping_mul(b),
            b'/' => a.wrapping_div(b),
            _ => a.wrapping_rem(b),
        }))
    }
    fn add(&mut self) -> Res<V> {
        let mut l = self.mul()?;
        while let Some(op @ (b"+" | b"-")) = self.args.get(self.i).copied() {
            self.i += 1;
            let r = self.mul()?;
            l = self.arith(&l, &r, op[0])?;
        }
        Ok(l)
    }
    fn mul(&mut self) -> Res<V> {
        let mut l = self.colon()?;
        while let Some(op @ (b"*" | b"/" | b"%")) = self.args.get(self.i).copied() {
            self.i += 1;
            let r = self.colon()?;
            l = self.arith(&l, &r, op[0])?;
        }
        Ok(l)
    }
    fn colon(&mut self) -> Res<V> {
        let mut l = self.unary()?;
        while self.peek(b":") {
            self.i += 1;
            let r = self.unary()?;
            l = self.docolon(&l, &r)?;
        }
        Ok(l)
    }
    /// STRING : BRE, anchored at the start: the first group's text, else the length.
    fn docolon(&self, sv: &V, pv: &V) -> Res<V> {
        let (s, p) = (sv.text(), pv.text());
        if p.first() == Some(&b'^') {
            self.cx.err(&[
                b"warning: '",
                &p,
                b"': using '^' as the first character\nof a basic regular expression is not portable; it is ignored",
            ]);
        }
        let re = crate::regex::compile(&p, crate::regex::Flags::NONE)
            .map_err(|e| self.die(&[&b"bad regex '"[..], &p, b"': ", e.as_bytes()].concat()))?;
        let groups = re.ngroups() > 0;
        Ok(match re.find_at(&s, 0, false).filter(|m| m.start() == 0) {
            Some(m) => match m.get(1) {
                Some((a, b)) if groups => V::S(s[a..b].to_vec()),
                _ => V::I(m.end() as i64),
            },
            None if groups => V::S(Vec::new()),
            None => V::I(0),
        })
    }
    fn unary(&mut self) -> Res<V> {
        let Some(&t) = self.args.get(self.i) else {
            return Err(self.die(b"syntax error"));
        };
        let kw = matches!(t, b"quote" | b"length" | b"match" | b"index" | b"substr");
        if kw && self.i + 1 >= self.args.len() {
            return Err(self.die(b"syntax error"));
        }
        if !kw {
            return self.primary();
        }
        self.i += 1;
        match t {
            b"quote" => {
                let v = self.args[self.i].to_vec();
                self.i += 1;
                Ok(V::S(v))
            }
            b"length" => {
                let r = self.unary()?;
                Ok(V::I(r.text().len() as i64))
            }
            b"match" => {
                let (l, r) = (self.unary()?, self.unary()?);
                self.docolon(&l, &r)
            }
            b"index" => {
                let (s, c) = (self.unary()?.text(), self.unary()?.text());
                let p = s.iter().position(|x| c.contains(x)).map_or(0, |p| p as i64 + 1);
                Ok(V::I(p))
            }
            _ => {
                let s = self.unary()?.text();
                let (p, n) = (self.unary()?.num(), self.unary()?.num());
                Ok(match (p, n) {
                    (Some(p), Some(n)) if p > 0 && n > 0 && p as u64 <= s.len() as u64 => {
                        let st = p as usize - 1;
                        let end = st.saturating_add(usize::try_from(n).unwrap_or(usize::MAX)).min(s.len());
                        V::S(s[st..end].to_vec())
                    }
                    _ => V::S(Vec::new()),
                })
            }
        }
    }
    fn primary(&mut self) -> Res<V> {
        if self.peek(b"(") {
            self.i += 1;
            let v = self.or()?;
            if !self.peek(b")") {
                return Err(self.die(b"syntax error"));
            }
            self.i += 1;
            return Ok(v);
        }
        if self.peek(b")") {
            return Err(self.die(b"syntax error"));
        }
        let v = self.args[self.i].to_vec();
        self.i += 1;
        Ok(V::S(v))
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let a: Vec<&[u8]> = args.iter().skip(1).map(|a| a.as_bytes()).collect();
    if a.is_empty() {
        cx.err(&[b"too few arguments"]);
        return Err(Fail(2));
    }
    let mut p = P { args: &a, i: 0, cx };
    let v = p.or()?;
    if p.i < a.len() {
        return Err(p.die(b"syntax error"));
    }
    cx.out.line(&v.text());
    Ok(v.null() as i32)
}
