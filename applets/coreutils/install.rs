//! applet: install
//! usage: install [-cdDsp] [-o USER] [-g GRP] [-m MODE] [-t DIR] [SOURCE]... DEST
//! Copy files and set attributes
//!
//! -c  Just copy (default)
//! -d  Create directories
//! -D  Create leading target directories
//! -s  Strip symbol table
//! -p  Preserve date
//! -o USER  Set ownership
//! -g GRP  Set group ownership
//! -m MODE  Set permissions
//! -t DIR  Install to DIR
//! -T  DEST is a file, never a directory
//! -v  Verbose

use crate::copy::{Copier, Deref, Opts};
use crate::users::Users;
use crate::{paths, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "cvdDpsg:m:o:t:T",
        &[
            ("directory", b'd'),
            ("preserve-timestamps", b'p'),
            ("strip", b's'),
            ("group", b'g'),
            ("mode", b'm'),
            ("owner", b'o'),
            ("target-directory", b't'),
            ("no-target-directory", b'T'),
            ("verbose", b'v'),
        ],
    )?;
    if o.has(b'd') && (o.has(b't') || o.has(b's')) {
        return Err(cx.usage());
    }
    let mode = match o.val(b'm') {
        Some(m) => crate::mode::parse(m.as_bytes(), 0o755, crate::mode::umask())
            .ok_or_else(|| cx.fail(&[b"invalid mode '", m.as_bytes(), b"'"]))?,
        None => 0o755,
    };
    let users = Users::new();
    // SAFETY: getuid/getgid cannot fail.
    let (mut uid, mut gid) = unsafe { (libc::getuid(), libc::getgid()) };
    if let Some(u) = o.val(b'o') {
        uid = id(u.as_bytes(), users.uid(u.as_bytes())).ok_or_else(|| cx.fail(&[b"unknown user ", u.as_bytes()]))?;
    }
    if let Some(g) = o.val(b'g') {
        gid = id(g.as_bytes(), users.gid(g.as_bytes())).ok_or_else(|| cx.fail(&[b"unknown group ", g.as_bytes()]))?;
    }
    let mut operands: &[&OsStr] = &o.args;
    let mut last: &[u8] = o.val(b't').map_or(b"", |t| t.as_bytes());
    let mut isdir = o.has(b't');
    if !o.has(b't') && !o.has(b'd') {
        let Some((l, rest)) = operands.split_last() else {
            return Err(cx.usage());
        };
        last = l.as_bytes();
        operands = rest;
        isdir = !o.has(b'T') && paths::dir_exists(last, true);
    }
    if operands.is_empty() {
        return Err(cx.usage());
    }
    let mut c = Copier::new(Opts {
        deref: Deref::Always,
        preserve: o.has(b'p'),
        verbose: o.has(b'v'),
        ..Opts::default()
    });
    let mut status = 0;
    for a in operands {
        let a = a.as_bytes();
        let dest: Vec<u8> = if o.has(b'd') {
            if let Err(e) = crate::copy::mkdir_p(a, 0o755) {
                cx.err_path(b"can't create directory", a, e);
                status = 1;
                continue;
            }
            a.to_vec()
        } else {
            if o.has(b'D') {
                // Errors show when the copy fails.
                let lead = if o.has(b't') { last } else { crate::copy::split(last).0 };
                let _ = crate::copy::mkdir_p(lead, 0o755);
            }
            let dest = if isdir {
                paths::join(last, paths::last_component(a))
            } else {
                last.to_vec()
            };
            if !c.copy(cx, a, &dest) {
                status = 1;
                continue;
            }
            if o.has(b's') {
                let r = crate::spawn::run(&[b"strip", b"-p", &dest], &sys::environ());
                match r {
                    Ok(0) => {}
                    Ok(_) => status = 1,
                    Err(e) => {
                        cx.err_no(b"strip", e);
                        status = 1;
                    }
                }
            }
            dest
        };
        let Some(cd) = sys::cstr(&dest) else {
            continue;
        };
        // The mode is set always, not only with -m, and past the umask (GNU's rule).
        // SAFETY: cd is NUL-terminated.
        let mut errs = [0; 2];
        if unsafe { libc::chmod(cd.as_ptr(), mode) } != 0 {
            errs[0] = sys::errno();
        }
        if (o.has(b'o') || o.has(b'g')) && unsafe { libc::lchown(cd.as_ptr(), uid, gid) } != 0 {
            errs[1] = sys::errno();
        }
        for (e, what) in errs.into_iter().zip([&b"permissions"[..], b"ownership"]) {
            if e != 0 {
                cx.err(&[b"can't change ", what, b" of ", &dest, b": ", sys::strerror(e)]);
                status = 1;
            }
        }
    }
    Ok(status)
}

/// A user or group: a name from the database, else a number.
fn id(s: &[u8], by_name: Option<u32>) -> Option<u32> {
    by_name.or_else(|| crate::args::parse_u64(s).and_then(|n| u32::try_from(n).ok()))
}
