//! `echo` (the echo applet's code, in-process) and `read`.

use super::super::exec::{Shell, R};
use super::super::expand::{dec32, udec};
use super::super::parse::is_valid_name;
use crate::sys;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn echo(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let argv: Vec<&OsStr> = a.iter().map(|x| OsStr::from_bytes(x)).collect();
    let mut cx = crate::Cx::new("echo", crate::Help::NONE);
    let st = crate::applets::a_echo::main(&mut cx, &argv).unwrap_or_else(|f| f.0);
    cx.out.flush();
    match cx.out.err {
        0 => Ok(st),
        libc::EPIPE => Ok(1),
        e => {
            // ash's own wording: `sh: write error: ...`, no builtin name.
            let mut m = sh.arg0.clone();
            m.extend_from_slice(b": write error: ");
            m.extend_from_slice(sys::strerror(e));
            m.push(b'\n');
            let _ = sys::write_all(2, &m);
            Ok(1)
        }
    }
}

/// printf: the shared format engine; messages read `sh: ...` as ash's builtin prints them.
pub fn printf(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let mut ops: Vec<&[u8]> = a.iter().skip(1).map(|x| &x[..]).collect();
    if ops.first() == Some(&&b"--"[..]) {
        ops.remove(0);
    }
    let Some((fmt, rest)) = ops.split_first() else {
        let _ = sys::write_all(2, &[&sh.arg0[..], b": usage: printf FORMAT [ARGUMENT...]\n"].concat());
        return Ok(2);
    };
    let mut argv = crate::printf::Argv::new(rest);
    let mut out = crate::cx::Out::new(1);
    let arg0 = sh.arg0.clone();
    let mut m = Vec::new();
    let st = crate::printf::run(fmt, &mut argv, &mut out, &mut |parts| {
        m.clear();
        m.extend_from_slice(&arg0);
        m.extend_from_slice(b": ");
        for p in parts {
            m.extend_from_slice(p);
        }
        m.push(b'\n');
        let _ = sys::write_all(2, &m);
    });
    out.flush();
    if out.err != 0 && out.err != libc::EPIPE {
        sh.msg(&[b"write error: ", sys::strerror(out.err)]);
        return Ok(1);
    }
    Ok(st)
}

/// `SECONDS[.FRACTION]` in microseconds (no float parsing: it costs 15 KB).
fn micros(s: &[u8]) -> Option<u64> {
    let (int, frac) = match s.iter().position(|&c| c == b'.') {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, &[][..]),
    };
    // As ash: digits first (`.5` is refused, `5.` taken).
    if int.is_empty() || !int.iter().chain(frac).all(u8::is_ascii_digit) {
        return None;
    }
    let mut us = int.iter().try_fold(0u64, |n, &d| n.checked_mul(10)?.checked_add((d - b'0') as u64))?;
    us = us.checked_mul(1_000_000)?;
    let mut scale = 100_000;
    for &d in frac.iter().take(6) {
        us += (d - b'0') as u64 * scale;
        scale /= 10;
    }
    Some(us)
}

