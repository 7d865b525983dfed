//! applet: sort
//! usage: sort [-nrugMcszbdfiokt] [-o FILE] [-k START[.OFS][OPTS][,END[.OFS][OPTS]] [-t CHAR] [FILE]...
//! Sort lines of text
//!
//! -o FILE  Output to FILE
//! -c  Check whether input is sorted
//! -b  Ignore leading blanks
//! -f  Ignore case
//! -i  Ignore unprintable characters
//! -d  Dictionary order (blank or alphanumeric only)
//! -n  Sort numbers
//! -g  General numerical sort
//! -M  Sort month
//! -V  Sort version
//! -t CHAR  Field separator
//! -k N[,M] Sort by Nth field
//! -r  Reverse sort order
//! -s  Stable (don't sort ties alphabetically)
//! -u  Suppress duplicate lines
//! -z  NUL terminated input and output

use crate::io::Input;
use crate::{sys, text, Cx, Fail, Res};
use std::cmp::Ordering;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

// Key flags (per key, or global for keys that have none).
const B_START: u16 = 1; // b on the start position (or global -b)
const B_END: u16 = 2; // b on the end position
const FOLD: u16 = 4;
const DICT: u16 = 8;
const PRINT: u16 = 16;
const REV: u16 = 32;
const NUM: u16 = 64;
const GEN: u16 = 128;
const MONTH: u16 = 256;
const VER: u16 = 512;
const HUMAN: u16 = 1024;
const TYPES: u16 = NUM | GEN | MONTH | VER | HUMAN;

/// A KEYDEF: fields are 1-based; `ec` 0 means the end of field `ef`, `ef` 0 the end of line.
#[derive(Clone, Copy)]
struct Key {
    sf: usize,
    sc: usize,
    ef: usize,
    ec: usize,
    flags: u16,
}

struct Cfg {
    keys: Vec<Key>,
    sep: Option<u8>,
    stable: bool,
    rev: bool,
}

/// A line with its first key: the key's text and an order-preserving 64-bit prefix of
/// it, so that most comparisons touch neither the line nor a number parser.
struct Item<'a> {
    pre: u64,
    /// The line's first 8 bytes, for the last-resort comparison.
    lpre: u64,
    line: &'a [u8],
}

