//! applet: head
//! usage: head [OPTIONS] [FILE]...
//! Print first 10 lines of FILEs (or stdin).
//! With more than one FILE, precede each with a filename header.
//!
//! -n N[bkm]  Print first N lines
//! -n -N[bkm]  Print all except N last lines
//! -c [-]N[bkm]  Print first N bytes
//! 		(b:*512 k:*1024 m:*1024^2)
//! -q  	Never print headers
//! -v  	Always print headers

use crate::io::{Input, BLOCK};
use crate::{text, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // Old style `head -5` is `head -n 5`, in the first argument only.
    let mut v: Vec<&OsStr> = args.to_vec();
    if let Some(a) = args.get(1).map(|a| a.as_bytes()) {
        if a.len() > 1 && a[0] == b'-' && a[1].is_ascii_digit() {
            v.splice(1..2, [OsStr::new("-n"), OsStr::from_bytes(&a[1..])]);
        }
    }
    let o = cx.getopt(&v, "n:c:qv", &[])?;
    // BusyBox: -c anywhere means bytes; the count is the last -n or -c value.
    let bytes = o.has(b'c');
    let last = o.last_of(b"nc").unwrap_or(b'n');
    let (all_but, count) = match o.val(last) {
        None => (false, 10),
        Some(s) => {
            let b = s.as_bytes();
            let (neg, digits) = match b.strip_prefix(b"-") {
                Some(d) => (true, d),
                None => (false, b),
            };
            match text::suffixed(digits, text::HEAD_TAIL) {
                Some(n) => (neg, n),
                None => return Err(cx.fail(&[b"invalid number '", b, b"'"])),
            }
        }
    };
    let dash: [&OsStr; 1] = [OsStr::new("-")];
    let files: &[&OsStr] = if o.args.is_empty() { &dash } else { &o.args };
    let headers = match o.last_of(b"qv") {
        Some(b'v') => true,
        Some(_) => false,
        None => files.len() > 1,
    };
    let mut st = 0;
    let mut buf = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let mut inp = match Input::open(f) {
            Ok(i) => i,
            Err(e) => {
                // BusyBox names the file without "can't open".
                cx.err_no(f.as_bytes(), e);
                st = 1;
                continue;
            }
        };
        if headers {
            cx.out.write(if i == 0 { b"==> " } else { b"\n==> " });
            let name = f.as_bytes();
            cx.out
                .write(if name == b"-" { b"standard input" } else { name });
            cx.out.write(b" <==\n");
        }
        let r = if all_but && count > 0 {
            all_but_last(cx, &mut inp, &mut buf, count, !bytes)
        } else {
            first(cx, &mut inp, &mut buf, if all_but { u64::MAX } else { count }, !bytes)
        };
        if let Err(e) = r {
            cx.err_no(f.as_bytes(), e);
            st = 1;
        }
        if cx.out.err != 0 {
            break;
        }
    }
    Ok(st)
}

/// The first `n` lines (or bytes). Input read past them is given back to a seekable input
/// by moving its offset back, as POSIX asks, so `{ head -n1; cat; } <file` works.
fn first(cx: &mut Cx, inp: &mut Input, buf: &mut Vec<u8>, mut n: u64, lines: bool) -> Result<(), i32> {
    buf.resize(BLOCK, 0);
    while n > 0 {
        let len = inp.read(buf)?;
        if len == 0 {
            return Ok(());
        }
        let data = &buf[..len];
        let take = if lines {
            let mut take = len;
            for p in crate::bytes::memchr_iter(b'\n', data) {
                n -= 1;
                if n == 0 {
                    take = p + 1;
                    break;
                }
            }
            take
        } else {
            let t = (len as u64).min(n) as usize;
            n -= t as u64;
            t
        };
        cx.out.write(&data[..take]);
        if take < len {
            // SAFETY: lseek on our descriptor; a pipe refuses with ESPIPE, which is fine.
            unsafe { libc::lseek(inp.fd(), take as i64 - len as i64, libc::SEEK_CUR) };
        }
        if cx.out.err != 0 {
            return Ok(());
        }
    }
    Ok(())
}

/// All but the last `n` lines (or bytes): what is held back is at most those `n` plus one
/// block.
fn all_but_last(cx: &mut Cx, inp: &mut Input, buf: &mut Vec<u8>, n: u64, lines: bool) -> Result<(), i32> {
    buf.clear();
    // Newlines in buf (lines mode).
    let mut nl: u64 = 0;
    loop {
        let old = buf.len();
        buf.resize(old + BLOCK, 0);
        let len = inp.read(&mut buf[old..])?;
        buf.truncate(old + len);
        let eof = len == 0;
        let out = if lines {
            nl += crate::bytes::memchr_iter(b'\n', &buf[old..]).count() as u64;
            // Keep the last n complete lines and the partial one; at the end, a partial last
            // line is one of the n.
            let partial = eof && buf.last().is_some_and(|&c| c != b'\n');
            let keep = if partial { n.saturating_sub(1) } else { n };
            if nl > keep {
                let mut want = nl - keep;
                let mut cut = 0;
                for p in crate::bytes::memchr_iter(b'\n', buf) {
                    want -= 1;
                    if want == 0 {
                        cut = p + 1;
                        break;
                    }
                }
                nl = keep;
                cut
            } else {
                0
            }
        } else {
            (buf.len() as u64).saturating_sub(n) as usize
        };
        if out > 0 {
            cx.out.write(&buf[..out]);
            buf.drain(..out);
        }
        if eof || cx.out.err != 0 {
            return Ok(());
        }
    }
}
