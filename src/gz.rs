//! The gzip format (RFC 1952) over miniz_oxide's raw deflate: a streaming decoder that pulls
//! from a descriptor ([`GzReader`], several members, BusyBox's trailing-garbage rule) and a
//! streaming encoder that pushes to one ([`GzWriter`]). Neither holds more than a window and
//! a block, so a decompression bomb is streamed, never held in memory.

use crate::io::BLOCK;
use crate::sys;
use miniz_oxide::deflate::core::{
    compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};
use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

/// CRC-32 (zlib's), slicing by 8: the byte-at-a-time table would be a third of gunzip's time.
pub struct Crc {
    t: Box<[[u32; 256]; 8]>,
    pub v: u32,
}

impl Default for Crc {
    fn default() -> Self {
        Self::new()
    }
}

impl Crc {
    pub fn new() -> Crc {
        let mut t = Box::new([[0u32; 256]; 8]);
        t[0] = crate::crc::table(true);
        for i in 0..256 {
            let mut c = t[0][i];
            for k in 1..8 {
                c = t[0][(c & 0xff) as usize] ^ (c >> 8);
                t[k][i] = c;
            }
        }
        Crc { t, v: 0 }
    }
    pub fn update(&mut self, data: &[u8]) {
        let t = &self.t;
        let mut c = !self.v;
        let mut ch = data.chunks_exact(8);
        for b in &mut ch {
            let lo = c ^ u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            c = t[7][(lo & 0xff) as usize]
                ^ t[6][((lo >> 8) & 0xff) as usize]
                ^ t[5][((lo >> 16) & 0xff) as usize]
                ^ t[4][(lo >> 24) as usize]
                ^ t[3][b[4] as usize]
                ^ t[2][b[5] as usize]
                ^ t[1][b[6] as usize]
                ^ t[0][b[7] as usize];
        }
        for &b in ch.remainder() {
            c = t[0][((c ^ b as u32) & 0xff) as usize] ^ (c >> 8);
        }
        self.v = !c;
    }
}

/// What went wrong, with BusyBox's wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GzErr {
    Read(i32),
    Write(i32),
    Magic,
    Eof,
    Corrupt,
    Crc,
    Length,
}

impl GzErr {
    pub fn msg(self) -> &'static [u8] {
        match self {
            GzErr::Read(e) | GzErr::Write(e) => sys::strerror(e),
            GzErr::Magic => b"invalid magic",
            GzErr::Eof => b"unexpected end of file",
            GzErr::Corrupt => b"corrupted data",
            GzErr::Crc => b"crc error",
            GzErr::Length => b"incorrect length",
        }
    }
}

const WIN: usize = 1 << 17; // a power of two (miniz's wrapping output) over 32 KiB

#[derive(PartialEq, Eq, Clone, Copy)]
enum St {
    Header,
    Body,
    Done,
}

/// A pull decoder of a gzip stream read from `fd`.
pub struct GzReader {
    fd: i32,
    inb: Vec<u8>,
    ip: usize,
    iend: usize,
    eof: bool,
    d: Box<DecompressorOxide>,
    win: Vec<u8>,
    opos: usize,
    crc: Crc,
    size: u32,
    st: St,
    members: u32,
    /// Bytes read from the input so far (for `-l` and `-v`).
    pub in_total: u64,
    pub out_total: u64,
    /// The header of the first member: its stored name and mtime.
    pub name: Option<Vec<u8>>,
    pub mtime: u32,
}

impl GzReader {
    pub fn new(fd: i32) -> GzReader {
        GzReader::with_prefix(fd, &[])
    }

    /// A decoder whose first bytes were already read (tar's sniffing of the magic).
    pub fn with_prefix(fd: i32, prefix: &[u8]) -> GzReader {
        let mut inb = vec![0u8; BLOCK.max(prefix.len())];
        inb[..prefix.len()].copy_from_slice(prefix);
        GzReader {
            fd,
            inb,
            ip: 0,
            iend: prefix.len(),
            eof: false,
            d: Box::default(),
            win: vec![0u8; WIN],
            opos: 0,
            crc: Crc::new(),
            size: 0,
            st: St::Header,
            members: 0,
            in_total: prefix.len() as u64,
            out_total: 0,
            name: None,
            mtime: 0,
        }
    }

