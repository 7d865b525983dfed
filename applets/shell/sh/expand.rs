//! Word expansion in POSIX's order: tilde, parameters, command substitution and
//! arithmetic, then field splitting of the unquoted results by IFS, pathname expansion,
//! and quote removal. Each field is built twice over: its value, and a pattern in which
//! quoted characters are escaped, so only unquoted `*?[` glob.

use super::arith;
use super::ast::*;
use super::exec::{Flow, Shell, R};
use crate::users::Users;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// `s` matches the shell pattern `pat` (the fnmatch of the test applet).
pub fn fnmatch(pat: &[u8], s: &[u8]) -> bool {
    crate::applets::a_test::glob(pat, s)
}

#[derive(Default)]
struct Field {
    v: Vec<u8>,
    p: Vec<u8>,
    /// Holds an unquoted glob character.
    meta: bool,
    /// Exists even if empty (quotes were seen, or text).
    started: bool,
}

/// IFS as a set of bytes.
#[derive(Clone, Copy, Default)]
struct Ifs([u64; 4]);

impl Ifs {
    fn new(s: &[u8]) -> Ifs {
        let mut m = [0u64; 4];
        for &c in s {
            m[(c >> 6) as usize] |= 1 << (c & 63);
        }
        Ifs(m)
    }
    fn contains(&self, c: &u8) -> bool {
        self.0[(c >> 6) as usize] & (1 << (c & 63)) != 0
    }
    fn is_empty(&self) -> bool {
        self.0 == [0; 4]
    }
}

struct Acc {
    /// The finished fields, globbed (splitting only): pushed straight into the result,
    /// with no list of fields in between to allocate and free for every command.
    out: Vec<Vec<u8>>,
    noglob: bool,
    cur: Field,
    split: bool,
    /// Build the pattern form too (words that may glob, patterns).
    pat: bool,
    /// The pattern form is an extended regular expression (`[[ =~ ]]`), not a glob.
    re: bool,
    /// The current field's pattern form is built as text comes. When splitting it is
    /// built only once an unquoted glob character shows up (most fields have none):
    /// until then `quoted` has the ranges of `v` that came quoted, to escape them then.
    eager: bool,
    quoted: Vec<(usize, usize)>,
    ifs: Ifs,
}

fn is_meta(c: u8) -> bool {
    matches!(c, b'*' | b'?' | b'[')
}

impl Acc {
    fn new(split: bool, ifs: Ifs) -> Acc {
        Acc {
            out: Vec::new(),
            noglob: false,
            cur: Field::default(),
            split,
            pat: split,
            re: false,
            eager: !split,
            quoted: Vec::new(),
            ifs,
        }
    }

    fn lit(&mut self, s: &[u8], quoted: bool) {
        let f = &mut self.cur;
        let start = f.v.len();
        if f.v.capacity() == 0 {
            // One allocation for most fields, not one per doubling.
            f.v.reserve(s.len().max(32));
        }
        f.v.extend_from_slice(s);
        if !self.pat {
            f.started |= quoted || !s.is_empty();
            return;
        }
        if !self.eager {
            if quoted {
                self.quoted.push((start, f.v.len()));
                f.started = true;
                return;
            }
            f.started |= !s.is_empty();
            if !s.iter().any(|&c| is_meta(c)) {
                return;
            }
            // The first glob character: the pattern of what came before, then on as usual.
            self.eager = true;
            let mut k = 0;
            for &(a, b) in &self.quoted {
                f.p.extend_from_slice(&f.v[k..a]);
                for &c in &f.v[a..b] {
                    if is_meta(c) || c == b'\\' {
                        f.p.push(b'\\');
                    }
                    f.p.push(c);
                }
                k = b;
            }
            f.p.extend_from_slice(&f.v[k..start]);
        }
        if quoted {
            for &c in s {
                if self.re && b"\\.[]()*+?{}|^$".contains(&c) || !self.re && (is_meta(c) || c == b'\\') {
                    f.p.push(b'\\');
                }
                f.p.push(c);
            }
            f.started = true;
        } else {
            f.p.extend_from_slice(s);
            f.meta |= s.iter().any(|&c| is_meta(c));
            f.started |= !s.is_empty();
        }
    }

