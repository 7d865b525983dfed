//! The context an applet runs in: its name (for messages), buffered standard output, and
//! BusyBox-style error reporting (`applet: what: strerror` on stderr).

use crate::sys;
use std::ffi::OsStr;
use std::io;
use std::os::unix::ffi::OsStrExt;

/// A fatal error that has already been reported; the value is the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fail(pub i32);

/// What applets and their helpers return: `Ok` carries the exit status by default.
pub type Res<T = i32> = Result<T, Fail>;

// Output starts in a small buffer inside `Out` itself, so a short answer (`echo`,
// `basename`) makes no allocation at all: musl's first malloc costs about 1,300 instructions
// and six page faults (brk and mmap'd pages), more than the rest of `echo hi`. Once that
// fills, output moves to 128 KiB heap blocks, as GNU writes: measured on `cat -n` of 100 MB
// into a file, 16 KiB blocks made four times GNU's system calls and 1.7x its time, 128 KiB
// blocks 0.74x (pages are touched lazily, so peak memory grows little).
const SMALL: usize = 2048;
pub const OUT_CAP: usize = 128 * 1024;

/// The one buffered writer on fd 1: large blocks when writing to a file or pipe, line by
/// line on a terminal. The first write error is kept and reported when the applet ends;
/// later output is dropped.
pub struct Out {
    /// The bulk buffer, used once the small one has filled (block mode only).
    buf: Vec<u8>,
    /// Bytes the fast path may hold in `buf`; 0 until bulk mode, so writes before that take
    /// the slow path into `small`.
    limit: usize,
    /// 0: nothing written yet; 1: block mode, small buffer; 2: line mode (a terminal);
    /// 3: block mode, bulk buffer.
    mode: u8,
    small_len: usize,
    small: [u8; SMALL],
    /// errno of the first failed write, 0 if none.
    pub err: i32,
    fd: i32,
}

impl Default for Out {
    fn default() -> Self {
        Self::new(1)
    }
}

impl Out {
    pub const fn new(fd: i32) -> Out {
        Out {
            buf: Vec::new(),
            limit: 0,
            mode: 0,
            small_len: 0,
            small: [0; SMALL],
            err: 0,
            fd,
        }
    }

    #[inline]
    pub fn write(&mut self, b: &[u8]) {
        if self.buf.len() + b.len() <= self.limit {
            self.push(b);
        } else {
            self.write_slow(b);
        }
    }

    /// Appends `b` to the bulk buffer, which has room. A slice under 32 bytes is copied
    /// with a few overlapping loads and stores: musl's memcpy starts with `rep movsq`, tens
    /// of cycles before the first byte, which dominated output made of short fields
    /// (see `text::put`). Not inlined: at every call site it cost 29 KB in all.
    #[inline(never)]
    fn push(&mut self, b: &[u8]) {
        let (len, n) = (self.buf.len(), b.len());
        if n >= 32 || self.buf.capacity() - len < n {
            self.buf.extend_from_slice(b);
            return;
        }
        let (s, d) = (b.as_ptr(), self.buf.as_mut_ptr());
        // SAFETY: `d + len .. d + len + n` is within the buffer's capacity (checked above),
        // every access below lies within the first n bytes of `s` and of `d + len`, and the
        // bytes up to len + n are initialised before set_len.
        unsafe {
            let d = d.add(len);
            if n >= 16 {
                let (x, y) = (
                    s.cast::<[u8; 16]>().read_unaligned(),
                    s.add(n - 16).cast::<[u8; 16]>().read_unaligned(),
                );
                d.cast::<[u8; 16]>().write_unaligned(x);
                d.add(n - 16).cast::<[u8; 16]>().write_unaligned(y);
            } else if n >= 8 {
                let (x, y) = (
                    s.cast::<u64>().read_unaligned(),
                    s.add(n - 8).cast::<u64>().read_unaligned(),
                );
                d.cast::<u64>().write_unaligned(x);
                d.add(n - 8).cast::<u64>().write_unaligned(y);
            } else if n >= 4 {
                let (x, y) = (
                    s.cast::<u32>().read_unaligned(),
                    s.add(n - 4).cast::<u32>().read_unaligned(),
                );
                d.cast::<u32>().write_unaligned(x);
                d.add(n - 4).cast::<u32>().write_unaligned(y);
            } else if n > 0 {
                *d = *s;
                *d.add(n / 2) = *s.add(n / 2);
                *d.add(n - 1) = *s.add(n - 1);
            }
            self.buf.set_len(len + n);
        }
    }

    #[inline]
    pub fn byte(&mut self, c: u8) {
        if self.buf.len() < self.limit {
            self.buf.push(c);
        } else {
            self.write_slow(&[c]);
        }
    }

    /// Appends to the small buffer if `b` fits there.
    fn small_push(&mut self, b: &[u8]) -> bool {
        let n = self.small_len;
        match self.small.get_mut(n..n + b.len()) {
            Some(dst) => {
                dst.copy_from_slice(b);
                self.small_len += b.len();
                true
            }
            None => false,
        }
    }

