//! The md5sum / sha1sum / sha256sum / sha512sum / sha3sum driver (BusyBox's
//! md5_sha1_sum.c): print `HASH  NAME` lines, or with `-c` check them.
//!
//! ```text
//! pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
//!     hashsum::main(cx, args, hashsum::Algo::Sha256)
//! }
//! ```
//! MD5 is written out below; SHA-1 and SHA-2 come from the RustCrypto crates (SHA-NI and the ARMv8 SHA
//! instructions when the CPU has them, picked at run time); SHA-3 is the Keccak
//! permutation here, since BusyBox accepts any `-a` width that is a multiple of 32.

use crate::io::{Input, BLOCK};
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Algo {
    Md5,
    Sha1,
    Sha256,
    Sha512,
    /// SHA-3 with this many bits of output.
    Sha3(u32),
}

enum State {
    #[cfg(feature = "md5sum")]
    Md5(Md5),
    #[cfg(feature = "sha1sum")]
    Sha1(sha1::Sha1),
    #[cfg(feature = "sha256sum")]
    Sha256(sha2::Sha256),
    #[cfg(feature = "sha512sum")]
    Sha512(sha2::Sha512),
    Sha3(Keccak),
}

impl State {
    fn new(a: Algo) -> State {
        match a {
            #[cfg(feature = "md5sum")]
            Algo::Md5 => State::Md5(Md5::new()),
            #[cfg(feature = "sha1sum")]
            Algo::Sha1 => State::Sha1(Default::default()),
            #[cfg(feature = "sha256sum")]
            Algo::Sha256 => State::Sha256(Default::default()),
            #[cfg(feature = "sha512sum")]
            Algo::Sha512 => State::Sha512(Default::default()),
            Algo::Sha3(bits) => State::Sha3(Keccak::new(bits)),
            #[allow(unreachable_patterns)]
            _ => State::Sha3(Keccak::new(224)),
        }
    }

    fn update(&mut self, b: &[u8]) {
        match self {
            #[cfg(feature = "md5sum")]
            State::Md5(h) => h.update(b),
            #[cfg(feature = "sha1sum")]
            State::Sha1(h) => sha1::Digest::update(h, b),
            #[cfg(feature = "sha256sum")]
            State::Sha256(h) => sha2::Digest::update(h, b),
            #[cfg(feature = "sha512sum")]
            State::Sha512(h) => sha2::Digest::update(h, b),
            State::Sha3(k) => k.update(b),
        }
    }

    fn finish(self, out: &mut Vec<u8>) {
        match self {
            #[cfg(feature = "md5sum")]
            State::Md5(h) => h.finish(out),
            #[cfg(feature = "sha1sum")]
            State::Sha1(h) => out.extend_from_slice(&sha1::Digest::finalize(h)),
            #[cfg(feature = "sha256sum")]
            State::Sha256(h) => out.extend_from_slice(&sha2::Digest::finalize(h)),
            #[cfg(feature = "sha512sum")]
            State::Sha512(h) => out.extend_from_slice(&sha2::Digest::finalize(h)),
            State::Sha3(k) => k.finish(out),
        }
    }
}

/// Keccak-f[1600] sponge with SHA-3's padding.
struct Keccak {
    st: [u64; 25],
    rate: usize,
    buf: [u8; 200],
    n: usize,
    out_bytes: usize,
}

const RC: [u64; 24] = [
    0x0000000000000001,
    0x0000000000008082,
    0x800000000000808a,
    0x8000000080008000,
    0x000000000000808b,
    0x0000000080000001,
    0x8000000080008081,
    0x8000000000008009,
    0x000000000000008a,
    0x0000000000000088,
    0x0000000080008009,
    0x000000008000000a,
    0x000000008000808b,
    0x800000000000008b,
    0x8000000000008089,
    0x8000000000008003,
    0x8000000000008002,
    0x8000000000000080,
    0x000000000000800a,
    0x800000008000000a,
    0x8000000080008081,
    0x8000000000008080,
    0x0000000080000001,
    0x8000000080008008,
];
const ROT: [u32; 25] = [
    0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
];

