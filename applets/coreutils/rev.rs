//! applet: rev
//! usage: rev [FILE]...
//! Reverse lines of FILE

use crate::io::{Input, Lines};
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "", &[])?;
    let dash: [&OsStr; 1] = [OsStr::new("-")];
    let files: &[&OsStr] = if o.args.is_empty() { &dash } else { &o.args };
    let utf8 = crate::text::utf8_locale();
    let mut st = 0;
    let mut tmp = Vec::new();
    for f in files {
        let inp = match Input::open(f) {
            Ok(i) => i,
            Err(e) => {
                cx.err_no(f.as_bytes(), e);
                st = 1;
                continue;
            }
        };
        let mut lines = Lines::new(inp);
        loop {
            let l = match lines.next_line() {
                Ok(Some(l)) => l,
                Ok(None) => break,
                Err(e) => {
                    cx.err_no(f.as_bytes(), e);
                    st = 1;
                    break;
                }
            };
            let (body, nl) = match l.strip_suffix(b"\n") {
                Some(b) => (b, true),
                None => (l, false),
            };
            tmp.clear();
            tmp.extend_from_slice(body);
            tmp.reverse();
            if utf8 {
                // Put each UTF-8 sequence back in order: its lead byte now ends it.
                let mut i = 0;
                while i < tmp.len() {
                    let mut j = i;
                    while j < tmp.len() && tmp[j] & 0xc0 == 0x80 {
                        j += 1;
                    }
                    if j < tmp.len() && j > i && tmp[j] >= 0xc0 {
                        tmp[i..=j].reverse();
                    }
                    i = j + 1;
                }
            }
            cx.out.write(&tmp);
            if nl {
                cx.out.byte(b'\n');
            }
            if cx.out.err != 0 {
                return Ok(1);
            }
        }
    }
    Ok(st)
}
