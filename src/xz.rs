//! The .xz and .lzma formats over `lzma-rust2` (a pure-Rust port of XZ for Java): its
//! sans-I/O stream decoders are driven block by block, so memory is the dictionary and two
//! blocks whatever the output size; the encoders write through [`Blocks`].
//!
//! ```text
//! xz::decode_xz(&mut compress::Fd(0), &mut |b| sys::write_all(1, b).map_err(Fail::Write), u32::MAX)
//! ```
//! Concatenated .xz streams with their zero padding decode as one, as xz-utils does; bytes
//! after the last stream that are not another one are ignored, as BusyBox's unxz does.

use crate::compress::{each_block, write_fail, Blocks, Fail, InBuf, Sink, Src};
use crate::io::BLOCK;
use lzma_rust2::{
    Action, CheckType, FilterConfig, FilterType, Lzma2Stream, LzmaOptions, LzmaStream, LzmaWriter,
    Status, XzOptions, XzStream, XzWriter,
};
use std::io::Write;

const CORRUPT: Fail = Fail::Data(b"corrupted data");
// xz-utils' words for a filter or flag it does not know.
const UNSUPPORTED: Fail = Fail::Data(b"unsupported options");
const MAGIC: &[u8] = b"\xfd7zXZ\x00";

/// One decoder call: (bytes consumed, bytes produced, status).
type Step<'a> = &'a mut dyn FnMut(&[u8], &mut [u8], Action) -> Result<(usize, usize, Status), Fail>;

/// Runs one stream decoder over `ib` until it reports its end.
fn run(
    ib: &mut InBuf,
    out: &mut [u8],
    total: &mut u64,
    sink: &mut dyn FnMut(&[u8]) -> Result<(), Fail>,
    eof: Fail,
    step: Step,
) -> Result<(), Fail> {
    let mut stalls = 0u32;
    loop {
        ib.more()?;
        let act = if ib.eof { Action::Finish } else { Action::Run };
        let (used, made, st) = step(ib.data(), out, act)?;
        ib.consume(used);
        if made > 0 {
            *total += made as u64;
            sink(&out[..made])?;
        }
        if st == Status::StreamEnd {
            return Ok(());
        }
        if used == 0 && made == 0 {
            stalled(ib, &mut stalls, eof)?;
        } else {
            stalls = 0;
        }
    }
}

/// No progress from the decoder: more input is all that can help; at the end of the input
/// that is `eof`, and a decoder that still does nothing after 4 more reads is corrupt data.
fn stalled(ib: &mut InBuf, stalls: &mut u32, eof: Fail) -> Result<(), Fail> {
    if ib.eof {
        return Err(eof);
    }
    let have = ib.data().len();
    ib.fill(have + 1)?;
    *stalls += 1;
    if *stalls > 4 {
        return Err(CORRUPT);
    }
    Ok(())
}

fn xz_err(e: std::io::Error) -> Fail {
    if e.kind() == std::io::ErrorKind::OutOfMemory {
        Fail::Data(b"memory limit exceeded")
    } else {
        CORRUPT
    }
}

/// Bytes of each check type's field (the .xz spec's table; IDs over 15 are invalid).
const CHECK_SIZE: [u8; 16] = [0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64];

/// An .xz multibyte integer at `b[*pos..]` (at most 9 bytes, no trailing zero byte).
fn vli(b: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for i in 0..9 {
        let c = *b.get(*pos)?;
        *pos += 1;
        v |= ((c & 0x7f) as u64) << (7 * i);
        if c & 0x80 == 0 {
            return (i == 0 || c != 0).then_some(v);
        }
    }
    None
}

/// A block's check as it is computed: CRC32 and CRC64 here, fast; None for no check.
enum Check {
    None,
    C32(crate::crcfast::Crc32),
    C64(crate::crcfast::Crc64),
}

impl Check {
    fn update(&mut self, b: &[u8]) {
        match self {
            Check::None => {}
            Check::C32(c) => c.update(b),
            Check::C64(c) => c.update(b),
        }
    }
    fn matches(&self, field: &[u8]) -> bool {
        match self {
            Check::None => true,
            Check::C32(c) => field == c.v.to_le_bytes(),
            Check::C64(c) => field == c.v.to_le_bytes(),
        }
    }
}

