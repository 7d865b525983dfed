//! applet: tr
//! usage: tr [-cds] STRING1 [STRING2]
//! Translate, squeeze, or delete characters from stdin, writing to stdout
//!
//! -c  Take complement of STRING1
//! -d  Delete input characters coded STRING1
//! -s  Squeeze multiple output characters of STRING2 into one character

use crate::io::{Input, BLOCK};
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "+cdsC", &[])?;
    let (del, sq) = (o.has(b'd'), o.has(b's'));
    let comp = o.has(b'c') || o.has(b'C');
    let Some(s1) = o.args.first() else {
        return Err(cx.usage());
    };
    // Operands past STRING2 are ignored (BusyBox).
    let mut set1 = expand(s1.as_bytes(), false);
    let s2 = o.args.get(1).map(|s| s.as_bytes());
    if s2 == Some(b"") && !del {
        return Err(cx.fail(&[b"STRING2 cannot be empty"]));
    }
    if comp {
        let mut inside = [false; 256];
        for &c in &set1 {
            inside[c as usize] = true;
        }
        set1 = (0..=255u8).filter(|&c| !inside[c as usize]).collect();
    }
    // The 256-entry tables: what each byte becomes, and which are deleted or squeezed.
    let mut map: [u8; 256] = std::array::from_fn(|i| i as u8);
    let mut keep = [true; 256];
    let mut squeeze = [false; 256];
    if del {
        for &c in &set1 {
            keep[c as usize] = false;
        }
        if sq {
            for c in expand(s2.unwrap_or_default(), true) {
                squeeze[c as usize] = true;
            }
        }
    } else if let Some(s2) = s2 {
        let set2 = expand2(s2, set1.len());
        // A shorter STRING2 is padded with its last character.
        let last = set2.last().copied().unwrap_or(0);
        for (i, &c) in set1.iter().enumerate() {
            map[c as usize] = set2.get(i).copied().unwrap_or(last);
        }
        if sq {
            for &c in &set2 {
                squeeze[c as usize] = true;
            }
        }
    } else if sq {
        for &c in &set1 {
            squeeze[c as usize] = true;
        }
    }
    // Without -d or -s and without STRING2 nothing changes (BusyBox copies the input).

    let plain = !del && !sq;
    let shift = Shift::of(&map);
    let mut inp = Input::stdin();
    let mut buf = vec![0u8; BLOCK];
    let mut out = Vec::with_capacity(if plain { 0 } else { BLOCK });
    // The last byte written (256: none yet), for -s.
    let mut last: u16 = 256;
    loop {
        let n = match inp.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                cx.err_no(b"read error", e);
                return Ok(1);
            }
        };
        let data = &mut buf[..n];
        if let (true, Some(sh)) = (plain, shift) {
            sh.apply(data);
            cx.out.write(data);
        } else if plain {
            // Eight at a time: the loop is bound by its table loads, not by branches.
            let mut chunks = data.chunks_exact_mut(8);
            for ch in &mut chunks {
                for b in ch.iter_mut() {
                    *b = map[*b as usize];
                }
            }
            for b in chunks.into_remainder() {
                *b = map[*b as usize];
            }
            cx.out.write(data);
        } else {
            // Branch-free: every byte is stored, and the output index moves past it only
            // when it is kept.
            out.resize(n, 0);
            let o = &mut out[..n];
            let mut j = 0;
            if !sq {
                for &b in data.iter() {
                    // j <= the bytes seen so far < n.
                    if let Some(slot) = o.get_mut(j) {
                        *slot = b;
                    }
                    j += keep[b as usize] as usize;
                }
            } else {
                for &b in data.iter() {
                    let c = map[b as usize];
                    let dup = squeeze[c as usize] & (last == c as u16);
                    let k = keep[b as usize] & !dup;
                    if let Some(slot) = o.get_mut(j) {
                        *slot = c;
                    }
                    j += k as usize;
                    last = if k { c as u16 } else { last };
                }
            }
            cx.out.write(&out[..j]);
        }
        if cx.out.err != 0 {
            return Ok(1);
        }
    }
    Ok(0)
}

