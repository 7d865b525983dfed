//! applet: tee
//! usage: tee [-ai] [FILE]...
//! Copy stdin to each FILE, and also to stdout
//!
//! -a  Append to the given FILEs, don't overwrite
//! -i  Ignore interrupt signals (SIGINT)

use crate::io::BLOCK;
use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "ai", &[("append", b'a'), ("ignore-interrupts", b'i')])?;
    if o.has(b'i') {
        // SAFETY: ignoring a signal changes no memory of ours.
        unsafe { libc::signal(libc::SIGINT, libc::SIG_IGN) };
    }
    let flags = libc::O_WRONLY
        | libc::O_CREAT
        | libc::O_CLOEXEC
        | if o.has(b'a') { libc::O_APPEND } else { libc::O_TRUNC };
    let mut st = 0;
    // (name, fd); stdout first. `-` is stdout again (BusyBox).
    let mut outs: Vec<(&[u8], i32, bool)> = vec![(b"standard output", 1, false)];
    for f in &o.args {
        if f.as_bytes() == b"-" {
            outs.push((b"standard output", 1, false));
            continue;
        }
        let Some(c) = sys::cstr(f.as_bytes()) else { continue };
        // SAFETY: a valid C string.
        let fd = unsafe { libc::open(c.as_ptr(), flags, 0o666) };
        if fd < 0 {
            cx.err_no(f.as_bytes(), sys::errno());
            st = 1;
            continue;
        }
        outs.push((f.as_bytes(), fd, true));
    }
    let mut buf = vec![0u8; BLOCK];
    let mut dead = vec![false; outs.len()];
    loop {
        let n = match sys::read(0, &mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                cx.err_no(b"read error", e);
                st = 1;
                break;
            }
        };
        // An output that fails is reported once and dropped; the others go on.
        for (k, &(name, fd, _)) in outs.iter().enumerate() {
            if dead[k] {
                continue;
            }
            if let Err(e) = sys::write_all(fd, &buf[..n]) {
                dead[k] = true;
                st = 1;
                if e != libc::EPIPE {
                    cx.err_no(name, e);
                }
            }
        }
    }
    for &(name, fd, owned) in &outs {
        // SAFETY: our descriptors.
        if owned && unsafe { libc::close(fd) } != 0 {
            cx.err_no(name, sys::errno());
            st = 1;
        }
    }
    Ok(st)
}
