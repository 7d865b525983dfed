//! The command-line driver shared by the compressors (BusyBox's bbunpack): gzip, bzip2, xz
//! and lzma, each with its unpacking and cat forms.
//!
//! ```text
//! compress::main(cx, args, Codec::Bz, Mode::Unpack)   // bunzip2
//! ```
//! Options -1..-9 -c -d -f -k -q -t -v (and gzip's -l -n); a new file is written to a
//! temporary beside its input and renamed only when complete, then the input is unlinked.
//! The codecs are streams from a [`Src`] to a sink closure, so a decompression bomb is never
//! held in memory, and the fuzz targets can drive a decoder from a byte slice.

use crate::sys;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// Which format the driver speaks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Gz,
    Bz,
    Xz,
    Lzma,
}

/// Which applet runs the driver: `gzip`, `gunzip` or `zcat` (and so on).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Pack,
    Unpack,
    Cat,
}

/// What went wrong in a codec: I/O (an errno) or the data (BusyBox's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fail {
    Read(i32),
    Write(i32),
    Data(&'static [u8]),
}

impl Fail {
    pub fn msg(self) -> &'static [u8] {
        match self {
            Fail::Read(e) | Fail::Write(e) => sys::strerror(e),
            Fail::Data(m) => m,
        }
    }
}

/// Where a decoder's input comes from: a descriptor, or bytes (tests and fuzz targets).
pub trait Src {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, i32>;
    /// The descriptor behind it, if any (gz's reader reads a descriptor itself).
    fn fd(&self) -> i32 {
        -1
    }
}

/// A descriptor as a [`Src`].
pub struct Fd(pub i32);

impl Src for Fd {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, i32> {
        sys::read(self.0, buf)
    }
    fn fd(&self) -> i32 {
        self.0
    }
}

impl Src for &[u8] {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, i32> {
        let n = buf.len().min(self.len());
        buf[..n].copy_from_slice(&self[..n]);
        *self = &self[n..];
        Ok(n)
    }
}

/// Where decoded (or encoded) bytes go.
pub type Sink<'a> = &'a mut dyn FnMut(&[u8]) -> Result<(), Fail>;

/// A read buffer over a [`Src`] that counts what it read.
pub struct InBuf<'a> {
    src: &'a mut dyn Src,
    buf: Vec<u8>,
    ip: usize,
    iend: usize,
    pub eof: bool,
    pub total: u64,
}

impl<'a> InBuf<'a> {
    pub fn new(src: &'a mut dyn Src) -> InBuf<'a> {
        InBuf {
            src,
            buf: vec![0u8; crate::io::BLOCK],
            ip: 0,
            iend: 0,
            eof: false,
            total: 0,
        }
    }

    /// The buffered bytes not yet consumed.
    pub fn data(&self) -> &[u8] {
        &self.buf[self.ip..self.iend]
    }

    pub fn consume(&mut self, n: usize) {
        self.ip = (self.ip + n).min(self.iend);
    }

    /// Makes sure `n` bytes (at most a block) are buffered: fewer only at the end of input.
    pub fn fill(&mut self, n: usize) -> Result<usize, Fail> {
        let n = n.min(self.buf.len());
        while self.iend - self.ip < n && !self.eof {
            if self.ip > 0 {
                self.buf.copy_within(self.ip..self.iend, 0);
                self.iend -= self.ip;
                self.ip = 0;
            }
            match self.src.read(&mut self.buf[self.iend..]) {
                Ok(0) => self.eof = true,
                Ok(k) => {
                    self.iend += k;
                    self.total += k as u64;
                }
                Err(e) => return Err(Fail::Read(e)),
            }
        }
        Ok(self.iend - self.ip)
    }

    /// Refills when empty; the bytes available (0 only at the end of input).
    pub fn more(&mut self) -> Result<usize, Fail> {
        if self.ip == self.iend {
            self.fill(1)
        } else {
            Ok(self.iend - self.ip)
        }
    }
}

/// Reads `fd` to its end in blocks, handing each to `f`.
pub fn each_block(fd: i32, f: &mut dyn FnMut(&[u8]) -> Result<(), Fail>) -> Result<(), Fail> {
    let mut buf = vec![0u8; crate::io::BLOCK];
    loop {
        match sys::read(fd, &mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => f(&buf[..n])?,
            Err(e) => return Err(Fail::Read(e)),
        }
    }
}

/// A writer that collects an encoder's small writes into blocks for a descriptor.
pub struct Blocks {
    fd: i32,
    buf: Vec<u8>,
    pub total: u64,
}

impl Blocks {
    pub fn new(fd: i32) -> Blocks {
        Blocks {
            fd,
            buf: Vec::with_capacity(crate::io::BLOCK),
            total: 0,
        }
    }
    fn push(&mut self) -> std::io::Result<()> {
        let r = sys::write_all(self.fd, &self.buf);
        self.buf.clear();
        r.map_err(std::io::Error::from_raw_os_error)
    }
}

impl std::io::Write for Blocks {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if self.buf.len() + b.len() > crate::io::BLOCK {
            self.push()?;
        }
        self.total += b.len() as u64;
        if b.len() >= crate::io::BLOCK {
            sys::write_all(self.fd, b).map_err(std::io::Error::from_raw_os_error)?;
        } else {
            self.buf.extend_from_slice(b);
        }
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.push()
    }
}