/// The (unpadded, uncompressed) size records of a stream's blocks, summed and hashed, so the
/// index can be checked against what was decoded in constant memory.
#[derive(Default)]
struct Records {
    n: u64,
    hash: crate::crcfast::Crc32,
}

impl Records {
    fn add(&mut self, unpadded: u64, size: u64) {
        self.n += 1;
        self.hash.update(&unpadded.to_le_bytes());
        self.hash.update(&size.to_le_bytes());
    }
}

/// One byte of the input (the index, read byte by byte), counted into `crc` and `len`.
fn index_byte(ib: &mut InBuf, crc: &mut crate::crcfast::Crc32, len: &mut u64) -> Result<u8, Fail> {
    if ib.more()? == 0 {
        return Err(CORRUPT);
    }
    let c = ib.data()[0];
    ib.consume(1);
    crc.update(&[c]);
    *len += 1;
    Ok(c)
}

fn index_vli(ib: &mut InBuf, crc: &mut crate::crcfast::Crc32, len: &mut u64) -> Result<u64, Fail> {
    let mut b = [0u8; 9];
    for i in 0..9 {
        b[i] = index_byte(ib, crc, len)?;
        if b[i] & 0x80 == 0 {
            return vli(&b[..=i], &mut 0).ok_or(CORRUPT);
        }
    }
    Err(CORRUPT)
}

/// Parses a block header (`h`, its whole size) into the LZMA2 dictionary size, the one
/// pre-filter it may have, and the sizes it may state.
/// A block header's facts: dictionary size, pre-filter, compressed and uncompressed sizes.
type BlockInfo = (u32, Option<FilterConfig>, Option<u64>, Option<u64>);

fn block_header(h: &[u8]) -> Result<BlockInfo, Fail> {
    let n = h.len();
    let (body, crc) = h.split_at(n - 4);
    if crate::crcfast::Crc32::of(body).to_le_bytes() != crc {
        return Err(CORRUPT);
    }
    let flags = body[1];
    if flags & 0x3c != 0 {
        return Err(UNSUPPORTED);
    }
    let mut p = 2;
    let csize = if flags & 0x40 != 0 {
        Some(vli(body, &mut p).ok_or(CORRUPT)?)
    } else {
        None
    };
    let usize_ = if flags & 0x80 != 0 {
        Some(vli(body, &mut p).ok_or(CORRUPT)?)
    } else {
        None
    };
    let nf = (flags & 3) as usize + 1;
    let mut pre = None;
    let mut dict = None;
    for i in 0..nf {
        let id = vli(body, &mut p).ok_or(CORRUPT)?;
        let psize = vli(body, &mut p).ok_or(CORRUPT)? as usize;
        let props = body.get(p..p.saturating_add(psize)).ok_or(CORRUPT)?;
        p += psize;
        if i + 1 == nf {
            // The last filter is LZMA2, its one byte the dictionary size.
            if id != 0x21 || psize != 1 || props[0] > 40 {
                return Err(UNSUPPORTED);
            }
            let b = props[0] as u32;
            dict = Some(if b == 40 {
                u32::MAX
            } else {
                (2 | (b & 1)) << (b / 2 + 11)
            });
        } else {
            // One BCJ or delta filter before it (all xz-utils writes in practice).
            let ft = FilterType::try_from(id).map_err(|_| UNSUPPORTED)?;
            let property = match (ft, psize) {
                (FilterType::Lzma2, _) => return Err(UNSUPPORTED),
                (FilterType::Delta, 1) => props[0] as u32 + 1,
                (FilterType::Delta, _) => return Err(UNSUPPORTED),
                (_, 0) => 0,
                (_, 4) => u32::from_le_bytes([props[0], props[1], props[2], props[3]]),
                _ => return Err(UNSUPPORTED),
            };
            if pre.is_some() {
                return Err(UNSUPPORTED);
            }
            pre = Some(FilterConfig {
                filter_type: ft,
                property,
            });
        }
    }
    if body.get(p..).is_none_or(|r| r.iter().any(|&c| c != 0)) {
        return Err(CORRUPT);
    }
    Ok((dict.unwrap_or(0), pre, csize, usize_))
}

