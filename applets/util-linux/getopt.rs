//! applet: getopt
//! usage: getopt [OPTIONS] [--] OPTSTRING PARAMS
//!
//! -a  	Allow long options starting with single -
//! -l LOPT[,...]	Long options to recognize
//! -n PROGNAME	The name under which errors are reported
//! -o OPTSTRING	Short options to recognize
//! -q  	No error messages on unrecognized options
//! -Q  	No normal output
//! -s SHELL	Set shell quoting conventions
//! -T  	Version test (exits with 4)
//! -u  	Don't quote output

use crate::{Cx, Fail, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

struct Long {
    name: Vec<u8>,
    /// 0 none, 1 required, 2 optional.
    arg: u8,
}

struct G<'a> {
    name: &'a [u8],
    quiet: bool,
    quote: bool,
    tcsh: bool,
    out: Vec<u8>,
    bad: bool,
}

impl G<'_> {
    fn err(&mut self, parts: &[&[u8]]) {
        self.bad = true;
        if !self.quiet {
            let mut m = self.name.to_vec();
            m.extend_from_slice(b": ");
            for p in parts {
                m.extend_from_slice(p);
            }
            m.push(b'\n');
            let _ = crate::sys::write_all(2, &m);
        }
    }
    fn word(&mut self, w: &[u8]) {
        self.out.push(b' ');
        if !self.quote {
            self.out.extend_from_slice(w);
            return;
        }
        self.out.push(b'\'');
        for &c in w {
            match c {
                b'\'' => self.out.extend_from_slice(b"'\\''"),
                b'!' if self.tcsh => self.out.extend_from_slice(b"\\!"),
                b'\n' if self.tcsh => self.out.extend_from_slice(b"\\\n"),
                _ => self.out.push(c),
            }
        }
        self.out.push(b'\'');
    }
}

