//! applet: dd
//! dir: bin
//! usage: dd [if=FILE] [of=FILE] [ibs=N obs=N/bs=N] [count=N] [skip=N] [seek=N]
//! usage: [conv=notrunc|noerror|sync|fsync|fdatasync|swab|lcase|ucase]
//! usage: [iflag=skip_bytes|count_bytes|fullblock|direct] [oflag=seek_bytes|append|direct]
//! usage: [status=none|noxfer|progress]
//! Copy a file with converting and formatting
//!
//! if=FILE  	Read from FILE instead of stdin
//! of=FILE  	Write to FILE instead of stdout
//! bs=N  	Read and write N bytes at a time
//! ibs=N  	Read N bytes at a time
//! obs=N  	Write N bytes at a time
//! count=N  	Copy only N input blocks
//! skip=N  	Skip N input blocks
//! seek=N  	Skip N output blocks
//! conv=notrunc  Don't truncate output file
//! conv=noerror  Continue after read errors
//! conv=sync  Pad blocks with zeros
//! conv=fsync  Physically write data out before finishing
//! conv=fdatasync  Physically write data (not metadata) out before finishing
//! conv=swab  Swap every pair of bytes
//! conv=lcase  Lower-case the data
//! conv=ucase  Upper-case the data
//! iflag=skip_bytes  skip=N is in bytes
//! iflag=count_bytes  count=N is in bytes
//! oflag=seek_bytes  seek=N is in bytes
//! iflag=direct  O_DIRECT input
//! oflag=direct  O_DIRECT output
//! iflag=fullblock  Read full blocks
//! oflag=append  Open output in append mode
//! status=noxfer  Suppress rate output
//! status=none  Suppress all output
//! status=progress  Show progress on stderr, updated every second
//!
//! |N may be suffixed by c (1), w (2), b (512), kB (1000), k (1024), MB, M, GB, G