/// Decodes one block's LZMA2 data (the header consumed) into `sink`; returns its compressed
/// and uncompressed sizes.
#[allow(clippy::too_many_arguments)]
fn block_data(
    ib: &mut InBuf,
    out: &mut [u8],
    total: &mut u64,
    sink: &mut dyn FnMut(&[u8]) -> Result<(), Fail>,
    dict: u32,
    pre: Option<FilterConfig>,
    check: &mut Check,
    mem_limit_kb: u32,
) -> Result<(u64, u64), Fail> {
    let mut d = Lzma2Stream::new_mem_limit(dict, mem_limit_kb);
    if let Some(f) = pre {
        d.set_filters(&[f]).map_err(xz_err)?;
    }
    let (mut cin, mut cout) = (0u64, 0u64);
    let mut stalls = 0u32;
    loop {
        ib.more()?;
        let r = d.process(ib.data(), out, Action::Run).map_err(xz_err)?;
        let (used, made) = (r.bytes_consumed, r.bytes_produced);
        ib.consume(used);
        cin += used as u64;
        if made > 0 {
            let b = &out[..made];
            check.update(b);
            cout += made as u64;
            *total += made as u64;
            sink(b)?;
        }
        if r.status == Status::StreamEnd {
            return Ok((cin, cout));
        }
        if used == 0 && made == 0 {
            stalled(ib, &mut stalls, CORRUPT)?;
        } else {
            stalls = 0;
        }
    }
}

/// Decodes one .xz stream whose header `ib` holds (checked: magic and CRC32) and whose
/// check is none, CRC32 or CRC64: the container is parsed here so the checks run at memory
/// speed; SHA-256 streams go through the crate's stream decoder.
fn xz_stream(
    ib: &mut InBuf,
    out: &mut [u8],
    total: &mut u64,
    sink: &mut dyn FnMut(&[u8]) -> Result<(), Fail>,
    flags: [u8; 2],
    mem_limit_kb: u32,
) -> Result<(), Fail> {
    use crate::crcfast::{Crc32, Crc64};
    let id = flags[1];
    let csz = CHECK_SIZE[id as usize & 15] as usize;
    ib.consume(12);
    let mut recs = Records::default();
    loop {
        if ib.fill(1)? == 0 {
            return Err(CORRUPT);
        }
        let b0 = ib.data()[0];
        if b0 == 0 {
            break;
        }
        let hsize = (b0 as usize + 1) * 4;
        if ib.fill(hsize)? < hsize {
            return Err(CORRUPT);
        }
        let (dict, pre, csize, usize_) = block_header(&ib.data()[..hsize])?;
        ib.consume(hsize);
        let mut check = match id {
            1 => Check::C32(Crc32::new()),
            4 => Check::C64(Crc64::new()),
            _ => Check::None,
        };
        let (cin, cout) = block_data(ib, out, total, sink, dict, pre, &mut check, mem_limit_kb)?;
        if csize.is_some_and(|c| c != cin) || usize_.is_some_and(|u| u != cout) {
            return Err(CORRUPT);
        }
        let pad = ((4 - cin % 4) % 4) as usize;
        if ib.fill(pad + csz)? < pad + csz {
            return Err(CORRUPT);
        }
        let tail = &ib.data()[..pad + csz];
        if tail[..pad].iter().any(|&c| c != 0) || !check.matches(&tail[pad..]) {
            return Err(CORRUPT);
        }
        ib.consume(pad + csz);
        recs.add(hsize as u64 + cin + csz as u64, cout);
    }
    // The index: its records must be the blocks just decoded.
    let mut crc = Crc32::new();
    let mut len = 0u64;
    index_byte(ib, &mut crc, &mut len)?;
    let n = index_vli(ib, &mut crc, &mut len)?;
    let mut seen = Records::default();
    for _ in 0..n {
        if seen.n == recs.n {
            return Err(CORRUPT);
        }
        let unpadded = index_vli(ib, &mut crc, &mut len)?;
        let size = index_vli(ib, &mut crc, &mut len)?;
        seen.add(unpadded, size);
    }
    while !len.is_multiple_of(4) {
        if index_byte(ib, &mut crc, &mut len)? != 0 {
            return Err(CORRUPT);
        }
    }
    if seen.n != recs.n || seen.hash.v != recs.hash.v {
        return Err(CORRUPT);
    }
    if ib.fill(16)? < 16 {
        return Err(CORRUPT);
    }
    let t = &ib.data()[..16];
    let foot = &t[4..];
    // Backward Size is the index's size (with its CRC) in fours, less one.
    let backward = len / 4;
    if t[..4] != crc.v.to_le_bytes()
        || foot[..4] != Crc32::of(&foot[4..10]).to_le_bytes()
        || u32::from_le_bytes([foot[4], foot[5], foot[6], foot[7]]) as u64 != backward
        || foot[8..10] != flags
        || &foot[10..12] != b"YZ"
    {
        return Err(CORRUPT);
    }
    ib.consume(16);
    Ok(())
}

