//! hexdump's format language (BusyBox's dump.c, from BSD), for hexdump and hd:
//!
//! ```text
//! let mut d = Dumper::default();
//! d.add(cx, br#""%07.7_ax " 8/2 "%04x " "\n""#)?;   // one -e format string
//! d.run(cx, &mut Concat::new(&files), skip, length, all)
//! ```
//! A format is a list of units `[ITER][/BYTES] "TEXT"`; each conversion in TEXT (`%d %x
//! %e %c %s`, `%_a`/`%_A` addresses, `%_c %_p %_u` characters) consumes its bytes. Every
//! format is applied to each block (as large as the largest format); identical blocks
//! become one `*`, unless `all`.

use crate::concat::Concat;
use crate::printf::{num_c, str_c, Num};
use crate::{Cx, Res};

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Addr,
    Int,
    Uint,
    Dbl,
    Char,
    C,
    P,
    U,
    Str,
}

struct Pr {
    /// Text printed before the conversion (escapes done, `%%` made `%`).
    text: Vec<u8>,
    kind: Kind,
    flags: Vec<u8>,
    width: i32,
    prec: i32,
    /// The C conversion letter for numbers and addresses (`d`, `x`, `e`, ...).
    conv: u8,
    bcnt: usize,
    /// Drop the text's last (white space) byte on a unit's last iteration.
    nospace: bool,
}

struct Fu {
    reps: usize,
    setrep: bool,
    bcnt: usize,
    prs: Vec<Pr>,
    /// Holds `%_A`: printed once at the end, and ends its format's per-block output.
    ignore: bool,
}

#[derive(Default)]
pub struct Dumper {
    fss: Vec<Vec<Fu>>,
    /// (format index, unit index) of the unit with `%_A`.
    endfu: Option<(usize, usize)>,
    /// Added to every address shown (xxd -o).
    pub display_off: u64,
    /// xxd: at the end of the data, print this instead of padding the last block, and stop.
    pub eof: Option<&'static [u8]>,
}

fn escape(s: &[u8]) -> Vec<u8> {
    let mut o = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c != b'\\' || i >= s.len() {
            o.push(c);
            continue;
        }
        let e = match s[i] {
            b'0' => 0,
            b'a' => 7,
            b'b' => 8,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'v' => 11,
            b'\\' => b'\\',
            _ => {
                o.push(b'\\');
                continue;
            }
        };
        o.push(e);
        i += 1;
    }
    o
}

impl Dumper {
    /// Adds one format string (a `-e` argument or a `-f` file line).
    pub fn add(&mut self, cx: &Cx, fmt: &[u8]) -> Res<()> {
        let mut fus = Vec::new();
        let mut i = 0;
        let sp = |c: u8| c == b' ' || (b'\t'..=b'\r').contains(&c);
        loop {
            while fmt.get(i).is_some_and(|&c| sp(c)) {
                i += 1;
            }
            if i >= fmt.len() {
                break;
            }
            let mut fu = Fu {
                reps: 1,
                setrep: false,
                bcnt: 0,
                prs: Vec::new(),
                ignore: false,
            };
            if fmt[i].is_ascii_digit() {
                let (n, k) = digits(&fmt[i..]);
                fu.reps = n;
                fu.setrep = true;
                i += k;
                while fmt.get(i).is_some_and(|&c| sp(c)) {
                    i += 1;
                }
            }
            if fmt.get(i) == Some(&b'/') {
                i += 1;
                while fmt.get(i).is_some_and(|&c| sp(c)) {
                    i += 1;
                }
                let (n, k) = digits(&fmt[i..]);
                fu.bcnt = n;
                i += k;
                while fmt.get(i).is_some_and(|&c| sp(c)) {
                    i += 1;
                }
            }
            if fmt.get(i) != Some(&b'"') {
                return Err(cx.fail(&[b"bad format {", fmt, b"}"]));
            }
            i += 1;
            let start = i;
            while fmt.get(i).is_some_and(|&c| c != b'"') {
                i += 1;
            }
            if i >= fmt.len() {
                return Err(cx.fail(&[b"bad format {", fmt, b"}"]));
            }
            let body = escape(&fmt[start..i]);
            i += 1;
            self.rewrite(cx, &mut fu, &body)?;
            fus.push(fu);
        }
        let idx = self.fss.len();
        for (k, fu) in fus.iter().enumerate() {
            if fu.ignore {
                self.endfu = Some((idx, k));
            }
        }
        self.fss.push(fus);
        Ok(())
    }

