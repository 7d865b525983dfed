//! applet: nl
//! usage: nl [OPTIONS] [FILE]...
//! Write FILEs to standard output with line numbers added
//!
//! -b STYLE  Which lines to number - a: all, t: nonempty, n: none
//! -i N  	Line number increment
//! -s STRING  Use STRING as line number separator
//! -v N  	Start from N
//! -w N  	Width of line numbers

use crate::{io, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // -n FORMAT (ln, rn, rz) goes beyond BusyBox 1.35, as GNU and POSIX have it.
    let o = cx.getopt(args, "b:i:s:v:w:n:", &[])?;
    let style = o.val(b'b').map_or(&b"t"[..], |s| s.as_bytes());
    let (all, none) = match style {
        b"a" => (true, false),
        b"t" => (false, false),
        b"n" => (false, true),
        _ => return Err(cx.fail(&[b"invalid style '", style, b"'"])),
    };
    let num = |c: u8, d: u64| -> Res<u64> { o.val(c).map_or(Ok(d), |v| cx.num_u64(v)) };
    let incr = num(b'i', 1)?;
    let mut n = num(b'v', 1)?;
    let width = num(b'w', 6)?.min(1 << 16) as usize;
    let sep = o.val(b's').map_or(&b"\t"[..], |s| s.as_bytes());
    let format = o.val(b'n').map_or(&b"rn"[..], |s| s.as_bytes());
    if !matches!(format, b"ln" | b"rn" | b"rz") {
        return Err(cx.fail(&[b"invalid line numbering format: '", format, b"'"]));
    }
    let blank_prefix = vec![b' '; width + sep.len()];
    Ok(io::for_each_line(cx, &o.args, |cx, l| {
        let body = l.strip_suffix(b"\n").unwrap_or(l);
        if none || (!all && body.is_empty()) {
            cx.out.write(&blank_prefix);
        } else {
            let mut b = [0u8; 20];
            let d = crate::cx::fmt_u64(n, &mut b);
            let pad = width.saturating_sub(d.len());
            match format {
                b"ln" => {
                    cx.out.write(d);
                    for _ in 0..pad {
                        cx.out.byte(b' ');
                    }
                }
                b"rz" => {
                    for _ in 0..pad {
                        cx.out.byte(b'0');
                    }
                    cx.out.write(d);
                }
                _ => {
                    for _ in 0..pad {
                        cx.out.byte(b' ');
                    }
                    cx.out.write(d);
                }
            }
            cx.out.write(sep);
            n = n.wrapping_add(incr);
        }
        cx.out.write(body);
        cx.out.byte(b'\n');
    }))
}
