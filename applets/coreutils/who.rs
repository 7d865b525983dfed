//! applet: who
//! usage: who [-aH]
//! Show who is logged on
//!
//! -a  Show all
//! -H  Print column headers

use crate::{utmp, Cx, Res};
use std::ffi::OsStr;

/// The table `who` and `w` print (BusyBox's layout; `w` always has the header).
pub fn table(cx: &mut Cx, all: bool, header: bool) {
    if header {
        cx.out.write(b"USER\t\tTTY\t\tIDLE\tTIME\t\t HOST\n");
    }
    let data = utmp::read();
    let now = crate::time::now();
    let mut line = Vec::with_capacity(128);
    for e in utmp::entries(&data) {
        if e.user.is_empty() || !(all || e.kind == utmp::USER_PROCESS) {
            continue;
        }
        line.clear();
        let pad = |l: &mut Vec<u8>, s: &[u8], w: usize| {
            l.extend_from_slice(s);
            l.resize(l.len() + w.saturating_sub(s.len()), b' ');
        };
        pad(&mut line, e.user, 15);
        line.push(b' ');
        pad(&mut line, e.line, 15);
        line.push(b' ');
        // Idle: since the terminal was last read, "old" after a day, "?" without it.
        let mut dev = b"/dev/".to_vec();
        if e.line.first() == Some(&b'/') {
            dev.clear();
        }
        dev.extend_from_slice(e.line);
        let idle = std::fs::metadata(std::ffi::OsStr::new(std::str::from_utf8(&dev).unwrap_or("")))
            .ok()
            .map(|m| now - std::os::unix::fs::MetadataExt::atime(&m));
        let mut s = Vec::new();
        match idle {
            Some(t) if (0..86400).contains(&t) => {
                crate::time::num(&mut s, t / 3600, 2);
                s.push(b':');
                crate::time::num(&mut s, t % 3600 / 60, 2);
            }
            Some(_) => s.extend_from_slice(b"old"),
            None => s.push(b'?'),
        }
        pad(&mut line, &s, 7);
        line.push(b' ');
        // ctime's "Mmm dd hh:mm:ss " (16 columns).
        let mut t = Vec::new();
        if let Some(tm) = crate::time::local(e.time) {
            tm.strftime(b"%b %e %H:%M:%S ", &mut t);
        }
        pad(&mut line, &t, 16);
        line.push(b' ');
        line.extend_from_slice(e.host);
        line.push(b'\n');
        cx.out.write(&line);
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "aH", &[])?;
    table(cx, o.has(b'a'), o.has(b'H'));
    Ok(0)
}