/// One escape after a backslash at `s[i]`: octal `\NNN` or a C escape; returns the byte
/// and the index after it.
fn escape(s: &[u8], i: usize) -> (u8, usize) {
    let Some(&c) = s.get(i) else {
        return (b'\\', i);
    };
    if (b'0'..=b'7').contains(&c) {
        let mut v: u32 = 0;
        let mut j = i;
        while j < s.len() && j < i + 3 && (b'0'..=b'7').contains(&s[j]) {
            v = v * 8 + (s[j] - b'0') as u32;
            j += 1;
        }
        return (v as u8, j);
    }
    let b = match c {
        b'a' => 7,
        b'b' => 8,
        b'f' => 12,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'v' => 11,
        c => c,
    };
    (b, i + 1)
}

/// Marks where a `[c*n]` of STRING2 expands, for [`fill_star`].
const STAR: u16 = 0x100;

/// A set's characters in order: escapes, ranges `a-z`, `[:class:]`, `[=c=]`, and in
/// STRING2 `[c*n]` (`[c*]` fills up to STRING1's length). What is not one of these is
/// taken literally, as BusyBox does (`c-a`, an empty range, gives nothing).
fn expand(s: &[u8], second: bool) -> Vec<u8> {
    expand_marked(s, second)
        .into_iter()
        .filter(|&c| c < STAR)
        .map(|c| c as u8)
        .collect()
}

fn expand_marked(s: &[u8], second: bool) -> Vec<u16> {
    let mut v: Vec<u16> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'[' {
            if let Some((chars, next)) = bracket(s, i, second) {
                v.extend(chars);
                i = next;
                continue;
            }
        }
        let (c, next) = if s[i] == b'\\' {
            escape(s, i + 1)
        } else {
            (s[i], i + 1)
        };
        // A range c-d (the end may be an escape too).
        if s.get(next) == Some(&b'-') && next + 1 < s.len() {
            let (d, after) = if s[next + 1] == b'\\' {
                escape(s, next + 2)
            } else {
                (s[next + 1], next + 2)
            };
            v.extend((c..=d).map(u16::from));
            i = after;
            continue;
        }
        v.push(c as u16);
        i = next;
    }
    v
}

/// `[:class:]`, `[=c=]`, and (in STRING2) `[c*n]` / `[c*]` at `s[i] == '['`.
fn bracket(s: &[u8], i: usize, second: bool) -> Option<(Vec<u16>, usize)> {
    let rest = &s[i + 1..];
    if rest.first() == Some(&b':') {
        let end = rest.windows(2).position(|w| w == b":]")?;
        let name = &rest[1..end];
        let f: fn(&u8) -> bool = match name {
            b"alnum" => u8::is_ascii_alphanumeric,
            b"alpha" => u8::is_ascii_alphabetic,
            b"blank" => |c| *c == b' ' || *c == b'\t',
            b"cntrl" => u8::is_ascii_control,
            b"digit" => u8::is_ascii_digit,
            b"graph" => u8::is_ascii_graphic,
            b"lower" => u8::is_ascii_lowercase,
            b"print" => |c| (0x20..0x7f).contains(c),
            b"punct" => u8::is_ascii_punctuation,
            b"space" => |c| *c == b' ' || (b'\t'..=b'\r').contains(c),
            b"upper" => u8::is_ascii_uppercase,
            b"xdigit" => u8::is_ascii_hexdigit,
            _ => return None,
        };
        let chars = (0..=255u8).filter(f).map(u16::from).collect();
        return Some((chars, i + 1 + end + 2));
    }
    if rest.first() == Some(&b'=') && rest.len() >= 3 && rest[2] == b'=' && rest.get(3) == Some(&b']') {
        return Some((vec![rest[1] as u16], i + 5));
    }
    if !second {
        return None;
    }
    // [c*n]: c may be an escape; n is decimal, or octal with a leading 0; empty = fill.
    let (c, j) = if rest.first() == Some(&b'\\') {
        escape(s, i + 2)
    } else {
        (*rest.first()?, i + 2)
    };
    if s.get(j) != Some(&b'*') {
        return None;
    }
    let close = j + 1 + s[j + 1..].iter().position(|&b| b == b']')?;
    let digits = &s[j + 1..close];
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if digits.is_empty() {
        return Some((vec![STAR | c as u16], close + 1));
    }
    let n = if digits[0] == b'0' {
        digits.iter().try_fold(0usize, |a, &d| {
            (d < b'8').then(|| a.saturating_mul(8).saturating_add((d - b'0') as usize))
        })?
    } else {
        digits
            .iter()
            .fold(0usize, |a, &d| a.saturating_mul(10).saturating_add((d - b'0') as usize))
    };
    if n == 0 {
        return Some((vec![STAR | c as u16], close + 1));
    }
    Some((vec![c as u16; n.min(1 << 16)], close + 1))
}

