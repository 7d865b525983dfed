//! applet: od
//! usage: od [-abcdfhilovxs] [-t TYPE] [-A RADIX] [-N SIZE] [-j SKIP] [-S MINSTR] [-w WIDTH] [FILE]...
//! Print FILEs (or stdin) unambiguously, as octal bytes by default

use crate::concat::{size_sfx, Concat};
use crate::{printf, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    SDec,
    UDec,
    Oct,
    Hex,
    Float,
    Named,
    Char,
}

struct Spec {
    kind: Kind,
    /// Bytes per value.
    size: usize,
    /// Characters per value, not counting the space before it.
    width: usize,
    /// `z`: the bytes as text after the line.
    trailer: bool,
    /// For one-byte values: the text of each of the 256 values (width + 1 bytes used),
    /// in 8-byte slots so each is one fixed-size copy.
    table: Vec<[u8; 8]>,
}

/// Digits per value by byte count, as GNU od 5.2 sizes its fields.
const OCT: [u8; 9] = [0, 3, 6, 8, 11, 14, 16, 19, 22];
const SDEC: [u8; 9] = [1, 4, 6, 8, 11, 13, 16, 18, 20];
const UDEC: [u8; 9] = [0, 3, 5, 8, 10, 13, 15, 17, 20];
const HEX: [u8; 9] = [0, 2, 4, 6, 8, 10, 12, 14, 16];

const NAMES: [&[u8; 3]; 33] = [
    b"nul", b"soh", b"stx", b"etx", b"eot", b"enq", b"ack", b"bel", b" bs", b" ht", b" nl",
    b" vt", b" ff", b" cr", b" so", b" si", b"dle", b"dc1", b"dc2", b"dc3", b"dc4", b"nak",
    b"syn", b"etb", b"can", b" em", b"sub", b"esc", b" fs", b" gs", b" rs", b" us", b" sp",
];

fn printable(c: u8) -> bool {
    (b' '..0x7f).contains(&c)
}

/// " " and a value in `kind`, padded to `width` (zeros for octal and hex, as od's %0Nllo).
fn put_int(out: &mut Vec<u8>, kind: Kind, v: u64, size: usize, width: usize) {
    let mut d = [0u8; 24];
    let mut i = d.len();
    let (neg, mut m) = match kind {
        Kind::SDec => {
            let shift = 64 - 8 * size as u32;
            let s = ((v << shift) as i64) >> shift;
            (s < 0, s.unsigned_abs())
        }
        _ => (false, v),
    };
    let base = match kind {
        Kind::Oct => 8,
        Kind::Hex => 16,
        _ => 10,
    };
    loop {
        i -= 1;
        d[i] = b"0123456789abcdef"[(m % base) as usize];
        m /= base;
        if m == 0 {
            break;
        }
    }
    if neg {
        i -= 1;
        d[i] = b'-';
    }
    let len = d.len() - i;
    out.push(b' ');
    let pad = if matches!(kind, Kind::Oct | Kind::Hex) {
        b'0'
    } else {
        b' '
    };
    out.resize(out.len() + width.saturating_sub(len), pad);
    out.extend_from_slice(&d[i..]);
}

/// The text of one byte as `-t a` or `-t c` shows it (always four bytes).
fn char_text(kind: Kind, c: u8) -> [u8; 4] {
    if kind == Kind::Named {
        let m = c & 0x7f;
        if m == 0x7f {
            return *b" del";
        }
        if m > b' ' {
            return [b' ', b' ', b' ', m];
        }
        let n = NAMES[m as usize];
        return [b' ', n[0], n[1], n[2]];
    }
    if printable(c) {
        return [b' ', b' ', b' ', c];
    }
    let e = match c {
        0 => b'0',
        7 => b'a',
        8 => b'b',
        12 => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        11 => b'v',
        _ => return [b' ', b'0' + (c >> 6), b'0' + (c >> 3 & 7), b'0' + (c & 7)],
    };
    [b' ', b' ', b'\\', e]
}