    fn end_field(&mut self) {
        let f = std::mem::take(&mut self.cur);
        self.next_field();
        if f.meta && !self.noglob && has_meta(&f.p) {
            let g = glob(&f.p);
            if !g.is_empty() {
                self.out.extend(g);
                return;
            }
        }
        self.out.push(f.v);
    }

    /// A new field starts: its pattern form lazily again when splitting.
    fn next_field(&mut self) {
        self.quoted.clear();
        self.eager = !self.split;
    }

    /// The result of an expansion: split by IFS unless quoted or not splitting.
    fn exp(&mut self, s: &[u8], quoted: bool) {
        if quoted || !self.split || self.ifs.is_empty() {
            self.lit(s, quoted);
            return;
        }
        let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n');
        let mut i = 0;
        while i < s.len() {
            let c = s[i];
            if !self.ifs.contains(&c) {
                let start = i;
                while i < s.len() && !self.ifs.contains(&s[i]) {
                    i += 1;
                }
                self.lit(&s[start..i], false);
                continue;
            }
            // A delimiter: IFS white space around at most one other IFS character.
            let mut hard = false;
            while i < s.len() && self.ifs.contains(&s[i]) && ws(s[i]) {
                i += 1;
            }
            if i < s.len() && self.ifs.contains(&s[i]) && !ws(s[i]) {
                hard = true;
                i += 1;
                while i < s.len() && self.ifs.contains(&s[i]) && ws(s[i]) {
                    i += 1;
                }
            }
            if hard || self.cur.started {
                self.end_field();
            }
        }
    }
}

/// How `$@`, `$*` and `${x:-word}` expand inside a word.
impl Shell {
    fn ifs(&self) -> Ifs {
        Ifs(self.vars.ifs(|v| Ifs::new(v.unwrap_or(b" \t\n")).0))
    }

    /// Words to fields: split, globbed, quotes removed.
    pub fn expand_words(&mut self, words: &[Word]) -> R<Vec<Vec<u8>>> {
        let ifs = self.ifs();
        let mut acc = Acc::new(true, ifs);
        acc.out.reserve(words.len());
        acc.noglob = self.opt.f;
        for w in words {
            // Plain literal words (most of them) skip the machinery.
            if let [Part::Lit(s)] = w.as_slice() {
                if !s.iter().any(|&c| is_meta(c) || c == b'~') {
                    acc.out.push(s.clone());
                    continue;
                }
            }
            self.word(w, &mut acc, false)?;
            if acc.cur.started {
                acc.end_field();
            } else {
                acc.cur.v.clear();
                acc.cur.p.clear();
                acc.cur.meta = false;
                acc.next_field();
            }
        }
        Ok(acc.out)
    }

    /// One word to one string: no splitting, no globbing (assignments, redirections,
    /// `case`, here-documents).
    pub fn expand_str(&mut self, w: &Word) -> R<Vec<u8>> {
        if let [Part::Lit(s)] = w.as_slice() {
            if !s.starts_with(b"~") {
                return Ok(s.clone());
            }
        }
        let mut acc = Acc::new(false, Ifs::default());
        self.word(w, &mut acc, false)?;
        Ok(acc.cur.v)
    }

    /// An assignment's value: as expand_str, with `~` also after each `:`.
    pub fn expand_assign(&mut self, w: &Word) -> R<Vec<u8>> {
        let mut acc = Acc::new(false, Ifs::default());
        self.word(w, &mut acc, true)?;
        Ok(acc.cur.v)
    }

