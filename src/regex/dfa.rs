//! A lazy DFA for "is there a match, and where does the first one end": the NFA's state
//! sets are built on demand, one per (set, what the previous byte was), and each
//! transition is computed once and cached, so most bytes cost one table lookup.
//! Assertions are resolved on the transition, when both the previous and the next byte are
//! known. The cache is bounded: when it fills it is emptied and rebuilt as needed.

use super::compile::{Inst, Prog};
use super::parse::Look;

const MATCH: u32 = 1 << 31;
const UNKNOWN: u32 = u32::MAX;
/// Entries per state: 256 bytes and end of text.
const W: usize = 257;
const MAX_STATES: usize = 2048;

/// What came before a position: 0 the start of the text, 1 a newline, 2 a word byte, 3
/// anything else.
fn class_of(b: u8) -> u8 {
    if b == b'\n' {
        1
    } else if b.is_ascii_alphanumeric() || b == b'_' {
        2
    } else {
        3
    }
}

pub struct Dfa {
    multi: bool,
    /// Anchored: a match starts only where the search starts (no new thread per byte).
    anchored: bool,
    /// Per state: no NFA state is left (nothing can match any more).
    dead: Vec<bool>,
    lines: bool,
    /// Per state: its NFA states (before their closure) then its class, as the map's key.
    keys: Vec<Vec<u32>>,
    /// Open-addressing index of `keys` (ids + 1; 0 = empty), a power of two in size.
    map: Vec<u32>,
    trans: Vec<u32>,
    seen: Vec<bool>,
    stack: Vec<u32>,
    /// NFA states visited building transitions, so far (what `longest` charges as work).
    pub built: usize,
}

impl Dfa {
    pub fn new(multi: bool, lines: bool, anchored: bool) -> Dfa {
        Dfa {
            multi,
            anchored,
            dead: Vec::new(),
            lines,
            keys: Vec::new(),
            map: Vec::new(),
            trans: Vec::new(),
            seen: Vec::new(),
            stack: Vec::new(),
            built: 0,
        }
    }

    fn reset(&mut self) {
        self.keys.clear();
        self.dead.clear();
        self.map.clear();
        self.map.resize(2 * MAX_STATES, 0);
        self.trans.clear();
        // The four start states come first: ids 0-3 are "nothing in progress".
        for c in 0..4 {
            self.intern(vec![0, c]);
        }
    }

    fn intern(&mut self, key: Vec<u32>) -> u32 {
        // FNV-1a over the key; the table is never more than half full.
        let mut h: u32 = 0x811c_9dc5;
        for &x in &key {
            h = (h ^ x).wrapping_mul(0x0100_0193);
        }
        let mask = self.map.len() - 1;
        let mut i = h as usize & mask;
        loop {
            match self.map[i] {
                0 => break,
                id if self.keys[id as usize - 1] == key => return id - 1,
                _ => i = (i + 1) & mask,
            }
        }
        let id = self.keys.len() as u32;
        self.map[i] = id + 1;
        self.dead.push(key.len() == 1);
        self.keys.push(key);
        self.trans.resize(self.trans.len() + W, UNKNOWN);
        id
    }

    fn look(&self, l: Look, class: u8, next: Option<u8>) -> bool {
        let wp = class == 2;
        let wn = next.is_some_and(|b| class_of(b) == 2);
        match l {
            Look::Bol => class == 0 || (self.multi && class == 1),
            Look::Eol => next.is_none() || (self.multi && next == Some(b'\n')),
            Look::BufStart => class == 0 || (self.lines && class == 1),
            Look::BufEnd => next.is_none() || (self.lines && next == Some(b'\n')),
            Look::WordB => wp != wn,
            Look::NotWordB => wp == wn,
            Look::WordStart => !wp && wn,
            Look::WordEnd => wp && !wn,
            Look::NoWordBefore => !wp,
            Look::NoWordAfter => !wn,
        }
    }

