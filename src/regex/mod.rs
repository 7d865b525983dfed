//! rbox's POSIX regular expressions (BRE and ERE with GNU's extensions), on bytes, C locale:
//!
//! ```text
//! let re = regex::compile(b"\\(a\\|ab\\)\\(b*\\)", Flags::NONE)?;   // Err: glibc's text
//! let m = re.find_at(b"xabz", 0, false).unwrap();                 // leftmost-longest
//! assert_eq!((m.get(0), m.get(1), m.get(2)), (Some((1, 3)), Some((1, 3)), Some((3, 3))));
//! ```
//! The pipeline: `parse` (pattern to AST), `compile` (AST to a Thompson NFA), `pike` (the NFA
//! simulation: overall match in linear time, then POSIX sub-matches inside it),
//! `backtrack` (only for back-references, with a work bound). Prefilters: a pattern that is
//! one literal is found with memmem; otherwise the longest literal every match contains
//! (memmem) and the bytes a match can start with (memchr) skip text that cannot match.

mod backtrack;
mod compile;
mod dfa;
mod parse;
mod pike;

use parse::{Look, Node, Set};
use std::cell::{Cell, RefCell};

pub use parse::Error;

/// Compile flags (REG_EXTENDED, REG_ICASE, REG_NEWLINE, REG_NOSUB and rbox's own).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Flags(pub u8);

impl Flags {
    pub const NONE: Flags = Flags(0);
    /// ERE instead of BRE.
    pub const ERE: Flags = Flags(1);
    pub const ICASE: Flags = Flags(2);
    /// REG_NEWLINE: `.` and `[^x]` do not match a newline; `^`/`$` match around one.
    pub const NEWLINE: Flags = Flags(4);
    /// Only the overall match is wanted (no sub-match positions).
    pub const NOSUB: Flags = Flags(8);
    /// The text is many lines and a match never spans a newline: every anchor is a line
    /// anchor, no byte test matches `\n` (grep searching a whole buffer at once).
    pub const LINES: Flags = Flags(16);
    /// grep -x: the match must be a whole line (or the whole text).
    pub const WHOLE: Flags = Flags(32);
    /// grep -w: no word character just before or after the match.
    pub const WORD: Flags = Flags(64);

    pub fn has(self, f: Flags) -> bool {
        self.0 & f.0 == f.0
    }
}

impl std::ops::BitOr for Flags {
    type Output = Flags;
    fn bitor(self, o: Flags) -> Flags {
        Flags(self.0 | o.0)
    }
}

/// Positions of a match: `get(0)` the whole, `get(1..=9)` the sub-expressions (None: did
/// not take part).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Match {
    pub pos: [Option<(usize, usize)>; 10],
}

impl Match {
    pub fn get(&self, i: usize) -> Option<(usize, usize)> {
        self.pos.get(i).copied().flatten()
    }
    pub fn start(&self) -> usize {
        self.pos[0].map_or(0, |p| p.0)
    }
    pub fn end(&self) -> usize {
        self.pos[0].map_or(0, |p| p.1)
    }
}

/// A compiled pattern. Matching keeps scratch space inside, so a `Regex` is used by one
/// thread (rbox's applets are single-threaded).
pub struct Regex {
    ast: Node,
    ngroups: usize,
    flags: Flags,
    prog: compile::Prog,
    backref: bool,
    /// The bytes every match starts with (None: any, or it may be empty).
    first: Option<Set>,
    /// `first` as up to three bytes for memchr (`nfirst` of them; 0: more than three).
    first_bytes: [u8; 3],
    nfirst: usize,
    /// The whole pattern is this literal (no groups, no flags that change it).
    lit: Option<Vec<u8>>,
    /// A literal every match contains (may be empty).
    req: Vec<u8>,
    /// memmem searchers for `lit` / `req`, built once.
    lit_f: Option<crate::bytes::memmem::Finder>,
    req_f: crate::bytes::memmem::Finder,
    /// Every match starts with this literal (two bytes or more, no back-references).
    #[cfg(not(rbox_tiny))]
    pre_f: Option<crate::bytes::memmem::Finder>,
    vm: RefCell<pike::Vm>,
    dfa: RefCell<dfa::Dfa>,
    /// The anchored DFA, for the longest match from a start (find_span).
    adfa: RefCell<dfa::Dfa>,
    err: Cell<Option<Error>>,
}

