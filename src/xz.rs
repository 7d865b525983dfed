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
    Action, LzmaOptions, LzmaStream, LzmaWriter, Status, XzOptions, XzStream, XzWriter,
};
use std::io::Write;

const CORRUPT: Fail = Fail::Data(b"corrupted data");
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
            // No progress: more input is all that can help.
            if ib.eof {
                return Err(eof);
            }
            let have = ib.data().len();
            ib.fill(have + 1)?;
            stalls += 1;
            if stalls > 4 {
                return Err(CORRUPT);
            }
        } else {
            stalls = 0;
        }
    }
}

fn xz_err(e: std::io::Error) -> Fail {
    if e.kind() == std::io::ErrorKind::OutOfMemory {
        Fail::Data(b"memory limit exceeded")
    } else {
        CORRUPT
    }
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

/// Encodes all of `fd` as one .xz stream (CRC64, as xz does) at preset `level` to `out`.
pub fn encode_xz(fd: i32, out: i32, level: u8) -> Result<(u64, u64), Fail> {
    let mut bw = Blocks::new(out);
    let mut n = 0u64;
    let mut w =
        XzWriter::new(&mut bw, XzOptions::with_preset(level.min(9) as u32)).map_err(write_fail)?;
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
