//! applet: crc32
//! usage: crc32 FILE...
//! Calculate CRC32 checksum of FILEs

use crate::{crc, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "", &[])?;
    let t = crc::table(true);
    let dash = [OsStr::new("-")];
    let named = !o.args.is_empty();
    let files: &[&OsStr] = if named { &o.args } else { &dash };
    let mut status = 0;
    for &f in files {
        let mut c = !0u32;
        match crc::each_block(cx, f, |b| {
            for &x in b {
                c = t[((c ^ x as u32) & 0xff) as usize] ^ (c >> 8);
            }
        }) {
            crc::Fed::Ok => {}
            crc::Fed::NoOpen => {
                status = 1;
                continue;
            }
            // BusyBox's crc32 stops at a read error.
            crc::Fed::ReadError => return Ok(1),
        }
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let v = !c;
        let h: Vec<u8> = (0..8).rev().map(|k| HEX[(v >> (4 * k) & 15) as usize]).collect();
        cx.out.write(&h);
        if named {
            cx.out.byte(b' ');
            cx.out.write(f.as_bytes());
        }
        cx.out.byte(b'\n');
    }
    Ok(status)
}
