//! applet: uncompress
//! dir: bin
//! usage: uncompress [-cf] [FILE]...
//! Decompress FILEs (or stdin)
//!
//! -c  Write to stdout
//! -f  Overwrite

// BusyBox's bbunpack rules: FILE.Z becomes FILE (its mode, owner and times kept), written
// to a temporary name beside it and renamed only when complete, then FILE.Z is removed.
// Unlike BusyBox, a code that cannot occur (a damaged file) is reported.

use crate::extract::{Fd, Temp};
use crate::lzw::{self, LzwErr};
use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

fn report(cx: &Cx, e: LzwErr) {
    let mut m = Vec::new();
    e.msg(&mut m);
    cx.err(&[&m]);
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "cf", &[])?;
    let (to_stdout, force) = (o.has(b'c'), o.has(b'f'));
    let mut files = o.args.clone();
    if files.is_empty() {
        files.push(OsStr::new("-"));
    }
    let mut status = 0;
    for f in files {
        let fb = f.as_bytes();
        let stdin = fb == b"-";
        if stdin && !force && sys::isatty(0) {
            return Err(cx.fail(&[b"compressed data not read from terminal. Use -f to force it."]));
        }
        let out_name = if stdin || to_stdout {
            None
        } else {
            match fb.strip_suffix(b".Z").filter(|s| !s.is_empty() && !s.ends_with(b"/")) {
                Some(n) => Some(n.to_vec()),
                None => {
                    cx.err(&[fb, b": unknown suffix - ignored"]);
                    status = 1;
                    continue;
                }
            }
        };
        let inp = match crate::io::Input::open(f) {
            Ok(i) => i,
            Err(e) => {
                cx.err_no(fb, e);
                status = 1;
                continue;
            }
        };
        let Some(out_name) = out_name else {
            cx.out.flush();
            let out = &mut cx.out;
            let r = lzw::decode(inp.fd(), &mut |b| {
                out.write(b);
                match out.err {
                    0 => Ok(()),
                    e => Err(e),
                }
            });
            match r {
                Ok(()) => {}
                Err(LzwErr::Write(_)) => return Ok(1),
                Err(e) => {
                    report(cx, e);
                    status = 1;
                }
            }
            continue;
        };
        // SAFETY: st is written by fstat.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        unsafe { libc::fstat(inp.fd(), &mut st) };
        let base = sys::basename(&out_name).to_vec();
        let dir_name = &out_name[..out_name.len() - base.len()];
        let dir_name: &[u8] = if dir_name.is_empty() { b"." } else { dir_name };
        let dfd = match sys::cstr(dir_name).map(|c| {
            // SAFETY: c is NUL-terminated.
            unsafe { libc::open(c.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC) }
        }) {
            Some(fd) if fd >= 0 => Fd(fd),
            _ => {
                cx.err_open(OsStr::from_bytes(&out_name), sys::errno());
                status = 1;
                continue;
            }
        };
        if !force && crate::extract::lstat_at(dfd.0, &base).is_some() {
            cx.err_open(OsStr::from_bytes(&out_name), libc::EEXIST);
            status = 1;
            continue;
        }
        let mut tmp = match Temp::create(dfd.0) {
            Ok(t) => t,
            Err(e) => {
                cx.err_open(OsStr::from_bytes(&out_name), e);
                status = 1;
                continue;
            }
        };
        match lzw::decode(inp.fd(), &mut |b| tmp.write(b)) {
            Ok(()) => {}
            Err(LzwErr::Write(e)) => {
                cx.err_no(&out_name, e);
                status = 1;
                continue;
            }
            Err(e) => {
                report(cx, e);
                status = 1;
                continue;
            }
        }
        tmp.meta(st.st_mode, Some((st.st_uid, st.st_gid)), None);
        // SAFETY: the temporary's open descriptor; the input's times.
        unsafe {
            let ts = [
                libc::timespec {
                    tv_sec: st.st_atime,
                    tv_nsec: st.st_atime_nsec,
                },
                libc::timespec {
                    tv_sec: st.st_mtime,
                    tv_nsec: st.st_mtime_nsec,
                },
            ];
            libc::futimens(tmp.fd.0, ts.as_ptr());
        }
        if let Err(e) = tmp.commit(&base, true) {
            cx.err_no(&out_name, e);
            status = 1;
            continue;
        }
        if let Some(c) = sys::cstr(fb) {
            // SAFETY: the input's name, NUL-terminated.
            unsafe { libc::unlink(c.as_ptr()) };
        }
    }
    Ok(status)
}
