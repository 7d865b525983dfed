//! The regular builtins that are not about directories or input: test, getopts, type,
//! command, hash, alias, umask, ulimit, kill, true, false, let, help.

use super::super::exec::{Found, Shell, R};
use super::super::expand::{dec32, num, udec};
use super::super::parse::is_valid_name;
use super::{out, signal, signame};
use crate::applets::a_test;
use crate::sys;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn true_(_: &mut Shell, _: &[Vec<u8>]) -> R {
    Ok(0)
}

pub fn false_(_: &mut Shell, _: &[Vec<u8>]) -> R {
    Ok(1)
}

/// test, `[` and `[[`: the test applet's evaluator; its messages read `sh: ...`.
pub fn test(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    // Most tests have a few arguments: those go on the stack, not in a new vector.
    let mut small = [OsStr::new(""); 8];
    let heap: Vec<&OsStr>;
    let args: &[&OsStr] = if a.len() <= 9 {
        for (d, x) in small.iter_mut().zip(&a[1..]) {
            *d = OsStr::from_bytes(x);
        }
        &small[..a.len() - 1]
    } else {
        heap = a[1..].iter().map(|x| OsStr::from_bytes(x)).collect();
        &heap
    };
    let m = |sh: &Shell, parts: &[&[u8]]| {
        let mut v = sh.arg0.clone();
        v.extend_from_slice(b": ");
        for p in parts {
            v.extend_from_slice(p);
        }
        v.push(b'\n');
        let _ = sys::write_all(2, &v);
    };
    match a_test::run(&a[0], args) {
        Ok(t) => Ok(!t as i32),
        Err(a_test::Error::Msg(Some(op), msg)) => {
            m(sh, &[op, b": ", msg.as_bytes()]);
            Ok(2)
        }
        Err(a_test::Error::Msg(None, msg)) => {
            m(sh, &[msg.as_bytes()]);
            Ok(2)
        }
        Err(a_test::Error::Quiet) => Ok(2),
    }
}

pub fn getopts(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let (Some(spec), Some(name)) = (a.get(1), a.get(2)) else {
        sh.msg(&[b"usage: getopts optstring var [arg...]"]);
        return Ok(2);
    };
    let args: Vec<Vec<u8>> = if a.len() > 3 { a[3..].to_vec() } else { sh.pos.clone() };
    let silent = spec.starts_with(b":");
    let spec = if silent { &spec[1..] } else { &spec[..] };
    let optind = sh
        .vars
        .get(b"OPTIND")
        .and_then(|v| udec(v).map(|n| n as usize))
        .unwrap_or(1)
        .max(1);
    // As ash: OPTIND names the next argument as soon as one is entered; the position in
    // a group (`-xy`) is kept apart.
    let (cur, mut pos) = if sh.optpos > 0 { (optind - 1, sh.optpos) } else { (optind, 0) };
    let done = |sh: &mut Shell, ind: usize| -> R {
        sh.setvar(b"OPTIND", &num(ind as i64))?;
        sh.optpos = 0;
        sh.setvar(name, b"?")?;
        let _ = sh.vars.unset(b"OPTARG");
        Ok(1)
    };
    let Some(x) = args.get(cur.wrapping_sub(1)).cloned() else {
        return done(sh, cur);
    };
    if pos == 0 {
        if x == b"--" {
            return done(sh, cur + 1);
        }
        if x.len() < 2 || x[0] != b'-' {
            return done(sh, cur);
        }
        pos = 1;
    }
    let Some(&c) = x.get(pos) else {
        return done(sh, cur + 1);
    };
    pos += 1;
    let at_end = pos >= x.len();
    let k = spec.iter().position(|&s| s == c && s != b':');
    let takes = k.is_some_and(|k| spec.get(k + 1) == Some(&b':'));
    let mut next = cur + 1;
    let mut keep = if at_end { 0 } else { pos };
    let _ = sh.vars.unset(b"OPTARG");
    match k {
        None => {
            if silent {
                sh.setvar(b"OPTARG", &[c])?;
            } else {
                let _ = sys::write_all(2, &[b"Illegal option -", &[c][..], b"\n"].concat());
            }
            sh.setvar(name, b"?")?;
        }
        Some(_) if takes => {
            keep = 0;
            let val = if !at_end {
                Some(x[pos..].to_vec())
            } else {
                next += 1;
                args.get(cur).cloned()
            };
            match val {
                Some(v) => {
                    sh.setvar(b"OPTARG", &v)?;
                    sh.setvar(name, &[c])?;
                }
                None => {
                    next = cur + 1;
                    if silent {
                        sh.setvar(b"OPTARG", &[c])?;
                        sh.setvar(name, b":")?;
                    } else {
                        let _ = sys::write_all(2, &[b"No arg for -", &[c][..], b" option\n"].concat());
                        sh.setvar(name, b"?")?;
                    }
                }
            }
        }
        Some(_) => {
            sh.setvar(b"OPTARG", b"")?;
            sh.setvar(name, &[c])?;
        }
    }
    sh.setvar(b"OPTIND", &num(next as i64))?;
    sh.optpos = keep;
    Ok(0)
}

