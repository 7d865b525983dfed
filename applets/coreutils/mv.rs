//! applet: mv
//! dir: bin
//! usage: mv [-finTuv] SOURCE DEST
//! usage: or: mv [-finuv] SOURCE... { -t DIRECTORY | DIRECTORY }
//! Rename SOURCE to DEST, or move SOURCEs to DIRECTORY
//!
//! -f  Don't prompt before overwriting
//! -i  Interactive, prompt before overwrite
//! -n  Don't overwrite an existing file
//! -T  Refuse to move if DEST is a directory
//! -t DIR  Move all SOURCEs into DIR
//! -u  Move only when SOURCE is newer than DEST, or DEST is missing
//! -v  Verbose

use crate::copy::{self, Copier, Opts};
use crate::{paths, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "finTt:uv",
        &[
            ("force", b'f'),
            ("interactive", b'i'),
            ("no-clobber", b'n'),
            ("no-target-directory", b'T'),
            ("target-directory", b't'),
            ("update", b'u'),
            ("verbose", b'v'),
        ],
    )?;
    let (srcs, last): (&[&OsStr], &[u8]) = match o.val(b't') {
        Some(t) if !o.args.is_empty() => (&o.args, t.as_bytes()),
        None if o.args.len() >= 2 => (&o.args[..o.args.len() - 1], o.args[o.args.len() - 1].as_bytes()),
        _ => return Err(cx.usage()),
    };
    let fin = o.last_of(b"fin");
    let mut m = Mover {
        force: fin == Some(b'f'),
        interactive: fin == Some(b'i'),
        no_clobber: fin == Some(b'n'),
        update: o.has(b'u'),
        verbose: o.has(b'v'),
    };
    if srcs.len() == 1 && o.val(b't').is_none() {
        let d = copy::cp_mv_stat(cx, last, true)?;
        if d != 3 {
            return Ok(m.one(cx, srcs[0].as_bytes(), last, d));
        }
        if o.has(b'T') {
            let s = paths::stat(srcs[0].as_bytes(), false);
            if !s.is_ok_and(|s| paths::is_dir(&s)) {
                return Err(cx.fail(&[b"'", last, b"' is a directory"]));
            }
            return Ok(m.one(cx, srcs[0].as_bytes(), last, d));
        }
    } else if o.has(b'T') {
        return Err(cx.fail(&[b"too many arguments"]));
    }
    let mut status = 0;
    for s in srcs {
        let s = s.as_bytes();
        let dest = paths::join(last, paths::last_component(s));
        let d = match copy::cp_mv_stat(cx, &dest, true) {
            Ok(d) => d,
            Err(_) => {
                status = 1;
                continue;
            }
        };
        status |= m.one(cx, s, &dest, d);
    }
    Ok(status)
}

struct Mover {
    force: bool,
    interactive: bool,
    no_clobber: bool,
    update: bool,
    verbose: bool,
}

impl Mover {
    /// Moves `src` to `dest` (`d`: what `dest` is, as `kind` says); the exit status.
    fn one(&mut self, cx: &Cx, src: &[u8], dest: &[u8], d: u8) -> i32 {
        let (Some(cs), Some(cd)) = (sys::cstr(src), sys::cstr(dest)) else {
            cx.err_path(b"can't rename", src, libc::EINVAL);
            return 1;
        };
        if d != 0 {
            if self.no_clobber {
                return 0;
            }
            if self.update {
                if let (Ok(s), Ok(t)) = (paths::stat(src, false), paths::stat(dest, false)) {
                    if s.st_mtime <= t.st_mtime {
                        return 0;
                    }
                }
            }
            // SAFETY: cd is NUL-terminated.
            let writable = unsafe { libc::access(cd.as_ptr(), libc::W_OK) } == 0;
            if !self.force && ((!writable && sys::isatty(0)) || self.interactive) && !copy::ask(cx, dest) {
                return 0;
            }
        }
        // SAFETY: both are NUL-terminated.
        if unsafe { libc::rename(cs.as_ptr(), cd.as_ptr()) } == 0 {
            self.said(src, dest);
            return 0;
        }
        let e = sys::errno();
        let s = match paths::stat(src, false) {
            Ok(s) if e == libc::EXDEV => s,
            _ => {
                cx.err_path(b"can't rename", src, e);
                return 1;
            }
        };
        // Across filesystems: copy, then remove the source only once the copy is whole.
        let s_dir = paths::is_dir(&s);
        if d == 3 && !s_dir {
            cx.err(&[b"can't overwrite directory with non-directory"]);
            return 1;
        }
        if d == 1 && s_dir {
            cx.err(&[b"can't overwrite non-directory with directory"]);
            return 1;
        }
        let mut c = Copier::new(Opts {
            recurse: true,
            preserve: true,
            ..Opts::default()
        });
        match c.copy_replacing(cx, src, dest) {
            Ok(true) => {}
            Ok(false) => return 1,
            Err(e) => {
                cx.err_path(b"can't rename", src, e);
                return 1;
            }
        }
        if let Err(e) = copy::remove_at(libc::AT_FDCWD, &cs) {
            cx.err_path(b"can't remove", src, e);
            return 1;
        }
        self.said(src, dest);
        0
    }

    fn said(&self, src: &[u8], dest: &[u8]) {
        if self.verbose {
            let _ = sys::write_all(1, &[b"'", src, b"' -> '", dest, b"'\n"].concat());
        }
    }
}
