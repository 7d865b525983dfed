//! applet: grep egrep fgrep
//! dir: bin
//! usage: grep [-HhnlLoqvsrRiwFEz] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...
//! Search for PATTERN in FILEs (or stdin)
//!
//! -H  Add 'filename:' prefix
//! -h  Do not add 'filename:' prefix
//! -n  Add 'line_no:' prefix
//! -l  Show only names of files that match
//! -L  Show only names of files that don't match
//! -c  Show only count of matching lines
//! -o  Show only the matching part of line
//! -q  Quiet. Return 0 if PATTERN is found, 1 otherwise
//! -v  Select non-matching lines
//! -s  Suppress open and read errors
//! -r  Recurse
//! -R  Recurse and dereference symlinks
//! -i  Ignore case
//! -w  Match whole words only
//! -x  Match whole lines only
//! -F  PATTERN is a literal (not regexp)
//! -E  PATTERN is an extended regexp
//! -z  NUL terminated input
//! -m N  Match up to N times per file
//! -A N  Print N lines of trailing context
//! -B N  Print N lines of leading context
//! -C N  Same as '-A N -B N'
//! -e PTRN  Pattern to match
//! -f FILE  Read pattern from file

// The search is over whole blocks, not line by line (as ripgrep does): the engine finds the
// next match in the block (memmem on a required literal, else the NFA over the bytes), and
// only then are the line's bounds looked for. Lines between matches are never looked at
// unless they are printed (-v), numbered (-n) or context.

use crate::io::{Input, BLOCK};
use crate::regex::{self, Flags, Regex};
use crate::walk::{Act, Follow, Kind, Walker};
use crate::{Cx, Fail, Res};
use std::collections::VecDeque;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

struct G {
    res: Vec<Regex>,
    /// Per pattern: whether `cache` is known for this block, and its next match.
    cache: Vec<(bool, Option<usize>)>,
    invert: bool,
    count: bool,
    files_with: bool,
    files_without: bool,
    only: bool,
    quiet: bool,
    num: bool,
    names: bool,
    silent: bool,
    z: bool,
    max: Option<u64>,
    after: u64,
    before: u64,
    /// Something was printed (for the `--` between context groups).
    printed: bool,
    /// Exit status so far: 1 (nothing selected), 0, or 2 (an error).
    found: bool,
    error: bool,
    /// -L printed a name (its exit status is about that).
    listed: bool,
    /// -q found a line: stop everything.
    stop: bool,
    buf: Vec<u8>,
}

