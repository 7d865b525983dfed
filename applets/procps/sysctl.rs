//! applet: sysctl
//! dir: sbin
//! usage: sysctl [-enq] { -a | -p [FILE]... | [-w] [KEY[=VALUE]]... }
//! Show/set kernel parameters
//!
//! -e  Don't warn about unknown keys
//! -n  Don't show key names
//! -q      Quiet
//! -a  Show all values
//! -p  Set values from FILEs (default /etc/sysctl.conf)
//! -w  Set values

// BusyBox's sysctl, with paths under /proc/sys built instead of a chdir (an applet may
// run inside the shell). Keys use dots (`kernel.ostype`) or slashes; a name part that
// holds a dot (`net.ipv4.conf.eth0.100.x`) is found by trying the longest existing path.

use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

const ROOT: &[u8] = b"/proc/sys/";

struct Opt {
    keys: bool,
    key_errors: bool,
    quiet: bool,
    write: bool,
}

fn exists(rel: &[u8]) -> bool {
    let mut p = ROOT.to_vec();
    p.extend_from_slice(rel);
    sys::cstr(&p).is_some_and(|c| unsafe { libc::access(c.as_ptr(), libc::F_OK) } == 0)
}

/// BusyBox's sysctl_dots_to_slashes, on the part before any `=`.
fn dots_to_slashes(name: &mut [u8]) {
    let end = name.iter().position(|&c| c == b'=').unwrap_or(name.len());
    let slash = name[..end].iter().position(|&c| c == b'/');
    let dot = name[..end].iter().position(|&c| c == b'.');
    if let (Some(s), Some(d)) = (slash, dot) {
        if d < s {
            // a.b/c.d: dots and slashes are exchanged.
            for c in name[..end].iter_mut() {
                *c = match *c {
                    b'.' => b'/',
                    b'/' => b'.',
                    o => o,
                };
            }
            return;
        }
    }
    if slash.is_some() {
        return;
    }
    // From the end, make each dot a slash where the path so far exists; start over after
    // each replacement, never going back past it.
    let mut last_good = 0usize;
    'again: loop {
        let mut i = end;
        while i > last_good {
            let at_end = i == end;
            if at_end || name[i] == b'.' {
                if exists(&name[..i]) {
                    if at_end {
                        return;
                    }
                    name[i] = b'/';
                    last_good = i + 1;
                    continue 'again;
                }
            }
            i -= 1;
        }
        return;
    }
}

/// The key as shown: slashes become dots and dots slashes.
fn outname(s: &[u8]) -> Vec<u8> {
    s.iter()
        .map(|&c| match c {
            b'/' => b'.',
            b'.' => b'/',
            o => o,
        })
        .collect()
}

fn act(cx: &mut Cx, o: &Opt, setting: &[u8]) -> i32 {
    // Messages come in order with the values, as BusyBox flushes before each.
    cx.out.flush();
    let eq = setting.iter().position(|&c| c == b'=');
    let writing = o.write || eq.is_some();
    let name = &setting[..eq.unwrap_or(setting.len())];
    if writing {
        let Some(eq) = eq else {
            cx.err(&[b"error: '", &outname(setting), b"' must be of the form name=value"]);
            return 1;
        };
        if eq == 0 {
            cx.err(&[b"error: malformed setting '", &outname(setting), b"'"]);
            return 1;
        }
    }
    let out = outname(name);
    let mut path = ROOT.to_vec();
    path.extend_from_slice(name);
    let Some(cp) = sys::cstr(&path) else { return 1 };
    let flags = if writing { libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC } else { libc::O_RDONLY };
    // SAFETY: cp is NUL-terminated.
    let fd = unsafe { libc::open(cp.as_ptr(), flags | libc::O_CLOEXEC, 0o666) };
    if fd < 0 {
        let e = sys::errno();
        match e {
            // Write-only settings (net.ipv6.route.flush) are skipped when listing.
            libc::EACCES if !writing => return 0,
            libc::ENOENT => {
                if o.key_errors {
                    cx.err(&[b"error: '", &out, b"' is an unknown key"]);
                }
            }
            _ => {
                let what: &[u8] = if writing { b"sett" } else { b"read" };
                cx.err(&[b"error ", what, b"ing key '", &out, b"': ", sys::strerror(e)]);
            }
        }
        return 1;
    }
    let mut status = 0;
    if writing {
        let value = &setting[eq.map_or(setting.len(), |i| i + 1)..];
        let r = sys::write_all(fd, value);
        // SAFETY: fd is ours.
        unsafe { libc::close(fd) };
        if let Err(e) = r {
            cx.err(&[b"error setting key '", &out, b"': ", sys::strerror(e)]);
            return 1;
        }
        if !o.quiet {
            if o.keys {
                cx.out.write(&out);
                cx.out.write(b" = ");
            }
            cx.out.line(value);
        }
    } else {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            match sys::read(fd, &mut chunk) {
                Ok(0) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                Err(e) => {
                    cx.err(&[b"error reading key '", &out, b"': ", sys::strerror(e)]);
                    status = 1;
                    break;
                }
            }
        }
        // SAFETY: fd is ours.
        unsafe { libc::close(fd) };
        // Every line of a value gets the key (fs.binfmt_misc.status has one, others many).
        for l in buf.split_inclusive(|&c| c == b'\n') {
            if o.keys {
                cx.out.write(&out);
                cx.out.write(b" = ");
            }
            cx.out.write(l);
        }
    }
    status
}

