//! applet: paste
//! usage: paste [-d LIST] [-s] [FILE]...
//! Paste lines from each input file, separated with tab
//!
//! -d LIST  Use delimiters from LIST, not tab
//! -s      Serial: one file at a time

use crate::io::{Input, Lines};
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "d:s", &[])?;
    let delims = match o.val(b'd') {
        Some(d) if d.is_empty() => return Err(cx.fail(&[b"-d '' is not supported"])),
        Some(d) => unescape(d.as_bytes()),
        None => vec![Some(b'\t')],
    };
    let dash: [&OsStr; 1] = [OsStr::new("-")];
    let files: &[&OsStr] = if o.args.is_empty() { &dash } else { &o.args };
    // Every input is opened first: a missing one is fatal (BusyBox). `-` named more than
    // once shares stdin, taking lines in turn.
    let mut ins: Vec<Option<Lines>> = Vec::with_capacity(files.len());
    let mut stdin_at: Option<usize> = None;
    let mut which: Vec<usize> = Vec::with_capacity(files.len());
    for f in files {
        if f.as_bytes() == b"-" {
            if let Some(i) = stdin_at {
                which.push(i);
                continue;
            }
            stdin_at = Some(ins.len());
        }
        match Input::open(f) {
            Ok(i) => {
                which.push(ins.len());
                ins.push(Some(Lines::new(i)));
            }
            Err(e) => {
                cx.err_no(f.as_bytes(), e);
                return Ok(1);
            }
        }
    }
    let delim = |k: usize| delims[k % delims.len()];
    let mut line = Vec::new();
    if o.has(b's') {
        for &w in &which {
            let Some(lines) = ins[w].as_mut() else { continue };
            let mut k = 0;
            let mut any = false;
            loop {
                match lines.next_line() {
                    Ok(Some(l)) => {
                        if any {
                            if let Some(d) = delim(k) {
                                cx.out.byte(d);
                            }
                            k += 1;
                        }
                        any = true;
                        cx.out.write(l.strip_suffix(b"\n").unwrap_or(l));
                    }
                    Ok(None) => break,
                    Err(e) => {
                        cx.err_no(b"read error", e);
                        return Ok(1);
                    }
                }
            }
            ins[w] = None;
            if any {
                cx.out.byte(b'\n');
            }
        }
        return Ok(0);
    }
    loop {
        line.clear();
        let mut live = false;
        for (k, &w) in which.iter().enumerate() {
            if k > 0 {
                if let Some(d) = delim(k - 1) {
                    line.push(d);
                }
            }
            let Some(lines) = ins[w].as_mut() else { continue };
            match lines.next_line() {
                Ok(Some(l)) => {
                    live = true;
                    line.extend_from_slice(l.strip_suffix(b"\n").unwrap_or(l));
                }
                Ok(None) => ins[w] = None,
                Err(e) => {
                    cx.err_no(b"read error", e);
                    return Ok(1);
                }
            }
        }
        if !live {
            return Ok(0);
        }
        line.push(b'\n');
        cx.out.write(&line);
        if cx.out.err != 0 {
            return Ok(1);
        }
    }
}

/// The -d list: `\n`, `\t`, `\\`, and `\0` for no delimiter at all.
fn unescape(d: &[u8]) -> Vec<Option<u8>> {
    let mut v = Vec::new();
    let mut i = 0;
    while i < d.len() {
        if d[i] == b'\\' && i + 1 < d.len() {
            i += 1;
            v.push(match d[i] {
                b'n' => Some(b'\n'),
                b't' => Some(b'\t'),
                b'0' => None,
                c => Some(c),
            });
        } else {
            v.push(Some(d[i]));
        }
        i += 1;
    }
    v
}