/// What one file's search keeps between lines.
struct F<'n> {
    name: &'n [u8],
    lineno: u64,
    selected: u64,
    after_left: u64,
    last: Option<u64>,
    /// Lines that may become leading context: (number, start, end) in the buffer.
    ring: VecDeque<(u64, usize, usize)>,
    done: bool,
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx
        .getopt(
            args,
            "HhnlLocqvsrRiwxFEzaIm:A:B:C:e:f:\x01::",
            &[("color", 1), ("colour", 1)],
        )
        .map_err(|_| Fail(2))?;
    let n = |c: u8| -> Res<Option<u64>> {
        match o.val(c) {
            Some(v) => cx.num_u64(v).map(Some).map_err(|_| Fail(2)),
            None => Ok(None),
        }
    };
    let ctx = n(b'C')?.unwrap_or(0);
    let after = n(b'A')?.unwrap_or(ctx);
    let before = n(b'B')?.unwrap_or(ctx);
    let max = n(b'm')?;

    let mut pats: Vec<Vec<u8>> = Vec::new();
    let mut given = false;
    for (c, v) in &o.seen {
        let Some(v) = v else { continue };
        match c {
            b'e' => {
                given = true;
                pats.push(v.as_bytes().to_vec());
            }
            b'f' => {
                given = true;
                let data = match read_all(v) {
                    Ok(d) => d,
                    Err(e) => {
                        cx.err_no(v.as_bytes(), e);
                        return Ok(2);
                    }
                };
                let body = data.strip_suffix(b"\n").unwrap_or(&data);
                if !data.is_empty() {
                    pats.extend(body.split(|&b| b == b'\n').map(|l| l.to_vec()));
                }
            }
            _ => {}
        }
    }
    let mut files: &[&OsStr] = &o.args;
    if !given {
        let Some((p, rest)) = files.split_first() else { return Err(Fail(cx.usage().0 + 1)) };
        pats.push(p.as_bytes().to_vec());
        files = rest;
    }

    let fixed = o.has(b'F') || cx.name == "fgrep";
    let ere = o.has(b'E') || cx.name == "egrep";
    let z = o.has(b'z');
    let mut flags = Flags::NOSUB;
    if !z {
        flags = flags | Flags::LINES;
    }
    if ere && !fixed {
        flags = flags | Flags::ERE;
    }
    if o.has(b'i') {
        flags = flags | Flags::ICASE;
    }
    if o.has(b'x') {
        flags = flags | Flags::WHOLE;
    }
    let mut res = Vec::with_capacity(pats.len());
    for p in &pats {
        let mut f = flags;
        let pat = if fixed { escape(p) } else { p.clone() };
        // BusyBox matches every line for -Fw with an empty pattern.
        if o.has(b'w') && !(fixed && p.is_empty()) {
            f = f | Flags::WORD;
        }
        match regex::compile(&pat, f) {
            Ok(r) => res.push(r),
            Err(_) => {
                cx.err(&[b"bad regex '", p, b"'"]);
                return Ok(2);
            }
        }
    }

    // Several patterns are one alternation, searched once (each was checked alone above,
    // for its own error message); back-references would renumber, so those stay apart.
    if res.len() > 1 && !res.iter().any(|r| r.has_backrefs()) && !(fixed && o.has(b'w') && pats.iter().any(|p| p.is_empty())) {
        let bar: &[u8] = if ere && !fixed { b"|" } else { b"\\|" };
        let mut all = Vec::new();
        for (i, p) in pats.iter().enumerate() {
            if i > 0 {
                all.extend_from_slice(bar);
            }
            all.extend_from_slice(&if fixed { escape(p) } else { p.clone() });
        }
        let f = if o.has(b'w') { flags | Flags::WORD } else { flags };
        if let Ok(r) = regex::compile(&all, f) {
            res = vec![r];
        }
    }
    let recurse = o.has(b'r') || o.has(b'R');
    let mut g = G {
        cache: vec![(false, None); res.len()],
        res,
        invert: o.has(b'v'),
        count: o.has(b'c'),
        files_with: o.has(b'l'),
        files_without: o.has(b'L'),
        only: o.has(b'o'),
        quiet: o.has(b'q'),
        num: o.has(b'n'),
        names: !o.has(b'h') && (o.has(b'H') || files.len() > 1),
        silent: o.has(b's'),
        z,
        max,
        after,
        before,
        printed: false,
        found: false,
        error: false,
        stop: false,
        listed: false,
        buf: Vec::new(),
    };
    if files.is_empty() {
        g.file(cx, Input::stdin(), b"(standard input)");
    }
    let mut walker = None;
    for f in files {
        let name = f.as_bytes();
        if recurse && name != b"-" && std::fs::metadata(f).is_ok_and(|m| m.is_dir()) {
            let w = walker.get_or_insert_with(|| {
                Walker::new(if o.has(b'R') { Follow::Always } else { Follow::Roots })
            });
            // Files found in a directory are named (a single FILE operand is not).
            let named = g.names;
            g.names = !o.has(b'h');
            w.walk(name, &mut |e| {
                match e.kind {
                    Kind::File => g.path(cx, OsStr::from_bytes(e.path)),
                    Kind::OpenErr | Kind::ReadErr | Kind::StatErr => {
                        g.error = true;
                        if !g.silent {
                            cx.err_no(e.path, e.err);
                        }
                    }
                    _ => {}
                }
                if g.stop {
                    Act::Stop
                } else {
                    Act::Continue
                }
            });
            g.names = named;
        } else {
            g.path(cx, f);
        }
        if g.stop {
            break;
        }
    }
    // A back-reference search that ran out of its work bound answered "no match": say so.
    if let Some(e) = g.res.iter().find_map(|r| r.error()) {
        cx.err(&[e.as_bytes()]);
        g.error = true;
    }
    Ok(if g.stop {
        0
    } else if g.error {
        2
    } else if g.found && !g.files_without || g.listed {
        0
    } else {
        1
    })
}

/// -F: the pattern as a BRE that matches it literally.
fn escape(p: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(p.len() * 2);
    for &b in p {
        if matches!(b, b'.' | b'[' | b'\\' | b'*' | b'^' | b'$') {
            v.push(b'\\');
        }
        v.push(b);
    }
    v
}

fn read_all(path: &OsStr) -> Result<Vec<u8>, i32> {
    let mut inp = Input::open(path)?;
    let mut v = Vec::new();
    let mut b = vec![0u8; 16 * 1024];
    loop {
        let n = inp.read(&mut b)?;
        if n == 0 {
            return Ok(v);
        }
        v.extend_from_slice(&b[..n]);
    }
}

