//! applet: losetup
//! dir: sbin
//! usage: losetup [-rP] [-o OFS] {-f|LOOPDEV} FILE: associate loop devices
//! 	losetup -c LOOPDEV: reread file size
//! 	losetup -d LOOPDEV: disassociate
//! 	losetup -a: show status
//! 	losetup -f: show next free loop device
//!
//! -o OFS	Start OFS bytes into FILE
//! -P  Scan for partitions
//! -r  Read-only
//! -f  Show/use next free loop device

use crate::mounts;
use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "cdPro:fa", &[])?;
    let a: Vec<&[u8]> = o.args.iter().map(|a| a.as_bytes()).collect();
    let show = |cx: &mut Cx, dev: &[u8]| -> Result<(), i32> {
        let s = mounts::loop_query(dev)?;
        cx.out.write(dev);
        cx.out.write(b": ");
        cx.out.line(&s);
        Ok(())
    };
    let any_opt = o.has(b'c') || o.has(b'd') || o.has(b'P') || o.has(b'r') || o.has(b'o') || o.has(b'f') || o.has(b'a');
    if !any_opt && a.len() == 1 {
        return show(cx, a[0]).map(|_| 0).map_err(|e| cx.fail_no(a[0], e));
    }
    if o.has(b'c') && a.len() == 1 {
        // LOOP_SET_CAPACITY.
        let c = sys::cstr(a[0]).ok_or_else(|| cx.fail(&[b"bad name"]))?;
        // SAFETY: an ioctl on a descriptor opened here.
        let r = unsafe {
            let fd = libc::open(c.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC);
            let r = if fd < 0 { -1 } else { libc::ioctl(fd, 0x4C07 as _, 0) };
            let e = sys::errno();
            if fd >= 0 {
                libc::close(fd);
            }
            if r < 0 {
                Err(e)
            } else {
                Ok(())
            }
        };
        return r.map(|_| 0).map_err(|e| cx.fail_no(a[0], e));
    }
    if o.has(b'd') && a.len() == 1 {
        return mounts::loop_detach(a[0]).map(|_| 0).map_err(|e| cx.fail_no(a[0], e));
    }
    if o.has(b'a') && a.is_empty() {
        for i in 0..256 {
            let dev = format!("/dev/loop{i}");
            let _ = show(cx, dev.as_bytes());
        }
        return Ok(0);
    }
    let offset = match o.val(b'o') {
        Some(v) => cx.num_u64(v)?,
        None => 0,
    };
    if o.has(b'f') && a.is_empty() {
        let n = mounts::loop_free().map_err(|e| cx.fail_no(b"can't find free loop device", e))?;
        cx.out.line(format!("/dev/loop{n}").as_bytes());
        return Ok(0);
    }
    let (dev, file) = match (o.has(b'f'), a.as_slice()) {
        (true, [f]) => (None, *f),
        (false, [d, f]) => (Some(*d), *f),
        _ => return Err(cx.usage()),
    };
    match mounts::loop_attach(file, dev, offset, o.has(b'r'), false) {
        Ok((path, fd)) => {
            if o.has(b'P') {
                // BLKRRPART: read the partition table.
                // SAFETY: an ioctl on our descriptor.
                unsafe { libc::ioctl(fd, 0x125F as _, 0) };
            }
            let _ = path;
            // SAFETY: ours.
            unsafe { libc::close(fd) };
            Ok(0)
        }
        Err(e) => Err(cx.fail_no(dev.unwrap_or(file), e)),
    }
}