/// An encoder's io::Error as a write failure (the only I/O it does is writing).
pub fn write_fail(e: std::io::Error) -> Fail {
    Fail::Write(e.raw_os_error().unwrap_or(libc::EIO))
}

/// The per-format facts the driver needs.
struct Spec {
    /// getopt string.
    opts: &'static str,
    level: u8,
    /// The suffix a packed file gets.
    suffix: &'static [u8],
    /// Suffixes an unpacked name loses, and what replaces them.
    strip: &'static [(&'static [u8], &'static [u8])],
    /// Whether data errors name the file (BusyBox's gunzip does not; the newer applets do,
    /// as the reference tools do, so a message among several files says which).
    named: bool,
}

fn spec(c: Codec) -> Spec {
    match c {
        Codec::Gz => Spec {
            opts: "cfkdtlnqv123456789",
            level: 6,
            suffix: b".gz",
            strip: &[(b".tgz", b".tar"), (b".gz", b"")],
            named: false,
        },
        Codec::Bz => Spec {
            opts: "cfkdtzqvsL123456789",
            level: 9,
            suffix: b".bz2",
            strip: &[
                (b".tbz2", b".tar"),
                (b".tbz", b".tar"),
                (b".bz2", b""),
                (b".bz", b""),
            ],
            named: true,
        },
        Codec::Xz => Spec {
            opts: "cfkdtlzqveC:T:0123456789",
            level: 6,
            suffix: b".xz",
            strip: &[(b".txz", b".tar"), (b".xz", b"")],
            named: true,
        },
        Codec::Lzma => Spec {
            opts: "cfkdtlzqveC:T:0123456789",
            level: 6,
            suffix: b".lzma",
            strip: &[(b".tlz", b".tar"), (b".lzma", b"")],
            named: true,
        },
    }
}

const LONG: &[(&str, u8)] = &[
    ("stdout", b'c'),
    ("to-stdout", b'c'),
    ("decompress", b'd'),
    ("uncompress", b'd'),
    ("compress", b'z'),
    ("force", b'f'),
    ("keep", b'k'),
    ("test", b't'),
    ("quiet", b'q'),
    ("verbose", b'v'),
    ("fast", b'1'),
    ("best", b'9'),
    ("extreme", b'e'),
    ("threads", b'T'),
];

/// xz's and lzma's: the shared ones and --list, --check.
const LONG_XZ: &[(&str, u8)] = &[
    ("stdout", b'c'),
    ("to-stdout", b'c'),
    ("decompress", b'd'),
    ("uncompress", b'd'),
    ("compress", b'z'),
    ("force", b'f'),
    ("keep", b'k'),
    ("test", b't'),
    ("quiet", b'q'),
    ("verbose", b'v'),
    ("fast", b'1'),
    ("best", b'9'),
    ("extreme", b'e'),
    ("threads", b'T'),
    ("list", b'l'),
    ("check", b'C'),
];

/// xz's -C and -T, checked as xz-utils checks them: the check ID for the stream header
/// (-T is accepted and ignored: rbox's xz compresses in one thread).
fn xz_opts(cx: &crate::Cx, o: &crate::args::Opts) -> Result<u8, crate::Fail> {
    if let Some(t) = o.val(b'T') {
        let t = t.as_bytes();
        if t.is_empty() || !t.iter().all(u8::is_ascii_digit) {
            return Err(cx.fail(&[t, b": Value is not a non-negative decimal integer"]));
        }
        if t.len() > 5 || crate::sys::atoi(t) > 16384 {
            return Err(
                cx.fail(&[b"Value of the option `threads' must be in the range [0, 16384]"])
            );
        }
    }
    Ok(match o.val(b'C').map(|c| c.as_bytes()) {
        None => 4,
        Some(b"none") => 0,
        Some(b"crc32") => 1,
        Some(b"crc64") => 4,
        Some(b"sha256") => 10,
        Some(c) => return Err(cx.fail(&[c, b": Unsupported integrity check type"])),
    })
}