impl Item<'_> {
    /// The first key's text, found again when prefixes tie: keeping it in the item made
    /// it 48 bytes, which the size-optimised build moves by calling memcpy (40 % of
    /// `sort -n -k2`); 32 bytes are moved inline.
    fn key(&self, cfg: &Cfg) -> &[u8] {
        extract(self.line, &cfg.keys[0], cfg.sep)
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // -h (human numbers, 2K 1G) goes beyond BusyBox 1.35, which rejects it; the help text
    // stays BusyBox's. -S and -T (memory, temporary directory) are accepted and ignored:
    // everything is sorted in memory.
    // Errors exit 2 here, usage errors included (BusyBox, as GNU and POSIX).
    let o = cx
        .getopt(args, "nrugMcszbdfiho:k:t:VS:T:", &[])
        .map_err(|_| Fail(2))?;
    let mut global = 0u16;
    for (c, f) in [
        (b'b', B_START | B_END),
        (b'f', FOLD),
        (b'd', DICT),
        (b'i', PRINT),
        (b'r', REV),
        (b'n', NUM),
        (b'g', GEN),
        (b'M', MONTH),
        (b'V', VER),
        (b'h', HUMAN),
    ] {
        if o.has(c) {
            global |= f;
        }
    }
    let sep = match o.val(b't') {
        None => None,
        Some(t) if t.len() == 1 => Some(t.as_bytes()[0]),
        Some(_) => return Err(fail2(cx, &[b"bad -t parameter"])),
    };
    let mut keys = Vec::new();
    for k in o.vals(b'k') {
        keys.push(parse_key(cx, k.as_bytes())?);
    }
    // A key with no flags of its own takes the global ones; no key is the whole line.
    for k in &mut keys {
        if k.flags == 0 {
            k.flags = global;
        }
    }
    let whole = keys.is_empty();
    if whole {
        keys.push(Key {
            sf: 1,
            sc: 1,
            ef: 0,
            ec: 0,
            flags: global,
        });
    }
    let cfg = Cfg {
        keys,
        sep,
        stable: o.has(b's'),
        rev: o.has(b'r'),
    };
    let eol = if o.has(b'z') { 0 } else { b'\n' };

    // All input into one arena; lines are slices of it.
    let mut data = Vec::new();
    let dash: [&OsStr; 1] = [OsStr::new("-")];
    let files: &[&OsStr] = if o.args.is_empty() { &dash } else { &o.args };
    for f in files {
        let mut inp = Input::open(f).map_err(|e| {
            cx.err_no(f.as_bytes(), e);
            Fail(2)
        })?;
        text::read_all(&mut inp, &mut data).map_err(|e| {
            cx.err_no(f.as_bytes(), e);
            Fail(2)
        })?;
        if data.last().is_some_and(|&c| c != eol) {
            data.push(eol);
        }
    }
    if o.has(b'c') {
        let lines: Vec<&[u8]> = text::records(&data, eol).collect();
        // BusyBox's wording, on stderr without the applet name; -u makes equal lines a
        // disorder too.
        let strict = o.has(b'u');
        for i in 1..lines.len() {
            let c = cmp_lines(&cfg, lines[i - 1], lines[i], cfg.stable || strict);
            if c == Ordering::Greater || (strict && c == Ordering::Equal) {
                let mut m = b"Check line ".to_vec();
                m.extend_from_slice(crate::cx::fmt_u64(i as u64, &mut [0; 20]));
                m.push(b'\n');
                let _ = sys::write_all(2, &m);
                return Ok(1);
            }
        }
        return Ok(0);
    }

    let k0 = cfg.keys[0];
    let mut items: Vec<Item> = text::records(&data, eol)
        .map(|l| {
            let key = extract(l, &k0, cfg.sep);
            Item {
                pre: prefix(key, k0.flags),
                lpre: prefix(l, 0),
                line: l,
            }
        })
        .collect();
    let plain = whole && global == 0;
    let cmp = |a: &Item, b: &Item| cmp_items(&cfg, a, b, plain);
    let mid = sort_items(&mut items, &cmp, cfg.stable);

    // The output is opened only now, so it may be one of the inputs.
    let mut file = None;
    if let Some(p) = o.val(b'o') {
        match OutFile::create(p) {
            Ok(f) => file = Some((crate::cx::Out::new(f.fd), f)),
            Err(e) => {
                cx.err_open(p, e);
                return Err(Fail(2));
            }
        }
    }
    let out = match &mut file {
        Some((o, _)) => o,
        None => &mut cx.out,
    };
    let unique = o.has(b'u');
    let n = items.len();
    let (mut i, mut j) = (0, mid);
    let mut prev: Option<usize> = None;
    loop {
        // Merge the sorted halves; the left one wins ties, which keeps the sort stable.
        let take = if i < mid && (j >= n || cmp(&items[j], &items[i]) != Ordering::Less) {
            i += 1;
            i - 1
        } else if j < n {
            j += 1;
            j - 1
        } else {
            break;
        };
        if unique {
            if let Some(p) = prev {
                if cmp_items_keys_only(&cfg, &items[p], &items[take]) == Ordering::Equal {
                    continue;
                }
            }
            prev = Some(take);
        }
        text::put(out, items[take].line);
        out.byte(eol);
        if out.err != 0 {
            break;
        }
    }
    if let Some((mut o, f)) = file {
        o.flush();
        let err = o.err;
        if err != 0 {
            f.discard();
            cx.err_no(b"write error", err);
            return Err(Fail(2));
        }
        if let Err(e) = f.commit() {
            cx.err_no(b"write error", e);
            return Err(Fail(2));
        }
    }
    Ok(0)
}

fn fail2(cx: &Cx, parts: &[&[u8]]) -> Fail {
    cx.err(parts);
    Fail(2)
}