impl G {
    fn path(&mut self, cx: &mut Cx, p: &OsStr) {
        match Input::open(p) {
            Ok(i) => {
                let name = if p.as_bytes() == b"-" { &b"(standard input)"[..] } else { p.as_bytes() };
                self.file(cx, i, name)
            }
            Err(e) => {
                self.error = true;
                if !self.silent {
                    cx.err_no(p.as_bytes(), e);
                }
            }
        }
    }

    fn sep(&self) -> u8 {
        if self.z {
            0
        } else {
            b'\n'
        }
    }

    /// Searches one input.
    fn file(&mut self, cx: &mut Cx, mut inp: Input, name: &[u8]) {
        let mut buf = std::mem::take(&mut self.buf);
        let mut f = F {
            name,
            lineno: 1,
            selected: 0,
            after_left: 0,
            last: None,
            ring: VecDeque::new(),
            done: false,
        };
        let sep = self.sep();
        let mut len = 0;
        let mut start = 0;
        let mut eof = false;
        while !eof && !f.done && !self.stop {
            // Keep the unprocessed tail and any lines that may still be leading context.
            let keep = f.ring.front().map_or(start, |r| r.1.min(start));
            if keep > 0 {
                buf.copy_within(keep..len, 0);
                len -= keep;
                start -= keep;
                for r in f.ring.iter_mut() {
                    r.1 -= keep;
                    r.2 -= keep;
                }
            }
            if buf.len() - len < BLOCK / 2 {
                buf.resize((buf.len() * 2).max(2 * BLOCK), 0);
            }
            match inp.read(&mut buf[len..]) {
                Ok(0) => eof = true,
                Ok(n) => len += n,
                // A directory reads as empty, as BusyBox has it.
                Err(libc::EISDIR) => eof = true,
                Err(e) => {
                    self.error = true;
                    if !self.silent {
                        cx.err_no(name, e);
                    }
                    eof = true;
                }
            }
            let end = if eof {
                len
            } else {
                match crate::bytes::memrchr(sep, &buf[start..len]) {
                    Some(i) => start + i + 1,
                    None => continue,
                }
            };
            self.block(cx, &buf[..end], start, &mut f);
            start = end;
        }
        self.buf = buf;
        if self.stop {
            return;
        }
        if f.selected > 0 {
            self.found = true;
        }
        if self.count && !self.files_with && !self.files_without {
            if self.names {
                cx.out.write(name);
                cx.out.byte(b':');
            }
            cx.out.num(f.selected);
            cx.out.byte(b'\n');
        } else if self.files_without && f.selected == 0 && !self.quiet {
            cx.out.line(name);
            self.listed = true;
        }
    }

    /// The next line with a match at or after `pos`: (start, end without its separator).
    fn next_match(&mut self, hay: &[u8], mut pos: usize) -> Option<(usize, usize)> {
        let end = hay.len();
        if self.z {
            while pos < end {
                let le = crate::bytes::memchr(0, &hay[pos..]).map_or(end, |i| pos + i);
                let rec = &hay[pos..le];
                if self.res.iter().any(|r| r.is_match(rec)) {
                    return Some((pos, le));
                }
                pos = le + 1;
            }
            return None;
        }
        let mut best: Option<usize> = None;
        for (r, c) in self.res.iter().zip(self.cache.iter_mut()) {
            let p = match *c {
                (true, None) => None,
                (true, Some(p)) if p >= pos => Some(p),
                _ => {
                    let p = r.find_any_at(hay, pos);
                    *c = (true, p);
                    p
                }
            };
            if let Some(p) = p {
                best = Some(best.map_or(p, |b: usize| b.min(p)));
            }
        }
        let p = best?;
        // The empty "line" after a final newline is no line.
        if p >= end && end > 0 && hay[end - 1] == b'\n' {
            return None;
        }
        let ls = crate::bytes::memrchr(b'\n', &hay[pos..p]).map_or(pos, |i| pos + i + 1);
        let le = crate::bytes::memchr(b'\n', &hay[p..]).map_or(end, |i| p + i);
        Some((ls, le))
    }

