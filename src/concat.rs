//! Several input files read as one stream, as od, hexdump and xxd see their operands:
//!
//! ```text
//! let mut s = Concat::new(&o.args);        // no operands: stdin
//! s.skip(cx, n)?;                           // -j / -s: seeks in regular files
//! while let n @ 1.. = s.read(cx, &mut block) { ... }
//! s.status                                   // 1 if a file could not be opened or read
//! ```
//! A file that cannot be opened is reported BusyBox's way for these applets
//! (`APPLET: NAME: strerror`) and skipped; reads are 128 KiB blocks.

use crate::io::{Input, BLOCK};
use crate::Cx;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub struct Concat<'a> {
    names: Vec<&'a OsStr>,
    next: usize,
    cur: Option<Input>,
    name: &'a OsStr,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// 1 once an input failed.
    pub status: i32,
    /// How a failed read is reported: `NAME: read error` (od) or `NAME: strerror`.
    pub read_error_plain: bool,
}

impl<'a> Concat<'a> {
    pub fn new(names: &[&'a OsStr]) -> Concat<'a> {
        let names = if names.is_empty() {
            vec![OsStr::new("-")]
        } else {
            names.to_vec()
        };
        Concat {
            names,
            next: 0,
            cur: None,
            name: OsStr::new("-"),
            buf: Vec::new(),
            pos: 0,
            end: 0,
            status: 0,
            read_error_plain: false,
        }
    }

    /// Opens the first file that opens (reporting those that do not); false when none does.
    pub fn start(&mut self, cx: &Cx) -> bool {
        self.cur.is_some() || self.open_next(cx)
    }

    /// Opens the next file that opens; false when none is left.
    fn open_next(&mut self, cx: &Cx) -> bool {
        while let Some(&n) = self.names.get(self.next) {
            self.next += 1;
            match Input::open(n) {
                Ok(i) => {
                    self.cur = Some(i);
                    self.name = n;
                    return true;
                }
                Err(e) => {
                    cx.err_no(n.as_bytes(), e);
                    self.status = 1;
                }
            }
        }
        false
    }

    /// The buffered bytes, reading more when none are; empty at the end of all input.
    pub fn fill(&mut self, cx: &Cx) -> &[u8] {
        while self.pos == self.end {
            if self.cur.is_none() && !self.open_next(cx) {
                return &[];
            }
            if self.buf.is_empty() {
                self.buf.resize(BLOCK, 0);
            }
            let Some(inp) = self.cur.as_mut() else {
                continue;
            };
            match inp.read(&mut self.buf) {
                Ok(0) => self.cur = None,
                Ok(n) => {
                    self.pos = 0;
                    self.end = n;
                }
                Err(e) => {
                    let name = if self.name.as_bytes() == b"-" {
                        &b"standard input"[..]
                    } else {
                        self.name.as_bytes()
                    };
                    if self.read_error_plain {
                        cx.err(&[name, b": read error"]);
                    } else {
                        cx.err_no(name, e);
                    }
                    self.status = 1;
                    self.cur = None;
                }
            }
        }
        &self.buf[self.pos..self.end]
    }

    /// Marks `n` bytes of what `fill` returned as used.
    pub fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.end);
    }

    /// Fills `dst` as far as the input goes; returns how much was read.
    pub fn read(&mut self, cx: &Cx, dst: &mut [u8]) -> usize {
        let mut got = 0;
        while got < dst.len() {
            let b = self.fill(cx);
            if b.is_empty() {
                break;
            }
            let k = b.len().min(dst.len() - got);
            dst[got..got + k].copy_from_slice(&b[..k]);
            self.consume(k);
            got += k;
        }
        got
    }

    /// Skips `n` bytes, seeking where a regular file allows; returns how many could not be
    /// skipped (the input ended first).
    pub fn skip(&mut self, cx: &Cx, mut n: u64) -> u64 {
        while n > 0 {
            let buffered = (self.end - self.pos) as u64;
            if buffered > 0 {
                let k = buffered.min(n);
                self.consume(k as usize);
                n -= k;
                continue;
            }
            if self.cur.is_none() && !self.open_next(cx) {
                break;
            }
            if let Some(inp) = &self.cur {
                if let Some(left) = regular_left(inp.fd()) {
                    if left >= n {
                        // SAFETY: lseek on a descriptor we own, no memory involved.
                        unsafe { libc::lseek(inp.fd(), n as libc::off_t, libc::SEEK_CUR) };
                        return 0;
                    }
                    n -= left;
                    self.cur = None;
                    continue;
                }
            }
            if self.fill(cx).is_empty() {
                break;
            }
        }
        n
    }
}

/// Bytes left to read in a regular file (None for pipes, terminals and the like).
fn regular_left(fd: i32) -> Option<u64> {
    // SAFETY: fstat fills the zeroed struct; lseek with offset 0 only reports the position.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(fd, &mut st) != 0 || st.st_mode & libc::S_IFMT != libc::S_IFREG {
            return None;
        }
        let pos = libc::lseek(fd, 0, libc::SEEK_CUR);
        if pos < 0 || st.st_size <= 0 {
            return None;
        }
        Some((st.st_size as u64).saturating_sub(pos as u64))
    }
}

/// BusyBox's xstrtou*_sfx with bkm suffixes (`b` 512, `k` 1024, `m` 1 MiB), base 0
/// (`0x` hex, `0` octal): the number, or None for `invalid number`.
pub fn size_sfx(s: &[u8]) -> Option<u64> {
    let (num, mult) = match s.last() {
        Some(b'b') => (&s[..s.len() - 1], 512),
        Some(b'k') => (&s[..s.len() - 1], 1024),
        Some(b'm') => (&s[..s.len() - 1], 1024 * 1024),
        _ => (s, 1),
    };
    let n = crate::printf::parse_uint_base0(num)?;
    n.checked_mul(mult)
}
