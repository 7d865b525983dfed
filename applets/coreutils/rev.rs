//! applet: rev
//! usage: rev [FILE]...
//! Reverse lines of FILE

use crate::{io, Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "", &[])?;
    let utf8 = crate::text::utf8_locale();
    let mut tmp = Vec::new();
    Ok(io::for_each_line(cx, &o.args, |cx, l| {
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
    }))
}
