//! applet: mknod
//! dir: bin
//! usage: mknod [-m MODE] NAME TYPE [MAJOR MINOR]
//! Create a special file (block, character, or pipe)
//!
//! -m MODE  Creation mode (default a=rw)
//! TYPE:
//! b  Block device
//! c or u  Character device
//! p  Named pipe (MAJOR MINOR must be omitted)

use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "m:", &[])?;
    let (name, kind, nums) = match o.args[..] {
        [n, t] => (n, t.as_bytes(), None),
        [n, t, a, b] => (n, t.as_bytes(), Some((a, b))),
        _ => return Err(cx.usage()),
    };
    let kind = match (kind, nums.is_some()) {
        (b"p", false) => libc::S_IFIFO,
        (b"c" | b"u", true) => libc::S_IFCHR,
        (b"b", true) => libc::S_IFBLK,
        _ => return Err(cx.usage()),
    };
    let mut dev = 0;
    if let Some((ma, mi)) = nums {
        // BusyBox's build reads the minor number first, so its errors come first too.
        let mi = range(cx, mi, 1_048_575)?;
        let ma = range(cx, ma, 4095)?;
        dev = libc::makedev(ma, mi);
    }
    let mode = match o.val(b'm') {
        Some(m) => crate::mode::parse(m.as_bytes(), 0o666, crate::mode::umask()),
        None => Some(0o666),
    };
    let c = sys::cstr(name.as_bytes());
    let r = match (mode, c) {
        // SAFETY: c is NUL-terminated.
        (Some(m), Some(c)) => match unsafe { libc::mknod(c.as_ptr(), kind | m, dev) } {
            // An explicit mode is set exactly, past the umask.
            // SAFETY: as above.
            0 if o.has(b'm') && unsafe { libc::chmod(c.as_ptr(), m) } != 0 => sys::errno(),
            0 => 0,
            _ => sys::errno(),
        },
        _ => libc::EINVAL,
    };
    if r != 0 {
        return Err(cx.fail_no(name.as_bytes(), r));
    }
    Ok(0)
}

fn range(cx: &Cx, s: &OsStr, max: u32) -> Res<u32> {
    let b = s.as_bytes();
    if b.is_empty() || !b.iter().all(|c| c.is_ascii_digit()) {
        return Err(cx.fail(&[b"invalid number '", b, b"'"]));
    }
    match crate::args::parse_u64(b) {
        Some(n) if n <= max as u64 => Ok(n as u32),
        _ => {
            let mut m = [0u8; 20];
            let m = crate::cx::fmt_u64(max as u64, &mut m).to_vec();
            Err(cx.fail(&[b"number ", b, b" is not in 0..", &m, b" range"]))
        }
    }
}
