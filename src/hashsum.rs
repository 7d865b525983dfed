//! The md5sum / sha1sum / sha256sum / sha512sum / sha3sum driver (BusyBox's
//! md5_sha1_sum.c): print `HASH  NAME` lines, or with `-c` check them.
//!
//! ```text
//! pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
//!     hashsum::main(cx, args, hashsum::Algo::Sha256)
//! }
//! ```
//! MD5, SHA-1 and SHA-2 come from the RustCrypto crates (SHA-NI and the ARMv8 SHA
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
    Md5(md5::Md5),
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
            Algo::Md5 => State::Md5(Default::default()),
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
            State::Md5(h) => md5::Digest::update(h, b),
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
            State::Md5(h) => out.extend_from_slice(&md5::Digest::finalize(h)),
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
