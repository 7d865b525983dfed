//! The tar format for the `tar` applet (and its fuzz target): header blocks parsed and
//! written, GNU long names/links (`L`/`K`), pax extended headers (`x`; `g` skipped),
//! base-256 numbers, GNU sparse members (old GNU `S` with its extension headers, pax
//! GNU.sparse.* versions 0.0, 0.1 and 1.0), and a streaming `Reader` that pulls members
//! and their data from any `Source` in bounded memory (one 128 KiB buffer; long names, pax
//! headers and sparse maps capped).
//!
//! ```ignore
//! let mut r = tar::Reader::new(tar::FdSource(fd));
//! while r.next(&mut m)? {                  // m: tar::Member (name, link, size, mode...)
//!     while let Some((at, chunk)) = r.data_at()? { /* write chunk at offset `at` */ }
//!     // a sparse member (m.sparse) ends in a hole when the last chunk ends before m.size
//! }
//! ```

pub const BLOCK: usize = 512;
/// Longest GNU long name or pax header accepted (names are at most PATH_MAX anyway).
pub const MAX_META: u64 = 1 << 20;
/// Most entries in a sparse map (16 bytes each in memory): as many as a MAX_META pax map
/// can hold, so no archive makes a bigger allocation.
pub const MAX_SPARSE: usize = 1 << 18;

/// Member types (the typeflag byte, `0`/NUL folded into `REG`).
pub const REG: u8 = b'0';
pub const LINK: u8 = b'1';
pub const SYMLINK: u8 = b'2';
pub const CHR: u8 = b'3';
pub const BLK: u8 = b'4';
pub const DIR: u8 = b'5';
pub const FIFO: u8 = b'6';

/// Why reading failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// read(2) failed with this errno.
    Io(i32),
    /// The input ended inside a header or a member's data.
    Short,
    /// A header whose checksum does not match.
    Checksum,
    /// A header that is neither ustar, GNU nor v7.
    Magic,
    /// A numeric field that is not octal nor base-256, or overflows.
    Number,
    /// A long name or pax header over `MAX_META`, or a malformed pax record.
    Meta,
    /// A sparse map that is malformed, unsorted, overlapping, past the file's size, too
    /// long, or not matching the data stored.
    Sparse,
}

impl Error {
    /// The message (BusyBox's words where it has them).
    pub fn msg(self) -> &'static [u8] {
        match self {
            Error::Io(e) => crate::sys::strerror(e),
            Error::Short => b"short read",
            Error::Checksum => b"invalid tar header checksum",
            Error::Magic => b"invalid tar magic",
            Error::Number => b"corrupted octal value in tar header",
            Error::Meta => b"corrupted extended header",
            Error::Sparse => b"invalid sparse archive member",
        }
    }
}

/// One archive member, as the headers before it describe it.
#[derive(Debug, Default, Clone)]
pub struct Member {
    pub name: Vec<u8>,
    /// Symlink target, or hard link target.
    pub link: Vec<u8>,
    pub typ: u8,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    pub mtime: i64,
    pub uname: Vec<u8>,
    pub gname: Vec<u8>,
    pub major: u64,
    pub minor: u64,
    /// A GNU sparse file: `size` is its real size, its data comes in pieces (`data_at`)
    /// with holes between them and maybe after the last.
    pub sparse: bool,
}

/// Where archive bytes come from.
pub trait Source {
    /// Like read(2): 0 at the end, Err(errno).
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, i32>;
}

/// A file descriptor (EINTR retried by `sys::read`).
pub struct FdSource(pub i32);

impl Source for FdSource {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, i32> {
        crate::sys::read(self.0, buf)
    }
}

impl Source for &[u8] {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, i32> {
        let n = buf.len().min(self.len());
        let (a, b) = self.split_at(n);
        buf[..n].copy_from_slice(a);
        *self = b;
        Ok(n)
    }
}

