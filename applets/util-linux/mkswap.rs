//! applet: mkswap
//! dir: sbin
//! usage: mkswap [-L LBL] BLOCKDEV [KBYTES]
//! Prepare BLOCKDEV to be used as swap partition
//!
//! -L LBL	Label

use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::io::{Seek, SeekFrom, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::AsRawFd;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "L:", &[])?;
    let Some(&dev) = o.args.first() else {
        return Err(cx.usage());
    };
    let label = o.val(b'L').map_or(&b""[..], |l| l.as_bytes());
    let mut f = match std::fs::OpenOptions::new().write(true).open(dev) {
        Ok(f) => f,
        Err(e) => {
            cx.err_open(dev, sys::errno_of(&e));
            return Err(crate::Fail(1));
        }
    };
    let mut len = match o.args.get(1) {
        Some(k) => cx.num_u64(k)?.saturating_mul(1024),
        None => {
            // A block device's size, else the file's.
            let mut sz: u64 = 0;
            // SAFETY: BLKGETSIZE64 writes one u64.
            let r = unsafe { libc::ioctl(f.as_raw_fd(), 0x8008_1272u64 as _, &mut sz) };
            if r != 0 {
                sz = f.seek(SeekFrom::End(0)).unwrap_or(0);
            }
            sz
        }
    };
    // SAFETY: sysconf only returns a value.
    let page = (unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).max(4096) as u64;
    if len < 10 * page {
        return Err(cx.fail(&[b"swap device too small"]));
    }
    len -= page;
    let _ = writeln!(cx.out, "Setting up swapspace version 1, size = {len} bytes");
    let mut uuid = [0u8; 16];
    // SAFETY: uuid has 16 writable bytes.
    unsafe { libc::getrandom(uuid.as_mut_ptr().cast(), 16, 0) };
    uuid[6] = (uuid[6] & 0x0f) | 0x40;
    uuid[8] = (uuid[8] & 0x3f) | 0x80;
    let h: Vec<String> = uuid.iter().map(|b| format!("{b:02x}")).collect();
    let h = h.concat();
    let _ = writeln!(cx.out, "UUID={}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32]);
    // 1024 zero bytes (old signatures go), then version, last page, bad pages, uuid, label.
    let mut hdr = vec![0u8; 1024 + 129 * 4 - 1024 + 1024];
    hdr[1024..1028].copy_from_slice(&1u32.to_ne_bytes());
    hdr[1028..1032].copy_from_slice(&((len / page) as u32).to_ne_bytes());
    hdr[1036..1052].copy_from_slice(&uuid);
    let l = &label[..label.len().min(15)];
    hdr[1052..1052 + l.len()].copy_from_slice(l);
    let w = f.seek(SeekFrom::Start(0)).and_then(|_| f.write_all(&hdr)).and_then(|_| f.seek(SeekFrom::Start(page - 10))).and_then(|_| f.write_all(b"SWAPSPACE2"));
    if let Err(e) = w.and_then(|_| f.sync_all()) {
        return Err(cx.fail_no(dev.as_bytes(), sys::errno_of(&e)));
    }
    Ok(0)
}
