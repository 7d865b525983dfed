//! applet: watch
//! usage: watch [-n SEC] [-t] PROG ARGS
//! Run PROG periodically
//!
//! -n SEC	Period (default 2)
//! -t  Don't print header

// As BusyBox's: the words are joined by spaces and run by /bin/sh (procps's watch does
// the same), the screen is cleared before each run, and the header carries the period
// as given and the time at the right edge of the terminal ($COLUMNS, else stderr's width).

use crate::{spawn, sys, time, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// SEC[.FRAC] as microseconds.
fn period(s: &[u8]) -> Option<u64> {
    let (int, frac) = match s.iter().position(|&c| c == b'.') {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, &b""[..]),
    };
    if (int.is_empty() && frac.is_empty()) || !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let i = if int.is_empty() { 0 } else { crate::args::parse_u64(int)? };
    let mut us = 0;
    let mut scale = 100_000;
    for &d in frac.iter().take(6) {
        us += (d - b'0') as u64 * scale;
        scale /= 10;
    }
    i.checked_mul(1_000_000)?.checked_add(us)
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "+dtn:", &[])?;
    if o.args.is_empty() {
        return Err(cx.usage());
    }
    let given = o.val(b'n').map_or(&b"2"[..], |n| n.as_bytes());
    let us = period(given).ok_or_else(|| cx.fail(&[b"invalid number '", given, b"'"]))?;
    let mut cmd = Vec::new();
    for (i, a) in o.args.iter().enumerate() {
        if i > 0 {
            cmd.push(b' ');
        }
        cmd.extend_from_slice(a.as_bytes());
    }
    let sh: [&OsStr; 3] = [OsStr::new("sh"), OsStr::new("-c"), OsStr::from_bytes(&cmd)];
    loop {
        let mut scr = b"\x1b[H\x1b[J".to_vec();
        if !o.has(b't') {
            let width = sys::term_cols(2);
            let mut h = b"Every ".to_vec();
            h.extend_from_slice(given);
            h.extend_from_slice(b"s: ");
            h.extend_from_slice(&cmd);
            // The time's 19 characters end one column short of the edge.
            if width > 20 {
                h.resize(width - 20, b' ');
                if let Some(tm) = time::local(time::now()) {
                    tm.strftime(b"%Y-%m-%d %H:%M:%S", &mut h);
                }
            } else {
                h.resize(h.len().max(width + 1), b' ');
                h.truncate(width.saturating_sub(1));
            }
            scr.extend_from_slice(&h);
            scr.extend_from_slice(b"\n\n");
        }
        cx.out.write(&scr);
        cx.out.flush();
        if cx.out.err != 0 {
            return Ok(1);
        }
        match spawn::fork() {
            Ok(0) => {
                let f = spawn::exec(cx, &sh);
                spawn::child_exit(f.0);
            }
            Ok(pid) => {
                let _ = spawn::wait(pid, 0);
            }
            Err(e) => cx.err_no(b"fork", e),
        }
        std::thread::sleep(std::time::Duration::from_micros(us));
    }
}
