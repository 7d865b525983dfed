//! applet: pwdx
//! usage: pwdx PID...
//! Show current directory for PIDs

use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "", &[])?;
    if o.args.is_empty() {
        return Err(cx.usage());
    }
    let mut link = vec![0u8; 4096];
    for a in &o.args {
        let a = a.as_bytes();
        // `/proc/NUM` names a process too (and is echoed as given).
        let num = a.strip_prefix(b"/proc/").unwrap_or(a);
        let Some(pid) = crate::args::parse_u64(num).filter(|&n| n <= u32::MAX as u64) else {
            return Err(cx.fail(&[b"invalid process id: '", num, b"'"]));
        };
        let mut path = b"/proc/".to_vec();
        let mut b = [0u8; 20];
        path.extend_from_slice(crate::cx::fmt_u64(pid, &mut b));
        path.extend_from_slice(b"/cwd\0");
        // SAFETY: path is NUL-terminated; link has 4096 writable bytes.
        let n = unsafe { libc::readlink(path.as_ptr().cast(), link.as_mut_ptr().cast(), link.len()) };
        cx.out.write(a);
        cx.out.write(b": ");
        if n >= 0 {
            cx.out.line(&link[..n as usize]);
        } else {
            let e = sys::errno();
            cx.out.line(sys::strerror(if e == libc::ENOENT { libc::ESRCH } else { e }));
        }
    }
    Ok(0)
}