/// Decodes .xz streams from `src` into `sink` (a dictionary over `mem_limit_kb` KiB is
/// refused); returns (bytes in, bytes out).
pub fn decode_xz(src: &mut dyn Src, sink: Sink, mem_limit_kb: u32) -> Result<(u64, u64), Fail> {
    let mut ib = InBuf::new(src);
    let mut out = vec![0u8; BLOCK];
    let mut total = 0u64;
    let mut streams = 0u32;
    loop {
        ib.fill(MAGIC.len())?;
        if !ib.data().starts_with(MAGIC) {
            if streams == 0 {
                // BusyBox's unxz exits 0 here, having written nothing: say why instead.
                return Err(Fail::Data(b"invalid magic"));
            }
            break;
        }
        if ib.fill(12)? < 12 {
            return Err(CORRUPT);
        }
        let h = ib.data();
        let flags = [h[6], h[7]];
        if h[8..12] != crate::crcfast::Crc32::of(&flags).to_le_bytes() {
            return Err(CORRUPT);
        }
        if flags[0] != 0 || flags[1] > 15 {
            return Err(UNSUPPORTED);
        }
        if matches!(flags[1], 0 | 1 | 4) {
            xz_stream(&mut ib, &mut out, &mut total, sink, flags, mem_limit_kb)?;
        } else {
            let mut d = XzStream::new_mem_limit(false, mem_limit_kb);
            run(
                &mut ib,
                &mut out,
                &mut total,
                sink,
                CORRUPT,
                &mut |i, o, a| {
                    let r = d.process(i, o, a).map_err(xz_err)?;
                    Ok((r.bytes_consumed, r.bytes_produced, r.status))
                },
            )?;
        }
        streams += 1;
        // Stream padding: NULs in fours.
        let mut pad = 0usize;
        loop {
            if ib.more()? == 0 {
                break;
            }
            let z = ib.data().iter().take_while(|&&c| c == 0).count();
            pad += z;
            ib.consume(z);
            if !ib.data().is_empty() {
                break;
            }
        }
        if !pad.is_multiple_of(4) {
            return Err(CORRUPT);
        }
    }
    Ok((ib.total, total))
}

/// Decodes one .lzma (LZMA alone) stream from `src` into `sink`; what follows it is ignored,
/// as BusyBox does.
pub fn decode_lzma(src: &mut dyn Src, sink: Sink, mem_limit_kb: u32) -> Result<(u64, u64), Fail> {
    let mut ib = InBuf::new(src);
    let mut out = vec![0u8; BLOCK];
    let mut total = 0u64;
    // The 13-byte header: properties (lc/lp/pb < 225), dictionary size, uncompressed size,
    // checked as xz-utils does (there is no magic): a dictionary of 2^n or 2^n + 2^(n-1)
    // bytes, a size unknown (all ones) or under 256 GiB.
    if ib.fill(13)? < 13 || !lzma_header_ok(ib.data()) {
        return Err(Fail::Data(b"bad lzma header"));
    }
    let mut d = LzmaStream::new_mem_limit(mem_limit_kb, None);
    let eof = Fail::Data(b"unexpected EOF");
    run(&mut ib, &mut out, &mut total, sink, eof, &mut |i, o, a| {
        let r = d.process(i, o, a).map_err(|e| {
            if e.kind() == std::io::ErrorKind::UnexpectedEof {
                eof
            } else {
                xz_err(e)
            }
        })?;
        Ok((r.bytes_consumed, r.bytes_produced, r.status))
    })?;
    Ok((ib.total, total))
}