/// Decodes everything from `src` into `sink`; returns (bytes in, bytes out).
#[allow(unused_variables)]
fn unpack(c: Codec, src: &mut dyn Src, sink: Sink) -> Result<(u64, u64), Fail> {
    match c {
        #[cfg(any(feature = "gunzip", feature = "gzip", feature = "zcat"))]
        Codec::Gz => crate::gz::decode(src, sink),
        #[cfg(any(feature = "bunzip2", feature = "bzcat", feature = "bzip2"))]
        Codec::Bz => crate::bz::decode(src, sink),
        #[cfg(any(
            feature = "xz",
            feature = "unxz",
            feature = "xzcat",
            feature = "lzma",
            feature = "unlzma",
            feature = "lzcat"
        ))]
        Codec::Xz => crate::xz::decode_xz(src, sink, u32::MAX),
        #[cfg(any(
            feature = "xz",
            feature = "unxz",
            feature = "xzcat",
            feature = "lzma",
            feature = "unlzma",
            feature = "lzcat"
        ))]
        Codec::Lzma => crate::xz::decode_lzma(src, sink, u32::MAX),
        #[allow(unreachable_patterns)]
        _ => Err(Fail::Data(b"format not built in")),
    }
}

/// Encodes all of `fd` to `out`; returns (bytes in, bytes out).
#[allow(unused_variables)]
fn pack(c: Codec, fd: i32, out: i32, level: u8, mtime: u32, check: u8) -> Result<(u64, u64), Fail> {
    match c {
        #[cfg(any(feature = "gunzip", feature = "gzip", feature = "zcat"))]
        Codec::Gz => crate::gz::encode(fd, out, level, mtime),
        #[cfg(any(feature = "bunzip2", feature = "bzcat", feature = "bzip2"))]
        Codec::Bz => crate::bz::encode(fd, out, level),
        #[cfg(any(
            feature = "xz",
            feature = "unxz",
            feature = "xzcat",
            feature = "lzma",
            feature = "unlzma",
            feature = "lzcat"
        ))]
        Codec::Xz => crate::xz::encode_xz(fd, out, level, check),
        #[cfg(any(
            feature = "xz",
            feature = "unxz",
            feature = "xzcat",
            feature = "lzma",
            feature = "unlzma",
            feature = "lzcat"
        ))]
        Codec::Lzma => crate::xz::encode_lzma(fd, out, level),
        #[allow(unreachable_patterns)]
        _ => Err(Fail::Data(b"format not built in")),
    }
}

/// A temporary beside `path` (`DIR/.NAME.XXXXXX`).
fn tmp_name(path: &[u8]) -> Option<std::ffi::CString> {
    let cut = path.iter().rposition(|&c| c == b'/').map_or(0, |i| i + 1);
    let (dir, name) = path.split_at(cut);
    let mut r = [0u8; 6];
    // SAFETY: r is writable for its length.
    unsafe { libc::getrandom(r.as_mut_ptr().cast(), r.len(), 0) };
    let mut v = Vec::with_capacity(path.len() + 8);
    v.extend_from_slice(dir);
    v.push(b'.');
    v.extend_from_slice(&name[..name.len().min(240)]);
    v.push(b'.');
    for b in r {
        v.push(b"abcdefghijklmnopqrstuvwxyz0123456789"[b as usize % 36]);
    }
    std::ffi::CString::new(v).ok()
}

fn ratio(out: &mut crate::cx::Out, num: i64, den: u64) {
    // GNU's display_ratio: a sign or a space, then tenths of a percent.
    let t = if den == 0 {
        0
    } else {
        num.saturating_mul(1000) / den as i64
    };
    out.byte(if t < 0 { b'-' } else { b' ' });
    let t = t.unsigned_abs();
    let _ = std::io::Write::write_fmt(out, format_args!("{:>2}.{}%", t / 10, t % 10));
}

