//! applet: sh ash
//! dir: bin
//! usage: sh [-il] [-|+Cabefmnuvx] [-|+o OPT]... [-c 'SCRIPT' [ARG0 ARGS] | FILE ARGS | -s ARGS]
//! Unix shell interpreter

//! An ash-compatible POSIX shell for scripts, in layers as yash-rs has them:
//! `lex` (tokens, words with their quoting) and `parse` (the grammar, to `ast`), `expand`
//! (words to fields) with `arith` (`$(( ))`), `exec` (the tree walk, redirections, forks)
//! over `vars`, and `builtins/` (a table, one file per group). `input` feeds the parser a
//! line at a time (scripts, stdin); `interactive` is the prompt loop over the shared line
//! editor (`crate::lineedit`).
//!
//! rbox's applets run in-process when PATH would reach rbox itself or nothing (exec.rs's
//! NOFORK list says which may); pipeline stages and `$(...)` still fork.

mod arith;
mod ast;
mod builtins;
mod cond;
mod exec;
mod expand;
mod input;
mod interactive;
mod jobs;
mod lex;
mod parse;
mod vars;

use crate::{sys, Cx, Res};
use exec::{Flow, Shell};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(_cx: &mut Cx, args: &[&OsStr]) -> Res {
    let argv: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    let mut sh = Shell::new(b"sh");
    let mut cmd: Option<Vec<u8>> = None;
    let mut stdin = false;
    let mut i_off = false;
    let mut login = argv.first().is_some_and(|a| a.starts_with(b"-"));
    let mut i = 1;
    while let Some(&a) = argv.get(i) {
        let on = match a.first() {
            Some(b'-') => true,
            Some(b'+') => false,
            _ => break,
        };
        i += 1;
        if a == b"--" || a == b"-" {
            break;
        }
        let mut k = 1;
        while k < a.len() {
            let c = a[k];
            k += 1;
            match c {
                b'c' => {
                    cmd = Some(Vec::new());
                    sh.opt.cmd = true;
                }
                b's' => stdin = true,
                b'i' => {
                    sh.opt.i = on;
                    i_off = !on;
                }
                b'l' => login = true,
                b'o' => {
                    let Some(name) = argv.get(i) else {
                        // `sh -o`: list the options, as `set -o`.
                        let _ = builtins::find(b"set").map(|b| (b.run)(&mut sh, &[b"set".to_vec(), b"-o".to_vec()]));
                        return Ok(0);
                    };
                    i += 1;
                    match builtins_opt(name) {
                        Some(l) => {
                            builtins_set(&mut sh, l, on);
                        }
                        None => {
                            sh.msg(&[b"illegal option -o ", name]);
                            return Ok(2);
                        }
                    }
                }
                _ => {
                    if !builtins_set(&mut sh, c, on) {
                        sh.msg(&[b"illegal option -", &[c]]);
                        return Ok(2);
                    }
                }
            }
        }
    }
    let rest = &argv[i.min(argv.len())..];
    let st = if cmd.is_some() {
        let Some((&c, more)) = rest.split_first() else {
            sh.msg(&[b"-c requires an argument"]);
            return Ok(2);
        };
        if let Some((&name, pos)) = more.split_first() {
            sh.arg0 = name.to_vec();
            sh.cmdname = Some(name.to_vec().into());
            sh.script = Some(name.to_vec());
            sh.pos = pos.iter().map(|p| p.to_vec()).collect();
        }
        if login {
            profile(&mut sh);
        }
        jobs::startup(&mut sh);
        sh.top_exec = true;
        run(&mut sh, c.to_vec(), 0)
    } else if stdin || rest.is_empty() {
        sh.opt.s = true;
        sh.pos = rest.iter().map(|p| p.to_vec()).collect();
        if login {
            profile(&mut sh);
        }
        // Interactive as ash decides: -i, or commands from a terminal (stdin and stdout).
        if !i_off && (sh.opt.i || (sys::isatty(0) && sys::isatty(1))) {
            sh.opt.i = true;
            jobs::startup(&mut sh);
            let r = interactive::run(&mut sh);
            finish(&mut sh, r)
        } else {
            run_feed(&mut sh, Box::new(input::FdFeed::shared(0)))
        }
    } else {
        let file = rest[0];
        sh.pos = rest[1..].iter().map(|p| p.to_vec()).collect();
        if login {
            profile(&mut sh);
        }
        jobs::startup(&mut sh);
        match open_script(file) {
            Ok(fd) => {
                sh.arg0 = file.to_vec();
                sh.cmdname = Some(file.to_vec().into());
                sh.script = Some(file.to_vec());
                sh.top_exec = true;
                let st = run_feed(&mut sh, Box::new(input::FdFeed::file(fd)));
                // SAFETY: our own descriptor, opened above.
                unsafe { libc::close(fd) };
                st
            }
            Err(e) => {
                sh.msg(&[b"can't open '", file, b"': ", sys::strerror(e)]);
                2
            }
        }
    };
    jobs::exit(&mut sh);
    Ok(st)
}

fn builtins_opt(name: &[u8]) -> Option<u8> {
    builtins::long_opt(name)
}

fn builtins_set(sh: &mut Shell, c: u8, on: bool) -> bool {
    builtins::set_opt(sh, c, on)
}

/// `sh -l`: /etc/profile, then ~/.profile.
fn profile(sh: &mut Shell) {
    let mut files = vec![b"/etc/profile".to_vec()];
    if let Some(h) = sh.vars.get(b"HOME") {
        files.push([h, b"/.profile"].concat());
    }
    for f in files {
        if let Ok(src) = std::fs::read(OsStr::from_bytes(&f)) {
            let _ = sh.run_source(src, 1);
        }
    }
}

/// Runs the script and the EXIT trap; the shell's exit status.
fn run(sh: &mut Shell, src: Vec<u8>, line: u32) -> i32 {
    let r = sh.run_source(src, line);
    finish(sh, r)
}

/// Runs commands as they are read from `feed`, then the EXIT trap.
fn run_feed(sh: &mut Shell, feed: Box<dyn input::Feed>) -> i32 {
    let mut p = parse::Parser::new(Vec::new(), 1);
    p.feed = Some(feed);
    let r = sh.run_parser(p);
    finish(sh, r)
}

fn finish(sh: &mut Shell, r: exec::R) -> i32 {
    let st = match r {
        Ok(s) => s,
        Err(Flow::Exit(s)) | Err(Flow::Return(s)) => s,
        Err(_) => sh.status,
    };
    sh.exit_trap(st)
}

/// A script's descriptor, moved to 10 or above (as ash does) so that the script's own
/// redirections of low descriptors leave it alone; close-on-exec.
fn open_script(file: &[u8]) -> Result<i32, i32> {
    let c = sys::cstr(file).ok_or(libc::ENOENT)?;
    // SAFETY: a valid C string; the descriptor is ours.
    unsafe {
        let fd = libc::open(c.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return Err(sys::errno());
        }
        let hi = libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 10);
        if hi >= 0 {
            libc::close(fd);
            return Ok(hi);
        }
        Ok(fd)
    }
}