/// `F[.C][flags][,F[.C][flags]]`, with BusyBox's checks: fields and characters from 1.
fn parse_key(cx: &Cx, s: &[u8]) -> Res<Key> {
    let bad = || fail2(cx, &[b"bad field specification"]);
    let mut k = Key {
        sf: 0,
        sc: 1,
        ef: 0,
        ec: 0,
        flags: 0,
    };
    let mut i = 0;
    let num = |i: &mut usize| -> Option<usize> {
        let d = s[*i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let n = crate::args::parse_u64(&s[*i..*i + d])?;
        *i += d;
        (n > 0 && n <= i32::MAX as u64).then_some(n as usize)
    };
    for end in [false, true] {
        let f = num(&mut i).ok_or_else(bad)?;
        let mut c = if end { 0 } else { 1 };
        if s.get(i) == Some(&b'.') {
            i += 1;
            c = num(&mut i).ok_or_else(bad)?;
        }
        if end {
            (k.ef, k.ec) = (f, c);
        } else {
            (k.sf, k.sc) = (f, c);
        }
        while let Some(&ch) = s.get(i) {
            let fl = match ch {
                b'b' if end => B_END,
                b'b' => B_START,
                b'f' => FOLD,
                b'd' => DICT,
                b'i' => PRINT,
                b'r' => REV,
                b'n' => NUM,
                b'g' => GEN,
                b'M' => MONTH,
                b'V' => VER,
                b'h' => HUMAN,
                b',' if !end => break,
                _ => return Err(fail2(cx, &[b"unknown key option"])),
            };
            k.flags |= fl;
            i += 1;
        }
        if i >= s.len() {
            return Ok(k);
        }
        if end || s[i] != b',' {
            return Err(fail2(cx, &[b"unknown key option"]));
        }
        i += 1;
    }
    Ok(k)
}

#[inline]
fn blank(c: u8) -> bool {
    c == b' ' || (b'\t'..=b'\r').contains(&c)
}

/// Where field `f` (1-based) starts: after f-1 separators, or, without -t, after f-1
/// runs of blanks-then-text (a field keeps its leading blanks). None past the last field.
fn field_start(l: &[u8], f: usize, sep: Option<u8>) -> Option<usize> {
    let mut p = 0;
    for _ in 1..f {
        match sep {
            Some(s) => p += crate::bytes::memchr(s, &l[p..])? + 1,
            None => {
                while p < l.len() && blank(l[p]) {
                    p += 1;
                }
                while p < l.len() && !blank(l[p]) {
                    p += 1;
                }
                if p >= l.len() {
                    return None;
                }
            }
        }
    }
    Some(p)
}

fn field_end(l: &[u8], start: usize, sep: Option<u8>) -> usize {
    match sep {
        Some(s) => crate::bytes::memchr(s, &l[start..]).map_or(l.len(), |i| start + i),
        None => {
            let mut p = start;
            while p < l.len() && blank(l[p]) {
                p += 1;
            }
            while p < l.len() && !blank(l[p]) {
                p += 1;
            }
            p
        }
    }
}

fn skip_blanks(l: &[u8], mut p: usize, end: usize) -> usize {
    while p < end && blank(l[p]) {
        p += 1;
    }
    p
}

/// The text of key `k` in line `l`.
fn extract<'a>(l: &'a [u8], k: &Key, sep: Option<u8>) -> &'a [u8] {
    if k.sf == 1 && k.sc == 1 && k.ef == 0 {
        return if k.flags & B_START != 0 {
            &l[skip_blanks(l, 0, l.len())..]
        } else {
            l
        };
    }
    let start = match field_start(l, k.sf, sep) {
        Some(mut p) => {
            if k.flags & B_START != 0 {
                p = skip_blanks(l, p, l.len());
            }
            p.saturating_add(k.sc - 1).min(l.len())
        }
        None => l.len(),
    };
    let end = if k.ef == 0 {
        l.len()
    } else {
        match field_start(l, k.ef, sep) {
            Some(fs) => {
                if k.ec == 0 {
                    field_end(l, fs, sep)
                } else {
                    let p = if k.flags & B_END != 0 {
                        skip_blanks(l, fs, l.len())
                    } else {
                        fs
                    };
                    p.saturating_add(k.ec).min(l.len())
                }
            }
            None => l.len(),
        }
    };
    &l[start..end.max(start)]
}