fn lzma_header_ok(h: &[u8]) -> bool {
    let (Some(&p), Some(d), Some(n)) = (h.first(), h.get(1..5), h.get(5..13)) else {
        return false;
    };
    let dict = u32::from_le_bytes([d[0], d[1], d[2], d[3]]);
    let size = u64::from_le_bytes([n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7]]);
    let mut r = dict.wrapping_sub(1);
    r |= r >> 2;
    r |= r >> 3;
    r |= r >> 4;
    r |= r >> 8;
    r |= r >> 16;
    p < 225
        && (dict == u32::MAX || r.wrapping_add(1) == dict)
        && (size == u64::MAX || size < 1 << 38)
}

/// Encodes all of `fd` as one .xz stream at preset `level` to `out`, with the check of ID
/// `check` (0 none, 1 CRC32, 4 CRC64 as xz's default, 10 SHA-256).
pub fn encode_xz(fd: i32, out: i32, level: u8, check: u8) -> Result<(u64, u64), Fail> {
    let mut bw = Blocks::new(out);
    let mut n = 0u64;
    let mut opts = XzOptions::with_preset(level.min(9) as u32);
    opts.set_check_sum_type(match check {
        0 => CheckType::None,
        1 => CheckType::Crc32,
        10 => CheckType::Sha256,
        _ => CheckType::Crc64,
    });
    let mut w = XzWriter::new(&mut bw, opts).map_err(write_fail)?;
    each_block(fd, &mut |b| {
        n += b.len() as u64;
        w.write_all(b).map_err(write_fail)
    })?;
    w.finish().map_err(write_fail)?;
    bw.flush().map_err(write_fail)?;
    Ok((n, bw.total))
}

/// Encodes all of `fd` as a .lzma stream (size unknown, so with an end marker, as xz's
/// `--format=lzma` writes it) at preset `level` to `out`.
pub fn encode_lzma(fd: i32, out: i32, level: u8) -> Result<(u64, u64), Fail> {
    let mut bw = Blocks::new(out);
    let mut n = 0u64;
    let opts = LzmaOptions::with_preset(level.min(9) as u32);
    let mut w = LzmaWriter::new_use_header(&mut bw, &opts, None).map_err(write_fail)?;
    each_block(fd, &mut |b| {
        n += b.len() as u64;
        w.write_all(b).map_err(write_fail)
    })?;
    w.finish().map_err(write_fail)?;
    bw.flush().map_err(write_fail)?;
    Ok((n, bw.total))
}

/// What `xz -l` shows of a file: its streams, read from the end as xz-utils reads them.
#[derive(Default, Clone, Copy)]
struct Info {
    streams: u64,
    blocks: u64,
    comp: u64,
    uncomp: u64,
    /// A bit for each check type seen.
    checks: u32,
}

/// A byte reader over `fd` from `off` (the index, which may be long), by pread.
struct Pr {
    fd: i32,
    off: u64,
    buf: Vec<u8>,
    i: usize,
    n: usize,
    crc: crate::crcfast::Crc32,
}

const LIST_CORRUPT: &[u8] = b"Compressed data is corrupt";

/// Err(Ok(message)) for a bad file, Err(Err(errno)) for a read error.
type ListErr = Result<&'static [u8], i32>;

fn pread_all(fd: i32, buf: &mut [u8], off: u64) -> Result<(), ListErr> {
    let mut got = 0;
    while got < buf.len() {
        // SAFETY: the range is inside buf.
        let r = unsafe {
            libc::pread(
                fd,
                buf[got..].as_mut_ptr().cast(),
                buf.len() - got,
                (off + got as u64) as libc::off_t,
            )
        };
        match r {
            0 => return Err(Ok(LIST_CORRUPT)),
            r if r < 0 => {
                let e = crate::sys::errno();
                if e != libc::EINTR {
                    return Err(Err(e));
                }
            }
            r => got += r as usize,
        }
    }
    Ok(())
}

