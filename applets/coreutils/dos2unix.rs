//! applet: dos2unix
//! usage: dos2unix [-ud] [FILE]
//! Convert FILE in-place from DOS to Unix format.
//! When no file is given, use stdin/stdout.
//!
//! -u  dos2unix
//! -d  unix2dos

use crate::cx::Out;
use crate::io::{Input, BLOCK};
use crate::{sys, Cx, Fail, Res};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    run(cx, args, false)
}

/// Both directions: every CR is dropped; to DOS, each LF becomes CR LF (BusyBox's rule).
pub fn run(cx: &mut Cx, args: &[&OsStr], default_dos: bool) -> Res {
    let o = cx.getopt(args, "ud", &[])?;
    let dos = match (o.has(b'u'), o.has(b'd')) {
        (true, true) => return Err(cx.usage()),
        (true, false) => false,
        (false, true) => true,
        (false, false) => default_dos,
    };
    if o.args.is_empty() {
        let mut inp = Input::stdin();
        return match convert(&mut inp, &mut cx.out, dos) {
            Ok(()) => Ok(0),
            Err(e) => Err(cx.fail_no(b"read error", e)),
        };
    }
    for &f in &o.args {
        in_place(cx, f, dos)?;
    }
    Ok(0)
}

fn convert(inp: &mut Input, out: &mut Out, dos: bool) -> Result<(), i32> {
    let mut buf = vec![0u8; BLOCK];
    loop {
        let n = inp.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        for part in buf[..n].split(|&c| c == b'\r') {
            if dos {
                let mut lines = part.split(|&c| c == b'\n');
                if let Some(first) = lines.next() {
                    out.write(first);
                }
                for l in lines {
                    out.write(b"\r\n");
                    out.write(l);
                }
            } else {
                out.write(part);
            }
        }
        if out.err != 0 {
            return Ok(());
        }
    }
}

/// Converts FILE (through its symlinks) via a temporary file beside it and a rename.
fn in_place(cx: &mut Cx, f: &OsStr, dos: bool) -> Res<()> {
    let path = std::fs::canonicalize(f).map(|p| p.into_os_string()).unwrap_or_else(|_| f.to_os_string());
    let mut inp = Input::open(&path).map_err(|e| {
        cx.err_open(f, e);
        Fail(1)
    })?;
    let mut tmpl = path.clone().into_vec();
    tmpl.extend_from_slice(b"XXXXXX\0");
    // SAFETY: tmpl is NUL-terminated and writable; mkstemp fills in the X's.
    let fd = unsafe { libc::mkstemp(tmpl.as_mut_ptr() as *mut libc::c_char) };
    tmpl.pop();
    let tmp = OsString::from_vec(tmpl);
    if fd < 0 {
        return Err(cx.fail_no(b"can't create temporary file", sys::errno()));
    }
    let mut out = Out::new(fd);
    let r = convert(&mut inp, &mut out, dos);
    out.flush();
    // SAFETY: fstat on our open input; fchmod and close on the descriptor mkstemp gave us.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(inp.fd(), &mut st) == 0 {
            libc::fchmod(fd, st.st_mode & 0o7777);
        }
        libc::close(fd);
    }
    let fail = |cx: &Cx, what: &[&[u8]]| {
        let _ = std::fs::remove_file(&tmp);
        cx.fail(what)
    };
    // BusyBox reads with getc: a read error (a directory) is an early end, and the rename
    // then fails.
    let _ = r;
    if out.err != 0 {
        return Err(fail(cx, &[b"write error: ", sys::strerror(out.err)]));
    }
    if let Err(e) = std::fs::rename(&tmp, &path) {
        let e = sys::errno_of(&e);
        return Err(fail(cx, &[b"can't move '", tmp.as_bytes(), b"' to '", path.as_bytes(), b"': ", sys::strerror(e)]));
    }
    Ok(())
}