const KEYWORDS: &[&[u8]] = &[
    b"!", b"case", b"do", b"done", b"elif", b"else", b"esac", b"fi", b"for", b"if", b"in",
    b"then", b"until", b"while", b"{", b"}",
];

/// What a name is, for `type` and `command -v/-V`: (short form, long form), None if none.
fn describe(sh: &mut Shell, n: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    if KEYWORDS.contains(&n) {
        return Some((n.to_vec(), [n, b" is a shell keyword"].concat()));
    }
    if let Some(v) = sh.aliases.get(n) {
        return Some((
            [b"alias ", n, b"=", &super::special::sq(v)].concat(),
            [n, b" is an alias for ", v].concat(),
        ));
    }
    if let Some(b) = super::find(n) {
        if b.special {
            return Some((n.to_vec(), [n, b" is a special shell builtin"].concat()));
        }
    }
    if sh.funcs.contains_key(n) {
        return Some((n.to_vec(), [n, b" is a shell function"].concat()));
    }
    if super::find(n).is_some() {
        return Some((n.to_vec(), [n, b" is a shell builtin"].concat()));
    }
    // An rbox applet reached by name (no link in PATH) reads as BusyBox's: `cat is cat`.
    match sh.lookup(n) {
        Some(Found::Path(p)) if !n.contains(&b'/') && sh.exe.as_ref() == Some(&p) => {
            Some((n.to_vec(), [n, b" is ", n].concat()))
        }
        Some(Found::Path(p)) => Some((p.clone(), [n, b" is ", &p].concat())),
        Some(Found::Applet(_)) => Some((n.to_vec(), [n, b" is ", n].concat())),
        None => None,
    }
}

pub fn type_(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let mut st = 0;
    // `type -p`: short forms, as `command -v` (ash takes the letter).
    let short = a.get(1).is_some_and(|x| x == b"-p");
    for n in &a[1 + short as usize..] {
        match describe(sh, n) {
            Some((s, _)) if short => {
                out(sh, &[&s[..], b"\n"].concat());
            }
            None if short => st = 127,
            Some((_, l)) => {
                out(sh, &[&l[..], b"\n"].concat());
            }
            None => {
                out(sh, &[&n[..], b": not found\n"].concat());
                st = 127;
            }
        }
    }
    Ok(st)
}

