//! `[[ ... ]]`: bash's conditional command, parsed as its own grammar and evaluated by the
//! shell. Its words are expanded without field splitting or pathname expansion; `&&`, `||`,
//! `!` and `( )` combine tests; the right side of `==` / `!=` is a pattern where unquoted
//! (quoted text matches itself), of `=~` an extended regular expression (quoted text
//! literal); `<` and `>` compare strings; `-eq` and friends compare arithmetic expressions.
//!
//! ```text
//! or      := and [ || or ]
//! and     := not [ && and ]
//! not     := ! not | primary
//! primary := ( or ) | UNARY WORD | WORD BINARY WORD | WORD
//! ```
//! A malformed expression is not a syntax error: as in ash (whose `[[` is its test builtin),
//! it prints test's message (`sh: =: argument expected`) and has status 2 when it runs, and
//! a missing `]]` reads `sh: missing ]]`.

use super::ast::{Cond, Part, Word};
use super::exec::{Shell, R};
use super::lex::Tok;
use super::parse::{lit, Parser, Syn};

/// A token between `[[` and `]]`.
enum T {
    W(Word),
    Op(&'static str),
}

const UNARY: &[u8] = b"rwxefdcbpugkstznhOGLS";

const BINARY: &[&str] = &[
    "=", "==", "!=", "=~", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef",
];

type Bad = (Option<Word>, &'static str);

impl T {
    /// The operator this token is, when it is one: only unquoted text counts, so an
    /// expansion never turns into an operator (`op=-f; [[ $op ]]` tests a string).
    fn op(&self) -> Option<&[u8]> {
        match self {
            T::Op(o) => Some(o.as_bytes()),
            T::W(w) => lit(w),
        }
    }
    fn is(&self, s: &str) -> bool {
        self.op() == Some(s.as_bytes())
    }
    fn binary(&self) -> Option<&'static str> {
        let o = self.op()?;
        BINARY.iter().copied().find(|b| b.as_bytes() == o)
    }
    fn unary(&self) -> Option<u8> {
        match self.op()? {
            [b'-', c] if UNARY.contains(c) => Some(*c),
            _ => None,
        }
    }
    fn word(self) -> Word {
        match self {
            T::W(w) => w,
            T::Op(o) => vec![Part::Lit(o.as_bytes().to_vec())],
        }
    }
    fn text(&self) -> Word {
        match self {
            T::Op(o) => vec![Part::Lit(o.as_bytes().to_vec())],
            T::W(w) => w.clone(),
        }
    }
}

impl Parser {
    /// After `[[`: the expression through `]]`.
    pub(super) fn cond(&mut self) -> Result<Cond, Syn> {
        let mut toks = Vec::new();
        let mut closed = false;
        loop {
            // The word after `=~` is read as a regular expression: `(`, `)` and `|` in it
            // are its own.
            if toks.last().is_some_and(|t: &T| t.is("=~")) {
                if let Some(w) = self.regex_word()? {
                    toks.push(T::W(w));
                    continue;
                }
            }
            let t = match self.peek()? {
                Tok::Word(w) if lit(w) == Some(b"]]") => {
                    self.next()?;
                    closed = true;
                    break;
                }
                Tok::Word(_) => match self.next()? {
                    Tok::Word(w) => T::W(w),
                    _ => break,
                },
                Tok::IoNum(n) => {
                    // `[[ 1<2 ]]`: the digits are an operand here.
                    let w = vec![Part::Lit(super::expand::num(*n as i64))];
                    self.next()?;
                    T::W(w)
                }
                // Lines may break between the terms (bash: `&&` at a line's end), not
                // between an operator and its operand.
                Tok::Newline if !toks.last().is_some_and(|t| t.binary().is_some() || t.unary().is_some()) => {
                    self.next()?;
                    continue;
                }
                Tok::Op(o @ ("&&" | "||" | "(" | ")" | "<" | ">")) => {
                    let o = *o;
                    self.next()?;
                    T::Op(o)
                }
                // The command ends first: left for the grammar around us.
                _ => break,
            };
            toks.push(t);
        }
        if !closed {
            return Ok(Cond::Bad(None, "missing ]]"));
        }
        if toks.is_empty() {
            // `[[ ]]` is false, as `test` with no arguments.
            return Ok(Cond::Word(Word::new()));
        }
        let mut p = CP {
            t: toks.into_iter().map(Some).collect(),
            i: 0,
            depth: 0,
        };
        Ok(match p.all() {
            Ok(c) => c,
            Err((op, m)) => Cond::Bad(op, m),
        })
    }
}

/// The expression parser over the tokens (taken out as they are used).
struct CP {
    t: Vec<Option<T>>,
    i: usize,
    depth: u32,
}

impl CP {
    fn get(&self, k: usize) -> Option<&T> {
        self.t.get(k).and_then(|t| t.as_ref())
    }
    fn take(&mut self) -> Word {
        let t = self.t.get_mut(self.i).and_then(|t| t.take());
        self.i += 1;
        t.map_or_else(Word::new, T::word)
    }
    fn all(&mut self) -> Result<Cond, Bad> {
        let c = self.or()?;
        match self.get(self.i) {
            None => Ok(c),
            Some(t) => Err((Some(t.text()), "unknown operand")),
        }
    }
    fn or(&mut self) -> Result<Cond, Bad> {
        let l = self.and()?;
        if self.get(self.i).is_some_and(|t| t.is("||")) {
            self.i += 1;
            return Ok(Cond::Or(Box::new(l), Box::new(self.or()?)));
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<Cond, Bad> {
        let l = self.not()?;
        if self.get(self.i).is_some_and(|t| t.is("&&")) {
            self.i += 1;
            return Ok(Cond::And(Box::new(l), Box::new(self.and()?)));
        }
        Ok(l)
    }
    fn not(&mut self) -> Result<Cond, Bad> {
        if self.get(self.i).is_some_and(|t| t.is("!")) {
            self.i += 1;
            // `[[ ! ]]`: a `!` missing its operand is true, as test has it.
            if self.get(self.i).is_none() {
                return Ok(Cond::Word(vec![Part::Lit(b"!".to_vec())]));
            }
            return Ok(Cond::Not(Box::new(self.not()?)));
        }
        self.primary()
    }
    fn primary(&mut self) -> Result<Cond, Bad> {
        let Some(t) = self.get(self.i) else {
            return Err((None, "argument expected"));
        };
        if t.is("(") {
            if self.depth >= 1000 {
                return Err((None, "expression too complex"));
            }
            self.depth += 1;
            self.i += 1;
            let c = self.or()?;
            if !self.get(self.i).is_some_and(|t| t.is(")")) {
                return Err((None, "closing paren expected"));
            }
            self.i += 1;
            self.depth -= 1;
            return Ok(c);
        }
        let un = t.unary();
        // `WORD BINARY WORD` comes first (`-f = -f`), as in test.
        if let Some(b) = self.get(self.i + 1).and_then(T::binary) {
            if self.get(self.i + 2).is_none() {
                return Err((Some(vec![Part::Lit(b.as_bytes().to_vec())]), "argument expected"));
            }
            let l = self.take();
            self.i += 1;
            let r = self.take();
            return Ok(Cond::Bin(b, l, r));
        }
        if let Some(c) = un {
            let next = self.get(self.i + 1);
            // `-f` alone (or before `&&`, `||`, `)`) is a non-empty string.
            if next.is_some_and(|n| !(n.is("&&") || n.is("||") || n.is(")"))) {
                self.i += 1;
                return Ok(Cond::Un(c, self.take()));
            }
        }
        Ok(Cond::Word(self.take()))
    }
}

impl Shell {
    /// Runs `[[ ... ]]`: 0 true, 1 false, 2 for an error (reported).
    pub fn test_cond(&mut self, c: &Cond) -> R {
        self.cond_run(c, false)
    }

    /// `set -x`: each test as it runs, as bash traces them (`+ [[ -n word ]]`, `!` when
    /// the test is negated), its words quoted as the shell's trace quotes them and a
    /// pattern shown as the pattern it is.
    fn cond_trace(&mut self, bang: bool, words: &[&[u8]]) {
        if !self.opt.x {
            return;
        }
        let mut t: Vec<&[u8]> = vec![b"[["];
        if bang {
            t.push(b"!");
        }
        t.extend_from_slice(words);
        t.push(b"]]");
        self.trace(&t);
    }

    /// `bang`: an odd number of `!` stand right before this test (for the trace).
    fn cond_run(&mut self, c: &Cond, bang: bool) -> R {
        Ok(match c {
            Cond::Bad(op, m) => {
                let mut v = self.arg0.clone();
                v.extend_from_slice(b": ");
                if let Some(o) = op {
                    let o = self.expand_str(o)?;
                    v.extend_from_slice(&o);
                    v.extend_from_slice(b": ");
                }
                v.extend_from_slice(m.as_bytes());
                v.push(b'\n');
                let _ = crate::sys::write_all(2, &v);
                2
            }
            Cond::Word(w) => {
                let v = self.expand_str(w)?;
                self.cond_trace(bang, &[b"-n", &quote(&v)]);
                v.is_empty() as i32
            }
            Cond::Not(c) => match self.cond_run(c, !bang)? {
                2 => 2,
                s => (s == 0) as i32,
            },
            Cond::And(a, b) => match self.cond_run(a, false)? {
                0 => self.cond_run(b, false)?,
                s => s,
            },
            Cond::Or(a, b) => match self.cond_run(a, false)? {
                0 => 0,
                2 => 2,
                _ => self.cond_run(b, false)?,
            },
            Cond::Un(op, w) => {
                let v = self.expand_str(w)?;
                self.cond_trace(bang, &[&[b'-', *op], &quote(&v)]);
                match op {
                    b'z' => !v.is_empty() as i32,
                    b'n' => v.is_empty() as i32,
                    _ => super::builtins::test(self, &[b"test".to_vec(), vec![b'-', *op], v])?,
                }
            }
            Cond::Bin(op, l, r) => {
                let l = self.expand_str(l)?;
                let r = match *op {
                    "=" | "==" | "!=" => self.expand_pat(r)?,
                    "=~" => self.expand_re(r)?,
                    _ => self.expand_str(r)?,
                };
                if self.opt.x {
                    let shown = if matches!(*op, "=" | "==" | "!=" | "=~") { show_pat(&r) } else { quote(&r) };
                    self.cond_trace(bang, &[&quote(&l), op.as_bytes(), &shown]);
                }
                match *op {
                    "=" | "==" | "!=" => {
                        let m = super::expand::fnmatch(&r, &l);
                        (m == (*op == "!=")) as i32
                    }
                    "=~" => super::builtins::test(self, &[b"[[".to_vec(), l, b"=~".to_vec(), r, b"]]".to_vec()])?,
                    "<" | ">" => {
                        let lt = if *op == "<" { l < r } else { l > r };
                        !lt as i32
                    }
                    "-nt" | "-ot" | "-ef" => {
                        super::builtins::test(self, &[b"test".to_vec(), l, op.as_bytes().to_vec(), r])?
                    }
                    _ => {
                        let (Some(x), Some(y)) = (self.cond_num(&l), self.cond_num(&r)) else {
                            return Ok(2);
                        };
                        let t = match *op {
                            "-eq" => x == y,
                            "-ne" => x != y,
                            "-lt" => x < y,
                            "-le" => x <= y,
                            "-gt" => x > y,
                            _ => x >= y,
                        };
                        !t as i32
                    }
                }
            }
        })
    }

    /// An operand of `-eq` and friends: an arithmetic expression, as bash reads it; an
    /// error is reported and makes the test's status 2 (the shell goes on).
    fn cond_num(&mut self, s: &[u8]) -> Option<i64> {
        match self.arith_soft(s) {
            Ok(v) => Some(v),
            Err(m) => {
                if !m.is_empty() {
                    self.msg(&[&m]);
                }
                None
            }
        }
    }
}

/// A word in a `[[ ]]` trace: as the shell's trace quotes it, an empty one as `''` (bash).
fn quote(v: &[u8]) -> Vec<u8> {
    if v.is_empty() {
        return b"''".to_vec();
    }
    super::exec::quote(v)
}

/// A pattern in a `[[ ]]` trace, readable back as the same pattern: the characters the
/// shell would take as syntax (blanks, quotes, operators) escaped, glob characters and
/// the pattern's own escapes as they are.
fn show_pat(p: &[u8]) -> Vec<u8> {
    if p.is_empty() {
        return b"''".to_vec();
    }
    let mut o = Vec::with_capacity(p.len() + 4);
    let mut i = 0;
    while let Some(&c) = p.get(i) {
        if c == b'\\' {
            o.extend_from_slice(&p[i..(i + 2).min(p.len())]);
            i += 2;
            continue;
        }
        if b" \t\n'\"$`&|;()<>#~".contains(&c) {
            o.push(b'\\');
        }
        o.push(c);
        i += 1;
    }
    o
}