/// Parses a numeric field: octal (leading spaces, ended by NUL or space) or GNU base-256
/// (first byte 0x80 positive, 0xff negative).
pub fn number(f: &[u8]) -> Result<i64, Error> {
    let Some(&first) = f.first() else {
        return Ok(0);
    };
    if first & 0x80 != 0 {
        let neg = first == 0xff;
        let mut v: i64 = if neg { -1 } else { i64::from(first & 0x7f) };
        for &b in &f[1..] {
            // Two's complement: the same step for negative values (all 0xff is -1).
            v = v
                .checked_mul(256)
                .and_then(|v| v.checked_add(i64::from(b)))
                .ok_or(Error::Number)?;
        }
        return Ok(v);
    }
    let mut i = 0;
    while f.get(i) == Some(&b' ') {
        i += 1;
    }
    let mut v: i64 = 0;
    let mut digits = 0;
    while let Some(&c) = f.get(i) {
        match c {
            b'0'..=b'7' => {
                v = v
                    .checked_mul(8)
                    .and_then(|v| v.checked_add(i64::from(c - b'0')))
                    .ok_or(Error::Number)?;
                digits += 1;
            }
            0 | b' ' => break,
            _ => return Err(Error::Number),
        }
        i += 1;
    }
    // The rest may only be NULs and spaces.
    if f[i..].iter().any(|&c| c != 0 && c != b' ') && digits > 0 {
        return Err(Error::Number);
    }
    Ok(v)
}

fn unsigned(f: &[u8]) -> Result<u64, Error> {
    u64::try_from(number(f)?).map_err(|_| Error::Number)
}

fn cfield(f: &[u8]) -> &[u8] {
    match crate::bytes::memchr(0, f) {
        Some(n) => &f[..n],
        None => f,
    }
}

/// The sum of a header's bytes with its checksum field as spaces: (unsigned, signed).
pub fn checksums(h: &[u8; BLOCK]) -> (i64, i64) {
    let (mut u, mut s) = (0i64, 0i64);
    for (i, &b) in h.iter().enumerate() {
        let b = if (148..156).contains(&i) { b' ' } else { b };
        u += i64::from(b);
        s += i64::from(b as i8);
    }
    (u, s)
}

/// Parses one header block into `m` (fields a pax or GNU header already set are kept:
/// `have` says which). Ok(false) for an all-zero block (the end).
pub fn parse_header(h: &[u8; BLOCK], m: &mut Member, have: &Have) -> Result<bool, Error> {
    if h.iter().all(|&b| b == 0) {
        return Ok(false);
    }
    let sum = number(&h[148..156])?;
    let (u, s) = checksums(h);
    if sum != u && sum != s {
        return Err(Error::Checksum);
    }
    let magic = &h[257..263];
    let gnu = &h[257..265] == b"ustar  \0";
    let ustar = magic == b"ustar\0" || magic == b"ustar ";
    if !ustar && !gnu && magic.iter().any(|&b| b != 0) {
        return Err(Error::Magic);
    }
    let mut t = h[156];
    if t == 0 || t == b'7' {
        t = REG;
    }
    m.typ = t;
    m.mode = (number(&h[100..108])? & 0o7777) as u32;
    if !have.uid {
        m.uid = unsigned(&h[108..116])?;
    }
    if !have.gid {
        m.gid = unsigned(&h[116..124])?;
    }
    if !have.size {
        m.size = unsigned(&h[124..136])?;
    }
    if !have.mtime {
        m.mtime = number(&h[136..148])?;
    }
    if !have.name {
        m.name.clear();
        if ustar && !gnu && h[345] != 0 {
            m.name.extend_from_slice(cfield(&h[345..500]));
            m.name.push(b'/');
        }
        m.name.extend_from_slice(cfield(&h[..100]));
    }
    if !have.link {
        m.link.clear();
        m.link.extend_from_slice(cfield(&h[157..257]));
    }
    if ustar || gnu {
        if !have.uname {
            m.uname.clear();
            m.uname.extend_from_slice(cfield(&h[265..297]));
        }
        if !have.gname {
            m.gname.clear();
            m.gname.extend_from_slice(cfield(&h[297..329]));
        }
        if t == CHR || t == BLK {
            m.major = unsigned(&h[329..337])?;
            m.minor = unsigned(&h[337..345])?;
        }
    }
    // Old tars mark directories only by a trailing slash.
    if t == REG && m.name.last() == Some(&b'/') {
        m.typ = DIR;
    }
    // No data follows these, whatever the size field says (POSIX; GNU tar reads them so).
    if matches!(m.typ, LINK | SYMLINK | CHR | BLK | DIR | FIFO) {
        m.size = 0;
    }
    Ok(true)
}

