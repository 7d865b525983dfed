//! applet: uuencode
//! usage: uuencode [-m] [FILE] STORED_FILENAME
//! Uuencode FILE (or stdin) to stdout
//!
//! -m  Use base64 encoding per RFC1521

use crate::base64::{Alphabet, Encoder};
use crate::io::Input;
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "m", &[])?;
    // SAFETY: umask is read by setting it and putting it back.
    let mask = unsafe {
        let m = libc::umask(0);
        libc::umask(m);
        m
    };
    let (mut inp, mut mode, name) = match o.args[..] {
        [n] => (Input::stdin(), 0o666 & !(mask as u32), n),
        // No `-` for stdin here: BusyBox opens the name as given.
        [f, n] => {
            let path = if f.as_bytes() == b"-" { OsStr::new("./-") } else { f };
            let i = Input::open(path).map_err(|e| {
                cx.err_open(f, e);
                crate::Fail(1)
            })?;
            // SAFETY: fstat fills the zeroed struct for our open descriptor.
            let mode = unsafe {
                let mut st: libc::stat = std::mem::zeroed();
                libc::fstat(i.fd(), &mut st);
                st.st_mode & 0o777
            };
            (i, mode, n)
        }
        _ => return Err(cx.usage()),
    };
    mode &= 0o777;
    let b64 = o.has(b'm');
    cx.out.write(if b64 { b"begin-base64 " } else { b"begin " });
    cx.out.write(format!("{mode:o} ").as_bytes());
    cx.out.write(name.as_bytes());
    // 45 input bytes a line, read as full_read does.
    let mut buf = [0u8; 45];
    loop {
        let mut n = 0;
        while n < buf.len() {
            match inp.read(&mut buf[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) => return Err(cx.fail_no(b"read error", e)),
            }
        }
        if n == 0 {
            break;
        }
        cx.out.byte(b'\n');
        if b64 {
            let mut e = Encoder::new(Alphabet::Base64, 0);
            e.feed(&buf[..n], &mut cx.out);
            e.finish(&mut cx.out);
        } else {
            cx.out.byte(uu_char(n as u8));
            for c in buf[..n].chunks(3) {
                let v = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
                for k in 0..4 {
                    // Missing bytes pad with '`' (BusyBox's table has it at 64).
                    let pad = k > c.len();
                    cx.out.byte(if pad { b'`' } else { uu_char((v >> (18 - 6 * k)) as u8 & 63) });
                }
            }
        }
        if n < buf.len() || cx.out.err != 0 {
            break;
        }
    }
    cx.out.write(if b64 { b"\n====\n" } else { b"\n`\nend\n" });
    Ok(0)
}

fn uu_char(v: u8) -> u8 {
    if v == 0 {
        b'`'
    } else {
        v + 0x20
    }
}
