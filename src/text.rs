//! Helpers shared by the line tools (head, tail, sort, uniq, split...):
//!
//! ```text
//! let n = text::suffixed(b"10k", text::HEAD_TAIL)?;   // 10240
//! let data = text::read_all(&mut input, &mut buf)?;   // a whole input in one Vec
//! ```

use crate::io::{Input, BLOCK};

/// BusyBox's head/tail multipliers: `b` 512, `k` 1024, `m` 1024².
pub const HEAD_TAIL: &[(&[u8], u64)] = &[(b"b", 512), (b"k", 1024), (b"m", 1024 * 1024)];

/// Decimal digits with an optional multiplier suffix from `table`; None when anything else
/// is there or the value overflows (BusyBox's xatoul_sfx).
pub fn suffixed(b: &[u8], table: &[(&[u8], u64)]) -> Option<u64> {
    let d = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let n = crate::args::parse_u64(&b[..d])?;
    let rest = &b[d..];
    if rest.is_empty() {
        return Some(n);
    }
    let m = table.iter().find(|t| t.0 == rest)?.1;
    n.checked_mul(m)
}

/// Appends all of `inp` to `buf` in large reads. Err is the errno of a failed read.
pub fn read_all(inp: &mut Input, buf: &mut Vec<u8>) -> Result<(), i32> {
    loop {
        if buf.capacity() - buf.len() < BLOCK {
            buf.reserve(BLOCK.max(buf.len() / 2));
        }
        let len = buf.len();
        let spare = buf.capacity() - len;
        // SAFETY: the read fills at most `spare` bytes of the reserved capacity, and only
        // the bytes it reports are made part of the vector.
        let n = unsafe {
            let p = buf.as_mut_ptr().add(len);
            let n = libc::read(inp.fd(), p.cast(), spare);
            if n < 0 {
                let e = crate::sys::errno();
                if e == libc::EINTR {
                    continue;
                }
                return Err(e);
            }
            n as usize
        };
        if n == 0 {
            return Ok(());
        }
        // SAFETY: the kernel wrote these n bytes.
        unsafe { buf.set_len(len + n) };
    }
}

/// Whether the locale asks for UTF-8 (LC_ALL, else LC_CTYPE, else LANG), as BusyBox's
/// unicode support decides.
pub fn utf8_locale() -> bool {
    for v in [c"LC_ALL", c"LC_CTYPE", c"LANG"] {
        if let Some(s) = crate::sys::getenv(v) {
            let s = s.to_ascii_lowercase();
            return s.windows(4).any(|w| w == b"utf8") || s.windows(5).any(|w| w == b"utf-8");
        }
    }
    false
}

/// Splits `data` into records ending in `sep` (the last may lack it), without the separator.
pub fn records(data: &[u8], sep: u8) -> impl Iterator<Item = &[u8]> {
    let mut rest = data;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match crate::bytes::memchr(sep, rest) {
            Some(i) => {
                let (l, r) = (&rest[..i], &rest[i + 1..]);
                rest = r;
                Some(l)
            }
            None => {
                let l = rest;
                rest = &[];
                Some(l)
            }
        }
    })
}

