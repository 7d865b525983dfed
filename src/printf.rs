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
        let Some(j) = crate::bytes::memchr(b'\\', &s[i..]) else {
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

/// A number for [`num_c`].
pub enum Num {
    I(i64),
    U(u64),
    F(f64),
}

/// One C conversion of a number with `flags`, `width` and `prec` (-1: none) through
/// snprintf: `conv` one of `d i o u x X` (64-bit) or `e E f g G`.
pub fn num_c(out: &mut dyn Sink, flags: &[u8], width: i32, prec: i32, conv: u8, v: Num) {
    let v = match v {
        Num::I(x) => CNum::I(x),
        Num::U(x) => CNum::U(x),
        Num::F(x) => CNum::F(x),
    };
    c_format(out, flags, width, prec, conv, v);
}

/// `%s` of bytes: `prec` (-1: none) cuts, `width` pads with spaces (negative or `left`:
/// on the right).
pub fn str_c(out: &mut dyn Sink, left: bool, width: i32, prec: i32, s: &[u8]) {
    let s = match usize::try_from(prec) {
        Ok(p) if p < s.len() => &s[..p],
        _ => s,
    };
    pad(out, s, width as i64, left);
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
    once_in(fmt, args, out, err, shell, bad_num, false)
}

/// [`once`] with numbers formatted by [`num_native`] where it can (awk's printf and
/// sprintf): the same bytes as snprintf, without its cost per directive.
pub fn once_native(
    fmt: &[u8],
    args: &mut dyn Args,
    out: &mut dyn Sink,
    err: &mut dyn FnMut(&[&[u8]]),
    shell: bool,
    bad_num: &mut bool,
) -> Step {
    once_in(fmt, args, out, err, shell, bad_num, true)
}

fn once_in(
    fmt: &[u8],
    args: &mut dyn Args,
    out: &mut dyn Sink,
    err: &mut dyn FnMut(&[&[u8]]),
    shell: bool,
    bad_num: &mut bool,
    native: bool,
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
        let fl = fmt[i..]
            .iter()
            .take_while(|c| matches!(c, b'-' | b'+' | b' ' | b'#' | b'0'))
            .count();
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
        if !matches!(
            conv,
            b'd' | b'i'
                | b'o'
                | b'u'
                | b'x'
                | b'X'
                | b'f'
                | b'e'
                | b'E'
                | b'g'
                | b'G'
                | b'c'
                | b's'
        ) {
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
                if !(native && num_native(out, flags, width, prec, b'd', &Num::I(v))) {
                    c_format(out, flags, width, prec, b'd', CNum::I(v));
                }
            }
            b'o' | b'u' | b'x' | b'X' => {
                let v = args.uint().unwrap_or_else(|(v, t)| {
                    bad(out, t);
                    v
                });
                if !(native && num_native(out, flags, width, prec, conv, &Num::U(v))) {
                    c_format(out, flags, width, prec, conv, CNum::U(v));
                }
            }
            _ => {
                let v = args.float().unwrap_or_else(|(v, t)| {
                    bad(out, t);
                    v
                });
                if !(native && num_native(out, flags, width, prec, conv, &Num::F(v))) {
                    c_format(out, flags, width, prec, conv, CNum::F(v));
                }
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

// ---- Native number formatting ----
// musl's snprintf parses a format and runs stdio's machinery for every number (27% of an
// awk printf report, measured with callgrind); these give the same bytes for what awk
// prints most and leave the rest (huge or tiny floats, '#' on floats, inf and nan) to it.
// Floats are rounded exactly, ties to even, as musl and glibc round in the default mode.

const fn pow10s() -> [u128; 39] {
    let mut t = [1u128; 39];
    let mut i = 1;
    while i < 39 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
}
static P10: [u128; 39] = pow10s();

/// round(|x| * 10^k), ties to even, computed exactly from x's bits; None when a step would
/// not fit in 128 bits.
fn scaled(x: f64, k: i32) -> Option<u128> {
    let b = x.to_bits();
    let be = ((b >> 52) & 0x7ff) as i32;
    let frac = (b & ((1u64 << 52) - 1)) as u128;
    let (m, e) = if be == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, be - 1075)
    };
    if m == 0 {
        return Some(0);
    }
    let p = *P10.get(k.unsigned_abs() as usize)?;
    let (mut num, den) = if k >= 0 {
        // m < 2^53 and p < 2^64 up to 10^19: one 64x64-bit multiply, no overflow check.
        let prod = if k <= 19 {
            (m as u64 as u128) * (p as u64 as u128)
        } else {
            m.checked_mul(p)?
        };
        (prod, 1)
    } else {
        (m, p)
    };
    if e >= 0 {
        if num.leading_zeros() < e as u32 {
            return None;
        }
        num <<= e;
    }
    let s = if e < 0 { e.unsigned_abs() } else { 0 };
    let (q, r, half) = if den == 1 {
        if s == 0 {
            return Some(num);
        }
        if s > 127 {
            // Below a half (num < 2^127 <= 2^(s-1)): rounds to 0.
            return (num >> 127 == 0).then_some(0);
        }
        (num >> s, num & ((1u128 << s) - 1), 1u128 << (s - 1))
    } else {
        if den.leading_zeros() < s {
            return None;
        }
        let d = den << s;
        let r = num % d;
        // Compare r with d/2 without overflow: r against d - r.
        (num / d, r, d - r)
    };
    let up = r > half || (r == half && q & 1 == 1);
    Some(q + up as u128)
}

/// Decimal digits of `q` into the end of `buf`; returns where they start.
fn dec(mut q: u128, buf: &mut [u8; 48]) -> usize {
    let mut i = buf.len();
    while q > u64::MAX as u128 {
        let mut r = (q % 10_000_000_000_000_000_000) as u64;
        q /= 10_000_000_000_000_000_000;
        for _ in 0..19 {
            i -= 1;
            buf[i] = b'0' + (r % 10) as u8;
            r /= 10;
        }
    }
    let mut v = q as u64;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            return i;
        }
    }
}

