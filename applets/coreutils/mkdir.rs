//! applet: mkdir
//! dir: bin
//! usage: mkdir [-m MODE] [-p] DIRECTORY...
//! Create DIRECTORY
//!
//! -m MODE  Mode
//! -p  No error if exists; make parent directories as needed

use crate::{mode, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "m:pv",
        &[("mode", b'm'), ("parents", b'p'), ("verbose", b'v')],
    )?;
    let mut want = None;
    if let Some(m) = o.val(b'm') {
        match mode::parse(m.as_bytes(), 0o777, mode::umask()) {
            Some(m) => want = Some(m),
            None => return Err(cx.fail(&[b"invalid mode '", m.as_bytes(), b"'"])),
        }
    }
    if o.args.is_empty() {
        return Err(cx.usage());
    }
    let mut status = 0;
    for a in &o.args {
        if make(cx, a.as_bytes(), want, o.has(b'p'), o.has(b'v')).is_err() {
            status = 1;
        }
    }
    Ok(status)
}

/// BusyBox's bb_make_directory: with `parents`, each prefix ending in `/` is made in turn
/// (with u+wx forced, so the next can be made inside), the last with the caller's umask;
/// `mode` is applied by chmod to a directory this call created, so it ignores the umask.
pub fn make(cx: &mut Cx, path: &[u8], mode: Option<u32>, parents: bool, verbose: bool) -> Result<(), ()> {
    if path == b"/" || path == b"." {
        return Ok(());
    }
    // SAFETY: umask cannot fail.
    let org = unsafe { libc::umask(0) };
    let r = make_in(cx, path, mode, parents, verbose, org);
    // SAFETY: as above.
    unsafe { libc::umask(org) };
    r
}

fn make_in(
    cx: &mut Cx,
    path: &[u8],
    mode: Option<u32>,
    parents: bool,
    verbose: bool,
    org: libc::mode_t,
) -> Result<(), ()> {
    let mut s = 0;
    loop {
        let mut end = path.len();
        if parents {
            // Past the next run of slashes: that prefix is the next directory to make.
            while s < path.len() {
                if path[s] == b'/' {
                    while s < path.len() && path[s] == b'/' {
                        s += 1;
                    }
                    break;
                }
                s += 1;
            }
            end = s;
        }
        let last = end >= path.len();
        let part = &path[..end];
        // libc calls on one C string, not nix's path conversion at each of three calls.
        let Some(c) = sys::cstr(part) else {
            return fail(cx, b"create", part, libc::EINVAL);
        };
        // SAFETY: c is NUL-terminated; st is plain data stat fills in.
        unsafe {
            libc::umask(if last { org } else { org & !0o300 });
            if libc::mkdir(c.as_ptr(), 0o777) == 0 {
                if verbose {
                    cx.out.write(b"created directory: '");
                    cx.out.write(part);
                    cx.out.write(b"'\n");
                }
            } else {
                let e = sys::errno();
                if !(parents && (e == libc::EEXIST || e == libc::EISDIR)) {
                    return fail(cx, b"create", part, e);
                }
                let mut st: libc::stat = std::mem::zeroed();
                if libc::stat(c.as_ptr(), &mut st) != 0 {
                    return fail(cx, b"create", part, sys::errno());
                }
                if st.st_mode & libc::S_IFMT != libc::S_IFDIR {
                    return fail(cx, b"create", part, e);
                }
                if last {
                    return Ok(());
                }
            }
            if last {
                if let Some(m) = mode {
                    if libc::chmod(c.as_ptr(), m) != 0 {
                        return fail(cx, b"set permissions of", part, sys::errno());
                    }
                }
                return Ok(());
            }
        }
    }
}

fn fail(cx: &Cx, what: &[u8], path: &[u8], e: i32) -> Result<(), ()> {
    cx.err(&[b"can't ", what, b" directory '", path, b"': ", sys::strerror(e)]);
    Err(())
}