pub fn command(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let (mut v, mut vv, mut p) = (false, false, false);
    let mut i = 1;
    while let Some(f) = a.get(i) {
        if f == b"--" {
            i += 1;
            break;
        }
        if f.len() < 2 || f[0] != b'-' {
            break;
        }
        for &c in &f[1..] {
            match c {
                b'v' => v = true,
                b'V' => vv = true,
                b'p' => p = true,
                _ => {
                    sh.msg(&[b"illegal option -", &[c]]);
                    return Ok(2);
                }
            }
        }
        i += 1;
    }
    let Some(name) = a.get(i) else {
        return Ok(0);
    };
    if v || vv {
        return Ok(match describe(sh, name) {
            Some((s, l)) => {
                out(sh, &[if vv { l } else { s }, b"\n".to_vec()].concat());
                0
            }
            None => {
                if vv {
                    out(sh, &[&name[..], b": not found\n"].concat());
                }
                127
            }
        });
    }
    let args = &a[i..];
    sh.cmdname = sh.script.clone().map(Into::into);
    // `command NAME`: no function lookup; builtins, then PATH (the default one with -p).
    if let Some(b) = super::find(name) {
        return sh.builtin(b, args);
    }
    let saved_path = if p {
        let old = sh.vars.get(b"PATH").map(|x| x.to_vec());
        let _ = sh.vars.set(b"PATH", b"/bin:/usr/bin:/sbin:/usr/sbin");
        sh.hash.clear();
        Some(old)
    } else {
        None
    };
    let found = sh.lookup(name);
    if let Some(old) = saved_path {
        let _ = sh.vars.set(b"PATH", &old.unwrap_or_default());
        sh.hash.clear();
    }
    if let Some(Found::Applet(ap)) = found {
        return Ok(sh.applet(ap, args));
    }
    let jc = super::super::jobs::active(sh); // job control
    match sh.fork()? {
        0 => {
            if jc {
                super::super::jobs::child(sh, 0, true);
            }
            let st = sh.exec_argv(found, args);
            // SAFETY: ending the forked child.
            unsafe { libc::_exit(st) }
        }
        pid if jc || super::super::jobs::waits(sh) => {
            let mut pgid = 0;
            let mut t = Vec::new();
            if jc {
                super::super::jobs::parent(pid, &mut pgid);
                t = super::super::jobs::text_args(a, &[]); // as typed, `command` too
            }
            super::super::jobs::foreground(sh, pgid, vec![(pid, t)])
        }
        pid => Ok(sh.wait_pid(pid)),
    }
}

/// `hash [-r] [NAME...]`, as ash: `-r` forgets everything; no name lists the remembered
/// programs (not builtins, functions or in-process applets) in ash's table order; each
/// NAME is looked up afresh, `NAME: not found` when nothing answers to it.
pub fn hash(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let mut args = &a[1..];
    while let Some(x) = args.first().filter(|x| x.len() > 1 && x[0] == b'-') {
        args = &args[1..];
        if x == b"--" {
            break;
        }
        for &c in &x[1..] {
            if c != b'r' {
                sh.msg(&[b"illegal option -", &[c]]);
                return Ok(2);
            }
        }
        sh.hash.clear();
        return Ok(0);
    }
    if args.is_empty() {
        // ash's table: 31 buckets by a sum of the name's bytes, each in the order the
        // names were entered (here by name: a collision's order is not kept).
        // Keys of the bucket's number, then the name, sorted; the paths looked up after.
        let mut v: Vec<Vec<u8>> = sh
            .hash
            .iter()
            .filter_map(|(n, f)| match f {
                // An applet without a link runs as rbox itself: ash lists no applets.
                Found::Path(p) if Some(p) != sh.exe.as_ref() => Some([&[bucket(n, 31) as u8], &n[..]].concat()),
                _ => None,
            })
            .collect();
        super::super::vars::sort(&mut v);
        let mut o = Vec::new();
        for k in v {
            if let Some(Found::Path(p)) = sh.hash.get(&k[1..]) {
                o.extend_from_slice(p);
                o.push(b'\n');
            }
        }
        out(sh, &o);
        return Ok(0);
    }
    let mut st = 0;
    for n in args {
        if n.contains(&b'/') || sh.funcs.contains_key(&n[..]) || super::find(n).is_some() {
            continue;
        }
        sh.hash.remove(&n[..]);
        if sh.lookup(n).is_none() {
            sh.msg(&[n, b": not found"]);
            st = 1;
        }
    }
    Ok(st)
}

/// The bucket of ash's command (31) and alias (39) tables a name falls in.
fn bucket(n: &[u8], size: u32) -> u32 {
    let h = n.iter().fold((n.first().copied().unwrap_or(0) as u32) << 4, |h, &c| h.wrapping_add(c as u32));
    (h & 0x7fff) % size
}

pub fn alias(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    if a.len() == 1 {
        // ash's order: its table's 39 buckets (a sum of the name's bytes), then by name
        // (ash keeps the order of definition within a bucket).
        let mut v: Vec<Vec<u8>> = sh.aliases.keys().map(|n| [&[bucket(n, 39) as u8], &n[..]].concat()).collect();
        super::super::vars::sort(&mut v);
        let mut o = Vec::new();
        for k in v {
            let k = &k[1..];
            let val = sh.aliases.get(k).map_or(&[][..], |x| &x[..]);
            o.extend_from_slice(&[&k[..], b"=", &super::special::sq(val), b"\n"].concat());
        }
        out(sh, &o);
        return Ok(0);
    }
    let mut st = 0;
    for x in &a[1..] {
        match x.iter().position(|&c| c == b'=') {
            Some(i) => {
                sh.aliases.insert(x[..i].to_vec(), x[i + 1..].to_vec());
            }
            None => match sh.aliases.get(x) {
                Some(v) => {
                    let l = [&x[..], b"=", &super::special::sq(v), b"\n"].concat();
                    out(sh, &l);
                }
                None => {
                    let _ = sys::write_all(2, &[b"alias: ", &x[..], b" not found\n"].concat());
                    st = 1;
                }
            },
        }
    }
    Ok(st)
}

