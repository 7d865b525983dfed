//! applet: unexpand
//! usage: unexpand [-fa][-t N] [FILE]...
//! Convert spaces to tabs, writing to stdout
//!
//! -a  Convert all blanks
//! -f  Convert only leading blanks
//! -t N  Tabstops every N chars

use crate::{io, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "ft:a",
        &[("first-only", b'f'), ("tabs", b't'), ("all", b'a')],
    )?;
    let ts = match o.val(b't') {
        None => 8,
        Some(v) => {
            let n = cx.num_u64(v)?;
            if n == 0 || n > u32::MAX as u64 {
                let b = v.as_bytes();
                return Err(cx.fail(&[b"number ", b, b" is not in 1..4294967295 range"]));
            }
            n as usize
        }
    };
    // -t implies -a, -f undoes it (GNU, which BusyBox follows).
    let all = (o.has(b'a') || o.has(b't')) && !o.has(b'f');
    Ok(io::for_each_line(cx, &o.args, |cx, l| line(cx, l, ts, all)))
}

/// Runs of blanks become tabs for each tab stop they reach, then the spaces left. Without
/// -a only the line's first run is converted (BusyBox).
fn line(cx: &mut Cx, l: &[u8], ts: usize, all: bool) {
    let mut col = 0usize;
    let mut i = 0;
    let mut done = false;
    while i < l.len() {
        let c = l[i];
        if (c == b' ' || c == b'\t') && !done {
            let start = col;
            let mut j = i;
            while j < l.len() && (l[j] == b' ' || l[j] == b'\t') {
                col = if l[j] == b'\t' { (col / ts + 1) * ts } else { col + 1 };
                j += 1;
            }
            let first_stop = (start / ts + 1) * ts;
            if first_stop > col {
                // No tab stop reached: the blanks stay as they are.
                cx.out.write(&l[i..j]);
            } else {
                let mut p = start;
                while (p / ts + 1) * ts <= col {
                    cx.out.byte(b'\t');
                    p = (p / ts + 1) * ts;
                }
                for _ in p..col {
                    cx.out.byte(b' ');
                }
            }
            i = j;
            done = !all;
            continue;
        }
        let run = l[i..]
            .iter()
            .position(|&b| b == b' ' || b == b'\t')
            .unwrap_or(l.len() - i);
        let run = if done { l.len() - i } else { run };
        for &b in &l[i..i + run] {
            col = if b == b'\n' { 0 } else { col + 1 };
        }
        cx.out.write(&l[i..i + run]);
        i += run;
    }
}
