//! applet: logger
//! usage: logger [-s] [-t TAG] [-p PRIO] [MESSAGE]
//! Write MESSAGE (or stdin) to syslog
//!
//! -s  Log to stderr as well as the system log
//! -t TAG	Log using the specified tag (defaults to user name)
//! -p PRIO	Priority (number or FACILITY.LEVEL pair)

// The message goes to /dev/log as glibc's syslog() sends it ("<PRI>Mmm dd hh:mm:ss TAG:
// MSG", a datagram, else a stream); rbox does not use musl's. Where BusyBox (through
// syslog()) drops the message silently when no syslogd listens, rbox says so and exits
// 1, as util-linux's logger does.

use crate::users::Users;
use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

const FACILITIES: &[(&str, i32)] = &[
    ("auth", 4 << 3),
    ("authpriv", 10 << 3),
    ("cron", 9 << 3),
    ("daemon", 3 << 3),
    ("ftp", 11 << 3),
    ("kern", 0),
    ("lpr", 6 << 3),
    ("mail", 2 << 3),
    ("mark", 24 << 3),
    ("news", 7 << 3),
    ("security", 4 << 3),
    ("syslog", 5 << 3),
    ("user", 1 << 3),
    ("uucp", 8 << 3),
    ("local0", 16 << 3),
    ("local1", 17 << 3),
    ("local2", 18 << 3),
    ("local3", 19 << 3),
    ("local4", 20 << 3),
    ("local5", 21 << 3),
    ("local6", 22 << 3),
    ("local7", 23 << 3),
];
const LEVELS: &[(&str, i32)] = &[
    ("alert", 1),
    ("crit", 2),
    ("debug", 7),
    ("emerg", 0),
    ("err", 3),
    ("error", 3),
    ("info", 6),
    ("none", 0x10),
    ("notice", 5),
    ("panic", 0),
    ("warn", 4),
    ("warning", 4),
];

fn decode(s: &[u8], tab: &[(&str, i32)]) -> Option<i32> {
    if s.first().is_some_and(u8::is_ascii_digit) {
        return Some(sys::atoi(s).clamp(0, i32::MAX as i64) as i32);
    }
    tab.iter().find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(s)).map(|e| e.1)
}

/// BusyBox's pencode: FACILITY.LEVEL or LEVEL (facility user).
fn pencode(cx: &Cx, s: &[u8]) -> Res<i32> {
    let (fac, lev) = match s.iter().position(|&c| c == b'.') {
        Some(i) => {
            let f = decode(&s[..i], FACILITIES).ok_or_else(|| cx.fail(&[b"unknown facility name: ", &s[..i]]))?;
            (f, &s[i + 1..])
        }
        None => (1 << 3, s),
    };
    let l = decode(lev, LEVELS).ok_or_else(|| cx.fail(&[b"unknown priority name: ", s]))?;
    Ok((l & 7) | (fac & 0x3f8))
}

fn connect() -> Result<i32, i32> {
    let mut addr: libc::sockaddr_un = unsafe { std::mem::zeroed() };
    addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
    for (d, s) in addr.sun_path.iter_mut().zip(b"/dev/log") {
        *d = *s as libc::c_char;
    }
    let mut err = libc::ENOENT;
    for kind in [libc::SOCK_DGRAM, libc::SOCK_STREAM] {
        // SAFETY: plain socket calls; addr is a valid sockaddr_un.
        unsafe {
            let fd = libc::socket(libc::AF_UNIX, kind | libc::SOCK_CLOEXEC, 0);
            if fd < 0 {
                err = sys::errno();
                continue;
            }
            let len = std::mem::size_of::<libc::sockaddr_un>() as libc::socklen_t;
            if libc::connect(fd, (&addr as *const libc::sockaddr_un).cast(), len) == 0 {
                return Ok(fd);
            }
            err = sys::errno();
            libc::close(fd);
        }
    }
    Err(err)
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "p:st:", &[])?;
    let users = Users::new();
    // SAFETY: geteuid only returns a value.
    let uid = unsafe { libc::geteuid() };
    let mut b = [0u8; 20];
    let tag: Vec<u8> = match o.val(b't') {
        Some(t) => t.as_bytes().to_vec(),
        None => users.user_name(uid).map_or_else(|| crate::cx::fmt_u64(uid as u64, &mut b).to_vec(), |n| n.to_vec()),
    };
    let pri = match o.val(b'p') {
        Some(p) => pencode(cx, p.as_bytes())?,
        None => (1 << 3) | 5,
    };
    let mut msgs: Vec<Vec<u8>> = Vec::new();
    if o.args.is_empty() {
        let mut lines = crate::io::Lines::new(crate::io::Input::stdin());
        while let Ok(Some(l)) = lines.next_line() {
            let l = l.strip_suffix(b"\n").unwrap_or(l);
            if !l.is_empty() {
                msgs.push(l.to_vec());
            }
        }
    } else {
        let mut m = Vec::new();
        for (i, a) in o.args.iter().enumerate() {
            if i > 0 {
                m.push(b' ');
            }
            m.extend_from_slice(a.as_bytes());
        }
        msgs.push(m);
    }
    let sock = connect();
    for m in &msgs {
        if o.has(b's') {
            let mut e = tag.clone();
            e.extend_from_slice(b": ");
            e.extend_from_slice(m);
            e.push(b'\n');
            let _ = sys::write_all(2, &e);
        }
        if let Ok(fd) = sock {
            // A facility of 0 in the priority means the default, user.
            let p = if pri & 0x3f8 == 0 { pri | (1 << 3) } else { pri };
            let mut d = Vec::with_capacity(m.len() + 64);
            d.push(b'<');
            d.extend_from_slice(crate::cx::fmt_u64(p as u64, &mut b));
            d.push(b'>');
            if let Some(tm) = crate::time::local(crate::time::now()) {
                tm.strftime(b"%b %e %H:%M:%S ", &mut d);
            }
            d.extend_from_slice(&tag);
            d.extend_from_slice(b": ");
            d.extend_from_slice(m);
            // SAFETY: d is a valid buffer; fd our socket.
            let r = unsafe { libc::send(fd, d.as_ptr().cast(), d.len(), libc::MSG_NOSIGNAL) };
            if r < 0 {
                return Err(cx.fail_no(b"can't send to /dev/log", sys::errno()));
            }
        }
    }
    match sock {
        Ok(fd) => {
            // SAFETY: our socket.
            unsafe { libc::close(fd) };
            Ok(0)
        }
        Err(e) if !msgs.is_empty() => Err(cx.fail_no(b"can't connect to /dev/log", e)),
        Err(_) => Ok(0),
    }
}