/// Error text for a back-reference search that ran out of its work bound.
pub const E_TOO_COMPLEX: Error = "back-reference search too complex";

/// Compiles a pattern; Err is glibc's message (`Unmatched ( or \(`), which BusyBox prints.
pub fn compile(pat: &[u8], flags: Flags) -> Result<Regex, Error> {
    let (mut ast, ngroups) = parse::parse(pat, flags)?;
    if flags.has(Flags::WHOLE) {
        ast = Node::Concat(vec![
            Node::Look(Look::BufStart),
            ast,
            Node::Look(Look::BufEnd),
        ]);
    }
    if flags.has(Flags::WORD) {
        ast = Node::Concat(vec![
            Node::Look(Look::NoWordBefore),
            ast,
            Node::Look(Look::NoWordAfter),
        ]);
    }
    if flags.has(Flags::LINES) {
        strip_newline(&mut ast);
    }
    let prog = compile::compile(std::slice::from_ref(&ast), false)?;
    let backref = ast.has_backref();
    let (f, nullable) = first(&ast);
    #[cfg(not(rbox_tiny))]
    let (lit, req, pre) = {
        let lit = match pure(&ast) {
            Some(l) if !l.is_empty() && ngroups == 0 => Some(l),
            _ => None,
        };
        let mut req = Vec::new();
        required(&ast, &mut Vec::new(), &mut req);
        let mut pre = Vec::new();
        prefix(&ast, &mut pre);
        (lit, req, pre)
    };
    // The tiny tier keeps only the first-byte skip: the literals are prefilters, and the
    // automata give the same answers without them (more slowly on literal patterns).
    #[cfg(rbox_tiny)]
    let (lit, req): (Option<Vec<u8>>, Vec<u8>) = (None, Vec::new());
    // One pass counts the first bytes and keeps the first three.
    let mut first_bytes = [0u8; 3];
    let mut n = 0;
    for b in 0..=255u8 {
        if f.has(b) {
            if let Some(x) = first_bytes.get_mut(n) {
                *x = b;
            }
            n += 1;
        }
    }
    let nfirst = if n <= 3 { n } else { 0 };
    let first = if nullable || n == 256 { None } else { Some(f) };
    Ok(Regex {
        first_bytes,
        nfirst,
        ast,
        ngroups,
        flags,
        prog,
        backref,
        first,
        lit_f: lit.as_ref().map(|l| crate::bytes::memmem::Finder::new(l)),
        req_f: crate::bytes::memmem::Finder::new(&req),
        #[cfg(not(rbox_tiny))]
        pre_f: (pre.len() >= 2 && !backref).then(|| crate::bytes::memmem::Finder::new(&pre)),
        lit,
        req,
        vm: RefCell::new(pike::Vm::default()),
        dfa: RefCell::new(dfa::Dfa::new(
            flags.has(Flags::NEWLINE) || flags.has(Flags::LINES),
            flags.has(Flags::LINES),
            false,
        )),
        adfa: RefCell::new(dfa::Dfa::new(
            flags.has(Flags::NEWLINE) || flags.has(Flags::LINES),
            flags.has(Flags::LINES),
            true,
        )),
        err: Cell::new(None),
    })
}

