//! applet: split
//! usage: split [OPTIONS] [INPUT [PREFIX]]
//! -b N[k|m]  Split by N (kilo|mega)bytes
//! -l N  	Split by N lines
//! -a N  	Use N letters as suffix

use crate::io::BLOCK;
use crate::{sys, text, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

const SIZES: &[(&[u8], u64)] = &[
    (b"b", 512),
    (b"k", 1024),
    (b"m", 1024 * 1024),
    (b"g", 1024 * 1024 * 1024),
];

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "b:l:a:", &[])?;
    let (bytes, n) = match (o.val(b'b'), o.val(b'l')) {
        (Some(b), _) if o.last_of(b"bl") == Some(b'b') => (
            true,
            text::suffixed(b.as_bytes(), SIZES)
                .ok_or_else(|| cx.fail(&[b"invalid number '", b.as_bytes(), b"'"]))?,
        ),
        (_, Some(l)) => (false, cx.num_u64(l)?),
        _ => (false, 1000),
    };
    if n == 0 {
        return Err(cx.fail(&[b"invalid number '0'"]));
    }
    let width = match o.val(b'a') {
        Some(a) => cx.num_u64(a)?.clamp(1, 64) as usize,
        None => 2,
    };
    if o.args.len() > 2 {
        return Err(cx.usage());
    }
    let input = o.args.first().copied().unwrap_or(OsStr::new("-"));
    let prefix = o.args.get(1).map_or(&b"x"[..], |p| p.as_bytes());
    let Some(mut inp) = cx.open_input(input) else {
        return Ok(1);
    };
    let mut suffix = vec![b'a'; width];
    let mut name = Vec::new();
    let mut fd: i32 = -1;
    let mut left = 0u64; // lines or bytes still to go into the current piece
    let mut buf = vec![0u8; BLOCK];
    let mut first = true;
    let st = loop {
        let len = match inp.read(&mut buf) {
            Ok(0) => break 0,
            Ok(l) => l,
            Err(e) => {
                cx.err_no(b"read error", e);
                break 1;
            }
        };
        let mut data = &buf[..len];
        while !data.is_empty() {
            if left == 0 {
                // The next piece: xaa, xab, ... ; running out of names is an error.
                if fd >= 0 {
                    // SAFETY: our descriptor.
                    unsafe { libc::close(fd) };
                    if !next_suffix(&mut suffix) {
                        return Err(cx.fail(&[b"suffixes exhausted"]));
                    }
                } else if !first && !next_suffix(&mut suffix) {
                    return Err(cx.fail(&[b"suffixes exhausted"]));
                }
                first = false;
                name.clear();
                name.extend_from_slice(prefix);
                name.extend_from_slice(&suffix);
                let Some(c) = sys::cstr(&name) else { return Ok(1) };
                // SAFETY: a valid C string.
                fd = unsafe {
                    libc::open(
                        c.as_ptr(),
                        libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC,
                        0o666,
                    )
                };
                if fd < 0 {
                    cx.err_open(OsStr::from_bytes(&name), sys::errno());
                    return Ok(1);
                }
                left = n;
            }
            // How much of data goes into this piece.
            let take = if bytes {
                (left.min(data.len() as u64)) as usize
            } else {
                let mut t = data.len();
                for p in crate::bytes::memchr_iter(b'\n', data) {
                    left -= 1;
                    if left == 0 {
                        t = p + 1;
                        break;
                    }
                }
                t
            };
            if bytes {
                left -= take as u64;
            }
            if let Err(e) = sys::write_all(fd, &data[..take]) {
                cx.err_no(&name, e);
                return Ok(1);
            }
            data = &data[take..];
        }
    };
    if fd >= 0 {
        // SAFETY: our descriptor.
        unsafe { libc::close(fd) };
    }
    Ok(st)
}

/// aa -> ab -> ... -> zz; false after the last.
fn next_suffix(s: &mut [u8]) -> bool {
    for c in s.iter_mut().rev() {
        if *c < b'z' {
            *c += 1;
            return true;
        }
        *c = b'a';
    }
    false
}
