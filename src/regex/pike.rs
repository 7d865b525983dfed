//! The NFA simulation (Pike VM without capture slots): each NFA state is held once per
//! position, so time is O(text x pattern) whatever the pattern. It finds POSIX's overall
//! match, leftmost then longest: threads are kept in order of their start, and a state
//! reached by two threads keeps the earlier start. Sub-matches are then found inside that
//! match by `submatches`, top-down: each element of a concatenation, left to right, takes
//! the longest span with which the rest can still match (POSIX's rule), asking the same
//! simulation forwards ("where can A end") and backwards ("where can the rest start").

use super::compile::{compile, Inst, Prog};
use super::parse::{Look, Node};

/// What assertions see: the whole text, so `\b` and `^` look behind a start offset.
pub struct Ctx<'h> {
    pub hay: &'h [u8],
    pub not_bol: bool,
    /// `^`/`$` also match at newlines (REG_NEWLINE, or rbox's LINES).
    pub multi: bool,
    /// LINES: `` \` `` and `\'` are line anchors too (grep searching many lines at once).
    pub lines: bool,
}

#[inline]
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Ctx<'_> {
    pub fn look(&self, l: Look, p: usize) -> bool {
        let prev = if p > 0 {
            self.hay.get(p - 1).copied()
        } else {
            None
        };
        let next = self.hay.get(p).copied();
        let wp = prev.is_some_and(is_word);
        let wn = next.is_some_and(is_word);
        match l {
            Look::Bol => (p == 0 && !self.not_bol) || (self.multi && prev == Some(b'\n')),
            Look::Eol => next.is_none() || (self.multi && next == Some(b'\n')),
            Look::BufStart => p == 0 || (self.lines && prev == Some(b'\n')),
            Look::BufEnd => next.is_none() || (self.lines && next == Some(b'\n')),
            Look::WordB => wp != wn,
            Look::NotWordB => wp == wn,
            Look::WordStart => !wp && wn,
            Look::WordEnd => wp && !wn,
            Look::NoWordBefore => !wp,
            Look::NoWordAfter => !wn,
        }
    }
}

/// A sparse set of NFA states, each with the start of the thread that holds it.
#[derive(Default)]
struct List {
    dense: Vec<(u32, usize)>,
    sparse: Vec<u32>,
}

impl List {
    fn reset(&mut self, n: usize) {
        self.dense.clear();
        if self.sparse.len() < n {
            self.sparse.resize(n, 0);
        }
    }
    #[inline]
    fn has(&self, pc: u32) -> bool {
        let i = self.sparse[pc as usize] as usize;
        i < self.dense.len() && self.dense[i].0 == pc
    }
    #[inline]
    fn insert(&mut self, pc: u32, start: usize) {
        self.sparse[pc as usize] = self.dense.len() as u32;
        self.dense.push((pc, start));
    }
}

/// Scratch space for one simulation, reused across calls.
#[derive(Default)]
pub struct Vm {
    cur: List,
    next: List,
    stack: Vec<u32>,
}

impl Vm {
    /// Adds `pc` and everything reachable from it without consuming a byte at position `p`.
    fn add(&mut self, prog: &Prog, cx: &Ctx, next: bool, pc: u32, start: usize, p: usize) {
        let list = if next { &mut self.next } else { &mut self.cur };
        self.stack.push(pc);
        while let Some(pc) = self.stack.pop() {
            if list.has(pc) {
                continue;
            }
            list.insert(pc, start);
            match prog.insts[pc as usize] {
                Inst::Split(a, b) => {
                    self.stack.push(b);
                    self.stack.push(a);
                }
                Inst::Jmp(a) => self.stack.push(a),
                Inst::Look(l) if cx.look(l, p) => self.stack.push(pc + 1),
                _ => {}
            }
        }
    }

    /// The leftmost-longest match starting at or after `from`: (start, end). With
    /// `earliest`, the first match found at all (for "does it match").
    /// `skip(p)` gives the next position at or after `p` where a match may start.
    pub fn run(
        &mut self,
        prog: &Prog,
        cx: &Ctx,
        from: usize,
        earliest: bool,
        skip: &dyn Fn(usize) -> Option<usize>,
    ) -> Option<(usize, usize)> {
        let n = prog.insts.len();
        self.cur.reset(n);
        self.next.reset(n);
        let hay = cx.hay;
        let mut best: Option<(usize, usize)> = None;
        let mut p = from;
        loop {
            if best.is_none() {
                if self.cur.dense.is_empty() {
                    match skip(p) {
                        Some(q) => p = q,
                        None => return None,
                    }
                }
                self.add(prog, cx, false, 0, p, p);
            } else if self.cur.dense.is_empty() {
                return best;
            }
            self.next.dense.clear();
            let byte = hay.get(p).copied();
            let mut i = 0;
            while i < self.cur.dense.len() {
                let (pc, s) = self.cur.dense[i];
                i += 1;
                if let Some((bs, _)) = best {
                    if s > bs {
                        break;
                    }
                }
                let ok = match prog.insts[pc as usize] {
                    Inst::Match => {
                        if earliest {
                            return Some((s, p));
                        }
                        match best {
                            Some((bs, be)) if bs < s || (bs == s && be >= p) => {}
                            _ => best = Some((s, p)),
                        }
                        false
                    }
                    Inst::Byte(c) => byte == Some(c),
                    Inst::Set(k) => byte.is_some_and(|b| prog.sets[k as usize].has(b)),
                    _ => false,
                };
                if ok {
                    self.add(prog, cx, true, pc + 1, s, p + 1);
                }
            }
            std::mem::swap(&mut self.cur, &mut self.next);
            if p >= hay.len() {
                // Threads left after the last byte can only have needed more input.
                return best;
            }
            p += 1;
        }
    }

