//! applet: pipe_progress
//! usage: pipe_progress
//! Copy stdin to stdout, printing a dot on stderr each second data flows

use crate::{sys, Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, _args: &[&OsStr]) -> Res {
    // BusyBox's loop: 4 KiB reads, a dot whenever the clock's second has changed, a newline
    // at the end; a write error ends it quietly (BusyBox's full_write result is ignored).
    cx.out.flush();
    let mut buf = vec![0u8; 4096];
    let mut t = crate::time::now();
    loop {
        match sys::read(0, &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let now = crate::time::now();
                if now != t {
                    t = now;
                    let _ = sys::write_all(2, b".");
                }
                if sys::write_all(1, &buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = sys::write_all(2, b"\n");
    Ok(0)
}