/// How many times `b` occurs in `data` (wc -l's count): 16 bytes a step with SSE2 on
/// x86_64 (always there), 8 bytes a step elsewhere.
pub fn count_byte(data: &[u8], b: u8) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: AVX2 only where the CPU has it; SSE2 is part of the x86_64 baseline.
        // Loads are unaligned and in bounds.
        if data.len() >= 4096 && std::is_x86_feature_detected!("avx2") {
            unsafe { count_avx2(data, b) }
        } else {
            unsafe { count_sse2(data, b) }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        count_swar(data, b)
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn count_avx2(data: &[u8], b: u8) -> usize {
    use std::arch::x86_64::*;
    let needle = _mm256_set1_epi8(b as i8);
    let zero = _mm256_setzero_si256();
    let mut total = 0usize;
    let mut chunks = data.chunks_exact(32 * 255);
    for big in &mut chunks {
        let mut acc = _mm256_setzero_si256();
        for v in big.chunks_exact(32) {
            let x = _mm256_loadu_si256(v.as_ptr().cast());
            acc = _mm256_sub_epi8(acc, _mm256_cmpeq_epi8(x, needle));
        }
        let s = _mm256_sad_epu8(acc, zero);
        total += (_mm256_extract_epi64::<0>(s)
            + _mm256_extract_epi64::<1>(s)
            + _mm256_extract_epi64::<2>(s)
            + _mm256_extract_epi64::<3>(s)) as usize;
    }
    total + count_sse2(chunks.remainder(), b)
}

#[cfg(target_arch = "x86_64")]
unsafe fn count_sse2(data: &[u8], b: u8) -> usize {
    use std::arch::x86_64::*;
    let needle = _mm_set1_epi8(b as i8);
    let zero = _mm_setzero_si128();
    let mut total = 0usize;
    let mut chunks = data.chunks_exact(16 * 255);
    for big in &mut chunks {
        // Per-byte counters that cannot overflow within 255 steps.
        let mut acc = _mm_setzero_si128();
        for v in big.chunks_exact(16) {
            let x = _mm_loadu_si128(v.as_ptr().cast());
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(x, needle));
        }
        let s = _mm_sad_epu8(acc, zero);
        total += (_mm_cvtsi128_si64(s) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(s, s))) as usize;
    }
    let rest = chunks.remainder();
    let mut acc = _mm_setzero_si128();
    let mut v16 = rest.chunks_exact(16);
    for v in &mut v16 {
        let x = _mm_loadu_si128(v.as_ptr().cast());
        acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(x, needle));
    }
    let s = _mm_sad_epu8(acc, zero);
    total += (_mm_cvtsi128_si64(s) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(s, s))) as usize;
    total + v16.remainder().iter().filter(|&&c| c == b).count()
}

#[cfg(not(target_arch = "x86_64"))]
fn count_swar(data: &[u8], b: u8) -> usize {
    const LO: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let pat = u64::from_ne_bytes([b; 8]);
    let mut chunks = data.chunks_exact(8);
    let mut total = 0usize;
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let y = u64::from_ne_bytes(w) ^ pat;
        // High bit set exactly in the bytes of y that are zero.
        let z = !(((y & LO).wrapping_add(LO)) | y | LO);
        total += z.count_ones() as usize;
    }
    total + chunks.remainder().iter().filter(|&&c| c == b).count()
}

/// Writes a short slice byte by byte: musl's memcpy (`rep movsq`) costs tens of cycles to
/// start, which dominates copying a field of a few bytes (measured: 60% of `cut -d, -f2,4`).
#[inline]
pub fn put(out: &mut crate::cx::Out, b: &[u8]) {
    if b.len() <= 32 {
        for &c in b {
            out.byte(c);
        }
    } else {
        out.write(b);
    }
}

/// Byte-wise order of two slices, 8 bytes a step: musl's memcmp, which `<[u8]>::cmp`
/// calls, goes one byte at a time (measured: half of `sort`'s time).
#[inline]
pub fn cmp_bytes(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    let (mut x, mut y) = (&a[..n], &b[..n]);
    while x.len() >= 8 {
        let (p, q) = (load_be(x), load_be(y));
        if p != q {
            return p.cmp(&q);
        }
        x = &x[8..];
        y = &y[8..];
    }
    for (c, d) in x.iter().zip(y) {
        if c != d {
            return c.cmp(d);
        }
    }
    a.len().cmp(&b.len())
}

/// Whether two slices are equal, 8 bytes a step (see [`cmp_bytes`]).
#[inline]
pub fn eq_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && cmp_bytes(a, b) == std::cmp::Ordering::Equal
}

#[inline]
fn load_be(s: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&s[..8]);
    u64::from_be_bytes(w)
}