    /// Makes sure `n` bytes are buffered (fewer only at the end of the input).
    fn fill(&mut self, n: usize) -> Result<usize, GzErr> {
        while self.iend - self.ip < n && !self.eof {
            if self.ip > 0 {
                self.inb.copy_within(self.ip..self.iend, 0);
                self.iend -= self.ip;
                self.ip = 0;
            }
            if self.iend == self.inb.len() {
                self.inb.resize(self.inb.len() * 2, 0);
            }
            match sys::read(self.fd, &mut self.inb[self.iend..]) {
                Ok(0) => self.eof = true,
                Ok(k) => {
                    self.iend += k;
                    self.in_total += k as u64;
                }
                Err(e) => return Err(GzErr::Read(e)),
            }
        }
        Ok(self.iend - self.ip)
    }

    fn byte(&mut self) -> Result<u8, GzErr> {
        if self.fill(1)? < 1 {
            return Err(GzErr::Eof);
        }
        self.ip += 1;
        Ok(self.inb[self.ip - 1])
    }

    /// Parses a member header; false when there is no further member (end, or garbage after
    /// a complete member: ignored, as BusyBox does).
    fn header(&mut self) -> Result<bool, GzErr> {
        let have = self.fill(2)?;
        if have < 2 || self.inb[self.ip] != 0x1f || self.inb[self.ip + 1] != 0x8b {
            if self.members == 0 {
                return Err(GzErr::Magic);
            }
            return Ok(false);
        }
        self.ip += 2;
        if self.byte()? != 8 {
            return Err(GzErr::Corrupt);
        }
        let flg = self.byte()?;
        let mut mt = [0u8; 4];
        for b in &mut mt {
            *b = self.byte()?;
        }
        self.byte()?;
        self.byte()?;
        if self.members == 0 {
            self.mtime = u32::from_le_bytes(mt);
        }
        if flg & 4 != 0 {
            let n = self.byte()? as usize | (self.byte()? as usize) << 8;
            for _ in 0..n {
                self.byte()?;
            }
        }
        if flg & 8 != 0 {
            let mut name = Vec::new();
            loop {
                match self.byte()? {
                    0 => break,
                    c => name.push(c),
                }
            }
            if self.members == 0 {
                self.name = Some(name);
            }
        }
        if flg & 16 != 0 {
            while self.byte()? != 0 {}
        }
        if flg & 2 != 0 {
            self.byte()?;
            self.byte()?;
        }
        self.members += 1;
        self.d.init();
        self.crc.v = 0;
        self.size = 0;
        self.opos = 0;
        Ok(true)
    }

    /// The next piece of decoded data; None at the end of the stream.
    pub fn chunk(&mut self) -> Result<Option<&[u8]>, GzErr> {
        loop {
            match self.st {
                St::Done => return Ok(None),
                St::Header => {
                    // BusyBox calls a header cut short corrupted, not an early end.
                    let more =
                        self.header()
                            .map_err(|e| if e == GzErr::Eof { GzErr::Corrupt } else { e });
                    if !more? {
                        self.st = St::Done;
                        return Ok(None);
                    }
                    self.st = St::Body;
                }
                St::Body => {
                    if self.ip == self.iend {
                        self.fill(1)?;
                    }
                    let flags = if self.eof {
                        0
                    } else {
                        inflate_flags::TINFL_FLAG_HAS_MORE_INPUT
                    };
                    let (s, used, n) = decompress(
                        &mut self.d,
                        &self.inb[self.ip..self.iend],
                        &mut self.win,
                        self.opos,
                        flags,
                    );
                    self.ip += used;
                    let start = self.opos;
                    self.opos = (self.opos + n) & (WIN - 1);
                    match s {
                        TINFLStatus::Done => {
                            let mut tr = [0u8; 8];
                            for b in &mut tr {
                                *b = self.byte()?;
                            }
                            // The checks need this member's last bytes: account them first.
                            self.crc.update(&self.win[start..start + n]);
                            self.size = self.size.wrapping_add(n as u32);
                            if u32::from_le_bytes([tr[0], tr[1], tr[2], tr[3]]) != self.crc.v {
                                return Err(GzErr::Crc);
                            }
                            if u32::from_le_bytes([tr[4], tr[5], tr[6], tr[7]]) != self.size {
                                return Err(GzErr::Length);
                            }
                            self.st = St::Header;
                            if n > 0 {
                                self.out_total += n as u64;
                                return Ok(Some(&self.win[start..start + n]));
                            }
                        }
                        TINFLStatus::NeedsMoreInput | TINFLStatus::HasMoreOutput => {
                            if s == TINFLStatus::NeedsMoreInput && self.eof && n == 0 {
                                return Err(GzErr::Eof);
                            }
                            if n > 0 {
                                self.crc.update(&self.win[start..start + n]);
                                self.size = self.size.wrapping_add(n as u32);
                                self.out_total += n as u64;
                                return Ok(Some(&self.win[start..start + n]));
                            }
                        }
                        TINFLStatus::FailedCannotMakeProgress => return Err(GzErr::Eof),
                        _ => return Err(GzErr::Corrupt),
                    }
                }
            }
        }
    }
}

