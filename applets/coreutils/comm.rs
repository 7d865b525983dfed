//! applet: comm
//! usage: comm [-123] FILE1 FILE2
//! Compare FILE1 with FILE2
//!
//! -1  Suppress lines unique to FILE1
//! -2  Suppress lines unique to FILE2
//! -3  Suppress lines common to both files

use crate::io::Lines;
use crate::{Cx, Res};
use std::cmp::Ordering;
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "123", &[])?;
    let [f1, f2] = o.args[..] else {
        return Err(cx.usage());
    };
    let show = [!o.has(b'1'), !o.has(b'2'), !o.has(b'3')];
    // Column k is indented by a tab for each shown column before it.
    let indent = |k: usize| show[..k].iter().filter(|&&s| s).count();
    let open = |f: &OsStr| cx.open_input(f).map(Lines::new);
    let (Some(mut a), Some(mut b)) = (open(f1), open(f2)) else {
        return Ok(1);
    };
    // GNU's order check: a line smaller than the one before it is reported once per file,
    // and the exit status is then 1.
    let mut prev: [Option<Vec<u8>>; 2] = [None, None];
    let mut warned = [false, false];
    let mut st = 0;
    let mut next = |cx: &Cx, l: &mut Lines, k: usize, warned: &mut [bool; 2]| -> Res<Option<Vec<u8>>> {
        match l.next_line() {
            Ok(Some(s)) => {
                let s = s.strip_suffix(b"\n").unwrap_or(s).to_vec();
                if let Some(p) = &prev[k] {
                    if !warned[k] && p.as_slice() > s.as_slice() {
                        warned[k] = true;
                        cx.err(&[b"file ", &[b'1' + k as u8], b" is not in sorted order"]);
                    }
                }
                prev[k] = Some(s.clone());
                Ok(Some(s))
            }
            Ok(None) => Ok(None),
            Err(e) => Err(cx.fail_no(b"read error", e)),
        }
    };
    let mut la = next(cx, &mut a, 0, &mut warned)?;
    let mut lb = next(cx, &mut b, 1, &mut warned)?;
    loop {
        let ord = match (&la, &lb) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(x), Some(y)) => crate::text::cmp_bytes(x, y),
        };
        let (col, line) = match ord {
            Ordering::Less => (0, la.take()),
            Ordering::Greater => (1, lb.take()),
            Ordering::Equal => {
                lb = None;
                (2, la.take())
            }
        };
        if show[col] {
            for _ in 0..indent(col) {
                cx.out.byte(b'\t');
            }
            cx.out.write(line.as_deref().unwrap_or_default());
            cx.out.byte(b'\n');
        }
        if la.is_none() {
            la = next(cx, &mut a, 0, &mut warned)?;
        }
        if lb.is_none() && ord != Ordering::Less {
            lb = next(cx, &mut b, 1, &mut warned)?;
        }
        if cx.out.err != 0 {
            return Ok(1);
        }
    }
    if warned[0] || warned[1] {
        cx.err(&[b"input is not in sorted order"]);
        st = 1;
    }
    Ok(st)
}
