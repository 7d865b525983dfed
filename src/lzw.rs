//! The `.Z` format of Unix compress: LZW with 9- to 16-bit codes, read LSB first in groups of
//! eight codes (a width change or a CLEAR code skips the rest of its group, as compress
//! writes it). Memory is the 64 Ki-entry table and a block whatever the input, so a bomb
//! streams.
//!
//! ```ignore
//! lzw::decode(fd, &mut |b| sys::write_all(1, b))?;
//! ```

use crate::extract::Src;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LzwErr {
    Read(i32),
    Write(i32),
    Magic,
    /// More than 16-bit codes (the header's number).
    Bits(u8),
    Corrupt,
}

impl LzwErr {
    /// BusyBox's wording.
    pub fn msg(self, out: &mut Vec<u8>) {
        match self {
            LzwErr::Read(e) | LzwErr::Write(e) => out.extend_from_slice(crate::sys::strerror(e)),
            LzwErr::Magic => out.extend_from_slice(b"invalid magic"),
            LzwErr::Corrupt => out.extend_from_slice(b"corrupted data"),
            LzwErr::Bits(n) => {
                out.extend_from_slice(b"compressed with ");
                let mut b = [0u8; 20];
                out.extend_from_slice(crate::cx::fmt_u64(n as u64, &mut b));
                out.extend_from_slice(b" bits, can only handle 16 bits");
            }
        }
    }
}

/// Skips the rest of the current group of eight codes (compress pads each width's last
/// group out to a whole one).
fn skip_group(
    src: &mut Src,
    acc: &mut u64,
    nacc: &mut u32,
    in_group: &mut u32,
    n_bits: u32,
) -> Result<(), LzwErr> {
    let left = (8 - *in_group % 8) % 8;
    let mut bits = left * n_bits;
    *in_group = 0;
    let k = bits.min(*nacc);
    *acc = acc.checked_shr(k).unwrap_or(0);
    *nacc -= k;
    bits -= k;
    src.skip((bits / 8) as u64).map_err(LzwErr::Read)?;
    Ok(())
}

/// Decodes a whole `.Z` stream from `fd` (magic included) to `sink`.
pub fn decode(fd: i32, sink: &mut dyn FnMut(&[u8]) -> Result<(), i32>) -> Result<(), LzwErr> {
    let mut src = Src::new(fd);
    let h = match src.exact(3).map_err(LzwErr::Read)? {
        Some(h) if h[0] == 0x1f && h[1] == 0x9d => [h[0], h[1], h[2]],
        _ => return Err(LzwErr::Magic),
    };
    let maxbits = (h[2] & 0x1f).max(9);
    if maxbits > 16 {
        return Err(LzwErr::Bits(maxbits));
    }
    let block_mode = h[2] & 0x80 != 0;
    let maxmax: u32 = 1 << maxbits;
    let mut prefix = vec![0u16; 1 << 16];
    let mut suffix = vec![0u8; 1 << 16];
    for (i, s) in suffix.iter_mut().enumerate().take(256) {
        *s = i as u8;
    }
    let mut stack: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut out: Vec<u8> = Vec::with_capacity(crate::io::BLOCK);
    let mut n_bits: u32 = 9;
    // At the largest width every code up to the table's end is valid.
    let first_max = if maxbits == 9 { maxmax } else { (1 << 9) - 1 };
    let mut maxcode: u32 = first_max;
    let mut free_ent: u32 = if block_mode { 257 } else { 256 };
    let mut oldcode: Option<u32> = None;
    let mut finchar: u8 = 0;
    // Bits in `acc` (LSB first), and codes read since the width last changed.
    let (mut acc, mut nacc): (u64, u32) = (0, 0);
    let mut in_group: u32 = 0;
    let flush = |out: &mut Vec<u8>, sink: &mut dyn FnMut(&[u8]) -> Result<(), i32>| {
        let r = sink(out).map_err(LzwErr::Write);
        out.clear();
        r
    };
    loop {
        if free_ent > maxcode {
            skip_group(&mut src, &mut acc, &mut nacc, &mut in_group, n_bits)?;
            n_bits += 1;
            maxcode = if n_bits == maxbits as u32 {
                maxmax
            } else {
                (1 << n_bits) - 1
            };
        }
        while nacc < n_bits {
            let c = src.chunk(1).map_err(LzwErr::Read)?;
            let Some(&b) = c.first() else {
                // The end: a partial code is compress's padding.
                return flush(&mut out, sink);
            };
            acc |= (b as u64) << nacc;
            nacc += 8;
        }
        let mut code = (acc & ((1 << n_bits) - 1)) as u32;
        acc >>= n_bits;
        nacc -= n_bits;
        in_group += 1;
        let Some(old) = oldcode else {
            if code >= 256 {
                return Err(LzwErr::Corrupt);
            }
            oldcode = Some(code);
            finchar = code as u8;
            out.push(finchar);
            continue;
        };
        if code == 256 && block_mode {
            skip_group(&mut src, &mut acc, &mut nacc, &mut in_group, n_bits)?;
            free_ent = 256;
            n_bits = 9;
            maxcode = first_max;
            continue;
        }
        let incode = code;
        stack.clear();
        if code >= free_ent {
            if code > free_ent {
                return Err(LzwErr::Corrupt);
            }
            stack.push(finchar);
            code = old;
        }
        while code >= 256 {
            stack.push(suffix[code as usize]);
            code = prefix[code as usize] as u32;
            if stack.len() > 1 << 16 {
                return Err(LzwErr::Corrupt);
            }
        }
        finchar = suffix[code as usize];
        stack.push(finchar);
        out.extend(stack.iter().rev());
        if free_ent < maxmax {
            prefix[free_ent as usize] = old as u16;
            suffix[free_ent as usize] = finchar;
            free_ent += 1;
        }
        oldcode = Some(incode);
        if out.len() >= crate::io::BLOCK - (1 << 16) {
            flush(&mut out, sink)?;
        }
    }
}
