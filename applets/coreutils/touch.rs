//! applet: touch
//! dir: bin
//! usage: touch [-cham] [-d DATE] [-t DATE] [-r FILE] FILE...
//! Update mtime of FILEs
//!
//! -c  Don't create files
//! -h  Don't follow links
//! -a  Change only atime
//! -m  Change only mtime
//! -d DT  Date/time to use
//! -t DT  Date/time to use
//! -r FILE  Use FILE's date/time

use crate::{datespec, paths, sys, time, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "cd:t:r:hma",
        &[
            ("no-create", b'c'),
            ("date", b'd'),
            ("reference", b'r'),
            ("no-dereference", b'h'),
        ],
    )?;
    if o.args.is_empty() {
        return Err(cx.usage());
    }
    let now = libc::timespec {
        tv_sec: 0,
        tv_nsec: libc::UTIME_NOW,
    };
    let mut ts = [now, now];
    if let Some(r) = o.val(b'r') {
        let st = paths::stat(r.as_bytes(), true)
            .map_err(|e| cx.fail_path(b"can't stat", r.as_bytes(), e))?;
        ts[0] = libc::timespec {
            tv_sec: st.st_atime,
            tv_nsec: st.st_atime_nsec,
        };
        ts[1] = libc::timespec {
            tv_sec: st.st_mtime,
            tv_nsec: st.st_mtime_nsec,
        };
    }
    // -d and -t take the same formats in BusyBox; the last given wins.
    let date = o.seen.iter().rev().find(|s| matches!(s.0, b'd' | b't')).and_then(|s| s.1);
    if let Some(d) = date {
        let t = datespec::parse(d.as_bytes(), time::now())
            .ok_or_else(|| cx.fail(&[b"invalid date '", d.as_bytes(), b"'"]))?;
        let t = libc::timespec {
            tv_sec: t as _,
            tv_nsec: 0,
        };
        ts = [t, t];
    }
    if o.has(b'a') && !o.has(b'm') {
        ts[1].tv_nsec = libc::UTIME_OMIT;
    }
    if o.has(b'm') && !o.has(b'a') {
        ts[0].tv_nsec = libc::UTIME_OMIT;
    }
    let flags = if o.has(b'h') { libc::AT_SYMLINK_NOFOLLOW } else { 0 };
    let mut status = 0;
    for f in &o.args {
        let Some(c) = sys::cstr(f.as_bytes()) else {
            cx.err_no(f.as_bytes(), libc::EINVAL);
            status = 1;
            continue;
        };
        // SAFETY: c is NUL-terminated, ts two valid timespecs.
        if unsafe { libc::utimensat(libc::AT_FDCWD, c.as_ptr(), ts.as_ptr(), flags) } == 0 {
            continue;
        }
        let mut e = sys::errno();
        if e == libc::ENOENT {
            if o.has(b'c') {
                continue;
            }
            // SAFETY: as above; the descriptor is closed right after.
            let fd = unsafe { libc::open(c.as_ptr(), libc::O_RDWR | libc::O_CREAT | libc::O_CLOEXEC, 0o666) };
            if fd >= 0 {
                if o.has(b'r') || date.is_some() {
                    // SAFETY: fd is open; ts valid.
                    unsafe { libc::futimens(fd, ts.as_ptr()) };
                }
                // SAFETY: we own fd.
                unsafe { libc::close(fd) };
                continue;
            }
            e = sys::errno();
        }
        cx.err_no(f.as_bytes(), e);
        status = 1;
    }
    Ok(status)
}
