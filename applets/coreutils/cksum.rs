//! applet: cksum
//! usage: cksum FILE...
//! Calculate the CRC32 checksums of FILEs

use crate::{crc, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "", &[])?;
    let t = crc::table(false);
    let dash = [OsStr::new("-")];
    let named = !o.args.is_empty();
    let files: &[&OsStr] = if named { &o.args } else { &dash };
    let mut status = 0;
    for &f in files {
        let mut c = 0u32;
        let mut len = 0u64;
        match crc::each_block(cx, f, |b| {
            len += b.len() as u64;
            for &x in b {
                c = (c << 8) ^ t[((c >> 24) ^ x as u32) as usize];
            }
        }) {
            crc::Fed::Ok => {}
            _ => {
                status = 1;
                continue;
            }
        }
        // POSIX: the length follows the data, least significant byte first.
        let mut n = len;
        while n > 0 {
            c = (c << 8) ^ t[((c >> 24) ^ (n & 0xff) as u32) as usize];
            n >>= 8;
        }
        cx.out.num(!c as u64);
        cx.out.byte(b' ');
        cx.out.num(len);
        if named {
            cx.out.byte(b' ');
            cx.out.write(f.as_bytes());
        }
        cx.out.byte(b'\n');
    }
    Ok(status)
}
