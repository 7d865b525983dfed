//! applet: run-parts
//! usage: run-parts [-a ARG]... [-u UMASK] [--reverse] [--test] [--exit-on-error] [--list] DIRECTORY
//! Run a bunch of scripts in DIRECTORY
//!
//! -a ARG		Pass ARG as argument to scripts
//! -u UMASK	Set UMASK before running scripts
//! --reverse	Reverse execution order
//! --test		Dry run
//! --exit-on-error	Exit if a script exits with non-zero
//! --list		Print names of matching files even if they are not executable

// BusyBox's rules: names of letters, digits, `_`, `-` and dots (not leading) only; regular files (links
// followed) that are executable (with --list, any); sorted by name as strcmp does.

use crate::{spawn, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

fn valid(name: &[u8]) -> bool {
    !name.is_empty()
        && name.first() != Some(&b'.')
        && name.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.')
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "a:u:\x01\x02\x03\x04",
        &[("arg", b'a'), ("umask", b'u'), ("reverse", 1), ("test", 2), ("exit-on-error", 3), ("list", 4)],
    )?;
    if o.args.len() != 1 {
        return Err(cx.usage());
    }
    let umask = match o.val(b'u') {
        Some(u) => {
            let b = u.as_bytes();
            let v = (!b.is_empty() && b.iter().all(|c| (b'0'..=b'7').contains(c)))
                .then(|| b.iter().fold(0u32, |n, &c| n.saturating_mul(8) + (c - b'0') as u32))
                .filter(|&v| v <= 0o7777);
            v.ok_or_else(|| cx.fail(&[b"invalid number '", b, b"'"]))?
        }
        None => 0o22,
    };
    let (list, test) = (o.has(4), o.has(2));
    let dir = o.args[0].as_bytes();
    let mut names: Vec<Vec<u8>> = Vec::new();
    let rd = match std::fs::read_dir(o.args[0]) {
        Ok(r) => r,
        Err(e) => {
            // BusyBox's recursive walk warns (silently takes a file) and finds nothing.
            let e = sys::errno_of(&e);
            if e != libc::ENOTDIR {
                cx.err(&[dir, b": ", sys::strerror(e)]);
            }
            return Ok(0);
        }
    };
    for e in rd.flatten() {
        let n = e.file_name();
        if !valid(n.as_bytes()) {
            continue;
        }
        let mut p = dir.to_vec();
        if !p.ends_with(b"/") {
            p.push(b'/');
        }
        p.extend_from_slice(n.as_bytes());
        let Ok(m) = std::fs::metadata(OsStr::from_bytes(&p)) else { continue };
        // BusyBox tests the mode against S_IFREG|S_IFLNK: directories, fifos and character
        // devices are left out.
        if m.mode_bits() & (libc::S_IFREG | libc::S_IFLNK) == 0 {
            continue;
        }
        let exec = sys::cstr(&p).is_some_and(|c| unsafe { libc::access(c.as_ptr(), libc::X_OK) } == 0);
        if !list && !exec {
            continue;
        }
        names.push(p);
    }
    names.sort();
    if o.has(1) {
        names.reverse();
    }
    let mut status = 0;
    for n in &names {
        if test || list {
            cx.out.line(n);
            continue;
        }
        let mut argv: Vec<&OsStr> = vec![OsStr::from_bytes(n)];
        argv.extend(o.vals(b'a'));
        cx.out.flush();
        let r = match spawn::fork() {
            Ok(0) => {
                // SAFETY: umask only sets the child's mask.
                unsafe { libc::umask(umask as libc::mode_t) };
                let f = spawn::exec(cx, &argv);
                spawn::child_exit(f.0);
            }
            Ok(pid) => spawn::wait(pid, 0).map(|(_, st)| spawn::status_code(st)),
            Err(e) => Err(e),
        };
        let code = match r {
            Ok(0) => continue,
            Ok(c) => c,
            Err(e) => {
                cx.err(&[b"can't execute '", n, b"': ", sys::strerror(e)]);
                1
            }
        };
        status = 1;
        let mut b = [0u8; 20];
        cx.err(&[n, b": exit status ", crate::cx::fmt_u64((code & 0xff) as u64, &mut b)]);
        if o.has(3) {
            return Ok(1);
        }
    }
    Ok(status)
}

trait ModeBits {
    fn mode_bits(&self) -> u32;
}

impl ModeBits for std::fs::Metadata {
    fn mode_bits(&self) -> u32 {
        std::os::unix::fs::MetadataExt::mode(self)
    }
}