fn recurse(cx: &mut Cx, o: &Opt, rel: &[u8]) -> i32 {
    let mut path = ROOT.to_vec();
    path.extend_from_slice(rel);
    let is_dir = !o.write && !rel.contains(&b'=') && std::fs::metadata(OsStr::from_bytes(&path)).is_ok_and(|m| m.is_dir());
    if !is_dir {
        return act(cx, o, rel);
    }
    let Ok(rd) = std::fs::read_dir(OsStr::from_bytes(&path)) else {
        return 1;
    };
    let mut status = 0;
    for e in rd.flatten() {
        let mut next = rel.to_vec();
        if !next.is_empty() {
            next.push(b'/');
        }
        next.extend_from_slice(e.file_name().as_bytes());
        status |= recurse(cx, o, &next);
    }
    status
}

/// A conf file: `key = value` lines, `#` and `;` comments.
fn preload(cx: &mut Cx, o: &Opt, file: &OsStr) {
    let data = match std::fs::read(file) {
        Ok(d) => d,
        Err(e) => {
            cx.err_open(file, sys::errno_of(&e));
            return;
        }
    };
    for l in data.split(|&c| c == b'\n') {
        let l = trim(l);
        if l.is_empty() || l[0] == b'#' || l[0] == b';' {
            continue;
        }
        let Some(i) = l.iter().position(|&c| c == b'=') else {
            // A key without a value reads as "key=" (BusyBox's greedy parse needs 2 tokens).
            continue;
        };
        let mut key = trim(&l[..i]).to_vec();
        let val = trim(&l[i + 1..]);
        dots_to_slashes(&mut key);
        key.push(b'=');
        key.extend_from_slice(val);
        act(cx, o, &key);
    }
}

fn trim(s: &[u8]) -> &[u8] {
    let a = s.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(s.len());
    let b = s.iter().rposition(|c| !c.is_ascii_whitespace()).map_or(a, |i| i + 1);
    &s[a..b.max(a)]
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let g = cx.getopt(args, "+neAapwq", &[])?;
    let mut o = Opt {
        keys: !g.has(b'n'),
        key_errors: !g.has(b'e'),
        quiet: g.has(b'q'),
        write: g.has(b'w'),
    };
    if g.has(b'p') {
        o.write = true;
        if g.args.is_empty() {
            preload(cx, &o, OsStr::new("/etc/sysctl.conf"));
        }
        for f in &g.args {
            preload(cx, &o, f);
        }
        return Ok(0);
    }
    if g.has(b'a') || g.has(b'A') {
        return Ok(recurse(cx, &o, b""));
    }
    let mut status = 0;
    for a in &g.args {
        let mut k = a.as_bytes().to_vec();
        dots_to_slashes(&mut k);
        status |= recurse(cx, &o, &k);
    }
    Ok(status)
}