pub fn unalias(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let mut st = 0;
    for x in &a[1..] {
        if x == b"-a" {
            sh.aliases.clear();
        } else if sh.aliases.remove(x).is_none() {
            let _ = sys::write_all(2, &[b"unalias: ", &x[..], b" not found\n"].concat());
            st = 1;
        }
    }
    Ok(st)
}

/// The new mask from a symbolic mode (`u+w,g=rx`) applied to `mask`.
fn symbolic(mask: u32, m: &[u8]) -> Option<u32> {
    let mut perm = !mask & 0o777;
    for clause in m.split(|&c| c == b',') {
        let mut i = 0;
        let mut who = 0u32;
        while let Some(&c) = clause.get(i) {
            match c {
                b'u' => who |= 0o700,
                b'g' => who |= 0o070,
                b'o' => who |= 0o007,
                b'a' => who |= 0o777,
                _ => break,
            }
            i += 1;
        }
        if who == 0 {
            who = 0o777;
        }
        if i >= clause.len() {
            return None;
        }
        while i < clause.len() {
            let op = clause[i];
            if !matches!(op, b'+' | b'-' | b'=') {
                return None;
            }
            i += 1;
            let mut bits = 0u32;
            while let Some(&c) = clause.get(i) {
                match c {
                    b'r' => bits |= 0o444,
                    b'w' => bits |= 0o222,
                    b'x' => bits |= 0o111,
                    b'+' | b'-' | b'=' => break,
                    _ => return None,
                }
                i += 1;
            }
            let bits = bits & who;
            match op {
                b'+' => perm |= bits,
                b'-' => perm &= !bits,
                _ => perm = (perm & !who) | bits,
            }
        }
    }
    Some(!perm & 0o777)
}

pub fn umask(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    // SAFETY: umask only sets the mask; it is put back at once.
    let cur = unsafe {
        let m = libc::umask(0);
        libc::umask(m);
        m as u32
    };
    let sym = a.get(1).is_some_and(|x| x == b"-S");
    let arg = a.get(if sym { 2 } else { 1 });
    if let Some(x) = arg.filter(|x| x.len() > 1 && x[0] == b'-' && !x[1].is_ascii_digit()) {
        sh.msg(&[b"illegal option ", x]);
        return Ok(2);
    }
    let Some(m) = arg else {
        let s = if sym {
            let p = !cur & 0o777;
            let part = |sh: u32| {
                let b = (p >> sh) & 7;
                let mut s = String::new();
                if b & 4 != 0 {
                    s.push('r');
                }
                if b & 2 != 0 {
                    s.push('w');
                }
                if b & 1 != 0 {
                    s.push('x');
                }
                s
            };
            ["u=", &part(6), ",g=", &part(3), ",o=", &part(0), "\n"].concat()
        } else {
            let d = |sh: u32| (b'0' + ((cur >> sh) & 7) as u8) as char;
            [d(9), d(6), d(3), d(0), '\n'].iter().collect()
        };
        out(sh, s.as_bytes());
        return Ok(0);
    };
    let new = if m.first().is_some_and(|c| c.is_ascii_digit()) {
        let ok = m.iter().all(|c| (b'0'..=b'7').contains(c)) && m.len() <= 4;
        if !ok {
            return Err(sh.fatal(&[b"illegal mode: ", m]));
        }
        m.iter().fold(0u32, |n, d| n * 8 + (d - b'0') as u32)
    } else {
        match symbolic(cur, m) {
            Some(n) => n,
            None => return Err(sh.fatal(&[b"illegal mode: ", m])),
        }
    };
    // SAFETY: setting the process's mask.
    unsafe { libc::umask(new as libc::mode_t) };
    Ok(0)
}