    /// Splits a unit's text into print records, one per conversion.
    fn rewrite(&mut self, cx: &Cx, fu: &mut Fu, s: &[u8]) -> Res<()> {
        let mut i = 0;
        let mut nconv = 0;
        let mut text = Vec::new();
        while i < s.len() {
            let c = s[i];
            i += 1;
            if c != b'%' {
                text.push(c);
                continue;
            }
            if s.get(i) == Some(&b'%') {
                text.push(b'%');
                i += 1;
                continue;
            }
            let dstart = i - 1;
            let fl = s[i..].iter().take_while(|c| b"-+ #0".contains(c)).count();
            let flags = s[i..i + fl].to_vec();
            i += fl;
            let (w, k) = digits(&s[i..]);
            let width = if k > 0 { w.min(1 << 20) as i32 } else { 0 };
            i += k;
            let mut prec = -1;
            if s.get(i) == Some(&b'.') {
                i += 1;
                let (p, k) = digits(&s[i..]);
                prec = p.min(1 << 20) as i32;
                i += k;
            }
            let Some(&cc) = s.get(i) else {
                return Err(cx.fail(&[b"bad conversion character %", &s[dstart + 1..]]));
            };
            i += 1;
            let bad_count =
                |conv: &[u8]| cx.fail(&[b"bad byte count for conversion character ", conv]);
            let (kind, conv, bcnt) = match cc {
                b'c' => {
                    if !matches!(fu.bcnt, 0 | 1) {
                        return Err(bad_count(&s[dstart + 1..i]));
                    }
                    (Kind::Char, b'c', 1)
                }
                b'd' | b'i' | b'o' | b'u' | b'x' | b'X' => {
                    let n = match fu.bcnt {
                        0 | 4 => 4,
                        n @ (1 | 2 | 8) => n,
                        _ => return Err(bad_count(&s[dstart + 1..i])),
                    };
                    let kind = if matches!(cc, b'd' | b'i') {
                        Kind::Int
                    } else {
                        Kind::Uint
                    };
                    (kind, cc, n)
                }
                b'e' | b'E' | b'f' | b'g' | b'G' => {
                    let n = match fu.bcnt {
                        0 | 8 => 8,
                        4 => 4,
                        _ => return Err(bad_count(&s[dstart + 1..i])),
                    };
                    (Kind::Dbl, cc, n)
                }
                b's' => {
                    let n = if fu.bcnt > 0 {
                        fu.bcnt
                    } else if prec >= 0 {
                        prec as usize
                    } else {
                        return Err(cx.fail(&[b"%s needs precision or byte count"]));
                    };
                    (Kind::Str, b's', n)
                }
                b'_' => {
                    let Some(&c2) = s.get(i) else {
                        return Err(cx.fail(&[b"bad conversion character %", &s[dstart + 1..]]));
                    };
                    i += 1;
                    match c2 {
                        b'a' | b'A' => {
                            let base = match s.get(i) {
                                Some(&b @ (b'd' | b'o' | b'x')) => b,
                                _ => {
                                    return Err(cx.fail(&[
                                        b"bad conversion character %",
                                        &s[dstart + 1..(i + 1).min(s.len())],
                                    ]))
                                }
                            };
                            i += 1;
                            if c2 == b'A' {
                                fu.ignore = true;
                            }
                            (Kind::Addr, if base == b'd' { b'u' } else { base }, 0)
                        }
                        b'c' => (Kind::C, b's', 1),
                        b'p' => (Kind::P, b'c', 1),
                        b'u' => (Kind::U, b's', 1),
                        _ => {
                            return Err(cx.fail(&[b"bad conversion character %", &s[dstart + 1..i]]))
                        }
                    }
                }
                _ => return Err(cx.fail(&[b"bad conversion character %", &s[dstart + 1..i]])),
            };
            if kind != Kind::Addr {
                nconv += 1;
                if fu.bcnt > 0 && nconv > 1 {
                    return Err(cx.fail(&[b"byte count with multiple conversion characters"]));
                }
            }
            fu.prs.push(Pr {
                text: std::mem::take(&mut text),
                kind,
                flags,
                width,
                prec,
                conv,
                bcnt,
                nospace: false,
            });
        }
        if !text.is_empty() {
            fu.prs.push(Pr {
                text,
                kind: Kind::Text,
                flags: Vec::new(),
                width: 0,
                prec: -1,
                conv: 0,
                bcnt: 0,
                nospace: false,
            });
        }
        fu.bcnt = fu.prs.iter().map(|p| p.bcnt).sum();
        Ok(())
    }

