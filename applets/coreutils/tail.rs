//! applet: tail
//! usage: tail [OPTIONS] [FILE]...
//! Print last 10 lines of FILEs (or stdin) to.
//! With more than one FILE, precede each with a filename header.
//!
//! -c [+]N[bkm]  Print last N bytes
//! -n N[bkm]  Print last N lines
//! -n +N[bkm]  Start on Nth line and print the rest
//! 		(b:*512 k:*1024 m:*1024^2)
//! -q  	Never print headers
//! -v  	Always print headers
//! -f  	Print data as file grows
//! -F  	Same as -f, but keep retrying
//! -s SECONDS  Wait SECONDS between reads with -f

use crate::io::{Input, BLOCK};
use crate::{sys, text, Cx, Res};
use std::ffi::{CString, OsStr};
use std::os::unix::ffi::OsStrExt;

#[derive(Clone, Copy)]
struct Spec {
    bytes: bool,
    from_top: bool,
    n: u64,
}

/// A file being followed: its descriptor (None while it cannot be opened, with -F) and
/// its identity, to notice a rotation.
struct Followed<'a> {
    name: &'a OsStr,
    inp: Option<Input>,
    dev_ino: (u64, u64),
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // Old style `tail -5` / `tail +5`, in the first argument only.
    let mut v: Vec<&OsStr> = args.to_vec();
    if let Some(a) = args.get(1).map(|a| a.as_bytes()) {
        if a.len() > 1 && (a[0] == b'-' || a[0] == b'+') && a[1].is_ascii_digit() {
            let n = if a[0] == b'+' { a } else { &a[1..] };
            v.splice(1..2, [OsStr::new("-n"), OsStr::from_bytes(n)]);
        }
    }
    let o = cx.getopt(&v, "fFqvn:c:s:", &[])?;
    // BusyBox's quirk: -c anywhere means bytes, and the count is -n's when both are given.
    let bytes = o.has(b'c');
    let mut spec = Spec {
        bytes,
        from_top: false,
        n: 10,
    };
    if let Some(s) = o.val(b'n').or(o.val(b'c')) {
        let b = s.as_bytes();
        let digits = match b.first() {
            Some(b'+') => {
                spec.from_top = true;
                &b[1..]
            }
            Some(b'-') => &b[1..],
            _ => b,
        };
        spec.n = text::suffixed(digits, text::HEAD_TAIL)
            .ok_or_else(|| cx.fail(&[b"invalid number '", b, b"'"]))?;
    }
    // Whole seconds as BusyBox takes them; a fraction is accepted too.
    let mut sleep_ms = 1000u64;
    if let Some(s) = o.val(b's') {
        sleep_ms = parse_seconds_ms(s.as_bytes())
            .ok_or_else(|| cx.fail(&[b"invalid number '", s.as_bytes(), b"'"]))?;
    }
    let retry = o.has(b'F');
    let follow = retry || o.has(b'f');
    // Stdin is "standard input" in a header when no file is named, "-" when it is.
    let dash: [&OsStr; 1] = [OsStr::new("standard input")];
    let files: &[&OsStr] = if o.args.is_empty() { &dash } else { &o.args };
    // Unlike head's, tail's -v wins over -q whatever their order (BusyBox).
    let mut st = 0;
    // All are opened first: headers depend on how many could be (BusyBox), and with -F
    // on how many were named.
    let mut opened: Vec<(&OsStr, Option<Input>)> = Vec::with_capacity(files.len());
    for f in files {
        let r = if o.args.is_empty() {
            Ok(Input::stdin())
        } else {
            Input::open(f)
        };
        match r {
            Ok(i) => opened.push((f, Some(i))),
            Err(e) => {
                cx.err_open(f, e);
                st = 1;
                if retry {
                    opened.push((f, None));
                }
            }
        }
    }
    let n_open = if retry {
        files.len()
    } else {
        opened.len()
    };
    let headers = o.has(b'v') || (n_open > 1 && !o.has(b'q'));
    let mut printed_header = false;
    let mut fol: Vec<Followed> = Vec::new();
    let mut buf = Vec::new();
    let mut last = usize::MAX;
    for (f, inp) in opened {
        let Some(mut inp) = inp else {
            fol.push(Followed {
                name: f,
                inp: None,
                dev_ino: (0, 0),
            });
            continue;
        };
        if headers {
            header(cx, f, printed_header);
            printed_header = true;
        }
        if let Err(e) = tail_one(cx, &mut inp, &mut buf, spec) {
            cx.err_no(b"read error", e);
            st = 1;
        }
        if cx.out.err != 0 {
            return Ok(1);
        }
        last = usize::MAX;
        if follow {
            // A pipe cannot grow back: following it ends at its end, as BusyBox does.
            let ft = file_id(inp.fd());
            if ft.0 != libc::S_IFIFO {
                last = fol.len();
                fol.push(Followed {
                    name: f,
                    inp: Some(inp),
                    dev_ino: (ft.1, ft.2),
                });
            }
        }
    }
    if !follow {
        return Ok(st);
    }
    if fol.iter().all(|f| f.inp.is_none()) && !retry {
        if !fol.is_empty() || st != 0 {
            return Err(cx.fail(&[b"no files"]));
        }
        return Ok(st);
    }
    cx.out.flush();
    follow_loop(cx, &mut fol, headers, retry, sleep_ms, &mut last, &mut buf);
    Ok(1)
}