/// An x87 80-bit or IEEE 128-bit long double (as the host's C compiler lays it out), as
/// the nearest double.
fn long_double(b: &[u8]) -> f64 {
    let mut a = [0u8; 16];
    a.copy_from_slice(&b[..16]);
    let x = u128::from_le_bytes(a);
    let (neg, exp, frac, bits): (bool, i32, u128, i32);
    if cfg!(target_arch = "x86_64") || cfg!(target_arch = "x86") {
        let m = x as u64;
        let se = (x >> 64) as u16;
        neg = se & 0x8000 != 0;
        let e = (se & 0x7fff) as i32;
        if e == 0x7fff {
            return if m << 1 == 0 {
                if neg {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }
            } else {
                f64::NAN
            };
        }
        if e != 0 && m >> 63 == 0 {
            return f64::NAN; // an "unnormal": glibc prints nan
        }
        exp = if e == 0 { 1 - 16383 } else { e - 16383 };
        frac = m as u128;
        bits = 63;
    } else {
        neg = x >> 127 != 0;
        let e = ((x >> 112) & 0x7fff) as i32;
        let f = x & ((1u128 << 112) - 1);
        if e == 0x7fff {
            return if f == 0 {
                if neg {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }
            } else {
                f64::NAN
            };
        }
        exp = if e == 0 { 1 - 16383 } else { e - 16383 };
        frac = if e == 0 { f } else { f | 1u128 << 112 };
        bits = 112;
    }
    // frac * 2^(exp - bits), scaled in steps that stay exact.
    let mut v = frac as f64;
    let mut k = exp - bits;
    while k > 0 {
        let s = k.min(1000);
        v *= 2f64.powi(s);
        k -= s;
    }
    while k < 0 {
        let s = (-k).min(1000);
        v *= 2f64.powi(-s);
        k += s;
    }
    if neg {
        -v
    } else {
        v
    }
}

impl Spec {
    fn new(kind: Kind, size: usize, trailer: bool) -> Spec {
        let width = match kind {
            Kind::Oct => OCT[size],
            Kind::SDec => SDEC[size],
            Kind::UDec => UDEC[size],
            Kind::Hex => HEX[size],
            Kind::Float => match size {
                4 => 15,
                _ => 23,
            },
            Kind::Named | Kind::Char => 3,
        } as usize;
        let mut s = Spec {
            kind,
            size,
            width,
            trailer,
            table: Vec::new(),
        };
        if size == 1 {
            let mut t = Vec::with_capacity(8);
            for c in 0..=255u8 {
                t.clear();
                match kind {
                    Kind::Named | Kind::Char => t.extend_from_slice(&char_text(kind, c)),
                    _ => put_int(&mut t, kind, c as u64, 1, width),
                }
                let mut e = [0u8; 8];
                e[..t.len()].copy_from_slice(&t);
                s.table.push(e);
            }
        }
        s
    }

    /// Formats `n` bytes (a multiple of the value size) of `block`.
    fn put(&self, out: &mut Vec<u8>, block: &[u8]) {
        if self.size == 1 {
            let w = self.width + 1;
            let mut p = out.len();
            out.resize(p + block.len() * w + 8, 0);
            for &c in block {
                out[p..p + 8].copy_from_slice(&self.table[c as usize]);
                p += w;
            }
            out.truncate(p);
            return;
        }
        for v in block.chunks_exact(self.size) {
            if self.kind == Kind::Float {
                let (x, w, p) = match self.size {
                    4 => (f32::from_ne_bytes([v[0], v[1], v[2], v[3]]) as f64, 15, 7),
                    8 => {
                        let mut a = [0u8; 8];
                        a.copy_from_slice(v);
                        (f64::from_ne_bytes(a), 23, 15)
                    }
                    _ => (long_double(v), 23, 15),
                };
                out.push(b' ');
                printf::float_c(out, b"", w, p, b'e', x);
                continue;
            }
            let mut a = [0u8; 8];
            a[..self.size].copy_from_slice(v);
            put_int(out, self.kind, u64::from_le_bytes(a), self.size, self.width);
        }
    }
}

/// Decodes one `-t` argument into specs.
fn decode(cx: &Cx, specs: &mut Vec<Spec>, s: &[u8]) -> Res<()> {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        let (kind, size) = match c {
            b'd' | b'o' | b'u' | b'x' => {
                let kind = match c {
                    b'd' => Kind::SDec,
                    b'o' => Kind::Oct,
                    b'u' => Kind::UDec,
                    _ => Kind::Hex,
                };
                let size = match s.get(i) {
                    Some(b'C') => 1,
                    Some(b'S') => 2,
                    Some(b'I') => 4,
                    Some(b'L') => 8,
                    Some(d) if d.is_ascii_digit() => {
                        let n = digits(&s[i..]);
                        if !matches!(n, 1 | 2 | 4 | 8) {
                            return Err(bad_size(cx, s, n, b"integral"));
                        }
                        i = s.len() - 1;
                        n as usize
                    }
                    _ => {
                        i -= 1;
                        4
                    }
                };
                i += 1;
                (kind, size)
            }
            b'f' => {
                let size = match s.get(i) {
                    Some(b'F') => 4,
                    Some(b'D') => 8,
                    Some(b'L') => 16,
                    Some(d) if d.is_ascii_digit() => {
                        let n = digits(&s[i..]);
                        if !matches!(n, 4 | 8 | 16) {
                            return Err(bad_size(cx, s, n, b"floating point"));
                        }
                        i = s.len() - 1;
                        n as usize
                    }
                    _ => {
                        i -= 1;
                        8
                    }
                };
                i += 1;
                (Kind::Float, size)
            }
            b'a' => (Kind::Named, 1),
            b'c' => (Kind::Char, 1),
            _ => {
                return Err(cx.fail(&[b"invalid character '", &[c], b"' in type string '", s, b"'"]));
            }
        };
        let z = s.get(i) == Some(&b'z');
        if z {
            i += 1;
        }
        specs.push(Spec::new(kind, size, z));
    }
    Ok(())
}

