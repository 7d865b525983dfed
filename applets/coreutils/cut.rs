//! applet: cut
//! usage: cut [OPTIONS] [FILE]...
//! Print selected fields from FILEs to stdout
//!
//! -b LIST  Output only bytes from LIST
//! -c LIST  Output only characters from LIST
//! -d SEP  Field delimiter for input (default -f TAB, -F run of whitespace)
//! -O SEP  Field delimiter for output (default = -d for -f, one space for -F)
//! -D  Don't sort/collate sections or match -fF lines without delimiter
//! -f LIST  Print only these fields (-d is single char)
//! -F LIST  Print only these fields (-d is regex)
//! -s  Output only lines containing delimiter
//! -n  Ignored

use crate::regex::{self, Flags, Regex};
use crate::{io, text, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// Inclusive 0-based ranges; `usize::MAX` is "to the end".
type Ranges = Vec<(usize, usize)>;

enum Mode {
    Bytes,
    Fields(u8),
    Regex(Regex),
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "b:c:d:O:Df:F:sn",
        &[("output-delimiter", b'O'), ("only-delimited", b's')],
    )?;
    let lists: Vec<u8> = [b'b', b'c', b'f', b'F']
        .into_iter()
        .filter(|&c| o.has(c))
        .collect();
    let which = match lists[..] {
        [] => {
            return Err(cx.fail(&[b"expected a list of bytes, characters, or fields"]));
        }
        [c] => c,
        // -f and -F together: -F (BusyBox lets them be given together).
        [b'f', b'F'] => b'F',
        _ => return Err(cx.usage()),
    };
    let list = o.val(which).unwrap_or_default();
    let keep_order = o.has(b'D');
    let ranges = parse_list(cx, list.as_bytes(), keep_order)?;
    let fields = which == b'f' || which == b'F';
    if o.has(b's') && !fields {
        return Err(cx.fail(&[
            b"suppressing non-delimited lines makes sense only when operating on fields",
        ]));
    }
    let d = o.val(b'd').map(|d| d.as_bytes());
    let (mode, odelim): (Mode, Vec<u8>) = match which {
        b'F' => {
            let re = d.unwrap_or(b"[[:space:]]+");
            let r = regex::compile(re, Flags::ERE | Flags::NOSUB)
                .map_err(|e| cx.fail(&[b"bad regex '", re, b"': ", e.as_bytes()]))?;
            (Mode::Regex(r), b" ".to_vec())
        }
        b'f' => {
            // Only the first byte counts; an empty -d is the default tab (BusyBox).
            let c = d.and_then(|d| d.first().copied()).unwrap_or(b'\t');
            (Mode::Fields(c), vec![c])
        }
        _ => (Mode::Bytes, Vec::new()),
    };
    let odelim = o.val(b'O').map_or(odelim, |v| v.as_bytes().to_vec());
    let only_delimited = o.has(b's') && which == b'f';

    let mut spans: Vec<(usize, usize)> = Vec::new();
    Ok(io::for_each_line(cx, &o.args, |cx, l| {
        let l = l.strip_suffix(b"\n").unwrap_or(l);
        match &mode {
            Mode::Bytes => {
                for &(s, e) in &ranges {
                    if s < l.len() {
                        cx.out.write(&l[s..=e.min(l.len() - 1)]);
                    }
                }
            }
            Mode::Fields(c) => {
                if crate::bytes::memchr(*c, l).is_none() {
                    if !only_delimited {
                        cx.out.write(l);
                        cx.out.byte(b'\n');
                    }
                    return;
                }
                if keep_order {
                    spans.clear();
                    let mut p = 0;
                    for i in crate::bytes::memchr_iter(*c, l) {
                        spans.push((p, i));
                        p = i + 1;
                    }
                    spans.push((p, l.len()));
                    emit_spans(cx, l, &spans, &ranges, &odelim, false);
                } else {
                    fields_in_order(cx, l, *c, &ranges, &odelim);
                }
            }
            Mode::Regex(r) => {
                spans.clear();
                split(r, l, &mut spans);
                emit_spans(cx, l, &spans, &ranges, &odelim, true);
            }
        }
        cx.out.byte(b'\n');
    }))
}