/// An order-preserving 64-bit summary of a key: a < b as u64 means the keys compare so;
/// equal summaries need the full comparison, except for `exact` kinds.
fn prefix(key: &[u8], flags: u16) -> u64 {
    match flags & TYPES {
        0 => {
            let mut b = [0u8; 8];
            let mut n = 0;
            for &c in key {
                if n == 8 {
                    break;
                }
                if let Some(c) = text_byte(c, flags) {
                    b[n] = c;
                    n += 1;
                }
            }
            u64::from_be_bytes(b)
        }
        NUM => num_order(atof(key)),
        GEN => gen_order(key),
        MONTH => month(key) as u64,
        _ => 0,
    }
}

/// Kinds whose prefix is the whole comparison.
fn exact(flags: u16) -> bool {
    matches!(flags & TYPES, NUM | GEN | MONTH)
}

/// A byte as -f, -d and -i see it: None when it is skipped.
#[inline]
fn text_byte(c: u8, flags: u16) -> Option<u8> {
    if flags & DICT != 0 && !(c.is_ascii_alphanumeric() || blank(c)) {
        return None;
    }
    if flags & PRINT != 0 && !(0x20..0x7f).contains(&c) {
        return None;
    }
    Some(if flags & FOLD != 0 {
        c.to_ascii_uppercase()
    } else {
        c
    })
}

/// f64 to u64 keeping the order; NaN below everything, -0 as 0.
fn num_order(x: Option<f64>) -> u64 {
    let x = x.unwrap_or(0.0);
    if x.is_nan() {
        return 0;
    }
    let x = if x == 0.0 { 0.0 } else { x };
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | 1 << 63
    }
}

/// -g: not a number < NaN < -inf < numbers < +inf (BusyBox's order).
fn gen_order(key: &[u8]) -> u64 {
    match atof(key) {
        None => 0,
        Some(x) if x.is_nan() => 1,
        Some(x) => num_order(Some(x)).max(2),
    }
}