    /// Sizes the blocks, then dumps `input` from `address` (the bytes already skipped),
    /// at most `length` bytes. Returns the address after the last byte dumped.
    pub fn run(
        &mut self,
        cx: &mut Cx,
        input: &mut Concat,
        address: u64,
        length: Option<u64>,
        all: bool,
    ) -> u64 {
        let sizes: Vec<usize> = self
            .fss
            .iter()
            .map(|fs| {
                fs.iter()
                    .map(|f| f.reps.saturating_mul(f.bcnt))
                    .fold(0usize, |a, b| a.saturating_add(b))
            })
            .collect();
        let bs = sizes.iter().copied().max().unwrap_or(0);
        for (fs, &size) in self.fss.iter_mut().zip(&sizes) {
            let n = fs.len();
            for (k, fu) in fs.iter_mut().enumerate() {
                // The last unit repeats to fill the block when it has no count of its own.
                if k + 1 == n && size < bs && !fu.setrep && fu.bcnt > 0 {
                    fu.reps += (bs - size) / fu.bcnt;
                }
                if fu.reps > 1 {
                    if let Some(p) = fu.prs.last_mut() {
                        p.nospace = p.kind == Kind::Text
                            && p.text.last().is_some_and(|c| c.is_ascii_whitespace());
                    }
                }
            }
        }
        let mut addr = address;
        let mut eaddr: Option<u64> = None;
        let mut left = length;
        if bs > 0 && bs <= 1 << 24 {
            let mut cur = vec![0u8; bs];
            let mut prev = vec![0u8; bs];
            let mut first = true;
            let mut star = false;
            let mut line = Vec::with_capacity(256);
            loop {
                let want = left.map_or(bs, |l| l.min(bs as u64) as usize);
                let n = if want > 0 {
                    input.read(cx, &mut cur[..want])
                } else {
                    0
                };
                if let Some(l) = left.as_mut() {
                    *l -= n as u64;
                }
                if n == 0 {
                    break;
                }
                if n < bs {
                    cur[n..].fill(0);
                    eaddr = Some(addr + n as u64);
                } else if !all && !first && cur == prev {
                    if !star {
                        cx.out.write(b"*\n");
                        star = true;
                    }
                    addr += bs as u64;
                    std::mem::swap(&mut cur, &mut prev);
                    continue;
                }
                first = false;
                star = false;
                line.clear();
                let stopped = self.block(&mut line, &cur, addr, eaddr);
                cx.out.write(&line);
                if stopped {
                    return addr + n as u64;
                }
                if n < bs || cx.out.err != 0 {
                    break;
                }
                addr += bs as u64;
                std::mem::swap(&mut cur, &mut prev);
            }
        }
        let end = eaddr.unwrap_or(addr);
        if let Some((f, u)) = self.endfu {
            let e = match eaddr {
                Some(e) => e,
                None if addr == 0 => return end,
                None => addr,
            };
            let mut line = Vec::new();
            for pr in &self.fss[f][u].prs {
                line.extend_from_slice(&pr.text);
                if pr.kind == Kind::Addr {
                    num_c(
                        &mut line,
                        &pr.flags,
                        pr.width,
                        pr.prec,
                        pr.conv,
                        Num::U(e.wrapping_add(self.display_off)),
                    );
                }
            }
            cx.out.write(&line);
        }
        end
    }

    /// Every format applied to one block; true when the `eof` string ended the output.
    fn block(&self, out: &mut Vec<u8>, b: &[u8], base: u64, eaddr: Option<u64>) -> bool {
        for fs in &self.fss {
            let mut off = 0usize;
            for fu in fs {
                if fu.ignore {
                    break;
                }
                for rep in (1..=fu.reps).rev() {
                    for pr in &fu.prs {
                        let a = base + off as u64;
                        let past = eaddr.is_some_and(|e| a >= e);
                        let text = if rep == 1 && pr.nospace {
                            &pr.text[..pr.text.len() - 1]
                        } else {
                            &pr.text[..]
                        };
                        out.extend_from_slice(text);
                        let data = b.get(off..off + pr.bcnt).unwrap_or(&[]);
                        off += pr.bcnt;
                        if pr.kind == Kind::Text {
                            continue;
                        }
                        if past && self.eof.is_some() {
                            out.truncate(out.len() - text.len());
                            out.extend_from_slice(self.eof.unwrap_or_default());
                            return true;
                        }
                        if past && pr.kind != Kind::Addr {
                            // Past the end of input: blanks as wide as the field.
                            str_c(out, pr.flags.contains(&b'-'), pr.width, pr.prec, b"");
                            continue;
                        }
                        self.conv(out, pr, data, a);
                    }
                }
            }
        }
        false
    }

