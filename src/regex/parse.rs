//! BRE and ERE (POSIX, with the GNU extensions BusyBox accepts) to an AST. Error texts are
//! glibc's regerror strings, which BusyBox prints.

use super::Flags;

/// A set of bytes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Set(pub [u64; 4]);

impl Set {
    pub const EMPTY: Set = Set([0; 4]);
    #[inline]
    pub fn has(&self, b: u8) -> bool {
        self.0[(b >> 6) as usize] & (1u64 << (b & 63)) != 0
    }
    pub fn add(&mut self, b: u8) {
        self.0[(b >> 6) as usize] |= 1u64 << (b & 63);
    }
    pub fn union(&mut self, o: &Set) {
        for i in 0..4 {
            self.0[i] |= o.0[i];
        }
    }
    pub fn invert(&mut self) {
        for w in &mut self.0 {
            *w = !*w;
        }
    }
    fn add_range(&mut self, lo: u8, hi: u8) {
        for b in lo..=hi {
            self.add(b);
        }
    }
}

/// Zero-width assertions.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Look {
    Bol,
    Eol,
    /// `` \` `` and `\'`: the start and end of the text.
    BufStart,
    BufEnd,
    WordB,
    NotWordB,
    WordStart,
    WordEnd,
    /// For grep -w: no word byte before / after.
    NoWordBefore,
    NoWordAfter,
}

#[derive(Clone, Debug)]
pub enum Node {
    Empty,
    Byte(u8),
    Set(Set),
    Look(Look),
    /// A sub-expression: its number (1-based) and body.
    Group(usize, Box<Node>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    /// Body, minimum, maximum (None: unbounded).
    Repeat(Box<Node>, u32, Option<u32>),
    Backref(usize),
}

impl Node {
    pub fn has_group(&self) -> bool {
        match self {
            Node::Group(..) => true,
            Node::Concat(v) | Node::Alt(v) => v.iter().any(|n| n.has_group()),
            Node::Repeat(n, ..) => n.has_group(),
            _ => false,
        }
    }
    pub fn has_backref(&self) -> bool {
        match self {
            Node::Backref(_) => true,
            Node::Group(_, n) | Node::Repeat(n, ..) => n.has_backref(),
            Node::Concat(v) | Node::Alt(v) => v.iter().any(|n| n.has_backref()),
            _ => false,
        }
    }
}

pub type Error = &'static str;

pub const E_BRACK: Error = "Unmatched [, [^, [:, [., or [=";
pub const E_PAREN: Error = "Unmatched ( or \\(";
pub const E_RPAREN: Error = "Unmatched ) or \\)";
pub const E_BRACE: Error = "Unmatched \\{";
pub const E_BADBR: Error = "Invalid content of \\{\\}";
pub const E_SUBREG: Error = "Invalid back reference";
pub const E_ESCAPE: Error = "Trailing backslash";
pub const E_RANGE: Error = "Invalid range end";
pub const E_CTYPE: Error = "Invalid character class name";
pub const E_COLLATE: Error = "Invalid collation character";
pub const E_BADRPT: Error = "Invalid preceding regular expression";
pub const E_SIZE: Error = "Regular expression too big";

/// How deep groups and repetitions may nest.
const MAX_DEPTH: usize = 250;

/// glibc's RE_DUP_MAX.
const DUP_MAX: u32 = 0x7fff;

struct P<'a> {
    s: &'a [u8],
    i: usize,
    ere: bool,
    icase: bool,
    newline: bool,
    ngroups: usize,
    /// Groups closed so far (a back-reference may only name one of them).
    closed: Vec<usize>,
    depth: usize,
}

/// Parses `pat`; returns the AST and the number of groups.
pub fn parse(pat: &[u8], flags: Flags) -> Result<(Node, usize), Error> {
    let mut p = P {
        s: pat,
        i: 0,
        ere: flags.has(Flags::ERE),
        icase: flags.has(Flags::ICASE),
        newline: flags.has(Flags::NEWLINE) || flags.has(Flags::LINES),
        ngroups: 0,
        closed: Vec::new(),
        depth: 0,
    };
    let n = p.alt()?;
    if p.i < p.s.len() {
        // Only a stray close paren stops the top level.
        return Err(E_RPAREN);
    }
    Ok((n, p.ngroups))
}

