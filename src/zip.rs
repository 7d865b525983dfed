//! The zip format (PKWARE's APPNOTE): the central directory read from the end (zip64 sizes,
//! offsets and counts included), each member's data found through its local header and
//! streamed out stored or inflated (miniz_oxide's raw deflate), its CRC-32 and length checked.
//! Memory is a block of input and a 128 KiB window whatever the sizes say, so a bomb streams.
//!
//! ```ignore
//! let mut z = zip::Archive::open(fd)?;
//! while let Some(e) = z.next_entry()? {
//!     zip::data(fd, &e, &mut |b| sys::write_all(out, b))?;
//! }
//! ```

use crate::gz::Crc;
use crate::sys;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZipErr {
    Read(i32),
    Write(i32),
    /// The file ends before what the directory promises.
    Short,
    /// No end-of-central-directory record: not a zip file.
    NotZip,
    /// A directory or local header that is not one.
    Magic,
    Corrupt,
    Crc,
    Length,
    Method(u16),
    Encrypted,
}

impl ZipErr {
    /// BusyBox's wording where it has one.
    pub fn msg(self, buf: &mut Vec<u8>) {
        let s: &[u8] = match self {
            ZipErr::Read(e) | ZipErr::Write(e) => sys::strerror(e),
            ZipErr::Short => b"short read",
            // BusyBox, reading from the front, finds the end first.
            ZipErr::NotZip => b"short read",
            ZipErr::Magic => b"invalid zip magic",
            ZipErr::Corrupt => b"corrupted data",
            ZipErr::Crc => b"crc error",
            ZipErr::Length => b"bad length",
            ZipErr::Encrypted => b"encrypted member, skipped",
            ZipErr::Method(m) => {
                buf.extend_from_slice(b"unsupported method ");
                let mut b = [0u8; 20];
                buf.extend_from_slice(crate::cx::fmt_u64(m as u64, &mut b));
                return;
            }
        };
        buf.extend_from_slice(s);
    }
}

/// One member, as the central directory describes it.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub name: Vec<u8>,
    pub method: u16,
    pub flags: u16,
    /// MS-DOS date and time (local time, two-second steps).
    pub dos_date: u16,
    pub dos_time: u16,
    pub crc: u32,
    pub csize: u64,
    pub usize: u64,
    pub offset: u64,
    /// The Unix mode when the archive was made on Unix (external attributes' high half).
    pub mode: Option<u32>,
}

impl Entry {
    pub fn is_dir(&self) -> bool {
        self.name.ends_with(b"/") || self.mode.is_some_and(|m| m & 0o170000 == 0o040000)
    }
    pub fn is_symlink(&self) -> bool {
        self.mode.is_some_and(|m| m & 0o170000 == 0o120000)
    }
    /// The DOS timestamp as seconds since the epoch, read as local time.
    pub fn mtime(&self) -> i64 {
        // SAFETY: tm is plain data; mktime reads and normalises it.
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        tm.tm_year = (self.dos_date >> 9) as i32 + 80;
        tm.tm_mon = ((self.dos_date >> 5) & 15) as i32 - 1;
        tm.tm_mday = (self.dos_date & 31) as i32;
        tm.tm_hour = (self.dos_time >> 11) as i32;
        tm.tm_min = ((self.dos_time >> 5) & 63) as i32;
        tm.tm_sec = ((self.dos_time & 31) * 2) as i32;
        tm.tm_isdst = -1;
        unsafe { libc::mktime(&mut tm) as i64 }
    }
    /// `MM-DD-YYYY HH:MM`, as unzip -l shows the DOS timestamp.
    pub fn date(&self, out: &mut Vec<u8>) {
        let d = self.dos_date;
        let t = self.dos_time;
        let two = |out: &mut Vec<u8>, v: u16| {
            out.push(b'0' + (v / 10 % 10) as u8);
            out.push(b'0' + (v % 10) as u8);
        };
        two(out, (d >> 5) & 15);
        out.push(b'-');
        two(out, d & 31);
        out.push(b'-');
        let y = (d >> 9) + 1980;
        two(out, y / 100);
        two(out, y % 100);
        out.push(b' ');
        two(out, t >> 11);
        out.push(b':');
        two(out, (t >> 5) & 63);
    }
}

fn u16le(b: &[u8], i: usize) -> u16 {
    b.get(i..i + 2)
        .map_or(0, |s| u16::from_le_bytes([s[0], s[1]]))
}
fn u32le(b: &[u8], i: usize) -> u32 {
    b.get(i..i + 4)
        .map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}
