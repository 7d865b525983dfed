//! applet: nproc
//! usage: nproc [--all] [--ignore=N]
//! Print number of available CPUs
//!
//! --all  Number of installed CPUs
//! --ignore=N  Exclude N CPUs

use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // Long options only; operands are ignored, as in BusyBox.
    let o = cx.getopt(args, "\x01\x02:", &[("all", 1), ("ignore", 2)])?;
    let ignore = match o.val(2) {
        Some(v) => match crate::args::parse_u64(v.as_bytes()) {
            Some(n) if n <= i32::MAX as u64 => n,
            _ => return Err(cx.fail(&[b"invalid number '", v.as_bytes(), b"'"])),
        },
        None => 0,
    };
    let mut n = if o.has(1) { installed() } else { 0 };
    if n == 0 {
        n = available();
    }
    cx.out.num(n.saturating_sub(ignore).max(1));
    cx.out.byte(b'\n');
    Ok(0)
}

/// CPUs this process may run on: the bits of its affinity mask, read with a buffer grown
/// until the kernel's mask fits.
fn available() -> u64 {
    let mut words = 16usize; // 1024 CPUs
    loop {
        let mut mask = vec![0u64; words];
        // SAFETY: the kernel writes at most `words * 8` bytes into mask.
        let r = unsafe {
            libc::syscall(
                libc::SYS_sched_getaffinity,
                0,
                words * 8,
                mask.as_mut_ptr(),
            )
        };
        if r > 0 {
            return mask.iter().map(|w| w.count_ones() as u64).sum();
        }
        if r < 0 && crate::sys::errno() == libc::EINVAL && words < 1 << 16 {
            words *= 2;
            continue;
        }
        return 1;
    }
}

/// Installed CPUs: the `cpuN` entries of /sys/devices/system/cpu (0 when unreadable; the
/// caller then falls back to the available ones, where BusyBox would say 1). Read with the
/// walker's getdents loop, not std's read_dir (its machinery is in no other applet).
fn installed() -> u64 {
    let Ok(fd) = crate::walk::open_dir(libc::AT_FDCWD, c"/sys/devices/system/cpu", true) else {
        return 0;
    };
    let (mut buf, mut names) = (Vec::new(), Vec::new());
    crate::walk::read_entries(fd, &mut buf, &mut names);
    // SAFETY: we own fd.
    unsafe { libc::close(fd) };
    // Like BusyBox: the name contains "cpu" and ends in a digit.
    crate::walk::entries(&names)
        .map(|(_, n)| n.to_bytes())
        .filter(|n| n.windows(3).any(|w| w == b"cpu") && n.last().is_some_and(|c| c.is_ascii_digit()))
        .count() as u64
}
