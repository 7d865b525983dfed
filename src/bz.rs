//! The bzip2 format over the `bzip2` crate (libbzip2 ported to Rust, `libbz2-rs-sys`):
//! streaming, so only a block (at most 900 kB of data) is ever held.
//!
//! ```text
//! bz::decode(&mut compress::Fd(0), &mut |b| sys::write_all(1, b).map_err(Fail::Write))
//! ```
//! Several streams one after another decode as one (as `cat a.bz2 b.bz2` makes); anything
//! after a complete stream that is not another stream is ignored, as BusyBox and bzip2 do.

use crate::compress::{Fail, InBuf, Sink, Src};
use crate::io::BLOCK;
use crate::sys;
use bzip2::{Action, Compress, Compression, Decompress, Status};

const CORRUPT: Fail = Fail::Data(b"corrupted data");
// BusyBox prints its internal code here ("bunzip error -3"): say what it means.
const EOF: Fail = Fail::Data(b"unexpected end of file");

fn is_magic(b: &[u8]) -> bool {
    b.len() >= 4 && &b[..3] == b"BZh" && (b'1'..=b'9').contains(&b[3])
}

/// Decodes every stream from `src` into `sink`; returns (bytes in, bytes out).
pub fn decode(src: &mut dyn Src, sink: Sink) -> Result<(u64, u64), Fail> {
    let mut ib = InBuf::new(src);
    let mut out = vec![0u8; BLOCK];
    let mut total_out = 0u64;
    let mut streams = 0u32;
    loop {
        ib.fill(4)?;
        if !is_magic(ib.data()) {
            if streams == 0 {
                return Err(Fail::Data(b"invalid magic"));
            }
            break;
        }
        let mut d = Decompress::new(false);
        let mut full = false;
        loop {
            // Out of input is the end only when the last call had room to say more.
            if ib.more()? == 0 && !full {
                return Err(EOF);
            }
            let (i0, o0) = (d.total_in(), d.total_out());
            let st = d.decompress(ib.data(), &mut out).map_err(|_| CORRUPT)?;
            let used = (d.total_in() - i0) as usize;
            let made = (d.total_out() - o0) as usize;
            ib.consume(used);
            full = made == out.len();
            if made > 0 {
                total_out += made as u64;
                sink(&out[..made])?;
            }
            if st == Status::StreamEnd {
                break;
            }
        }
        streams += 1;
    }
    Ok((ib.total, total_out))
}

/// Encodes all of `fd` as one stream at `level` (1-9: 100-900 kB blocks) to `out`.
pub fn encode(fd: i32, out: i32, level: u8) -> Result<(u64, u64), Fail> {
    let mut c = Compress::new(Compression::new(level.clamp(1, 9) as u32), 30);
    let mut ob = vec![0u8; BLOCK];
    let mut run = |c: &mut Compress, mut data: &[u8], act: Action| -> Result<(), Fail> {
        loop {
            let (i0, o0) = (c.total_in(), c.total_out());
            let st = c.compress(data, &mut ob, act).map_err(|_| CORRUPT)?;
            let used = (c.total_in() - i0) as usize;
            let made = (c.total_out() - o0) as usize;
            data = &data[used..];
            if made > 0 {
                sys::write_all(out, &ob[..made]).map_err(Fail::Write)?;
            }
            match act {
                Action::Finish if st == Status::StreamEnd => return Ok(()),
                Action::Finish => {}
                _ if data.is_empty() && made < ob.len() => return Ok(()),
                _ => {}
            }
        }
    };
    crate::compress::each_block(fd, &mut |b| run(&mut c, b, Action::Run))?;
    run(&mut c, &[], Action::Finish)?;
    Ok((c.total_in(), c.total_out()))
}