fn header(cx: &mut Cx, f: &OsStr, after: bool) {
    cx.out.write(if after { b"\n==> " } else { b"==> " });
    cx.out.write(f.as_bytes());
    cx.out.write(b" <==\n");
}

/// "5", "0.5", "2.25": milliseconds.
fn parse_seconds_ms(b: &[u8]) -> Option<u64> {
    let (int, frac) = match b.iter().position(|&c| c == b'.') {
        Some(i) => (&b[..i], &b[i + 1..]),
        None => (b, &b[..0]),
    };
    if int.is_empty() && frac.is_empty() || !frac.iter().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let s = if int.is_empty() { 0 } else { crate::args::parse_u64(int)? };
    let mut ms = 0;
    for (k, &c) in frac.iter().take(3).enumerate() {
        ms += (c - b'0') as u64 * [100, 10, 1][k];
    }
    s.checked_mul(1000)?.checked_add(ms)
}

/// (file type, dev, inode) of a descriptor.
fn file_id(fd: i32) -> (libc::mode_t, u64, u64) {
    // SAFETY: fstat fills a plain struct.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(fd, &mut st) != 0 {
            return (0, 0, 0);
        }
        (st.st_mode & libc::S_IFMT, st.st_dev as u64, st.st_ino as u64)
    }
}

fn file_size(fd: i32) -> Option<u64> {
    // SAFETY: fstat fills a plain struct.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(fd, &mut st) != 0 || st.st_mode & libc::S_IFMT != libc::S_IFREG {
            return None;
        }
        Some(st.st_size as u64)
    }
}

fn seek(fd: i32, off: u64) -> bool {
    // SAFETY: plain lseek on our descriptor.
    unsafe { libc::lseek(fd, off as i64, libc::SEEK_SET) >= 0 }
}

/// Copies the input from its offset to its end.
fn copy_rest(cx: &mut Cx, inp: &mut Input, buf: &mut Vec<u8>) -> Result<(), i32> {
    buf.resize(BLOCK, 0);
    loop {
        let n = inp.read(buf)?;
        if n == 0 || cx.out.err != 0 {
            return Ok(());
        }
        cx.out.write(&buf[..n]);
    }
}

fn tail_one(cx: &mut Cx, inp: &mut Input, buf: &mut Vec<u8>, spec: Spec) -> Result<(), i32> {
    let fd = inp.fd();
    // A regular file is read from where its last part starts, found from the end.
    // SAFETY: lseek only queries the offset.
    let pos = unsafe { libc::lseek(fd, 0, libc::SEEK_CUR) };
    if let (Some(size), true) = (file_size(fd), pos >= 0) {
        let pos = pos as u64;
        let start = if spec.from_top {
            if spec.bytes {
                Some(pos.saturating_add(spec.n.saturating_sub(1)).min(size.max(pos)))
            } else {
                None
            }
        } else if spec.bytes {
            Some(size.saturating_sub(spec.n).max(pos))
        } else {
            Some(last_lines_start(fd, pos, size, spec.n, buf)?)
        };
        if let Some(s) = start {
            if seek(fd, s) {
                return copy_rest(cx, inp, buf);
            }
        }
    }
    if spec.from_top {
        return skip_then_copy(cx, inp, buf, spec);
    }
    keep_last(cx, inp, buf, spec)
}

