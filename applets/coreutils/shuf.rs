//! applet: shuf
//! usage: shuf [-n NUM] [-o FILE] [-z] [FILE | -e [ARG...] | -i L-H]
//! Randomly permute lines
//!
//! -n NUM  Output at most NUM lines
//! -o FILE  Write to FILE, not standard output
//! -z  NUL terminated output
//! -e  Treat ARGs as lines
//! -i L-H  Treat numbers L-H as lines

use crate::io::Input;
use crate::{sys, text, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// xoshiro256** seeded from getrandom: fast, and unpredictable enough for shuffling.
struct Rng([u64; 4]);

impl Rng {
    fn new() -> Rng {
        let mut s = [0u8; 32];
        // SAFETY: getrandom fills the buffer we give it; on failure the clock seeds us.
        let n = unsafe { libc::getrandom(s.as_mut_ptr().cast(), s.len(), 0) };
        if n != s.len() as isize {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            s[..8].copy_from_slice(&(t ^ std::process::id() as u64).to_ne_bytes());
        }
        let mut w = [0u64; 4];
        for (i, c) in s.chunks_exact(8).enumerate() {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            w[i] = u64::from_ne_bytes(b) | (i == 0) as u64;
        }
        Rng(w)
    }

    fn next(&mut self) -> u64 {
        let s = &mut self.0;
        let r = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        r
    }

    /// Uniform in 0..n (n > 0), without modulo bias.
    fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let r = self.next();
            if r < zone {
                return r % n;
            }
        }
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "n:o:zei:", &[])?;
    let eol = if o.has(b'z') { 0 } else { b'\n' };
    let limit = match o.val(b'n') {
        Some(v) => cx.num_u64(v)?,
        None => u64::MAX,
    };
    if (o.has(b'e') && o.has(b'i')) || (!o.has(b'e') && o.args.len() > 1) {
        return Err(cx.usage());
    }
    let mut rng = Rng::new();
    let mut file = None;
    if let Some(p) = o.val(b'o') {
        match std::fs::File::create(p) {
            Ok(f) => {
                use std::os::unix::io::IntoRawFd;
                let fd = f.into_raw_fd();
                file = Some(fd);
                cx.out = crate::cx::Out::new(fd);
            }
            Err(e) => return Err(cx.fail_no(p.as_bytes(), sys::errno_of(&e))),
        }
    }
    let _ = file;
    if let Some(r) = o.val(b'i') {
        let b = r.as_bytes();
        let bad = || cx.fail(&[b"bad range '", b, b"'"]);
        let dash = b.iter().position(|&c| c == b'-').ok_or_else(bad)?;
        let num = |s: &[u8]| {
            crate::args::parse_u64(s).ok_or_else(|| cx.fail(&[b"invalid number '", s, b"'"]))
        };
        let (lo, hi) = (num(&b[..dash])?, num(&b[dash + 1..])?);
        if hi < lo {
            return Err(bad());
        }
        let count = (hi - lo).checked_add(1).ok_or_else(bad)?;
        // A partial Fisher-Yates over the range, with only the moved slots stored.
        let mut moved = Slots::default();
        let n = count.min(limit);
        for k in 0..n {
            let j = k + rng.below(count - k);
            let vj = moved.get(j);
            let vk = moved.get(k);
            moved.set(j, vk);
            cx.out.num(lo + vj);
            cx.out.byte(eol);
            if cx.out.err != 0 {
                break;
            }
        }
        return Ok(0);
    }
    let mut data = Vec::new();
    let mut lines: Vec<&[u8]> = if o.has(b'e') {
        o.args.iter().map(|a| a.as_bytes()).collect()
    } else {
        let name = o.args.first().copied().unwrap_or(OsStr::new("-"));
        let r = Input::open(name).and_then(|mut i| text::read_all(&mut i, &mut data));
        if let Err(e) = r {
            return Err(cx.fail_no(name.as_bytes(), e));
        }
        text::records(&data, eol).collect()
    };
    let n = (lines.len() as u64).min(limit) as usize;
    for k in 0..n {
        let j = k + rng.below((lines.len() - k) as u64) as usize;
        lines.swap(k, j);
        text::put(&mut cx.out, lines[k]);
        cx.out.byte(eol);
        if cx.out.err != 0 {
            break;
        }
    }
    Ok(0)
}

/// The slots of the range that a partial Fisher-Yates has moved: an open-addressing table
/// (std's HashMap costs 18 KB of code here). An absent slot holds its own index.
#[derive(Default)]
struct Slots {
    keys: Vec<u64>,
    vals: Vec<u64>,
    used: usize,
}

impl Slots {
    fn find(&self, k: u64) -> usize {
        let mask = self.keys.len() - 1;
        let mut i = (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as usize & mask;
        // Keys are stored as k + 1, so 0 marks an empty slot.
        while self.keys[i] != 0 && self.keys[i] != k + 1 {
            i = (i + 1) & mask;
        }
        i
    }

    fn get(&self, k: u64) -> u64 {
        if self.keys.is_empty() {
            return k;
        }
        let i = self.find(k);
        if self.keys[i] == 0 {
            k
        } else {
            self.vals[i]
        }
    }

    fn set(&mut self, k: u64, v: u64) {
        if (self.used + 1) * 2 > self.keys.len() {
            let old_k = std::mem::take(&mut self.keys);
            let old_v = std::mem::take(&mut self.vals);
            let n = (old_k.len() * 2).max(64);
            self.keys = vec![0; n];
            self.vals = vec![0; n];
            self.used = 0;
            for (ok, ov) in old_k.into_iter().zip(old_v) {
                if ok != 0 {
                    self.set(ok - 1, ov);
                }
            }
        }
        let i = self.find(k);
        if self.keys[i] == 0 {
            self.used += 1;
            self.keys[i] = k + 1;
        }
        self.vals[i] = v;
    }
}