/// The selected fields of a line, for sorted, merged ranges: one pass that stops after
/// the last field wanted.
fn fields_in_order(cx: &mut Cx, l: &[u8], c: u8, ranges: &Ranges, odelim: &[u8]) {
    let mut r = 0;
    let mut idx = 0usize;
    let mut p = 0usize;
    let mut first = true;
    while let Some(&(s, e)) = ranges.get(r) {
        if p > l.len() {
            break;
        }
        let end = find(c, &l[p..]).map_or(l.len(), |i| p + i);
        if idx >= s {
            if !first {
                text::put(&mut cx.out, odelim);
            }
            first = false;
            text::put(&mut cx.out, &l[p..end]);
        }
        if idx >= e {
            r += 1;
        }
        idx += 1;
        p = end + 1;
    }
}

/// memchr for fields, which are mostly short: the first bytes are looked at one by one
/// before memchr's vector setup is worth it.
#[inline]
fn find(c: u8, h: &[u8]) -> Option<usize> {
    let head = h.len().min(16);
    match h[..head].iter().position(|&b| b == c) {
        Some(i) => Some(i),
        None => crate::bytes::memchr(c, &h[head..]).map(|i| i + head),
    }
}

/// The selected fields, given as spans of the line, in range order (-D, -F).
/// With -F (`skip_empty`) an empty field is not printed, nor a delimiter for it (BusyBox).
fn emit_spans(
    cx: &mut Cx,
    l: &[u8],
    spans: &[(usize, usize)],
    ranges: &Ranges,
    odelim: &[u8],
    skip_empty: bool,
) {
    let mut first = true;
    for &(s, e) in ranges {
        let e = e.min(spans.len().saturating_sub(1));
        for sp in spans.iter().take(e + 1).skip(s) {
            if skip_empty && sp.1 == sp.0 {
                continue;
            }
            if !first {
                cx.out.write(odelim);
            }
            first = false;
            cx.out.write(&l[sp.0..sp.1]);
        }
    }
}

/// `N`, `N-`, `-M`, `N-M` separated by commas; empty items are skipped. Sorted and
/// merged unless -D. BusyBox's checks and messages.
fn parse_list(cx: &Cx, s: &[u8], keep_order: bool) -> Res<Ranges> {
    if s.is_empty() {
        return Err(cx.fail(&[b"missing list of positions"]));
    }
    let num = |b: &[u8]| -> Res<usize> {
        match crate::args::parse_u64(b) {
            Some(n) if n <= i32::MAX as u64 => Ok(n as usize),
            _ => Err(cx.fail(&[b"invalid number '", b, b"'"])),
        }
    };
    let mut v: Ranges = Vec::new();
    for item in s.split(|&c| c == b',') {
        if item.is_empty() {
            continue;
        }
        let (a, b) = match item.iter().position(|&c| c == b'-') {
            None => {
                let n = num(item)?;
                (n, Some(n))
            }
            Some(i) => {
                let a = if i == 0 { 1 } else { num(&item[..i])? };
                let b = if i + 1 == item.len() {
                    None
                } else {
                    Some(num(&item[i + 1..])?)
                };
                (a, b)
            }
        };
        // Position 0 is taken as 1 (BusyBox).
        let s0 = a.max(1) - 1;
        let e0 = match b {
            None => usize::MAX,
            Some(b) if b < s0 => {
                let mut m = Vec::new();
                m.extend_from_slice(crate::cx::fmt_u64(b as u64, &mut [0; 20]));
                m.push(b'<');
                m.extend_from_slice(crate::cx::fmt_u64(s0 as u64, &mut [0; 20]));
                return Err(cx.fail(&[&m]));
            }
            Some(b) => b.max(1).max(s0 + 1) - 1,
        };
        v.push((s0, e0));
    }
    if v.is_empty() {
        return Err(cx.fail(&[b"missing list of positions"]));
    }
    if !keep_order {
        v.sort_unstable();
        let mut m: Ranges = Vec::with_capacity(v.len());
        for (s, e) in v {
            match m.last_mut() {
                Some(last) if s <= last.1.saturating_add(1) => last.1 = last.1.max(e),
                _ => m.push((s, e)),
            }
        }
        v = m;
    }
    Ok(v)
}

/// -F's fields: the text between non-empty matches of the delimiter, found leftmost-longest
/// from each field's end, `^` never matching (BusyBox's REG_NOTBOL). An empty match is
/// stepped over (BusyBox loops forever on `-d 'a*'`).
fn split(re: &Regex, l: &[u8], spans: &mut Vec<(usize, usize)>) {
    let mut field = 0;
    let mut p = 0;
    while p < l.len() {
        match re.find_span(l, p, true) {
            Some((s, e)) if e > s => {
                spans.push((field, s));
                field = e;
                p = e;
            }
            Some((s, _)) => p = s + 1,
            None => break,
        }
    }
    spans.push((field, l.len()));
}