fn short_kind(spec: &[u8], c: u8) -> Option<u8> {
    if c == b':' || c == b'+' || c == b'-' {
        return None;
    }
    let i = spec.iter().position(|&x| x == c)?;
    Some(match (spec.get(i + 1), spec.get(i + 2)) {
        (Some(b':'), Some(b':')) => 2,
        (Some(b':'), _) => 1,
        _ => 0,
    })
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let a: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    let longs_own = [
        ("options", b'o'),
        ("longoptions", b'l'),
        ("quiet", b'q'),
        ("quiet-output", b'Q'),
        ("shell", b's'),
        ("test", b'T'),
        ("unquoted", b'u'),
        ("alternative", b'a'),
        ("name", b'n'),
    ];
    let (mut spec, params): (Option<Vec<u8>>, Vec<&[u8]>);
    let o;
    // The traditional form: the first argument is the option string; output unquoted.
    let compat = a.get(1).is_some_and(|x| !x.starts_with(b"-"));
    if !compat && args.iter().skip(1).take_while(|x| x.as_bytes() != b"--").any(|x| matches!(x.as_bytes(), b"-T" | b"--test")) {
        return Ok(4);
    }
    if compat {
        spec = Some(a[1].to_vec());
        params = a[2..].to_vec();
        o = cx.getopt(&args[..1], "", &[])?;
    } else {
        o = cx.getopt(args, "+ao:l:n:qQs:Tu", &longs_own)?;
        spec = o.val(b'o').map(|v| v.as_bytes().to_vec());
        let mut rest: Vec<&[u8]> = o.args.iter().map(|x| x.as_bytes()).collect();
        if spec.is_none() {
            if rest.is_empty() {
                return Err(cx.fail(&[b"missing optstring argument"]));
            }
            spec = Some(rest.remove(0).to_vec());
        }
        params = rest;
    }
    if o.has(b'T') {
        return Ok(4);
    }
    let mut spec = spec.unwrap_or_default();
    let mut longs: Vec<Long> = Vec::new();
    for l in o.vals(b'l') {
        for n in l.as_bytes().split(|&c| c == b',').filter(|n| !n.is_empty()) {
            let (name, arg) = if let Some(x) = n.strip_suffix(b"::") {
                (x, 2)
            } else if let Some(x) = n.strip_suffix(b":") {
                (x, 1)
            } else {
                (n, 0)
            };
            longs.push(Long { name: name.to_vec(), arg });
        }
    }
    let shell = o.val(b's').map(|s| s.as_bytes());
    let tcsh = match shell {
        None | Some(b"sh") | Some(b"bash") => false,
        Some(b"tcsh") | Some(b"csh") => true,
        Some(s) => {
            cx.err(&[b"unknown shell '", s, b"', assuming bash"]);
            false
        }
    };
    let posix = spec.first() == Some(&b'+') || std::env::var_os("POSIXLY_CORRECT").is_some();
    if matches!(spec.first(), Some(b'+' | b'-')) {
        spec.remove(0);
    }
    let name = o.val(b'n').map_or(&b"getopt"[..], |n| n.as_bytes());
    let mut g = G {
        name,
        quiet: o.has(b'q'),
        quote: !compat && !o.has(b'u'),
        tcsh,
        out: Vec::new(),
        bad: false,
    };
    let alt = o.has(b'a');
    let mut rest: Vec<&[u8]> = Vec::new();
    let mut i = 0;
    while i < params.len() {
        let p = params[i];
        i += 1;
        if p == b"--" {
            rest.extend_from_slice(&params[i..]);
            break;
        }
        // Without long options, getopt(3) is used: `--x` is short options.
        let long_body = if longs.is_empty() {
            None
        } else if p.starts_with(b"--") && p.len() > 2 {
            Some(&p[2..])
        } else if alt && p.len() > 1 && p[0] == b'-' && p[1] != b'-' && (p.len() > 2 || short_kind(&spec, p[1]).is_none()) {
            // -a: a single-dash word is a long option when it names one.
            let body = &p[1..];
            let nm = body.split(|&c| c == b'=').next().unwrap_or(body);
            if longs.iter().any(|l| l.name.starts_with(nm)) {
                Some(body)
            } else {
                None
            }
        } else {
            None
        };
        if let Some(body) = long_body {
            let (nm, val) = match body.iter().position(|&c| c == b'=') {
                Some(e) => (&body[..e], Some(&body[e + 1..])),
                None => (body, None),
            };
            let exact = longs.iter().position(|l| l.name == nm);
            let hits: Vec<usize> = (0..longs.len()).filter(|&k| longs[k].name.starts_with(nm)).collect();
            // glibc: several prefixes are ambiguous only if they differ in their argument.
            let same = hits.iter().all(|&h| longs[h].arg == longs[hits[0]].arg);
            let k = match (exact, hits.len()) {
                (Some(k), _) => k,
                (None, 1) => hits[0],
                (None, n) if n > 1 && same => hits[0],
                (None, 0) => {
                    g.err(&[b"unrecognized option '", p, b"'"]);
                    continue;
                }
                _ => {
                    let mut m = Vec::new();
                    for &h in &hits {
                        m.extend_from_slice(b" '--");
                        m.extend_from_slice(&longs[h].name);
                        m.push(b'\'');
                    }
                    g.err(&[b"option '", p.split(|&c| c == b'=').next().unwrap_or(p), b"' is ambiguous; possibilities:", &m]);
                    continue;
                }
            };
            let full = [&b"--"[..], &longs[k].name].concat();
            match (longs[k].arg, val) {
                (0, Some(_)) => g.err(&[b"option '", &full, b"' doesn't allow an argument"]),
                (0, None) => g.word_raw(&full),
                (1, None) if i < params.len() => {
                    g.word_raw(&full);
                    g.word(params[i]);
                    i += 1;
                }
                (1, None) => g.err(&[b"option '", &full, b"' requires an argument"]),
                (_, v) => {
                    g.word_raw(&full);
                    g.word(v.unwrap_or(b""));
                }
            }
            continue;
        }
        if p.len() > 1 && p[0] == b'-' {
            let mut j = 1;
            while j < p.len() {
                let c = p[j];
                j += 1;
                match short_kind(&spec, c) {
                    None => g.err(&[b"invalid option -- '", &[c], b"'"]),
                    Some(0) => g.word_raw(&[b'-', c]),
                    Some(k) => {
                        g.word_raw(&[b'-', c]);
                        if j < p.len() {
                            g.word(&p[j..]);
                        } else if k == 1 && i < params.len() {
                            g.word(params[i]);
                            i += 1;
                        } else if k == 1 {
                            g.out.truncate(g.out.len() - 3);
                            g.err(&[b"option requires an argument -- '", &[c], b"'"]);
                        } else {
                            g.word(b"");
                        }
                        break;
                    }
                }
            }
            continue;
        }
        rest.push(p);
        if posix {
            rest.extend_from_slice(&params[i..]);
            break;
        }
    }
    g.word_raw(b"--");
    for r in rest {
        g.word(r);
    }
    if !o.has(b'Q') {
        cx.out.write(&g.out);
        cx.out.byte(b'\n');
    }
    if g.bad {
        return Err(Fail(1));
    }
    Ok(0)
}

impl G<'_> {
    fn word_raw(&mut self, w: &[u8]) {
        self.out.push(b' ');
        self.out.extend_from_slice(w);
    }
}
