//! applet: rmdir
//! dir: bin
//! usage: rmdir [-p] DIRECTORY...
//! Remove DIRECTORY if it is empty
//!
//! -p  Include parents
//! --ignore-fail-on-non-empty

use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "pv\x01",
        &[
            ("parents", b'p'),
            ("ignore-fail-on-non-empty", 1),
            ("verbose", b'v'),
        ],
    )?;
    if o.args.is_empty() {
        return Err(cx.usage());
    }
    let mut status = 0;
    for a in &o.args {
        let mut path = a.as_bytes();
        loop {
            if o.has(b'v') {
                cx.out.write(b"rmdir: removing directory, '");
                cx.out.write(path);
                cx.out.write(b"'\n");
            }
            // SAFETY: a NUL-terminated path.
            let r = match crate::sys::cstr(path) {
                Some(c) if unsafe { libc::rmdir(c.as_ptr()) } == 0 => Ok(()),
                Some(_) => Err(crate::sys::errno()),
                None => Err(libc::EINVAL),
            };
            match r {
                Err(e) => {
                    if o.has(1) && e == libc::ENOTEMPTY {
                        break;
                    }
                    cx.err(&[b"'", path, b"': ", crate::sys::strerror(e)]);
                    status = 1;
                }
                Ok(()) if o.has(b'p') => {
                    path = dirname(path);
                    // BusyBox goes on until dirname gives ".", so "/a" ends trying "/".
                    if path != b"." {
                        continue;
                    }
                }
                Ok(()) => {}
            }
            break;
        }
    }
    Ok(status)
}

/// POSIX dirname: "a/b/" -> "a", "a" -> ".", "/a" -> "/".
pub fn dirname(p: &[u8]) -> &[u8] {
    let mut end = p.len();
    while end > 1 && p[end - 1] == b'/' {
        end -= 1;
    }
    match p[..end].iter().rposition(|&c| c == b'/') {
        None => b".",
        Some(mut i) => {
            while i > 0 && p[i - 1] == b'/' {
                i -= 1;
            }
            if i == 0 {
                b"/"
            } else {
                &p[..i]
            }
        }
    }
}
