//! applet: envsubst
//! usage: envsubst [-v] [SHELL-FORMAT]
//! Substitute the values of environment variables: copy stdin to stdout with $VARIABLE and
//! ${VARIABLE} replaced by their values (empty when unset). With SHELL-FORMAT, only the
//! variables it references are replaced
//!
//! -v  Print the variables SHELL-FORMAT references, one per line

// gettext's envsubst: names are [A-Za-z_][A-Za-z0-9_]*; any other `$` text (`${X:-y}`,
// `$1`, a `${X` never closed) is copied as it is; a given but empty SHELL-FORMAT replaces
// nothing. Lines are processed one at a time, bytes, never assumed UTF-8.

use crate::io::{Input, Lines};
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

fn name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The reference at the start of `s` (which starts after a `$`): (name, bytes used).
fn reference(s: &[u8]) -> Option<(&[u8], usize)> {
    let braced = s.first() == Some(&b'{');
    let body = if braced { &s[1..] } else { s };
    if !body.first().is_some_and(|&c| name_start(c)) {
        return None;
    }
    let n = body.iter().position(|&c| !name_char(c)).unwrap_or(body.len());
    if braced {
        (body.get(n) == Some(&b'}')).then_some((&body[..n], n + 2))
    } else {
        Some((&body[..n], n))
    }
}

/// Every variable `fmt` references, in order, repeats included.
fn variables(fmt: &[u8]) -> Vec<&[u8]> {
    let mut v = Vec::new();
    let mut i = 0;
    while let Some(d) = crate::bytes::memchr(b'$', &fmt[i..]) {
        i += d + 1;
        if let Some((name, used)) = reference(&fmt[i..]) {
            v.push(name);
            i += used;
        }
    }
    v
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "vhV", &[("variables", b'v'), ("help", b'h'), ("version", b'V')])?;
    if o.has(b'h') {
        cx.show_help();
        return Ok(0);
    }
    if o.has(b'V') {
        cx.out.write(b"envsubst (rbox) 0.1.0\n");
        return Ok(0);
    }
    if o.args.len() > 1 {
        return Err(cx.fail(&[b"too many arguments"]));
    }
    let fmt = o.args.first().map(|f| f.as_bytes());
    if o.has(b'v') {
        let Some(fmt) = fmt else {
            return Err(cx.fail(&[b"missing arguments"]));
        };
        for v in variables(fmt) {
            cx.out.line(v);
        }
        return Ok(0);
    }
    let only = fmt.map(variables);
    let mut lines = Lines::new(Input::stdin());
    loop {
        let line = match lines.next_line() {
            Ok(Some(l)) => l,
            Ok(None) => break,
            Err(e) => return Err(cx.fail_no(b"standard input", e)),
        };
        let mut i = 0;
        while let Some(d) = crate::bytes::memchr(b'$', &line[i..]) {
            cx.out.write(&line[i..i + d]);
            i += d + 1;
            match reference(&line[i..]) {
                Some((name, used)) if only.as_ref().is_none_or(|o| o.contains(&name)) => {
                    if let Some(v) = std::env::var_os(OsStr::from_bytes(name)) {
                        cx.out.write(v.as_bytes());
                    }
                    i += used;
                }
                _ => cx.out.byte(b'$'),
            }
        }
        cx.out.write(&line[i..]);
        if cx.out.err != 0 {
            break;
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn references() {
        use super::reference as r;
        assert_eq!(r(b"FOO bar"), Some((&b"FOO"[..], 3)));
        assert_eq!(r(b"{FOO}x"), Some((&b"FOO"[..], 5)));
        assert_eq!(r(b"{FOO"), None);
        assert_eq!(r(b"{FOO:-x}"), None);
        assert_eq!(r(b"1"), None);
        assert_eq!(r(b""), None);
        assert_eq!(r(b"_a1."), Some((&b"_a1"[..], 3)));
        assert_eq!(super::variables(b"$B $A ${B} $C_1x ${D"), [&b"B"[..], b"A", b"B", b"C_1x"]);
    }
}