    /// An assignment's value, without a copy for the common shapes: a literal, or one
    /// `$((...))`.
    pub fn assign_value<'w>(&mut self, w: &'w Word) -> R<std::borrow::Cow<'w, [u8]>> {
        use std::borrow::Cow;
        match w.as_slice() {
            [] => Ok(Cow::Borrowed(&[])),
            [Part::Lit(s)] if !s.contains(&b'~') => Ok(Cow::Borrowed(s)),
            [Part::Quoted(s)] => Ok(Cow::Borrowed(s)),
            [Part::Arith(e)] => {
                let v = self.arith_word(e)?;
                let mut b = [0u8; 20];
                Ok(Cow::Owned(fmt_i64(v, &mut b).to_vec()))
            }
            _ => self.expand_assign(w).map(Cow::Owned),
        }
    }

    /// A pattern (`case`, `${x#p}`): quoted characters escaped.
    pub fn expand_pat(&mut self, w: &Word) -> R<Vec<u8>> {
        let mut acc = Acc::new(false, Ifs::default());
        acc.pat = true;
        self.word(w, &mut acc, false)?;
        Ok(acc.cur.p)
    }

    /// The right side of `[[ =~ ]]`: quoted characters escaped for a regular expression.
    pub fn expand_re(&mut self, w: &Word) -> R<Vec<u8>> {
        let mut acc = Acc::new(false, Ifs::default());
        acc.pat = true;
        acc.re = true;
        self.word(w, &mut acc, false)?;
        Ok(acc.cur.p)
    }

    fn word(&mut self, w: &Word, acc: &mut Acc, assign: bool) -> R<()> {
        for (i, p) in w.iter().enumerate() {
            if let Part::Lit(s) = p {
                if i == 0 && s.starts_with(b"~") {
                    let rest = self.tilde(s, acc, assign);
                    self.lit_assign(rest, acc, assign);
                    continue;
                }
                self.lit_assign(s, acc, assign);
                continue;
            }
            self.part(p, acc, false)?;
        }
        Ok(())
    }

    fn lit_assign(&mut self, s: &[u8], acc: &mut Acc, assign: bool) {
        if !assign || !s.windows(2).any(|w| w == b":~") {
            acc.lit(s, false);
            return;
        }
        let mut first = true;
        for seg in s.split(|&c| c == b':') {
            if !first {
                acc.lit(b":", false);
            }
            if !first && seg.starts_with(b"~") {
                let rest = self.tilde(seg, acc, true);
                acc.lit(rest, false);
            } else {
                acc.lit(seg, false);
            }
            first = false;
        }
    }

    /// Expands a leading `~` / `~user` of `s` into `acc`; the rest of `s`.
    fn tilde<'a>(&mut self, s: &'a [u8], acc: &mut Acc, assign: bool) -> &'a [u8] {
        let end = s
            .iter()
            .position(|&c| c == b'/' || (assign && c == b':'))
            .unwrap_or(s.len());
        let name = &s[1..end];
        let home = if name.is_empty() {
            self.vars.get(b"HOME").map(|h| h.to_vec())
        } else {
            Users::new().user(name).map(|u| u.home.to_vec())
        };
        match home {
            Some(h) => {
                acc.lit(&h, true);
                &s[end..]
            }
            None => s,
        }
    }

    fn part(&mut self, p: &Part, acc: &mut Acc, dq: bool) -> R<()> {
        if !self.stack.ok() {
            return Err(self.fatal(&[b"expansion nesting too deep"]));
        }
        match p {
            Part::Lit(s) => acc.lit(s, dq),
            Part::Quoted(s) => acc.lit(s, true),
            Part::Dq(parts) => {
                let at_only = matches!(parts.as_slice(), [Part::Param(p)] if p.name == b"@" && p.op == Op::Plain);
                if !(at_only && self.pos.is_empty()) {
                    acc.cur.started = true;
                }
                for p in parts {
                    self.part(p, acc, true)?;
                }
            }
            Part::Param(p) => self.param(p, acc, dq)?,
            Part::Cmd(l) => {
                let out = self.subst(l)?;
                acc.exp(&out, dq);
            }
            Part::Arith(w) => {
                let v = self.arith_word(w)?;
                let mut b = [0u8; 20];
                let s = fmt_i64(v, &mut b);
                acc.exp(s, dq);
            }
        }
        Ok(())
    }

    pub fn arith_word(&mut self, w: &Word) -> R<i64> {
        if let [Part::Lit(s)] = w.as_slice() {
            return self.arith(s);
        }
        let s = self.expand_str(w)?;
        self.arith(&s)
    }

    pub fn arith(&mut self, s: &[u8]) -> R<i64> {
        match arith::eval(&mut ArEnv(self), s) {
            Ok(v) => Ok(v),
            Err(m) => Err(self.fatal(&[&m])),
        }
    }

    /// Arithmetic whose error is the caller's to report (`[[ -eq ]]`): Err carries the
    /// message, empty when one was already printed.
    pub fn arith_soft(&mut self, s: &[u8]) -> Result<i64, Vec<u8>> {
        arith::eval(&mut ArEnv(self), s)
    }

    /// A parameter's value, None when unset.
    pub fn param_val(&mut self, name: &[u8]) -> Option<Vec<u8>> {
        let c = name.first().copied().unwrap_or(0);
        if name.len() == 1 || c.is_ascii_digit() {
            match c {
                b'?' => return Some(num(self.status as i64)),
                b'$' => return Some(num(self.pid as i64)),
                b'!' => return self.last_bg.map(|p| num(p as i64)),
                b'#' => return Some(num(self.pos.len() as i64)),
                b'-' => return Some(self.flags()),
                b'@' | b'*' => {
                    if self.pos.is_empty() {
                        return None;
                    }
                    return Some(self.pos.join(&b' '));
                }
                b'0' if name.len() == 1 => return Some(self.arg0.clone()),
                b'0'..=b'9' => {
                    let n = udec(name)? as usize;
                    return self.pos.get(n.checked_sub(1)?).cloned();
                }
                _ => {}
            }
        }
        self.get(name)
    }

    /// `$-`: the single-letter options that are on.
    pub fn flags(&self) -> Vec<u8> {
        let o = &self.opt;
        let mut v = Vec::new();
        // ash's order: its option table read backwards.
        for (on, c) in [
            (o.u, b'u'),
            (o.b, b'b'),
            (o.a, b'a'),
            (o.c, b'C'),
            (o.v, b'v'),
            (o.x, b'x'),
            (o.cmd, b'c'),
            (o.s, b's'),
            (o.n, b'n'),
            (o.m, b'm'),
            (o.i, b'i'),
            (o.ignoreeof, b'I'),
            (o.f, b'f'),
            (o.e, b'e'),
        ] {
            if on {
                v.push(c);
            }
        }
        v
    }

    fn param(&mut self, p: &Param, acc: &mut Acc, dq: bool) -> R<()> {
        if p.op == Op::Len && p.name.first().is_some_and(|&c| is_name_start_byte(c)) {
            // `${#name}` of a set variable: its length, without a copy of the value.
            if let Some(n) = self.vars.get(&p.name).map(|v| v.len()) {
                let mut b = [0u8; 20];
                acc.exp(fmt_i64(n as i64, &mut b), dq);
                return Ok(());
            }
        }
        let special_list = p.name == b"@" || p.name == b"*";
        if special_list && p.op == Op::Plain {
            if dq && p.name == b"*" || !acc.split {
                let sep: Vec<u8> = if !acc.split && !dq {
                    b" ".to_vec()
                } else {
                    match self.vars.get(b"IFS") {
                        Some(i) => i.first().map(|&c| vec![c]).unwrap_or_default(),
                        None => b" ".to_vec(),
                    }
                };
                let j = self.pos.join(&sep[..]);
                acc.exp(&j, dq);
                return Ok(());
            }
            let pos = self.pos.clone();
            for (i, a) in pos.iter().enumerate() {
                if i > 0 && (dq || acc.cur.started) {
                    acc.end_field();
                }
                acc.exp(a, dq);
            }
            return Ok(());
        }
        if p.op == Op::Plain {
            // The common `$name`: straight from the variable, no copy in between.
            if let Some(v) = self.vars.get(&p.name) {
                if p.name.first().is_some_and(|&c| is_name_start_byte(c)) && !matches!(&p.name[..], b"LINENO" | b"RANDOM" | b"SECONDS") {
                    acc.exp(v, dq);
                    return Ok(());
                }
            }
        }
        let trim_op = matches!(p.op, Op::TrimPrefix | Op::TrimPrefixLong | Op::TrimSuffix | Op::TrimSuffixLong);
        if trim_op && p.name.first().is_some_and(|&c| is_name_start_byte(c)) && self.vars.get(&p.name).is_some() {
            // `${name#pat}` on a set variable: trimmed in place.
            let pat = match p.word.as_slice() {
                [Part::Lit(s)] => std::borrow::Cow::Borrowed(&s[..]),
                _ => std::borrow::Cow::Owned(self.expand_pat(&p.word)?),
            };
            if let Some(v) = self.vars.get(&p.name) {
                acc.exp(trim(v, &pat, p.op), dq);
                return Ok(());
            }
        }
        let val = self.param_val(&p.name);
        let set = val.is_some();
        let empty = val.as_ref().is_none_or(|v| v.is_empty());
        let missing = !set || (p.colon && empty);
        match p.op {
            Op::Default | Op::Alt => {
                if missing == (p.op == Op::Default) {
                    for w in &p.word {
                        self.part(w, acc, dq)?;
                    }
                    if p.word.is_empty() && dq {
                        acc.cur.started = true;
                    }
                } else if let Some(v) = val {
                    acc.exp(&v, dq);
                }
                return Ok(());
            }
            Op::Assign => {
                let v = if missing {
                    let v = self.expand_str(&p.word)?;
                    if !super::parse::is_valid_name(&p.name) {
                        return Err(self.fatal(&[b"$", &p.name, b": can't assign in this way"]));
                    }
                    self.setvar(&p.name, &v)?;
                    v
                } else {
                    val.unwrap_or_default()
                };
                acc.exp(&v, dq);
                return Ok(());
            }
            Op::Error => {
                if missing {
                    let m = self.expand_str(&p.word)?;
                    let m: &[u8] = if m.is_empty() {
                        if p.colon { b"parameter not set or null" } else { b"parameter not set" }
                    } else {
                        &m
                    };
                    return Err(self.fatal(&[&p.name, b": ", m]));
                }
                acc.exp(&val.unwrap_or_default(), dq);
                return Ok(());
            }
            _ => {}
        }
        if !set && self.opt.u && !special_list {
            return Err(self.fatal(&[&p.name, b": parameter not set"]));
        }
        let v = val.unwrap_or_default();
        let r: Vec<u8> = match p.op {
            Op::Plain => v,
            Op::Len => {
                // ash: `${#@}` is the length of "$*".
                num(v.len() as i64)
            }
            Op::TrimPrefix | Op::TrimPrefixLong | Op::TrimSuffix | Op::TrimSuffixLong => {
                let pat = match p.word.as_slice() {
                    [Part::Lit(s)] => std::borrow::Cow::Borrowed(&s[..]),
                    _ => std::borrow::Cow::Owned(self.expand_pat(&p.word)?),
                };
                acc.exp(trim(&v, &pat, p.op), dq);
                return Ok(());
            }
            Op::Substr => {
                let off = self.arith_word(&p.word)?;
                let len = match &p.word2 {
                    Some(w) => Some(self.arith_word(w)?),
                    None => None,
                };
                let n = v.len() as i64;
                let start = if off < 0 { (n + off).max(0) } else { off.min(n) };
                let end = match len {
                    None => n,
                    Some(l) if l < 0 => (n + l).max(start),
                    Some(l) => start.saturating_add(l).min(n),
                };
                v[start as usize..end as usize].to_vec()
            }
            Op::Repl | Op::ReplAll => {
                let pat = self.expand_pat(&p.word)?;
                let rep = match &p.word2 {
                    Some(w) => self.expand_str(w)?,
                    None => Vec::new(),
                };
                replace(&v, &pat, &rep, p.op)
            }
            _ => v,
        };
        acc.exp(&r, dq);
        Ok(())
    }
}