pub fn read(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let (mut raw, mut silent, mut edit) = (false, false, false);
    let mut prompt: Option<Vec<u8>> = None;
    let mut init: Vec<u8> = Vec::new();
    // Microseconds.
    let mut timeout: Option<u64> = None;
    let mut nchars: Option<usize> = None;
    let mut fd = 0;
    let mut delim = b'\n';
    let mut i = 1;
    while let Some(arg) = a.get(i) {
        if arg == b"--" {
            i += 1;
            break;
        }
        if arg.len() < 2 || arg[0] != b'-' {
            break;
        }
        i += 1;
        let mut k = 1;
        while k < arg.len() {
            let c = arg[k];
            k += 1;
            let mut val = || -> Option<Vec<u8>> {
                if k < arg.len() {
                    let v = arg[k..].to_vec();
                    k = arg.len();
                    Some(v)
                } else {
                    i += 1;
                    a.get(i - 1).cloned()
                }
            };
            match c {
                b'r' => raw = true,
                b's' => silent = true,
                b'e' => edit = true,
                b'p' | b't' | b'n' | b'u' | b'd' | b'i' => {
                    let Some(v) = val() else {
                        sh.msg(&[b"option requires an argument -- ", &[c]]);
                        return Ok(2);
                    };
                    match c {
                        b'p' => prompt = Some(v),
                        b'i' => init = v,
                        b't' => match micros(&v) {
                            Some(t) => timeout = Some(t),
                            _ => {
                                sh.msg(&[b"invalid timeout"]);
                                return Ok(2);
                            }
                        },
                        b'n' => match udec(&v) {
                            Some(n) => nchars = Some(n as usize),
                            None => {
                                sh.msg(&[b"invalid count"]);
                                return Ok(2);
                            }
                        },
                        b'u' => match dec32(&v) {
                            Some(n) => fd = n,
                            None => {
                                sh.msg(&[b"invalid file descriptor"]);
                                return Ok(2);
                            }
                        },
                        _ => delim = v.first().copied().unwrap_or(0),
                    }
                }
                _ => {
                    sh.msg(&[b"illegal option -", &[c]]);
                    return Ok(2);
                }
            }
        }
    }
    let names: Vec<Vec<u8>> = a[i.min(a.len())..].to_vec();
    for n in &names {
        if !is_valid_name(n) {
            sh.msg(&[b"'", n, b"': not a valid identifier"]);
            return Ok(1);
        }
    }
    // `-e` (bash's): the line editor reads the line when there is a terminal for it and
    // nothing asks for a byte-wise read (-n, -t, -d, -s); the text goes through the same
    // backslash and splitting rules.
    let mut line = Vec::new();
    // Which bytes of `line` came escaped (never split).
    let mut esc = Vec::new();
    let mut st = 0;
    let edited = if edit && !silent && nchars.is_none() && timeout.is_none() && delim == b'\n' {
        super::super::interactive::read_edited(sh, fd, prompt.as_deref().unwrap_or(b""), &init)
    } else {
        None
    };
    if let Some(input) = edited {
        use crate::lineedit::Input;
        match input {
            Input::Line(l) => {
                let mut it = l.into_iter();
                while let Some(c) = it.next() {
                    if c == b'\\' && !raw {
                        // A trailing backslash escapes the newline: dropped.
                        if let Some(n) = it.next() {
                            line.push(n);
                            esc.push(true);
                        }
                        continue;
                    }
                    line.push(c);
                    esc.push(false);
                }
            }
            Input::Eof => st = 1,
            Input::Interrupt => {
                // Ctrl-C in raw mode sent no signal: send it, so the script ends or the
                // trap runs as for a ^C at a plain read (bash: status 130).
                // SAFETY: raising a signal at ourselves.
                unsafe { libc::raise(libc::SIGINT) };
                return Ok(130);
            }
        }
        return read_assign(sh, &names, &line, &esc, st);
    }
    if let Some(p) = &prompt {
        if sys::isatty(fd) {
            let _ = sys::write_all(2, p);
        }
    }
    let tty_saved = if silent && sys::isatty(fd) { no_echo(fd) } else { None };
    // Byte by byte, so what follows the line stays for the next reader (POSIX).
    if timeout == Some(0) {
        // `-t 0`: only whether input is ready.
        let mut p = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
        // SAFETY: one valid pollfd.
        let r = unsafe { libc::poll(&mut p, 1, 0) };
        return Ok(if r > 0 { 0 } else { 1 });
    }
    let deadline = timeout.map(|t| std::time::Instant::now() + std::time::Duration::from_micros(t));
    loop {
        if nchars.is_some_and(|n| line.len() >= n) {
            break;
        }
        if let Some(d) = deadline {
            let left = d.saturating_duration_since(std::time::Instant::now());
            let mut p = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
            // SAFETY: one valid pollfd.
            let r = unsafe { libc::poll(&mut p, 1, left.as_millis().min(i32::MAX as u128) as i32) };
            if r == 0 {
                st = 142; // ash: 128 + SIGALRM
                break;
            }
        }
        let mut b = [0u8; 1];
        match sys::read(fd, &mut b) {
            Ok(1) => {}
            Ok(_) => {
                st = 1;
                break;
            }
            Err(e) => {
                sh.msg(&[b"read error: ", sys::strerror(e)]);
                st = 1;
                break;
            }
        }
        let c = b[0];
        if c == delim {
            break;
        }
        if c == b'\\' && !raw {
            let mut n = [0u8; 1];
            match sys::read(fd, &mut n) {
                Ok(1) if n[0] == b'\n' => continue,
                Ok(1) => {
                    line.push(n[0]);
                    esc.push(true);
                    continue;
                }
                _ => {
                    st = 1;
                    break;
                }
            }
        }
        line.push(c);
        esc.push(false);
    }
    if let Some(t) = tty_saved {
        // SAFETY: restoring the terminal settings read before.
        unsafe { libc::tcsetattr(fd, libc::TCSANOW, &t) };
    }
    read_assign(sh, &names, &line, &esc, st)
}

/// Splits what `read` read into the names by IFS (REPLY takes it whole); the status.
fn read_assign(sh: &mut Shell, names: &[Vec<u8>], line: &[u8], esc: &[bool], st: i32) -> R {
    let ifs = sh.vars.get(b"IFS").unwrap_or(b" \t\n").to_vec();
    if names.is_empty() {
        // REPLY gets the line as read, white space and all (ash).
        sh.setvar(b"REPLY", line)?;
        return Ok(st);
    }
    let is_ifs = |k: usize| !esc[k] && ifs.contains(&line[k]);
    let is_ws = |k: usize| is_ifs(k) && matches!(line[k], b' ' | b'\t' | b'\n');
    let mut k = 0;
    let n = line.len();
    for (idx, name) in names.iter().enumerate() {
        while k < n && is_ws(k) {
            k += 1;
        }
        let start = k;
        let val = if idx + 1 == names.len() {
            // The last name takes the rest, trailing IFS white space removed.
            let mut e = n;
            while e > start && is_ws(e - 1) {
                e -= 1;
            }
            k = n;
            line[start..e].to_vec()
        } else {
            while k < n && !is_ifs(k) {
                k += 1;
            }
            let v = line[start..k].to_vec();
            // Past one delimiter: white space, at most one other IFS character, white space.
            while k < n && is_ws(k) {
                k += 1;
            }
            if k < n && is_ifs(k) && !is_ws(k) {
                k += 1;
            }
            v
        };
        sh.setvar(name, &val)?;
    }
    Ok(st)
}

fn no_echo(fd: i32) -> Option<libc::termios> {
    // SAFETY: termios is plain data filled by tcgetattr.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(fd, &mut t) != 0 {
            return None;
        }
        let old = t;
        t.c_lflag &= !libc::ECHO;
        libc::tcsetattr(fd, libc::TCSANOW, &t);
        Some(old)
    }
}