/// LINES: no byte test may match a newline.
fn strip_newline(n: &mut Node) {
    match n {
        Node::Set(s) => s.0[0] &= !(1u64 << b'\n'),
        Node::Byte(b'\n') => *n = Node::Set(Set::EMPTY),
        Node::Group(_, b) | Node::Repeat(b, ..) => strip_newline(b),
        Node::Concat(v) | Node::Alt(v) => v.iter_mut().for_each(strip_newline),
        _ => {}
    }
}

/// The bytes a match of `n` can start with, and whether `n` can match empty.
fn first(n: &Node) -> (Set, bool) {
    let mut s = Set::EMPTY;
    match n {
        Node::Empty | Node::Look(_) => (s, true),
        Node::Byte(b) => {
            s.add(*b);
            (s, false)
        }
        Node::Set(x) => (*x, false),
        Node::Backref(_) => {
            s.invert();
            (s, true)
        }
        Node::Group(_, b) => first(b),
        Node::Repeat(b, min, _) => {
            let (s, e) = first(b);
            (s, e || *min == 0)
        }
        Node::Concat(v) => {
            for x in v {
                let (f, e) = first(x);
                s.union(&f);
                if !e {
                    return (s, false);
                }
            }
            (s, true)
        }
        Node::Alt(v) => {
            let mut empty = false;
            for x in v {
                let (f, e) = first(x);
                s.union(&f);
                empty |= e;
            }
            (s, empty)
        }
    }
}

#[cfg(not(rbox_tiny))]
/// The literal `n` is, if it is one.
fn pure(n: &Node) -> Option<Vec<u8>> {
    match n {
        Node::Byte(b) => Some(vec![*b]),
        Node::Concat(v) => {
            let mut out = Vec::new();
            for x in v {
                out.extend(pure(x)?);
            }
            Some(out)
        }
        _ => None,
    }
}

#[cfg(not(rbox_tiny))]
/// Appends the literal every match of `n` starts with; false where it may go on with
/// something else (so the caller stops there).
fn prefix(n: &Node, out: &mut Vec<u8>) -> bool {
    match n {
        Node::Empty | Node::Look(_) => true,
        Node::Byte(b) => {
            out.push(*b);
            true
        }
        Node::Group(_, b) => prefix(b, out),
        Node::Concat(v) => v.iter().all(|x| prefix(x, out)),
        Node::Repeat(b, min, max) if *min >= 1 => {
            if *max != Some(1) {
                // One copy for sure; the rest may be shorter or longer.
                prefix(b, out);
                return false;
            }
            prefix(b, out)
        }
        _ => false,
    }
}

#[cfg(not(rbox_tiny))]
/// The longest literal run every match of `n` contains: `run` is the run being built.
fn required(n: &Node, run: &mut Vec<u8>, best: &mut Vec<u8>) {
    let flush = |run: &mut Vec<u8>, best: &mut Vec<u8>| {
        if run.len() > best.len() {
            *best = std::mem::take(run);
        }
        run.clear();
    };
    match n {
        Node::Byte(b) => {
            run.push(*b);
            if run.len() > best.len() {
                best.clone_from(run);
            }
        }
        Node::Concat(v) => {
            for x in v {
                required(x, run, best);
            }
        }
        Node::Group(_, b) => required(b, run, best),
        Node::Repeat(b, min, max) if *min >= 1 => {
            if *min == 1 && *max == Some(1) {
                return required(b, run, best);
            }
            if let Some(l) = pure(b) {
                // `ab+c`: "ab" is required, then the run ends.
                for _ in 0..*min.min(&64) {
                    run.extend_from_slice(&l);
                }
                return flush(run, best);
            }
            flush(run, best);
            required(b, &mut Vec::new(), best);
            flush(run, best);
        }
        _ => flush(run, best),
    }
}

impl Regex {
    pub fn ngroups(&self) -> usize {
        self.ngroups
    }

    /// A literal every match contains (empty: none known). A caller matching record by
    /// record may skip, unmatched, the records that do not contain it (awk's `/re/`).
    pub fn required(&self) -> &[u8] {
        &self.req
    }

