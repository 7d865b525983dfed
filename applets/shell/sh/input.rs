//! Where the shell's commands come from, a line at a time, so each complete command runs
//! before the next is read (as ash runs a script). The parser asks its `Feed` for the next
//! line whenever its source runs out, mid-word or between commands.
//!
//! A script file is read in blocks from its own descriptor. Standard input is shared with
//! the commands the shell runs, and POSIX wants `read x` or `head -n1` to see the input
//! just after the command that runs them: a seekable stdin is read in blocks with `pread`
//! while the file offset stays just after what was parsed; a pipe or terminal is read a
//! byte at a time, never past the newline. (Both ash and dash read stdin ahead in blocks,
//! so `printf 'read x\nhello\n' | sh` gives `read` nothing there; bash and rbox do not.)

use crate::sys;

/// A source of lines for the parser.
pub trait Feed {
    /// Appends the next line (through its newline, or the rest of the input at its end) to
    /// `out`; false when nothing is left.
    fn fill(&mut self, out: &mut Vec<u8>) -> bool;
    /// The parser is about to run what it has read, except the last `unread` bytes: an
    /// input that can step back does so (and returns true: the parser forgets them).
    fn sync(&mut self, _unread: usize) -> bool {
        false
    }
}

const BLOCK: usize = 16 * 1024;

#[derive(PartialEq, Eq)]
enum Mode {
    /// The shell's own descriptor (a script file): read ahead freely.
    Ahead,
    /// A seekable stdin: pread in blocks, the offset kept just after the commands run.
    Seek,
    /// A pipe or terminal: one byte per read.
    Byte,
}

pub struct FdFeed {
    fd: i32,
    mode: Mode,
    buf: Vec<u8>,
    /// Next unread byte of `buf`.
    at: usize,
    /// Seek mode: the file offset of `buf[0]`, and of the next byte for the parser.
    base: i64,
    next: i64,
    /// Seek mode: the offset the shell last gave stdin (a command that reads moves it).
    set: i64,
    eof: bool,
}

impl FdFeed {
    /// A script's own descriptor.
    pub fn file(fd: i32) -> FdFeed {
        FdFeed::new(fd, Mode::Ahead)
    }

    /// Standard input (or any descriptor shared with commands).
    pub fn shared(fd: i32) -> FdFeed {
        // SAFETY: lseek only inspects the descriptor.
        let off = unsafe { libc::lseek(fd, 0, libc::SEEK_CUR) };
        let mut f = FdFeed::new(fd, if off >= 0 && !sys::isatty(fd) { Mode::Seek } else { Mode::Byte });
        f.base = off.max(0);
        f.next = f.base;
        f.set = f.base;
        f
    }

    fn new(fd: i32, mode: Mode) -> FdFeed {
        FdFeed {
            fd,
            mode,
            buf: Vec::new(),
            at: 0,
            base: 0,
            next: 0,
            set: 0,
            eof: false,
        }
    }

    /// More bytes into `buf` (after `at`); false at the end of the input.
    fn refill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        self.buf.drain(..self.at);
        self.base += self.at as i64;
        self.at = 0;
        let n = if self.mode == Mode::Byte { 1 } else { BLOCK };
        let old = self.buf.len();
        self.buf.resize(old + n, 0);
        let r = loop {
            let dst = &mut self.buf[old..];
            // SAFETY: reads into the slice just made.
            let r = unsafe {
                match self.mode {
                    Mode::Seek => libc::pread(
                        self.fd,
                        dst.as_mut_ptr().cast(),
                        dst.len(),
                        self.base + old as i64,
                    ),
                    _ => libc::read(self.fd, dst.as_mut_ptr().cast(), dst.len()),
                }
            };
            if r >= 0 || sys::errno() != libc::EINTR {
                break r;
            }
        };
        let got = r.max(0) as usize;
        self.buf.truncate(old + got);
        if got == 0 {
            self.eof = true;
        }
        got > 0
    }
}

impl Feed for FdFeed {
    fn fill(&mut self, out: &mut Vec<u8>) -> bool {
        if self.mode == Mode::Seek {
            // A command may have read or moved stdin since: go on from where it left it.
            // SAFETY: lseek only inspects the descriptor.
            let off = unsafe { libc::lseek(self.fd, 0, libc::SEEK_CUR) };
            if off >= 0 && off != self.set {
                self.buf.clear();
                self.at = 0;
                self.base = off;
                self.next = off;
                self.set = off;
                self.eof = false;
            }
        }
        let start = out.len();
        loop {
            let avail = &self.buf[self.at..];
            if let Some(i) = crate::bytes::memchr(b'\n', avail) {
                out.extend_from_slice(&avail[..=i]);
                self.at += i + 1;
                break;
            }
            out.extend_from_slice(avail);
            self.at = self.buf.len();
            if !self.refill() {
                break;
            }
        }
        let got = out.len() - start;
        self.next += got as i64;
        // NUL bytes cannot be in a command line: ash drops them from its input.
        if crate::bytes::memchr(0, &out[start..]).is_some() {
            let mut i = 0;
            out.retain(|&c| {
                i += 1;
                i <= start || c != 0
            });
        }
        got > 0
    }

    fn sync(&mut self, unread: usize) -> bool {
        if self.mode != Mode::Seek {
            return false;
        }
        self.next -= unread as i64;
        // Keep the block: when no command touches stdin the next line is still in it.
        let rel = self.next - self.base;
        if rel >= 0 && rel as usize <= self.buf.len() {
            self.at = rel as usize;
        } else {
            self.buf.clear();
            self.at = 0;
            self.base = self.next;
            self.eof = false;
        }
        if unread > 0 {
            self.eof = false;
        }
        self.set = self.next;
        // SAFETY: moves our own descriptor's offset.
        unsafe { libc::lseek(self.fd, self.next, libc::SEEK_SET) };
        true
    }
}
