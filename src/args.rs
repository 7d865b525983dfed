//! Command-line parsing with BusyBox's getopt32 semantics, declared per applet in one string:
//!
//! ```text
//! cx.getopt(args, "+1aAn:w::", &[("color", 0x01), ("all", b'a')])
//! ```
//! - each letter is a flag; `x:` takes a value (`-n5`, `-n 5`), `x::` an optional one
//!   (attached only: `-w5`, `--width=5`);
//! - a leading `+` stops at the first operand (POSIX; `env`, `nice`, `xargs`); otherwise
//!   options and operands may be interleaved, as with BusyBox's (GNU) getopt;
//! - `--` ends options, a lone `-` is an operand;
//! - long options map to a letter of the spec (a control character such as `\x01` for a
//!   long-only option) and take its value rule; unique prefixes are accepted (`--col`).
//!
//! Errors print glibc getopt's messages, then the applet's usage, and return status 1.

use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// Parsed options and operands.
#[derive(Debug, Default)]
pub struct Opts<'a> {
    bits: u128,
    /// Every option seen, in order, with its value.
    pub seen: Vec<(u8, Option<&'a OsStr>)>,
    /// The operands, in order.
    pub args: Vec<&'a OsStr>,
}

impl<'a> Opts<'a> {
    /// Whether option `c` was given.
    #[inline]
    pub fn has(&self, c: u8) -> bool {
        c < 128 && self.bits & (1u128 << c) != 0
    }
    /// How many times option `c` was given (`-vv`).
    pub fn count(&self, c: u8) -> usize {
        self.seen.iter().filter(|s| s.0 == c).count()
    }
    /// The value of the last `c` given.
    pub fn val(&self, c: u8) -> Option<&'a OsStr> {
        self.seen.iter().rev().find(|s| s.0 == c).and_then(|s| s.1)
    }
    /// The values of every `c` given, in order (`-e A -e B`).
    pub fn vals(&self, c: u8) -> impl Iterator<Item = &'a OsStr> + '_ {
        self.seen
            .iter()
            .filter(move |s| s.0 == c)
            .filter_map(|s| s.1)
    }
    /// Which of `set` was given last (`ls -l -C`: the later one wins).
    pub fn last_of(&self, set: &[u8]) -> Option<u8> {
        self.seen
            .iter()
            .rev()
            .map(|s| s.0)
            .find(|c| set.contains(c))
    }
}

/// 0: no value, 1: required, 2: optional; None: not in the spec.
fn kind(spec: &[u8], c: u8) -> Option<u8> {
    if c == b':' || c == b'+' {
        return None;
    }
    let i = spec.iter().position(|&x| x == c)?;
    Some(match (spec.get(i + 1), spec.get(i + 2)) {
        (Some(b':'), Some(b':')) => 2,
        (Some(b':'), _) => 1,
        _ => 0,
    })
}

