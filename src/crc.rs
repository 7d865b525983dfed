//! CRC-32 tables for crc32 (zlib's reflected CRC) and cksum (POSIX, MSB first), and the
//! loop that feeds a file through a sum, shared by crc32, cksum and sum.

use crate::io::BLOCK;
use crate::Cx;
use std::ffi::OsStr;

/// The 256-entry table: `reflected` for zlib's CRC-32 (0xEDB88320), else POSIX's
/// (0x04C11DB7, most significant bit first).
pub fn table(reflected: bool) -> [u32; 256] {
    let mut t = [0u32; 256];
    for (i, e) in t.iter_mut().enumerate() {
        let mut c = if reflected {
            i as u32
        } else {
            (i as u32) << 24
        };
        for _ in 0..8 {
            c = if reflected {
                if c & 1 != 0 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                }
            } else if c & 0x8000_0000 != 0 {
                (c << 1) ^ 0x04c1_1db7
            } else {
                c << 1
            };
        }
        *e = c;
    }
    t
}

/// How [`each_block`] ended.
#[derive(PartialEq, Eq)]
pub enum Fed {
    Ok,
    /// Reported `can't open`.
    NoOpen,
    /// Reported `NAME: strerror`.
    ReadError,
}

/// Reads `name` (`-`: stdin) in blocks through `f`, reporting what goes wrong.
pub fn each_block(cx: &mut Cx, name: &OsStr, mut f: impl FnMut(&[u8])) -> Fed {
    let Some(mut inp) = ({
        cx.out.flush();
        cx.open_input(name)
    }) else {
        return Fed::NoOpen;
    };
    let mut buf = vec![0u8; BLOCK];
    loop {
        match inp.read(&mut buf) {
            Ok(0) => return Fed::Ok,
            Ok(n) => f(&buf[..n]),
            Err(e) => {
                cx.out.flush();
                use std::os::unix::ffi::OsStrExt;
                cx.err_no(name.as_bytes(), e);
                return Fed::ReadError;
            }
        }
    }
}