fn keccak_f(a: &mut [u64; 25]) {
    for rc in RC {
        let mut c = [0u64; 5];
        for x in 0..5 {
            c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        }
        for x in 0..5 {
            let d = c[(x + 4) % 5] ^ c[(x + 1) % 5].rotate_left(1);
            for y in 0..5 {
                a[x + 5 * y] ^= d;
            }
        }
        // rho and pi: B[y, 2x+3y] = rot(A[x, y])
        let mut b = [0u64; 25];
        for x in 0..5 {
            for y in 0..5 {
                b[y + 5 * ((2 * x + 3 * y) % 5)] = a[x + 5 * y].rotate_left(ROT[x + 5 * y]);
            }
        }
        for y in 0..5 {
            for x in 0..5 {
                a[x + 5 * y] = b[x + 5 * y] ^ (!b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
            }
        }
        a[0] ^= rc;
    }
}

impl Keccak {
    fn new(bits: u32) -> Keccak {
        Keccak {
            st: [0; 25],
            rate: 200 - bits as usize / 4,
            buf: [0; 200],
            n: 0,
            out_bytes: bits as usize / 8,
        }
    }
    fn absorb(&mut self) {
        for (i, w) in self.buf[..self.rate].chunks_exact(8).enumerate() {
            let mut a = [0u8; 8];
            a.copy_from_slice(w);
            self.st[i] ^= u64::from_le_bytes(a);
        }
        keccak_f(&mut self.st);
        self.n = 0;
    }
    fn update(&mut self, mut b: &[u8]) {
        while !b.is_empty() {
            let k = (self.rate - self.n).min(b.len());
            self.buf[self.n..self.n + k].copy_from_slice(&b[..k]);
            self.n += k;
            b = &b[k..];
            if self.n == self.rate {
                self.absorb();
            }
        }
    }
    fn finish(mut self, out: &mut Vec<u8>) {
        self.buf[self.n..self.rate].fill(0);
        self.buf[self.n] ^= 0x06;
        self.buf[self.rate - 1] ^= 0x80;
        self.absorb();
        // BusyBox copies at most 64 bytes of state; past that (`-a 768`) it prints whatever
        // its read buffer held there (for small files: zeros). rbox prints zeros.
        let (n, real) = (self.out_bytes, self.out_bytes.min(64));
        let start = out.len();
        for w in &self.st[..real.div_ceil(8)] {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out.truncate(start + real);
        out.resize(start + n, 0);
    }
}

/// MD5 (RFC 1321), written out here: the md-5 crate ran 100 MB about 15% behind GNU's
/// md5sum, at opt-level 3 too. The 64 steps are spelled out, as the fast C versions do, so
/// the state stays in four registers and each message word is a memory operand of an add.
#[cfg(feature = "md5sum")]
struct Md5 {
    s: [u32; 4],
    buf: [u8; 64],
    n: usize,
    len: u64,
}

#[cfg(feature = "md5sum")]
impl Md5 {
    fn new() -> Md5 {
        Md5 {
            s: [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476],
            buf: [0; 64],
            n: 0,
            len: 0,
        }
    }

    fn update(&mut self, mut b: &[u8]) {
        self.len = self.len.wrapping_add(b.len() as u64);
        if self.n > 0 {
            let k = (64 - self.n).min(b.len());
            self.buf[self.n..self.n + k].copy_from_slice(&b[..k]);
            self.n += k;
            b = &b[k..];
            if self.n < 64 {
                return;
            }
            md5_blocks(&mut self.s, std::slice::from_ref(&self.buf));
            self.n = 0;
        }
        let (blocks, rest) = b.as_chunks::<64>();
        md5_blocks(&mut self.s, blocks);
        self.buf[..rest.len()].copy_from_slice(rest);
        self.n = rest.len();
    }

    fn finish(mut self, out: &mut Vec<u8>) {
        let bits = self.len.wrapping_mul(8);
        let n = self.n;
        self.buf[n] = 0x80;
        self.buf[n + 1..].fill(0);
        if n >= 56 {
            md5_blocks(&mut self.s, std::slice::from_ref(&self.buf));
            self.buf.fill(0);
        }
        self.buf[56..].copy_from_slice(&bits.to_le_bytes());
        md5_blocks(&mut self.s, std::slice::from_ref(&self.buf));
        for w in self.s {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }
}

/// Message word `i` of a block (a single load on little-endian machines).
#[cfg(feature = "md5sum")]
#[inline(always)]
fn md5_word(b: &[u8; 64], i: usize) -> u32 {
    u32::from_le_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]])
}

