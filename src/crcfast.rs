//! CRC-32 (zlib's, for gzip, zip and xz) and CRC-64 (xz's, ECMA-182 reflected) at memory
//! speed, for the codecs' trailers: a byte-at-a-time table costs about as much as inflating.
//!
//! ```text
//! let mut c = Crc32::new(); c.update(b"123456789"); assert_eq!(c.v, 0xcbf4_3926);
//! ```
//! CRC-32 folds 64 bytes a step with carry-less multiplication (PCLMULQDQ, detected at run
//! time) on x86_64 and uses the CRC32 instructions on aarch64; elsewhere, and for the tails,
//! slicing by 8. CRC-64 slices by 8. The tables are built at run time (microseconds): as
//! constants they would be 24 KiB of the binary.

/// The 8 slicing tables of a reflected CRC of polynomial `poly` (in the low `bits` bits).
fn tables<T: Copy + Default>(
    poly: u64,
    wide: fn(u64) -> T,
    narrow: fn(T) -> u64,
) -> Box<[[T; 256]; 8]> {
    let mut t = Box::new([[T::default(); 256]; 8]);
    for i in 0..256 {
        let mut c = i as u64;
        for _ in 0..8 {
            c = if c & 1 != 0 { poly ^ (c >> 1) } else { c >> 1 };
        }
        t[0][i] = wide(c);
    }
    for i in 0..256 {
        let mut c = narrow(t[0][i]);
        for k in 1..8 {
            c = narrow(t[0][(c & 0xff) as usize]) ^ (c >> 8);
            t[k][i] = wide(c);
        }
    }
    t
}

/// CRC-32 of zlib (polynomial 0xEDB88320 reflected); `v` is the value so far.
pub struct Crc32 {
    t: Box<[[u32; 256]; 8]>,
    pub v: u32,
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    hw: bool,
}

impl Default for Crc32 {
    fn default() -> Self {
        Self::new()
    }
}

impl Crc32 {
    pub fn new() -> Crc32 {
        Crc32 {
            t: tables(0xedb8_8320, |c| c as u32, |c| c as u64),
            v: 0,
            #[cfg(target_arch = "x86_64")]
            hw: std::arch::is_x86_feature_detected!("pclmulqdq")
                && std::arch::is_x86_feature_detected!("sse4.1"),
            #[cfg(target_arch = "aarch64")]
            hw: std::arch::is_aarch64_feature_detected!("crc"),
        }
    }

    /// The CRC-32 of `data` alone.
    pub fn of(data: &[u8]) -> u32 {
        let mut c = Crc32::new();
        c.update(data);
        c.v
    }

    pub fn update(&mut self, data: &[u8]) {
        let mut c = !self.v;
        #[allow(unused_mut)]
        let mut rest = data;
        #[cfg(target_arch = "x86_64")]
        if self.hw && rest.len() >= 64 {
            let n = rest.len() & !15;
            // SAFETY: the CPU has PCLMULQDQ and SSE4.1 (checked in new); n >= 64, n % 16 == 0.
            c = unsafe { fold32(c, &rest[..n]) };
            rest = &rest[n..];
        }
        #[cfg(target_arch = "aarch64")]
        if self.hw {
            // SAFETY: the CPU has the CRC32 instructions (checked in new).
            self.v = !unsafe { arm32(c, rest) };
            return;
        }
        let t = &self.t;
        let mut ch = rest.chunks_exact(8);
        for b in &mut ch {
            let lo = c ^ u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            c = t[7][(lo & 0xff) as usize]
                ^ t[6][((lo >> 8) & 0xff) as usize]
                ^ t[5][((lo >> 16) & 0xff) as usize]
                ^ t[4][(lo >> 24) as usize]
                ^ t[3][b[4] as usize]
                ^ t[2][b[5] as usize]
                ^ t[1][b[6] as usize]
                ^ t[0][b[7] as usize];
        }
        for &b in ch.remainder() {
            c = t[0][((c ^ b as u32) & 0xff) as usize] ^ (c >> 8);
        }
        self.v = !c;
    }
}

