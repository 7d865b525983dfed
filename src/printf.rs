//! printf's format engine, shared by the `printf` applet, the shell's builtin and awk:
//!
//! ```text
//! let v: Vec<&[u8]> = operands.iter().map(|a| a.as_bytes()).collect();
//! let mut args = printf::Argv::new(&v);
//! let status = printf::run(format, &mut args, &mut cx.out, &mut |m| cx.err(m));
//! ```
//! - [`Args`] supplies the values: [`Argv`] converts command-line strings by BusyBox's rules
//!   (`'c` character values, `0x`/`0` prefixes, 64-bit overflow is an error); awk supplies
//!   its own values through the same trait.
//! - Output goes into any [`Sink`] (`cx::Out`, a `Vec<u8>` for awk's sprintf).
//! - Problems come back as message parts (`invalid number 'x'`, `%q: invalid format`) for
//!   the caller to print with its own name; output goes on after a bad number, as BusyBox's.
//!
//! Numbers are formatted by the C library's snprintf (musl's is small), which gives every
//! flag, width and precision C defines; strings and characters are padded here, as bytes.

use crate::cx::Out;

/// Where formatted bytes go.
pub trait Sink {
    fn put(&mut self, b: &[u8]);
    /// Called before a message goes to stderr, so the two streams interleave as BusyBox's.
    fn flush(&mut self) {}
}

impl Sink for Vec<u8> {
    fn put(&mut self, b: &[u8]) {
        self.extend_from_slice(b);
    }
}

impl Sink for Out {
    fn put(&mut self, b: &[u8]) {
        self.write(b);
    }
    fn flush(&mut self) {
        Out::flush(self);
    }
}

/// A value that could not be converted: the value to print anyway, and the text to quote in
/// `invalid number 'TEXT'`.
pub type Bad<T> = (T, Vec<u8>);

/// The values a format consumes, in order.
pub trait Args {
    /// How many are left (the format is reused while this shrinks and is not zero).
    fn left(&self) -> usize;
    /// The next value as text, for `%s` and `%b`; None when none is left.
    fn text(&mut self) -> Option<&[u8]>;
    /// The next value for `%c`: its first byte (NUL when empty or none is left).
    fn chr(&mut self) -> u8 {
        self.text().and_then(|t| t.first().copied()).unwrap_or(0)
    }
    /// The next value for `%d %i`.
    fn int(&mut self) -> Result<i64, Bad<i64>>;
    /// The next value for `%o %u %x %X`.
    fn uint(&mut self) -> Result<u64, Bad<u64>>;
    /// The next value for `%f %e %g %E %G`.
    fn float(&mut self) -> Result<f64, Bad<f64>>;
    /// The next value as a `*` width or precision (C int range).
    fn star(&mut self) -> Result<i32, Bad<i32>>;
}

/// Command-line operands, converted as BusyBox's printf converts them.
pub struct Argv<'a> {
    args: &'a [&'a [u8]],
    i: usize,
}

impl<'a> Argv<'a> {
    pub fn new(args: &'a [&'a [u8]]) -> Argv<'a> {
        Argv { args, i: 0 }
    }
    /// The next operand, "" when none is left (what BusyBox converts then).
    fn take(&mut self) -> &'a [u8] {
        let a = self.args.get(self.i).copied().unwrap_or(b"");
        self.i += 1;
        a
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t'..=b'\r')
}

fn skip_space(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&c| is_space(c)).count();
    &s[n..]
}

/// `'c` and `"c` stand for the character's value (BusyBox: no error, NUL when nothing
/// follows).
fn quoted(s: &[u8]) -> Option<u8> {
    match s.first() {
        Some(b'\'' | b'"') => Some(s.get(1).copied().unwrap_or(0)),
        _ => None,
    }
}

/// strtoull's digits with base 0 (`0x` hex, `0` octal, else decimal), the whole string,
/// no sign, no overflow.
fn magnitude(s: &[u8]) -> Option<u64> {
    let (digits, base) = match s {
        [b'0', b'x' | b'X', rest @ ..] => (rest, 16),
        [b'0', rest @ ..] if !rest.is_empty() => (rest, 8),
        _ => (s, 10),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &c in digits {
        let d = (c as char).to_digit(base)?;
        n = n.checked_mul(base as u64)?.checked_add(d as u64)?;
    }
    Some(n)
}

/// BusyBox's bb_strtoll: the first character (after a `-`) must be alphanumeric.
fn bb_strtoll(s: &[u8]) -> Option<i64> {
    let (neg, m) = match s {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, s),
    };
    if !m.first().is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let n = magnitude(m)?;
    if neg {
        if n <= i64::MAX as u64 + 1 {
            Some((n as i64).wrapping_neg())
        } else {
            None
        }
    } else {
        i64::try_from(n).ok()
    }
}