/// Which fields extended headers have given for the next member.
#[derive(Debug, Default, Clone)]
pub struct Have {
    pub name: bool,
    pub link: bool,
    pub size: bool,
    pub mtime: bool,
    pub uid: bool,
    pub gid: bool,
    pub uname: bool,
    pub gname: bool,
    /// GNU.sparse.* keywords seen (a sparse member follows).
    pub sparse: Option<PaxSparse>,
}

/// What pax GNU.sparse.* keywords say of the next member.
#[derive(Debug, Default, Clone)]
pub struct PaxSparse {
    /// GNU.sparse.major (1: the map is at the start of the data, version 1.0).
    pub major: Option<u64>,
    /// GNU.sparse.size (0.x) or GNU.sparse.realsize (1.0).
    pub size: Option<u64>,
    pub numblocks: Option<u64>,
    pub name: Option<Vec<u8>>,
    /// The map of 0.0 (offset/numbytes pairs) or 0.1 (GNU.sparse.map).
    pub map: Vec<(u64, u64)>,
    /// A 0.0 GNU.sparse.offset waiting for its GNU.sparse.numbytes.
    offset: Option<u64>,
    /// A malformed keyword was seen.
    bad: bool,
}

fn pax_sparse_key(sp: &mut PaxSparse, k: &[u8], v: &[u8]) -> Result<(), Error> {
    let dec = |v: &[u8]| crate::args::parse_u64(v).ok_or(Error::Sparse);
    match k {
        b"major" => sp.major = Some(dec(v)?),
        b"size" | b"realsize" => sp.size = Some(dec(v)?),
        b"numblocks" => sp.numblocks = Some(dec(v)?),
        b"name" => sp.name = Some(v.to_vec()),
        // Each offset is followed by its numbytes before the next offset.
        b"offset" if sp.offset.replace(dec(v)?).is_some() => return Err(Error::Sparse),
        b"numbytes" => {
            let o = sp.offset.take().ok_or(Error::Sparse)?;
            push_sparse(&mut sp.map, o, dec(v)?)?;
        }
        b"map" if !v.is_empty() => {
            let mut it = v.split(|&c| c == b',');
            while let Some(o) = it.next() {
                let n = it.next().ok_or(Error::Sparse)?;
                push_sparse(&mut sp.map, dec(o)?, dec(n)?)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Applies pax records (`LEN key=value\n`...) to `m`.
pub fn parse_pax(mut d: &[u8], m: &mut Member, have: &mut Have) -> Result<(), Error> {
    while !d.is_empty() {
        if d.iter().all(|&b| b == 0) {
            break;
        }
        let sp = crate::bytes::memchr(b' ', d).ok_or(Error::Meta)?;
        let len = crate::args::parse_u64(&d[..sp]).ok_or(Error::Meta)?;
        let len = usize::try_from(len).map_err(|_| Error::Meta)?;
        if len <= sp + 1 || len > d.len() || d[len - 1] != b'\n' {
            return Err(Error::Meta);
        }
        let rec = &d[sp + 1..len - 1];
        d = &d[len..];
        let eq = crate::bytes::memchr(b'=', rec).ok_or(Error::Meta)?;
        let (k, v) = (&rec[..eq], &rec[eq + 1..]);
        let dec = |v: &[u8]| crate::args::parse_u64(v).ok_or(Error::Meta);
        match k {
            b"path" => {
                m.name = v.to_vec();
                have.name = true;
            }
            b"linkpath" => {
                m.link = v.to_vec();
                have.link = true;
            }
            b"size" => {
                m.size = dec(v)?;
                have.size = true;
            }
            b"uid" => {
                m.uid = dec(v)?;
                have.uid = true;
            }
            b"gid" => {
                m.gid = dec(v)?;
                have.gid = true;
            }
            b"uname" => {
                m.uname = v.to_vec();
                have.uname = true;
            }
            b"gname" => {
                m.gname = v.to_vec();
                have.gname = true;
            }
            b"mtime" => {
                // Seconds, maybe negative, maybe with a fraction (dropped).
                let (neg, v) = match v.split_first() {
                    Some((b'-', r)) => (true, r),
                    _ => (false, v),
                };
                let whole = v.split(|&c| c == b'.').next().unwrap_or(b"");
                let s = i64::try_from(dec(whole)?).map_err(|_| Error::Meta)?;
                m.mtime = if neg { -s } else { s };
                have.mtime = true;
            }
            _ if k.starts_with(b"GNU.sparse.") => {
                // A bad map is reported with the member's name, once its header is read.
                let sp = have.sparse.get_or_insert_with(PaxSparse::default);
                if !sp.bad && pax_sparse_key(sp, &k[11..], v).is_err() {
                    sp.bad = true;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn push_sparse(map: &mut Vec<(u64, u64)>, off: u64, n: u64) -> Result<(), Error> {
    if map.len() >= MAX_SPARSE {
        return Err(Error::Sparse);
    }
    map.push((off, n));
    Ok(())
}

/// Old GNU sparse entries (12-byte offset, 12-byte size) from a header or extension
/// block; an empty size field ends the list.
fn old_sparse(f: &[u8], map: &mut Vec<(u64, u64)>) -> Result<(), Error> {
    for e in f.chunks_exact(24) {
        if e[12] == 0 {
            break;
        }
        let o = unsigned(&e[..12]).map_err(|_| Error::Sparse)?;
        let n = unsigned(&e[12..]).map_err(|_| Error::Sparse)?;
        push_sparse(map, o, n)?;
    }
    Ok(())
}

/// A map fits its file: sorted, no overlaps, nothing past `size`, and its pieces add up to
/// the `stored` bytes of data.
pub fn check_map(map: &[(u64, u64)], size: u64, stored: u64) -> Result<(), Error> {
    let (mut end, mut sum) = (0u64, 0u64);
    for &(o, n) in map {
        let e = o.checked_add(n).ok_or(Error::Sparse)?;
        if o < end || e > size {
            return Err(Error::Sparse);
        }
        end = e;
        sum = sum.checked_add(n).ok_or(Error::Sparse)?;
    }
    if sum != stored {
        return Err(Error::Sparse);
    }
    Ok(())
}

/// Streams members out of a `Source`.
pub struct Reader<S: Source> {
    src: S,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    /// Data bytes of the current member not yet read, then its padding.
    left: u64,
    pad: usize,
    /// Bytes consumed so far (for messages and tests).
    pub offset: u64,
    /// The name field of a header that failed to parse (for the message).
    pub bad: Vec<u8>,
    done: bool,
    /// The current member's pieces (offset in the file, length): one for a plain member.
    map: Vec<(u64, u64)>,
    /// The next piece, the file offset of the next data byte, and what is left of the piece.
    seg: usize,
    at: u64,
    seg_left: u64,
}

impl<S: Source> Reader<S> {
    pub fn new(src: S) -> Reader<S> {
        Reader {
            src,
            buf: vec![0; crate::io::BLOCK],
            pos: 0,
            len: 0,
            left: 0,
            pad: 0,
            offset: 0,
            bad: Vec::new(),
            done: false,
            map: Vec::new(),
            seg: 0,
            at: 0,
            seg_left: 0,
        }
    }

    /// Bytes already read from the source (sniffed for compression) go first.
    pub fn preload(&mut self, b: &[u8]) {
        let n = b.len().min(self.buf.len());
        self.buf[..n].copy_from_slice(&b[..n]);
        self.pos = 0;
        self.len = n;
    }

    /// Buffered bytes, refilling when empty; an empty slice at the end.
    fn avail(&mut self) -> Result<&[u8], Error> {
        if self.pos == self.len {
            self.pos = 0;
            self.len = 0;
            let n = self.src.read(&mut self.buf).map_err(Error::Io)?;
            self.len = n;
        }
        Ok(&self.buf[self.pos..self.len])
    }

    fn consume(&mut self, n: usize) {
        self.pos += n;
        self.offset += n as u64;
    }

    /// Reads exactly one block; Ok(false) at a clean end of input.
    fn block(&mut self, out: &mut [u8; BLOCK]) -> Result<bool, Error> {
        let mut got = 0;
        while got < BLOCK {
            let a = self.avail()?;
            if a.is_empty() {
                return if got == 0 {
                    Ok(false)
                } else {
                    Err(Error::Short)
                };
            }
            let n = a.len().min(BLOCK - got);
            out[got..got + n].copy_from_slice(&a[..n]);
            self.consume(n);
            got += n;
        }
        Ok(true)
    }

    /// Skips `n` bytes.
    fn skip(&mut self, mut n: u64) -> Result<(), Error> {
        while n > 0 {
            let a = self.avail()?.len();
            if a == 0 {
                return Err(Error::Short);
            }
            let k = (a as u64).min(n) as usize;
            self.consume(k);
            n -= k as u64;
        }
        Ok(())
    }

    /// Reads a member body of `size` (at most MAX_META) whole, with its padding.
    fn meta(&mut self, size: u64, out: &mut Vec<u8>) -> Result<(), Error> {
        if size > MAX_META {
            return Err(Error::Meta);
        }
        out.clear();
        let mut n = size as usize;
        while n > 0 {
            let a = self.avail()?;
            if a.is_empty() {
                return Err(Error::Short);
            }
            let k = a.len().min(n);
            out.extend_from_slice(&a[..k]);
            self.consume(k);
            n -= k;
        }
        self.skip(pad(size) as u64)
    }

    /// The next member's header (its data follows through `data`), None at the end. The
    /// rest of the previous member's data is skipped first.
    pub fn next(&mut self, m: &mut Member) -> Result<bool, Error> {
        if self.done {
            return Ok(false);
        }
        self.skip(self.left)?;
        self.left = 0;
        let p = self.pad;
        self.pad = 0;
        self.skip(p as u64)?;
        let mut have = Have::default();
        let mut h = [0u8; BLOCK];
        let mut tmp = Vec::new();
        self.map.clear();
        m.sparse = false;
        loop {
            if !self.block(&mut h)? {
                self.done = true;
                return Ok(false);
            }
            match parse_header(&h, m, &have) {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    return Ok(false);
                }
                Err(e) => {
                    self.bad = cfield(&h[..100]).to_vec();
                    return Err(e);
                }
            }
            match m.typ {
                b'L' => {
                    self.meta(m.size, &mut tmp)?;
                    m.name.clear();
                    m.name.extend_from_slice(cfield(&tmp));
                    have.name = true;
                }
                b'K' => {
                    self.meta(m.size, &mut tmp)?;
                    m.link.clear();
                    m.link.extend_from_slice(cfield(&tmp));
                    have.link = true;
                }
                b'x' | b'X' => {
                    self.meta(m.size, &mut tmp)?;
                    parse_pax(&tmp, m, &mut have)?;
                }
                b'g' => {
                    // Global headers: rarely more than a comment; skipped.
                    let s = m.size;
                    self.skip(s.checked_add(pad(s) as u64).ok_or(Error::Meta)?)?;
                }
                t => {
                    self.left = m.size;
                    self.pad = pad(m.size);
                    let r = if t == b'S' {
                        self.old_gnu_sparse(&h, m)
                    } else if let Some(sp) = have.sparse.take().filter(|_| m.typ == REG) {
                        self.pax_sparse(sp, m)
                    } else {
                        self.map.push((0, m.size));
                        Ok(())
                    };
                    if let Err(e) = r {
                        self.bad.clone_from(&m.name);
                        return Err(e);
                    }
                    self.seg = 0;
                    self.seg_left = 0;
                    return Ok(true);
                }
            }
        }
    }

    /// An old GNU sparse member (`S`): four map entries in the header, more in extension
    /// blocks while `isextended` says so, the real size at 483.
    fn old_gnu_sparse(&mut self, h: &[u8; BLOCK], m: &mut Member) -> Result<(), Error> {
        old_sparse(&h[386..482], &mut self.map)?;
        let mut ext = h[482] != 0;
        let mut b = [0u8; BLOCK];
        while ext {
            if !self.block(&mut b)? {
                return Err(Error::Short);
            }
            old_sparse(&b[..504], &mut self.map)?;
            ext = b[504] != 0;
        }
        let size = unsigned(&h[483..495]).map_err(|_| Error::Sparse)?;
        check_map(&self.map, size, m.size)?;
        m.typ = REG;
        m.sparse = true;
        m.size = size;
        Ok(())
    }

    /// A pax sparse member: the map from the keywords (0.0, 0.1) or from the start of the
    /// data (1.0: decimal lines, count first, padded to a block), the real name and size.
    fn pax_sparse(&mut self, sp: PaxSparse, m: &mut Member) -> Result<(), Error> {
        if let Some(n) = sp.name {
            m.name = n;
        }
        if sp.bad {
            return Err(Error::Sparse);
        }
        let size = sp.size.ok_or(Error::Sparse)?;
        if sp.major == Some(1) {
            // The count is not trusted for an allocation: each entry is read first.
            let count = self.map_number()?;
            for _ in 0..count {
                let o = self.map_number()?;
                let n = self.map_number()?;
                push_sparse(&mut self.map, o, n)?;
            }
            // The map's padding to a block boundary.
            let read = m.size - self.left;
            let p = pad(read) as u64;
            if p > self.left {
                return Err(Error::Sparse);
            }
            self.skip(p)?;
            self.left -= p;
        } else {
            if sp.major.is_some() || sp.offset.is_some() {
                return Err(Error::Sparse);
            }
            self.map = sp.map;
            if sp.numblocks.is_some_and(|n| n != self.map.len() as u64) {
                return Err(Error::Sparse);
            }
        }
        check_map(&self.map, size, self.left)?;
        m.sparse = true;
        m.size = size;
        Ok(())
    }

    /// One decimal number and its newline from the data (a 1.0 sparse map).
    fn map_number(&mut self) -> Result<u64, Error> {
        let mut v: u64 = 0;
        let mut digits = 0;
        loop {
            if self.left == 0 {
                return Err(Error::Sparse);
            }
            let a = self.avail()?;
            let Some(&c) = a.first() else {
                return Err(Error::Short);
            };
            self.consume(1);
            self.left -= 1;
            match c {
                b'0'..=b'9' => {
                    v = v
                        .checked_mul(10)
                        .and_then(|v| v.checked_add(u64::from(c - b'0')))
                        .ok_or(Error::Sparse)?;
                    digits += 1;
                }
                b'\n' if digits > 0 => return Ok(v),
                _ => return Err(Error::Sparse),
            }
        }
    }

    /// The next piece of the current member's data as stored (a sparse member's pieces
    /// back to back), None when it is all read.
    pub fn data(&mut self) -> Result<Option<&[u8]>, Error> {
        self.take(u64::MAX)
    }

    /// The next piece of the current member's data and its offset in the file (after a
    /// hole in a sparse member), None when it is all read.
    pub fn data_at(&mut self) -> Result<Option<(u64, &[u8])>, Error> {
        while self.seg_left == 0 {
            let Some(&(o, n)) = self.map.get(self.seg) else {
                return Ok(None);
            };
            self.seg += 1;
            self.at = o;
            self.seg_left = n;
        }
        let at = self.at;
        let max = self.seg_left;
        let d = self.take(max)?;
        let k = d.map_or(0, |d| d.len() as u64);
        self.at += k;
        self.seg_left -= k;
        // The map adds up to the data stored (check_map), so pieces end with the data.
        Ok(self.take_last(k).map(|d| (at, d)))
    }

    /// The slice `take` returned last (re-borrowed after the bookkeeping).
    fn take_last(&self, k: u64) -> Option<&[u8]> {
        let k = k as usize;
        (k > 0).then(|| &self.buf[self.pos - k..self.pos])
    }

    /// Up to `max` bytes of the member's data.
    fn take(&mut self, max: u64) -> Result<Option<&[u8]>, Error> {
        if self.left == 0 || max == 0 {
            return Ok(None);
        }
        let left = self.left.min(max);
        let a = self.avail()?.len();
        if a == 0 {
            return Err(Error::Short);
        }
        let k = (a as u64).min(left) as usize;
        let start = self.pos;
        self.pos += k;
        self.offset += k as u64;
        self.left -= k as u64;
        Ok(Some(&self.buf[start..start + k]))
    }

    /// Data of the current member not yet read.
    pub fn left(&self) -> u64 {
        self.left
    }
}

/// Padding after `size` bytes of data.
pub fn pad(size: u64) -> usize {
    ((BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64) as usize
}

/// Writes `v` into field `f` as zero-padded octal with a NUL, or base-256 when it does not
/// fit (GNU's extension; negative times too).
pub fn put_num(f: &mut [u8], v: i64) {
    let n = f.len();
    let digits = n - 1;
    let fits = v >= 0 && (digits >= 21 || (v as u64) < (1u64 << (3 * digits)));
    if fits {
        let mut x = v as u64;
        for i in (0..digits).rev() {
            f[i] = b'0' + (x & 7) as u8;
            x >>= 3;
        }
        f[digits] = 0;
    } else {
        let mut x = v;
        for i in (0..n).rev() {
            f[i] = (x & 0xff) as u8;
            x >>= 8;
        }
        f[0] = if v < 0 { 0xff } else { 0x80 };
    }
}

fn put_str(f: &mut [u8], s: &[u8]) {
    let n = s.len().min(f.len());
    f[..n].copy_from_slice(&s[..n]);
}

fn finish(h: &mut [u8; BLOCK]) {
    h[148..156].fill(b' ');
    let (u, _) = checksums(h);
    put_num(&mut h[148..155], u);
    h[155] = b' ';
}

/// A GNU `././@LongLink` header of type `t` (`L` name, `K` link) and its data, as BusyBox
/// and GNU tar write them (the value with its NUL).
fn long(out: &mut Vec<u8>, t: u8, v: &[u8]) {
    let mut h = [0u8; BLOCK];
    put_str(&mut h[..100], b"././@LongLink");
    put_num(&mut h[100..108], 0);
    put_num(&mut h[108..116], 0);
    put_num(&mut h[116..124], 0);
    put_num(&mut h[124..136], v.len() as i64 + 1);
    put_num(&mut h[136..148], 0);
    h[156] = t;
    h[257..265].copy_from_slice(b"ustar  \0");
    finish(&mut h);
    out.extend_from_slice(&h);
    out.extend_from_slice(v);
    out.push(0);
    let p = pad(v.len() as u64 + 1);
    out.resize(out.len() + p, 0);
}

/// Appends the header block(s) for `m` to `out` (GNU format: `L`/`K` for names or links
/// over 100 bytes, base-256 for numbers too big for octal).
pub fn write_header(out: &mut Vec<u8>, m: &Member) {
    if m.name.len() > 100 {
        long(out, b'L', &m.name);
    }
    if m.link.len() > 100 {
        long(out, b'K', &m.link);
    }
    let mut h = [0u8; BLOCK];
    put_str(&mut h[..100], &m.name);
    put_num(&mut h[100..108], i64::from(m.mode & 0o7777));
    put_num(&mut h[108..116], m.uid.min(i64::MAX as u64) as i64);
    put_num(&mut h[116..124], m.gid.min(i64::MAX as u64) as i64);
    put_num(&mut h[124..136], m.size.min(i64::MAX as u64) as i64);
    put_num(&mut h[136..148], m.mtime);
    h[156] = m.typ;
    put_str(&mut h[157..257], &m.link);
    h[257..265].copy_from_slice(b"ustar  \0");
    put_str(&mut h[265..297], &m.uname);
    put_str(&mut h[297..329], &m.gname);
    if m.typ == CHR || m.typ == BLK {
        put_num(&mut h[329..337], m.major.min(i64::MAX as u64) as i64);
        put_num(&mut h[337..345], m.minor.min(i64::MAX as u64) as i64);
    }
    finish(&mut h);
    out.extend_from_slice(&h);
}

/// Appends `name` for display: control characters, backslash and (outside a UTF-8
/// locale, or not valid UTF-8) bytes over 0x7f as GNU tar's C-style escapes (`\n`, `\\`,
/// `\033`), so a member name can never drive the terminal.
pub fn escape(out: &mut Vec<u8>, name: &[u8], utf8: bool) {
    let mut i = 0;
    while i < name.len() {
        let c = name[i];
        if c >= 0x80 && utf8 {
            let n = match c {
                0xc2..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf4 => 4,
                _ => 0,
            };
            if n > 0 {
                if let Some(s) = name.get(i..i + n) {
                    // C1 controls (U+0080..U+009F) are escaped too.
                    let c1 = c == 0xc2 && s[1] < 0xa0;
                    if !c1 && std::str::from_utf8(s).is_ok() {
                        out.extend_from_slice(s);
                        i += n;
                        continue;
                    }
                }
            }
        }
        match c {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x20..=0x7e => out.push(c),
            _ => {
                out.push(b'\\');
                out.push(b'0' + (c >> 6));
                out.push(b'0' + ((c >> 3) & 7));
                out.push(b'0' + (c & 7));
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let mut f = [0u8; 12];
        put_num(&mut f, 5 << 30);
        assert_eq!(number(&f), Ok(5 << 30));
        put_num(&mut f, 1 << 40);
        assert_eq!(f[0], 0x80);
        assert_eq!(number(&f), Ok(1 << 40));
        put_num(&mut f, -5);
        assert_eq!(number(&f), Ok(-5));
        assert_eq!(number(b"  17 \0"), Ok(15));
        assert_eq!(number(b"9"), Err(Error::Number));
    }

    #[test]
    fn round_trip() {
        let m = Member {
            name: vec![b'a'; 150],
            link: b"t".to_vec(),
            typ: SYMLINK,
            mode: 0o777,
            mtime: 1_000_000,
            ..Member::default()
        };
        let mut out = Vec::new();
        write_header(&mut out, &m);
        out.resize(out.len() + 1024, 0);
        let mut r = Reader::new(&out[..]);
        let mut got = Member::default();
        assert_eq!(r.next(&mut got), Ok(true));
        assert_eq!(
            (&got.name, &got.link, got.typ, got.mtime),
            (&m.name, &m.link, SYMLINK, m.mtime)
        );
        assert_eq!(r.next(&mut got), Ok(false));
    }

    #[test]
    fn sparse_maps() {
        assert_eq!(check_map(&[(0, 5), (10, 5), (20, 0)], 20, 10), Ok(()));
        assert_eq!(check_map(&[], 0, 0), Ok(()));
        for (map, size, stored) in [
            (&[(0, 5), (4, 5)][..], 20, 10),
            (&[(10, 5), (0, 5)], 20, 10),
            (&[(0, 5), (18, 5)], 20, 10),
            (&[(0, 5)], 20, 10),
            (&[(u64::MAX, 2)], u64::MAX, 2),
        ] {
            assert_eq!(check_map(map, size, stored), Err(Error::Sparse), "{map:?}");
        }
        // A 1.0 map at the start of the data, then the pieces.
        let mut a = Vec::new();
        let mut pax =
            b"GNU.sparse.major=1\nGNU.sparse.name=real\nGNU.sparse.realsize=9000\n".to_vec();
        let mut recs = Vec::new();
        for r in pax.split(|&c| c == b'\n').filter(|r| !r.is_empty()) {
            let n = r.len() + 4;
            recs.extend_from_slice(format!("{n} ").as_bytes());
            recs.extend_from_slice(r);
            recs.push(b'\n');
        }
        pax = recs;
        let x = Member {
            name: b"PaxHeaders/x".to_vec(),
            typ: b'x',
            size: pax.len() as u64,
            ..Member::default()
        };
        write_header(&mut a, &x);
        a.extend_from_slice(&pax);
        a.resize(a.len() + pad(pax.len() as u64), 0);
        let f = Member {
            name: b"GNUSparseFile.1/real".to_vec(),
            typ: REG,
            size: 512 + 6,
            ..Member::default()
        };
        write_header(&mut a, &f);
        let mut map = b"2\n100\n3\n8000\n3\n".to_vec();
        map.resize(512, 0);
        a.extend_from_slice(&map);
        a.extend_from_slice(b"abcxyz");
        a.resize(a.len() + pad(6) + 1024, 0);
        let mut r = Reader::new(&a[..]);
        let mut m = Member::default();
        assert_eq!(r.next(&mut m), Ok(true));
        assert_eq!((&m.name[..], m.size, m.sparse), (&b"real"[..], 9000, true));
        assert_eq!(r.data_at(), Ok(Some((100, &b"abc"[..]))));
        assert_eq!(r.data_at(), Ok(Some((8000, &b"xyz"[..]))));
        assert_eq!(r.data_at(), Ok(None));
        assert_eq!(r.next(&mut m), Ok(false));
    }
}
