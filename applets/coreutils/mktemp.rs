//! applet: mktemp
//! dir: bin
//! usage: mktemp [-dt] [-p DIR] [TEMPLATE]
//! Create a temporary file with name based on TEMPLATE and print its name.
//! TEMPLATE must end with XXXXXX (e.g. [/dir/]nameXXXXXX).
//! Without TEMPLATE, -t tmp.XXXXXX is assumed.
//!
//! -d  Make directory, not file
//! -q  Fail silently on errors
//! -t  Prepend base directory name to TEMPLATE
//! -p DIR  Use DIR as a base directory (implies -t)
//! -u  Do not create anything; print a name
//!
//! Base directory is: -p DIR, else $TMPDIR, else /tmp

use crate::{paths, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "dqtp:u", &[])?;
    let (tmpl, mut t) = match o.args[..] {
        [] => (&b"tmp.XXXXXX"[..], true),
        [a] => (a.as_bytes(), o.has(b't')),
        _ => return Err(cx.usage()),
    };
    t |= o.has(b'p');
    let mut name = tmpl.to_vec();
    if t {
        let env = crate::sys::getenv(c"TMPDIR");
        let dir = o
            .val(b'p')
            .map(|p| p.as_bytes())
            .or(env.as_deref())
            .filter(|d| !d.is_empty())
            .unwrap_or(b"/tmp");
        name = paths::join(dir, tmpl);
    }
    match make(&mut name, o.has(b'd'), o.has(b'u')) {
        Ok(()) => {
            cx.out.line(&name);
            Ok(0)
        }
        Err(_) if o.has(b'q') => Ok(1),
        // BusyBox's glibc build prints "(null)" for the name here; we print the template.
        Err(e) => Err(cx.fail_no(&name, e)),
    }
}

/// Fills the trailing XXXXXX of `name` and creates it (unless `dry`); retries on EEXIST.
fn make(name: &mut [u8], dir: bool, dry: bool) -> Result<(), i32> {
    const CH: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    if !name.ends_with(b"XXXXXX") {
        return Err(libc::EINVAL);
    }
    let at = name.len() - 6;
    for _ in 0..1000 {
        let mut r = [0u8; 6];
        // SAFETY: r is writable for its length. A short read leaves zeros: still a name.
        unsafe { libc::getrandom(r.as_mut_ptr().cast(), r.len(), 0) };
        for (d, s) in name[at..].iter_mut().zip(r) {
            *d = CH[s as usize % CH.len()];
        }
        if dry {
            return Ok(());
        }
        let c = sys::cstr(name).ok_or(libc::EINVAL)?;
        // SAFETY: c is NUL-terminated; a new descriptor is closed at once.
        let ok = unsafe {
            if dir {
                libc::mkdir(c.as_ptr(), 0o700) == 0
            } else {
                let fd = libc::open(
                    c.as_ptr(),
                    libc::O_RDWR | libc::O_CREAT | libc::O_EXCL | libc::O_CLOEXEC,
                    0o600,
                );
                fd >= 0 && libc::close(fd) == 0
            }
        };
        if ok {
            return Ok(());
        }
        let e = sys::errno();
        if e != libc::EEXIST {
            return Err(e);
        }
    }
    Err(libc::EEXIST)
}