use crate::{suffix, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

// Flag bits: 1 << the word's place in its list below.
const NOTRUNC: u32 = 1;
const SYNC: u32 = 2;
const NOERROR: u32 = 4;
const FSYNC: u32 = 8;
const FDATASYNC: u32 = 16;
const SWAB: u32 = 32;
const LCASE: u32 = 64;
const UCASE: u32 = 128;
const SKIP_BYTES: u32 = 1;
const COUNT_BYTES: u32 = 2;
const FULLBLOCK: u32 = 4;
const IDIRECT: u32 = 8;
const SEEK_BYTES: u32 = 1;
const APPEND: u32 = 2;
const ODIRECT: u32 = 4;
const NONE: u32 = 1;
const PROGRESS: u32 = 4;

// The operand names and the flag words, packed and searched by place (one loop, not a
// comparison per word): if, of, then the numbers, then the flag lists.
const KEYS: &[u8] = b"if\0of\0bs\0ibs\0obs\0count\0skip\0seek\0conv\0iflag\0oflag\0status";
const FLAGS: [&[u8]; 4] = [
    b"notrunc\0sync\0noerror\0fsync\0fdatasync\0swab\0lcase\0ucase",
    b"skip_bytes\0count_bytes\0fullblock\0direct",
    b"seek_bytes\0append\0direct",
    b"none\0noxfer\0progress",
];

/// Where `w` is in the NUL-separated list `names`.
fn place(names: &[u8], w: &[u8]) -> Option<usize> {
    names.split(|&c| c == 0).position(|n| n == w)
}

#[derive(Default)]
struct Stats {
    in_full: u64,
    in_part: u64,
    out_full: u64,
    out_part: u64,
    bytes: u64,
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // ibs, obs, count, skip, seek
    let mut nums = [512u64, 512, u64::MAX, 0, 0];
    // conv, iflag, oflag, status
    let mut fl = [0u32; 4];
    let mut files: [Option<&[u8]>; 2] = [None, None];
    let mut rest = args.get(1..).unwrap_or_default();
    if rest.first().is_some_and(|a| a.as_bytes() == b"--") {
        rest = &rest[1..];
    }
    for a in rest {
        let a = a.as_bytes();
        let Some(eq) = a.iter().position(|&c| c == b'=') else {
            return Err(cx.usage());
        };
        let (k, v) = (&a[..eq], &a[eq + 1..]);
        let Some(i) = place(KEYS, k) else {
            return Err(cx.usage());
        };
        if i < 2 {
            files[i] = Some(v);
        } else if i < 8 {
            // bs, ibs, obs at least 1; count, skip, seek at least 0.
            let min = i < 5;
            let n = suffix::parse(v, suffix::DD).ok_or_else(|| cx.fail(&[b"invalid number '", v, b"'"]))?;
            if n < min as u64 || n > i64::MAX as u64 {
                let m: &[u8] = if min { b"1" } else { b"0" };
                return Err(cx.fail(&[b"number ", v, b" is not in ", m, b"..9223372036854775807 range"]));
            }
            // bs= sets both ibs and obs.
            let at = if i == 2 { 0 } else { i - 3 };
            nums[at] = n;
            if i == 2 {
                nums[1] = n;
            }
        } else {
            let mut f = 0;
            for w in v.split(|&c| c == b',') {
                match place(FLAGS[i - 8], w) {
                    Some(b) => f |= 1 << b,
                    None => return Err(cx.fail(&[b"invalid argument '", w, b"' to '", k, b"'"])),
                }
            }
            // status= is the last one given; the others add up.
            fl[i - 8] = if i == 11 { f } else { fl[i - 8] | f };
        }
    }
    let [ibs, obs, count, skip, seek] = nums;
    let [conv, iflag, oflag, status] = fl;
    let [inf, outf] = files;
    let (Ok(ibsz), Ok(obsz)) = (usize::try_from(ibs), usize::try_from(obs)) else {
        return Err(cx.fail_no(b"bs", libc::ENOMEM));
    };

    let mut ifd = 0;
    let mut _iguard = None;
    if let Some(p) = inf {
        let fl = libc::O_RDONLY | libc::O_CLOEXEC | if iflag & IDIRECT != 0 { libc::O_DIRECT } else { 0 };
        ifd = open(p, fl).map_err(|e| {
            cx.err_open(OsStr::from_bytes(p), e);
            crate::Fail(1)
        })?;
        _iguard = Some(Close(ifd));
    }
    let mut ofd = 1;
    let mut _oguard = None;
    if let Some(p) = outf {
        let mut fl = libc::O_WRONLY | libc::O_CREAT | libc::O_CLOEXEC;
        if seek == 0 && conv & NOTRUNC == 0 {
            fl |= libc::O_TRUNC;
        }
        if oflag & APPEND != 0 {
            fl |= libc::O_APPEND;
        }
        if oflag & ODIRECT != 0 {
            fl |= libc::O_DIRECT;
        }
        ofd = open(p, fl).map_err(|e| {
            cx.err_open(OsStr::from_bytes(p), e);
            crate::Fail(1)
        })?;
        _oguard = Some(Close(ofd));
    }
    let iname: &[u8] = inf.unwrap_or(b"standard input");
    let oname: &[u8] = outf.unwrap_or(b"standard output");
    let mut st = Stats::default();
    let prog = Progress::new(status & PROGRESS != 0);

    // Page-aligned buffers: O_DIRECT (iflag/oflag=direct) needs them.
    let mut ibuf_mem = vec![0u8; ibsz.saturating_add(ALIGN)];
    let ibuf = aligned(&mut ibuf_mem, ibsz);
    // Skip input: seek when it can, else read and drop.
    let skip_bytes = if iflag & SKIP_BYTES != 0 { skip } else { skip.saturating_mul(ibs) };
    if skip_bytes > 0 {
        // SAFETY: ifd is open.
        if unsafe { libc::lseek(ifd, skip_bytes as i64, libc::SEEK_CUR) } < 0 {
            let mut left = skip_bytes;
            while left > 0 {
                let want = left.min(ibs) as usize;
                match sys::read(ifd, &mut ibuf[..want]) {
                    Ok(0) => break,
                    Ok(n) => left -= n as u64,
                    Err(e) => return Err(cx.fail_no(iname, e)),
                }
            }
        }
    }
    let seek_bytes = if oflag & SEEK_BYTES != 0 { seek } else { seek.saturating_mul(obs) };
    if seek_bytes > 0 {
        // SAFETY: ofd is open.
        if unsafe { libc::lseek(ofd, seek_bytes as i64, libc::SEEK_CUR) } < 0 {
            return Err(cx.fail_path(b"can't seek in", oname, sys::errno()));
        }
        if outf.is_some() && conv & NOTRUNC == 0 {
            // SAFETY: ofd is open.
            if unsafe { libc::ftruncate(ofd, seek_bytes as i64) } != 0 {
                let e = sys::errno();
                let reg = crate::paths::fstat(ofd).map_or(true, |s| {
                    matches!(s.st_mode & libc::S_IFMT, libc::S_IFREG | libc::S_IFDIR)
                });
                if reg {
                    return Err(cx.fail_no(oname, e));
                }
            }
        }
    }

    let mut obuf_mem = vec![0u8; if ibs != obs { obsz.saturating_add(ALIGN) } else { 0 }];
    let obuf = aligned(&mut obuf_mem, if ibs != obs { obsz } else { 0 });
    let mut ofill = 0;
    let mut left = count;
    let mut failed = false;
    'copy: while left > 0 {
        let want = if iflag & COUNT_BYTES != 0 { left.min(ibs) as usize } else { ibsz };
        let mut n = 0;
        loop {
            match sys::read(ifd, &mut ibuf[n..want]) {
                Ok(0) => break,
                Ok(r) => {
                    n += r;
                    if iflag & FULLBLOCK == 0 || n == want {
                        break;
                    }
                }
                Err(e) => {
                    // noerror goes past bad media (EIO), not past a directory or a bad fd,
                    // which would fail the same way forever.
                    if conv & NOERROR == 0 || e != libc::EIO {
                        cx.err_no(iname, e);
                        return Ok(1);
                    }
                    cx.err_no(iname, e);
                    failed = true;
                    // Past the bad block, as GNU dd does; with sync it becomes zeros.
                    // SAFETY: ifd is open.
                    unsafe { libc::lseek(ifd, ibs as i64, libc::SEEK_CUR) };
                    n = 0;
                    break;
                }
            }
        }
        if n == 0 && !(failed && conv & SYNC != 0) {
            if failed {
                failed = false;
                continue;
            }
            break;
        }
        failed = false;
        // A count_bytes tail shorter than ibs is a partial record, as BusyBox counts it.
        if n == ibsz {
            st.in_full += 1;
        } else {
            st.in_part += 1;
        }
        left = if iflag & COUNT_BYTES != 0 { left - n as u64 } else { left - 1 };
        if conv & SYNC != 0 && n < ibsz {
            ibuf[n..].fill(0);
            n = ibsz;
        }
        let data = &mut ibuf[..n];
        if conv & SWAB != 0 {
            for p in data.chunks_exact_mut(2) {
                p.swap(0, 1);
            }
        }
        if conv & LCASE != 0 {
            data.make_ascii_lowercase();
        }
        if conv & UCASE != 0 {
            data.make_ascii_uppercase();
        }
        if ibs == obs {
            if !write(cx, ofd, data, obsz, oname, &mut st) {
                failed = true;
                break 'copy;
            }
        } else {
            let mut d: &[u8] = data;
            while !d.is_empty() {
                let take = (obsz - ofill).min(d.len());
                obuf[ofill..ofill + take].copy_from_slice(&d[..take]);
                ofill += take;
                d = &d[take..];
                if ofill == obsz {
                    if !write(cx, ofd, obuf, obsz, oname, &mut st) {
                        failed = true;
                        break 'copy;
                    }
                    ofill = 0;
                }
            }
        }
        prog.tick(&st);
    }
    if !failed && ofill > 0 && !write(cx, ofd, &obuf[..ofill], obsz, oname, &mut st) {
        failed = true;
    }
    if !failed && conv & (FSYNC | FDATASYNC) != 0 {
        // SAFETY: ofd is open.
        let r = unsafe {
            if conv & FSYNC != 0 {
                libc::fsync(ofd)
            } else {
                libc::fdatasync(ofd)
            }
        };
        if r != 0 {
            cx.err_no(oname, sys::errno());
            failed = true;
        }
    }
    if status & NONE == 0 {
        let mut m = Vec::with_capacity(160);
        if prog.shown.get() {
            m.push(b'\n');
        }
        let mut b = [0u8; 20];
        for (full, part, what) in [
            (st.in_full, st.in_part, &b" records in\n"[..]),
            (st.out_full, st.out_part, b" records out\n"),
        ] {
            m.extend_from_slice(crate::cx::fmt_u64(full, &mut b));
            m.push(b'+');
            m.extend_from_slice(crate::cx::fmt_u64(part, &mut b));
            m.extend_from_slice(what);
        }
        // Debian's BusyBox prints no transfer line; with status=progress we end with one.
        if status & PROGRESS != 0 {
            prog.line(&st, &mut m);
            m.push(b'\n');
        }
        let _ = sys::write_all(2, &m);
    }
    Ok(failed as i32)
}