/// A push encoder writing a gzip member to `fd`.
pub struct GzWriter {
    fd: i32,
    c: Box<CompressorOxide>,
    out: Vec<u8>,
    crc: Crc,
    size: u32,
    pub in_total: u64,
    pub out_total: u64,
}

impl GzWriter {
    /// Starts a member: `name` (without directory) and `mtime` go in the header unless None.
    pub fn new(fd: i32, level: u8, name: Option<&[u8]>, mtime: u32) -> Result<GzWriter, GzErr> {
        let flags = create_comp_flags_from_zip_params(level as i32, -15, 0);
        let mut w = GzWriter {
            fd,
            c: Box::new(CompressorOxide::new(flags)),
            out: vec![0u8; BLOCK],
            crc: Crc::new(),
            size: 0,
            in_total: 0,
            out_total: 0,
        };
        let xfl = match level {
            9 => 2,
            1 => 4,
            _ => 0,
        };
        let mut h = vec![0x1f, 0x8b, 8, if name.is_some() { 8 } else { 0 }];
        h.extend_from_slice(&mtime.to_le_bytes());
        h.push(xfl);
        h.push(3); // Unix
        if let Some(n) = name {
            h.extend_from_slice(n);
            h.push(0);
        }
        w.put(&h)?;
        Ok(w)
    }

    fn put(&mut self, b: &[u8]) -> Result<(), GzErr> {
        self.out_total += b.len() as u64;
        sys::write_all(self.fd, b).map_err(GzErr::Write)
    }

    fn run(&mut self, mut data: &[u8], flush: TDEFLFlush) -> Result<(), GzErr> {
        loop {
            let (s, used, n) = compress(&mut self.c, data, &mut self.out, flush);
            data = &data[used..];
            if n > 0 {
                self.out_total += n as u64;
                sys::write_all(self.fd, &self.out[..n]).map_err(GzErr::Write)?;
            }
            match s {
                TDEFLStatus::Done => return Ok(()),
                // Output that did not fit is kept inside: go round until it is out.
                TDEFLStatus::Okay
                    if data.is_empty() && flush == TDEFLFlush::None && n < self.out.len() =>
                {
                    return Ok(())
                }
                TDEFLStatus::Okay => {}
                _ => return Err(GzErr::Corrupt),
            }
        }
    }

    pub fn write(&mut self, data: &[u8]) -> Result<(), GzErr> {
        self.crc.update(data);
        self.size = self.size.wrapping_add(data.len() as u32);
        self.in_total += data.len() as u64;
        self.run(data, TDEFLFlush::None)
    }

    /// Ends the member: the last block and the trailer.
    pub fn finish(&mut self) -> Result<(), GzErr> {
        self.run(&[], TDEFLFlush::Finish)?;
        let mut t = [0u8; 8];
        t[..4].copy_from_slice(&self.crc.v.to_le_bytes());
        t[4..].copy_from_slice(&self.size.to_le_bytes());
        self.put(&t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_bytewise() {
        let t = crate::crc::table(true);
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3) as u8).collect();
        let mut c = !0u32;
        for &b in &data {
            c = t[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8);
        }
        let mut k = Crc::new();
        k.update(&data[..13]);
        k.update(&data[13..]);
        assert_eq!(k.v, !c);
        let mut z = Crc::new();
        z.update(b"123456789");
        assert_eq!(z.v, 0xcbf4_3926);
    }
}