/// |x| to `sig`+1 significant digits: the digits as an integer and the decimal exponent of
/// the first (after rounding), as %e needs them. x is finite.
fn sci(x: f64, sig: usize) -> Option<(u128, i32)> {
    if x == 0.0 {
        return Some((0, 0));
    }
    let b = x.to_bits();
    let be = ((b >> 52) & 0x7ff) as i32;
    // floor(log2 |x|), then an estimate of floor(log10 |x|) that the loop corrects.
    let l2 = if be == 0 {
        63 - (b & ((1 << 52) - 1)).leading_zeros() as i32 - 1074
    } else {
        be - 1023
    };
    let mut e10 = (l2 as f64 * std::f64::consts::LOG10_2).floor() as i32;
    let lo = *P10.get(sig)?;
    let hi = *P10.get(sig + 1)?;
    for _ in 0..4 {
        let q = scaled(x, sig as i32 - e10)?;
        if q >= hi {
            e10 += 1;
        } else if q < lo {
            e10 -= 1;
        } else {
            return Some((q, e10));
        }
    }
    None
}

/// The text of |x| for `conv` (f e E g G) and precision `prec` (-1: 6) into `b`, or None.
fn float_body(x: f64, prec: i32, conv: u8, b: &mut [u8; 96]) -> Option<usize> {
    let p = if prec < 0 { 6 } else { prec as usize };
    let mut d = [0u8; 48];
    let mut n = 0;
    let mut fixed = |q: u128, f: usize, b: &mut [u8; 96], n: &mut usize| {
        let mut st = dec(q, &mut d);
        // At least one digit before the point.
        while d.len() - st < f + 1 {
            st -= 1;
            d[st] = b'0';
        }
        let int = d.len() - st - f;
        for &c in &d[st..st + int] {
            b[*n] = c;
            *n += 1;
        }
        if f > 0 {
            b[*n] = b'.';
            *n += 1;
            for &c in &d[st + int..] {
                b[*n] = c;
                *n += 1;
            }
        }
    };
    let exp = |e: i32, up: bool, b: &mut [u8; 96], n: &mut usize| {
        b[*n] = if up { b'E' } else { b'e' };
        b[*n + 1] = if e < 0 { b'-' } else { b'+' };
        *n += 2;
        let mut t = [0u8; 20];
        let ds = crate::cx::fmt_u64(e.unsigned_abs() as u64, &mut t);
        if ds.len() < 2 {
            b[*n] = b'0';
            *n += 1;
        }
        b[*n..*n + ds.len()].copy_from_slice(ds);
        *n += ds.len();
    };
    match conv {
        b'f' => {
            if p > 38 {
                return None;
            }
            fixed(scaled(x, p as i32)?, p, b, &mut n);
        }
        b'e' | b'E' => {
            let (q, e) = sci(x, p)?;
            fixed(q, p, b, &mut n);
            exp(e, conv == b'E', b, &mut n);
        }
        _ => {
            let p = p.max(1);
            let (q, e) = sci(x, p - 1)?;
            if e < p as i32 && e >= -4 {
                fixed(q, (p as i32 - 1 - e) as usize, b, &mut n);
                trim(b, &mut n);
            } else {
                fixed(q, p - 1, b, &mut n);
                trim(b, &mut n);
                exp(e, conv == b'G', b, &mut n);
            }
        }
    }
    Some(n)
}