/// The C locale's classes: per class, its name's length, its ranges' length (two bytes a
/// range), the name, the ranges. A table, not a closure per class: a third of the code.
const CLASSES: &[u8] = b"\x05\x04alphaAZaz\x05\x02digit09\x05\x06alnum09AZaz\x05\x02upperAZ\
    \x05\x02loweraz\x05\x04space\t\r  \x05\x04blank\t\t  \x05\x08punct!/:@[`{~\
    \x05\x02print ~\x05\x02graph!~\x05\x04cntrl\x00\x1f\x7f\x7f\x06\x06xdigit09AFaf";

pub fn class(name: &[u8]) -> Option<Set> {
    let mut t = CLASSES;
    while let [nl, rl, rest @ ..] = t {
        let (n, after) = rest.split_at_checked(*nl as usize)?;
        let (ranges, after) = after.split_at_checked(*rl as usize)?;
        if n == name {
            let mut s = Set::EMPTY;
            for r in ranges.chunks_exact(2) {
                s.add_range(r[0], r[1]);
            }
            return Some(s);
        }
        t = after;
    }
    None
}

pub fn word_set() -> Set {
    let mut s = class(b"alnum").unwrap_or(Set::EMPTY);
    s.add(b'_');
    s
}

impl<'a> P<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn peek2(&self) -> Option<u8> {
        self.s.get(self.i + 1).copied()
    }
    fn at_close(&self) -> bool {
        if self.ere {
            self.peek() == Some(b')') && self.depth > 0
        } else {
            self.peek() == Some(b'\\') && self.peek2() == Some(b')')
        }
    }
    fn at_bar(&self) -> bool {
        if self.ere {
            self.peek() == Some(b'|')
        } else {
            self.peek() == Some(b'\\') && self.peek2() == Some(b'|')
        }
    }

    fn alt(&mut self) -> Result<Node, Error> {
        let mut v = vec![self.concat()?];
        while self.at_bar() {
            self.i += if self.ere { 1 } else { 2 };
            v.push(self.concat()?);
        }
        Ok(if v.len() == 1 {
            v.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(v)
        })
    }

    fn lit(&self, b: u8) -> Node {
        if self.icase && b.is_ascii_alphabetic() {
            let mut s = Set::EMPTY;
            s.add(b.to_ascii_lowercase());
            s.add(b.to_ascii_uppercase());
            Node::Set(s)
        } else {
            Node::Byte(b)
        }
    }

    fn concat(&mut self) -> Result<Node, Error> {
        let mut v: Vec<Node> = Vec::new();
        // Start of an expression: `*` is literal in BRE (ignored in ERE, as glibc does).
        let mut start = true;
        while let Some(c) = self.peek() {
            if self.at_bar() || self.at_close() {
                break;
            }
            let atom_start = self.i;
            let atom = match c {
                b'^' if self.ere || start => {
                    self.i += 1;
                    v.push(Node::Look(Look::Bol));
                    // `^*`: the star is literal in BRE, ignored in ERE.
                    continue;
                }
                b'$' if self.ere || self.at_end_of_bre(self.i + 1) => {
                    self.i += 1;
                    Node::Look(Look::Eol)
                }
                b'*' | b'+' | b'?' | b'{'
                    if self.ere
                        && (start
                            || v.last().is_some_and(|n| matches!(n, Node::Look(Look::Bol)))) =>
                {
                    if c == b'{' {
                        self.i += 1;
                        self.lit(c)
                    } else {
                        self.i += 1;
                        start = false;
                        continue;
                    }
                }
                b'*' if !self.ere
                    && (start || v.last().is_some_and(|n| matches!(n, Node::Look(Look::Bol)))) =>
                {
                    self.i += 1;
                    Node::Byte(b'*')
                }
                b'.' => {
                    self.i += 1;
                    let mut s = Set::EMPTY;
                    s.invert();
                    if self.newline {
                        s.0[0] &= !(1u64 << b'\n');
                    }
                    Node::Set(s)
                }
                b'[' => {
                    self.i += 1;
                    Node::Set(self.bracket()?)
                }
                b'(' if self.ere => {
                    self.i += 1;
                    self.group()?
                }
                b')' if self.ere => {
                    // An unmatched `)` is literal in ERE (glibc).
                    self.i += 1;
                    Node::Byte(b')')
                }
                b'\\' => {
                    self.i += 1;
                    let Some(e) = self.peek() else {
                        return Err(E_ESCAPE);
                    };
                    self.i += 1;
                    match e {
                        b'(' if !self.ere => self.group()?,
                        b'{' if !self.ere && start => Node::Byte(b'{'),
                        b'{' if !self.ere => return Err(E_BADRPT),
                        b')' if !self.ere => return Err(E_RPAREN),
                        b'1'..=b'9' => {
                            let n = (e - b'0') as usize;
                            if !self.closed.contains(&n) {
                                return Err(E_SUBREG);
                            }
                            Node::Backref(n)
                        }
                        b'w' | b'W' | b's' | b'S' => {
                            let mut s = if e == b'w' || e == b'W' {
                                word_set()
                            } else {
                                class(b"space").unwrap_or(Set::EMPTY)
                            };
                            if e.is_ascii_uppercase() {
                                s.invert();
                            }
                            Node::Set(s)
                        }
                        b'b' => Node::Look(Look::WordB),
                        b'B' => Node::Look(Look::NotWordB),
                        b'<' => Node::Look(Look::WordStart),
                        b'>' => Node::Look(Look::WordEnd),
                        b'`' => Node::Look(Look::BufStart),
                        b'\'' => Node::Look(Look::BufEnd),
                        _ => self.lit(e),
                    }
                }
                _ => {
                    self.i += 1;
                    self.lit(c)
                }
            };
            let _ = atom_start;
            start = false;
            let atom = self.repeats(atom)?;
            v.push(atom);
        }
        Ok(match v.len() {
            0 => Node::Empty,
            1 => v.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(v),
        })
    }

    /// In BRE, `$` is an anchor only at the end of the pattern or of a sub-expression or
    /// alternative.
    fn at_end_of_bre(&self, j: usize) -> bool {
        match self.s.get(j) {
            None => true,
            Some(b'\\') => matches!(self.s.get(j + 1), Some(b')') | Some(b'|')),
            _ => false,
        }
    }

    fn group(&mut self) -> Result<Node, Error> {
        // Recursion (here, in the compiler and in the matchers) stays bounded.
        if self.depth >= MAX_DEPTH {
            return Err(E_SIZE);
        }
        self.ngroups += 1;
        let n = self.ngroups;
        self.depth += 1;
        let body = self.alt()?;
        let closed = self.at_close();
        self.depth -= 1;
        if !closed {
            return Err(E_PAREN);
        }
        self.i += if self.ere { 1 } else { 2 };
        self.closed.push(n);
        Ok(Node::Group(n, Box::new(body)))
    }

    fn repeats(&mut self, mut atom: Node) -> Result<Node, Error> {
        let mut wraps = 0;
        loop {
            let (min, max) = match (self.peek(), self.peek2()) {
                (Some(b'*'), _) => {
                    self.i += 1;
                    (0, None)
                }
                (Some(b'+'), _) if self.ere => {
                    self.i += 1;
                    (1, None)
                }
                (Some(b'?'), _) if self.ere => {
                    self.i += 1;
                    (0, Some(1))
                }
                (Some(b'\\'), Some(b'+')) if !self.ere => {
                    self.i += 2;
                    (1, None)
                }
                (Some(b'\\'), Some(b'?')) if !self.ere => {
                    self.i += 2;
                    (0, Some(1))
                }
                (Some(b'{'), _) if self.ere => {
                    let save = self.i;
                    self.i += 1;
                    match self.interval()? {
                        Some(r) => r,
                        None => {
                            // Not an interval: `{` is literal (glibc).
                            self.i = save;
                            return Ok(atom);
                        }
                    }
                }
                (Some(b'\\'), Some(b'{')) if !self.ere => {
                    self.i += 2;
                    match self.interval()? {
                        Some(r) => r,
                        None => return Err(E_BADBR),
                    }
                }
                _ => return Ok(atom),
            };
            if matches!(atom, Node::Look(_)) {
                // A repeated anchor is the anchor (glibc accepts `^*` in ERE).
                continue;
            }
            if let Node::Repeat(_, 0, None) = atom {
                if (min, max) == (0, None) || (min, max) == (1, None) || (min, max) == (0, Some(1))
                {
                    // `a**`, `a*+`, `a*?` are `a*`.
                    continue;
                }
            }
            wraps += 1;
            if wraps > MAX_DEPTH {
                return Err(E_SIZE);
            }
            atom = Node::Repeat(Box::new(atom), min, max);
        }
    }

    fn num(&mut self) -> Option<u32> {
        let st = self.i;
        let mut n: u32 = 0;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            n = n.saturating_mul(10).saturating_add((d - b'0') as u32);
            self.i += 1;
        }
        (self.i > st).then_some(n)
    }

    /// After `{` or `\{`: `m}`, `m,}`, `m,n}`, `,n}`. None: not an interval (ERE only).
    fn interval(&mut self) -> Result<Option<(u32, Option<u32>)>, Error> {
        let min = self.num();
        let max = if self.peek() == Some(b',') {
            self.i += 1;
            self.num()
        } else {
            match min {
                Some(m) => Some(m),
                None => {
                    if self.ere {
                        return Ok(None);
                    }
                    return Err(if self.i >= self.s.len() {
                        E_BRACE
                    } else {
                        E_BADBR
                    });
                }
            }
        };
        let close = if self.ere {
            self.peek() == Some(b'}')
        } else {
            self.peek() == Some(b'\\') && self.peek2() == Some(b'}')
        };
        if !close {
            if self.ere {
                return Ok(None);
            }
            return Err(
                if self.i >= self.s.len()
                    || (self.peek() == Some(b'\\') && self.i + 1 >= self.s.len())
                {
                    E_BRACE
                } else {
                    E_BADBR
                },
            );
        }
        self.i += if self.ere { 1 } else { 2 };
        let min = min.unwrap_or(0);
        if let Some(m) = max {
            if m < min {
                return Err(E_BADBR);
            }
        }
        if min > DUP_MAX || max.is_some_and(|m| m > DUP_MAX) {
            return Err(E_SIZE);
        }
        Ok(Some((min, max)))
    }

    /// After `[`: the bracket expression up to its `]`.
    fn bracket(&mut self) -> Result<Set, Error> {
        let mut s = Set::EMPTY;
        let neg = self.peek() == Some(b'^');
        if neg {
            self.i += 1;
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(E_BRACK);
            };
            if c == b']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            let lo = match (c, self.peek2()) {
                (b'[', Some(b':')) => {
                    self.i += 2;
                    let name = self.until(b':')?;
                    let Some(cs) = class(name) else {
                        return Err(E_CTYPE);
                    };
                    let cs = if self.icase && (name == b"upper" || name == b"lower") {
                        class(b"alpha").unwrap_or(cs)
                    } else {
                        cs
                    };
                    s.union(&cs);
                    continue;
                }
                (b'[', Some(b'=')) => {
                    self.i += 2;
                    let e = self.until(b'=')?;
                    // C locale: an equivalence class is its one character.
                    let [b] = e else { return Err(E_COLLATE) };
                    s.add(*b);
                    continue;
                }
                (b'[', Some(b'.')) => {
                    self.i += 2;
                    let e = self.until(b'.')?;
                    let [b] = e else { return Err(E_COLLATE) };
                    *b
                }
                _ => {
                    self.i += 1;
                    c
                }
            };
            // A range?
            if self.peek() == Some(b'-') && self.peek2().is_some_and(|x| x != b']') {
                self.i += 1;
                let hi = match (self.peek(), self.peek2()) {
                    (Some(b'['), Some(b'.')) => {
                        self.i += 2;
                        let e = self.until(b'.')?;
                        let [b] = e else { return Err(E_COLLATE) };
                        *b
                    }
                    (Some(b'['), Some(b'=' | b':')) => return Err(E_RANGE),
                    (Some(h), _) => {
                        self.i += 1;
                        h
                    }
                    (None, _) => return Err(E_BRACK),
                };
                if hi < lo {
                    return Err(E_RANGE);
                }
                s.add_range(lo, hi);
            } else {
                s.add(lo);
            }
        }
        if self.icase {
            for b in b'a'..=b'z' {
                let u = b.to_ascii_uppercase();
                if s.has(b) || s.has(u) {
                    s.add(b);
                    s.add(u);
                }
            }
        }
        if neg {
            s.invert();
            if self.newline {
                s.0[0] &= !(1u64 << b'\n');
            }
        }
        Ok(s)
    }

    /// The name of `[:name:]` and the like, after the opening `[:`; consumes `:]`.
    fn until(&mut self, end: u8) -> Result<&'a [u8], Error> {
        let st = self.i;
        let s: &'a [u8] = self.s;
        while self.i + 1 < s.len() {
            if s[self.i] == end && s[self.i + 1] == b']' {
                let r = &s[st..self.i];
                self.i += 2;
                return Ok(r);
            }
            self.i += 1;
        }
        Err(E_BRACK)
    }
}
