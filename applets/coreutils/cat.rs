//! applet: cat
//! dir: bin
//! usage: cat [-nbvteA] [FILE]...
//! Print FILEs to stdout
//!
//! -n  Number output lines
//! -b  Number nonempty lines
//! -v  Show nonprinting characters as ^x or M-x
//! -t  ...and tabs as ^I
//! -e  ...and end lines with $
//! -A  Same as -vte

use crate::io::{Input, Lines};
use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // -u (unbuffered) is POSIX's only option; output is never held back here, so it is
    // accepted and ignored, as BusyBox does. -s (squeeze runs of empty lines into one) is
    // beyond BusyBox 1.35, which rejects it: users type it and the project's issue names it,
    // so it works as GNU's does (across files too); --help keeps BusyBox's text.
    let o = cx.getopt(args, "unbvteAs", &[])?;
    let squeeze = o.has(b's');
    let all = o.has(b'A');
    let e = all || o.has(b'e');
    let t = all || o.has(b't');
    let v = e || t || o.has(b'v');
    // -b wins over -n, whichever comes first (BusyBox).
    let num = if o.has(b'b') {
        Number::NonEmpty
    } else if o.has(b'n') {
        Number::All
    } else {
        Number::None
    };
    let dash: [&OsStr; 1] = [OsStr::new("-")];
    let files: &[&OsStr] = if o.args.is_empty() { &dash } else { &o.args };
    if v {
        Ok(visible(cx, files, num, e, t, squeeze))
    } else if num != Number::None || squeeze {
        Ok(numbered(cx, files, num, squeeze))
    } else {
        Ok(plain(cx, files))
    }
}

/// Which lines get a number.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Number {
    None,
    All,
    NonEmpty,
}

/// No option changes the bytes: each file goes to fd 1 by the kernel's copy calls.
///
/// The kernels here are `pub` for benchmarks (`rbox::applets::a_cat::...`): [`copy_fd`]
/// between two descriptors, and [`numbered`] / [`visible`] through a `Cx` whose `out`
/// writes where the benchmark wants.
pub fn plain(cx: &mut Cx, files: &[&OsStr]) -> i32 {
    cx.out.flush();
    let mut st = 0;
    for f in files {
        let Some(inp) = cx.open_input(f) else {
            st = 1;
            continue;
        };
        match copy_fd(inp.fd(), 1) {
            Ok(_) => {}
            Err(CopyErr::Read(e)) => {
                cx.err_no(b"read error", e);
                st = 1;
            }
            Err(CopyErr::Write(libc::EPIPE)) => {
                // SIGPIPE is ignored (else we were dead already): end quietly, status 1.
                cx.out.err = libc::EPIPE;
                return 1;
            }
            Err(CopyErr::Write(e)) => {
                // BusyBox reports the failed file and goes on with the next one.
                cx.err_no(b"write error", e);
                st = 1;
            }
        }
    }
    st
}

/// Why [`copy_fd`] stopped: the errno of a failed read or of a failed write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyErr {
    Read(i32),
    Write(i32),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum How {
    CopyRange,
    SendFile,
    Splice,
    ReadWrite,
}

/// Bytes asked of one kernel copy call (sendfile stops at 2 GiB - 4 KiB anyway).
const CHUNK: usize = 1 << 30;
/// The read/write fallback's buffer.
const RW_BUF: usize = 128 * 1024;

fn file_type(fd: i32) -> libc::mode_t {
    // SAFETY: st is plain data that fstat fills in.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(fd, &mut st) == 0 {
            st.st_mode & libc::S_IFMT
        } else {
            0
        }
    }
}

/// Copies `inp` to `out` until end of input, through both descriptors' file offsets, and
/// returns the bytes copied. The kernel moves the data where it can: copy_file_range
/// between regular files, sendfile from a regular file or block device to anything,
/// splice from a pipe; a read/write loop with a large buffer otherwise. A fast call that
/// fails (EINVAL, EXDEV, ENOSYS, O_APPEND output, a tty...) hands over to the next method,
/// ending with read/write, which then reports a real error as a read or a write error. A
/// fast call that returns 0 at once hands over too, because /proc- and /sys-like files can
/// report end of file there though read(2) has data.
pub fn copy_fd(inp: i32, out: i32) -> Result<u64, CopyErr> {
    let (ti, to) = (file_type(inp), file_type(out));
    let mut how = match ti {
        libc::S_IFREG if to == libc::S_IFREG => How::CopyRange,
        libc::S_IFREG | libc::S_IFBLK => How::SendFile,
        libc::S_IFIFO => How::Splice,
        _ => How::ReadWrite,
    };
    let mut total = 0u64;
    let mut moved_any = false;
    while how != How::ReadWrite {
        // SAFETY: plain system calls on descriptors; null offsets mean "use and advance
        // the file offsets", no memory of ours is touched.
        let n = unsafe {
            match how {
                How::CopyRange => libc::syscall(
                    libc::SYS_copy_file_range,
                    inp,
                    std::ptr::null_mut::<libc::loff_t>(),
                    out,
                    std::ptr::null_mut::<libc::loff_t>(),
                    CHUNK,
                    0u32,
                ) as isize,
                How::SendFile => libc::sendfile(out, inp, std::ptr::null_mut(), CHUNK),
                _ => libc::splice(
                    inp,
                    std::ptr::null_mut(),
                    out,
                    std::ptr::null_mut(),
                    CHUNK,
                    libc::SPLICE_F_MOVE,
                ),
            }
        };
        if n > 0 {
            total += n as u64;
            moved_any = true;
            continue;
        }
        if n == 0 && (moved_any || how == How::Splice) {
            return Ok(total);
        }
        if n < 0 && sys::errno() == libc::EINTR {
            continue;
        }
        how = if how == How::CopyRange && n < 0 {
            How::SendFile
        } else {
            How::ReadWrite
        };
    }
    let mut buf = vec![0u8; RW_BUF];
    loop {
        let n = sys::read(inp, &mut buf).map_err(CopyErr::Read)?;
        let Some(b) = buf.get(..n).filter(|b| !b.is_empty()) else {
            return Ok(total);
        };
        sys::write_all(out, b).map_err(CopyErr::Write)?;
        total += n as u64;
    }
}