/// BusyBox's bb_strtoull: no sign at all.
fn bb_strtoull(s: &[u8]) -> Option<u64> {
    if !s.first().is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    magnitude(s)
}

/// An unsigned number in C's base 0 (`0x` hex, `0` octal, decimal), nothing else allowed:
/// BusyBox's bb_strtoull, for option values.
pub fn parse_uint_base0(s: &[u8]) -> Option<u64> {
    bb_strtoull(s)
}

fn strip_plus(s: &[u8]) -> &[u8] {
    s.strip_prefix(b"+").unwrap_or(s)
}

/// A signed 64-bit number as printf's `%d` reads it.
pub fn parse_int(s: &[u8]) -> Option<i64> {
    let s = skip_space(s);
    match quoted(s) {
        Some(c) => Some(c as i64),
        None => bb_strtoll(strip_plus(s)),
    }
}

/// An unsigned 64-bit number as `%u` reads it: a negative one wraps (`-1` is 2^64-1).
pub fn parse_uint(s: &[u8]) -> Option<u64> {
    let s = skip_space(s);
    if let Some(c) = quoted(s) {
        return Some(c as u64);
    }
    let s = strip_plus(s);
    bb_strtoull(s).or_else(|| bb_strtoll(s).map(|v| v as u64))
}

/// strtod on the whole string (white space before, hex, inf and nan as the C library
/// reads them): Err carries the value for an out-of-range number, 0 for garbage.
pub fn parse_float(s: &[u8]) -> Result<f64, f64> {
    if let Some(c) = quoted(s) {
        return Ok(c as f64);
    }
    strtod(s)
}

/// C's strtod on all of `s`: Err(0) for garbage, Err(value) when out of range (ERANGE).
pub fn strtod(s: &[u8]) -> Result<f64, f64> {
    let mut small = [0u8; 64];
    let mut big = Vec::new();
    let z: &mut [u8] = if s.len() < small.len() {
        &mut small[..s.len() + 1]
    } else {
        big.resize(s.len() + 1, 0);
        &mut big
    };
    z[..s.len()].copy_from_slice(s);
    z[s.len()] = 0;
    // C stops at a NUL: so does BusyBox, whose operands cannot hold one.
    let len = z.iter().position(|&c| c == 0).unwrap_or(s.len());
    let p = z.as_ptr() as *const libc::c_char;
    let mut end: *mut libc::c_char = std::ptr::null_mut();
    // SAFETY: `p` is NUL-terminated; strtod writes only `end` and errno.
    let (v, used, e) = unsafe {
        *libc::__errno_location() = 0;
        let v = libc::strtod(p, &mut end);
        (v, end.offset_from(p) as usize, *libc::__errno_location())
    };
    if used != len || len != s.len() {
        Err(0.0)
    } else if e == libc::ERANGE {
        Err(v)
    } else {
        Ok(v)
    }
}

impl Args for Argv<'_> {
    fn left(&self) -> usize {
        self.args.len().saturating_sub(self.i)
    }
    fn text(&mut self) -> Option<&[u8]> {
        let a = self.args.get(self.i).copied();
        self.i += 1;
        a
    }
    fn int(&mut self) -> Result<i64, Bad<i64>> {
        let a = self.take();
        parse_int(a).ok_or_else(|| (0, skip_space(a).to_vec()))
    }
    fn uint(&mut self) -> Result<u64, Bad<u64>> {
        let a = self.take();
        parse_uint(a).ok_or_else(|| (0, skip_space(a).to_vec()))
    }
    fn float(&mut self) -> Result<f64, Bad<f64>> {
        let a = self.take();
        parse_float(a).map_err(|v| (v, a.to_vec()))
    }
    fn star(&mut self) -> Result<i32, Bad<i32>> {
        let a = self.take();
        match parse_int(a).map(i32::try_from) {
            Some(Ok(v)) => Ok(v),
            _ => Err((0, skip_space(a).to_vec())),
        }
    }
}