    /// The transition of state `s` on `next` (None: end of text), computed and cached.
    fn step(&mut self, prog: &Prog, s: u32, next: Option<u8>) -> u32 {
        let key = std::mem::take(&mut self.keys[s as usize]);
        let (pcs, class) = key.split_at(key.len() - 1);
        let class = class[0] as u8;
        self.seen.clear();
        self.seen.resize(prog.insts.len(), false);
        let mut out: Vec<u32> = Vec::new();
        let mut matched = false;
        for &pc in pcs {
            self.stack.push(pc);
        }
        while let Some(pc) = self.stack.pop() {
            if std::mem::replace(&mut self.seen[pc as usize], true) {
                continue;
            }
            self.built += 1;
            match prog.insts[pc as usize] {
                Inst::Match => matched = true,
                Inst::Byte(c) => {
                    if next == Some(c) {
                        out.push(pc + 1);
                    }
                }
                Inst::Set(k) => {
                    if next.is_some_and(|b| prog.sets[k as usize].has(b)) {
                        out.push(pc + 1);
                    }
                }
                Inst::Split(a, b) => {
                    self.stack.push(b);
                    self.stack.push(a);
                }
                Inst::Jmp(a) => self.stack.push(a),
                Inst::Look(l) => {
                    if self.look(l, class, next) {
                        self.stack.push(pc + 1);
                    }
                }
            }
        }
        self.keys[s as usize] = key;
        let Some(b) = next else {
            return if matched { MATCH } else { 0 };
        };
        // Unanchored, a match may start at every position: the start state is in every set.
        if !self.anchored {
            out.push(0);
        }
        #[cfg(not(rbox_tiny))]
        {
            out.sort_unstable();
            out.dedup();
        }
        // The tiny tier orders the set by marking its states in `seen` (free after the walk)
        // and reading them back: no sort's code in the binary, slower on big programs.
        #[cfg(rbox_tiny)]
        {
            self.seen.fill(false);
            for &pc in &out {
                self.seen[pc as usize] = true;
            }
            out.clear();
            out.extend((0..).zip(&self.seen).filter(|&(_, &f)| f).map(|(pc, _)| pc));
        }
        out.push(class_of(b) as u32);
        if self.keys.len() >= MAX_STATES {
            // Full: start again; `s`'s own transitions are lost with the rest.
            self.reset();
        }
        let t = self.intern(out);
        let v = t | if matched { MATCH } else { 0 };
        if (s as usize) < self.keys.len() {
            self.trans[s as usize * W + b as usize] = v;
        }
        v
    }

    /// Anchored at `start`: the end of the longest match starting there, if any. `work`
    /// counts bytes looked at; past `limit` it gives up (Err) so that trying many starts
    /// stays linear overall.
    pub fn longest(
        &mut self,
        prog: &Prog,
        hay: &[u8],
        start: usize,
        work: &mut usize,
        limit: usize,
    ) -> Result<Option<usize>, ()> {
        if self.keys.is_empty() {
            self.reset();
        }
        let mut s = if start == 0 {
            0
        } else {
            class_of(hay[start - 1]) as u32
        };
        let mut last = None;
        let mut p = start;
        loop {
            *work += 1;
            if *work > limit {
                return Err(());
            }
            let Some(&b) = hay.get(p) else {
                let t = self.step(prog, s, None);
                return Ok(if t & MATCH != 0 { Some(p) } else { last });
            };
            let mut t = self.trans[s as usize * W + b as usize];
            if t == UNKNOWN {
                // A new state costs its NFA states: a big counted pattern (`(a{1,200}){50}`)
                // builds thousands-wide states at every byte, and the VM is then cheaper.
                let before = self.built;
                t = self.step(prog, s, Some(b));
                *work += (self.built - before) / 8;
            }
            if t & MATCH != 0 {
                last = Some(p);
            }
            s = t & !MATCH;
            if self.dead[s as usize] {
                return Ok(last);
            }
            p += 1;
        }
    }

    /// Where the first match (by its end) ends, searching from `start`. `skip(p)`: the next
    /// position where a match may start (None: no more matches).
    pub fn find(
        &mut self,
        prog: &Prog,
        hay: &[u8],
        start: usize,
        skip: &dyn Fn(usize) -> Option<usize>,
    ) -> Option<usize> {
        if self.keys.is_empty() {
            self.reset();
        }
        let class_at = |p: usize| {
            if p == 0 {
                0
            } else {
                class_of(hay[p - 1]) as u32
            }
        };
        let mut p = start;
        let mut s = class_at(p);
        loop {
            if s < 4 {
                // Nothing in progress: jump to where a match can start.
                let q = skip(p)?;
                if q != p {
                    p = q;
                    s = class_at(p);
                }
            }
            let Some(&b) = hay.get(p) else {
                let t = self.step(prog, s, None);
                return (t & MATCH != 0).then_some(p);
            };
            let mut t = self.trans[s as usize * W + b as usize];
            if t == UNKNOWN {
                t = self.step(prog, s, Some(b));
            }
            if t & MATCH != 0 {
                return Some(p);
            }
            s = t;
            p += 1;
        }
    }
}