// glibc types the resource as an unsigned enum, musl as int.
#[cfg(target_env = "gnu")]
type Resource = libc::__rlimit_resource_t;
#[cfg(not(target_env = "gnu"))]
type Resource = libc::c_int;

const LIMITS: &[(u8, &str, Resource, u64)] = &[
    (b'c', "core file size (blocks)", libc::RLIMIT_CORE, 512),
    (b'd', "data seg size (kb)", libc::RLIMIT_DATA, 1024),
    (b'e', "scheduling priority", libc::RLIMIT_NICE, 1),
    (b'f', "file size (blocks)", libc::RLIMIT_FSIZE, 512),
    (b'i', "pending signals", libc::RLIMIT_SIGPENDING, 1),
    (b'l', "max locked memory (kb)", libc::RLIMIT_MEMLOCK, 1024),
    (b'm', "max memory size (kb)", libc::RLIMIT_RSS, 1024),
    (b'n', "open files", libc::RLIMIT_NOFILE, 1),
    (b'q', "POSIX message queues (bytes)", libc::RLIMIT_MSGQUEUE, 1),
    (b'r', "real-time priority", libc::RLIMIT_RTPRIO, 1),
    (b's', "stack size (kb)", libc::RLIMIT_STACK, 1024),
    (b't', "cpu time (seconds)", libc::RLIMIT_CPU, 1),
    (b'u', "max user processes", libc::RLIMIT_NPROC, 1),
    (b'v', "virtual memory (kb)", libc::RLIMIT_AS, 1024),
    (b'x', "file locks", libc::RLIMIT_LOCKS, 1),
];

pub fn ulimit(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let (mut hard, mut soft, mut all) = (false, false, false);
    let mut which = b'f';
    let mut val = None;
    for x in &a[1..] {
        if x.len() > 1 && x[0] == b'-' {
            for &c in &x[1..] {
                match c {
                    b'H' => hard = true,
                    b'S' => soft = true,
                    b'a' => all = true,
                    c if LIMITS.iter().any(|l| l.0 == c) => which = c,
                    _ => {
                        sh.msg(&[b"illegal option -", &[c]]);
                        return Ok(2);
                    }
                }
            }
        } else {
            val = Some(x.clone());
        }
    }
    if !hard && !soft {
        soft = val.is_none();
        hard = val.is_some();
        if val.is_some() {
            soft = true;
        }
    }
    let get = |res| {
        // SAFETY: rlimit is plain data filled by getrlimit.
        unsafe {
            let mut r: libc::rlimit = std::mem::zeroed();
            libc::getrlimit(res, &mut r);
            r
        }
    };
    let show = |r: &libc::rlimit, unit: u64| -> String {
        let v = if hard && !soft { r.rlim_max } else { r.rlim_cur };
        if v == libc::RLIM_INFINITY {
            "unlimited".into()
        } else {
            String::from_utf8_lossy(&num((v / unit) as i64)).into_owned()
        }
    };
    if all {
        let mut o = String::new();
        for (c, d, res, unit) in LIMITS {
            let r = get(*res);
            o.push_str(d);
            o.extend(std::iter::repeat_n(' ', 32usize.saturating_sub(d.len())));
            o.push_str("(-");
            o.push(*c as char);
            o.push_str(") ");
            o.push_str(&show(&r, *unit));
            o.push('\n');
        }
        out(sh, o.as_bytes());
        return Ok(0);
    }
    let Some(&(_, _, res, unit)) = LIMITS.iter().find(|l| l.0 == which) else {
        return Ok(2);
    };
    let mut r = get(res);
    match val {
        None => {
            out(sh, [show(&r, unit).as_str(), "\n"].concat().as_bytes());
            Ok(0)
        }
        Some(v) => {
            let n = if v == b"unlimited" {
                libc::RLIM_INFINITY
            } else {
                match udec(&v) {
                    Some(n) => n.saturating_mul(unit),
                    None => return Err(sh.fatal(&[b"bad number"])),
                }
            };
            if hard {
                r.rlim_max = n;
            }
            if soft {
                r.rlim_cur = n;
            }
            // SAFETY: setting a limit from a filled struct.
            if unsafe { libc::setrlimit(res, &r) } != 0 {
                sh.msg(&[b"error setting limit: ", sys::strerror(sys::errno())]);
                return Ok(1);
            }
            Ok(0)
        }
    }
}

