//! POSIX's special builtins: `: . break continue eval exec exit export readonly return set
//! shift times trap unset`, and `local`.

use super::super::exec::{Flow, Shell, R};
use super::super::parse::is_valid_name;
use super::{number, out, signal, signame};
use crate::sys;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn colon(_: &mut Shell, _: &[Vec<u8>]) -> R {
    Ok(0)
}

pub fn dot(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let Some(f) = a.get(1) else {
        return Ok(0);
    };
    let mut path = f.clone();
    if !f.contains(&b'/') {
        // `.` searches PATH, then the current directory as ash does.
        let p = sh.vars.get(b"PATH").unwrap_or(b"").to_vec();
        for d in p.split(|&c| c == b':') {
            let cand = [if d.is_empty() { b"." } else { d }, b"/", f].concat();
            if std::fs::metadata(OsStr::from_bytes(&cand)).is_ok_and(|m| m.is_file()) {
                path = cand;
                break;
            }
        }
    }
    let src = match std::fs::read(OsStr::from_bytes(&path)) {
        Ok(s) => s,
        Err(e) => {
            let e = sys::errno_of(&e);
            return Err(sh.fatal(&[b"can't open '", f, b"': ", sys::strerror(e)]));
        }
    };
    if sh.calls >= super::super::exec::MAX_CALL_DEPTH || !sh.stack.ok() {
        return Err(sh.fatal(&[b"nesting too deep"]));
    }
    sh.calls += 1;
    let saved = if a.len() > 2 {
        Some(std::mem::replace(&mut sh.pos, a[2..].to_vec()))
    } else {
        None
    };
    let cn = sh.cmdname.take();
    let line = sh.line;
    let r = sh.run_source(src, 1);
    sh.cmdname = cn;
    sh.line = line;
    if let Some(p) = saved {
        sh.pos = p;
    }
    sh.calls -= 1;
    match r {
        Err(Flow::Return(s)) => Ok(s),
        r => r,
    }
}

fn loop_count(sh: &mut Shell, a: &[Vec<u8>]) -> R<u32> {
    let n = match a.get(1) {
        Some(s) => number(sh, s)?,
        None => 1,
    };
    if n == 0 {
        return Err(sh.fatal(&[b"Illegal number: ", &a[1]]));
    }
    Ok(n.min(sh.loops as i64) as u32)
}

pub fn brk(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    match loop_count(sh, a)? {
        0 => Ok(0),
        n => Err(Flow::Break(n)),
    }
}

pub fn cont(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    match loop_count(sh, a)? {
        0 => Ok(0),
        n => Err(Flow::Continue(n)),
    }
}

pub fn eval(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    if a.len() < 2 {
        return Ok(0);
    }
    let src = a[1..].join(&b' ');
    if sh.calls >= super::super::exec::MAX_CALL_DEPTH || !sh.stack.ok() {
        return Err(sh.fatal(&[b"nesting too deep"]));
    }
    sh.calls += 1;
    sh.status = 0;
    let line = sh.line;
    let r = sh.run_source(src, line);
    sh.calls -= 1;
    r
}

pub fn exec(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let mut i = 1;
    if a.get(1).is_some_and(|x| x == b"--") {
        i = 2;
    }
    if a.len() <= i {
        // `exec >file`: the redirections were applied and must stay; the caller restores
        // saved descriptors, so mark them kept by forgetting them there.
        sh.keep_redirs = true;
        return Ok(0);
    }
    let args = &a[i..];
    let found = sh.lookup(&args[0]);
    let cn = sh.cmdname.clone();
    super::super::jobs::before_exec(sh); // job control: off, as ash
    let st = sh.exec_argv(found, args);
    sh.cmdname = cn;
    Err(Flow::Exit(st))
}

pub fn exit(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    if super::super::jobs::stopped_warning(sh) {
        return Ok(0); // job control: "You have stopped jobs."
    }
    let st = match a.get(1) {
        Some(s) => (number(sh, s)? & 0xff) as i32,
        None => sh.status,
    };
    // A real exit, even after an error that was caught (`command . /missing; exit`).
    sh.error_exit = false;
    Err(Flow::Exit(st))
}