const ALIGN: usize = 4096;

/// `len` bytes of `mem` starting at a page boundary (`mem` has ALIGN bytes to spare).
fn aligned(mem: &mut [u8], len: usize) -> &mut [u8] {
    let off = mem.as_ptr().align_offset(ALIGN).min(ALIGN);
    let end = off.saturating_add(len).min(mem.len());
    &mut mem[off.min(end)..end]
}

/// Writes one output record; false (reported) on error.
fn write(cx: &Cx, fd: i32, b: &[u8], obs: usize, name: &[u8], st: &mut Stats) -> bool {
    let mut r = sys::write_all(fd, b);
    if r == Err(libc::EINVAL) {
        // O_DIRECT refuses a short last record: write it without, as GNU dd does.
        // SAFETY: fcntl on our open descriptor.
        let fl = unsafe { libc::fcntl(fd, libc::F_GETFL) };
        if fl >= 0 && fl & libc::O_DIRECT != 0 && unsafe { libc::fcntl(fd, libc::F_SETFL, fl & !libc::O_DIRECT) } == 0 {
            r = sys::write_all(fd, b);
        }
    }
    match r {
        Ok(()) => {
            if b.len() == obs {
                st.out_full += 1;
            } else {
                st.out_part += 1;
            }
            st.bytes += b.len() as u64;
            true
        }
        Err(e) => {
            cx.err_path(b"error writing", name, e);
            false
        }
    }
}

