//! applet: sum
//! usage: sum [-rs] [FILE]...
//! Checksum and count the blocks in a file
//!
//! -r  Use BSD sum algorithm (1K blocks)
//! -s  Use System V sum algorithm (512byte blocks)

use crate::{crc, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "rs", &[])?;
    // -s wins over -r, whatever the order (BusyBox).
    let sysv = o.has(b's');
    let dash = [OsStr::new("-")];
    let files: &[&OsStr] = if o.args.is_empty() { &dash } else { &o.args };
    // BusyBox names the file for System V, or when there are several.
    let named = !o.args.is_empty() && (sysv || o.args.len() > 1);
    let mut status = 0;
    for &f in files {
        let (mut s, mut total) = (0u32, 0u64);
        match crc::each_block(cx, f, |b| {
            total += b.len() as u64;
            for &x in b {
                if sysv {
                    s = s.wrapping_add(x as u32);
                } else {
                    s = (s >> 1) + ((s & 1) << 15);
                    s = (s + x as u32) & 0xffff;
                }
            }
        }) {
            crc::Fed::Ok => {}
            _ => {
                status = 1;
                continue;
            }
        }
        let line = if sysv {
            let r = (s & 0xffff) + ((s & 0xffff_ffff) >> 16);
            let r = (r & 0xffff) + (r >> 16);
            format!("{} {}", r, total.div_ceil(512))
        } else {
            format!("{:05} {:5}", s, total.div_ceil(1024))
        };
        cx.out.write(line.as_bytes());
        if named {
            cx.out.byte(b' ');
            cx.out.write(f.as_bytes());
        }
        cx.out.byte(b'\n');
    }
    Ok(status)
}