fn u64le(b: &[u8], i: usize) -> u64 {
    b.get(i..i + 8).map_or(0, |s| {
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        u64::from_le_bytes(a)
    })
}

/// pread(2) until `buf` is full or the file ends; the bytes read.
pub fn pread_full(fd: i32, buf: &mut [u8], mut off: u64) -> Result<usize, ZipErr> {
    let mut got = 0;
    while got < buf.len() {
        let o = i64::try_from(off).map_err(|_| ZipErr::Short)?;
        // SAFETY: the destination is the unfilled part of buf.
        let n = unsafe {
            libc::pread(
                fd,
                buf[got..].as_mut_ptr().cast(),
                buf.len() - got,
                o as libc::off_t,
            )
        };
        if n < 0 {
            let e = sys::errno();
            if e == libc::EINTR {
                continue;
            }
            return Err(ZipErr::Read(e));
        }
        if n == 0 {
            break;
        }
        got += n as usize;
        off += n as u64;
    }
    Ok(got)
}

/// A sequential reader at an offset, through pread and a block buffer.
struct At {
    fd: i32,
    pos: u64,
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

impl At {
    fn new(fd: i32, pos: u64) -> At {
        At {
            fd,
            pos,
            buf: vec![0u8; 64 * 1024],
            start: 0,
            end: 0,
        }
    }
    /// Exactly `n` bytes (n up to 64 KiB + a header), or Short.
    fn take(&mut self, n: usize) -> Result<&[u8], ZipErr> {
        if self.end - self.start < n {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            if self.buf.len() < n {
                self.buf.resize(n, 0);
            }
            let got = pread_full(self.fd, &mut self.buf[self.end..], self.pos)?;
            self.pos += got as u64;
            self.end += got;
            if self.end < n {
                return Err(ZipErr::Short);
            }
        }
        let s = self.start;
        self.start += n;
        Ok(&self.buf[s..s + n])
    }
}

/// The central directory of a zip file, walked one entry at a time.
pub struct Archive {
    cd: At,
    left: u64,
    /// Entries the directory says it holds.
    pub count: u64,
}

impl Archive {
    /// Finds the end-of-central-directory record (and its zip64 form).
    pub fn open(fd: i32) -> Result<Archive, ZipErr> {
        // SAFETY: st is written by fstat.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        if unsafe { libc::fstat(fd, &mut st) } != 0 {
            return Err(ZipErr::Read(sys::errno()));
        }
        let size = st.st_size.max(0) as u64;
        let tail_len = size.min(22 + 65535 + 20) as usize;
        let mut tail = vec![0u8; tail_len];
        let tail_off = size - tail_len as u64;
        if pread_full(fd, &mut tail, tail_off)? < tail_len {
            return Err(ZipErr::Short);
        }
        // The last signature whose comment length reaches the end exactly; else the last.
        let mut found = None;
        let mut i = tail_len.saturating_sub(22) + 1;
        while i > 0 {
            i -= 1;
            if tail[i..].starts_with(b"PK\x05\x06") {
                if found.is_none() {
                    found = Some(i);
                }
                if i + 22 + u16le(&tail, i + 20) as usize == tail_len {
                    found = Some(i);
                    break;
                }
            }
        }
        let Some(e) = found else {
            return Err(if size < 22 {
                ZipErr::Short
            } else {
                ZipErr::NotZip
            });
        };
        let mut count = u16le(&tail, e + 10) as u64;
        let mut cd_size = u32le(&tail, e + 12) as u64;
        let mut cd_off = u32le(&tail, e + 16) as u64;
        if count == 0xffff || cd_size == 0xffff_ffff || cd_off == 0xffff_ffff {
            // The zip64 locator sits just before the record and points at the zip64 record.
            if e >= 20 && tail[e - 20..].starts_with(b"PK\x06\x07") {
                let z64 = u64le(&tail, e - 20 + 8);
                let mut r = [0u8; 56];
                if pread_full(fd, &mut r, z64)? < 56 || !r.starts_with(b"PK\x06\x06") {
                    return Err(ZipErr::Magic);
                }
                count = u64le(&r, 32);
                cd_size = u64le(&r, 40);
                cd_off = u64le(&r, 48);
            }
        }
        if cd_off.checked_add(cd_size).is_none_or(|end| end > size) {
            return Err(ZipErr::Short);
        }
        Ok(Archive {
            cd: At::new(fd, cd_off),
            left: count,
            count,
        })
    }