/// One backslash escape, `s` starting after the backslash: the byte it stands for and how
/// many bytes of `s` it used (BusyBox's bb_process_escape_sequence: `\NNN` up to three
/// octal digits below 256, `\xHH` up to two hex digits, `\a \b \e \f \n \r \t \v \\`; an
/// unknown one, or `\x` without a digit, is a backslash that uses nothing).
pub fn escape(s: &[u8]) -> (u8, usize) {
    let (base, start) = if s.first() == Some(&b'x') {
        (16, 1)
    } else {
        (8, 0)
    };
    let max = if base == 16 { 2 } else { 3 };
    let mut n: u32 = 0;
    let mut i = start;
    while i - start < max {
        match s.get(i).and_then(|&c| (c as char).to_digit(base)) {
            Some(d) if n * base + d <= 255 => n = n * base + d,
            _ => break,
        }
        i += 1;
    }
    if i > start {
        return (n as u8, i);
    }
    if base == 16 {
        return (b'\\', 0);
    }
    let c = match s.first() {
        Some(b'a') => 7,
        Some(b'b') => 8,
        Some(b'e') => 27,
        Some(b'f') => 12,
        Some(b'n') => b'\n',
        Some(b'r') => b'\r',
        Some(b't') => b'\t',
        Some(b'v') => 11,
        Some(b'\\') => b'\\',
        _ => return (b'\\', 0),
    };
    (c, 1)
}

/// `%b`'s argument: escapes as in the format, plus `\0NNN`; true when `\c` ends all output.
pub fn esc_string(s: &[u8], out: &mut dyn Sink) -> bool {
    let mut i = 0;
    while i < s.len() {
        let Some(j) = memchr::memchr(b'\\', &s[i..]) else {
            out.put(&s[i..]);
            break;
        };
        out.put(&s[i..i + j]);
        i += j + 1;
        match s.get(i) {
            Some(b'c') => return true,
            Some(b'0') if s.get(i + 1).is_some_and(|c| (b'0'..=b'7').contains(c)) => i += 1,
            _ => {}
        }
        let (c, n) = escape(&s[i..]);
        out.put(&[c]);
        i += n;
    }
    false
}

/// How one pass over the format ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The end of the format.
    Done,
    /// `\c`: no more output at all.
    Stop,
    /// An invalid directive (already reported): stop, exit status 1.
    Bad,
}

/// Pads `body` to `width` (negative or `left`: on the right) with spaces.
fn pad(out: &mut dyn Sink, body: &[u8], width: i64, left: bool) {
    let w = width.unsigned_abs().min(1 << 24) as usize;
    let fill = w.saturating_sub(body.len());
    let left = left || width < 0;
    if left {
        out.put(body);
    }
    let spaces = [b' '; 64];
    let mut n = fill;
    while n > 0 {
        let k = n.min(spaces.len());
        out.put(&spaces[..k]);
        n -= k;
    }
    if !left {
        out.put(body);
    }
}

/// A number through snprintf with a C format built from the directive.
enum CNum {
    I(i64),
    U(u64),
    F(f64),
}

fn c_format(out: &mut dyn Sink, flags: &[u8], width: i32, prec: i32, conv: u8, v: CNum) {
    // "%" flags "*.*" ["ll"] conv NUL; flags are at most the five kinds, repeated.
    let mut f = [0u8; 48];
    let mut n = 0;
    f[n] = b'%';
    n += 1;
    for &c in flags.iter().take(32) {
        f[n] = c;
        n += 1;
    }
    for &c in b"*.*" {
        f[n] = c;
        n += 1;
    }
    if !matches!(v, CNum::F(_)) {
        f[n] = b'l';
        f[n + 1] = b'l';
        n += 2;
    }
    f[n] = conv;
    let fp = f.as_ptr() as *const libc::c_char;
    let (w, p) = (width.clamp(-(1 << 24), 1 << 24), prec.min(1 << 24));
    let call = |buf: *mut libc::c_char, len: usize| -> i32 {
        // SAFETY: `fp` is a NUL-terminated format whose one conversion matches the value
        // passed, after the two int arguments for `*.*`; snprintf writes at most `len`.
        unsafe {
            match v {
                CNum::I(x) => libc::snprintf(buf, len, fp, w, p, x as libc::c_longlong),
                CNum::U(x) => libc::snprintf(buf, len, fp, w, p, x as libc::c_ulonglong),
                CNum::F(x) => libc::snprintf(buf, len, fp, w, p, x),
            }
        }
    };
    let mut small = [0u8; 128];
    let r = call(small.as_mut_ptr() as *mut libc::c_char, small.len());
    if r < 0 {
        return;
    }
    let r = r as usize;
    if r < small.len() {
        out.put(&small[..r]);
    } else {
        let mut big = vec![0u8; r + 1];
        call(big.as_mut_ptr() as *mut libc::c_char, big.len());
        out.put(&big[..r]);
    }
}

