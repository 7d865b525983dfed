//! The applets' usage texts: build.rs packs them all into one LZ77 stream
//! (`applets::HELP_LZ`), as BusyBox compresses its usage strings; an applet's `Help` is its
//! text's place in the unpacked whole, which is unpacked only when some help is shown.
//!
//! ```ignore
//! let text: Vec<u8> = cx.help.text(); // "Usage: ls [-1Aa...]\n\n..."
//! ```

use crate::applets::{HELP_LEN, HELP_LZ};

/// Offset and length of one usage text in the unpacked stream (`Help(0, 0)`: none).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Help(pub u32, pub u32);

impl Help {
    pub const NONE: Help = Help(0, 0);

    /// The text, unpacked.
    pub fn text(self) -> Vec<u8> {
        let (off, len) = (self.0 as usize, self.1 as usize);
        if len == 0 {
            return Vec::new();
        }
        let all = unpack(HELP_LZ, off + len);
        all.get(off..off + len)
            .map_or_else(Vec::new, |t| t.to_vec())
    }

    pub fn is_empty(self) -> bool {
        self.1 == 0
    }
}

/// Unpacks `z` (build.rs's format: a token T < 0x80 is followed by T+1 literal bytes;
/// T >= 0x80 copies (T & 0x7f) + 3 bytes from a 16-bit little-endian distance back) up to
/// at least `want` bytes. A malformed stream just ends early (it is built in).
fn unpack(z: &[u8], want: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(want.min(HELP_LEN));
    let mut i = 0;
    while out.len() < want {
        let Some(&t) = z.get(i) else { break };
        i += 1;
        if t < 0x80 {
            let n = t as usize + 1;
            let Some(lit) = z.get(i..i + n) else { break };
            out.extend_from_slice(lit);
            i += n;
        } else {
            let (Some(&a), Some(&b)) = (z.get(i), z.get(i + 1)) else {
                break;
            };
            i += 2;
            let d = u16::from_le_bytes([a, b]) as usize;
            if d == 0 || d > out.len() {
                break;
            }
            for _ in 0..(t & 0x7f) as usize + 3 {
                out.push(out[out.len() - d]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_text_unpacks() {
        for a in crate::applets::APPLETS {
            let t = a.help.text();
            assert!(t.starts_with(b"Usage: "), "{}", a.name);
        }
        let all = super::unpack(super::HELP_LZ, usize::MAX);
        assert_eq!(all.len(), super::HELP_LEN);
    }
}
