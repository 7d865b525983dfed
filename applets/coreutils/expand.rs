//! applet: expand
//! usage: expand [-i] [-t N] [FILE]...
//! Convert tabs to spaces, writing to stdout
//!
//! -i  Don't convert tabs after non blanks
//! -t  Tabstops every N chars

use crate::{io, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "it:", &[("initial", b'i'), ("tabs", b't')])?;
    let ts = tab_size(cx, o.val(b't'))?;
    let initial = o.has(b'i');
    Ok(io::for_each_line(cx, &o.args, |cx, l| {
        let mut col = 0usize;
        let mut leading = true;
        let mut from = 0;
        for (i, &c) in l.iter().enumerate() {
            if c == b'\t' && (leading || !initial) {
                cx.out.write(&l[from..i]);
                from = i + 1;
                let n = ts - col % ts;
                for _ in 0..n {
                    cx.out.byte(b' ');
                }
                col += n;
                continue;
            }
            // Every other byte is one column (BusyBox, backspace included).
            if c != b' ' && c != b'\t' {
                leading = false;
            }
            col = if c == b'\n' { 0 } else { col + 1 };
        }
        cx.out.write(&l[from..]);
    }))
}

/// -t N: one tab size, 1 or more (BusyBox's message for 0).
fn tab_size(cx: &Cx, v: Option<&OsStr>) -> Res<usize> {
    let Some(v) = v else { return Ok(8) };
    let n = cx.num_u64(v)?;
    if n == 0 || n > u32::MAX as u64 {
        let b = v.as_bytes();
        return Err(cx.fail(&[b"number ", b, b" is not in 1..4294967295 range"]));
    }
    Ok(n as usize)
}
