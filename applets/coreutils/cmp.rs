//! applet: cmp
//! usage: cmp [-ls] [-n NUM] FILE1 [FILE2 [SKIP1 [SKIP2]]]
//! Compare FILE1 with FILE2 (or stdin)
//!
//! -l  Write the byte numbers (decimal) and values (octal)
//! 	for all differing bytes
//! -s  Quiet
//! -n NUM	Compare at most NUM bytes

use crate::io::{Input, BLOCK};
use crate::{Cx, Fail, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

struct Reader<'a> {
    name: &'a OsStr,
    inp: Input,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
}

impl Reader<'_> {
    /// The buffered bytes, reading more when none are left; empty at end of file.
    fn fill(&mut self, cx: &Cx) -> Res<&[u8]> {
        if self.pos == self.end {
            self.pos = 0;
            self.end = match self.inp.read(&mut self.buf) {
                Ok(n) => n,
                // BusyBox's die_if_ferror wording, exit status 2.
                Err(_) => {
                    cx.err(&[self.name.as_bytes(), b": I/O error"]);
                    return Err(Fail(2));
                }
            };
        }
        Ok(&self.buf[self.pos..self.end])
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "lsn:", &[])?;
    let (list, silent) = (o.has(b'l'), o.has(b's'));
    if (list && silent) || o.args.is_empty() || o.args.len() > 4 {
        return Err(cx.usage());
    }
    let limit = match o.val(b'n') {
        Some(v) => Some(cx.num_u64(v)?),
        None => None,
    };
    let name1 = o.args[0];
    let name2 = o.args.get(1).copied().unwrap_or(OsStr::new("-"));
    let skip = |k: usize| -> Res<u64> { o.args.get(k).map_or(Ok(0), |s| cx.num_u64(s)) };
    let (skip1, skip2) = (skip(2)?, skip(3)?);
    let mut a = open(cx, name1, silent)?;
    let mut b = open(cx, name2, silent)?;
    // Both operands may be stdin: then they share it, as BusyBox's FILE streams do not.
    let same_stdin = name1.as_bytes() == b"-" && name2.as_bytes() == b"-";
    for (r, n) in [(&mut a, skip1), (&mut b, skip2)] {
        let mut n = n;
        while n > 0 {
            let avail = r.fill(cx)?.len();
            if avail == 0 {
                break;
            }
            let k = (avail as u64).min(n) as usize;
            r.pos += k;
            n -= k as u64;
        }
    }
    if same_stdin {
        return Ok(0);
    }
    let (mut offset, mut line) = (0u64, 1u64);
    let mut differ = false;
    loop {
        let left = limit.map_or(u64::MAX, |l| l - offset);
        if left == 0 {
            break;
        }
        let x = a.fill(cx)?.len();
        let y = b.fill(cx)?.len();
        if x == 0 || y == 0 {
            if x != y {
                if !silent {
                    let short = if x == 0 { a.name } else { b.name };
                    cx.out.flush();
                    cx.err(&[b"EOF on ", short.as_bytes()]);
                }
                return Ok(1);
            }
            break;
        }
        let n = (x.min(y) as u64).min(left) as usize;
        let (pa, pb) = (&a.buf[a.pos..a.pos + n], &b.buf[b.pos..b.pos + n]);
        let mut i = 0;
        while i < n {
            let d = match pa[i..].iter().zip(&pb[i..]).position(|(p, q)| p != q) {
                Some(d) => i + d,
                None => {
                    line += crate::bytes::memchr_iter(b'\n', &pa[i..]).count() as u64;
                    break;
                }
            };
            line += crate::bytes::memchr_iter(b'\n', &pa[i..d]).count() as u64;
            let at = offset + d as u64 + 1;
            if !list {
                if !silent {
                    let mut nb = [0u8; 20];
                    let mut lb = [0u8; 20];
                    let out = [
                        name1.as_bytes(),
                        b" ",
                        name2.as_bytes(),
                        b" differ: char ",
                        crate::cx::fmt_u64(at, &mut nb),
                        b", line ",
                        crate::cx::fmt_u64(line, &mut lb),
                        b"\n",
                    ];
                    for p in out {
                        cx.out.write(p);
                    }
                }
                return Ok(1);
            }
            differ = true;
            let s = format!("{} {:3o} {:3o}\n", at, pa[d], pb[d]);
            cx.out.write(s.as_bytes());
            if pa[d] == b'\n' {
                line += 1;
            }
            i = d + 1;
        }
        a.pos += n;
        b.pos += n;
        offset += n as u64;
    }
    Ok(differ as i32)
}

fn open<'a>(cx: &Cx, name: &'a OsStr, silent: bool) -> Res<Reader<'a>> {
    match Input::open(name) {
        Ok(inp) => Ok(Reader {
            name,
            inp,
            buf: vec![0u8; BLOCK],
            pos: 0,
            end: 0,
        }),
        Err(e) => {
            if !silent {
                cx.err_no(name.as_bytes(), e);
            }
            Err(Fail(2))
        }
    }
}