impl Cx {
    /// Parses `argv` (argv[0] is the applet name) by `spec` and `longs`; see the module doc.
    pub fn getopt<'a>(
        &self,
        argv: &[&'a OsStr],
        spec: &str,
        longs: &[(&str, u8)],
    ) -> Res<Opts<'a>> {
        let spec = spec.as_bytes();
        let posix = spec.first() == Some(&b'+');
        let mut o = Opts::default();
        let mut i = 1;
        while i < argv.len() {
            let arg = argv[i];
            let a = arg.as_bytes();
            i += 1;
            if a == b"--" {
                o.args.extend_from_slice(&argv[i..]);
                break;
            }
            if a.len() > 2 && a.starts_with(b"--") {
                let body = &a[2..];
                let (name, val) = match body.iter().position(|&b| b == b'=') {
                    Some(e) => (&body[..e], Some(OsStr::from_bytes(&body[e + 1..]))),
                    None => (body, None),
                };
                let c = self.long(longs, name, a)?;
                let k = kind(spec, c).unwrap_or(0);
                let full = longs
                    .iter()
                    .find(|l| l.1 == c && l.0.as_bytes().starts_with(name));
                let full = full.map_or(name, |l| l.0.as_bytes());
                let v = match (k, val) {
                    (0, Some(_)) => {
                        self.err(&[b"option '--", full, b"' doesn't allow an argument"]);
                        return Err(self.usage());
                    }
                    (1, None) if i < argv.len() => {
                        i += 1;
                        Some(argv[i - 1])
                    }
                    (1, None) => {
                        self.err(&[b"option '--", full, b"' requires an argument"]);
                        return Err(self.usage());
                    }
                    (_, v) => v,
                };
                o.push(c, v);
            } else if a.len() > 1 && a[0] == b'-' {
                let mut j = 1;
                while j < a.len() {
                    let c = a[j];
                    j += 1;
                    let k = match kind(spec, c) {
                        Some(k) if c >= 0x20 => k,
                        _ => {
                            self.err(&[b"invalid option -- '", &[c], b"'"]);
                            return Err(self.usage());
                        }
                    };
                    if k == 0 {
                        o.push(c, None);
                        continue;
                    }
                    let v = if j < a.len() {
                        Some(OsStr::from_bytes(&a[j..]))
                    } else if k == 1 && i < argv.len() {
                        i += 1;
                        Some(argv[i - 1])
                    } else if k == 1 {
                        self.err(&[b"option requires an argument -- '", &[c], b"'"]);
                        return Err(self.usage());
                    } else {
                        None
                    };
                    o.push(c, v);
                    break;
                }
            } else {
                o.args.push(arg);
                if posix {
                    o.args.extend_from_slice(&argv[i..]);
                    break;
                }
            }
        }
        Ok(o)
    }

    /// Resolves a long option name (exact, else a unique prefix) to its letter.
    fn long(&self, longs: &[(&str, u8)], name: &[u8], whole: &[u8]) -> Res<u8> {
        if let Some(l) = longs.iter().find(|l| l.0.as_bytes() == name) {
            return Ok(l.1);
        }
        let mut hits = longs.iter().filter(|l| l.0.as_bytes().starts_with(name));
        match (hits.next(), hits.next()) {
            (Some(l), None) => Ok(l.1),
            (None, _) => {
                self.err(&[b"unrecognized option '", whole, b"'"]);
                Err(self.usage())
            }
            (Some(a), Some(b)) => {
                let mut m: Vec<u8> = Vec::new();
                for l in [a, b].into_iter().chain(hits) {
                    m.extend_from_slice(b" '--");
                    m.extend_from_slice(l.0.as_bytes());
                    m.push(b'\'');
                }
                self.err(&[b"option '--", name, b"' is ambiguous; possibilities:", &m]);
                Err(self.usage())
            }
        }
    }

    /// Parses a non-negative decimal number, or fails with BusyBox's `invalid number 'X'`.
    pub fn num_u64(&self, s: &OsStr) -> Res<u64> {
        parse_u64(s.as_bytes()).ok_or_else(|| self.fail(&[b"invalid number '", s.as_bytes(), b"'"]))
    }

    /// Parses a signed decimal number, or fails with `invalid number 'X'`.
    pub fn num_i64(&self, s: &OsStr) -> Res<i64> {
        let b = s.as_bytes();
        let (neg, digits) = match b.first() {
            Some(b'-') => (true, &b[1..]),
            Some(b'+') => (false, &b[1..]),
            _ => (false, b),
        };
        match parse_u64(digits) {
            Some(n) if !neg && n <= i64::MAX as u64 => Ok(n as i64),
            Some(n) if neg && n <= i64::MAX as u64 + 1 => Ok((n as i64).wrapping_neg()),
            _ => Err(self.fail(&[b"invalid number '", b, b"'"])),
        }
    }
}

impl<'a> Opts<'a> {
    fn push(&mut self, c: u8, v: Option<&'a OsStr>) {
        if c < 128 {
            self.bits |= 1u128 << c;
        }
        self.seen.push((c, v));
    }
}

