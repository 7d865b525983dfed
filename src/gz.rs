//! The gzip format (RFC 1952) over miniz_oxide's raw deflate: a streaming decoder that pulls
//! from a descriptor ([`GzReader`], several members, BusyBox's trailing-garbage rule) and a
//! streaming encoder that pushes to one ([`GzWriter`]). Neither holds more than a window and
//! a block, so a decompression bomb is streamed, never held in memory.

use crate::compress::{Codec, Fail, Mode as CMode, Sink, Src};
use crate::io::BLOCK;
use crate::sys;
use miniz_oxide::deflate::core::{
    compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};

/// CRC-32 at memory speed (PCLMULQDQ or slicing by 8): a byte-at-a-time table would be a
/// third of gunzip's time.
pub use crate::crcfast::Crc32 as Crc;

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

/// Raw inflate over zlib-rs: miniz_oxide's inflate copies each match with a memmove call,
/// and musl's memmove (rep movs) made that 60% of gunzip's time; zlib-rs copies in chunks.
pub struct Inflater(zlib_rs::Inflate);

impl Default for Inflater {
    fn default() -> Self {
        Self::new()
    }
}

impl Inflater {
    pub fn new() -> Inflater {
        Inflater(zlib_rs::Inflate::new(false, 15))
    }

    /// Starts a new raw deflate stream.
    pub fn reset(&mut self) {
        self.0.reset(false);
    }

    /// Inflates what it can of `input` into `output`: (bytes used, bytes made, whether the
    /// deflate stream ended); Err for corrupt data.
    #[allow(clippy::result_unit_err)]
    pub fn step(&mut self, input: &[u8], output: &mut [u8]) -> Result<(usize, usize, bool), ()> {
        let (i0, o0) = (self.0.total_in(), self.0.total_out());
        let r = self
            .0
            .decompress(input, output, zlib_rs::InflateFlush::NoFlush);
        let used = (self.0.total_in() - i0) as usize;
        let made = (self.0.total_out() - o0) as usize;
        match r {
            Ok(st) => Ok((used, made, st == zlib_rs::Status::StreamEnd)),
            Err(_) => Err(()),
        }
    }
}

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
    d: Inflater,
    win: Vec<u8>,
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
            d: Inflater::new(),
            win: vec![0u8; BLOCK],
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
        self.d.reset();
        self.crc.v = 0;
        self.size = 0;
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
                    let (used, n, end) = self
                        .d
                        .step(&self.inb[self.ip..self.iend], &mut self.win)
                        .map_err(|_| GzErr::Corrupt)?;
                    self.ip += used;
                    // The checks need this member's last bytes: account them first.
                    self.crc.update(&self.win[..n]);
                    self.size = self.size.wrapping_add(n as u32);
                    self.out_total += n as u64;
                    if end {
                        let mut tr = [0u8; 8];
                        for b in &mut tr {
                            *b = self.byte()?;
                        }
                        if u32::from_le_bytes([tr[0], tr[1], tr[2], tr[3]]) != self.crc.v {
                            return Err(GzErr::Crc);
                        }
                        if u32::from_le_bytes([tr[4], tr[5], tr[6], tr[7]]) != self.size {
                            return Err(GzErr::Length);
                        }
                        self.st = St::Header;
                    } else if n == 0 && used == 0 {
                        // No progress: more input is all that can help.
                        if self.ip < self.iend {
                            return Err(GzErr::Corrupt);
                        }
                        if self.eof {
                            return Err(GzErr::Eof);
                        }
                    }
                    if n > 0 {
                        return Ok(Some(&self.win[..n]));
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

/// Which applet runs the driver.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Gzip,
    Gunzip,
    Zcat,
}

impl From<GzErr> for Fail {
    fn from(e: GzErr) -> Fail {
        match e {
            GzErr::Read(e) => Fail::Read(e),
            GzErr::Write(e) => Fail::Write(e),
            e => Fail::Data(e.msg()),
        }
    }
}

/// Decodes every member from `src` into `sink`; returns (bytes in, bytes out). The reader
/// pulls from a descriptor, so bytes (the fuzz target) go through a memfd.
pub fn decode(src: &mut dyn Src, sink: Sink) -> Result<(u64, u64), Fail> {
    let mut fd = src.fd();
    let mut own = -1;
    if fd < 0 {
        // SAFETY: a fresh anonymous file; closed below.
        own = unsafe { libc::memfd_create(c"gz".as_ptr(), libc::MFD_CLOEXEC) };
        if own < 0 {
            return Err(Fail::Read(sys::errno()));
        }
        let r = (|| {
            let mut buf = vec![0u8; BLOCK];
            loop {
                match src.read(&mut buf).map_err(Fail::Read)? {
                    0 => break,
                    n => sys::write_all(own, &buf[..n]).map_err(Fail::Read)?,
                }
            }
            // SAFETY: own is our descriptor.
            unsafe { libc::lseek(own, 0, libc::SEEK_SET) };
            Ok(())
        })();
        if let Err(e) = r {
            // SAFETY: own is ours.
            unsafe { libc::close(own) };
            return Err(e);
        }
        fd = own;
    }
    let mut r = GzReader::new(fd);
    let res = (|| {
        while let Some(c) = r.chunk()? {
            sink(c)?;
        }
        Ok((r.in_total, r.out_total))
    })();
    if own >= 0 {
        // SAFETY: own is ours.
        unsafe { libc::close(own) };
    }
    res
}

/// Encodes all of `fd` as one member to `out`; returns (bytes in, bytes out).
pub fn encode(fd: i32, out: i32, level: u8, mtime: u32) -> Result<(u64, u64), Fail> {
    let mut w = GzWriter::new(out, level, None, mtime)?;
    crate::compress::each_block(fd, &mut |b| w.write(b).map_err(Fail::from))?;
    w.finish()?;
    Ok((w.in_total, w.out_total))
}

/// gzip, gunzip and zcat: the shared driver in `compress`.
pub fn main(cx: &mut crate::Cx, args: &[&std::ffi::OsStr], mode: Mode) -> crate::Res {
    let m = match mode {
        Mode::Gzip => CMode::Pack,
        Mode::Gunzip => CMode::Unpack,
        Mode::Zcat => CMode::Cat,
    };
    crate::compress::main(cx, args, Codec::Gz, m)
}
