//! applet: swapoff
//! dir: sbin
//! usage: swapoff [-a] [DEVICE]
//! Stop swapping on DEVICE
//!
//! -a  Stop swapping on all swap devices

use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

fn off(cx: &Cx, dev: &[u8]) -> i32 {
    let Some(c) = sys::cstr(dev) else { return 1 };
    // SAFETY: c is NUL-terminated.
    if unsafe { libc::swapoff(c.as_ptr()) } != 0 {
        cx.err_no(dev, sys::errno());
        return 1;
    }
    0
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "ae", &[])?;
    let mut status = 0;
    if o.has(b'a') {
        // Everything in use now (/proc/swaps), then the fstab's swap lines.
        let swaps = std::fs::read("/proc/swaps").unwrap_or_default();
        for l in swaps.split(|&c| c == b'\n').skip(1) {
            if let Some(d) = l.split(|&c| c == b' ' || c == b'\t').find(|s| !s.is_empty()) {
                status |= off(cx, &crate::mounts::unescape(d));
            }
        }
        return Ok(status);
    }
    if o.args.is_empty() {
        return Err(cx.usage());
    }
    for d in &o.args {
        status |= off(cx, d.as_bytes());
    }
    Ok(status)
}