/// strtod's prefix of `b` (after white space), None when there is no number.
fn atof(b: &[u8]) -> Option<f64> {
    let mut i = 0;
    while i < b.len() && blank(b[i]) {
        i += 1;
    }
    let s = i;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let body = &b[i..];
    if body.len() > 1 && body[0] == b'0' && body[1] | 0x20 == b'x' {
        let h = body[2..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
        if h > 0 {
            let mut v = 0f64;
            for &c in &body[2..2 + h] {
                v = v * 16.0 + (c as char).to_digit(16).unwrap_or(0) as f64;
            }
            return Some(if b[s] == b'-' { -v } else { v });
        }
        return Some(0.0);
    }
    for word in [&b"infinity"[..], b"inf", b"nan"] {
        if body.len() >= word.len() && body[..word.len()].eq_ignore_ascii_case(word) {
            let v = if word == b"nan" { f64::NAN } else { f64::INFINITY };
            return Some(if b[s] == b'-' { -v } else { v });
        }
    }
    let d = body.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut j = d;
    let mut f = 0;
    if body.get(j) == Some(&b'.') {
        f = body[j + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        j += 1 + f;
    }
    if d + f == 0 {
        return None;
    }
    if body.get(j).is_some_and(|&c| c | 0x20 == b'e') {
        let mut k = j + 1;
        if body.get(k).is_some_and(|&c| c == b'-' || c == b'+') {
            k += 1;
        }
        let e = body[k..].iter().take_while(|c| c.is_ascii_digit()).count();
        if e > 0 {
            j = k + e;
        }
    }
    let t = std::str::from_utf8(&b[s..i + j]).ok()?;
    t.parse::<f64>().ok()
}

/// strptime's %b as BusyBox uses it: the key starts with a month's first three letters
/// (any case; no blanks skipped unless -b); 0 for none.
fn month(b: &[u8]) -> u8 {
    const M: [&[u8]; 12] = [
        b"january", b"february", b"march", b"april", b"may", b"june", b"july", b"august",
        b"september", b"october", b"november", b"december",
    ];
    for (i, m) in M.iter().enumerate() {
        if b.len() >= 3 && b[..3].eq_ignore_ascii_case(&m[..3]) {
            return i as u8 + 1;
        }
    }
    0
}

/// -h: a number with an optional K M G T P E Z Y suffix; the suffix orders first.
fn human(b: &[u8]) -> (i8, u8, f64) {
    let v = atof(b).unwrap_or(0.0);
    let i = skip_blanks(b, 0, b.len());
    let mut j = i;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.') {
        j += 1;
    }
    let rank = match b.get(j) {
        Some(b'k') | Some(b'K') => 1,
        Some(b'M') => 2,
        Some(b'G') => 3,
        Some(b'T') => 4,
        Some(b'P') => 5,
        Some(b'E') => 6,
        Some(b'Z') => 7,
        Some(b'Y') => 8,
        _ => 0,
    };
    let sign = if v < 0.0 {
        -1
    } else if v > 0.0 {
        1
    } else {
        0
    };
    (sign, rank, v)
}

/// glibc's strverscmp: digit runs compare as numbers, those with leading zeros as
/// fractions. The end of a slice is its NUL.
fn verscmp(a: &[u8], b: &[u8]) -> Ordering {
    const N: usize = 0;
    const I: usize = 3;
    const F: usize = 6;
    const Z: usize = 9;
    const NEXT: [usize; 12] = [N, I, Z, N, I, I, N, F, F, N, F, Z];
    const CMP: i8 = 2;
    const LEN: i8 = 3;
    const RES: [i8; 36] = [
        CMP, CMP, CMP, CMP, LEN, CMP, CMP, CMP, CMP, // N
        CMP, -1, -1, 1, LEN, LEN, 1, LEN, LEN, // I
        CMP, CMP, CMP, CMP, CMP, CMP, CMP, CMP, CMP, // F
        CMP, 1, 1, -1, CMP, CMP, -1, CMP, CMP, // Z
    ];
    let at = |s: &[u8], i: usize| s.get(i).copied().unwrap_or(0);
    let class = |c: u8| (c == b'0') as usize + c.is_ascii_digit() as usize;
    let (mut i, mut c1, mut c2) = (0, at(a, 0), at(b, 0));
    let mut state = N + class(c1);
    while c1 == c2 {
        if c1 == 0 {
            return Ordering::Equal;
        }
        state = NEXT[state];
        i += 1;
        c1 = at(a, i);
        c2 = at(b, i);
        state += class(c1);
    }
    let diff = (c1 as i32 - c2 as i32).cmp(&0);
    match RES[state * 3 + class(c2)] {
        CMP => diff,
        LEN => {
            let mut j = i;
            while at(a, j).is_ascii_digit() {
                if !at(b, j).is_ascii_digit() {
                    return Ordering::Greater;
                }
                j += 1;
            }
            if at(b, j).is_ascii_digit() {
                Ordering::Less
            } else {
                diff
            }
        }
        r => r.cmp(&0),
    }
}

/// Two keys' text under one key's flags (the reverse flag aside).
fn cmp_key(a: &[u8], b: &[u8], flags: u16) -> Ordering {
    match flags & TYPES {
        0 if flags & (FOLD | DICT | PRINT) == 0 => text::cmp_bytes(a, b),
        0 => {
            let x = a.iter().filter_map(|&c| text_byte(c, flags));
            let y = b.iter().filter_map(|&c| text_byte(c, flags));
            x.cmp(y)
        }
        NUM => num_order(atof(a)).cmp(&num_order(atof(b))),
        GEN => gen_order(a).cmp(&gen_order(b)),
        MONTH => month(a).cmp(&month(b)),
        VER => verscmp(a, b),
        _ => {
            let (x, y) = (human(a), human(b));
            x.0.cmp(&y.0)
                .then_with(|| {
                    let r = x.1.cmp(&y.1);
                    if x.0 < 0 {
                        r.reverse()
                    } else {
                        r
                    }
                })
                .then_with(|| x.2.partial_cmp(&y.2).unwrap_or(Ordering::Equal))
        }
    }
}

fn rev_if(o: Ordering, flags: u16) -> Ordering {
    if flags & REV != 0 {
        o.reverse()
    } else {
        o
    }
}

/// The keys after the first, then the whole line as the last resort (unless -s).
fn cmp_rest(cfg: &Cfg, a: &[u8], b: &[u8], no_tie_break: bool) -> Ordering {
    for k in &cfg.keys[1..] {
        let o = cmp_key(extract(a, k, cfg.sep), extract(b, k, cfg.sep), k.flags);
        if o != Ordering::Equal {
            return rev_if(o, k.flags);
        }
    }
    if no_tie_break {
        return Ordering::Equal;
    }
    let o = text::cmp_bytes(a, b);
    if cfg.rev {
        o.reverse()
    } else {
        o
    }
}

fn cmp_lines(cfg: &Cfg, a: &[u8], b: &[u8], no_tie_break: bool) -> Ordering {
    let k = &cfg.keys[0];
    let o = cmp_key(extract(a, k, cfg.sep), extract(b, k, cfg.sep), k.flags);
    if o != Ordering::Equal {
        return rev_if(o, k.flags);
    }
    cmp_rest(cfg, a, b, no_tie_break)
}

#[inline]
fn cmp_items(cfg: &Cfg, a: &Item, b: &Item, plain: bool) -> Ordering {
    if plain {
        // No keys, no flags: bytes, with the prefix as a shortcut.
        return a.pre.cmp(&b.pre).then_with(|| text::cmp_bytes(a.line, b.line));
    }
    let k = &cfg.keys[0];
    let o = a.pre.cmp(&b.pre).then_with(|| {
        if exact(k.flags) {
            Ordering::Equal
        } else {
            cmp_key(a.key(cfg), b.key(cfg), k.flags)
        }
    });
    if o != Ordering::Equal {
        return rev_if(o, k.flags);
    }
    if cfg.keys.len() == 1 && !cfg.stable {
        // Straight to the last resort, with the lines' prefixes first.
        let o = a.lpre.cmp(&b.lpre).then_with(|| text::cmp_bytes(a.line, b.line));
        return if cfg.rev { o.reverse() } else { o };
    }
    cmp_rest(cfg, a.line, b.line, cfg.stable)
}

/// -u: lines are duplicates when all keys compare equal (no last resort).
fn cmp_items_keys_only(cfg: &Cfg, a: &Item, b: &Item) -> Ordering {
    let k = &cfg.keys[0];
    let o = a.pre.cmp(&b.pre).then_with(|| {
        if exact(k.flags) {
            Ordering::Equal
        } else {
            cmp_key(a.key(cfg), b.key(cfg), k.flags)
        }
    });
    if o != Ordering::Equal {
        return o;
    }
    cmp_rest(cfg, a.line, b.line, true)
}

// Below this many lines one thread sorts; above, each of two cores sorts a half and the
// halves are merged as they are written.
const PARALLEL_MIN: usize = 100_000;

/// Sorts `items`, in two halves on two threads when it pays; returns where the second
/// sorted half starts (`items.len()` when sorted as one).
fn sort_items<F>(items: &mut [Item], cmp: &F, stable: bool) -> usize
where
    F: Fn(&Item, &Item) -> Ordering + Sync,
{
    let sort = |v: &mut [Item]| {
        if stable {
            v.sort_by(cmp);
        } else {
            // Without -s, items that compare equal are identical lines: any order will do,
            // and the in-place sort needs no scratch half as big as the items.
            v.sort_unstable_by(cmp);
        }
    };
    if items.len() < PARALLEL_MIN || cpus() < 2 {
        sort(items);
        return items.len();
    }
    let mid = items.len() / 2;
    let (a, b) = items.split_at_mut(mid);
    in_parallel(&mut || sort(a), &mut || sort(b));
    mid
}

/// CPUs this process may run on.
fn cpus() -> usize {
    // SAFETY: sched_getaffinity fills the set we pass.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return 1;
        }
        libc::CPU_COUNT(&set) as usize
    }
}