/// %g without '#': trailing zeros of a fraction go, and a point left alone.
fn trim(b: &[u8; 96], n: &mut usize) {
    if !b[..*n].contains(&b'.') {
        return;
    }
    while *n > 0 && b[*n - 1] == b'0' {
        *n -= 1;
    }
    if *n > 0 && b[*n - 1] == b'.' {
        *n -= 1;
    }
}

/// One C conversion of a number (`d i o u x X` or `f e E g G`) with `flags`, `width` and
/// `prec` (-1: none), formatted here with exactly snprintf's output: false (nothing
/// written) for what is left to snprintf.
pub fn num_native(
    out: &mut dyn Sink,
    flags: &[u8],
    width: i32,
    prec: i32,
    conv: u8,
    v: &Num,
) -> bool {
    let has = |c: u8| flags.contains(&c);
    let mut body = [0u8; 96];
    let mut pre = [0u8; 2];
    let mut npre = 0;
    let sign = |neg: bool, pre: &mut [u8; 2], npre: &mut usize| {
        if neg {
            pre[0] = b'-';
            *npre = 1;
        } else if has(b'+') {
            pre[0] = b'+';
            *npre = 1;
        } else if has(b' ') {
            pre[0] = b' ';
            *npre = 1;
        }
    };
    // Zeros between the sign and the digits: from the precision of an integer.
    let mut zeros = 0usize;
    let n;
    let zero_pad;
    match *v {
        Num::F(x) => {
            if !x.is_finite() || has(b'#') || !matches!(conv, b'f' | b'e' | b'E' | b'g' | b'G') {
                return false;
            }
            let Some(k) = float_body(x, prec.min(1 << 24), conv, &mut body) else {
                return false;
            };
            n = k;
            sign(x.is_sign_negative(), &mut pre, &mut npre);
            zero_pad = has(b'0');
        }
        Num::I(_) | Num::U(_) => {
            let (neg, mag) = match *v {
                Num::I(i) if conv == b'd' || conv == b'i' => (i < 0, i.unsigned_abs()),
                Num::I(i) => (false, i as u64),
                Num::U(u) => (false, u),
                Num::F(_) => return false,
            };
            let (base, digs): (u64, &[u8; 16]) = match conv {
                b'd' | b'i' | b'u' => (10, b"0123456789abcdef"),
                b'o' => (8, b"0123456789abcdef"),
                b'x' => (16, b"0123456789abcdef"),
                b'X' => (16, b"0123456789ABCDEF"),
                _ => return false,
            };
            let mut k = body.len();
            let mut m = mag;
            while m > 0 {
                k -= 1;
                // Constant divisors: a division by a variable costs tens of cycles a digit.
                let (d, q) = match base {
                    10 => (m % 10, m / 10),
                    16 => (m & 15, m >> 4),
                    _ => (m & 7, m >> 3),
                };
                body[k] = digs[d as usize];
                m = q;
            }
            if mag == 0 && prec != 0 {
                k -= 1;
                body[k] = b'0';
            }
            let nd = body.len() - k;
            body.copy_within(k.., 0);
            n = nd;
            if prec > 0 {
                zeros = (prec as usize).saturating_sub(nd);
            }
            if conv == b'd' || conv == b'i' {
                sign(neg, &mut pre, &mut npre);
            } else if has(b'#') {
                if conv == b'o' && zeros == 0 && (nd == 0 || body[0] != b'0') {
                    zeros = 1;
                } else if base == 16 && mag != 0 {
                    pre = [b'0', conv];
                    npre = 2;
                }
            }
            zero_pad = has(b'0') && prec < 0;
        }
    }
    let left = has(b'-') || width < 0;
    let w = width.unsigned_abs().min(1 << 24) as usize;
    let len = npre + zeros + n;
    let fill = w.saturating_sub(len);
    let (lsp, zfill, rsp) = if left {
        (0, 0, fill)
    } else if zero_pad {
        (0, fill, 0)
    } else {
        (fill, 0, 0)
    };
    let zeros = zeros + zfill;
    let total = len + fill;
    let mut one = [0u8; 64];
    if total <= one.len() {
        // One put: short copies through a Sink cost more than the bytes.
        let mut i = 0;
        for _ in 0..lsp {
            one[i] = b' ';
            i += 1;
        }
        one[i..i + npre].copy_from_slice(&pre[..npre]);
        i += npre;
        for _ in 0..zeros {
            one[i] = b'0';
            i += 1;
        }
        one[i..i + n].copy_from_slice(&body[..n]);
        i += n;
        for _ in 0..rsp {
            one[i] = b' ';
            i += 1;
        }
        out.put(&one[..i]);
    } else {
        let run = |out: &mut dyn Sink, c: u8, mut k: usize| {
            let b = [c; 64];
            while k > 0 {
                let t = k.min(64);
                out.put(&b[..t]);
                k -= t;
            }
        };
        run(out, b' ', lsp);
        out.put(&pre[..npre]);
        run(out, b'0', zeros);
        out.put(&body[..n]);
        run(out, b' ', rsp);
    }
    true
}