struct Close(i32);

impl Drop for Close {
    fn drop(&mut self) {
        // SAFETY: we own the descriptor.
        unsafe { libc::close(self.0) };
    }
}

fn open(p: &[u8], flags: i32) -> Result<i32, i32> {
    let c = sys::cstr(p).ok_or(libc::EINVAL)?;
    // SAFETY: c is NUL-terminated.
    let fd = unsafe { libc::open(c.as_ptr(), flags, 0o666) };
    if fd < 0 {
        Err(sys::errno())
    } else {
        Ok(fd)
    }
}

fn now() -> f64 {
    // SAFETY: ts is plain data clock_gettime fills in.
    unsafe {
        let mut ts: libc::timespec = std::mem::zeroed();
        libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts);
        ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
    }
}

/// status=progress: a line rewritten in place on stderr about once a second.
struct Progress {
    on: bool,
    start: f64,
    next: std::cell::Cell<f64>,
    shown: std::cell::Cell<bool>,
}

impl Progress {
    fn new(on: bool) -> Progress {
        let t = if on { now() } else { 0.0 };
        Progress {
            on,
            start: t,
            next: std::cell::Cell::new(t + 1.0),
            shown: std::cell::Cell::new(false),
        }
    }

    fn tick(&self, st: &Stats) {
        if !self.on {
            return;
        }
        let t = now();
        if t < self.next.get() {
            return;
        }
        self.next.set(t + 1.0);
        self.shown.set(true);
        let mut m = vec![b'\r'];
        self.line(st, &mut m);
        // Blank out what a longer earlier line left.
        m.extend_from_slice(b"  ");
        let _ = sys::write_all(2, &m);
    }

    /// `N bytes (H) copied, T s, R/s`, BusyBox's third status line.
    fn line(&self, st: &Stats, m: &mut Vec<u8>) {
        let secs = (now() - self.start).max(1e-6);
        let mut b = [0u8; 20];
        m.extend_from_slice(crate::cx::fmt_u64(st.bytes, &mut b));
        m.extend_from_slice(b" bytes (");
        m.extend_from_slice(&crate::human::human(st.bytes, 1, 0));
        m.extend_from_slice(b"B) copied, ");
        let ms = (secs * 1000.0) as u64;
        m.extend_from_slice(crate::cx::fmt_u64(ms / 1000, &mut b));
        m.push(b'.');
        let frac = ms % 1000;
        m.push(b'0' + (frac / 100) as u8);
        m.push(b'0' + (frac / 10 % 10) as u8);
        m.push(b'0' + (frac % 10) as u8);
        m.extend_from_slice(b" seconds, ");
        m.extend_from_slice(&crate::human::human((st.bytes as f64 / secs) as u64, 1, 0));
        m.extend_from_slice(b"B/s");
    }
}