/// Folds `buf` (at least 64 bytes, a multiple of 16) into the CRC register `crc`: four
/// 128-bit lanes multiplied forward by x^512, then one, then Barrett-reduced to 32 bits
/// (Gopal et al., "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ", with the
/// constants of the bit-reflected polynomial).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "pclmulqdq,sse2,sse4.1")]
unsafe fn fold32(crc: u32, buf: &[u8]) -> u32 {
    use std::arch::x86_64::*;
    let ld = |i: usize| _mm_loadu_si128(buf.as_ptr().add(i).cast());
    let k1k2 = _mm_set_epi64x(0x1_c6e4_1596, 0x1_5444_2bd4);
    let k3k4 = _mm_set_epi64x(0x0_ccaa_009e, 0x1_7519_97d0);
    let k5 = _mm_set_epi64x(0, 0x1_63cd_6124);
    let poly = _mm_set_epi64x(0x1_f701_1641, 0x1_db71_0641);
    let fold = |x: __m128i, k: __m128i, next: __m128i| {
        let lo = _mm_clmulepi64_si128(x, k, 0x00);
        let hi = _mm_clmulepi64_si128(x, k, 0x11);
        _mm_xor_si128(_mm_xor_si128(lo, hi), next)
    };
    let mut x1 = _mm_xor_si128(ld(0), _mm_cvtsi32_si128(crc as i32));
    let mut x2 = ld(16);
    let mut x3 = ld(32);
    let mut x4 = ld(48);
    let mut i = 64;
    while i + 64 <= buf.len() {
        x1 = fold(x1, k1k2, ld(i));
        x2 = fold(x2, k1k2, ld(i + 16));
        x3 = fold(x3, k1k2, ld(i + 32));
        x4 = fold(x4, k1k2, ld(i + 48));
        i += 64;
    }
    x1 = fold(x1, k3k4, x2);
    x1 = fold(x1, k3k4, x3);
    x1 = fold(x1, k3k4, x4);
    while i + 16 <= buf.len() {
        x1 = fold(x1, k3k4, ld(i));
        i += 16;
    }
    // 128 bits to 64, to 32, then Barrett.
    let mask = _mm_set_epi32(0, -1, 0, -1);
    let x2 = _mm_clmulepi64_si128(x1, k3k4, 0x10);
    x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), x2);
    let x2 = _mm_srli_si128(x1, 4);
    x1 = _mm_and_si128(x1, mask);
    x1 = _mm_xor_si128(_mm_clmulepi64_si128(x1, k5, 0x00), x2);
    let mut x2 = _mm_and_si128(x1, mask);
    x2 = _mm_clmulepi64_si128(x2, poly, 0x10);
    x2 = _mm_and_si128(x2, mask);
    x2 = _mm_clmulepi64_si128(x2, poly, 0x00);
    x1 = _mm_xor_si128(x1, x2);
    _mm_extract_epi32(x1, 1) as u32
}

#[cfg(target_arch = "aarch64")]
#[target_feature(enable = "crc")]
unsafe fn arm32(mut c: u32, buf: &[u8]) -> u32 {
    use std::arch::aarch64::*;
    let mut ch = buf.chunks_exact(8);
    for b in &mut ch {
        let mut w = [0u8; 8];
        w.copy_from_slice(b);
        c = __crc32d(c, u64::from_le_bytes(w));
    }
    for &b in ch.remainder() {
        c = __crc32b(c, b);
    }
    c
}

/// CRC-64 of xz (ECMA-182, 0xC96C5795D7870F42 reflected); `v` is the value so far.
pub struct Crc64 {
    t: Box<[[u64; 256]; 8]>,
    pub v: u64,
}

impl Default for Crc64 {
    fn default() -> Self {
        Self::new()
    }
}

impl Crc64 {
    pub fn new() -> Crc64 {
        Crc64 {
            t: tables(0xc96c_5795_d787_0f42, |c| c, |c| c),
            v: 0,
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        let t = &self.t;
        let mut c = !self.v;
        let mut ch = data.chunks_exact(8);
        for b in &mut ch {
            let mut w = [0u8; 8];
            w.copy_from_slice(b);
            let x = c ^ u64::from_le_bytes(w);
            c = t[7][(x & 0xff) as usize]
                ^ t[6][((x >> 8) & 0xff) as usize]
                ^ t[5][((x >> 16) & 0xff) as usize]
                ^ t[4][((x >> 24) & 0xff) as usize]
                ^ t[3][((x >> 32) & 0xff) as usize]
                ^ t[2][((x >> 40) & 0xff) as usize]
                ^ t[1][((x >> 48) & 0xff) as usize]
                ^ t[0][(x >> 56) as usize];
        }
        for &b in ch.remainder() {
            c = t[0][((c ^ b as u64) & 0xff) as usize] ^ (c >> 8);
        }
        self.v = !c;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytewise32(data: &[u8]) -> u32 {
        let t = crate::crc::table(true);
        let mut c = !0u32;
        for &b in data {
            c = t[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8);
        }
        !c
    }

    #[test]
    fn crc32_every_length_and_split() {
        let data: Vec<u8> = (0..3000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert_eq!(Crc32::of(b"123456789"), 0xcbf4_3926);
        for n in (0..300).chain([511, 512, 1000, 2999, 3000]) {
            assert_eq!(Crc32::of(&data[..n]), bytewise32(&data[..n]), "length {n}");
        }
        let mut c = Crc32::new();
        c.update(&data[..77]);
        c.update(&data[77..1500]);
        c.update(&data[1500..]);
        assert_eq!(c.v, bytewise32(&data));
    }

    #[test]
    fn crc64_check_value() {
        let mut c = Crc64::new();
        c.update(b"123456789");
        assert_eq!(c.v, 0x995d_c9bb_df19_39fa);
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3) as u8).collect();
        let mut a = Crc64::new();
        a.update(&data);
        let mut b = Crc64::new();
        for ch in data.chunks(13) {
            b.update(ch);
        }
        assert_eq!(a.v, b.v);
    }
}