    #[cold]
    fn write_slow(&mut self, b: &[u8]) {
        if self.mode == 0 {
            self.mode = if sys::isatty(self.fd) { 2 } else { 1 };
        }
        if self.mode == 2 {
            if !self.small_push(b) {
                self.flush();
                if !self.small_push(b) {
                    self.raw(b);
                }
            }
            if crate::bytes::memchr(b'\n', b).is_some() {
                self.flush();
            }
            return;
        }
        if self.mode == 1 {
            if self.small_push(b) {
                return;
            }
            // The small buffer is full: from now on this is bulk output.
            self.buf.reserve_exact(OUT_CAP);
            self.buf.extend_from_slice(&self.small[..self.small_len]);
            self.small_len = 0;
            self.limit = OUT_CAP;
            self.mode = 3;
            if self.buf.len() + b.len() <= OUT_CAP {
                self.buf.extend_from_slice(b);
                return;
            }
        }
        self.flush();
        if b.len() >= OUT_CAP {
            self.raw(b);
        } else {
            self.buf.extend_from_slice(b);
        }
    }

    fn raw(&mut self, b: &[u8]) {
        if self.err == 0 {
            if let Err(e) = sys::write_all(self.fd, b) {
                self.err = e;
            }
        }
    }

    /// Writes out what is buffered (needed before writing to fd 1 directly).
    pub fn flush(&mut self) {
        if self.small_len > 0 {
            let n = std::mem::take(&mut self.small_len);
            if self.err == 0 {
                if let Err(e) = sys::write_all(self.fd, &self.small[..n]) {
                    self.err = e;
                }
            }
        }
        if !self.buf.is_empty() {
            let b = std::mem::take(&mut self.buf);
            self.raw(&b);
            self.buf = b;
            self.buf.clear();
        }
    }

    /// A decimal number, without going through `fmt`.
    pub fn num(&mut self, n: u64) {
        let mut b = [0u8; 20];
        self.write(fmt_u64(n, &mut b));
    }

    /// Writes `b` then a newline.
    pub fn line(&mut self, b: &[u8]) {
        self.write(b);
        self.byte(b'\n');
    }
}

impl io::Write for Out {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        Out::write(self, b);
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Out::flush(self);
        Ok(())
    }
}

/// Formats `n` in decimal into the end of `buf`, returning the digits.
pub fn fmt_u64(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

/// An applet's context.
pub struct Cx {
    /// The name the applet was called by (`egrep`, not `grep`).
    pub name: &'static str,
    /// The applet's usage text (build.rs makes it from the file header, packed).
    pub help: crate::Help,
    pub out: Out,
}

pub const BANNER: &str = concat!("rbox v", env!("CARGO_PKG_VERSION"), " multi-call binary.\n");

impl Cx {
    pub fn new(name: &'static str, help: crate::Help) -> Cx {
        Cx {
            name,
            help,
            out: Out::new(1),
        }
    }

    /// `name: PARTS...\n` on stderr, in one write (no prefix when the name is empty).
    pub fn err(&self, parts: &[&[u8]]) {
        let mut m = Vec::with_capacity(128);
        if !self.name.is_empty() {
            m.extend_from_slice(self.name.as_bytes());
            m.extend_from_slice(b": ");
        }
        for p in parts {
            m.extend_from_slice(p);
        }
        m.push(b'\n');
        let _ = sys::write_all(2, &m);
    }

    /// `name: WHAT: strerror(errno)`.
    pub fn err_no(&self, what: &[u8], errno: i32) {
        self.err(&[what, b": ", sys::strerror(errno)]);
    }

    /// `name: WHAT: strerror` for an io::Error.
    pub fn err_io(&self, what: &[u8], e: &io::Error) {
        self.err_no(what, sys::errno_of(e));
    }

    /// `name: WHAT 'PATH': strerror`, BusyBox's most common shape (`can't stat 'x': No such
    /// file or directory`), without building the quoted part in a Vec first: one call
    /// instead of a concat and a free at each of the many sites that report it.
    pub fn err_path(&self, what: &[u8], path: &[u8], errno: i32) {
        self.err(&[what, b" '", path, b"': ", sys::strerror(errno)]);
    }

    /// `err_path`, returning exit status 1.
    pub fn fail_path(&self, what: &[u8], path: &[u8], errno: i32) -> Fail {
        self.err_path(what, path, errno);
        Fail(1)
    }

    /// `name: can't open 'PATH': strerror`.
    pub fn err_open(&self, path: &OsStr, errno: i32) {
        self.err(&[
            b"can't open '",
            path.as_bytes(),
            b"': ",
            sys::strerror(errno),
        ]);
    }

    /// Reports and returns exit status 1, for `return Err(cx.fail(...))`.
    pub fn fail(&self, parts: &[&[u8]]) -> Fail {
        self.err(parts);
        Fail(1)
    }

    /// Reports `name: WHAT: strerror` and returns exit status 1.
    pub fn fail_no(&self, what: &[u8], errno: i32) -> Fail {
        self.err_no(what, errno);
        Fail(1)
    }

    /// Prints the banner and the usage to stderr and returns exit status 1: what BusyBox
    /// does on a bad option or missing operand.
    pub fn usage(&self) -> Fail {
        self.show_help();
        Fail(1)
    }

    /// The banner and the usage on stderr (BusyBox prints `APPLET --help` there too).
    pub fn show_help(&self) {
        let help = self.help.text();
        let mut m = Vec::with_capacity(BANNER.len() + 1 + help.len());
        m.extend_from_slice(BANNER.as_bytes());
        m.push(b'\n');
        m.extend_from_slice(&help);
        let _ = sys::write_all(2, &m);
    }

    /// Flushes stdout and turns a write error into BusyBox's message and status 1.
    pub fn finish(&mut self, status: i32) -> i32 {
        self.out.flush();
        match self.out.err {
            0 => status,
            // A closed pipe with SIGPIPE ignored by our parent: end quietly, as if killed.
            libc::EPIPE => 1,
            e => {
                self.err_no(b"write error", e);
                1
            }
        }
    }
}