/// A float through snprintf as `%{flags}{width}.{prec}{conv}` (conv one of `feEgG`).
pub fn float_c(out: &mut dyn Sink, flags: &[u8], width: i32, prec: i32, conv: u8, v: f64) {
    c_format(out, flags, width, prec, conv, CNum::F(v));
}

/// One pass over `fmt`. `shell`: backslash escapes in the format and `%b` (the printf
/// applet and builtin; awk's strings arrive with escapes already done). `bad_num` is set
/// when a value could not be converted (BusyBox's exit status 1; output goes on).
pub fn once(
    fmt: &[u8],
    args: &mut dyn Args,
    out: &mut dyn Sink,
    err: &mut dyn FnMut(&[&[u8]]),
    shell: bool,
    bad_num: &mut bool,
) -> Step {
    let mut i = 0;
    while i < fmt.len() {
        // Copy the literal run up to the next directive or escape.
        let lit = fmt[i..]
            .iter()
            .position(|&c| c == b'%' || (shell && c == b'\\'))
            .unwrap_or(fmt.len() - i);
        out.put(&fmt[i..i + lit]);
        i += lit;
        let Some(&c) = fmt.get(i) else { break };
        i += 1;
        if c == b'\\' {
            if fmt.get(i) == Some(&b'c') {
                return Step::Stop;
            }
            let (b, n) = escape(&fmt[i..]);
            out.put(&[b]);
            i += n;
            continue;
        }
        let start = i - 1;
        match fmt.get(i) {
            Some(b'%') => {
                out.put(b"%");
                i += 1;
                continue;
            }
            Some(b'b') if shell => {
                i += 1;
                if args.left() > 0 {
                    let t = args.text().unwrap_or_default();
                    if esc_string(t, out) {
                        return Step::Stop;
                    }
                }
                continue;
            }
            _ => {}
        }
        let fl = fmt[i..].iter().take_while(|c| b"-+ #0".contains(c)).count();
        let flags = &fmt[i..i + fl];
        i += fl;
        let mut star_num = |args: &mut dyn Args| match args.star() {
            Ok(v) => v,
            Err((v, t)) => {
                out.flush();
                err(&[b"invalid number '", &t, b"'"]);
                v
            }
        };
        let mut width: i32 = 0;
        if fmt.get(i) == Some(&b'*') {
            i += 1;
            if args.left() > 0 {
                width = star_num(args);
            }
        } else {
            while let Some(d) = fmt.get(i).filter(|c| c.is_ascii_digit()) {
                width = width.saturating_mul(10).saturating_add((d - b'0') as i32);
                i += 1;
            }
        }
        let mut prec: i32 = -1;
        if fmt.get(i) == Some(&b'.') {
            i += 1;
            prec = 0;
            if fmt.get(i) == Some(&b'*') {
                i += 1;
                if args.left() > 0 {
                    prec = star_num(args);
                }
            } else {
                while let Some(d) = fmt.get(i).filter(|c| c.is_ascii_digit()) {
                    prec = prec.saturating_mul(10).saturating_add((d - b'0') as i32);
                    i += 1;
                }
            }
        }
        // Size modifiers mean nothing here: every integer is 64 bits.
        let mods = i;
        while fmt
            .get(i)
            .is_some_and(|&c| c | 0x20 == b'l' || c == b'h' || c == b'z')
        {
            i += 1;
        }
        let conv = fmt.get(i).copied().unwrap_or(0);
        if conv == 0 || !b"diouxXfeEgGcs".contains(&conv) {
            // BusyBox quotes the format from this directive on, modifiers removed.
            out.flush();
            err(&[&fmt[start..mods], &fmt[i..], b": invalid format"]);
            return Step::Bad;
        }
        i += 1;
        let mut bad = |out: &mut dyn Sink, t: Vec<u8>| {
            out.flush();
            err(&[b"invalid number '", &t, b"'"]);
            *bad_num = true;
        };
        let left = flags.contains(&b'-');
        match conv {
            b's' => {
                let t = args.text().unwrap_or_default();
                let t = match usize::try_from(prec) {
                    Ok(p) if p < t.len() => &t[..p],
                    _ => t,
                };
                pad(out, t, width as i64, left);
            }
            b'c' => {
                let c = args.chr();
                pad(out, &[c], width as i64, left);
            }
            b'd' | b'i' => {
                let v = args.int().unwrap_or_else(|(v, t)| {
                    bad(out, t);
                    v
                });
                c_format(out, flags, width, prec, b'd', CNum::I(v));
            }
            b'o' | b'u' | b'x' | b'X' => {
                let v = args.uint().unwrap_or_else(|(v, t)| {
                    bad(out, t);
                    v
                });
                c_format(out, flags, width, prec, conv, CNum::U(v));
            }
            _ => {
                let v = args.float().unwrap_or_else(|(v, t)| {
                    bad(out, t);
                    v
                });
                c_format(out, flags, width, prec, conv, CNum::F(v));
            }
        }
    }
    Step::Done
}

