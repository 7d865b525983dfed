//! applet: swapon
//! dir: sbin
//! usage: swapon [-a] [-e] [-d[POL]] [-p PRI] [DEVICE]
//! Start swapping on DEVICE
//!
//! -a  Start swapping on all swap devices
//! -d[POL]	Discard blocks at swapon (POL=once),
//! 	as freed (POL=pages), or both (POL omitted)
//! -e  Silently skip devices that do not exist
//! -p PRI	Set swap device priority

use crate::{mounts, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;

const PREFER: i32 = 0x8000;
const DISCARD: i32 = 0x10000;
const DISCARD_ONCE: i32 = 0x20000;
const DISCARD_PAGES: i32 = 0x40000;

/// swapon or swapoff one device, BusyBox's way: a file with holes is refused.
pub fn one(cx: &Cx, dev: &[u8], on: bool, flags: i32, skip_missing: bool) -> i32 {
    let meta = std::fs::metadata(OsStr::from_bytes(dev));
    if skip_missing && meta.is_err() {
        return 0;
    }
    if on {
        if let Ok(m) = &meta {
            if m.is_file() && m.blocks() * 512 < m.size() {
                cx.err(&[dev, b": file has holes"]);
                return 1;
            }
        }
    }
    let Some(c) = sys::cstr(dev) else { return 1 };
    // SAFETY: c is NUL-terminated.
    let r = unsafe {
        if on {
            libc::swapon(c.as_ptr(), flags)
        } else {
            libc::swapoff(c.as_ptr())
        }
    };
    if r != 0 {
        cx.err_no(dev, sys::errno());
        return 1;
    }
    0
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "aed::p:", &[])?;
    let mut flags = 0;
    if o.has(b'd') {
        flags |= DISCARD
            | match o.val(b'd').map(|v| v.as_bytes()) {
                Some(b"once") => DISCARD_ONCE,
                Some(b"pages") => DISCARD_PAGES,
                _ => 0,
            };
    }
    if let Some(p) = o.val(b'p') {
        let n = cx.num_u64(p)?.min(0x7fff) as i32;
        flags |= PREFER | n;
    }
    let skip = o.has(b'e');
    let mut status = 0;
    if o.has(b'a') {
        let tab = std::fs::read("/etc/fstab").map(|t| mounts::parse(&t)).unwrap_or_default();
        for e in tab.iter().filter(|e| e.fstype == b"swap") {
            if e.opts.split(|&c| c == b',').any(|x| x == b"noauto") {
                continue;
            }
            status |= one(cx, &e.fsname, true, flags, skip);
        }
        return Ok(status);
    }
    if o.args.is_empty() {
        return Err(cx.usage());
    }
    for d in &o.args {
        status |= one(cx, d.as_bytes(), true, flags, skip);
    }
    Ok(status)
}
