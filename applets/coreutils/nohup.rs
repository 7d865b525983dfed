//! applet: nohup
//! usage: nohup PROG ARGS
//! Run PROG immune to hangups, with output to a non-tty

use crate::{spawn, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

fn open_append(path: &[u8]) -> i32 {
    let Some(p) = sys::cstr(path) else { return -1 };
    // SAFETY: p is NUL-terminated.
    unsafe { libc::open(p.as_ptr(), libc::O_CREAT | libc::O_WRONLY | libc::O_APPEND, 0o600) }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let mut argv = &args[1..];
    if argv.first().map(|a| a.as_bytes()) == Some(b"--") {
        argv = &argv[1..];
    }
    if argv.is_empty() {
        return Err(cx.usage());
    }
    // SAFETY (all below): plain descriptor and signal calls on our own process, which
    // is about to exec.
    unsafe {
        if sys::isatty(0) {
            libc::close(0);
            libc::open(c"/dev/null".as_ptr(), libc::O_RDONLY);
        }
        if sys::isatty(1) {
            libc::close(1);
            // Output goes to ./nohup.out, else $HOME/nohup.out, else nowhere.
            let mut name: Vec<u8> = b"nohup.out".to_vec();
            if open_append(&name) < 0 {
                match std::env::var_os("HOME") {
                    Some(h) => {
                        let mut p = h.as_bytes().to_vec();
                        if !p.ends_with(b"/") {
                            p.push(b'/');
                        }
                        p.extend_from_slice(b"nohup.out");
                        name = p;
                        if open_append(&name) < 0 {
                            let e = sys::errno();
                            return Err(crate::Fail({
                                cx.err_open(OsStr::from_bytes(&name), e);
                                127
                            }));
                        }
                    }
                    None => {
                        libc::open(c"/dev/null".as_ptr(), libc::O_RDONLY);
                    }
                }
            }
            cx.err(&[b"appending output to ", &name]);
        }
        if sys::isatty(2) {
            libc::dup2(1, 2);
        }
        libc::signal(libc::SIGHUP, libc::SIG_IGN);
    }
    Err(spawn::exec(cx, argv))
}