/// printf(1): the format is used again while values are left and a pass consumed some.
/// Returns the exit status: 1 after an invalid directive or number, else 0.
pub fn run(
    fmt: &[u8],
    args: &mut dyn Args,
    out: &mut dyn Sink,
    err: &mut dyn FnMut(&[&[u8]]),
) -> i32 {
    let mut bad_num = false;
    loop {
        let before = args.left();
        match once(fmt, args, out, err, true, &mut bad_num) {
            Step::Bad => return 1,
            Step::Stop => break,
            Step::Done => {}
        }
        let now = args.left();
        if now == 0 || now == before {
            break;
        }
    }
    bad_num as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pf(fmt: &str, a: &[&str]) -> (String, i32, Vec<String>) {
        let v: Vec<&[u8]> = a.iter().map(|s| s.as_bytes()).collect();
        let mut args = Argv::new(&v);
        let mut out = Vec::new();
        let mut errs = Vec::new();
        let st = run(fmt.as_bytes(), &mut args, &mut out, &mut |m| {
            errs.push(String::from_utf8_lossy(&m.concat()).into_owned())
        });
        (String::from_utf8_lossy(&out).into_owned(), st, errs)
    }

    #[test]
    fn conversions() {
        assert_eq!(
            pf(
                "%d|%i|%x|%X|%o|%u",
                &["-5", "0x1f", "255", "255", "8", "-1"]
            )
            .0,
            "-5|31|ff|FF|10|18446744073709551615"
        );
        assert_eq!(
            pf("%5.2f|%-8e|%g", &["3.14159", "2", "0.0001"]).0,
            " 3.14|2.000000e+00|0.0001"
        );
        assert_eq!(
            pf("%-5s|%5s|%.1s|%3c|", &["ab", "cd", "xyz", "q"]).0,
            "ab   |   cd|x|  q|"
        );
        assert_eq!(
            pf("%*d|%.*f|%*s|", &["5", "3", "2", "3.14159", "-3", "x"]).0,
            "    3|3.14|x  |"
        );
        assert_eq!(pf("%d %d\n", &["1", "2", "3"]).0, "1 2\n3 0\n");
        assert_eq!(pf("%b|%s", &["a\\tb\\0101", "\\t"]).0, "a\tbA|\\t");
        assert_eq!(pf("%d %d", &["'A", "\"B"]).0, "65 66");
        assert_eq!(pf("\\x41\\101\\q\\e\\400\\", &[]).0, "AA\\q\x1b 0\\");
        assert_eq!(pf("ab\\cd", &[]).0, "ab");
        assert_eq!(pf("%b%s", &["x\\cy", "z"]).0, "x");
        assert_eq!(pf("%c%c", &["hello"]).0, "h\0");
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_int(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_int(b"9223372036854775808"), None);
        assert_eq!(parse_int(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_int(b" +-5"), Some(-5));
        assert_eq!(parse_int(b"08"), None);
        assert_eq!(parse_int(b"0x"), None);
        assert_eq!(parse_int(b"-"), None);
        assert_eq!(parse_int(b"'"), Some(0));
        assert_eq!(parse_uint(b"-1"), Some(u64::MAX));
        assert_eq!(parse_uint(b"18446744073709551616"), None);
        assert_eq!(parse_float(b"0x10"), Ok(16.0));
        assert_eq!(parse_float(b"1e"), Err(0.0));
        assert_eq!(parse_float(b""), Ok(0.0));
        assert!(parse_float(b"1e400").is_err());
    }

    #[test]
    fn errors() {
        let (o, st, e) = pf("%d|%s\n", &["12x", "a"]);
        assert_eq!(
            (o.as_str(), st, e),
            ("0|a\n", 1, vec!["invalid number '12x'".to_string()])
        );
        let (o, st, e) = pf("a%5b", &["x"]);
        assert_eq!(
            (o.as_str(), st, e),
            ("a", 1, vec!["%5b: invalid format".to_string()])
        );
        assert_eq!(pf("%lzd%jd", &["1"]).2, ["%jd: invalid format"]);
        assert_eq!(pf("%z\n", &[]).2, ["%\n: invalid format"]);
        // A bad `*` is reported but does not change the status.
        assert_eq!(pf("%*d", &["x", "5"]).1, 0);
    }
}
