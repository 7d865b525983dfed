//! applet: dmesg
//! usage: dmesg [-cr] [-n LEVEL] [-s SIZE]
//! Print or control the kernel ring buffer
//!
//! -c  	Clear ring buffer after printing
//! -n LEVEL	Set console logging level
//! -s SIZE		Buffer size
//! -r  	Print raw message buffer

use crate::{sys, Cx, Res};
use std::ffi::OsStr;

extern "C" {
    fn klogctl(kind: libc::c_int, buf: *mut libc::c_char, len: libc::c_int) -> libc::c_int;
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "cs:n:r", &[])?;
    if let Some(n) = o.val(b'n') {
        let level = cx.num_u64(n)?.min(i32::MAX as u64) as i32;
        // SAFETY: SYSLOG_ACTION_CONSOLE_LEVEL takes no buffer.
        if unsafe { klogctl(8, std::ptr::null_mut(), level) } < 0 {
            return Err(cx.fail_no(b"klogctl", sys::errno()));
        }
        return Ok(0);
    }
    let mut len = match o.val(b's') {
        Some(s) => cx.num_u64(s)?.min(i32::MAX as u64) as i64,
        // SAFETY: SYSLOG_ACTION_SIZE_BUFFER takes no buffer.
        None => (unsafe { klogctl(10, std::ptr::null_mut(), 0) }) as i64,
    };
    len = len.clamp(16 * 1024, 16 * 1024 * 1024);
    let mut buf = vec![0u8; len as usize];
    let kind = if o.has(b'c') { 4 } else { 3 };
    // SAFETY: buf has `len` writable bytes.
    let n = unsafe { klogctl(kind, buf.as_mut_ptr().cast(), len as i32) };
    if n < 0 {
        return Err(cx.fail_no(b"klogctl", sys::errno()));
    }
    let buf = &buf[..n as usize];
    if buf.is_empty() {
        return Ok(0);
    }
    if o.has(b'r') {
        cx.out.write(buf);
        if buf.last() != Some(&b'\n') {
            cx.out.byte(b'\n');
        }
        return Ok(0);
    }
    // Without -r the `<N>` level at the start of each line is dropped.
    let mut last = b'\n';
    let mut i = 0;
    let mut out = Vec::with_capacity(buf.len());
    while i < buf.len() {
        if last == b'\n' && buf[i] == b'<' {
            while i < buf.len() && buf[i] != b'>' {
                i += 1;
            }
            i += 1;
        } else {
            last = buf[i];
            out.push(last);
            i += 1;
        }
    }
    if last != b'\n' {
        out.push(b'\n');
    }
    cx.out.write(&out);
    Ok(0)
}
