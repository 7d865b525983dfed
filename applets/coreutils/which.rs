//! applet: which
//! usage: which [-a] COMMAND...
//! Locate COMMAND
//!
//! -a  Show all matches

use crate::{paths, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "a", &[])?;
    if o.args.is_empty() {
        return Err(cx.usage());
    }
    let env = crate::sys::getenv(c"PATH");
    // BusyBox's default when PATH is unset.
    let path = env.as_deref().unwrap_or(b"/sbin:/usr/sbin:/bin:/usr/bin");
    let mut status = 0;
    let mut buf = Vec::new();
    for a in &o.args {
        let a = a.as_bytes();
        let mut found = false;
        if a.contains(&b'/') {
            if executable(a) {
                cx.out.line(a);
                found = true;
            }
        } else {
            for dir in path.split(|&c| c == b':') {
                buf.clear();
                if dir.is_empty() {
                    buf.extend_from_slice(a);
                } else {
                    buf.extend_from_slice(&paths::join(dir, a));
                }
                if executable(&buf) {
                    cx.out.line(&buf);
                    found = true;
                    if !o.has(b'a') {
                        break;
                    }
                }
            }
        }
        if !found {
            status = 1;
        }
    }
    Ok(status)
}

/// A regular file we may execute (BusyBox's file_is_executable).
fn executable(p: &[u8]) -> bool {
    let Some(c) = sys::cstr(p) else {
        return false;
    };
    // SAFETY: c is NUL-terminated.
    let x = unsafe { libc::access(c.as_ptr(), libc::X_OK) == 0 };
    x && paths::stat(p, true).is_ok_and(|s| s.st_mode & libc::S_IFMT == libc::S_IFREG)
}
