//! applet: chroot
//! dir: usr/sbin
//! usage: chroot NEWROOT [PROG ARGS]
//! Run PROG with root directory set to NEWROOT

use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // `+`: the command's own options are not ours.
    let o = cx.getopt(args, "+", &[])?;
    let Some((root, cmd)) = o.args.split_first() else {
        return Err(cx.usage());
    };
    let r = root.as_bytes();
    let c = sys::cstr(r).ok_or_else(|| cx.fail_path(b"can't change root directory to", r, libc::EINVAL))?;
    // SAFETY: c is NUL-terminated; "/" is a valid path.
    unsafe {
        if libc::chroot(c.as_ptr()) != 0 {
            return Err(cx.fail_path(b"can't change root directory to", r, sys::errno()));
        }
        if libc::chdir(c"/".as_ptr()) != 0 {
            return Err(cx.fail_no(b"can't change directory to '/'", sys::errno()));
        }
    }
    // No command: an interactive $SHELL, else /bin/sh.
    let shell = crate::sys::getenv(c"SHELL").filter(|s| !s.is_empty());
    let argv: Vec<&[u8]> = if cmd.is_empty() {
        vec![shell.as_deref().unwrap_or(b"/bin/sh"), b"-i"]
    } else {
        cmd.iter().map(|a| a.as_bytes()).collect()
    };
    cx.out.flush();
    let e = sys::execvpe(argv[0], &argv, &sys::environ());
    cx.err(&[b"can't execute '", argv[0], b"': ", sys::strerror(e)]);
    Ok(if e == libc::ENOENT { 127 } else { 126 })
}