    /// Where the program can end (forward) or start (reverse) within [lo, hi], from the
    /// positions marked in `seeds` (index p - lo; None: only where the scan starts, lo
    /// forward, hi in reverse). Used only inside a match already found. Forward, the
    /// answer stops where the last thread died (index p - lo; shorter than hi - lo + 1),
    /// so that one short step inside a long match costs only its own bytes.
    pub fn reach(
        &mut self,
        prog: &Prog,
        cx: &Ctx,
        lo: usize,
        hi: usize,
        seeds: Option<&[bool]>,
        fwd: bool,
    ) -> Vec<bool> {
        let n = prog.insts.len();
        self.cur.reset(n);
        self.next.reset(n);
        let len = hi - lo + 1;
        let mut out = if fwd { Vec::new() } else { vec![false; len] };
        let last_seed = match seeds {
            None if fwd => Some(0),
            None => Some(len - 1),
            Some(s) if fwd => s.iter().rposition(|&b| b),
            Some(s) => s.iter().position(|&b| b),
        };
        let Some(last_seed) = last_seed else {
            return out;
        };
        for k in 0..len {
            let p = if fwd { lo + k } else { hi - k };
            let seed = match seeds {
                Some(s) => s[p - lo],
                None => k == 0,
            };
            if seed {
                self.add(prog, cx, false, 0, 0, p);
            }
            let past = if fwd {
                p - lo > last_seed
            } else {
                p - lo < last_seed
            };
            if self.cur.dense.is_empty() && past {
                break;
            }
            self.next.dense.clear();
            let byte = if fwd {
                if p < hi {
                    cx.hay.get(p).copied()
                } else {
                    None
                }
            } else if p > lo {
                cx.hay.get(p - 1).copied()
            } else {
                None
            };
            let np = if fwd { p + 1 } else { p.wrapping_sub(1) };
            let mut i = 0;
            while i < self.cur.dense.len() {
                let (pc, _) = self.cur.dense[i];
                i += 1;
                let ok = match prog.insts[pc as usize] {
                    Inst::Match => {
                        if out.len() <= p - lo {
                            out.resize(p - lo + 1, false);
                        }
                        out[p - lo] = true;
                        false
                    }
                    Inst::Byte(c) => byte == Some(c),
                    Inst::Set(k) => byte.is_some_and(|b| prog.sets[k as usize].has(b)),
                    _ => false,
                };
                if ok {
                    self.add(prog, cx, true, pc + 1, 0, np);
                }
            }
            std::mem::swap(&mut self.cur, &mut self.next);
        }
        out
    }
}

/// Bytes of layers `Sub::repeat` keeps at most (past it, the slow way: no result changes).
const LAYER_CAP: usize = 1 << 25;

/// Sub-match positions for a match of `n` spanning exactly [i, j]; `caps[k]` for group k.
pub struct Sub<'a, 'h> {
    pub vm: &'a mut Vm,
    pub cx: &'a Ctx<'h>,
    pub caps: &'a mut [Option<(usize, usize)>],
}

impl Sub<'_, '_> {
    /// Where `nodes` from i can end, up to j (index p - i; may be shorter than j - i + 1).
    fn ends(&mut self, nodes: &[Node], i: usize, j: usize) -> Vec<bool> {
        match compile(nodes, false) {
            Ok(p) => self.vm.reach(&p, self.cx, i, j, None, true),
            Err(_) => Vec::new(),
        }
    }
    fn starts(&mut self, nodes: &[Node], i: usize, j: usize) -> Vec<bool> {
        match compile(nodes, true) {
            Ok(p) => self.vm.reach(&p, self.cx, i, j, None, false),
            Err(_) => vec![false; j - i + 1],
        }
    }

