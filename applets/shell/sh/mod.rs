//! applet: sh ash
//! dir: bin
//! usage: sh [-il] [-|+Cabefmnuvx] [-|+o OPT]... [-c 'SCRIPT' [ARG0 ARGS] | FILE ARGS | -s ARGS]
//! Unix shell interpreter

//! An ash-compatible POSIX shell for scripts, in layers as yash-rs has them:
//! `lex` (tokens, words with their quoting) and `parse` (the grammar, to `ast`), `expand`
//! (words to fields) with `arith` (`$(( ))`), `exec` (the tree walk, redirections, forks)
//! over `vars`, and `builtins/` (a table, one file per group). Line editing and job control
//! (interactive use) will be `jobs.rs` and a shared `src/` module; this is the
//! non-interactive shell.
//!
//! rbox's applets run in-process when PATH would reach rbox itself or nothing (exec.rs's
//! NOFORK list says which may); pipeline stages and `$(...)` still fork.

mod arith;
mod ast;
mod builtins;
mod cond;
mod exec;
mod expand;
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
                b'i' => sh.opt.i = on,
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
        sh.top_exec = true;
        run(&mut sh, c.to_vec(), 0)
    } else if stdin || rest.is_empty() {
        sh.opt.s = true;
        sh.pos = rest.iter().map(|p| p.to_vec()).collect();
        if login {
            profile(&mut sh);
        }
        let mut src = Vec::new();
        let mut buf = vec![0u8; 65536];
        while let Ok(n) = sys::read(0, &mut buf) {
            if n == 0 {
                break;
            }
            src.extend_from_slice(&buf[..n]);
        }
        run(&mut sh, src, 1)
    } else {
        let file = rest[0];
        sh.pos = rest[1..].iter().map(|p| p.to_vec()).collect();
        if login {
            profile(&mut sh);
        }
        match std::fs::read(OsStr::from_bytes(file)) {
            Ok(src) => {
                sh.arg0 = file.to_vec();
                sh.cmdname = Some(file.to_vec().into());
                sh.script = Some(file.to_vec());
                sh.top_exec = true;
                run(&mut sh, src, 1)
            }
            Err(e) => {
                let e = sys::errno_of(&e);
                sh.msg(&[b"can't open '", file, b"': ", sys::strerror(e)]);
                2
            }
        }
    };
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
    let st = match sh.run_source(src, line) {
        Ok(s) => s,
        Err(Flow::Exit(s)) | Err(Flow::Return(s)) => s,
        Err(_) => sh.status,
    };
    sh.exit_trap(st)
}