/// A float as `%{flags}{width}.{prec}{conv}` (conv one of `feEgG`), natively where
/// [`num_native`] can, else through snprintf.
pub fn float_native(out: &mut dyn Sink, flags: &[u8], width: i32, prec: i32, conv: u8, v: f64) {
    if !num_native(out, flags, width, prec, conv, &Num::F(v)) {
        c_format(out, flags, width, prec, conv, CNum::F(v));
    }
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

    /// The native formatter against snprintf: every flag set, widths and precisions over
    /// many values (exact halves, carries into a new digit, subnormals, huge numbers).
    #[test]
    fn native_matches_snprintf() {
        let flags: &[&[u8]] = &[
            b"", b"-", b"+", b" ", b"0", b"-0", b"+0", b" 0", b"#", b"#0", b"+ -",
        ];
        let widths = [0, 1, 3, 8, 12, 30, -6];
        let precs = [-1, 0, 1, 2, 3, 5, 6, 10, 17, 20, 40];
        let mut fl: Vec<f64> = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            -2.5,
            0.125,
            0.375,
            1.0,
            10.0,
            100.0,
            0.1,
            0.2,
            0.3,
            1e-5,
            1.2345e-4,
            9.9999995,
            9.5,
            99.5,
            999999.5,
            9999995.0,
            0.00001234,
            1e15,
            1e16,
            1e17,
            1e21,
            1e22,
            1e23,
            123456789.125,
            5e-324,
            1e-310,
            2.2250738585072014e-308,
            f64::MAX,
            f64::MIN_POSITIVE,
            1e300,
            1e-300,
            4503599627370496.5,
            9007199254740993.0,
            0.045,
            0.055,
            1.005,
            2.675,
            1e-7,
            123.456,
            -987.654321,
            0.95,
            0.995,
            0.9995,
        ];
        for k in 0..120 {
            fl.push(k as f64 / 7.0);
            fl.push(k as f64 / 8.0 - 20.0);
            fl.push((k * 1237) as f64 / 100.0);
        }
        let mut r: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..150 {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            let x = f64::from_bits(r);
            if x.is_finite() {
                fl.push(x);
            }
            // And numbers of every magnitude around 1.
            fl.push(
                ((r >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 10f64.powi((r % 40) as i32 - 20),
            );
        }
        let ints: Vec<i64> = vec![
            0,
            1,
            -1,
            7,
            -42,
            255,
            4096,
            1 << 40,
            i64::MAX,
            i64::MIN,
            1234567,
            -99999,
        ];
        let mut a = Vec::new();
        let mut b = Vec::new();
        for f in flags {
            for &w in &widths {
                for &p in &precs {
                    for &c in b"feEgG" {
                        for &x in &fl {
                            a.clear();
                            b.clear();
                            if num_native(&mut a, f, w, p, c, &Num::F(x)) {
                                c_format(&mut b, f, w, p, c, CNum::F(x));
                                assert_eq!(
                                    String::from_utf8_lossy(&a),
                                    String::from_utf8_lossy(&b),
                                    "%{}{}.{}{} of {:e}",
                                    String::from_utf8_lossy(f),
                                    w,
                                    p,
                                    c as char,
                                    x
                                );
                            }
                        }
                    }
                    for &c in b"diouxX" {
                        for &x in &ints {
                            a.clear();
                            b.clear();
                            let (v, cv) = if c == b'd' || c == b'i' {
                                (Num::I(x), CNum::I(x))
                            } else {
                                (Num::U(x as u64), CNum::U(x as u64))
                            };
                            assert!(num_native(&mut a, f, w, p, c, &v));
                            c_format(&mut b, f, w, p, if c == b'i' { b'd' } else { c }, cv);
                            assert_eq!(
                                a,
                                b,
                                "%{}{}.{}{} of {}",
                                String::from_utf8_lossy(f),
                                w,
                                p,
                                c as char,
                                x
                            );
                        }
                    }
                }
            }
        }
        // The common cases do take the native path.
        assert!(num_native(&mut a, b"", 10, 2, b'f', &Num::F(1234.5678)));
        assert!(num_native(&mut a, b"", 0, 6, b'g', &Num::F(3.0e10)));
        assert!(num_native(&mut a, b"-", 0, 6, b'e', &Num::F(-3.25e-7)));
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