/// A size written in digits: the rest of the type string must be the number (BusyBox
/// 1.35's bb_strtou), else u32::MAX, which BusyBox then reports.
fn digits(s: &[u8]) -> u64 {
    match printf::parse_uint_base0(s) {
        Some(n) if n <= u32::MAX as u64 => n,
        _ => u32::MAX as u64,
    }
}

fn bad_size(cx: &Cx, s: &[u8], n: u64, what: &[u8]) -> crate::Fail {
    let mut b = [0u8; 20];
    let n = crate::cx::fmt_u64(n, &mut b);
    cx.fail(&[b"invalid type string '", s, b"'; ", n, b"-byte ", what, b" type is not supported"])
}

struct Addr {
    base: u8,
    width: usize,
    none: bool,
}

impl Addr {
    fn put(&self, out: &mut Vec<u8>, a: u64) {
        if self.none {
            return;
        }
        let mut d = [0u8; 24];
        let mut i = d.len();
        let mut m = a;
        let base = self.base as u64;
        loop {
            i -= 1;
            d[i] = b"0123456789abcdef"[(m % base) as usize];
            m /= base;
            if m == 0 {
                break;
            }
        }
        let len = d.len() - i;
        out.resize(out.len() + self.width.saturating_sub(len), b'0');
        out.extend_from_slice(&d[i..]);
    }
}

fn num(cx: &Cx, v: &OsStr) -> Res<u64> {
    size_sfx(v.as_bytes()).ok_or_else(|| cx.fail(&[b"invalid number '", v.as_bytes(), b"'"]))
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let longs = [
        ("skip-bytes", b'j'),
        ("address-radix", b'A'),
        ("read-bytes", b'N'),
        ("format", b't'),
        ("output-duplicates", b'v'),
        ("strings", b'S'),
        ("width", b'w'),
    ];
    let o = cx.getopt(args, "A:N:abcdfhij:lot:vxsS:w::", &longs)?;
    let mut addr = Addr {
        base: 8,
        width: 7,
        none: false,
    };
    if let Some(a) = o.val(b'A') {
        let c = a.as_bytes().first().copied().unwrap_or(0);
        match c {
            b'd' => addr = Addr { base: 10, width: 7, none: false },
            b'o' => {}
            b'x' => addr = Addr { base: 16, width: 6, none: false },
            // BusyBox pads the second and later formats' lines by a width it reads from
            // past the end of its table (70 here); rbox pads them by nothing, as GNU.
            b'n' => addr = Addr { base: 8, width: 0, none: true },
            _ => {
                return Err(cx.fail(&[b"bad output address radix '", &[c], b"' (must be [doxn])"]));
            }
        }
    }
    let limit = o.val(b'N').map(|v| num(cx, v)).transpose()?;
    // The traditional options come first, in BusyBox's fixed order, then -t, then -x -s.
    let mut specs = Vec::new();
    for (c, t) in [
        (b'a', &b"a"[..]),
        (b'b', b"oC"),
        (b'c', b"c"),
        (b'd', b"u2"),
        (b'f', b"fF"),
        (b'h', b"x2"),
        (b'i', b"d2"),
    ] {
        if o.has(c) {
            decode(cx, &mut specs, t)?;
        }
    }
    let skip = o.val(b'j').map(|v| num(cx, v)).transpose()?.unwrap_or(0);
    for (c, t) in [(b'l', &b"d4"[..]), (b'o', b"o2")] {
        if o.has(c) {
            decode(cx, &mut specs, t)?;
        }
    }
    for t in o.vals(b't') {
        decode(cx, &mut specs, t.as_bytes())?;
    }
    for (c, t) in [(b'x', &b"x2"[..]), (b's', b"d2")] {
        if o.has(c) {
            decode(cx, &mut specs, t)?;
        }
    }
    let string_min = match o.val(b'S') {
        Some(v) => Some(num(cx, v)?.min(u32::MAX as u64) as usize),
        None => None,
    };
    let end = match limit {
        Some(n) => Some(
            skip
                .checked_add(n)
                .ok_or_else(|| cx.fail(&[b"SKIP + SIZE is too large"]))?,
        ),
        None => None,
    };
    if specs.is_empty() {
        decode(cx, &mut specs, b"o2")?;
    }
    let mut input = Concat::new(&o.args);
    input.read_error_plain = true;
    if !input.start(cx) {
        return Ok(1);
    }
    if input.skip(cx, skip) > 0 {
        return Err(cx.fail(&[b"can't skip past end of combined input"]));
    }
    let lcm = specs.iter().fold(1, |l, s| lcm(l, s.size));
    let bpb = if o.has(b'w') {
        let w = match o.val(b'w') {
            Some(v) => num(cx, v)?,
            None => 32,
        };
        if w == 0 || w % lcm as u64 != 0 || w > u32::MAX as u64 {
            let mut b1 = [0u8; 20];
            let mut b2 = [0u8; 20];
            cx.err(&[
                b"warning: invalid width ",
                crate::cx::fmt_u64(w & u32::MAX as u64, &mut b1),
                b"; using ",
                crate::cx::fmt_u64(lcm as u64, &mut b2),
                b" instead",
            ]);
            lcm
        } else {
            w as usize
        }
    } else if lcm < 16 {
        lcm * (16 / lcm)
    } else {
        lcm
    };
    if let Some(min) = string_min {
        strings(cx, &mut input, &addr, skip, end, min);
    } else {
        dump(cx, &mut input, &addr, &specs, o.has(b'v'), skip, end, bpb, lcm);
    }
    Ok(input.status)
}