impl Pr {
    fn byte(&mut self) -> Result<u8, ListErr> {
        if self.i == self.n {
            // SAFETY: buf is writable for its length.
            let r = unsafe {
                libc::pread(
                    self.fd,
                    self.buf.as_mut_ptr().cast(),
                    self.buf.len(),
                    self.off as libc::off_t,
                )
            };
            if r < 0 {
                return Err(Err(crate::sys::errno()));
            }
            if r == 0 {
                return Err(Ok(LIST_CORRUPT));
            }
            self.off += r as u64;
            (self.i, self.n) = (0, r as usize);
        }
        let c = self.buf[self.i];
        self.i += 1;
        self.crc.update(&[c]);
        Ok(c)
    }
    fn vli(&mut self) -> Result<u64, ListErr> {
        let mut b = [0u8; 9];
        for i in 0..9 {
            b[i] = self.byte()?;
            if b[i] & 0x80 == 0 {
                return vli(&b[..=i], &mut 0).ok_or(Ok(LIST_CORRUPT));
            }
        }
        Err(Ok(LIST_CORRUPT))
    }
}

/// Reads the stream footers, indexes and headers of the .xz file `fd` of `size` bytes,
/// from its end, with xz-utils' messages for what is wrong.
fn info(fd: i32, size: u64) -> Result<Info, ListErr> {
    use crate::crcfast::Crc32;
    if size == 0 {
        return Err(Ok(b"File is empty"));
    }
    if size < 24 {
        return Err(Ok(b"Too small to be a valid .xz file"));
    }
    let mut h = [0u8; 12];
    pread_all(fd, &mut h, 0)?;
    if !h.starts_with(MAGIC) {
        return Err(Ok(b"File format not recognized"));
    }
    let bad = Err(Ok(LIST_CORRUPT));
    let mut inf = Info {
        comp: size,
        ..Info::default()
    };
    let mut pos = size;
    while pos > 0 {
        if pos < 24 {
            return bad;
        }
        pos -= 12;
        // Stream padding, in fours, before this footer.
        let mut f = [0u8; 12];
        loop {
            if pos < 12 {
                return bad;
            }
            pread_all(fd, &mut f, pos)?;
            if f[8..12] != [0; 4] {
                break;
            }
            pos -= 4;
        }
        if &f[10..12] != b"YZ" || f[..4] != Crc32::of(&f[4..10]).to_le_bytes() {
            return bad;
        }
        if f[8] != 0 || f[9] > 15 {
            return Err(Ok(b"Unsupported options"));
        }
        let isize = (u32::from_le_bytes([f[4], f[5], f[6], f[7]]) as u64 + 1) * 4;
        if pos < isize + 12 {
            return bad;
        }
        pos -= isize;
        let mut r = Pr {
            fd,
            off: pos,
            buf: vec![0u8; isize.min(65536) as usize],
            i: 0,
            n: 0,
            crc: Crc32::new(),
        };
        if r.byte()? != 0 {
            return bad;
        }
        let count = r.vli()?;
        let (mut blocks, mut uncomp) = (0u64, 0u64);
        let mut len = 1 + vli_len(count);
        for _ in 0..count {
            let unpadded = r.vli()?;
            let u = r.vli()?;
            len += vli_len(unpadded) + vli_len(u);
            if unpadded == 0 || len > isize {
                return bad;
            }
            blocks = blocks.saturating_add(unpadded.div_ceil(4) * 4);
            uncomp = uncomp.saturating_add(u);
        }
        while !len.is_multiple_of(4) {
            if r.byte()? != 0 {
                return bad;
            }
            len += 1;
        }
        let want = r.crc.v;
        let mut c = [0u8; 4];
        for b in &mut c {
            *b = r.byte()?;
        }
        if len + 4 != isize || c != want.to_le_bytes() {
            return bad;
        }
        if pos < blocks.saturating_add(12) {
            return bad;
        }
        pos -= blocks + 12;
        pread_all(fd, &mut h, pos)?;
        if !h.starts_with(MAGIC)
            || h[8..12] != Crc32::of(&h[6..8]).to_le_bytes()
            || h[6..8] != f[8..10]
        {
            return bad;
        }
        inf.streams += 1;
        inf.blocks += count;
        inf.uncomp = inf.uncomp.saturating_add(uncomp);
        inf.checks |= 1 << f[9];
    }
    Ok(inf)
}

fn vli_len(v: u64) -> u64 {
    ((64 - v.leading_zeros() as u64).max(1)).div_ceil(7)
}