/// Runs `a` on a second thread and `b` on this one, and returns when both are done.
/// pthreads directly: std::thread brings its panic and backtrace machinery along (about
/// 80 KB of code here). A panic aborts the process either way (panic = "abort").
fn in_parallel(a: &mut (dyn FnMut() + Send), b: &mut dyn FnMut()) {
    extern "C" fn run(p: *mut libc::c_void) -> *mut libc::c_void {
        // SAFETY: p is the `&mut dyn FnMut` below, alive until pthread_join returns.
        let f = unsafe { &mut *(p as *mut &mut (dyn FnMut() + Send)) };
        f();
        std::ptr::null_mut()
    }
    let mut f: &mut (dyn FnMut() + Send) = a;
    // SAFETY: the thread gets a pointer to `f`, which outlives it: we join before
    // returning, and on failure to start it we run `a` here instead.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        libc::pthread_attr_init(&mut attr);
        libc::pthread_attr_setstacksize(&mut attr, 8 << 20);
        let mut t: libc::pthread_t = std::mem::zeroed();
        let arg = (&mut f as *mut &mut (dyn FnMut() + Send)).cast();
        let started = libc::pthread_create(&mut t, &attr, run, arg) == 0;
        libc::pthread_attr_destroy(&mut attr);
        if !started {
            f();
        }
        b();
        if started {
            libc::pthread_join(t, std::ptr::null_mut());
        }
    }
}

