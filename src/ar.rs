//! The ar format (`!<arch>`), streamed: GNU's `//` long-name table and `/N` names, BSD's
//! `#1/N` names stored before the data, symbol tables (`/`, `/SYM64/`, `__.SYMDEF`) skipped.
//! For ar, and for dpkg-deb's outer layer when it comes.
//!
//! ```ignore
//! let mut r = ar::Reader::new(fd)?;               // Err(Magic) if not an archive
//! while let Some(m) = r.next_member()? {
//!     r.data(&mut |b| sys::write_all(out, b))?;   // or r.data(&mut |_| Ok(()))
//! }
//! ```

use crate::extract::Src;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArErr {
    Read(i32),
    Write(i32),
    Magic,
    Header,
    Short,
}

impl ArErr {
    /// BusyBox's wording.
    pub fn msg(self) -> &'static [u8] {
        match self {
            ArErr::Read(e) | ArErr::Write(e) => crate::sys::strerror(e),
            ArErr::Magic => b"invalid ar magic",
            ArErr::Header => b"invalid ar header",
            ArErr::Short => b"short read",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Member {
    pub name: Vec<u8>,
    pub mtime: u64,
    pub uid: u32,
    pub gid: u32,
    pub mode: u32,
    pub size: u64,
}

pub struct Reader {
    src: Src,
    long: Vec<u8>,
    /// Data bytes of the current member not yet read, and whether a pad byte follows.
    left: u64,
    pad: bool,
}

fn field(f: &[u8], radix: u32) -> Result<u64, ArErr> {
    let t = f.split(|&b| b == b' ').next().unwrap_or_default();
    if t.is_empty() {
        return Ok(0);
    }
    let mut v: u64 = 0;
    for &b in t {
        let d = (b as char).to_digit(radix).ok_or(ArErr::Header)?;
        v = v
            .checked_mul(radix as u64)
            .and_then(|v| v.checked_add(d as u64))
            .ok_or(ArErr::Header)?;
    }
    Ok(v)
}

impl Reader {
    pub fn new(fd: i32) -> Result<Reader, ArErr> {
        let mut src = Src::new(fd);
        match src.exact(8).map_err(ArErr::Read)? {
            Some(m) if m == b"!<arch>\n" => {}
            _ => return Err(ArErr::Magic),
        }
        Ok(Reader {
            src,
            long: Vec::new(),
            left: 0,
            pad: false,
        })
    }

    fn finish_member(&mut self) -> Result<(), ArErr> {
        let n = self.left + self.pad as u64;
        self.left = 0;
        self.pad = false;
        // A missing final pad byte is tolerated, as every ar reader does.
        if !self.src.skip(n).map_err(ArErr::Read)? && n > 1 {
            return Err(ArErr::Short);
        }
        Ok(())
    }

    fn read_all(&mut self, n: u64, cap: u64) -> Result<Vec<u8>, ArErr> {
        if n > cap {
            return Err(ArErr::Header);
        }
        let mut v = Vec::with_capacity(n as usize);
        let mut left = n;
        while left > 0 {
            let c = self.src.chunk(left).map_err(ArErr::Read)?;
            if c.is_empty() {
                return Err(ArErr::Short);
            }
            left -= c.len() as u64;
            v.extend_from_slice(c);
        }
        Ok(v)
    }

    /// The next member (symbol tables and the long-name table are consumed on the way).
    pub fn next_member(&mut self) -> Result<Option<Member>, ArErr> {
        loop {
            self.finish_member()?;
            let have = self.src.fill(60).map_err(ArErr::Read)?.len();
            if have == 0 {
                return Ok(None);
            }
            let Some(h) = self.src.exact(60).map_err(ArErr::Read)? else {
                return Err(ArErr::Short);
            };
            if &h[58..60] != b"`\n" {
                return Err(ArErr::Header);
            }
            let raw = h[..16].to_vec();
            let mut m = Member {
                mtime: field(&h[16..28], 10)?,
                uid: field(&h[28..34], 10)? as u32,
                gid: field(&h[34..40], 10)? as u32,
                mode: field(&h[40..48], 8)? as u32,
                size: field(&h[48..58], 10)?,
                ..Member::default()
            };
            self.left = m.size;
            self.pad = m.size % 2 == 1;
            let trimmed = {
                let mut e = raw.len();
                while e > 0 && raw[e - 1] == b' ' {
                    e -= 1;
                }
                &raw[..e]
            };
            if trimmed == b"//" {
                // Capped: a long-name table is names, not data.
                self.long = self.read_all(m.size, 16 << 20)?;
                self.left = 0;
                continue;
            }
            if trimmed == b"/" || trimmed == b"/SYM64/" || trimmed.starts_with(b"__.SYMDEF") {
                continue;
            }
            if let Some(n) = trimmed.strip_prefix(b"#1/") {
                // BSD: the name is the first N bytes of the data.
                let n = field(n, 10)?;
                if n > m.size {
                    return Err(ArErr::Header);
                }
                let mut name = self.read_all(n, 4096)?;
                self.left = m.size - n;
                m.size -= n;
                if let Some(z) = crate::bytes::memchr(0, &name) {
                    name.truncate(z);
                }
                m.name = name;
            } else if let Some(off) = trimmed.strip_prefix(b"/").filter(|o| !o.is_empty()) {
                let off = field(off, 10)? as usize;
                let s = self.long.get(off..).ok_or(ArErr::Header)?;
                // GNU ends each name with "/\n"; a name may hold a '/' of its own.
                let end = crate::bytes::memmem::find(s, b"/\n")
                    .or_else(|| crate::bytes::memchr(b'\n', s))
                    .unwrap_or(s.len());
                m.name = s[..end].to_vec();
            } else {
                m.name = trimmed.strip_suffix(b"/").unwrap_or(trimmed).to_vec();
            }
            return Ok(Some(m));
        }
    }

    /// Streams the current member's data to `sink`.
    pub fn data(&mut self, sink: &mut dyn FnMut(&[u8]) -> Result<(), i32>) -> Result<(), ArErr> {
        while self.left > 0 {
            let c = self.src.chunk(self.left).map_err(ArErr::Read)?;
            if c.is_empty() {
                return Err(ArErr::Short);
            }
            self.left -= c.len() as u64;
            sink(c).map_err(ArErr::Write)?;
        }
        Ok(())
    }
}
