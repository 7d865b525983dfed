//! applet: chmod
//! dir: bin
//! usage: chmod [-Rcvf] MODE[,MODE]... FILE...
//! MODE is octal number (bit pattern sstrwxrwxrwx) or [ugoa]{+|-|=}[rwxXst]
//!
//! -R  Recurse
//! -c  List changed files
//! -v  Verbose
//! -f  Hide errors

use crate::walk::{stat_at, Act, Follow, Kind, Walker};
use crate::{mode, Cx, Fail, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // A mode that looks like an option (`-w`, `-x`) must not reach getopt: BusyBox takes
    // the first argument before any operand that starts with `-` and a letter other than
    // an option's as the mode (so `-q` is an invalid mode, not an invalid option).
    let mut argv: Vec<&OsStr> = args.to_vec();
    let mut dash_mode = None;
    for i in 1..argv.len() {
        let a = argv[i].as_bytes();
        if a.first() != Some(&b'-') {
            break;
        }
        if a.get(1).is_some_and(|c| !b"-Rvcf".contains(c)) {
            dash_mode = Some(argv.remove(i));
            break;
        }
    }
    let o = cx.getopt(&argv, "Rvcf", &[])?;
    let mut ops = o.args.iter().copied();
    let (Some(spec), Some(_)) = (dash_mode.or_else(|| ops.next()), ops.clone().next()) else {
        return Err(cx.usage());
    };
    let (recur, verbose, changed, quiet) = (o.has(b'R'), o.has(b'v'), o.has(b'c'), o.has(b'f'));
    let spec = spec.as_bytes();
    let umask = mode::umask();
    // musl's no-follow fchmodat goes through /proc/self/fd; without /proc it fails ENOENT.
    let have_proc = crate::paths::stat(b"/proc/self/fd", true).is_ok();
    let mut w = Walker::new(Follow::Never);
    let mut status = 0;
    let mut fatal = None;
    let mut ms = Vec::with_capacity(10);
    for f in ops {
        w.walk(f.as_bytes(), &mut |e| {
            match e.kind {
                Kind::File | Kind::Pre => {}
                Kind::Post | Kind::Loop => return Act::Continue,
                _ => {
                    // BusyBox's walk reports these even with -f.
                    cx.err_no(e.path, e.err);
                    status = 1;
                    return Act::Continue;
                }
            }
            let root = e.depth == 0;
            let st = if root {
                // A named symlink is followed; below, symlinks are left alone.
                stat_at(e.dir, e.cname, true)
            } else if e.file_type() == libc::S_IFLNK {
                return Act::Continue;
            } else {
                e.stat().copied()
            };
            let st = match st {
                Ok(st) => st,
                Err(err) => {
                    if !quiet {
                        cx.err_no(e.path, err);
                    }
                    status = 1;
                    return Act::Continue;
                }
            };
            let Some(new) = mode::parse(spec, st.st_mode, umask) else {
                fatal = Some(cx.fail(&[b"invalid mode '", spec, b"'"]));
                return Act::Stop;
            };
            // Below the root, no-follow: musl changes the inode it opened O_PATH with
            // O_NOFOLLOW, so an entry swapped for a symlink is not followed out of the tree.
            let mut flag = if root { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
            let r = loop {
                // SAFETY: e.dir is open and e.cname NUL-terminated.
                if unsafe { libc::fchmodat(e.dir, e.cname.as_ptr(), new & 0o7777, flag) } == 0 {
                    break Ok(());
                }
                let err = crate::sys::errno();
                // No /proc for musl's O_PATH route: the plain call. With /proc, ENOENT is
                // the entry gone mid-walk, and what replaced it may be a symlink out of the
                // tree: never follow then (the plain call would).
                if err == libc::ENOENT && !have_proc && flag != 0 {
                    flag = 0;
                    continue;
                }
                break Err(err);
            };
            match r {
                Ok(()) => {
                    if verbose || changed && st.st_mode != new {
                        cx.out.write(b"mode of '");
                        cx.out.write(e.path);
                        cx.out.write(b"' changed to ");
                        let mut oct = [b'0'; 3];
                        let p = new & 0o7777;
                        cx.out.byte(b'0' + (p >> 9) as u8);
                        for (i, c) in oct.iter_mut().enumerate() {
                            *c = b'0' + ((p >> (6 - 3 * i)) & 7) as u8;
                        }
                        cx.out.write(&oct);
                        ms.clear();
                        mode::string(new, &mut ms);
                        cx.out.write(b" (");
                        cx.out.write(ms.get(1..).unwrap_or_default());
                        cx.out.write(b")\n");
                    }
                }
                Err(err) => {
                    if !quiet {
                        cx.err_no(e.path, err);
                    }
                    status = 1;
                }
            }
            if e.kind == Kind::Pre && !recur {
                Act::Skip
            } else {
                Act::Continue
            }
        });
        if let Some(f) = fatal {
            return Err::<i32, Fail>(f);
        }
    }
    Ok(status)
}