/// `-o FILE`: an existing regular file is replaced through a temporary file in its
/// directory (renamed over it once everything is written, with its permissions), so a
/// failed write loses nothing; anything else (a new name, /dev/stdout, a FIFO) is opened
/// directly.
struct OutFile {
    fd: i32,
    tmp: Option<(std::ffi::CString, std::ffi::CString)>,
}

impl OutFile {
    fn create(path: &OsStr) -> Result<OutFile, i32> {
        let c = sys::cstr(path.as_bytes()).ok_or(libc::EINVAL)?;
        // SAFETY: plain system calls on C strings we own; st is filled by stat.
        unsafe {
            let mut st: libc::stat = std::mem::zeroed();
            if libc::stat(c.as_ptr(), &mut st) == 0 && st.st_mode & libc::S_IFMT == libc::S_IFREG {
                let b = path.as_bytes();
                let dir_end = b.iter().rposition(|&x| x == b'/').map_or(0, |i| i + 1);
                for n in 0..100u32 {
                    let mut t = b[..dir_end].to_vec();
                    t.extend_from_slice(b".sort.");
                    t.extend_from_slice(crate::cx::fmt_u64(libc::getpid() as u64, &mut [0; 20]));
                    t.push(b'.');
                    t.extend_from_slice(crate::cx::fmt_u64(n as u64, &mut [0; 20]));
                    let Some(tc) = sys::cstr(&t) else { break };
                    let fd = libc::open(
                        tc.as_ptr(),
                        libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_CLOEXEC,
                        0o600,
                    );
                    if fd >= 0 {
                        libc::fchmod(fd, st.st_mode & 0o7777);
                        return Ok(OutFile {
                            fd,
                            tmp: Some((tc, c)),
                        });
                    }
                    if sys::errno() != libc::EEXIST {
                        break;
                    }
                }
                // No temporary file possible (a read-only directory): write in place.
            }
            let fd = libc::open(
                c.as_ptr(),
                libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC,
                0o666,
            );
            if fd < 0 {
                return Err(sys::errno());
            }
            Ok(OutFile { fd, tmp: None })
        }
    }

    fn commit(self) -> Result<(), i32> {
        // SAFETY: our descriptor and C strings.
        unsafe {
            let r = libc::close(self.fd);
            if let Some((t, p)) = &self.tmp {
                if r != 0 {
                    let e = sys::errno();
                    libc::unlink(t.as_ptr());
                    return Err(e);
                }
                if libc::rename(t.as_ptr(), p.as_ptr()) != 0 {
                    let e = sys::errno();
                    libc::unlink(t.as_ptr());
                    return Err(e);
                }
            } else if r != 0 {
                return Err(sys::errno());
            }
        }
        Ok(())
    }

    fn discard(self) {
        // SAFETY: our descriptor and C string.
        unsafe {
            libc::close(self.fd);
            if let Some((t, _)) = &self.tmp {
                libc::unlink(t.as_ptr());
            }
        }
    }
}
