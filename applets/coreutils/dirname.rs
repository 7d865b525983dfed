//! applet: dirname
//! usage: dirname FILENAME
//! Strip non-directory suffix from FILENAME

use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // No options, but a leading `--` is skipped (BusyBox's single_argv).
    let a = match args.get(1) {
        Some(a) if a.as_bytes() == b"--" => &args[1..],
        _ => args,
    };
    match a {
        [_, name] => {
            cx.out.line(dirname(name.as_bytes()));
            Ok(0)
        }
        _ => Err(cx.usage()),
    }
}

/// The directory part of `p`, as the C library's dirname(3) computes it on the glibc that
/// BusyBox is compared with: trailing slashes and the last component go, then the slashes
/// before it; "." when no slash is left; "/" for the root, but exactly two leading slashes
/// are kept ("//" and "//a" give "//"), which POSIX leaves to the implementation.
pub fn dirname(p: &[u8]) -> &[u8] {
    let leading = p.iter().take_while(|&&c| c == b'/').count();
    if leading == p.len() {
        // Only slashes (or empty).
        return match leading {
            0 => b".",
            2 => b"//",
            _ => b"/",
        };
    }
    let mut end = p.len();
    while p[end - 1] == b'/' {
        end -= 1;
    }
    let Some(slash) = crate::bytes::memrchr(b'/', &p[..end]) else {
        return b".";
    };
    let mut end = slash;
    while end > 0 && p[end - 1] == b'/' {
        end -= 1;
    }
    match end {
        0 if slash == 1 => b"//",
        0 => b"/",
        _ => &p[..end],
    }
}
