//! applet: uniq
//! usage: uniq [-cduiz] [-f,s,w N] [FILE [OUTFILE]]
//! Discard duplicate lines
//!
//! -c  Prefix lines by the number of occurrences
//! -d  Only print duplicate lines
//! -u  Only print unique lines
//! -i  Ignore case
//! -z  NUL terminated output
//! -f N  Skip first N fields
//! -s N  Skip first N chars (after any skipped fields)
//! -w N  Compare N characters in line

use crate::io::BLOCK;
use crate::{sys, Cx, Res};
use std::ffi::OsStr;

struct Cmp {
    fields: u64,
    chars: u64,
    width: Option<u64>,
    icase: bool,
}

impl Cmp {
    /// The part of a line (without its terminator) that is compared.
    fn key<'a>(&self, l: &'a [u8]) -> &'a [u8] {
        let blank = |c: u8| c == b' ' || (b'\t'..=b'\r').contains(&c);
        let mut p = 0;
        for _ in 0..self.fields {
            while p < l.len() && blank(l[p]) {
                p += 1;
            }
            while p < l.len() && !blank(l[p]) {
                p += 1;
            }
        }
        let p = (p as u64).saturating_add(self.chars).min(l.len() as u64) as usize;
        let e = match self.width {
            Some(w) => (p as u64).saturating_add(w).min(l.len() as u64) as usize,
            None => l.len(),
        };
        &l[p..e]
    }

    fn same(&self, a: &[u8], b: &[u8]) -> bool {
        let (x, y) = (self.key(a), self.key(b));
        if self.icase {
            x.eq_ignore_ascii_case(y)
        } else {
            crate::text::eq_bytes(x, y)
        }
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "cduizf:s:w:", &[])?;
    let num = |c: u8| -> Res<Option<u64>> { o.val(c).map(|v| cx.num_u64(v)).transpose() };
    let cmp = Cmp {
        fields: num(b'f')?.unwrap_or(0),
        chars: num(b's')?.unwrap_or(0),
        width: num(b'w')?,
        icase: o.has(b'i'),
    };
    if o.args.len() > 2 {
        return Err(cx.usage());
    }
    let eol = if o.has(b'z') { 0 } else { b'\n' };
    let (count, dups, uniques) = (o.has(b'c'), o.has(b'd'), o.has(b'u'));
    let name = o.args.first().copied().unwrap_or(OsStr::new("-"));
    let Some(mut inp) = cx.open_input(name) else {
        return Ok(1);
    };
    if let Some(out) = o.args.get(1).filter(|o| o.as_encoded_bytes() != b"-") {
        match std::fs::File::create(out) {
            Ok(f) => {
                use std::os::unix::io::IntoRawFd;
                cx.out = crate::cx::Out::new(f.into_raw_fd());
            }
            Err(e) => {
                cx.err_open(out, sys::errno_of(&e));
                return Ok(1);
            }
        }
    }
    let emit = |cx: &mut Cx, line: &[u8], n: u64| {
        if (dups && n == 1) || (uniques && n > 1) {
            return;
        }
        if count {
            let mut b = [0u8; 20];
            let d = crate::cx::fmt_u64(n, &mut b);
            for _ in d.len()..7 {
                cx.out.byte(b' ');
            }
            cx.out.write(d);
            cx.out.byte(b' ');
        }
        crate::text::put(&mut cx.out, line);
        cx.out.byte(eol);
    };

    // The previous line stays in the buffer: when more input is needed, it moves to the
    // front together with the partial line after it.
    let mut buf = vec![0u8; BLOCK];
    let (mut filled, mut pos) = (0usize, 0usize);
    let mut prev: Option<(usize, usize)> = None;
    let mut n = 0u64;
    let mut eof = false;
    loop {
        // With -z a NUL ends a line as well as a newline (BusyBox).
        let next = if eol == 0 {
            crate::bytes::memchr2(b'\n', 0, &buf[pos..filled])
        } else {
            crate::bytes::memchr(b'\n', &buf[pos..filled])
        };
        let line = match next {
            Some(i) => {
                let l = (pos, pos + i);
                pos += i + 1;
                l
            }
            None if eof => {
                if pos == filled {
                    break;
                }
                let l = (pos, filled);
                pos = filled;
                l
            }
            None => {
                let keep = prev.map_or(pos, |p| p.0);
                buf.copy_within(keep..filled, 0);
                filled -= keep;
                pos -= keep;
                if let Some(p) = &mut prev {
                    *p = (p.0 - keep, p.1 - keep);
                }
                if buf.len() - filled < BLOCK / 2 {
                    buf.resize(buf.len() * 2, 0);
                }
                match inp.read(&mut buf[filled..]) {
                    Ok(0) => eof = true,
                    Ok(r) => filled += r,
                    Err(e) => {
                        cx.err_no(b"read error", e);
                        return Ok(1);
                    }
                }
                continue;
            }
        };
        match prev {
            Some(p) if cmp.same(&buf[p.0..p.1], &buf[line.0..line.1]) => n += 1,
            Some(p) => {
                emit(cx, &buf[p.0..p.1], n);
                prev = Some(line);
                n = 1;
            }
            None => {
                prev = Some(line);
                n = 1;
            }
        }
        if cx.out.err != 0 {
            return Ok(1);
        }
    }
    if let Some(p) = prev {
        emit(cx, &buf[p.0..p.1], n);
    }
    Ok(0)
}