/// The offset where the last `n` lines of [pos, size) start, reading blocks backwards.
fn last_lines_start(fd: i32, pos: u64, size: u64, n: u64, buf: &mut Vec<u8>) -> Result<u64, i32> {
    if n == 0 {
        return Ok(size);
    }
    buf.resize(BLOCK, 0);
    let mut end = size;
    // Newlines still to pass; a final newline ends the last line, it starts none.
    let mut want = n;
    let mut first = true;
    while end > pos {
        let start = end.saturating_sub(BLOCK as u64).max(pos);
        let len = (end - start) as usize;
        if !seek(fd, start) {
            return Err(sys::errno());
        }
        let mut got = 0;
        while got < len {
            let r = sys::read(fd, &mut buf[got..len])?;
            if r == 0 {
                break;
            }
            got += r;
        }
        let mut chunk = &buf[..got];
        if first {
            first = false;
            if chunk.last() == Some(&b'\n') {
                chunk = &chunk[..chunk.len() - 1];
            }
        }
        for p in crate::bytes::memrchr_iter(b'\n', chunk) {
            want -= 1;
            if want == 0 {
                return Ok(start + p as u64 + 1);
            }
        }
        end = start;
    }
    Ok(pos)
}

/// +N: skip N-1 lines (or bytes), then copy the rest.
fn skip_then_copy(cx: &mut Cx, inp: &mut Input, buf: &mut Vec<u8>, spec: Spec) -> Result<(), i32> {
    let mut skip = spec.n.saturating_sub(1);
    buf.resize(BLOCK, 0);
    loop {
        let len = inp.read(buf)?;
        if len == 0 {
            return Ok(());
        }
        let mut from = 0;
        if skip > 0 {
            if spec.bytes {
                let t = (len as u64).min(skip);
                skip -= t;
                from = t as usize;
            } else {
                from = len;
                for p in crate::bytes::memchr_iter(b'\n', &buf[..len]) {
                    skip -= 1;
                    if skip == 0 {
                        from = p + 1;
                        break;
                    }
                }
            }
        }
        cx.out.write(&buf[from..len]);
        if cx.out.err != 0 {
            return Ok(());
        }
    }
}

/// The last N lines (or bytes) of an input that cannot seek: what is kept is at most those
/// plus a block or two.
fn keep_last(cx: &mut Cx, inp: &mut Input, buf: &mut Vec<u8>, spec: Spec) -> Result<(), i32> {
    buf.clear();
    let mut nl: u64 = 0;
    let n = spec.n;
    loop {
        let old = buf.len();
        buf.resize(old + BLOCK, 0);
        let len = inp.read(&mut buf[old..])?;
        buf.truncate(old + len);
        if len == 0 {
            break;
        }
        // Drop the front once it holds a block more than needed.
        if spec.bytes {
            if buf.len() as u64 > n.saturating_add(BLOCK as u64) {
                let cut = buf.len() - n as usize;
                buf.drain(..cut);
            }
        } else {
            nl += crate::bytes::memchr_iter(b'\n', &buf[old..]).count() as u64;
            if nl > n && buf.len() > 2 * BLOCK {
                let mut drop = nl - n;
                let mut cut = 0;
                for p in crate::bytes::memchr_iter(b'\n', buf) {
                    drop -= 1;
                    if drop == 0 {
                        cut = p + 1;
                        break;
                    }
                }
                buf.drain(..cut);
                nl = n;
            }
        }
    }
    let from = if spec.bytes {
        buf.len().saturating_sub(n.min(usize::MAX as u64) as usize)
    } else if n == 0 {
        buf.len()
    } else {
        let mut data: &[u8] = buf;
        if data.last() == Some(&b'\n') {
            data = &data[..data.len() - 1];
        }
        let mut want = n;
        let mut from = 0;
        for p in crate::bytes::memrchr_iter(b'\n', data) {
            want -= 1;
            if want == 0 {
                from = p + 1;
                break;
            }
        }
        from
    };
    cx.out.write(&buf[from..]);
    Ok(())
}

