//! The cpio formats: a streaming reader of newc (070701), crc (070702), odc (070707, old
//! ASCII) and old binary (either byte order) archives, and a newc writer as BusyBox's
//! `cpio -o -H newc` writes it. Member data is streamed: nothing larger than a block is held.
//!
//! ```ignore
//! let mut r = cpio::Reader::new(fd);
//! while let Some(h) = r.next_header()? {
//!     r.data(&h, &mut |b| sys::write_all(out, b))?;   // or r.data(&h, &mut |_| Ok(()))
//! }
//! ```

use crate::extract::Src;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Newc,
    Crc,
    Odc,
    /// Old binary; true when its byte order is big-endian.
    Bin(bool),
}

/// A member's header (fields as wide as any format allows).
#[derive(Debug, Clone)]
pub struct Header {
    pub format: Format,
    pub name: Vec<u8>,
    pub ino: u64,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub nlink: u32,
    pub mtime: u64,
    pub size: u64,
    pub dev: (u32, u32),
    pub rdev: (u32, u32),
    pub check: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CpioErr {
    Read(i32),
    Write(i32),
    /// The input ended inside a member.
    Short,
    /// Not a cpio header.
    Format,
    /// A header field that is not a number, or a name that is too long.
    Corrupt,
    /// The crc format's checksum does not match.
    Crc,
}

impl CpioErr {
    /// BusyBox's wording where it has one.
    pub fn msg(self) -> &'static [u8] {
        match self {
            CpioErr::Read(e) | CpioErr::Write(e) => crate::sys::strerror(e),
            CpioErr::Short => b"short read",
            CpioErr::Format => b"unsupported cpio format, use newc or crc",
            CpioErr::Corrupt => b"corrupted header",
            CpioErr::Crc => b"checksum error",
        }
    }
}

/// The longest name accepted (PATH_MAX is 4096; this leaves room for odd archives).
const NAME_MAX: usize = 65536;

fn num(field: &[u8], radix: u32) -> Result<u64, CpioErr> {
    let mut v: u64 = 0;
    for &b in field {
        let d = (b as char).to_digit(radix).ok_or(CpioErr::Corrupt)?;
        v = v
            .checked_mul(radix as u64)
            .and_then(|v| v.checked_add(d as u64))
            .ok_or(CpioErr::Corrupt)?;
    }
    Ok(v)
}

/// A streaming reader of a cpio archive.
pub struct Reader {
    pub src: Src,
    done: bool,
    first: bool,
    /// Byte offset where the trailer ended (for BusyBox's `N blocks`).
    pub end: u64,
}

impl Reader {
    pub fn new(fd: i32) -> Reader {
        Reader {
            src: Src::new(fd),
            done: false,
            first: true,
            end: 0,
        }
    }

    fn align(&mut self, to: u64) -> Result<(), CpioErr> {
        let pad = (to - self.src.off % to) % to;
        if !self.src.skip(pad).map_err(CpioErr::Read)? {
            return Err(CpioErr::Short);
        }
        Ok(())
    }