/// Which applet runs the driver.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Gzip,
    Gunzip,
    Zcat,
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

/// Decodes `fd` to `out` (-1: only test). Returns the reader for its counts.
fn unpack(fd: i32, out: i32) -> Result<GzReader, GzErr> {
    let mut r = GzReader::new(fd);
    while let Some(c) = r.chunk()? {
        if out >= 0 {
            sys::write_all(out, c).map_err(GzErr::Write)?;
        }
    }
    Ok(r)
}

fn pack(fd: i32, out: i32, level: u8, mtime: u32) -> Result<(u64, u64), GzErr> {
    let mut w = GzWriter::new(out, level, None, mtime)?;
    let mut buf = vec![0u8; BLOCK];
    loop {
        match sys::read(fd, &mut buf) {
            Ok(0) => break,
            Ok(n) => w.write(&buf[..n])?,
            Err(e) => return Err(GzErr::Read(e)),
        }
    }
    w.finish()?;
    Ok((w.in_total, w.out_total))
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

/// gzip, gunzip and zcat (BusyBox's bbunpack with GNU's -l -n -q -v).
pub fn main(cx: &mut crate::Cx, args: &[&std::ffi::OsStr], mode: Mode) -> crate::Res {
    use std::os::unix::ffi::OsStrExt;
    let o = cx.getopt(args, "cfkdtlnqv123456789", &[])?;
    let level = o.last_of(b"123456789").unwrap_or(b'6') - b'0';
    let decode = mode != Mode::Gzip || o.has(b'd') || o.has(b't') || o.has(b'l');
    let to_stdout = mode == Mode::Zcat || o.has(b'c');
    let (test, list, force, verbose) = (
        o.has(b't'),
        o.has(b'l'),
        o.has(b'f'),
        o.has(b'v') && !o.has(b'q'),
    );
    let keep = o.has(b'k') || to_stdout || test;
    let mut files = o.args.clone();
    if files.is_empty() {
        files.push(std::ffi::OsStr::new("-"));
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
        let mut new_name: Option<Vec<u8>> = None;
        if !stdin && !to_stdout && !test && !list {
            let n = if decode {
                let base = fb;
                if let Some(s) = base.strip_suffix(b".tgz") {
                    let mut v = s.to_vec();
                    v.extend_from_slice(b".tar");
                    Some(v)
                } else {
                    base.strip_suffix(b".gz")
                        .filter(|s| !s.is_empty() && !s.ends_with(b"/"))
                        .map(|s| s.to_vec())
                }
            } else {
                let mut v = fb.to_vec();
                v.extend_from_slice(b".gz");
                Some(v)
            };
            let Some(n) = n else {
                cx.err(&[fb, b": unknown suffix - ignored"]);
                status = 1;
                continue;
            };
            if st.st_mode & libc::S_IFMT != libc::S_IFREG {
                cx.err(&[fb, b": not a regular file - ignored"]);
                status = 1;
                continue;
            }
            new_name = Some(n);
        }
        let mut tmp = None;
        let ofd = match &new_name {
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
                    cx.err_open(std::ffi::OsStr::from_bytes(n), libc::EEXIST);
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
                    cx.err_open(std::ffi::OsStr::from_bytes(n), sys::errno());
                    status = 1;
                    continue;
                }
                tmp = Some((t, cn));
                fd
            }
        };
        if verbose && new_name.is_some() {
            let _ = sys::write_all(2, fb);
            let _ = sys::write_all(2, b": ");
        }
        let mtime = if o.has(b'n') || stdin {
            0
        } else {
            st.st_mtime as u32
        };
        let r = if decode {
            unpack(ifd, ofd).map(|r| (r.in_total, r.out_total))
        } else {
            pack(ifd, ofd, level, mtime)
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
            Err(GzErr::Write(e)) if ofd == 1 => {
                cx.err_no(b"write error", e);
                None
            }
            Err(GzErr::Read(e)) => {
                cx.err_no(fb, e);
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
