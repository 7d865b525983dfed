//! applet: fuser
//! usage: fuser [-msk46] [-SIGNAL] FILE or PORT/PROTO
//! Find processes which use FILEs or PORTs
//!
//! -m  Find processes which use same fs as FILEs
//! -4,-6	Search only IPv4/IPv6 space
//! -s  Don't display PIDs
//! -k  Kill found processes
//! -SIGNAL	Signal to send (default: KILL)

// As BusyBox's: a process uses a file through its cwd, root, executable, open files or
// mapped files; PORT/PROTO (`80/tcp`) names the sockets bound to that local port in
// /proc/net. The pids go to stdout, each followed by a space; the status is 1 when none.

use crate::procfs::{self, Procs};
use crate::{signals, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::fs::MetadataExt;
use std::os::unix::ffi::OsStrExt;

/// (dev, inode) pairs to look for; with `dev_only`, any inode on the device.
struct Want {
    files: Vec<(u64, u64)>,
    sockets: Vec<u64>,
    dev_only: bool,
}

impl Want {
    fn hit(&self, dev: u64, ino: u64) -> bool {
        self.files.iter().any(|&(d, i)| d == dev && (self.dev_only || i == ino))
    }
}

/// The socket inodes bound to local `port` in /proc/net/PROTO (and PROTO6).
fn port_inodes(port: u16, proto: &[u8], v4: bool, v6: bool, out: &mut Vec<u64>) {
    let mut files = Vec::new();
    let p = String::from_utf8_lossy(proto);
    if v4 {
        files.push(format!("/proc/net/{p}"));
    }
    if v6 {
        files.push(format!("/proc/net/{p}6"));
    }
    for f in files {
        let Ok(t) = std::fs::read(&f) else { continue };
        for l in t.split(|&c| c == b'\n').skip(1) {
            let mut fs = l.split(|&c| c == b' ').filter(|s| !s.is_empty());
            let Some(local) = fs.nth(1) else { continue };
            let Some(colon) = local.iter().rposition(|&c| c == b':') else { continue };
            let lp = u16::from_str_radix(&String::from_utf8_lossy(&local[colon + 1..]), 16).ok();
            if lp != Some(port) {
                continue;
            }
            if let Some(ino) = fs.nth(7).and_then(crate::args::parse_u64) {
                out.push(ino);
            }
        }
    }
}

fn uses(p: &mut procfs::Proc, w: &Want) -> bool {
    for l in [&b"cwd"[..], b"root", b"exe"] {
        let Ok(fd) = p.open(l) else { continue };
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: fd is ours; st is plain data.
        let ok = unsafe { libc::fstat(fd, &mut st) } == 0;
        unsafe { libc::close(fd) };
        if ok && w.hit(st.st_dev, st.st_ino) {
            return true;
        }
    }
    // Open descriptors: sockets by inode, files by stat through the link.
    let base = format!("/proc/{}/fd", p.pid);
    if let Ok(rd) = std::fs::read_dir(&base) {
        for e in rd.flatten() {
            let path = e.path();
            if !w.sockets.is_empty() {
                if let Ok(t) = std::fs::read_link(&path) {
                    let t = t.as_os_str().as_bytes();
                    if let Some(n) = t.strip_prefix(b"socket:[").and_then(|r| r.strip_suffix(b"]")).and_then(crate::args::parse_u64) {
                        if w.sockets.contains(&n) {
                            return true;
                        }
                        continue;
                    }
                }
            }
            if !w.files.is_empty() {
                if let Ok(m) = std::fs::metadata(&path) {
                    if w.hit(m.dev(), m.ino()) {
                        return true;
                    }
                }
            }
        }
    }
    // Mapped files: "start-end perms offset MAJ:MIN inode path".
    if !w.files.is_empty() {
        if let Ok(maps) = p.read(b"maps", 16 << 20) {
            for l in maps.split(|&c| c == b'\n') {
                let mut f = l.split(|&c| c == b' ').filter(|s| !s.is_empty());
                let (Some(dev), Some(ino)) = (f.nth(3), f.next()) else { continue };
                let Some(c) = dev.iter().position(|&c| c == b':') else { continue };
                let hex = |s: &[u8]| u64::from_str_radix(&String::from_utf8_lossy(s), 16).ok();
                let (Some(ma), Some(mi), Some(ino)) = (hex(&dev[..c]), hex(&dev[c + 1..]), crate::args::parse_u64(ino)) else {
                    continue;
                };
                if ino != 0 && w.hit(libc::makedev(ma as u32, mi as u32), ino) {
                    return true;
                }
            }
        }
    }
    false
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // -SIGNAL may come anywhere before `--` (but -4 and -6 are options).
    let mut argv: Vec<&OsStr> = args.to_vec();
    let mut sig = libc::SIGKILL;
    for i in 1..argv.len() {
        let a = argv[i].as_bytes();
        if a == b"--" {
            break;
        }
        if a.len() < 2 || a[0] != b'-' || a == b"-4" || a == b"-6" {
            continue;
        }
        if let Some(n) = signals::number(&a[1..]) {
            sig = n;
            argv.remove(i);
            break;
        }
    }
    let o = cx.getopt(&argv, "mks46", &[])?;
    if o.args.is_empty() {
        return Err(cx.usage());
    }
    let (v4, v6) = match (o.has(b'4'), o.has(b'6')) {
        (true, false) => (true, false),
        (false, true) => (false, true),
        _ => (true, true),
    };
    let mut w = Want { files: Vec::new(), sockets: Vec::new(), dev_only: o.has(b'm') };
    for a in &o.args {
        let b = a.as_bytes();
        // PORT/PROTO
        if let Some(slash) = b.iter().position(|&c| c == b'/') {
            let (port, proto) = (&b[..slash], &b[slash + 1..]);
            if let (Some(p), true) = (crate::args::parse_u64(port).and_then(|p| u16::try_from(p).ok()), matches!(proto, b"tcp" | b"udp")) {
                port_inodes(p, proto, v4, v6, &mut w.sockets);
                continue;
            }
        }
        match std::fs::metadata(a) {
            Ok(m) => w.files.push((m.dev(), m.ino())),
            Err(e) => cx.err(&[b"can't stat '", b, b"': ", sys::strerror(sys::errno_of(&e))]),
        }
    }
    // SAFETY: getpid only returns a value.
    let me = unsafe { libc::getpid() } as u32;
    let mut ps = Procs::open(0).map_err(|e| e.fail(cx))?;
    let mut found = false;
    let mut failed = false;
    while let Some(p) = ps.next() {
        if p.pid == me || (w.files.is_empty() && w.sockets.is_empty()) || !uses(p, &w) {
            continue;
        }
        found = true;
        if o.has(b'k') {
            // SAFETY: kill only sends a signal.
            if unsafe { libc::kill(p.pid as i32, sig) } != 0 {
                let e = sys::errno();
                let mut b = [0u8; 20];
                cx.err(&[b"kill pid ", crate::cx::fmt_u64(p.pid as u64, &mut b), b": ", sys::strerror(e)]);
                failed = true;
            }
        } else if !o.has(b's') {
            cx.out.num(p.pid as u64);
            cx.out.byte(b' ');
        }
    }
    if found && !o.has(b's') && !o.has(b'k') {
        cx.out.byte(b'\n');
    }
    Ok((failed || !found) as i32)
}