    /// The next member's header; None after the trailer (or on an empty input).
    pub fn next_header(&mut self) -> Result<Option<Header>, CpioErr> {
        if self.done {
            return Ok(None);
        }
        let first = std::mem::replace(&mut self.first, false);
        let m = self.src.fill(6).map_err(CpioErr::Read)?;
        if m.is_empty() && first {
            self.done = true;
            return Ok(None);
        }
        if m.len() < 2 {
            return Err(CpioErr::Short);
        }
        let format = match m {
            [b'0', b'7', b'0', b'7', b'0', b'1', ..] => Format::Newc,
            [b'0', b'7', b'0', b'7', b'0', b'2', ..] => Format::Crc,
            [b'0', b'7', b'0', b'7', b'0', b'7', ..] => Format::Odc,
            [0xc7, 0x71, ..] => Format::Bin(false),
            [0x71, 0xc7, ..] => Format::Bin(true),
            _ if m.len() < 6 => return Err(CpioErr::Short),
            _ => return Err(CpioErr::Format),
        };
        let hlen = match format {
            Format::Newc | Format::Crc => 110,
            Format::Odc => 76,
            Format::Bin(_) => 26,
        };
        let h = match self.src.exact(hlen).map_err(CpioErr::Read)? {
            Some(h) => h,
            None => return Err(CpioErr::Short),
        };
        let mut hd = Header {
            format,
            name: Vec::new(),
            ino: 0,
            mode: 0,
            uid: 0,
            gid: 0,
            nlink: 0,
            mtime: 0,
            size: 0,
            dev: (0, 0),
            rdev: (0, 0),
            check: 0,
        };
        let namesize;
        match format {
            Format::Newc | Format::Crc => {
                let f = |i: usize| num(&h[6 + 8 * i..14 + 8 * i], 16);
                hd.ino = f(0)?;
                hd.mode = f(1)? as u32;
                hd.uid = f(2)? as u32;
                hd.gid = f(3)? as u32;
                hd.nlink = f(4)? as u32;
                hd.mtime = f(5)?;
                hd.size = f(6)?;
                hd.dev = (f(7)? as u32, f(8)? as u32);
                hd.rdev = (f(9)? as u32, f(10)? as u32);
                namesize = f(11)?;
                hd.check = f(12)? as u32;
            }
            Format::Odc => {
                let f = |a: usize, b: usize| num(&h[a..b], 8);
                let dev = f(6, 12)?;
                hd.ino = f(12, 18)?;
                hd.mode = f(18, 24)? as u32;
                hd.uid = f(24, 30)? as u32;
                hd.gid = f(30, 36)? as u32;
                hd.nlink = f(36, 42)? as u32;
                let rdev = f(42, 48)?;
                hd.mtime = f(48, 59)?;
                namesize = f(59, 65)?;
                hd.size = f(65, 76)?;
                // Old formats pack a 16-bit dev_t: major in the high byte.
                hd.dev = ((dev >> 8) as u32 & 0xff, dev as u32 & 0xff);
                hd.rdev = ((rdev >> 8) as u32 & 0xff, rdev as u32 & 0xff);
            }
            Format::Bin(be) => {
                let w = |i: usize| {
                    let b = [h[2 * i], h[2 * i + 1]];
                    (if be {
                        u16::from_be_bytes(b)
                    } else {
                        u16::from_le_bytes(b)
                    }) as u64
                };
                hd.dev = ((w(1) >> 8) as u32, w(1) as u32 & 0xff);
                hd.ino = w(2);
                hd.mode = w(3) as u32;
                hd.uid = w(4) as u32;
                hd.gid = w(5) as u32;
                hd.nlink = w(6) as u32;
                hd.rdev = ((w(7) >> 8) as u32, w(7) as u32 & 0xff);
                hd.mtime = w(8) << 16 | w(9);
                namesize = w(10);
                hd.size = w(11) << 16 | w(12);
            }
        }
        if namesize as usize > NAME_MAX {
            return Err(CpioErr::Corrupt);
        }
        let mut name = Vec::with_capacity(namesize as usize);
        let mut left = namesize;
        while left > 0 {
            let c = self.src.chunk(left).map_err(CpioErr::Read)?;
            if c.is_empty() {
                return Err(CpioErr::Short);
            }
            left -= c.len() as u64;
            name.extend_from_slice(c);
        }
        if let Some(z) = crate::bytes::memchr(0, &name) {
            name.truncate(z);
        }
        hd.name = name;
        match format {
            Format::Newc | Format::Crc => self.align(4)?,
            Format::Bin(_) => self.align(2)?,
            Format::Odc => {}
        }
        if hd.name == b"TRAILER!!!" {
            self.done = true;
            self.end = self.src.off;
            // Skip any data and padding, so the block count covers it.
            let _ = self.data(&hd, &mut |_| Ok(()));
            self.end = self.src.off;
            return Ok(None);
        }
        Ok(Some(hd))
    }

    /// Streams the member's data (then its padding) to `sink`; checks the crc format's sum.
    pub fn data(
        &mut self,
        h: &Header,
        sink: &mut dyn FnMut(&[u8]) -> Result<(), i32>,
    ) -> Result<(), CpioErr> {
        let mut left = h.size;
        let mut sum: u32 = 0;
        while left > 0 {
            let c = self.src.chunk(left).map_err(CpioErr::Read)?;
            if c.is_empty() {
                return Err(CpioErr::Short);
            }
            left -= c.len() as u64;
            if h.format == Format::Crc {
                for &b in c {
                    sum = sum.wrapping_add(b as u32);
                }
            }
            sink(c).map_err(CpioErr::Write)?;
        }
        match h.format {
            Format::Newc | Format::Crc => self.align(4)?,
            Format::Bin(_) => self.align(2)?,
            Format::Odc => {}
        }
        if h.format == Format::Crc && h.mode & 0o170000 == 0o100000 && sum != h.check {
            return Err(CpioErr::Crc);
        }
        Ok(())
    }
}

/// Appends a newc header for `h` (its name without NUL; `h.check` written as is) and the
/// padding after the name. `off` is the archive offset where the header starts.
pub fn newc_header(h: &Header, off: u64, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(b"070701");
    for v in [
        h.ino as u32,
        h.mode,
        h.uid,
        h.gid,
        h.nlink,
        h.mtime as u32,
        h.size as u32,
        h.dev.0,
        h.dev.1,
        h.rdev.0,
        h.rdev.1,
        h.name.len() as u32 + 1,
        h.check,
    ] {
        for k in (0..8).rev() {
            out.push(b"0123456789ABCDEF"[(v >> (4 * k)) as usize & 15]);
        }
    }
    out.extend_from_slice(&h.name);
    out.push(0);
    let len = off + (out.len() - start) as u64;
    out.resize(out.len() + ((4 - len % 4) % 4) as usize, 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trip() {
        let h = Header {
            format: Format::Newc,
            name: b"a b".to_vec(),
            ino: 7,
            mode: 0o100644,
            uid: 1,
            gid: 2,
            nlink: 1,
            mtime: 1_600_000_000,
            size: 0,
            dev: (8, 1),
            rdev: (0, 0),
            check: 0,
        };
        let mut v = Vec::new();
        newc_header(&h, 0, &mut v);
        assert_eq!(v.len() % 4, 0);
        assert_eq!(&v[..14], b"07070100000007");
    }
}
