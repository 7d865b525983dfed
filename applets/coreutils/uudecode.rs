//! applet: uudecode
//! usage: uudecode [-o OUTFILE] [INFILE]
//! Uudecode a file
//! Finds OUTFILE in uuencoded source unless -o is given

use crate::base64::{decode_from, Alphabet, Bad};
use crate::cx::Out;
use crate::io::Input;
use crate::{Cx, Fail, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::IntoRawFd;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "o:", &[])?;
    let src = match o.args[..] {
        [] => OsStr::new("-"),
        [f] => f,
        _ => return Err(cx.usage()),
    };
    let mut inp = Input::open(src).map_err(|e| cx.fail_no(src.as_bytes(), e))?;
    let mut data = Vec::new();
    if let Err(e) = std::io::Read::read_to_end(&mut inp, &mut data) {
        return Err(cx.fail_no(b"read error", crate::sys::errno_of(&e)));
    }
    let mut lines = data.split_inclusive(|&c| c == b'\n');
    let mut rest_at = 0;
    let (b64, mode, name) = loop {
        let Some(l) = lines.next() else {
            return Err(cx.fail(&[b"no 'begin' line"]));
        };
        rest_at += l.len();
        let (b64, r) = if let Some(r) = l.strip_prefix(b"begin-base64 ") {
            (true, r)
        } else if let Some(r) = l.strip_prefix(b"begin ") {
            (false, r)
        } else {
            continue;
        };
        let mode = r.iter().take_while(|c| (b'0'..=b'7').contains(c)).fold(0u32, |m, &c| (m << 3 | (c - b'0') as u32) & 0o7777);
        let name: Vec<u8> = match o.val(b'o') {
            Some(n) => n.as_bytes().to_vec(),
            None => {
                let Some(sp) = r.iter().position(|&c| c == b' ') else {
                    return Err(cx.fail(&[b"no 'begin' line"]));
                };
                let n = r[sp + 1..].trim_ascii();
                if n.is_empty() {
                    return Err(cx.fail(&[b"no 'begin' line"]));
                }
                n.to_vec()
            }
        };
        break (b64, mode, name);
    };
    let body = &data[rest_at..];
    let mut file_out;
    let mut fd_to_close = -1;
    let out: &mut Out = if name == b"-" {
        &mut cx.out
    } else {
        let f = std::fs::File::create(OsStr::from_bytes(&name)).map_err(|e| {
            cx.err_open(OsStr::from_bytes(&name), crate::sys::errno_of(&e));
            Fail(1)
        })?;
        let fd = f.into_raw_fd();
        // SAFETY: fchmod on the descriptor we just created.
        unsafe { libc::fchmod(fd, mode & 0o777) };
        fd_to_close = fd;
        file_out = Out::new(fd);
        &mut file_out
    };
    let r = if b64 {
        let mut pos = 0;
        let mut read = |b: &mut [u8]| -> Result<usize, i32> {
            let k = b.len().min(body.len() - pos);
            b[..k].copy_from_slice(&body[pos..pos + k]);
            pos += k;
            Ok(k)
        };
        match decode_from(&mut read, out, Alphabet::Base64, true) {
            Ok(()) => Ok(()),
            Err(Bad::Truncated) => Err(&b"truncated input"[..]),
            Err(Bad::Read(_)) => Err(&b"read error"[..]),
        }
    } else {
        uu_body(body, out)
    };
    out.flush();
    let werr = out.err;
    if fd_to_close >= 0 {
        // SAFETY: closing the descriptor of the file we created and wrote.
        unsafe { libc::close(fd_to_close) };
    }
    if let Err(m) = r {
        return Err(cx.fail(&[m]));
    }
    if werr != 0 {
        return Err(cx.fail_no(b"write error", werr));
    }
    Ok(0)
}

/// Classic uuencoded lines up to `end`: a length character, then four characters for
/// every three bytes.
fn uu_body(body: &[u8], out: &mut Out) -> Result<(), &'static [u8]> {
    for raw in body.split_inclusive(|&c| c == b'\n') {
        let mut l = raw;
        while let Some((&c, r)) = l.split_last() {
            if c == b'\n' || c == b'\r' {
                l = r;
            } else {
                break;
            }
        }
        if l == b"end" {
            return Ok(());
        }
        let v: Vec<u8> = l.iter().map(|&c| c.wrapping_sub(0x20) & 0x3f).collect();
        let Some(&n) = v.first() else { break };
        let mut enc = n as usize * 4 / 3;
        if v.len() <= enc {
            break;
        }
        if enc == 0 {
            continue;
        }
        if enc > 60 {
            return Err(b"line too long");
        }
        let mut o = Vec::with_capacity(45);
        let mut p = 1;
        loop {
            let g = |k: usize| v.get(p + k).copied().unwrap_or(0);
            o.push(g(0) << 2 | g(1) >> 4);
            enc -= 1;
            if enc == 0 {
                break;
            }
            o.push(g(1) << 4 | g(2) >> 2);
            enc -= 1;
            if enc == 0 {
                break;
            }
            o.push(g(2) << 6 | g(3));
            p += 4;
            if enc <= 2 {
                break;
            }
            enc -= 2;
        }
        out.write(&o);
    }
    Err(b"short file")
}