    fn conv(&self, out: &mut Vec<u8>, pr: &Pr, d: &[u8], addr: u64) {
        let left = pr.flags.contains(&b'-');
        let c = d.first().copied().unwrap_or(0);
        match pr.kind {
            Kind::Text => {}
            Kind::Addr => num_c(
                out,
                &pr.flags,
                pr.width,
                pr.prec,
                pr.conv,
                Num::U(addr.wrapping_add(self.display_off)),
            ),
            Kind::Int | Kind::Uint => {
                let mut a = [0u8; 8];
                let n = d.len().min(8);
                a[..n].copy_from_slice(&d[..n]);
                let u = u64::from_le_bytes(a);
                let shift = 64 - 8 * n.max(1) as u32;
                if pr.kind == Kind::Int {
                    let v = ((u << shift) as i64) >> shift;
                    num_c(out, &pr.flags, pr.width, pr.prec, pr.conv, Num::I(v));
                } else {
                    num_c(out, &pr.flags, pr.width, pr.prec, pr.conv, Num::U(u));
                }
            }
            Kind::Dbl => {
                let v = if d.len() == 4 {
                    f32::from_le_bytes([d[0], d[1], d[2], d[3]]) as f64
                } else {
                    let mut a = [0u8; 8];
                    a[..d.len().min(8)].copy_from_slice(&d[..d.len().min(8)]);
                    f64::from_le_bytes(a)
                };
                num_c(out, &pr.flags, pr.width, pr.prec, pr.conv, Num::F(v));
            }
            Kind::Char => str_c(out, left, pr.width, -1, &[c]),
            Kind::P => {
                let p = if (b' '..0x7f).contains(&c) { c } else { b'.' };
                str_c(out, left, pr.width, -1, &[p]);
            }
            Kind::C => {
                let esc: &[u8] = match c {
                    0 => b"\\0",
                    7 => b"\\a",
                    8 => b"\\b",
                    12 => b"\\f",
                    b'\n' => b"\\n",
                    b'\r' => b"\\r",
                    b'\t' => b"\\t",
                    11 => b"\\v",
                    _ => &[],
                };
                if !esc.is_empty() {
                    str_c(out, left, pr.width, pr.prec, esc);
                } else if (b' '..0x7f).contains(&c) {
                    str_c(out, left, pr.width, -1, &[c]);
                } else {
                    let o = [b'0' + (c >> 6), b'0' + (c >> 3 & 7), b'0' + (c & 7)];
                    str_c(out, left, pr.width, pr.prec, &o);
                }
            }
            Kind::U => {
                const NAMES: [&[u8]; 32] = [
                    // "dcl" for 0x11 is BusyBox's spelling.
                    b"nul", b"soh", b"stx", b"etx", b"eot", b"enq", b"ack", b"bel", b"bs", b"ht",
                    b"lf", b"vt", b"ff", b"cr", b"so", b"si", b"dle", b"dcl", b"dc2", b"dc3",
                    b"dc4", b"nak", b"syn", b"etb", b"can", b"em", b"sub", b"esc", b"fs", b"gs",
                    b"rs", b"us",
                ];
                if c <= 0x1f {
                    str_c(out, left, pr.width, pr.prec, NAMES[c as usize]);
                } else if c == 0x7f {
                    str_c(out, left, pr.width, pr.prec, b"del");
                } else if c < 0x7f {
                    str_c(out, left, pr.width, -1, &[c]);
                } else {
                    num_c(out, &pr.flags, pr.width, pr.prec, b'x', Num::U(c as u64));
                }
            }
            Kind::Str => {
                let end = d.iter().position(|&x| x == 0).unwrap_or(d.len());
                str_c(out, left, pr.width, pr.prec, &d[..end]);
            }
        }
    }
}

/// Leading decimal digits: (value, how many), saturating.
fn digits(s: &[u8]) -> (usize, usize) {
    let k = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let v = s[..k].iter().fold(0usize, |a, &d| {
        a.saturating_mul(10).saturating_add((d - b'0') as usize)
    });
    (v, k)
}