pub fn ret(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let st = match a.get(1) {
        Some(s) => {
            let neg = s.starts_with(b"-");
            let n = number(sh, if neg { &s[1..] } else { s })?;
            ((if neg { -n } else { n }) & 0xff) as i32
        }
        None => sh.status,
    };
    Err(Flow::Return(st))
}

/// `export`/`readonly` with `-p` or no names: lines that re-parse.
fn list_flagged(sh: &Shell, ro: bool) -> R {
    let mut o = Vec::new();
    for (k, v) in sh.vars.sorted() {
        if (ro && !v.ro) || (!ro && !v.exp) {
            continue;
        }
        o.extend_from_slice(if ro { b"readonly " } else { b"export " });
        o.extend_from_slice(k);
        if let Some(val) = &v.val {
            o.push(b'=');
            o.extend_from_slice(&sq(val));
        }
        o.push(b'\n');
    }
    out(sh, &o);
    Ok(0)
}

/// Single-quoted as ash writes values: `'a b'"'"'c'`.
pub fn sq(v: &[u8]) -> Vec<u8> {
    let mut o = vec![b'\''];
    for &c in v {
        if c == b'\'' {
            o.extend_from_slice(b"'\"'\"'");
        } else {
            o.push(c);
        }
    }
    o.push(b'\'');
    o
}

fn flag_vars(sh: &mut Shell, a: &[Vec<u8>], ro: bool) -> R {
    let mut names = &a[1..];
    let mut unexport = false;
    while let Some(f) = names.first() {
        match f.as_slice() {
            b"-p" => {}
            b"-n" if !ro => unexport = true,
            b"--" => {
                names = &names[1..];
                break;
            }
            _ => break,
        }
        names = &names[1..];
    }
    if names.is_empty() {
        return list_flagged(sh, ro);
    }
    for n in names {
        let (name, val) = match n.iter().position(|&c| c == b'=') {
            Some(i) => (&n[..i], Some(&n[i + 1..])),
            None => (&n[..], None),
        };
        if !is_valid_name(name) {
            return Err(sh.fatal(&[name, b": bad variable name"]));
        }
        if unexport {
            sh.vars.unexport(name);
            continue;
        }
        if let Some(v) = val {
            let same = sh.vars.get(name) == Some(v);
            if sh.vars.set(name, v).is_err() {
                return Err(sh.fatal(&[name, b": is read only"]));
            }
            if name == b"PATH" && !same {
                sh.hash.clear();
            }
        }
        sh.vars.flag(name, !ro, ro);
    }
    Ok(0)
}

pub fn export(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    flag_vars(sh, a, false)
}

pub fn readonly(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    flag_vars(sh, a, true)
}

pub fn local(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    if !sh.vars.in_function() {
        return Err(sh.fatal(&[b"not in a function"]));
    }
    for n in &a[1..] {
        let (name, val) = match n.iter().position(|&c| c == b'=') {
            Some(i) => (&n[..i], Some(&n[i + 1..])),
            None => (&n[..], None),
        };
        if name == b"-" {
            // `local -`: the options come back when the function returns.
            let o = sh.opt;
            if let Some(s) = sh.saved_opts.last_mut() {
                s.get_or_insert(o);
            }
            continue;
        }
        if !is_valid_name(name) {
            return Err(sh.fatal(&[name, b": bad variable name"]));
        }
        if sh.vars.make_local(name).is_err() {
            return Err(sh.fatal(&[name, b": is read only"]));
        }
        if let Some(v) = val {
            sh.setvar(name, v)?;
        }
    }
    Ok(0)
}

