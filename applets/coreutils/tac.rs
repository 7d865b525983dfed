//! applet: tac
//! usage: tac [FILE]...
//! Concatenate FILEs and print them in reverse

use crate::io::Input;
use crate::{text, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "", &[])?;
    let dash: [&OsStr; 1] = [OsStr::new("-")];
    let files: &[&OsStr] = if o.args.is_empty() { &dash } else { &o.args };
    let mut st = 0;
    let mut data = Vec::new();
    for f in files {
        data.clear();
        let r = Input::open(f).and_then(|mut i| text::read_all(&mut i, &mut data));
        if let Err(e) = r {
            cx.err_no(f.as_bytes(), e);
            st = 1;
            continue;
        }
        // Lines from the last, each with its newline; a last line without one is printed
        // as it is, joined to the one before it (as GNU and BusyBox do).
        let mut end = data.len();
        while end > 0 {
            let start = crate::bytes::memrchr(b'\n', &data[..end - 1]).map_or(0, |i| i + 1);
            cx.out.write(&data[start..end]);
            end = start;
            if cx.out.err != 0 {
                return Ok(1);
            }
        }
    }
    Ok(st)
}