/// A pattern's text when it has no glob characters (escapes undone).
fn literal(p: &[u8]) -> Option<std::borrow::Cow<'_, [u8]>> {
    if p.iter().any(|&c| is_meta(c)) {
        return None;
    }
    if !p.contains(&b'\\') {
        return Some(std::borrow::Cow::Borrowed(p));
    }
    Some(std::borrow::Cow::Owned(unescape(p)))
}

fn is_name_start_byte(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphabetic()
}

/// `${x#p}` and friends.
fn trim<'a>(v: &'a [u8], pat: &[u8], op: Op) -> &'a [u8] {
    let n = v.len();
    // The common shapes without trying every length: `lit`, `*lit` and `lit*`.
    let find = |l: &[u8], last: bool| {
        if let [c] = l {
            return if last { crate::bytes::memrchr(*c, v) } else { crate::bytes::memchr(*c, v) };
        }
        let mut it = (0..=n.saturating_sub(l.len())).filter(|&i| v[i..].starts_with(l));
        if last {
            it.next_back()
        } else {
            it.next()
        }
    };
    if let Some(l) = literal(pat) {
        return match op {
            Op::TrimPrefix | Op::TrimPrefixLong => v.strip_prefix(&l[..]).unwrap_or(v),
            _ => v.strip_suffix(&l[..]).unwrap_or(v),
        };
    }
    if let Some(l) = pat.strip_prefix(b"*").and_then(literal) {
        if matches!(op, Op::TrimPrefix | Op::TrimPrefixLong) && !l.is_empty() {
            return match find(&l, op == Op::TrimPrefixLong) {
                Some(i) => &v[i + l.len()..],
                None => v,
            };
        }
    }
    if let Some(l) = pat.strip_suffix(b"*").filter(|p| !p.ends_with(b"\\")).and_then(literal) {
        if matches!(op, Op::TrimSuffix | Op::TrimSuffixLong) && !l.is_empty() {
            return match find(&l, op == Op::TrimSuffix) {
                Some(i) => &v[..i],
                None => v,
            };
        }
    }
    match op {
        Op::TrimPrefix => (0..=n).find(|&i| fnmatch(pat, &v[..i])).map_or(v, |i| &v[i..]),
        Op::TrimPrefixLong => (0..=n).rev().find(|&i| fnmatch(pat, &v[..i])).map_or(v, |i| &v[i..]),
        Op::TrimSuffix => (0..=n).rev().find(|&i| fnmatch(pat, &v[i..])).map_or(v, |i| &v[..i]),
        _ => (0..=n).find(|&i| fnmatch(pat, &v[i..])).map_or(v, |i| &v[..i]),
    }
}