    /// Lines of `hay` from `pos` (complete lines, the last maybe without a separator).
    fn block(&mut self, cx: &mut Cx, hay: &[u8], mut pos: usize, f: &mut F) {
        for c in self.cache.iter_mut() {
            c.0 = false;
        }
        let end = hay.len();
        let sep = self.sep();
        let plain_v = self.invert
            && !self.only
            && !self.names
            && !self.num
            && !self.count
            && !self.quiet
            && !self.files_with
            && !self.files_without
            && self.max.is_none()
            && self.before == 0
            && self.after == 0;
        let need_lines = self.num || self.before > 0 || self.after > 0 || self.invert || self.max.is_some();
        while pos < end && !f.done && !self.stop {
            let m = if f.done { None } else { self.next_match(hay, pos) };
            let gap_end = m.map_or(end, |m| m.0);
            if gap_end > pos {
                if plain_v {
                    // Non-matching lines printed as they are, in one write.
                    let gap = &hay[pos..gap_end];
                    cx.out.write(gap);
                    if gap.last() != Some(&sep) {
                        cx.out.byte(sep);
                    }
                    f.selected += 1;
                } else if need_lines {
                    let mut s = pos;
                    while s < gap_end && !f.done && !self.stop {
                        let e = crate::bytes::memchr(sep, &hay[s..gap_end]).map_or(gap_end, |i| s + i);
                        self.line(cx, hay, s, e, false, f);
                        s = e + 1;
                    }
                }
            }
            let Some((ls, le)) = m else { break };
            if f.done || self.stop {
                break;
            }
            self.line(cx, hay, ls, le, true, f);
            pos = le + 1;
        }
    }

    fn prefix(&self, cx: &mut Cx, f: &F, n: u64, c: u8) {
        if self.names {
            cx.out.write(f.name);
            cx.out.byte(c);
        }
        if self.num {
            cx.out.num(n);
            cx.out.byte(c);
        }
    }

    /// Prints `--` when a context group does not follow the last line printed.
    fn group_sep(&mut self, cx: &mut Cx, f: &F, n: u64) {
        if (self.before > 0 || self.after > 0) && self.printed && f.last.is_none_or(|l| n != l + 1) {
            cx.out.write(b"--\n");
        }
    }

    fn print(&mut self, cx: &mut Cx, f: &mut F, n: u64, line: &[u8], c: u8) {
        self.group_sep(cx, f, n);
        self.prefix(cx, f, n, c);
        cx.out.write(line);
        cx.out.byte(self.sep());
        self.printed = true;
        f.last = Some(n);
    }

    /// One line, with a match or without.
    fn line(&mut self, cx: &mut Cx, hay: &[u8], s: usize, e: usize, matched: bool, f: &mut F) {
        let n = f.lineno;
        f.lineno += 1;
        let line = &hay[s..e];
        if self.max.is_some_and(|m| m > 0 && f.selected >= m) {
            // Past -m: only trailing context is left to print.
            if f.after_left > 0 && !self.count && !self.files_with {
                f.after_left -= 1;
                self.print(cx, f, n, line, b'-');
            }
            if f.after_left == 0 {
                f.done = true;
            }
            return;
        }
        if matched == self.invert {
            if f.after_left > 0 {
                f.after_left -= 1;
                self.print(cx, f, n, line, b'-');
            } else if self.before > 0 {
                f.ring.push_back((n, s, e));
                if f.ring.len() as u64 > self.before {
                    f.ring.pop_front();
                }
            }
            return;
        }
        f.selected += 1;
        if self.quiet {
            self.stop = true;
            return;
        }
        if self.files_with {
            cx.out.line(f.name);
            f.done = true;
            return;
        }
        if self.max == Some(0) {
            // BusyBox: -m 0 stops at the first selected line, counted but not printed.
            f.done = true;
            return;
        }
        if self.count || self.files_without {
            return;
        }
        while let Some((k, a, b)) = f.ring.pop_front() {
            if f.last.is_none_or(|l| k > l) {
                self.print(cx, f, k, &hay[a..b], b'-');
            }
        }
        if self.only {
            if !self.invert {
                self.matches(cx, f, n, line);
            }
        } else {
            self.print(cx, f, n, line, b':');
        }
        f.after_left = self.after;
    }

    /// -o: every non-empty match of the line, leftmost first.
    fn matches(&mut self, cx: &mut Cx, f: &mut F, n: u64, line: &[u8]) {
        let mut p = 0;
        while p <= line.len() {
            let mut best: Option<(usize, usize)> = None;
            for r in &self.res {
                if let Some((a, b)) = r.find_span(line, p, false) {
                    if best.is_none_or(|(x, y)| a < x || (a == x && b > y)) {
                        best = Some((a, b));
                    }
                }
            }
            let Some((a, b)) = best else { break };
            if a == b {
                p = a + 1;
                continue;
            }
            self.group_sep(cx, f, n);
            self.prefix(cx, f, n, b':');
            let m = &line[a..b];
            if m.len() <= 16 {
                // Short matches byte by byte: musl's memcpy costs more per call.
                m.iter().for_each(|&c| cx.out.byte(c));
            } else {
                cx.out.write(m);
            }
            cx.out.byte(b'\n');
            self.printed = true;
            f.last = Some(n);
            p = b;
        }
    }
}
