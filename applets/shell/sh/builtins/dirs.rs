//! `cd` (-L/-P, CDPATH, OLDPWD, `cd -`) and `pwd`, keeping the logical $PWD.

use super::super::exec::{Shell, R};
use super::out;
use crate::sys;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// `/a/b/../c/.` to `/a/c`, without looking at the file system (cd -L).
fn clean(p: &[u8]) -> Vec<u8> {
    let mut parts: Vec<&[u8]> = Vec::new();
    for c in p.split(|&c| c == b'/') {
        match c {
            b"" | b"." => {}
            b".." => {
                parts.pop();
            }
            _ => parts.push(c),
        }
    }
    let mut o = Vec::with_capacity(p.len());
    for c in &parts {
        o.push(b'/');
        o.extend_from_slice(c);
    }
    if o.is_empty() {
        o.push(b'/');
    }
    o
}

fn chdir(p: &[u8]) -> Result<(), i32> {
    let Some(c) = sys::cstr(p) else {
        return Err(libc::ENOENT);
    };
    // SAFETY: c is NUL-terminated.
    if unsafe { libc::chdir(c.as_ptr()) } != 0 {
        return Err(sys::errno());
    }
    Ok(())
}

pub fn cd(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let mut phys = false;
    let mut i = 1;
    while let Some(f) = a.get(i) {
        match f.as_slice() {
            b"-P" => phys = true,
            b"-L" => phys = false,
            b"--" => {
                i += 1;
                break;
            }
            _ => break,
        }
        i += 1;
    }
    let mut print = false;
    let dir = match a.get(i) {
        None => match sh.vars.get(b"HOME") {
            Some(h) if !h.is_empty() => h.to_vec(),
            _ => return Ok(0),
        },
        Some(d) if d == b"-" => {
            print = true;
            sh.vars.get(b"OLDPWD").unwrap_or(b"").to_vec()
        }
        Some(d) => d.clone(),
    };
    let pwd = sh.vars.get(b"PWD").unwrap_or(b"").to_vec();
    // CDPATH for a relative name that does not start with `.` or `..`.
    let mut cands = Vec::new();
    if !dir.starts_with(b"/") && !dir.starts_with(b"./") && !dir.starts_with(b"../") && dir != b"." && dir != b".." {
        if let Some(cp) = sh.vars.get(b"CDPATH") {
            for d in cp.split(|&c| c == b':') {
                if d.is_empty() {
                    continue;
                }
                cands.push(([d, b"/", &dir].concat(), true));
            }
        }
    }
    cands.push((dir.clone(), false));
    let mut err = libc::ENOENT;
    for (c, from_cdpath) in cands {
        let target = if phys || c.starts_with(b"/") || pwd.is_empty() {
            if phys { c.clone() } else { clean(&c) }
        } else {
            clean(&[&pwd[..], b"/", &c].concat())
        };
        let (try_path, logical) = if phys { (c.clone(), false) } else { (target.clone(), true) };
        match chdir(&try_path) {
            Ok(()) => {
                let new = if logical {
                    target
                } else {
                    std::env::current_dir()
                        .map(|d| d.as_os_str().as_bytes().to_vec())
                        .unwrap_or(target)
                };
                let _ = sh.setvar(b"OLDPWD", &pwd);
                let _ = sh.setvar(b"PWD", &new);
                if print || from_cdpath {
                    let mut l = new.clone();
                    l.push(b'\n');
                    out(sh, &l);
                }
                return Ok(0);
            }
            Err(e) => err = e,
        }
    }
    sh.msg(&[b"can't cd to ", &dir, b": ", sys::strerror(err)]);
    Ok(2)
}

pub fn pwd(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let phys = a[1..].iter().any(|x| x == b"-P");
    let mut p = match sh.vars.get(b"PWD") {
        Some(p) if !phys && p.starts_with(b"/") && same(p, b".") => p.to_vec(),
        _ => match std::env::current_dir() {
            Ok(d) => d.as_os_str().as_bytes().to_vec(),
            Err(e) => {
                sh.msg(&[b"getcwd: ", sys::strerror(sys::errno_of(&e))]);
                return Ok(1);
            }
        },
    };
    p.push(b'\n');
    out(sh, &p);
    Ok(0)
}

fn same(a: &[u8], b: &[u8]) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (
        std::fs::metadata(OsStr::from_bytes(a)),
        std::fs::metadata(OsStr::from_bytes(b)),
    ) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}