/// `${x/p/r}` and friends: the longest match at the first position that matches.
fn replace(v: &[u8], pat: &[u8], rep: &[u8], op: Op) -> Vec<u8> {
    let n = v.len();
    if pat.is_empty() {
        return v.to_vec();
    }
    match op {
        _ => {
            let mut out = Vec::with_capacity(n);
            let mut i = 0;
            let mut done = false;
            while i < n {
                if !done {
                    if let Some(e) = (i + 1..=n).rev().find(|&e| fnmatch(pat, &v[i..e])) {
                        out.extend_from_slice(rep);
                        i = e;
                        done = op == Op::Repl;
                        continue;
                    }
                }
                out.push(v[i]);
                i += 1;
            }
            out
        }
    }
}

/// A number's decimal text.
pub fn num(v: i64) -> Vec<u8> {
    let mut b = [0u8; 20];
    fmt_i64(v, &mut b).to_vec()
}

/// A decimal number as Rust's `parse` reads one (an optional sign, then only digits),
/// None on anything else or past i64: one copy for every number the shell reads, not a
/// `str::parse` per integer type.
#[inline(never)]
pub fn dec(s: &[u8]) -> Option<i64> {
    let (neg, d) = match s.split_first() {
        Some((b'-', d)) => (true, d),
        Some((b'+', d)) => (false, d),
        _ => (false, s),
    };
    if d.is_empty() {
        return None;
    }
    let mut n: i64 = 0;
    for &c in d {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add((c - b'0') as i64)?;
    }
    Some(if neg { -n } else { n })
}

