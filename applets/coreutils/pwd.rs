//! applet: pwd
//! dir: bin
//! usage: pwd [-LP]
//! Print the full filename of the current working directory
//!
//! -L  Use $PWD if it names the current directory
//! -P  Print the physical path, symlinks resolved (default)

use crate::{sys, Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // Operands are ignored. -L wins whatever the order, and -P is the default: BusyBox
    // chose that because most scripts expect it, though POSIX's default is -L.
    let o = cx.getopt(args, "LP", &[])?;
    if o.has(b'L') {
        if let Some(wd) = logical() {
            cx.out.line(&wd);
            return Ok(0);
        }
    }
    match getcwd() {
        Ok(wd) => {
            cx.out.line(&wd);
            Ok(0)
        }
        Err(e) => Err(cx.fail_no(b"getcwd", e)),
    }
}

/// $PWD when it is absolute, has no `.` or `..` component and is the current directory.
fn logical() -> Option<Vec<u8>> {
    let wd = crate::sys::getenv(c"PWD")?;
    let b = &wd[..];
    if b.first() != Some(&b'/') || b.split(|&c| c == b'/').any(|c| c == b"." || c == b"..") {
        return None;
    }
    let (a, d) = (crate::paths::stat(b, true).ok()?, crate::paths::stat(b".", true).ok()?);
    (a.st_ino == d.st_ino && a.st_dev == d.st_dev).then_some(wd)
}

/// getcwd(3) into a buffer grown until the path fits. Err is the errno.
fn getcwd() -> Result<Vec<u8>, i32> {
    let mut buf = vec![0u8; 4096];
    loop {
        // SAFETY: buf is writable for its whole length.
        let p = unsafe { libc::getcwd(buf.as_mut_ptr().cast(), buf.len()) };
        if !p.is_null() {
            let n = crate::bytes::memchr(0, &buf).unwrap_or(buf.len());
            buf.truncate(n);
            return Ok(buf);
        }
        match sys::errno() {
            libc::ERANGE if buf.len() < 1 << 20 => buf.resize(buf.len() * 2, 0),
            e => return Err(e),
        }
    }
}