/// The `set -o` names, with their letters.
const LONG: &[(&str, u8)] = &[
    ("errexit", b'e'),
    ("noglob", b'f'),
    ("ignoreeof", b'I'),
    ("monitor", b'm'),
    ("noexec", b'n'),
    ("xtrace", b'x'),
    ("verbose", b'v'),
    ("noclobber", b'C'),
    ("allexport", b'a'),
    ("notify", b'b'),
    ("nounset", b'u'),
    ("errtrace", b'E'),
    ("vi", b'V'),
    ("pipefail", b'P'),
];

/// Sets one option by letter; false if there is no such option.
pub fn set_opt(sh: &mut Shell, c: u8, on: bool) -> bool {
    if c == b'm' {
        // job control: on only with a terminal to control.
        sh.opt.m = super::super::jobs::set_m(sh, on);
        return true;
    }
    let o = &mut sh.opt;
    match c {
        b'e' => o.e = on,
        b'f' => o.f = on,
        b'I' => o.ignoreeof = on,
        b'n' => o.n = on,
        b'x' => o.x = on,
        b'v' => o.v = on,
        b'C' => o.c = on,
        b'a' => o.a = on,
        b'b' => o.b = on,
        b'u' => o.u = on,
        b'P' => o.pipefail = on,
        b'V' => o.vi = on,
        b'E' => {}
        _ => return false,
    }
    true
}

fn get_opt(sh: &Shell, c: u8) -> bool {
    let o = &sh.opt;
    match c {
        b'e' => o.e,
        b'f' => o.f,
        b'I' => o.ignoreeof,
        b'm' => o.m,
        b'n' => o.n,
        b'x' => o.x,
        b'v' => o.v,
        b'C' => o.c,
        b'a' => o.a,
        b'b' => o.b,
        b'u' => o.u,
        b'P' => o.pipefail,
        b'V' => o.vi,
        _ => false,
    }
}

pub fn long_opt(name: &[u8]) -> Option<u8> {
    LONG.iter().find(|(n, _)| n.as_bytes() == name).map(|&(_, c)| c)
}

pub fn set(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    if a.len() == 1 {
        let mut o = Vec::new();
        for (k, v) in sh.vars.sorted() {
            if let Some(val) = &v.val {
                o.extend_from_slice(k);
                o.push(b'=');
                o.extend_from_slice(&sq(val));
                o.push(b'\n');
            }
        }
        out(sh, &o);
        return Ok(0);
    }
    let mut i = 1;
    while let Some(arg) = a.get(i) {
        let on = match arg.first() {
            Some(b'-') => true,
            Some(b'+') => false,
            _ => break,
        };
        if arg == b"--" {
            i += 1;
            sh.pos = a[i..].to_vec();
            return Ok(0);
        }
        if arg == b"-" || arg == b"+" {
            i += 1;
            break;
        }
        i += 1;
        for &c in &arg[1..] {
            if c == b'o' {
                match a.get(i) {
                    None => {
                        let mut o = Vec::new();
                        for (n, l) in LONG {
                            let set = get_opt(sh, *l);
                            if on {
                                o.extend_from_slice(n.as_bytes());
                                o.extend(std::iter::repeat_n(b' ', 16usize.saturating_sub(n.len())));
                                o.extend_from_slice(if set { b"on\n" } else { b"off\n" });
                            } else {
                                o.extend_from_slice(if set { b"set -o " } else { b"set +o " });
                                o.extend_from_slice(n.as_bytes());
                                o.push(b'\n');
                            }
                        }
                        out(sh, &o);
                    }
                    Some(name) => {
                        i += 1;
                        match long_opt(name) {
                            Some(l) => {
                                set_opt(sh, l, on);
                            }
                            None => {
                                return Err(sh.fatal(&[b"illegal option -o ", name]));
                            }
                        }
                    }
                }
                continue;
            }
            if c == b'i' || c == b's' || !set_opt(sh, c, on) {
                return Err(sh.fatal(&[b"illegal option -", &[c]]));
            }
        }
    }
    if i < a.len() || a.get(i - 1).is_some_and(|x| x == b"-") {
        sh.pos = a[i.min(a.len())..].to_vec();
    }
    Ok(0)
}