/// The output name for `fb`, or None for an unknown suffix.
fn new_name(sp: &Spec, fb: &[u8], decode: bool) -> Option<Vec<u8>> {
    if !decode {
        let mut v = fb.to_vec();
        v.extend_from_slice(sp.suffix);
        return Some(v);
    }
    for (suf, rep) in sp.strip {
        if let Some(s) = fb.strip_suffix(*suf) {
            if rep.is_empty() && (s.is_empty() || s.ends_with(b"/")) {
                return None;
            }
            let mut v = s.to_vec();
            v.extend_from_slice(rep);
            return Some(v);
        }
    }
    None
}

/// gzip, gunzip, zcat, bzip2, bunzip2, bzcat, xz, unxz, xzcat, lzma, unlzma, lzcat.
pub fn main(cx: &mut crate::Cx, args: &[&OsStr], codec: Codec, mode: Mode) -> crate::Res {
    let sp = spec(codec);
    let longs = match codec {
        Codec::Gz => &[][..],
        Codec::Bz => LONG,
        _ => LONG_XZ,
    };
    let o = cx.getopt(args, sp.opts, longs)?;
    let check = if matches!(codec, Codec::Xz | Codec::Lzma) {
        xz_opts(cx, &o)?
    } else {
        0
    };
    let level = o.last_of(b"0123456789").unwrap_or(b'0' + sp.level) - b'0';
    let level = if codec == Codec::Bz {
        level.max(1)
    } else {
        level
    };
    // -z compresses whatever the name (bunzip2 -z, as GNU bzip2 and xz do).
    let decode = (mode != Mode::Pack || o.has(b'd') || o.has(b't') || o.has(b'l'))
        && !(mode != Mode::Cat && o.has(b'z'));
    let to_stdout = mode == Mode::Cat || o.has(b'c');
    let (test, list, force, verbose) = (
        o.has(b't'),
        o.has(b'l'),
        o.has(b'f'),
        o.has(b'v') && !o.has(b'q'),
    );
    let keep = o.has(b'k') || to_stdout || test;
    let mut files = o.args.clone();
    if files.is_empty() {
        files.push(OsStr::new("-"));
    }
    #[cfg(any(
        feature = "xz",
        feature = "unxz",
        feature = "xzcat",
        feature = "lzma",
        feature = "unlzma",
        feature = "lzcat"
    ))]
    if list && codec == Codec::Xz {
        return crate::xz::list(cx, &files);
    }
    if list && codec == Codec::Lzma {
        return Err(cx.fail(&[b"--list works only on .xz files (--format=xz or --format=auto)"]));
    }
    let mut status = 0;
    let mut listed_head = false;
    for f in files {
        let fb = f.as_bytes();
        let stdin = fb == b"-";
        if stdin && !force && !test && !list {
            if decode && sys::isatty(0) {
                return Err(
                    cx.fail(&[b"compressed data not read from terminal. Use -f to force it."])
                );
            }
            if !decode && sys::isatty(1) {
                return Err(cx.fail(&[
                    b"compressed data not written to a terminal. Use -f to force compression.",
                ]));
            }
        }
        // BusyBox says `gzip: NAME: strerror` here, not `can't open`.
        let inp = match crate::io::Input::open(f) {
            Ok(i) => i,
            Err(e) => {
                cx.err_no(fb, e);
                status = 1;
                continue;
            }
        };
        let ifd = inp.fd();
        // SAFETY: st is written by fstat.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        unsafe { libc::fstat(ifd, &mut st) };
        // Where the output goes: stdout, nowhere (-t -l), or a new file beside the input.
        let mut target: Option<Vec<u8>> = None;
        if !stdin && !to_stdout && !test && !list {
            let Some(n) = new_name(&sp, fb, decode) else {
                cx.err(&[fb, b": unknown suffix - ignored"]);
                status = 1;
                continue;
            };
            if st.st_mode & libc::S_IFMT != libc::S_IFREG {
                cx.err(&[fb, b": not a regular file - ignored"]);
                status = 1;
                continue;
            }
            target = Some(n);
        }
        let mut tmp = None;
        let ofd = match &target {
            None if test || list => -1,
            None => {
                cx.out.flush();
                1
            }
            Some(n) => {
                let Some(cn) = sys::cstr(n) else {
                    status = 1;
                    continue;
                };
                // SAFETY: st2 is written by lstat; cn is NUL-terminated.
                let mut st2: libc::stat = unsafe { std::mem::zeroed() };
                if unsafe { libc::lstat(cn.as_ptr(), &mut st2) } == 0 && !force {
                    cx.err_open(OsStr::from_bytes(n), libc::EEXIST);
                    status = 1;
                    continue;
                }
                let Some(t) = tmp_name(n) else {
                    status = 1;
                    continue;
                };
                // SAFETY: t is NUL-terminated.
                let fd = unsafe {
                    libc::open(
                        t.as_ptr(),
                        libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_CLOEXEC,
                        0o600,
                    )
                };
                if fd < 0 {
                    cx.err_open(OsStr::from_bytes(n), sys::errno());
                    status = 1;
                    continue;
                }
                tmp = Some((t, cn));
                fd
            }
        };
        if verbose && target.is_some() {
            let _ = sys::write_all(2, fb);
            let _ = sys::write_all(2, b": ");
        }
        let mtime = if o.has(b'n') || stdin {
            0
        } else {
            st.st_mtime as u32
        };
        let mut put = |b: &[u8]| -> Result<(), Fail> {
            if ofd >= 0 {
                sys::write_all(ofd, b).map_err(Fail::Write)
            } else {
                Ok(())
            }
        };
        let r = if decode {
            unpack(codec, &mut Fd(ifd), &mut put)
        } else {
            pack(codec, ifd, ofd, level, mtime, check)
        };
        let done = match r {
            Ok((i, ot)) => {
                if list {
                    if !listed_head {
                        cx.out.write(
                            b"         compressed        uncompressed  ratio uncompressed_name\n",
                        );
                        listed_head = true;
                    }
                    let _ =
                        std::io::Write::write_fmt(&mut cx.out, format_args!("{i:>19} {ot:>19} "));
                    // GNU counts the deflate data alone: header and trailer are 18 bytes.
                    ratio(&mut cx.out, ot as i64 - (i as i64 - 18), ot);
                    let shown = fb.strip_suffix(b".gz").unwrap_or(fb);
                    cx.out.write(b" ");
                    cx.out.line(shown);
                }
                Some((i, ot))
            }
            Err(Fail::Write(e)) if ofd == 1 => {
                cx.err_no(b"write error", e);
                None
            }
            Err(Fail::Read(e)) => {
                cx.err_no(fb, e);
                None
            }
            Err(e) if sp.named && !stdin => {
                cx.err(&[fb, b": ", e.msg()]);
                None
            }
            Err(e) => {
                cx.err(&[e.msg()]);
                None
            }
        };
        if let Some((t, cn)) = tmp {
            let ok = done.is_some() && {
                // SAFETY: ofd is our open temporary; the times are the input's.
                unsafe {
                    libc::fchmod(ofd, st.st_mode & 0o7777);
                    let _ = libc::fchown(ofd, st.st_uid, st.st_gid);
                    let ts = [
                        libc::timespec {
                            tv_sec: st.st_atime,
                            tv_nsec: st.st_atime_nsec,
                        },
                        libc::timespec {
                            tv_sec: st.st_mtime,
                            tv_nsec: st.st_mtime_nsec,
                        },
                    ];
                    libc::futimens(ofd, ts.as_ptr());
                    libc::close(ofd) == 0 && libc::rename(t.as_ptr(), cn.as_ptr()) == 0
                }
            };
            if !ok {
                if done.is_some() {
                    cx.err_no(cn.as_bytes(), sys::errno());
                } else {
                    // SAFETY: ofd is our temporary, not yet closed on this path.
                    unsafe { libc::close(ofd) };
                }
                // SAFETY: t is NUL-terminated; the half-written temporary goes.
                unsafe { libc::unlink(t.as_ptr()) };
                status = 1;
                continue;
            }
            if verbose {
                if let Some((i, ot)) = done {
                    let (a, b) = if decode { (i, ot) } else { (ot, i) };
                    let pct = a
                        .saturating_mul(100)
                        .checked_div(b)
                        .map_or(0, |q| 100u64.saturating_sub(q));
                    let mut m = Vec::new();
                    let _ =
                        std::io::Write::write_fmt(&mut m, format_args!("{pct}% - replaced with "));
                    m.extend_from_slice(cn.as_bytes());
                    m.push(b'\n');
                    let _ = sys::write_all(2, &m);
                }
            }
            if !keep {
                // SAFETY: the input's name, NUL-terminated.
                if let Some(c) = sys::cstr(fb) {
                    unsafe { libc::unlink(c.as_ptr()) };
                }
            }
        } else if done.is_none() {
            status = 1;
        }
    }
    Ok(status)
}