    pub fn node(&mut self, n: &Node, i: usize, j: usize) {
        match n {
            Node::Group(k, b) => {
                if let Some(c) = self.caps.get_mut(*k) {
                    *c = Some((i, j));
                }
                if b.has_group() {
                    self.node(b, i, j);
                }
            }
            Node::Concat(v) => self.seq(v, i, j),
            Node::Alt(v) => {
                for x in v {
                    let e = self.ends(std::slice::from_ref(x), i, j);
                    if e.get(j - i) == Some(&true) {
                        if x.has_group() {
                            self.node(x, i, j);
                        }
                        return;
                    }
                }
            }
            Node::Repeat(x, min, max) if x.has_group() => self.repeat(x, *min, *max, i, j),
            _ => {}
        }
    }

    fn seq(&mut self, v: &[Node], i: usize, j: usize) {
        // Units: each element with a group alone, runs of elements without one together.
        let mut pos = i;
        let mut a = 0;
        while a < v.len() {
            if !v[a..].iter().any(|n| n.has_group()) {
                return;
            }
            let mut b = a + 1;
            if !v[a].has_group() {
                while b < v.len() && !v[b].has_group() {
                    b += 1;
                }
            }
            let k = if b == v.len() {
                j
            } else {
                let e = self.ends(&v[a..b], pos, j);
                let s = self.starts(&v[b..], pos, j);
                match (0..e.len()).rev().find(|&k| e[k] && s[k]) {
                    Some(k) => pos + k,
                    None => return,
                }
            };
            if b == a + 1 && v[a].has_group() {
                self.node(&v[a], pos, k);
            }
            pos = k;
            a = b;
        }
    }

    /// `x{min,max}` spanning [i, j]: each iteration, left to right, takes the longest span
    /// with which the remaining iterations can still end at `j` (POSIX's rule); the groups
    /// are those of the last iteration. "Can the rest end at j from q" is answered from
    /// layers: `layer[n][q - i]` is whether x^n (unbounded: x^n x*) spans [q, j], each
    /// layer one backward pass of x alone over the previous one, computed only as far as
    /// asked. Compiling x{lo,hi} afresh per iteration cost O(max) times more (minutes for
    /// `(a{1,200}){1,50}` on 10 kB).
    /// Whether x^n spans [q, j] for some n in [lo, hi], from `layers` (extended as needed).
    fn rest(
        &mut self,
        rev: &Prog,
        layers: &mut Vec<Vec<bool>>,
        fixed: &mut bool,
        (i, j): (usize, usize),
        (lo, hi): (usize, usize),
        q: usize,
    ) -> bool {
        for n in lo..=hi {
            while layers.len() <= n && !*fixed {
                let prev = &layers[layers.len() - 1];
                let next = self.vm.reach(rev, self.cx, i, j, Some(prev), false);
                *fixed = next == *prev || !next.contains(&true);
                layers.push(next);
            }
            let top = layers.len() - 1;
            if layers[n.min(top)][q] {
                return true;
            }
            if *fixed && n >= top {
                return false;
            }
        }
        false
    }

    fn repeat(&mut self, x: &Node, min: u32, max: Option<u32>, i: usize, j: usize) {
        let one = std::slice::from_ref(x);
        let (Ok(fwd), Ok(rev)) = (compile(one, false), compile(one, true)) else {
            return;
        };
        let len = j - i + 1;
        let base = if max.is_none() {
            let star = Node::Repeat(Box::new(x.clone()), 0, None);
            self.starts(std::slice::from_ref(&star), i, j)
        } else {
            let mut b = vec![false; len];
            b[len - 1] = true;
            b
        };
        let mut layers = vec![base];
        // Once a layer repeats the one before (or is empty), every later one is the same.
        let mut fixed = false;
        let mut c: u32 = 0;
        let mut pos = i;
        let mut last = None;
        while pos < j && max.is_none_or(|m| c < m) {
            let lo = min.saturating_sub(c + 1) as usize;
            // Unbounded: x^lo x* is one layer; bounded: any count in [lo, hi].
            let hi = max.map_or(lo, |m| (m - c - 1) as usize);
            let e = self.vm.reach(&fwd, self.cx, pos, j, None, true);
            // Too many layers to keep (a long match, a big count): the rest as one
            // program, as before, for this iteration.
            let old = if (hi + 1).saturating_mul(len) > LAYER_CAP {
                let r = Node::Repeat(Box::new(x.clone()), lo as u32, max.map(|_| hi as u32));
                Some(self.starts(std::slice::from_ref(&r), i, j))
            } else {
                None
            };
            let mut found = None;
            for k in (1..e.len()).rev() {
                if !e[k] {
                    continue;
                }
                let q = pos - i + k;
                let ok = match &old {
                    Some(r) => r[q],
                    None => self.rest(&rev, &mut layers, &mut fixed, (i, j), (lo, hi), q),
                };
                if ok {
                    found = Some(k);
                    break;
                }
            }
            let Some(k) = found else { break };
            last = Some((pos, pos + k));
            c += 1;
            pos += k;
        }
        if c < min.max(1) && self.ends(one, pos, pos).first() == Some(&true) {
            last = Some((pos, pos));
        }
        if let Some((a, b)) = last {
            self.node(x, a, b);
        }
    }
}
