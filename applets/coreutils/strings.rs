//! applet: strings
//! usage: strings [-fo] [-t o|d|x] [-n LEN] [FILE]...
//! Display printable strings in a binary file
//!
//! -f  	Precede strings with filenames
//! -o  	Precede strings with octal offsets
//! -t o|d|x	Precede strings with offsets in base 8/10/16
//! -n LEN  	At least LEN characters form a string (default 4)

use crate::io::{Input, BLOCK};
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // -a (scan the whole file) is what strings does anyway.
    let o = cx.getopt(args, "afon:t:", &[])?;
    let min = match o.val(b'n') {
        Some(v) => {
            let n = crate::printf::parse_uint_base0(v.as_bytes())
                .filter(|&n| n <= u32::MAX as u64)
                .ok_or_else(|| cx.fail(&[b"invalid number '", v.as_bytes(), b"'"]))?;
            if n < 1 || n > i32::MAX as u64 {
                let mut b = [0u8; 20];
                return Err(cx.fail(&[b"number ", crate::cx::fmt_u64(n, &mut b), b" is not in 1..2147483647 range"]));
            }
            n as usize
        }
        None => 4,
    };
    let radix = match (o.val(b't').map(|t| t.as_bytes()), o.has(b'o')) {
        (Some(b"o"), _) | (None, true) => Some(8),
        (Some(b"d"), _) => Some(10),
        (Some(b"x"), _) => Some(16),
        (Some(_), _) => return Err(cx.usage()),
        (None, false) => None,
    };
    let dash = [OsStr::new("-")];
    let files: &[&OsStr] = if o.args.is_empty() { &dash } else { &o.args };
    let mut status = 0;
    let mut buf = vec![0u8; BLOCK];
    let mut s: Vec<u8> = Vec::new();
    for &f in files {
        let mut inp = match Input::open(f) {
            Ok(i) => i,
            Err(e) => {
                cx.out.flush();
                cx.err_no(f.as_bytes(), e);
                status = 1;
                continue;
            }
        };
        let label: &[u8] = if o.args.is_empty() { b"{standard input}" } else { f.as_bytes() };
        let mut off: u64 = 0;
        let mut start: u64 = 0;
        s.clear();
        let emit = |cx: &mut Cx, s: &[u8], start: u64| {
            if o.has(b'f') {
                cx.out.write(label);
                cx.out.write(b": ");
            }
            if let Some(r) = radix {
                let t = match r {
                    8 => format!("{start:7o} "),
                    10 => format!("{start:7} "),
                    _ => format!("{start:7x} "),
                };
                cx.out.write(t.as_bytes());
            }
            cx.out.line(s);
        };
        loop {
            let n = match inp.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                // BusyBox reads with getc: a read error (a directory) is a quiet end.
                Err(_) => break,
            };
            for &c in &buf[..n] {
                if (b' '..0x7f).contains(&c) || c == b'\t' {
                    if s.is_empty() {
                        start = off;
                    }
                    s.push(c);
                } else {
                    if s.len() >= min {
                        emit(cx, &s, start);
                    }
                    s.clear();
                }
                off += 1;
            }
        }
        if s.len() >= min {
            emit(cx, &s, start);
        }
    }
    Ok(status)
}
