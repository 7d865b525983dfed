//! applet: uptime
//! usage: uptime
//! Display the time since the last boot

use crate::{time, utmp, Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    cx.getopt(args, "", &[])?;
    // SAFETY: sysinfo is plain data filled by the kernel.
    let si = unsafe {
        let mut si: libc::sysinfo = std::mem::zeroed();
        libc::sysinfo(&mut si);
        si
    };
    let mut o = Vec::with_capacity(96);
    o.push(b' ');
    if let Some(tm) = time::local(time::now()) {
        tm.hms(&mut o);
    }
    o.extend_from_slice(b" up ");
    let up = si.uptime.max(0) as u64;
    let days = up / 86400;
    let mut b = [0u8; 20];
    if days != 0 {
        o.extend_from_slice(crate::cx::fmt_u64(days, &mut b));
        o.extend_from_slice(if days != 1 { b" days, " } else { b" day, " });
    }
    let mins = up / 60;
    let (h, m) = (mins / 60 % 24, mins % 60);
    if h != 0 {
        if h < 10 {
            o.push(b' ');
        }
        o.extend_from_slice(crate::cx::fmt_u64(h, &mut b));
        o.push(b':');
        time::num(&mut o, m as i64, 2);
    } else {
        o.extend_from_slice(crate::cx::fmt_u64(m, &mut b));
        o.extend_from_slice(b" min");
    }
    let data = utmp::read();
    o.extend_from_slice(b",  ");
    o.extend_from_slice(crate::cx::fmt_u64(utmp::users(&data).count() as u64, &mut b));
    o.extend_from_slice(b" users,  load average: ");
    for (i, l) in si.loads.iter().enumerate() {
        if i > 0 {
            o.extend_from_slice(b", ");
        }
        // Fixed point with 16 fraction bits, shown as BusyBox rounds it down.
        let l = *l as u64;
        o.extend_from_slice(crate::cx::fmt_u64(l >> 16, &mut b));
        o.push(b'.');
        time::num(&mut o, (((l & 0xffff) * 100) >> 16) as i64, 2);
    }
    o.push(b'\n');
    cx.out.write(&o);
    Ok(0)
}
