//! applet: rm
//! dir: bin
//! usage: rm [-irf] FILE...
//! Remove (unlink) FILEs
//!
//! -i  Always prompt before removing
//! -f  Never prompt
//! -R,-r  Recurse

use crate::walk::{Act, Follow, Kind, Walker};
use crate::{sys, Cx, Res};
use nix::unistd::{unlinkat, UnlinkatFlags};
use std::ffi::{CStr, OsStr};
use std::os::unix::ffi::OsStrExt;

struct Rm {
    force: bool,
    inter: bool,
    recur: bool,
    verbose: bool,
    /// stdin is a terminal (asked once: BusyBox asks about unwritable entries only then).
    tty: bool,
    /// Per directory being removed: 0 fine, 1 something inside failed (so it stays),
    /// 2 it turned out not to be a directory and was unlinked as a file.
    state: Vec<u8>,
    failed: bool,
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "fiRrv", &[])?;
    // -f and -i cancel each other: the last one given counts (BusyBox's "f-i:i-f").
    let last = o.last_of(b"fi");
    let mut rm = Rm {
        force: last == Some(b'f'),
        inter: last == Some(b'i'),
        recur: o.has(b'r') || o.has(b'R'),
        verbose: o.has(b'v'),
        tty: sys::isatty(0),
        state: Vec::new(),
        failed: false,
    };
    if o.args.is_empty() {
        return if rm.force { Ok(0) } else { Err(cx.usage()) };
    }
    let mut w = Walker::new(Follow::Never);
    let mut status = 0;
    for a in &o.args {
        // BusyBox strips trailing slashes and names the operand so in messages.
        let mut p = a.as_bytes();
        while p.len() > 1 && p.ends_with(b"/") {
            p = &p[..p.len() - 1];
        }
        let base = sys::basename(p);
        if base == b"." || base == b".." {
            cx.err(&[b"can't remove '.' or '..'"]);
            status = 1;
            continue;
        }
        // Deliberately more careful than BusyBox 1.35, which would start removing
        // everything: the root is refused, as GNU refuses it.
        if rm.recur && is_root(p) {
            cx.err(&[b"it is dangerous to operate recursively on '", p, b"'"]);
            status = 1;
            continue;
        }
        rm.failed = false;
        rm.state.clear();
        w.walk(p, &mut |e| rm.visit(cx, e));
        if rm.failed {
            status = 1;
        }
    }
    Ok(status)
}

/// Whether `p` is the root directory (its device and inode are `/`'s).
fn is_root(p: &[u8]) -> bool {
    let Some(c) = sys::cstr(p) else { return false };
    match (
        crate::walk::stat_at(libc::AT_FDCWD, &c, true),
        crate::walk::stat_at(libc::AT_FDCWD, c"/", true),
    ) {
        (Ok(a), Ok(b)) => a.st_dev == b.st_dev && a.st_ino == b.st_ino,
        _ => false,
    }
}

fn unlink(dir: i32, name: &CStr, rmdir: bool) -> Result<(), i32> {
    let fl = if rmdir {
        UnlinkatFlags::RemoveDir
    } else {
        UnlinkatFlags::NoRemoveDir
    };
    unlinkat(Some(dir), name, fl).map_err(|e| e as i32)
}

/// Whether we may not write `name` (BusyBox asks then, on a terminal, unless -f).
fn not_writable(dir: i32, name: &CStr) -> bool {
    nix::unistd::faccessat(
        Some(dir),
        name,
        nix::unistd::AccessFlags::W_OK,
        nix::fcntl::AtFlags::empty(),
    )
    .is_err()
}

impl Rm {
    fn fail(&mut self) {
        match self.state.last_mut() {
            Some(s) => *s = 1,
            None => self.failed = true,
        }
    }

    fn ask(&self, cx: &mut Cx, what: &[u8], path: &[u8]) -> bool {
        cx.out.flush();
        let m = [cx.name.as_bytes(), b": ", what, b" '", path, b"'? "].concat();
        let _ = sys::write_all(2, &m);
        sys::ask_yes()
    }

    fn cant(&mut self, cx: &Cx, path: &[u8], err: i32) {
        cx.err_path(b"can't remove", path, err);
        self.fail();
    }

    fn remove_file(&mut self, cx: &mut Cx, dir: i32, name: &CStr, path: &[u8], link: bool) {
        if self.inter || !self.force && !link && self.tty && not_writable(dir, name) {
            if !self.ask(cx, b"remove", path) {
                return;
            }
        }
        match unlink(dir, name, false) {
            Ok(()) => {
                if self.verbose {
                    cx.out.write(b"removed '");
                    cx.out.write(path);
                    cx.out.write(b"'\n");
                }
            }
            Err(libc::ENOENT) if self.force => {}
            Err(e) => self.cant(cx, path, e),
        }
    }

    fn visit(&mut self, cx: &mut Cx, e: &mut crate::walk::Entry) -> Act {
        match e.kind {
            Kind::StatErr => {
                if e.err != libc::ENOENT {
                    cx.err_path(b"can't stat", e.path, e.err);
                    self.fail();
                } else if !self.force {
                    self.cant(cx, e.path, e.err);
                }
            }
            Kind::File => {
                let link = e.file_type() == libc::S_IFLNK;
                self.remove_file(cx, e.dir, e.cname, e.path, link);
            }
            Kind::Pre => {
                if !self.recur {
                    cx.err(&[b"'", e.path, b"' is a directory"]);
                    self.fail();
                    return Act::Skip;
                }
                if (self.inter || !self.force && self.tty && not_writable(e.dir, e.cname))
                    && !self.ask(cx, b"descend into directory", e.path)
                {
                    return Act::Skip;
                }
                self.state.push(0);
            }
            Kind::OpenErr => {
                if matches!(e.err, libc::ENOTDIR | libc::ELOOP) {
                    // No longer a directory (swapped for a symlink or file mid-walk): the
                    // entry itself goes, whatever it points to stays.
                    match unlink(e.dir, e.cname, false) {
                        Ok(()) | Err(libc::ENOENT) => {
                            if let Some(s) = self.state.last_mut() {
                                *s = 2;
                            }
                        }
                        Err(err) => self.cant(cx, e.path, err),
                    }
                } else {
                    // BusyBox 1.35 says nothing here and only exits 1; the reason is worth
                    // printing.
                    self.cant(cx, e.path, e.err);
                }
            }
            Kind::ReadErr => self.cant(cx, e.path, e.err),
            Kind::Post => {
                let st = self.state.pop().unwrap_or(0);
                if st == 2 {
                    return Act::Continue;
                }
                if self.inter && !self.ask(cx, b"remove directory", e.path) {
                    if st != 0 {
                        self.fail();
                    }
                    return Act::Continue;
                }
                if st != 0 {
                    self.fail();
                    return Act::Continue;
                }
                match unlink(e.dir, e.cname, true) {
                    Ok(()) => {
                        if self.verbose {
                            cx.out.write(b"removed directory: '");
                            cx.out.write(e.path);
                            cx.out.write(b"'\n");
                        }
                    }
                    Err(libc::ENOENT) if self.force => {}
                    Err(err) => self.cant(cx, e.path, err),
                }
            }
            Kind::Loop => {}
        }
        Act::Continue
    }
}