/// Decimal digits only, no sign, no overflow.
pub fn parse_u64(b: &[u8]) -> Option<u64> {
    if b.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add((c - b'0') as u64)?;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Fail;

    fn os(v: &[&'static str]) -> Vec<&'static OsStr> {
        v.iter().map(|s| OsStr::new(*s)).collect()
    }
    fn parse(v: &[&'static str], spec: &str) -> Res<Opts<'static>> {
        let a = os(v);
        let a: &'static [&'static OsStr] = Box::leak(a.into_boxed_slice());
        Cx::new("t", crate::Help::NONE).getopt(
            a,
            spec,
            &[("color", 1), ("all", b'a'), ("almost", b'A')],
        )
    }

    #[test]
    fn grouped_and_separate() {
        let o = parse(&["t", "-la", "x", "-n5", "-n", "7", "y"], "lan:\x01::A").unwrap();
        assert!(o.has(b'l') && o.has(b'a') && !o.has(b'A'));
        assert_eq!(o.vals(b'n').collect::<Vec<_>>(), ["5", "7"]);
        assert_eq!(o.val(b'n').unwrap(), "7");
        assert_eq!(o.args, ["x", "y"]);
        assert_eq!(o.count(b'l'), 1);
    }

    #[test]
    fn double_dash_and_lone_dash() {
        let o = parse(&["t", "-l", "--", "-a", "-"], "la").unwrap();
        assert!(!o.has(b'a'));
        assert_eq!(o.args, ["-a", "-"]);
        let o = parse(&["t", "-", "-l"], "la").unwrap();
        assert_eq!(o.args, ["-"]);
        assert!(o.has(b'l'));
    }

    #[test]
    fn plus_stops_at_first_operand() {
        let o = parse(&["t", "-l", "cmd", "-a"], "+la").unwrap();
        assert!(o.has(b'l') && !o.has(b'a'));
        assert_eq!(o.args, ["cmd", "-a"]);
    }

    #[test]
    fn long_options_and_prefixes() {
        let o = parse(&["t", "--color=never", "--col", "--all"], "la\x01::A").unwrap();
        assert_eq!(o.vals(1).collect::<Vec<_>>(), ["never"]);
        assert_eq!(o.count(1), 2);
        assert!(o.has(b'a'));
        // "--al" is ambiguous between all and almost.
        assert_eq!(parse(&["t", "--al"], "la\x01::A").unwrap_err(), Fail(1));
        assert_eq!(parse(&["t", "--nosuch"], "la").unwrap_err(), Fail(1));
        assert_eq!(parse(&["t", "--all=x"], "la").unwrap_err(), Fail(1));
    }

    #[test]
    fn errors() {
        assert_eq!(parse(&["t", "-Z"], "la").unwrap_err(), Fail(1));
        assert_eq!(parse(&["t", "-n"], "n:").unwrap_err(), Fail(1));
        // ':' and control characters are never options.
        assert_eq!(parse(&["t", "-:"], "n:").unwrap_err(), Fail(1));
        assert_eq!(parse(&["t", "-\x01"], "\x01").unwrap_err(), Fail(1));
    }

    #[test]
    fn optional_value_is_attached_only() {
        let o = parse(&["t", "-w", "5", "-w9"], "w::").unwrap();
        assert_eq!(o.seen, [(b'w', None), (b'w', Some(OsStr::new("9")))]);
        assert_eq!(o.args, ["5"]);
        assert_eq!(o.last_of(b"wx"), Some(b'w'));
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_u64(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616"), None);
        assert_eq!(parse_u64(b""), None);
        assert_eq!(parse_u64(b"1x"), None);
        let cx = Cx::new("t", crate::Help::NONE);
        assert_eq!(cx.num_i64(OsStr::new("-9223372036854775808")), Ok(i64::MIN));
        assert_eq!(cx.num_i64(OsStr::new("+5")), Ok(5));
        assert!(cx.num_i64(OsStr::new("9223372036854775808")).is_err());
    }
}
