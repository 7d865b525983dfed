//! applet: df
//! dir: bin
//! usage: df [-PkmhTai] [-B SIZE] [-t TYPE] [FILESYSTEM]...
//! Print filesystem usage statistics
//!
//! -P  POSIX output format
//! -k  1024-byte blocks (default)
//! -m  1M-byte blocks
//! -h  Human readable (e.g. 1K 243M 2G)
//! -T  Print filesystem type
//! -t TYPE  Print only mounts of this type
//! -a  Show all filesystems
//! -i  Inodes
//! -B SIZE  Blocksize

use crate::human::human;
use crate::{paths, suffix, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// The mount table: /proc/mounts (BusyBox reads /etc/mtab, which is a link to it on
/// every current system, and missing in an empty root either way).
const MOUNTS: &str = "/proc/mounts";

struct Mount {
    dev: Vec<u8>,
    dir: Vec<u8>,
    kind: Vec<u8>,
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "kPTt:aiB:hm", &[])?;
    let mut unit: u64 = if crate::sys::getenv(c"POSIXLY_CORRECT").is_some() { 512 } else { 1024 };
    match o.last_of(b"kmB") {
        Some(b'm') => unit = 1 << 20,
        Some(b'k') => unit = 1024,
        Some(_) => {
            let b = o.val(b'B').map_or(&b""[..], |b| b.as_bytes());
            unit = match suffix::parse(b, suffix::KMGI) {
                Some(0) => return Err(cx.fail(&[b"number 0 is not in 1..18446744073709551615 range"])),
                Some(n) => n,
                None if !b.is_empty() && b.iter().all(|c| c.is_ascii_alphabetic()) => {
                    suffix::parse(&[b"1", b].concat(), suffix::KMGI)
                        .ok_or_else(|| cx.fail(&[b"invalid number '", b, b"'"]))?
                }
                None => return Err(cx.fail(&[b"invalid number '", b, b"'"])),
            };
        }
        None => {}
    }
    let posix = o.has(b'P');
    let header: Vec<u8> = if o.has(b'i') {
        b"   Inodes".to_vec()
    } else if o.has(b'h') {
        b"     Size".to_vec()
    } else {
        [&human(unit, 0, posix as u64)[..], b"-blocks"].concat()
    };
    if o.has(b'h') {
        unit = 0;
    }
    let mut hl = Vec::with_capacity(100);
    hl.extend_from_slice(b"Filesystem           ");
    if o.has(b'T') {
        hl.extend_from_slice(b"Type       ");
    }
    let at = hl.len();
    hl.extend_from_slice(&header);
    pad(&mut hl, at, 15);
    hl.extend_from_slice(b"Used Available ");
    hl.extend_from_slice(if posix { b"Capacity" } else { b"Use%" });
    hl.extend_from_slice(b" Mounted on\n");
    cx.out.write(&hl);

    let table = match sys::read_file(MOUNTS.as_bytes()) {
        Ok(t) => t,
        Err(e) => {
            return Err(cx.fail(&[MOUNTS.as_bytes(), b": ", sys::strerror(e), b" (is /proc mounted?)"]));
        }
    };
    let mounts: Vec<Mount> = table.split(|&c| c == b'\n').filter_map(parse_line).collect();
    let mut status = 0;
    let mut todo: Vec<&Mount> = Vec::new();
    let from_table = o.args.is_empty();
    if from_table {
        todo.extend(mounts.iter());
    } else {
        for a in &o.args {
            match find_mount(&mounts, a.as_bytes()) {
                Some(m) => todo.push(m),
                None => {
                    cx.err(&[a.as_bytes(), b": can't find mount point"]);
                    status = 1;
                }
            }
        }
    }
    let mut line = Vec::with_capacity(128);
    for m in todo {
        if m.dev == b"rootfs" {
            continue;
        }
        if o.val(b't').is_some_and(|t| t.as_bytes() != m.kind) {
            continue;
        }
        let Some(c) = sys::cstr(&m.dir) else {
            continue;
        };
        // SAFETY: s is plain data statvfs fills in; c is NUL-terminated.
        let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statvfs(c.as_ptr(), &mut s) } != 0 {
            cx.err_no(&m.dir, sys::errno());
            status = 1;
            continue;
        }
        let (mut blocks, mut bfree, mut bavail, mut frsize) =
            (s.f_blocks, s.f_bfree, s.f_bavail, if s.f_frsize == 0 { s.f_bsize } else { s.f_frsize });
        if !(blocks > 0 || !from_table || o.has(b'a')) {
            continue;
        }
        let mut u = unit;
        if o.has(b'i') {
            blocks = s.f_files;
            bfree = s.f_ffree;
            bavail = s.f_ffree;
            frsize = 1;
            if u != 0 {
                u = 1;
            }
        }
        let used = blocks.saturating_sub(bfree);
        let pct = match used.saturating_add(bavail) {
            0 => 0,
            t => (used.saturating_mul(100).saturating_add(t / 2)) / t,
        };
        line.clear();
        line.extend_from_slice(&m.dev);
        pad(&mut line, 0, 20);
        if m.dev.len() > 20 && !posix {
            line.push(b'\n');
            line.resize(line.len() + 20, b' ');
        }
        if o.has(b'T') {
            line.push(b' ');
            let at = line.len();
            line.extend_from_slice(&m.kind);
            pad(&mut line, at, 10);
            if m.kind.len() > 10 && !posix {
                line.push(b'\n');
                line.resize(line.len() + 30, b' ');
            }
        }
        for v in [blocks, used, bavail] {
            right(&mut line, &human(v, frsize, u), 9);
        }
        let mut b = [0u8; 20];
        right(&mut line, crate::cx::fmt_u64(pct, &mut b), 3);
        line.extend_from_slice(b"% ");
        line.extend_from_slice(&m.dir);
        line.push(b'\n');
        cx.out.write(&line);
    }
    Ok(status)
}