    /// Whether the pattern has back-references (and so is matched by the backtracker).
    pub fn has_backrefs(&self) -> bool {
        self.backref
    }

    /// Set when a back-reference search ran out of its work bound (the answer then said
    /// "no match"); an applet reports it (`E_TOO_COMPLEX`) as an error.
    pub fn error(&self) -> Option<Error> {
        self.err.get()
    }

    fn ctx<'h>(&self, hay: &'h [u8], not_bol: bool) -> pike::Ctx<'h> {
        pike::Ctx {
            hay,
            not_bol,
            multi: self.flags.has(Flags::NEWLINE) || self.flags.has(Flags::LINES),
            lines: self.flags.has(Flags::LINES),
        }
    }

    /// The next position at or after `p` where a match may start.
    fn skip(&self, hay: &[u8], p: usize) -> Option<usize> {
        let rest = hay.get(p..)?;
        let Some(f) = &self.first else { return Some(p) };
        let b = &self.first_bytes;
        let i = match self.nfirst {
            1 => crate::bytes::memchr(b[0], rest),
            2 => crate::bytes::memchr2(b[0], b[1], rest),
            3 => crate::bytes::memchr3(b[0], b[1], b[2], rest),
            _ => rest.iter().position(|&x| f.has(x)),
        }?;
        Some(p + i)
    }

    /// Whether the pattern matches anywhere in `hay`.
    pub fn is_match(&self, hay: &[u8]) -> bool {
        self.find_any_at(hay, 0).is_some()
    }

    /// Some position of a match at or after `start`, found with the least work: in LINES
    /// mode it lies on the first line that has a match (what grep needs).
    pub fn find_any_at(&self, hay: &[u8], start: usize) -> Option<usize> {
        // No literals in the tiny tier (see compile): only the automaton's search is left.
        #[cfg(rbox_tiny)]
        return self.any(hay, start);
        #[cfg(not(rbox_tiny))]
        self.find_lit_at(hay, start)
    }

    /// find_any_at with the literal prefilters.
    #[cfg(not(rbox_tiny))]
    fn find_lit_at(&self, hay: &[u8], start: usize) -> Option<usize> {
        if let Some(l) = &self.lit_f {
            return l.find(hay.get(start..)?).map(|i| start + i);
        }
        let mut pos = start;
        if let (Some(pf), true) = (&self.pre_f, self.flags.has(Flags::LINES)) {
            // Every match starts with the literal: try the anchored DFA at each one, with no
            // line bounds to find (most candidates fail within a few bytes). Bounded work,
            // then by lines from where it stopped.
            let mut adfa = self.adfa.borrow_mut();
            let limit = 4 * hay.len().saturating_sub(start) + 256;
            let mut work = 0;
            loop {
                let at = pos + pf.find(hay.get(pos..)?)?;
                match adfa.longest(&self.prog, hay, at, &mut work, limit) {
                    Ok(Some(_)) => return Some(at),
                    Ok(None) => pos = at + 1,
                    Err(()) => {
                        pos = at;
                        break;
                    }
                }
            }
        }
        if self.req.len() >= 2 && self.flags.has(Flags::LINES) {
            // Find the required literal, then try only its line.
            let fi = &self.req_f;
            while let Some(i) = fi.find(hay.get(pos..)?) {
                let at = pos + i;
                let ls = crate::bytes::memrchr(b'\n', &hay[pos..at]).map_or(pos, |j| pos + j + 1);
                let le = crate::bytes::memchr(b'\n', &hay[at..]).map_or(hay.len(), |j| at + j);
                let line = &hay[..le];
                if let Some(p) = self.any(line, ls) {
                    return Some(p);
                }
                pos = le + 1;
            }
            return None;
        }
        if !self.req.is_empty() && self.req_f.find(hay.get(pos..)?).is_none() {
            return None;
        }
        self.any(hay, pos)
    }

    fn any(&self, hay: &[u8], start: usize) -> Option<usize> {
        let cx = self.ctx(hay, false);
        if self.backref {
            return self
                .bt(&cx, start, true)
                .map(|c| c[0].map_or(start, |p| p.1));
        }
        let mut dfa = self.dfa.borrow_mut();
        dfa.find(&self.prog, hay, start, &|p| self.skip(hay, p))
    }

    fn bt(&self, cx: &pike::Ctx, start: usize, earliest: bool) -> Option<backtrack::Caps> {
        let mut p = start;
        let mut b = backtrack::Bt::new(cx, self.flags.has(Flags::ICASE), earliest);
        while let Some(q) = self.skip(cx.hay, p) {
            b.run(&self.ast, q, self.ngroups);
            if b.over {
                self.err.set(Some(E_TOO_COMPLEX));
                return None;
            }
            if b.best.is_some() {
                return b.best;
            }
            p = q + 1;
        }
        None
    }

    /// The leftmost-longest match at or after `start`, without sub-matches: (start, end).
    pub fn find_span(&self, hay: &[u8], start: usize, not_bol: bool) -> Option<(usize, usize)> {
        if let Some(l) = &self.lit_f {
            let i = start + l.find(hay.get(start..)?)?;
            return Some((i, i + l.needle().len()));
        }
        if self.backref {
            return self.find_at(hay, start, not_bol).and_then(|m| m.get(0));
        }
        if !self.req.is_empty() && self.req_f.find(hay.get(start..)?).is_none() {
            return None;
        }
        if !not_bol {
            // Try each possible start with the anchored DFA (longest match from there);
            // the first that matches is the leftmost. Bounded work, then the VM.
            let mut adfa = self.adfa.borrow_mut();
            let limit = 4 * (hay.len() - start) + 256;
            let mut work = 0;
            let mut p = start;
            loop {
                let q = self.skip(hay, p)?;
                match adfa.longest(&self.prog, hay, q, &mut work, limit) {
                    Ok(Some(e)) => return Some((q, e)),
                    Ok(None) if q < hay.len() => p = q + 1,
                    Ok(None) => return None,
                    Err(()) => break,
                }
            }
        }
        let cx = self.ctx(hay, not_bol);
        let mut vm = self.vm.borrow_mut();
        vm.run(&self.prog, &cx, start, false, &|p| self.skip(hay, p))
    }

    /// The leftmost-longest match at or after `start`, with sub-matches (unless NOSUB).
    /// `not_bol`: `hay` does not start a line, so `^` does not match at 0. Assertions see
    /// the bytes before `start` (`\b`, `\<`).
    pub fn find_at(&self, hay: &[u8], start: usize, not_bol: bool) -> Option<Match> {
        let mut m = Match::default();
        if let Some(l) = &self.lit {
            let i = start + self.lit_f.as_ref()?.find(hay.get(start..)?)?;
            m.pos[0] = Some((i, i + l.len()));
            return Some(m);
        }
        if !self.req.is_empty() && self.req_f.find(hay.get(start..)?).is_none() {
            return None;
        }
        let cx = self.ctx(hay, not_bol);
        if self.backref {
            let c = self.bt(&cx, start, false)?;
            for (d, s) in m.pos.iter_mut().zip(c.iter()) {
                *d = *s;
            }
            return Some(m);
        }
        let (s, e) = self.find_span(hay, start, not_bol)?;
        let mut vm = self.vm.borrow_mut();
        m.pos[0] = Some((s, e));
        if self.ngroups > 0 && !self.flags.has(Flags::NOSUB) {
            let mut caps = [None; 10];
            pike::Sub {
                vm: &mut vm,
                cx: &cx,
                caps: &mut caps,
            }
            .node(&self.ast, s, e);
            m.pos[1..].copy_from_slice(&caps[1..]);
        }
        Some(m)
    }
}

#[cfg(test)]
mod tests;
