//! Byte-oriented input: files or stdin as raw descriptors, read in large blocks, lines split
//! with memchr. Nothing here requires UTF-8.

use crate::{sys, Cx};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// An input file or stdin (`-`). A file is closed when dropped; stdin is not.
pub struct Input {
    fd: i32,
    owned: bool,
}

impl Input {
    pub fn stdin() -> Input {
        Input {
            fd: 0,
            owned: false,
        }
    }

    /// Opens `path` for reading; `-` is stdin. Err is the errno.
    pub fn open(path: &OsStr) -> Result<Input, i32> {
        if path.as_bytes() == b"-" {
            return Ok(Input::stdin());
        }
        sys::open_read(path.as_bytes()).map(|fd| Input { fd, owned: true })
    }

    pub fn fd(&self) -> i32 {
        self.fd
    }

    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, i32> {
        sys::read(self.fd, buf)
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        if self.owned {
            // SAFETY: we own this descriptor and nothing else refers to it.
            unsafe { libc::close(self.fd) };
        }
    }
}

impl std::io::Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        Input::read(self, buf).map_err(std::io::Error::from_raw_os_error)
    }
}

impl Cx {
    /// Opens an input file, reporting `can't open 'X': ...` on failure (BusyBox's
    /// fopen_or_warn); the caller records the failed status and goes on.
    pub fn open_input(&self, path: &OsStr) -> Option<Input> {
        match Input::open(path) {
            Ok(i) => Some(i),
            Err(e) => {
                self.err_open(path, e);
                None
            }
        }
    }
}

// 128 KiB reads, as GNU's tools read: a quarter of the system calls of 32 KiB blocks, for
// memory that is only touched as far as the input goes (a longer line grows the buffer).
pub const BLOCK: usize = 128 * 1024;

/// Splits an input into lines without copying them: each line is a slice of one buffer,
/// read in 128 KiB blocks; a longer line grows the buffer.
pub struct Lines {
    pub input: Input,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
}

impl Lines {
    pub fn new(input: Input) -> Lines {
        Lines {
            input,
            buf: Vec::new(),
            start: 0,
            end: 0,
            eof: false,
        }
    }

    /// The next line with its `\n` (the last line may lack one); None at end of input.
    /// Err is the errno of a failed read.
    pub fn next_line(&mut self) -> Result<Option<&[u8]>, i32> {
        let mut scan = self.start;
        loop {
            if let Some(i) = crate::bytes::memchr(b'\n', &self.buf[scan..self.end]) {
                let s = self.start;
                self.start = scan + i + 1;
                return Ok(Some(&self.buf[s..self.start]));
            }
            if self.eof {
                if self.start == self.end {
                    return Ok(None);
                }
                let s = self.start;
                self.start = self.end;
                return Ok(Some(&self.buf[s..self.end]));
            }
            // Move the partial line to the front, grow if it fills the buffer, read more.
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            scan = self.end;
            if self.buf.len() - self.end < BLOCK / 2 {
                let n = (self.buf.len() * 2).max(BLOCK);
                self.buf.resize(n, 0);
            }
            let n = self.input.read(&mut self.buf[self.end..])?;
            if n == 0 {
                self.eof = true;
            }
            self.end += n;
        }
    }

    /// The next record ending in `sep` (sed -z, grep -z: NUL), without its separator, and
    /// whether it had one; None at end of input. Err is the errno of a failed read.
    pub fn next_record(&mut self, sep: u8) -> Result<Option<(&[u8], bool)>, i32> {
        let mut scan = self.start;
        loop {
            if let Some(i) = crate::bytes::memchr(sep, &self.buf[scan..self.end]) {
                let s = self.start;
                self.start = scan + i + 1;
                return Ok(Some((&self.buf[s..scan + i], true)));
            }
            if self.eof {
                if self.start == self.end {
                    return Ok(None);
                }
                let s = self.start;
                self.start = self.end;
                return Ok(Some((&self.buf[s..self.end], false)));
            }
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            scan = self.end;
            if self.buf.len() - self.end < BLOCK / 2 {
                let n = (self.buf.len() * 2).max(BLOCK);
                self.buf.resize(n, 0);
            }
            let n = self.input.read(&mut self.buf[self.end..])?;
            if n == 0 {
                self.eof = true;
            }
            self.end += n;
        }
    }
}

/// The line filters' file loop (expand, fold, nl, rev, cut...): each operand in turn (none
/// means `-`), its lines handed to `each` with their `\n`. A file that cannot be opened or
/// read is reported as `applet: NAME: strerror` (BusyBox's bb_simple_perror_msg) and the
/// next one goes on. Returns the exit status: 1 after any such failure or once output has
/// failed (which stops the loop), else 0.
#[inline]
pub fn for_each_line(
    cx: &mut Cx,
    operands: &[&OsStr],
    mut each: impl FnMut(&mut Cx, &[u8]),
) -> i32 {
    let dash: [&OsStr; 1] = [OsStr::new("-")];
    let files = if operands.is_empty() {
        &dash[..]
    } else {
        operands
    };
    let mut st = 0;
    for &f in files {
        let mut lines = match Input::open(f) {
            Ok(i) => Lines::new(i),
            Err(e) => {
                cx.err_no(f.as_bytes(), e);
                st = 1;
                continue;
            }
        };
        loop {
            match lines.next_line() {
                Ok(Some(l)) => each(cx, l),
                Ok(None) => break,
                Err(e) => {
                    cx.err_no(f.as_bytes(), e);
                    st = 1;
                    break;
                }
            }
            if cx.out.err != 0 {
                return 1;
            }
        }
    }
    st
}