/// Blanks after what was written since `from`, to `w` bytes.
fn pad(v: &mut Vec<u8>, from: usize, w: usize) {
    let n = v.len() - from;
    v.resize(v.len() + w.saturating_sub(n), b' ');
}

/// A blank, then `s` right-aligned in `w` bytes.
fn right(v: &mut Vec<u8>, s: &[u8], w: usize) {
    v.resize(v.len() + 1 + w.saturating_sub(s.len()), b' ');
    v.extend_from_slice(s);
}

/// One /proc/mounts line: device, directory, type, with `\040`-style escapes undone.
fn parse_line(l: &[u8]) -> Option<Mount> {
    let mut f = l.split(|&c| c == b' ' || c == b'\t').filter(|f| !f.is_empty());
    Some(Mount {
        dev: unescape(f.next()?),
        dir: unescape(f.next()?),
        kind: unescape(f.next()?),
    })
}

fn unescape(s: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' && i + 3 < s.len() && s[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c)) {
            let n = (s[i + 1] - b'0') as u32 * 64 + (s[i + 2] - b'0') as u32 * 8 + (s[i + 3] - b'0') as u32;
            v.push(n as u8);
            i += 4;
        } else {
            v.push(s[i]);
            i += 1;
        }
    }
    v
}

/// BusyBox's find_mount_point: the first entry naming `p` (as directory or device), or
/// whose device is `p`'s, or whose directory is on `p`'s device.
fn find_mount<'a>(mounts: &'a [Mount], p: &[u8]) -> Option<&'a Mount> {
    let st = paths::stat(p, true).ok()?;
    let kind = st.st_mode & libc::S_IFMT;
    let dev = if kind == libc::S_IFBLK || kind == libc::S_IFCHR { st.st_rdev } else { st.st_dev };
    mounts.iter().filter(|m| m.dev != b"rootfs").find(|m| {
        m.dir == p
            || m.dev == p
            || (m.dev.first() == Some(&b'/') && paths::stat(&m.dev, true).is_ok_and(|s| s.st_rdev == dev))
            || paths::stat(&m.dir, true).is_ok_and(|s| s.st_dev == dev)
    })
}