pub fn shift(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let n = match a.get(1) {
        Some(s) => number(sh, s)? as usize,
        None => 1,
    };
    if n > sh.pos.len() {
        // ash: status 1 and no message.
        return Ok(1);
    }
    sh.pos.drain(..n);
    Ok(0)
}

/// `times`: user and system time of the shell, then of its children, as ash prints them
/// (`0m1.250s 0m0.010s`).
pub fn times(sh: &mut Shell, _: &[Vec<u8>]) -> R {
    // SAFETY: tms is plain data filled by times(2); sysconf has no side effects.
    let (t, hz) = unsafe {
        let mut t: libc::tms = std::mem::zeroed();
        libc::times(&mut t);
        (t, libc::sysconf(libc::_SC_CLK_TCK).max(1) as u64)
    };
    let mut o = Vec::with_capacity(80);
    let mut b = [0u8; 20];
    for (v, end) in [(t.tms_utime, b' '), (t.tms_stime, b'\n'), (t.tms_cutime, b' '), (t.tms_cstime, b'\n')] {
        let (sec, frac) = (v as u64 / hz, v as u64 % hz);
        o.extend_from_slice(crate::cx::fmt_u64(sec / 60, &mut b));
        o.push(b'm');
        o.extend_from_slice(crate::cx::fmt_u64(sec % 60, &mut b));
        o.push(b'.');
        let ms = frac * 1000 / hz;
        o.extend_from_slice(&[b'0' + (ms / 100 % 10) as u8, b'0' + (ms / 10 % 10) as u8, b'0' + (ms % 10) as u8, b's', end]);
    }
    out(sh, &o);
    Ok(0)
}

pub fn trap(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let mut args = &a[1..];
    if args.first().is_some_and(|x| x == b"--") {
        args = &args[1..];
    }
    // `trap` and `trap -p [SIG...]`: the traps set, in a form that re-parses.
    if args.is_empty() || args[0] == b"-p" {
        let which: Vec<usize> = if args.len() > 1 {
            args[1..]
                .iter()
                .filter_map(|s| signal(s).map(|n| n as usize))
                .collect()
        } else {
            (0..65).collect()
        };
        let mut o = Vec::new();
        let traps = sh.inherited.as_ref().unwrap_or(&sh.traps);
        for i in which {
            if let Some(t) = traps.get(i).and_then(|t| t.as_ref()) {
                o.extend_from_slice(b"trap -- ");
                o.extend_from_slice(&sq(t));
                o.push(b' ');
                o.extend_from_slice(&signame(i as i32));
                o.push(b'\n');
            }
        }
        out(sh, &o);
        return Ok(0);
    }
    // A first operand that is a signal number alone means "reset these".
    let (action, sigs) = if signal(&args[0]).is_some() && args[0].iter().all(|c| c.is_ascii_digit()) {
        (None, args)
    } else {
        let act = if args[0] == b"-" { None } else { Some(args[0].clone()) };
        (act, &args[1..])
    };
    let mut st = 0;
    sh.inherited = None;
    for s in sigs {
        match signal(s) {
            Some(n) => sh.trap_signal(n as usize, action.clone()),
            None => {
                sh.msg(&[s, b": invalid signal specification"]);
                st = 1;
            }
        }
    }
    Ok(st)
}

pub fn unset(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let mut func = false;
    let mut i = 1;
    while let Some(f) = a.get(i) {
        match f.as_slice() {
            b"-f" => func = true,
            b"-v" => func = false,
            b"--" => {
                i += 1;
                break;
            }
            _ => break,
        }
        i += 1;
    }
    for n in &a[i.min(a.len())..] {
        if func {
            sh.funcs.remove(n);
            continue;
        }
        if !is_valid_name(n) {
            return Err(sh.fatal(&[n, b": bad variable name"]));
        }
        if sh.vars.unset(n).is_err() {
            return Err(sh.fatal(&[n, b": is read only"]));
        }
        if n == b"PATH" {
            sh.hash.clear();
        }
    }
    Ok(0)
}
