//! applet: rpm2cpio
//! usage: rpm2cpio PACKAGE.rpm
//! Output a cpio archive of the rpm file

// The lead, the signature header (padded to 8 bytes) and the main header are skipped; the
// payload is sniffed (gzip, bzip2, xz) and decompressed to stdout as it streams: gzip here
// (src/gz.rs), bzip2 and xz through `bunzip2 -c` / `unxz -c` (the applets in a forked child,
// or from PATH when not compiled in), fed through a pipe.

use crate::extract::Src;
use crate::gz::GzReader;
use crate::{spawn, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// Skips one rpm header structure; false when its magic is wrong.
fn skip_header(src: &mut Src, pad8: bool) -> Result<bool, ()> {
    let h = match src.exact(16) {
        Ok(Some(h)) => h,
        _ => return Err(()),
    };
    if h[..4] != [0x8e, 0xad, 0xe8, 0x01] {
        return Ok(false);
    }
    let n = u32::from_be_bytes([h[8], h[9], h[10], h[11]]) as u64;
    let size = u32::from_be_bytes([h[12], h[13], h[14], h[15]]) as u64;
    let mut len = n * 16 + size;
    if pad8 {
        len = (16 + len).next_multiple_of(8) - 16;
    }
    match src.skip(len) {
        Ok(true) => Ok(true),
        _ => Err(()),
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "", &[])?;
    let name = o.args.first().copied().unwrap_or(OsStr::new("-"));
    let inp = match crate::io::Input::open(name) {
        Ok(i) => i,
        Err(e) => {
            cx.err_open(name, e);
            return Err(crate::Fail(1));
        }
    };
    let mut src = Src::new(inp.fd());
    let short = |cx: &Cx| cx.fail(&[b"short read"]);
    if !matches!(src.skip(96), Ok(true)) {
        return Err(short(cx));
    }
    for pad in [true, false] {
        match skip_header(&mut src, pad) {
            Ok(true) => {}
            Ok(false) => {
                return Err(cx.fail(&[
                    b"invalid RPM header magic in '",
                    name.as_bytes(),
                    b"'",
                ]))
            }
            Err(()) => return Err(short(cx)),
        }
    }
    let magic = src.fill(6).map_err(|e| cx.fail_no(b"read error", e))?.to_vec();
    cx.out.flush();
    if magic.starts_with(&[0x1f, 0x8b]) {
        // The gzip reader takes what is buffered as its first bytes.
        let pre = src
            .chunk(u64::MAX)
            .map_err(|e| cx.fail_no(b"read error", e))?
            .to_vec();
        let mut r = GzReader::with_prefix(inp.fd(), &pre);
        loop {
            match r.chunk() {
                Ok(Some(b)) => {
                    if let Err(e) = sys::write_all(1, b) {
                        if e == libc::EPIPE {
                            return Ok(1);
                        }
                        return Err(cx.fail_no(b"write error", e));
                    }
                }
                Ok(None) => return Ok(0),
                Err(e) => return Err(cx.fail(&[e.msg()])),
            }
        }
    }
    let prog: &[u8] = if magic.starts_with(b"BZh") {
        b"bunzip2"
    } else if magic.starts_with(b"\xfd7zXZ\x00") {
        b"unxz"
    } else {
        return Err(cx.fail(&[b"no gzip/bzip2/xz magic"]));
    };
    let (r, w) = spawn::pipe().map_err(|e| cx.fail_no(b"pipe", e))?;
    let pid = match spawn::through(&[prog, b"-c"], r, 1, &[w]) {
        Ok(p) => p,
        Err(e) => {
            spawn::close(r);
            spawn::close(w);
            return Err(cx.fail_no(b"fork", e));
        }
    };
    spawn::close(r);
    // Feed the child what is buffered, then the rest of the file; a child that stops
    // reading (an error it reports) ends the copy with EPIPE.
    // SAFETY: ignoring SIGPIPE while feeding, so a dead child is an error, not our death.
    let old = unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    let mut fed = true;
    loop {
        match src.chunk(u64::MAX) {
            Ok([]) => break,
            Ok(c) => {
                if sys::write_all(w, c).is_err() {
                    fed = false;
                    break;
                }
            }
            Err(e) => {
                cx.err_no(b"read error", e);
                fed = false;
                break;
            }
        }
    }
    spawn::close(w);
    // SAFETY: restoring the disposition saved above.
    unsafe { libc::signal(libc::SIGPIPE, old) };
    let st = spawn::wait_exit(pid);
    if st != 0 || !fed {
        return Ok(1);
    }
    Ok(0)
}
