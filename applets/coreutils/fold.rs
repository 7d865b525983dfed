//! applet: fold
//! usage: fold [-bs] [-w WIDTH] [FILE]...
//! Wrap input lines in FILEs (or stdin), writing to stdout
//!
//! -b  Count bytes rather than columns
//! -s  Break at spaces
//! -w  Use WIDTH columns instead of 80

use crate::{io, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// The column after `c` at column `col` (POSIX: tab to the next multiple of 8, backspace
/// back one, carriage return to 0).
fn advance(col: usize, c: u8, bytes: bool) -> usize {
    if bytes {
        return col + 1;
    }
    match c {
        b'\t' => (col / 8 + 1) * 8,
        8 => col.saturating_sub(1),
        b'\r' => 0,
        _ => col + 1,
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "bsw:", &[])?;
    let width = match o.val(b'w') {
        None => 80,
        Some(w) => {
            let n = cx.num_u64(w)?;
            if !(1..=10000).contains(&n) {
                return Err(cx.fail(&[b"number ", w.as_bytes(), b" is not in 1..10000 range"]));
            }
            n as usize
        }
    };
    let (bytes, spaces) = (o.has(b'b'), o.has(b's'));
    Ok(io::for_each_line(cx, &o.args, |cx, l| {
        fold_line(cx, l, width, bytes, spaces)
    }))
}

fn fold_line(cx: &mut Cx, l: &[u8], width: usize, bytes: bool, spaces: bool) {
    let (body, nl) = match l.strip_suffix(b"\n") {
        Some(b) => (b, true),
        None => (l, false),
    };
    let mut start = 0;
    let mut col = 0;
    let mut i = 0;
    while i < body.len() {
        let c = body[i];
        let next = advance(col, c, bytes);
        if next > width && i > start {
            // Break before c; with -s after the last blank of this piece, if any.
            let mut cut = i;
            if spaces {
                if let Some(p) = body[start..i].iter().rposition(|&b| b == b' ' || b == b'\t') {
                    cut = start + p + 1;
                }
            }
            cx.out.write(&body[start..cut]);
            cx.out.byte(b'\n');
            start = cut;
            col = body[start..i].iter().fold(0, |c, &b| advance(c, b, bytes));
            continue;
        }
        col = next;
        i += 1;
    }
    cx.out.write(&body[start..]);
    if nl {
        cx.out.byte(b'\n');
    }
}