/// `x`, computed before what follows: LLVM otherwise moves each step's constant to its
/// end, so a + K + M waits for the round function instead of being ready before it, one
/// more operation on the critical path of every step (measured: 8% slower).
#[cfg(feature = "md5sum")]
#[inline(always)]
fn md5_early(mut x: u32) -> u32 {
    // SAFETY: an asm block of just a comment, which claims to change x in its register.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        std::arch::asm!("/* {0:e} */", inout(reg) x, options(pure, nomem, nostack, preserves_flags));
    }
    #[cfg(target_arch = "aarch64")]
    unsafe {
        std::arch::asm!("/* {0:w} */", inout(reg) x, options(pure, nomem, nostack, preserves_flags));
    }
    x
}

/// The same block, through a pointer the optimiser cannot see through.
#[cfg(feature = "md5sum")]
#[inline(always)]
#[allow(clippy::pointers_in_nomem_asm_block)] // the asm does not touch what it points to
fn md5_hide(p: &[u8; 64]) -> &[u8; 64] {
    let mut q: *const [u8; 64] = p;
    // SAFETY: as in md5_early: the pointer comes back unchanged, so it is still `p`.
    unsafe {
        #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
        std::arch::asm!("/* {0} */", inout(reg) q, options(pure, nomem, nostack, preserves_flags));
        &*q
    }
}

