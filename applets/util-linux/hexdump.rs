//! applet: hexdump
//! usage: hexdump [-bcdoxCv] [-e FMT] [-f FMT_FILE] [-n LEN] [-s OFS] [FILE]...
//! Display FILEs (or stdin) in a user specified format
//!
//! -b  	1-byte octal display
//! -c  	1-byte character display
//! -d  	2-byte decimal display
//! -o  	2-byte octal display
//! -x  	2-byte hex display
//! -C  	hex+ASCII 16 bytes per line
//! -v  	Show all (no dup folding)
//! -e FORMAT_STR	Example: '16/1 "%02x|""\n"'
//! -f FORMAT_FILE
//! -n LENGTH	Show only first LENGTH bytes
//! -s OFFSET	Skip OFFSET bytes

use crate::concat::{size_sfx, Concat};
use crate::dump::Dumper;
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

const FIRST: &[u8] = b"\"%07.7_Ax\n\"";
const C_FORMATS: [&[u8]; 3] = [
    b"\"%08.8_Ax\n\"",
    b"\"%08.8_ax  \" 8/1 \"%02x \" \"  \" 8/1 \"%02x \" ",
    b"\"  |\" 16/1 \"%_p\" \"|\\n\"",
];

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    run(cx, args, false)
}

/// hexdump, or hd (`-C` first, then the options).
pub fn run(cx: &mut Cx, args: &[&OsStr], hd: bool) -> Res {
    let o = cx.getopt(args, "bcdoxCe:f:n:s:v", &[])?;
    let mut d = Dumper::default();
    if hd {
        for f in C_FORMATS {
            d.add(cx, f)?;
        }
    }
    let mut length = None;
    let mut skip = 0u64;
    for &(c, v) in &o.seen {
        let v = v.map_or(&b""[..], |v| v.as_bytes());
        let fmt: &[u8] = match c {
            b'b' => b"\"%07.7_ax \" 16/1 \"%03o \" \"\\n\"",
            b'c' => b"\"%07.7_ax \" 16/1 \"%3_c \" \"\\n\"",
            b'd' => b"\"%07.7_ax \" 8/2 \"  %05u \" \"\\n\"",
            b'o' => b"\"%07.7_ax \" 8/2 \" %06o \" \"\\n\"",
            b'x' => b"\"%07.7_ax \" 8/2 \"   %04x \" \"\\n\"",
            b'C' => {
                for f in C_FORMATS {
                    d.add(cx, f)?;
                }
                continue;
            }
            b'e' => {
                d.add(cx, v)?;
                continue;
            }
            b'f' => {
                let p = OsStr::from_bytes(v);
                let text = std::fs::read(p).map_err(|e| {
                    cx.err_open(p, crate::sys::errno_of(&e));
                    crate::Fail(1)
                })?;
                for l in text.split(|&b| b == b'\n') {
                    let t = l.trim_ascii_start();
                    if !t.is_empty() && t[0] != b'#' {
                        d.add(cx, t)?;
                    }
                }
                continue;
            }
            b'n' => {
                length = Some(cx.num_u64(OsStr::from_bytes(v))?);
                continue;
            }
            b's' => {
                skip = size_sfx(v).ok_or_else(|| cx.fail(&[b"invalid number '", v, b"'"]))?;
                continue;
            }
            _ => continue,
        };
        d.add(cx, FIRST)?;
        d.add(cx, fmt)?;
    }
    if !hd && !o.seen.iter().any(|s| b"bcdoxCef".contains(&s.0)) {
        d.add(cx, FIRST)?;
        d.add(cx, b"\"%07.7_ax \" 8/2 \"%04x \" \"\\n\"")?;
    }
    let mut input = Concat::new(&o.args);
    let left = input.skip(cx, skip);
    d.run(cx, &mut input, skip - left, length, o.has(b'v'));
    Ok(input.status)
}
