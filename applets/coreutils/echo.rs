//! applet: echo
//! dir: bin
//! nohelp
//! usage: echo [-neE] [ARG]...
//! Print the specified ARGs to stdout
//!
//! -n  No trailing newline
//! -e  Interpret backslash escapes (i.e., \t=tab)
//! -E  Don't interpret backslash escapes (default)

use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let (mut nl, mut esc) = (true, false);
    let mut i = 1;
    // Only an argument made wholly of n, e and E is taken as options, as in BusyBox.
    while let Some(a) = args.get(i).map(|a| a.as_bytes()) {
        if a.len() < 2 || a[0] != b'-' || !a[1..].iter().all(|c| b"neE".contains(c)) {
            break;
        }
        for c in &a[1..] {
            match c {
                b'n' => nl = false,
                b'e' => esc = true,
                _ => esc = false,
            }
        }
        i += 1;
    }
    for (k, a) in args[i..].iter().enumerate() {
        if k > 0 {
            cx.out.byte(b' ');
        }
        if !esc {
            cx.out.write(a.as_bytes());
        } else if !unescape(cx, a.as_bytes()) {
            return Ok(0); // \c: stop all output here
        }
    }
    if nl {
        cx.out.byte(b'\n');
    }
    Ok(0)
}

/// Writes `s` with backslash escapes processed; false when `\c` ends the output.
fn unescape(cx: &mut Cx, s: &[u8]) -> bool {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c != b'\\' || i == s.len() {
            cx.out.byte(c);
            continue;
        }
        let e = s[i];
        i += 1;
        let v = match e {
            b'a' => 7,
            b'b' => 8,
            b'e' => 0x1b,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'v' => 11,
            b'\\' => b'\\',
            b'c' => return false,
            b'0'..=b'7' => {
                // \0NNN or \NNN: up to three octal digits (after an optional leading 0),
                // stopping before the value would pass 255, as BusyBox does.
                let mut start = i - 1;
                if e == b'0' && s.get(i).is_some_and(|d| (b'0'..=b'7').contains(d)) {
                    start = i;
                }
                let mut v: u32 = 0;
                let mut j = start;
                while j < s.len() && j < start + 3 && (b'0'..=b'7').contains(&s[j]) {
                    if v * 8 + (s[j] - b'0') as u32 > 255 {
                        break;
                    }
                    v = v * 8 + (s[j] - b'0') as u32;
                    j += 1;
                }
                i = j;
                v as u8
            }
            b'x' if s.get(i).is_some_and(|d| d.is_ascii_hexdigit()) => {
                let mut v: u32 = 0;
                let mut j = i;
                while j < s.len() && j < i + 2 && s[j].is_ascii_hexdigit() {
                    v = v * 16 + (s[j] as char).to_digit(16).unwrap_or(0);
                    j += 1;
                }
                i = j;
                v as u8
            }
            _ => {
                cx.out.byte(b'\\');
                e
            }
        };
        cx.out.byte(v);
    }
    true
}