/// `dec` for an unsigned type: no `-`.
pub fn udec(s: &[u8]) -> Option<u64> {
    if s.first() == Some(&b'-') {
        return None;
    }
    dec(s).map(|n| n as u64)
}

/// `dec` for an `i32`.
pub fn dec32(s: &[u8]) -> Option<i32> {
    dec(s).and_then(|n| i32::try_from(n).ok())
}

/// Appends a number's decimal text.
#[inline(never)]
pub fn push_num(o: &mut Vec<u8>, v: i64) {
    let mut b = [0u8; 20];
    o.extend_from_slice(fmt_i64(v, &mut b));
}

pub fn fmt_i64(v: i64, b: &mut [u8; 20]) -> &[u8] {
    if v >= 0 {
        return crate::cx::fmt_u64(v as u64, b);
    }
    let s = crate::cx::fmt_u64(v.unsigned_abs(), b);
    let start = 20 - s.len() - 1;
    b[start] = b'-';
    &b[start..]
}

struct ArEnv<'a>(&'a mut Shell);

impl arith::Env for ArEnv<'_> {
    fn get(&mut self, name: &[u8]) -> Option<Vec<u8>> {
        let v = self.0.get(name);
        if v.is_none() && self.0.opt.u {
            // ash takes an unset name as 0 in arithmetic even under `set -u`.
        }
        v
    }
    fn get_int(&mut self, name: &[u8]) -> Option<Option<i64>> {
        let Some(v) = self.0.vars.get(name) else {
            return self.0.get(name).map(|_| None);
        };
        // A plain decimal number (the usual case) is read in place.
        let (neg, d) = match v.first() {
            Some(b'-') => (true, &v[1..]),
            _ => (false, v),
        };
        if d.is_empty() || d.len() > 18 || d[0] == b'0' && d.len() > 1 || !d.iter().all(|c| c.is_ascii_digit()) {
            return Some(None);
        }
        let n = d.iter().fold(0i64, |n, c| n * 10 + (c - b'0') as i64);
        Some(Some(if neg { -n } else { n }))
    }
    fn set(&mut self, name: &[u8], val: i64) -> Result<(), Vec<u8>> {
        let mut b = [0u8; 20];
        let s = fmt_i64(val, &mut b);
        match self.0.setvar(name, s) {
            Ok(()) => Ok(()),
            Err(Flow::Exit(_)) => Err(Vec::new()),
            Err(_) => Ok(()),
        }
    }
}