pub fn kill(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let pr = |sh: &Shell, parts: &[&[u8]]| {
        let mut v = sh.arg0.clone();
        v.extend_from_slice(b": ");
        for p in parts {
            v.extend_from_slice(p);
        }
        v.push(b'\n');
        let _ = sys::write_all(2, &v);
    };
    let mut sig = libc::SIGTERM;
    let mut i = 1;
    match a.get(1).map(|x| &x[..]) {
        Some(b"-l") | Some(b"-L") => {
            if a.len() > 2 {
                for x in &a[2..] {
                    let n = if x.iter().all(|c| c.is_ascii_digit()) {
                        let n = dec32(x).unwrap_or(0);
                        signame(if n > 128 { n - 128 } else { n })
                    } else {
                        match signal(x) {
                            Some(n) => num(n as i64),
                            None => {
                                pr(sh, &[b"bad signal name '", x, b"'"]);
                                return Ok(1);
                            }
                        }
                    };
                    out(sh, &[&n[..], b"\n"].concat());
                }
                return Ok(0);
            }
            let mut o = Vec::new();
            crate::signals::list(&mut o);
            out(sh, &o);
            return Ok(0);
        }
        Some(b"-s") | Some(b"-n") => {
            let Some(s) = a.get(2) else {
                pr(sh, &[b"option requires an argument -- s"]);
                return Ok(1);
            };
            match signal(s) {
                Some(n) => sig = n,
                None => {
                    pr(sh, &[b"bad signal name '", s, b"'"]);
                    return Ok(1);
                }
            }
            i = 3;
        }
        Some(x) if x.len() > 1 && x[0] == b'-' && x != b"--" => {
            match signal(&x[1..]) {
                Some(n) => sig = n,
                None => {
                    pr(sh, &[b"bad signal name '", &x[1..], b"'"]);
                    return Ok(1);
                }
            }
            i = 2;
        }
        _ => {}
    }
    if a.get(i).is_some_and(|x| x == b"--") {
        i += 1;
    }
    if i >= a.len() {
        pr(sh, &[b"you need to specify whom to kill"]);
        return Ok(1);
    }
    let mut st = 0;
    for x in &a[i..] {
        if x.starts_with(b"%") {
            // job control: `kill %N`
            match super::super::jobs::kill(sh, x, sig) {
                Ok(()) => {}
                Err(2) => return Ok(2),
                Err(e) => st = e,
            }
            continue;
        }
        let Some(pid) = dec32(x) else {
            pr(sh, &[b"can't kill pid ", x, b": No such process"]);
            st = 1;
            continue;
        };
        // SAFETY: kill(2) with user-given pid and signal.
        if unsafe { libc::kill(pid, sig) } != 0 {
            pr(sh, &[b"can't kill pid ", x, b": ", sys::strerror(sys::errno())]);
            st = 1;
        }
    }
    Ok(st)
}

pub fn let_(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    if a.len() < 2 {
        sh.msg(&[b"expression expected"]);
        return Ok(2);
    }
    let mut v = 0;
    for e in &a[1..] {
        // An error in `let` fails the command, not the shell (ash).
        v = match sh.arith(e) {
            Ok(v) => v,
            Err(super::super::exec::Flow::Exit(s)) => return Ok(s),
            Err(f) => return Err(f),
        };
    }
    Ok((v == 0) as i32)
}

/// `help`: the builtins, then every applet (each answers to its name), in ash's layout:
/// a tab, names separated by blanks, a new line once past 60 columns.
pub fn help(sh: &mut Shell, _: &[Vec<u8>]) -> R {
    let mut o = b"Built-in commands:\n------------------\n".to_vec();
    let mut col = 0;
    let names = super::TABLE.iter().map(|b| b.name).chain(crate::applets::APPLETS.iter().map(|a| a.name));
    for n in names {
        o.push(if col == 0 { b'\t' } else { b' ' });
        o.extend_from_slice(n.as_bytes());
        col += n.len() + 1;
        if col > 60 {
            o.push(b'\n');
            col = 0;
        }
    }
    o.push(b'\n');
    out(sh, &o);
    Ok(0)
}

#[allow(dead_code)]
fn valid(n: &[u8]) -> bool {
    is_valid_name(n)
}