/// STRING2 with its `[c*]` (or `[c*0]`) grown to make it as long as STRING1.
fn expand2(s: &[u8], len1: usize) -> Vec<u8> {
    let m = expand_marked(s, true);
    let fixed = m.iter().filter(|&&c| c < STAR).count();
    let mut out = Vec::with_capacity(m.len().max(len1));
    let mut filled = false;
    for c in m {
        if c < STAR {
            out.push(c as u8);
        } else if !filled {
            filled = true;
            out.extend(std::iter::repeat_n(c as u8, len1.saturating_sub(fixed)));
        }
    }
    out
}

/// A map that moves one range of bytes by a constant (`a-z A-Z`, `A-Z a-z`) and leaves
/// the rest: done 16 bytes at a time with SSE2 on x86_64.
#[derive(Clone, Copy)]
struct Shift {
    lo: u8,
    hi: u8,
    delta: u8,
}

impl Shift {
    fn of(map: &[u8; 256]) -> Option<Shift> {
        let changed: Vec<usize> = (0..256).filter(|&i| map[i] != i as u8).collect();
        let (&lo, &hi) = (changed.first()?, changed.last()?);
        let delta = map[lo].wrapping_sub(lo as u8);
        let contiguous = changed.len() == hi - lo + 1;
        let same = changed.iter().all(|&i| map[i].wrapping_sub(i as u8) == delta);
        // The signed-compare trick below needs room on both sides.
        (contiguous && same && lo > 0 && hi < 255 && cfg!(target_arch = "x86_64")).then_some(Shift {
            lo: lo as u8,
            hi: hi as u8,
            delta,
        })
    }

    fn apply(&self, data: &mut [u8]) {
        #[cfg_attr(not(target_arch = "x86_64"), allow(unused_mut))]
        let mut chunks = data.chunks_exact_mut(16);
        #[cfg(target_arch = "x86_64")]
        // SAFETY: SSE2 is in the x86_64 baseline; loads and stores are unaligned and
        // within each 16-byte chunk.
        unsafe {
            use std::arch::x86_64::*;
            let flip = _mm_set1_epi8(-128);
            let lo = _mm_set1_epi8(((self.lo - 1) ^ 0x80) as i8);
            let hi = _mm_set1_epi8(((self.hi + 1) ^ 0x80) as i8);
            let d = _mm_set1_epi8(self.delta as i8);
            for c in &mut chunks {
                let x = _mm_loadu_si128(c.as_ptr().cast());
                let s = _mm_xor_si128(x, flip);
                let m = _mm_and_si128(_mm_cmpgt_epi8(s, lo), _mm_cmpgt_epi8(hi, s));
                let y = _mm_add_epi8(x, _mm_and_si128(m, d));
                _mm_storeu_si128(c.as_mut_ptr().cast(), y);
            }
        }
        for b in chunks.into_remainder() {
            if (self.lo..=self.hi).contains(b) {
                *b = b.wrapping_add(self.delta);
            }
        }
    }
}