/// xz-utils' uint64_to_nicestr: bytes under 10000, else KiB, MiB... with one decimal.
fn nice(v: u64) -> String {
    if v < 10000 {
        return format!("{v} B");
    }
    let mut d = v as f64 / 1024.0;
    let mut u = 0;
    while d > 9999.9 && u < 3 {
        d /= 1024.0;
        u += 1;
    }
    format!("{d:.1} {}", ["KiB", "MiB", "GiB", "TiB"][u])
}

fn ratio(comp: u64, uncomp: u64) -> String {
    let r = comp as f64 / uncomp as f64;
    if uncomp == 0 || r > 9.999 {
        "---".to_string()
    } else {
        format!("{r:.3}")
    }
}

fn check_names(mut bits: u32) -> String {
    const NAMES: [&str; 16] = [
        "None",
        "CRC32",
        "Unknown-2",
        "Unknown-3",
        "CRC64",
        "Unknown-5",
        "Unknown-6",
        "Unknown-7",
        "Unknown-8",
        "Unknown-9",
        "SHA-256",
        "Unknown-11",
        "Unknown-12",
        "Unknown-13",
        "Unknown-14",
        "Unknown-15",
    ];
    if bits == 0 {
        bits = 1;
    }
    let v: Vec<&str> = (0..16)
        .filter(|i| bits & (1 << i) != 0)
        .map(|i| NAMES[i])
        .collect();
    v.join(",")
}

fn list_line(cx: &mut crate::Cx, i: &Info, name: &[u8]) {
    let l = format!(
        "{:>5} {:>7}  {:>11}  {:>11}  {:>5}  {:<7} ",
        i.streams,
        i.blocks,
        nice(i.comp),
        nice(i.uncomp),
        ratio(i.comp, i.uncomp),
        check_names(i.checks)
    );
    cx.out.write(l.as_bytes());
    cx.out.line(name);
}

/// `xz -l FILE...`: a line per file as xz-utils prints it, and totals for several.
pub fn list(cx: &mut crate::Cx, files: &[&std::ffi::OsStr]) -> crate::Res {
    use std::os::unix::ffi::OsStrExt;
    let mut status = 0;
    let mut tot = Info::default();
    let mut n = 0u64;
    for f in files {
        let fb = f.as_bytes();
        if fb == b"-" {
            cx.err(&[b"--list does not support reading from standard input"]);
            status = 1;
            continue;
        }
        let inp = match crate::io::Input::open(f) {
            Ok(i) => i,
            Err(e) => {
                cx.err_no(fb, e);
                status = 1;
                continue;
            }
        };
        // SAFETY: st is written by fstat.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        unsafe { libc::fstat(inp.fd(), &mut st) };
        let fmt = st.st_mode & libc::S_IFMT;
        if fmt != libc::S_IFREG {
            // xz-utils warns and goes on, ending with status 2.
            let why: &[u8] = if fmt == libc::S_IFDIR {
                b": Is a directory, skipping"
            } else {
                b": Not a regular file, skipping"
            };
            cx.err(&[fb, why]);
            if status == 0 {
                status = 2;
            }
            continue;
        }
        match info(inp.fd(), st.st_size as u64) {
            Ok(i) => {
                if n == 0 {
                    cx.out.write(
                        b"Strms  Blocks   Compressed Uncompressed  Ratio  Check   Filename\n",
                    );
                }
                list_line(cx, &i, fb);
                n += 1;
                tot.streams += i.streams;
                tot.blocks += i.blocks;
                tot.comp = tot.comp.saturating_add(i.comp);
                tot.uncomp = tot.uncomp.saturating_add(i.uncomp);
                tot.checks |= i.checks;
            }
            Err(Ok(m)) => {
                cx.err(&[fb, b": ", m]);
                status = 1;
            }
            Err(Err(e)) => {
                cx.err_no(fb, e);
                status = 1;
            }
        }
    }
    if n > 1 {
        cx.out.write(&[b'-'; 79]);
        cx.out.write(b"\n");
        let mut name = n.to_string().into_bytes();
        name.extend_from_slice(b" files");
        list_line(cx, &tot, &name);
    }
    Ok(status)
}