/// MD5's compression function over whole blocks.
#[cfg(feature = "md5sum")]
fn md5_blocks(s: &mut [u32; 4], blocks: &[[u8; 64]]) {
    let [mut a, mut b, mut c, mut d] = *s;
    for blk in blocks {
        let (sa, sb, sc, sd) = (a, b, c, d);
        // Hidden from the optimiser at each round, so each word is loaded where it is added
        // rather than held from the first round on (16 spills and reloads a block).
        let mut x = md5_hide(blk);
        // Round 1: F = (b & c) | (!b & d), as d ^ (b & (c ^ d)): one operation fewer.
        macro_rules! f {
            ($a:ident, $b:ident, $c:ident, $d:ident, $i:expr, $k:expr, $r:expr) => {
                $a = md5_early($a.wrapping_add($k).wrapping_add(md5_word(x, $i)))
                    .wrapping_add($d ^ ($b & ($c ^ $d)))
                    .rotate_left($r)
                    .wrapping_add($b);
            };
        }
        // Round 2: G = (b & d) | (c & !d); the two halves share no bits, so they are
        // added one at a time and the half without b is ready before b is.
        macro_rules! g {
            ($a:ident, $b:ident, $c:ident, $d:ident, $i:expr, $k:expr, $r:expr) => {
                $a = md5_early($a.wrapping_add($k).wrapping_add(md5_word(x, $i)))
                    .wrapping_add($c & !$d)
                    .wrapping_add($b & $d)
                    .rotate_left($r)
                    .wrapping_add($b);
            };
        }
        macro_rules! h {
            ($a:ident, $b:ident, $c:ident, $d:ident, $i:expr, $k:expr, $r:expr) => {
                $a = md5_early($a.wrapping_add($k).wrapping_add(md5_word(x, $i)))
                    .wrapping_add($b ^ $c ^ $d)
                    .rotate_left($r)
                    .wrapping_add($b);
            };
        }
        macro_rules! i {
            ($a:ident, $b:ident, $c:ident, $d:ident, $i:expr, $k:expr, $r:expr) => {
                $a = md5_early($a.wrapping_add($k).wrapping_add(md5_word(x, $i)))
                    .wrapping_add($c ^ ($b | !$d))
                    .rotate_left($r)
                    .wrapping_add($b);
            };
        }
        f!(a, b, c, d, 0, 0xd76aa478, 7);
        f!(d, a, b, c, 1, 0xe8c7b756, 12);
        f!(c, d, a, b, 2, 0x242070db, 17);
        f!(b, c, d, a, 3, 0xc1bdceee, 22);
        f!(a, b, c, d, 4, 0xf57c0faf, 7);
        f!(d, a, b, c, 5, 0x4787c62a, 12);
        f!(c, d, a, b, 6, 0xa8304613, 17);
        f!(b, c, d, a, 7, 0xfd469501, 22);
        f!(a, b, c, d, 8, 0x698098d8, 7);
        f!(d, a, b, c, 9, 0x8b44f7af, 12);
        f!(c, d, a, b, 10, 0xffff5bb1, 17);
        f!(b, c, d, a, 11, 0x895cd7be, 22);
        f!(a, b, c, d, 12, 0x6b901122, 7);
        f!(d, a, b, c, 13, 0xfd987193, 12);
        f!(c, d, a, b, 14, 0xa679438e, 17);
        f!(b, c, d, a, 15, 0x49b40821, 22);

        x = md5_hide(x);
        g!(a, b, c, d, 1, 0xf61e2562, 5);
        g!(d, a, b, c, 6, 0xc040b340, 9);
        g!(c, d, a, b, 11, 0x265e5a51, 14);
        g!(b, c, d, a, 0, 0xe9b6c7aa, 20);
        g!(a, b, c, d, 5, 0xd62f105d, 5);
        g!(d, a, b, c, 10, 0x02441453, 9);
        g!(c, d, a, b, 15, 0xd8a1e681, 14);
        g!(b, c, d, a, 4, 0xe7d3fbc8, 20);
        g!(a, b, c, d, 9, 0x21e1cde6, 5);
        g!(d, a, b, c, 14, 0xc33707d6, 9);
        g!(c, d, a, b, 3, 0xf4d50d87, 14);
        g!(b, c, d, a, 8, 0x455a14ed, 20);
        g!(a, b, c, d, 13, 0xa9e3e905, 5);
        g!(d, a, b, c, 2, 0xfcefa3f8, 9);
        g!(c, d, a, b, 7, 0x676f02d9, 14);
        g!(b, c, d, a, 12, 0x8d2a4c8a, 20);

        x = md5_hide(x);
        h!(a, b, c, d, 5, 0xfffa3942, 4);
        h!(d, a, b, c, 8, 0x8771f681, 11);
        h!(c, d, a, b, 11, 0x6d9d6122, 16);
        h!(b, c, d, a, 14, 0xfde5380c, 23);
        h!(a, b, c, d, 1, 0xa4beea44, 4);
        h!(d, a, b, c, 4, 0x4bdecfa9, 11);
        h!(c, d, a, b, 7, 0xf6bb4b60, 16);
        h!(b, c, d, a, 10, 0xbebfbc70, 23);
        h!(a, b, c, d, 13, 0x289b7ec6, 4);
        h!(d, a, b, c, 0, 0xeaa127fa, 11);
        h!(c, d, a, b, 3, 0xd4ef3085, 16);
        h!(b, c, d, a, 6, 0x04881d05, 23);
        h!(a, b, c, d, 9, 0xd9d4d039, 4);
        h!(d, a, b, c, 12, 0xe6db99e5, 11);
        h!(c, d, a, b, 15, 0x1fa27cf8, 16);
        h!(b, c, d, a, 2, 0xc4ac5665, 23);

        x = md5_hide(x);
        i!(a, b, c, d, 0, 0xf4292244, 6);
        i!(d, a, b, c, 7, 0x432aff97, 10);
        i!(c, d, a, b, 14, 0xab9423a7, 15);
        i!(b, c, d, a, 5, 0xfc93a039, 21);
        i!(a, b, c, d, 12, 0x655b59c3, 6);
        i!(d, a, b, c, 3, 0x8f0ccc92, 10);
        i!(c, d, a, b, 10, 0xffeff47d, 15);
        i!(b, c, d, a, 1, 0x85845dd1, 21);
        i!(a, b, c, d, 8, 0x6fa87e4f, 6);
        i!(d, a, b, c, 15, 0xfe2ce6e0, 10);
        i!(c, d, a, b, 6, 0xa3014314, 15);
        i!(b, c, d, a, 13, 0x4e0811a1, 21);
        i!(a, b, c, d, 4, 0xf7537e82, 6);
        i!(d, a, b, c, 11, 0xbd3af235, 10);
        i!(c, d, a, b, 2, 0x2ad7d2bb, 15);
        i!(b, c, d, a, 9, 0xeb86d391, 21);

        a = a.wrapping_add(sa);
        b = b.wrapping_add(sb);
        c = c.wrapping_add(sc);
        d = d.wrapping_add(sd);
    }
    *s = [a, b, c, d];
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Hashes a file (`-` = stdin) into lowercase hex; None after reporting why it could not.
fn hash_file(
    cx: &mut Cx,
    algo: Algo,
    name: &OsStr,
    buf: &mut [u8],
    hex: &mut Vec<u8>,
) -> Res<bool> {
    let mut inp = match Input::open(name) {
        Ok(i) => i,
        Err(e) => {
            cx.out.flush();
            cx.err_open(name, e);
            return Ok(false);
        }
    };
    if let Algo::Sha3(w) = algo {
        if w >= 800 || w == 0 || w & 0x1f != 0 {
            let mut b = [0u8; 20];
            return Err(cx.fail(&[b"bad -a", crate::cx::fmt_u64(w as u64, &mut b)]));
        }
    }
    let mut st = State::new(algo);
    loop {
        match inp.read(buf) {
            Ok(0) => break,
            Ok(n) => st.update(&buf[..n]),
            Err(e) => {
                cx.out.flush();
                cx.err(&[
                    b"can't read '",
                    name.as_bytes(),
                    b"': ",
                    crate::sys::strerror(e),
                ]);
                return Ok(false);
            }
        }
    }
    let mut raw = Vec::with_capacity(64);
    st.finish(&mut raw);
    hex.clear();
    for b in raw {
        hex.push(HEX[(b >> 4) as usize]);
        hex.push(HEX[(b & 15) as usize]);
    }
    Ok(true)
}

/// The whole applet; `algo` from the applet's name.
pub fn main(cx: &mut Cx, args: &[&OsStr], algo: Algo) -> Res {
    let sha3 = matches!(algo, Algo::Sha3(_));
    let o = cx.getopt(args, if sha3 { "scwbta:" } else { "scwbt" }, &[])?;
    let algo = match (algo, o.val(b'a')) {
        (Algo::Sha3(_), Some(a)) => {
            let n = cx.num_u64(a)?;
            Algo::Sha3(
                u32::try_from(n)
                    .map_err(|_| cx.fail(&[b"invalid number '", a.as_bytes(), b"'"]))?,
            )
        }
        (a, _) => a,
    };
    let (check, silent, warn) = (o.has(b'c'), o.has(b's'), o.has(b'w'));
    // -s and -w only go with -c.
    if (silent || warn) && !check {
        return Err(cx.usage());
    }
    let dash = [OsStr::new("-")];
    let files: &[&OsStr] = if o.args.is_empty() { &dash } else { &o.args };
    let mut buf = vec![0u8; BLOCK];
    let mut hex = Vec::with_capacity(128);
    let mut status = 0;
    for &f in files {
        if !check {
            if hash_file(cx, algo, f, &mut buf, &mut hex)? {
                cx.out.write(&hex);
                cx.out.write(b"  ");
                cx.out.line(f.as_bytes());
            } else {
                status = 1;
            }
            continue;
        }
        let inp = match Input::open(f) {
            Ok(i) => i,
            Err(e) => {
                cx.out.flush();
                return Err(cx.fail_no(f.as_bytes(), e));
            }
        };
        let mut lines = crate::io::Lines::new(inp);
        let (mut total, mut failed) = (0u64, 0u64);
        loop {
            let line = match lines.next_line() {
                Ok(Some(l)) => l.strip_suffix(b"\n").unwrap_or(l).to_vec(),
                Ok(None) => break,
                Err(e) => {
                    cx.err_no(f.as_bytes(), e);
                    status = 1;
                    break;
                }
            };
            total += 1;
            // BusyBox 1.35: HASH, then "  " or " *", then the name.
            let sep = find(&line, b"  ").or_else(|| find(&line, b" *"));
            let Some(sep) = sep else {
                if warn {
                    cx.out.flush();
                    cx.err(&[b"invalid format"]);
                }
                failed += 1;
                status = 1;
                continue;
            };
            let (want, name) = (&line[..sep], &line[sep + 2..]);
            let ok =
                hash_file(cx, algo, OsStr::from_bytes(name), &mut buf, &mut hex)? && hex == want;
            if !ok {
                failed += 1;
                status = 1;
            }
            if !silent {
                cx.out.write(name);
                cx.out.write(if ok { b": OK\n" } else { b": FAILED\n" });
            }
        }
        cx.out.flush();
        if failed > 0 && !silent {
            let (mut a, mut b) = ([0u8; 20], [0u8; 20]);
            cx.err(&[
                b"WARNING: ",
                crate::cx::fmt_u64(failed, &mut a),
                b" of ",
                crate::cx::fmt_u64(total, &mut b),
                b" computed checksums did NOT match",
            ]);
        }
        if total == 0 {
            status = 1;
            cx.err(&[f.as_bytes(), b": no checksum lines found"]);
        }
    }
    Ok(status)
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha3(bits: u32, m: &[u8]) -> String {
        let mut k = Keccak::new(bits);
        k.update(m);
        let mut o = Vec::new();
        k.finish(&mut o);
        o.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[cfg(feature = "md5sum")]
    fn md5(m: &[u8]) -> String {
        let mut h = Md5::new();
        // Fed in uneven pieces, to cross the block buffer's edges.
        for part in m.chunks(37) {
            h.update(part);
        }
        let mut o = Vec::new();
        h.finish(&mut o);
        o.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[cfg(feature = "md5sum")]
    #[test]
    fn md5_vectors() {
        // RFC 1321's test suite.
        assert_eq!(md5(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5(b"a"), "0cc175b9c0f1b6a831c399e269772661");
        assert_eq!(md5(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(md5(b"message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
        assert_eq!(
            md5(b"abcdefghijklmnopqrstuvwxyz"),
            "c3fcd3d76192e4007dfb496cca67e13b"
        );
        assert_eq!(
            md5(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
            "d174ab98d277d9f5a5611c2c9f419d9f"
        );
        assert_eq!(
            md5(&b"1234567890".repeat(8)),
            "57edf4a22be3c955ac49da2e2107b67a"
        );
        // The padding's edges: 55 bytes fit one block, 56 need two.
        assert_eq!(md5(&[b'a'; 55]), "ef1772b6dff9a122358552954ad0df65");
        assert_eq!(md5(&[b'a'; 56]), "3b0c8ac703f828b04c6c197006d17218");
        assert_eq!(md5(&[b'a'; 64]), "014842d480b571495a4a0363793f7367");
    }

    #[test]
    fn sha3_vectors() {
        assert_eq!(
            sha3(224, b"abc"),
            "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf"
        );
        assert_eq!(
            sha3(256, b""),
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"
        );
        let long = vec![b'a'; 1000];
        assert_eq!(sha3(256, &long).len(), 64);
    }
}
