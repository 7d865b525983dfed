//! The multicall front end: argv[0] dispatch, and `rbox --help|--list|--list-full|--install`.

use crate::cx::{Cx, Fail, Out, BANNER};
use crate::{applets::APPLETS, find, paths, sys, Applet};
use std::ffi::{CStr, OsStr};
use std::os::unix::ffi::OsStrExt;

/// Process entry, called from the C `main`.
///
/// # Safety
/// `argv` must hold `argc` valid NUL-terminated strings that outlive the process.
pub unsafe fn start(argc: libc::c_int, argv: *const *const libc::c_char) -> libc::c_int {
    // `yes | head -1` must end quietly: take SIGPIPE's default even if our parent ignored it.
    libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    let argc = argc.max(0) as usize;
    let arg = |i: usize| OsStr::from_bytes(CStr::from_ptr(*argv.add(i)).to_bytes());
    // Short command lines stay off the heap: musl's first malloc and the final free cost
    // about 2,500 instructions, more than the rest of `true` together.
    if argc <= 16 {
        let mut small = [OsStr::new(""); 16];
        for (i, a) in small.iter_mut().enumerate().take(argc) {
            *a = arg(i);
        }
        run(&small[..argc])
    } else {
        run(&(0..argc).map(arg).collect::<Vec<_>>())
    }
}

/// Runs whatever argv names: an applet by its basename, or the `rbox` front end.
pub fn run(args: &[&OsStr]) -> i32 {
    let argv0 = args.first().map_or(&b"rbox"[..], |a| a.as_bytes());
    let mut name = sys::basename(argv0);
    // A login shell is started as `-sh`.
    if name.len() > 1 && name[0] == b'-' {
        name = &name[1..];
    }
    // `busybox APPLET` too, so rbox drops into images and scripts that call BusyBox by name.
    if name.starts_with(b"rbox") || name == b"busybox" {
        return front(args);
    }
    dispatch(name, args)
}

fn dispatch(name: &[u8], args: &[&OsStr]) -> i32 {
    match find(name) {
        Some(a) => run_applet(a, args),
        None => {
            Cx::new("", crate::Help::NONE).err(&[name, b": applet not found"]);
            127
        }
    }
}

/// Runs one applet to completion and returns its exit status (stdout flushed).
pub fn run_applet(a: &'static Applet, args: &[&OsStr]) -> i32 {
    let mut cx = Cx::new(a.name, a.help);
    if a.flags & 4 == 0 && args.len() == 2 && args[1].as_bytes() == b"--help" {
        cx.show_help();
        return 0;
    }
    let st = (a.main)(&mut cx, args).unwrap_or_else(|Fail(s)| s);
    cx.finish(st)
}

const FRONT_HELP: &str = "\
Usage: rbox [function [arguments]...]
   or: rbox --list[-full]
   or: rbox --install [-s] [DIR]
   or: function [arguments]...

\trbox is a multi-call binary that combines many common Unix
\tutilities into a single executable. Most people will create a
\tlink to rbox for each function they wish to use and rbox
\twill act like whatever it was invoked as.

Currently defined functions:
";

fn front(args: &[&OsStr]) -> i32 {
    let a1 = args.get(1).map_or(&b"--help"[..], |a| a.as_bytes());
    let mut out = Out::new(1);
    match a1 {
        b"--help" if args.len() <= 2 => {
            out.write(BANNER.as_bytes());
            out.byte(b'\n');
            out.write(FRONT_HELP.as_bytes());
            list_columns(&mut out, sys::term_cols(2));
        }
        b"--help" => {
            // `rbox --help APPLET`
            return match find(args[2].as_bytes()) {
                Some(a) => {
                    Cx::new(a.name, a.help).show_help();
                    0
                }
                None => dispatch(args[2].as_bytes(), &args[2..]),
            };
        }
        b"--list" => APPLETS.iter().for_each(|a| out.line(a.name.as_bytes())),
        b"--list-full" => APPLETS.iter().for_each(|a| {
            out.write(a.dir().as_bytes());
            out.byte(b'/');
            out.line(a.name.as_bytes());
        }),
        b"--install" => return install(args),
        _ => return dispatch(sys::basename(args[1].as_bytes()), &args[1..]),
    }
    let mut cx = Cx::new("rbox", crate::Help::NONE);
    cx.out = out;
    cx.finish(0)
}

/// "\tname, name, ..." wrapped to `width` columns, as BusyBox lists its functions.
fn list_columns(out: &mut Out, width: usize) {
    let width = width.saturating_sub(1);
    let mut col = 0;
    for a in APPLETS {
        let len = a.name.len() + 2;
        if col != 0 && col + len >= width {
            out.write(b",\n");
            col = 0;
        }
        if col == 0 {
            out.byte(b'\t');
            col = 6;
        } else {
            out.write(b", ");
        }
        out.write(a.name.as_bytes());
        col += len;
    }
    out.byte(b'\n');
}

/// `rbox --install [-s] [DIR]`: a link per applet in DIR, or in the --list-full layout
/// under / when no DIR is given. Existing files are never replaced: one that is already a
/// link to rbox is left quietly, anything else is reported.
fn install(argv: &[&OsStr]) -> i32 {
    let cx = Cx::new("rbox", crate::Help::NONE);
    let args = &argv[2..];
    let (soft, rest) = match args.first() {
        Some(a) if a.as_bytes() == b"-s" => (true, &args[1..]),
        _ => (false, args),
    };
    // Without /proc (an empty root), an absolute argv[0] still names us.
    let exe = match paths::readlink(b"/proc/self/exe") {
        Ok(p) => p,
        Err(_) if argv[0].as_bytes().starts_with(b"/") => argv[0].as_bytes().to_vec(),
        Err(e) => {
            cx.err_no(b"can't find my own path: /proc/self/exe", e);
            return 1;
        }
    };
    // libc calls, not std::fs: its wrappers cost more bytes than the whole loop.
    let exe_c = sys::cstr(&exe).unwrap_or_default();
    let exe_meta = paths::stat(&exe, true).ok();
    let mut st = 0;
    for a in APPLETS {
        let mut path = match rest.first() {
            Some(d) => d.as_bytes().to_vec(),
            None => {
                let d = [b"/", a.dir().as_bytes()].concat();
                let _ = crate::copy::mkdir_p(&d, 0o777);
                d
            }
        };
        path.push(b'/');
        path.extend_from_slice(a.name.as_bytes());
        let r = match sys::cstr(&path) {
            // SAFETY: both are NUL-terminated; linkat with no flags, as std's hard_link.
            Some(p) => unsafe {
                if soft {
                    libc::symlink(exe_c.as_ptr(), p.as_ptr())
                } else {
                    libc::linkat(
                        libc::AT_FDCWD,
                        exe_c.as_ptr(),
                        libc::AT_FDCWD,
                        p.as_ptr(),
                        0,
                    )
                }
            },
            None => -2,
        };
        if r != 0 {
            let e = if r == -2 { libc::EINVAL } else { sys::errno() };
            if e == libc::EEXIST && is_us(&path, &exe, &exe_meta) {
                continue;
            }
            cx.err_no(&path, e);
            st = 1;
        }
    }
    st
}

fn is_us(p: &[u8], exe: &[u8], exe_meta: &Option<libc::stat>) -> bool {
    if paths::readlink(p).is_ok_and(|t| t == exe) {
        return true;
    }
    match (paths::stat(p, false), exe_meta) {
        (Ok(m), Some(e)) => m.st_ino == e.st_ino && m.st_dev == e.st_dev,
        _ => false,
    }
}