/// -f / -F: wait for more data (woken by inotify where it works, else every -s seconds),
/// print what was appended, start over on truncation, and with -F reopen a file that was
/// replaced or has appeared. Ends only when output fails (or by a signal).
fn follow_loop(
    cx: &mut Cx,
    fol: &mut [Followed],
    headers: bool,
    retry: bool,
    sleep_ms: u64,
    last: &mut usize,
    buf: &mut Vec<u8>,
) {
    // SAFETY: inotify_init1 returns a descriptor or -1; on -1 we just sleep.
    let ino = unsafe { libc::inotify_init1(libc::IN_CLOEXEC | libc::IN_NONBLOCK) };
    let dir_of = |name: &OsStr| -> CString {
        let b = name.as_bytes();
        let d = match b.iter().rposition(|&c| c == b'/') {
            Some(0) => &b"/"[..],
            Some(i) => &b[..i],
            None => b".",
        };
        sys::cstr(d).unwrap_or_default()
    };
    if ino >= 0 {
        for f in fol.iter() {
            // The directory tells of files created, moved in, written and removed there.
            let d = dir_of(f.name);
            let mask = libc::IN_MODIFY
                | libc::IN_CREATE
                | libc::IN_MOVED_TO
                | libc::IN_MOVED_FROM
                | libc::IN_DELETE
                | libc::IN_ATTRIB
                | libc::IN_CLOSE_WRITE;
            // SAFETY: a valid C string and descriptor.
            unsafe { libc::inotify_add_watch(ino, d.as_ptr(), mask) };
        }
    }
    buf.resize(BLOCK, 0);
    let mut evbuf = [0u8; 4096];
    loop {
        for (i, f) in fol.iter_mut().enumerate() {
            if retry {
                reopen_if_changed(cx, f);
            }
            let Some(inp) = f.inp.as_mut() else { continue };
            let fd = inp.fd();
            // Truncated under us: start again from its beginning.
            if let Some(size) = file_size(fd) {
                // SAFETY: lseek only queries the offset.
                let pos = unsafe { libc::lseek(fd, 0, libc::SEEK_CUR) };
                if pos > 0 && size < pos as u64 {
                    seek(fd, 0);
                }
            }
            loop {
                let n = match inp.read(buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                if headers && *last != i {
                    header(cx, f.name, true);
                    *last = i;
                }
                cx.out.write(&buf[..n]);
            }
        }
        cx.out.flush();
        if cx.out.err != 0 {
            break;
        }
        if ino >= 0 {
            let mut pfd = libc::pollfd {
                fd: ino,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd; then a non-blocking drain into our buffer.
            unsafe {
                // -s 0 still waits a little: never a busy loop.
                libc::poll(&mut pfd, 1, sleep_ms.clamp(10, i32::MAX as u64) as i32);
                while libc::read(ino, evbuf.as_mut_ptr().cast(), evbuf.len()) > 0 {}
            }
        } else {
            std::thread::sleep(std::time::Duration::from_millis(sleep_ms.max(10)));
        }
    }
    if ino >= 0 {
        // SAFETY: our descriptor.
        unsafe { libc::close(ino) };
    }
}

/// -F: the name now refers to another file (rotated), or exists again: read it from its
/// start. A name that has gone away keeps its old descriptor until a new file appears.
fn reopen_if_changed(cx: &mut Cx, f: &mut Followed) {
    let Some(c) = sys::cstr(f.name.as_bytes()) else { return };
    // SAFETY: a valid C string and a plain struct for stat to fill.
    let id = unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::stat(c.as_ptr(), &mut st) != 0 {
            return;
        }
        (st.st_dev as u64, st.st_ino as u64)
    };
    if f.inp.is_some() && id == f.dev_ino {
        return;
    }
    let Ok(inp) = Input::open(f.name) else { return };
    let what: &[u8] = if f.inp.is_some() {
        b" has been replaced; following end of new file"
    } else {
        b" has appeared; following end of new file"
    };
    cx.out.flush();
    cx.err(&[f.name.as_bytes(), what]);
    let t = file_id(inp.fd());
    f.dev_ino = (t.1, t.2);
    f.inp = Some(inp);
}