fn lcm(a: usize, b: usize) -> usize {
    let (mut x, mut y) = (a, b);
    while y != 0 {
        (x, y) = (y, x % y);
    }
    a / x * b
}

#[allow(clippy::too_many_arguments)]
fn dump(
    cx: &mut Cx,
    input: &mut Concat,
    addr: &Addr,
    specs: &[Spec],
    all: bool,
    mut offset: u64,
    end: Option<u64>,
    bpb: usize,
    lcm: usize,
) {
    let mut cur = vec![0u8; bpb + lcm];
    let mut prev = vec![0u8; bpb + lcm];
    let mut line = Vec::with_capacity(bpb * 8 + 64);
    let (mut first, mut star) = (true, false);
    let pad = vec![b' '; addr.width];
    loop {
        let want = match end {
            Some(e) => (e.saturating_sub(offset)).min(bpb as u64) as usize,
            None => bpb,
        };
        let n = if want == 0 {
            0
        } else {
            input.read(cx, &mut cur[..want])
        };
        if n == 0 {
            break;
        }
        let full = n == bpb;
        let shown = if full {
            n
        } else {
            // Pad the last block with zeros to a multiple of every value size.
            let m = n.div_ceil(lcm) * lcm;
            cur[n..m].fill(0);
            m
        };
        if !all && !first && full && cur[..bpb] == prev[..bpb] {
            if !star {
                cx.out.write(b"*\n");
                star = true;
            }
        } else {
            first = false;
            star = false;
            line.clear();
            for (k, s) in specs.iter().enumerate() {
                if k == 0 {
                    addr.put(&mut line, offset);
                } else {
                    line.extend_from_slice(&pad);
                }
                s.put(&mut line, &cur[..shown]);
                if s.trailer {
                    let blank = (bpb - shown) / s.size * (s.width + 1);
                    line.resize(line.len() + blank, b' ');
                    line.extend_from_slice(b"  >");
                    line.extend(cur[..shown].iter().map(|&c| if printable(c) { c } else { b'.' }));
                    line.push(b'<');
                }
                line.push(b'\n');
            }
            cx.out.write(&line);
        }
        std::mem::swap(&mut cur, &mut prev);
        offset += n as u64;
        if !full || cx.out.err != 0 {
            break;
        }
    }
    if !addr.none {
        line.clear();
        addr.put(&mut line, offset);
        line.push(b'\n');
        cx.out.write(&line);
    }
}

/// -S: runs of at least `min` printable bytes ended by a NUL (or by the -N limit).
fn strings(cx: &mut Cx, input: &mut Concat, addr: &Addr, mut offset: u64, end: Option<u64>, min: usize) {
    let mut s: Vec<u8> = Vec::new();
    let mut line = Vec::new();
    'string: loop {
        if let Some(e) = end {
            if (e as i128) - (min as i128) <= offset as i128 {
                return;
            }
        }
        s.clear();
        while end.is_none_or(|e| offset < e) {
            let b = input.fill(cx);
            let Some(&c) = b.first() else { return };
            input.consume(1);
            offset += 1;
            if c == 0 {
                break;
            }
            if !printable(c) {
                continue 'string;
            }
            s.push(c);
        }
        if s.len() < min {
            continue;
        }
        line.clear();
        addr.put(&mut line, offset - s.len() as u64 - 1);
        if !addr.none {
            line.push(b' ');
        }
        line.extend_from_slice(&s);
        line.push(b'\n');
        cx.out.write(&line);
        if cx.out.err != 0 {
            return;
        }
    }
}