/// A line counter kept as right-aligned decimal text, printed `%6u` as BusyBox does.
struct Counter {
    buf: [u8; 20],
    first: usize,
}

impl Counter {
    fn new() -> Counter {
        let mut buf = [b' '; 20];
        buf[19] = b'0';
        Counter { buf, first: 19 }
    }

    /// Adds one and returns the number, at least 6 columns wide.
    fn next(&mut self) -> &[u8] {
        let mut i = self.buf.len();
        while i > 0 {
            i -= 1;
            match self.buf[i] {
                b'9' => self.buf[i] = b'0',
                b' ' => {
                    self.buf[i] = b'1';
                    break;
                }
                d => {
                    self.buf[i] = d + 1;
                    break;
                }
            }
        }
        self.first = self.first.min(i);
        &self.buf[self.first.min(self.buf.len() - 6)..]
    }
}

/// -n / -b: `%6u\t` before each (non-empty) line. As in BusyBox, numbering runs on
/// across files and each file's last line is ended with a newline. -s (alone or with
/// them): a run of empty lines comes out as one.
pub fn numbered(cx: &mut Cx, files: &[&OsStr], num: Number, squeeze: bool) -> i32 {
    let mut n = Counter::new();
    let mut st = 0;
    let mut was_blank = false;
    for f in files {
        let inp = match Input::open(f) {
            Ok(i) => i,
            // -n/-b name a missing file without "can't open" (BusyBox).
            Err(e) if num != Number::None => {
                cx.err_no(f.as_bytes(), e);
                st = 1;
                continue;
            }
            Err(e) => {
                cx.err_open(f, e);
                st = 1;
                continue;
            }
        };
        let mut lines = Lines::new(inp);
        loop {
            match lines.next_line() {
                Ok(Some(l)) => {
                    let blank = l == b"\n";
                    if squeeze && blank && was_blank {
                        continue;
                    }
                    was_blank = blank;
                    if num == Number::None || (num == Number::NonEmpty && blank) {
                        cx.out.write(l);
                        continue;
                    }
                    cx.out.write(n.next());
                    cx.out.byte(b'\t');
                    cx.out.write(l);
                    if l.last() != Some(&b'\n') {
                        cx.out.byte(b'\n');
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    cx.err_no(b"read error", e);
                    st = 1;
                    break;
                }
            }
            if cx.out.err != 0 {
                break;
            }
        }
    }
    st
}

/// -v -e -t -A (with -n / -b): control characters as ^X, bytes above 127 as M-, tabs as
/// ^I with -t, `$` before each newline with -e. Unlike -n alone, numbers are followed by
/// two spaces and a last line without a newline stays so (BusyBox).
pub fn visible(cx: &mut Cx, files: &[&OsStr], num: Number, e: bool, t: bool, squeeze: bool) -> i32 {
    let mut n = Counter::new();
    let mut bol = num != Number::None;
    // For -s: at the start of a line, and whether the line before was empty.
    let (mut sol, mut was_blank) = (true, false);
    let mut st = 0;
    let mut buf = vec![0u8; crate::io::BLOCK];
    for f in files {
        let Some(mut inp) = cx.open_input(f) else {
            st = 1;
            continue;
        };
        while cx.out.err == 0 {
            let len = match inp.read(&mut buf) {
                Ok(0) => break,
                Ok(len) => len,
                Err(e) => {
                    cx.err_no(b"read error", e);
                    st = 1;
                    break;
                }
            };
            let data = buf.get(..len).unwrap_or_default();
            let mut i = 0;
            while let Some(&c) = data.get(i) {
                if sol {
                    let blank = c == b'\n';
                    if squeeze && blank && was_blank {
                        i += 1;
                        continue;
                    }
                    was_blank = blank;
                    sol = false;
                }
                if bol {
                    if !(num == Number::NonEmpty && c == b'\n') {
                        cx.out.write(n.next());
                        cx.out.write(b"  ");
                    }
                    bol = false;
                }
                // A run of bytes shown as they are, in one write.
                let run = data[i..]
                    .iter()
                    .position(|&b| !((32..127).contains(&b) || (b == b'\t' && !t)))
                    .unwrap_or(data.len() - i);
                if run > 0 {
                    cx.out.write(&data[i..i + run]);
                    i += run;
                    continue;
                }
                i += 1;
                match c {
                    b'\n' => {
                        if e {
                            cx.out.byte(b'$');
                        }
                        cx.out.byte(b'\n');
                        bol = num != Number::None;
                        sol = true;
                    }
                    b'\t' => cx.out.write(b"^I"),
                    _ => {
                        if c >= 128 {
                            cx.out.write(b"M-");
                        }
                        let c = c & 127;
                        if c == 127 {
                            cx.out.write(b"^?");
                        } else if c < 32 {
                            cx.out.write(&[b'^', c + b'@']);
                        } else {
                            cx.out.byte(c);
                        }
                    }
                }
            }
        }
    }
    st
}