/// A component of a pattern holds an unescaped glob character (a `[` only with a `]`
/// after it: `[ -f x ]` must not read the directory).
fn has_meta(p: &[u8]) -> bool {
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'\\' => i += 1,
            b'*' | b'?' => return true,
            b'[' if p[i + 1..].contains(&b']') => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

fn unescape(p: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(p.len());
    let mut i = 0;
    while i < p.len() {
        if p[i] == b'\\' && i + 1 < p.len() {
            i += 1;
        }
        v.push(p[i]);
        i += 1;
    }
    v
}

/// Pathname expansion: the sorted names matching `pat`, empty when none do.
pub fn glob(pat: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let (base, rest) = if let Some(r) = pat.strip_prefix(b"/") {
        (b"/".to_vec(), r)
    } else {
        (Vec::new(), pat)
    };
    let comps: Vec<&[u8]> = rest.split(|&c| c == b'/').collect();
    walk(base, &comps, &mut out);
    super::vars::sort(&mut out);
    out
}

fn walk(base: Vec<u8>, comps: &[&[u8]], out: &mut Vec<Vec<u8>>) {
    let Some((&c, rest)) = comps.split_first() else {
        out.push(base);
        return;
    };
    if c.is_empty() {
        // `//` or a trailing `/`: keep the slash (a directory is required after it).
        if rest.is_empty() {
            if std::fs::metadata(OsStr::from_bytes(&base)).is_ok_and(|m| m.is_dir()) {
                out.push([&base[..], b"/"].concat());
            }
            return;
        }
        let mut b = base;
        b.push(b'/');
        return walk(b, rest, out);
    }
    if !has_meta(c) {
        let mut b = base;
        b.extend_from_slice(&unescape(c));
        if rest.is_empty() {
            if std::fs::symlink_metadata(OsStr::from_bytes(&b)).is_ok() {
                out.push(b);
            }
            return;
        }
        if rest != [b""] {
            b.push(b'/');
        }
        return walk(b, rest, out);
    }
    let dir: &[u8] = if base.is_empty() { b"." } else { &base };
    let Ok(rd) = std::fs::read_dir(OsStr::from_bytes(dir)) else {
        return;
    };
    let dot = c.starts_with(b".") || c.starts_with(b"\\.");
    // readdir's `.` and `..` too, which std leaves out.
    let dots = [b".".to_vec(), b"..".to_vec()];
    let mut names: Vec<Vec<u8>> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().as_bytes().to_vec())
        .chain(dots.into_iter().filter(|_| dot))
        .filter(|n| (dot || !n.starts_with(b".")) && fnmatch(c, n))
        .collect();
    super::vars::sort(&mut names);
    for n in names {
        let mut b = base.clone();
        b.extend_from_slice(&n);
        if rest.is_empty() {
            out.push(b);
        } else if rest == [b""] {
            walk(b, rest, out);
        } else {
            b.push(b'/');
            walk(b, rest, out);
        }
    }
}