    /// The next entry of the central directory; None after the last.
    pub fn next_entry(&mut self) -> Result<Option<Entry>, ZipErr> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let h = self.cd.take(46)?;
        if !h.starts_with(b"PK\x01\x02") {
            return Err(ZipErr::Magic);
        }
        let made_by = u16le(h, 4) >> 8;
        let mut e = Entry {
            flags: u16le(h, 8),
            method: u16le(h, 10),
            dos_time: u16le(h, 12),
            dos_date: u16le(h, 14),
            crc: u32le(h, 16),
            csize: u32le(h, 20) as u64,
            usize: u32le(h, 24) as u64,
            offset: u32le(h, 42) as u64,
            ..Entry::default()
        };
        let ext = u32le(h, 38);
        if made_by == 3 && ext >> 16 != 0 {
            e.mode = Some(ext >> 16);
        }
        let (nl, xl, cl) = (
            u16le(h, 28) as usize,
            u16le(h, 30) as usize,
            u16le(h, 32) as usize,
        );
        e.name = self.cd.take(nl)?.to_vec();
        let x = self.cd.take(xl)?;
        // The zip64 extra field holds, in order, whichever of these were 0xffffffff.
        let mut k = 0;
        while k + 4 <= x.len() {
            let (id, len) = (u16le(x, k), u16le(x, k + 2) as usize);
            let body = x.get(k + 4..k + 4 + len).unwrap_or(&[]);
            if id == 1 {
                let mut p = 0;
                for f in [&mut e.usize, &mut e.csize, &mut e.offset] {
                    if *f == 0xffff_ffff && p + 8 <= body.len() {
                        *f = u64le(body, p);
                        p += 8;
                    }
                }
            }
            k += 4 + len;
        }
        self.cd.take(cl)?;
        Ok(Some(e))
    }
}

const WIN: usize = 1 << 17;

/// Streams the member's uncompressed data to `sink`, checking its CRC-32 and length.
pub fn data(
    fd: i32,
    e: &Entry,
    sink: &mut dyn FnMut(&[u8]) -> Result<(), i32>,
) -> Result<(), ZipErr> {
    if e.flags & 1 != 0 {
        return Err(ZipErr::Encrypted);
    }
    if e.method != 0 && e.method != 8 {
        return Err(ZipErr::Method(e.method));
    }
    let mut lh = [0u8; 30];
    if pread_full(fd, &mut lh, e.offset)? < 30 {
        return Err(ZipErr::Short);
    }
    if !lh.starts_with(b"PK\x03\x04") {
        return Err(ZipErr::Magic);
    }
    let mut pos = e.offset + 30 + u16le(&lh, 26) as u64 + u16le(&lh, 28) as u64;
    let mut left = e.csize;
    let mut crc = Crc::new();
    let mut total: u64 = 0;
    let mut inb = vec![0u8; crate::io::BLOCK.min(e.csize.max(1) as usize)];
    let mut put = |b: &[u8], crc: &mut Crc, total: &mut u64| -> Result<(), ZipErr> {
        crc.update(b);
        *total += b.len() as u64;
        if *total > e.usize {
            return Err(ZipErr::Length);
        }
        sink(b).map_err(ZipErr::Write)
    };
    if e.method == 0 {
        while left > 0 {
            let n = (left as usize).min(inb.len());
            let got = pread_full(fd, &mut inb[..n], pos)?;
            if got == 0 {
                return Err(ZipErr::Short);
            }
            put(&inb[..got], &mut crc, &mut total)?;
            pos += got as u64;
            left -= got as u64;
        }
    } else {
        let mut d = crate::gz::Inflater::new();
        let mut win = vec![0u8; WIN];
        let (mut ip, mut iend) = (0usize, 0usize);
        loop {
            if ip == iend && left > 0 {
                let n = (left as usize).min(inb.len());
                let got = pread_full(fd, &mut inb[..n], pos)?;
                if got == 0 {
                    return Err(ZipErr::Short);
                }
                pos += got as u64;
                left -= got as u64;
                ip = 0;
                iend = got;
            }
            let (used, n, end) = d
                .step(&inb[ip..iend], &mut win)
                .map_err(|_| ZipErr::Corrupt)?;
            ip += used;
            if n > 0 {
                put(&win[..n], &mut crc, &mut total)?;
            }
            if end {
                break;
            }
            if used == 0 && n == 0 && (ip < iend || left == 0) {
                // No progress with input at hand, or none left: cut short.
                return Err(ZipErr::Short);
            }
        }
    }
    if total != e.usize {
        return Err(ZipErr::Length);
    }
    if crc.v != e.crc {
        return Err(ZipErr::Crc);
    }
    Ok(())
}
