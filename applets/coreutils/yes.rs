//! applet: yes
//! usage: yes [STRING]...
//! Repeatedly output a line with all specified STRING(s), or 'y'.

use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let mut line = Vec::new();
    for (i, a) in args.iter().skip(1).enumerate() {
        if i > 0 {
            line.push(b' ');
        }
        line.extend_from_slice(a.as_bytes());
    }
    if args.len() < 2 {
        line.push(b'y');
    }
    line.push(b'\n');
    // Fill a block with whole copies of the line, so each write(2) moves many lines.
    let mut block = line.clone();
    while block.len() < 16 * 1024 {
        block.extend_from_slice(&line);
    }
    // Ends by SIGPIPE or, if that is ignored, by the write error.
    while cx.out.err == 0 {
        cx.out.write(&block);
    }
    Ok(1)
}
