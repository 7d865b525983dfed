//! The parser: POSIX's shell grammar by recursive descent over the lexer's tokens, one
//! complete command (a line's and-or lists) at a time, as ash reads a script: earlier lines
//! run before a syntax error further down is found. Nesting is counted so that deep input
//! ends with an error instead of overflowing the stack.

use super::ast::*;
use super::lex::{delimiter, is_name, is_name_start, Tok};
use std::cell::RefCell;
use std::rc::Rc;

/// How deep constructs may nest: far below what the stack holds.
const MAX_DEPTH: u32 = 1000;

/// A syntax error: the message after `syntax error: ` (or a whole message), and its line.
#[derive(Debug, Clone)]
pub struct Syn {
    pub msg: Vec<u8>,
    pub line: u32,
}

pub struct Parser {
    pub src: Vec<u8>,
    pub pos: usize,
    pub line: u32,
    pub(super) depth: u32,
    peeked: Option<Tok>,
    /// Where the last word token began (here-document delimiters need its raw text).
    pub(super) word_start: usize,
    pub(super) pending: Vec<(Vec<u8>, bool, Rc<RefCell<HereDoc>>)>,
    /// The shell's stack, checked as constructs nest.
    pub stack: Option<super::exec::Stack>,
    /// Aliases in effect for this command line.
    pub aliases: Option<super::vars::Map<Vec<u8>>>,
    /// Aliases being expanded, and where their text ends (no recursion).
    active: Vec<(Vec<u8>, usize)>,
    /// The last alias ended in a blank: the next word is checked for an alias too.
    alias_blank: bool,
    /// Where more source comes from, a line at a time, when `src` runs out (a script or
    /// stdin read as it runs); None: `src` is all there is.
    pub feed: Option<Box<dyn super::input::Feed>>,
    /// The lexer looked past the end of the source (an interactive line that is not a
    /// complete command yet).
    pub hit_end: bool,
}

const RESERVED: &[&[u8]] = &[
    b"!", b"{", b"}", b"case", b"do", b"done", b"elif", b"else", b"esac", b"fi", b"for", b"if",
    b"in", b"then", b"until", b"while",
];

/// The text of a word that is one unquoted literal (a candidate reserved word or name).
pub fn lit(w: &Word) -> Option<&[u8]> {
    match w.as_slice() {
        [Part::Lit(s)] => Some(s),
        _ => None,
    }
}

pub fn is_valid_name(s: &[u8]) -> bool {
    s.first().is_some_and(|&c| is_name_start(c)) && s.iter().all(|&c| is_name(c))
}

impl Parser {
    pub fn new(src: Vec<u8>, line: u32) -> Parser {
        Parser {
            src,
            pos: 0,
            line,
            depth: 0,
            peeked: None,
            word_start: 0,
            pending: Vec::new(),
            stack: None,
            aliases: None,
            active: Vec::new(),
            alias_blank: false,
            feed: None,
            hit_end: false,
        }
    }

    /// Appends the next line of input to the source; false at its end.
    pub(super) fn more(&mut self) -> bool {
        if let Some(f) = self.feed.as_mut() {
            if f.fill(&mut self.src) {
                return true;
            }
        }
        self.hit_end = true;
        false
    }

    /// Between two commands read from a feed: forgets the text already run, and gives
    /// back to the input what was read beyond it (when the input can step back, as a
    /// seekable stdin must before a command reads it).
    pub fn compact(&mut self) {
        let mut end = self.src.len();
        if self.peeked.is_none() && self.pending.is_empty() {
            if let Some(f) = self.feed.as_mut() {
                if f.sync(end - self.pos) {
                    end = self.pos;
                }
            }
        }
        self.src.truncate(end);
        self.src.drain(..self.pos);
        self.word_start = self.word_start.saturating_sub(self.pos);
        let pos = self.pos;
        self.active.retain(|(_, e)| *e > pos);
        for a in &mut self.active {
            a.1 -= pos;
        }
        self.pos = 0;
    }

    pub(super) fn err(&self, msg: &str) -> Syn {
        Syn {
            msg: msg.as_bytes().to_vec(),
            line: self.line,
        }
    }

    pub(super) fn enter(&mut self) -> Result<(), Syn> {
        self.depth += 1;
        if self.depth > MAX_DEPTH || self.stack.is_some_and(|s| !s.ok()) {
            return Err(self.err("nesting too deep"));
        }
        Ok(())
    }

    pub(super) fn peek(&mut self) -> Result<&Tok, Syn> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lex()?);
        }
        Ok(self.peeked.as_ref().unwrap_or(&Tok::Eof))
    }

    pub(super) fn next(&mut self) -> Result<Tok, Syn> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lex(),
        }
    }

    fn peek_op(&mut self, op: &str) -> Result<bool, Syn> {
        Ok(matches!(self.peek()?, Tok::Op(o) if *o == op))
    }

    /// The next token is the reserved word `kw` (in a place where reserved words count).
    fn peek_kw(&mut self, kw: &[u8]) -> Result<bool, Syn> {
        Ok(matches!(self.peek()?, Tok::Word(w) if lit(w) == Some(kw)))
    }

    fn describe(t: &Tok) -> Vec<u8> {
        match t {
            Tok::Eof => b"end of file".to_vec(),
            Tok::Newline => b"newline".to_vec(),
            Tok::Op(o) if o.starts_with(['<', '>']) => b"redirection".to_vec(),
            Tok::Op(o) => [b"\"", o.as_bytes(), b"\""].concat(),
            Tok::IoNum(_) => b"redirection".to_vec(),
            Tok::Word(w) => match lit(w) {
                Some(s) if RESERVED.contains(&s) => [b"\"", s, b"\""].concat(),
                _ => b"word".to_vec(),
            },
        }
    }

    /// `unexpected TOKEN` (and what was expected) for the next token.
    fn unexpected(&mut self, expecting: Option<&str>) -> Syn {
        let t = self.next().unwrap_or(Tok::Eof);
        let mut m = b"unexpected ".to_vec();
        m.extend_from_slice(&Self::describe(&t));
        if let Some(e) = expecting {
            m.extend_from_slice(b" (expecting ");
            m.extend_from_slice(e.as_bytes());
            m.push(b')');
        }
        Syn {
            msg: m,
            line: self.line,
        }
    }

    /// `unexpected TOKEN (expecting "WHAT")`.
    fn unexpected_quoted(&mut self, what: &str) -> Syn {
        let mut e = String::with_capacity(what.len() + 2);
        e.push('"');
        e.push_str(what);
        e.push('"');
        self.unexpected(Some(&e))
    }

    fn expect_kw(&mut self, kw: &'static str) -> Result<(), Syn> {
        if self.peek_kw(kw.as_bytes())? {
            self.next()?;
            return Ok(());
        }
        Err(self.unexpected_quoted(kw))
    }

    fn expect_op(&mut self, op: &'static str) -> Result<(), Syn> {
        if self.peek_op(op)? {
            self.next()?;
            return Ok(());
        }
        Err(self.unexpected_quoted(op))
    }

    fn skip_newlines(&mut self) -> Result<(), Syn> {
        while matches!(self.peek()?, Tok::Newline) {
            self.next()?;
        }
        Ok(())
    }

    /// Nothing but blank lines and comments is left.
    pub fn at_end(&mut self) -> bool {
        self.skip_newlines().is_ok() && matches!(self.peek(), Ok(Tok::Eof))
    }

    /// The whole source as one list (backquotes, `sh -n`).
    pub fn program(&mut self) -> Result<List, Syn> {
        let mut all = List::new();
        while let Some(mut l) = self.command_line()? {
            all.append(&mut l);
        }
        Ok(all)
    }

    /// The next complete command: the and-or lists up to the end of a line; None at the end.
    pub fn command_line(&mut self) -> Result<Option<List>, Syn> {
        self.skip_newlines()?;
        if matches!(self.peek()?, Tok::Eof) {
            return Ok(None);
        }
        let mut l = List::new();
        loop {
            let c = self.and_or()?;
            let bg = self.peek_op("&")?;
            let sep = bg || self.peek_op(";")?;
            if sep {
                self.next()?;
            }
            l.push((c, bg));
            match self.peek()? {
                Tok::Newline => {
                    self.next()?;
                    return Ok(Some(l));
                }
                Tok::Eof => return Ok(Some(l)),
                _ if sep => {}
                _ => return Err(self.unexpected(None)),
            }
        }
    }

    /// A compound list, ending before a reserved word, `)`, `;;`/`;&` or the end; empty is
    /// an error, on the token that follows.
    fn list(&mut self) -> Result<List, Syn> {
        let mut l = List::new();
        loop {
            self.skip_newlines()?;
            let end = match self.peek()? {
                Tok::Eof => true,
                Tok::Op(o) => matches!(*o, ")" | ";;" | ";&"),
                Tok::Word(w) => matches!(
                    lit(w),
                    Some(b"then" | b"else" | b"elif" | b"fi" | b"do" | b"done" | b"esac" | b"}")
                ),
                _ => false,
            };
            if end {
                break;
            }
            let c = self.and_or()?;
            let bg = self.peek_op("&")?;
            let sep = bg || self.peek_op(";")?;
            if sep {
                self.next()?;
            }
            l.push((c, bg));
            if !sep && !matches!(self.peek()?, Tok::Newline) {
                break;
            }
        }
        // An empty list is an error on the token that follows, unless that is the end of
        // the input: then the construct's own "expecting" message tells more.
        if l.is_empty() && !matches!(self.peek()?, Tok::Eof) {
            return Err(self.unexpected(None));
        }
        Ok(l)
    }

    /// The commands of `$(...)` after its `(`, through the closing `)`.
    pub(super) fn subst(&mut self) -> Result<List, Syn> {
        self.enter()?;
        self.skip_newlines()?;
        let l = if self.peek_op(")")? {
            List::new()
        } else {
            self.list()?
        };
        self.expect_op(")")?;
        self.depth -= 1;
        Ok(l)
    }

    fn and_or(&mut self) -> Result<Cmd, Syn> {
        let mut c = self.pipeline()?;
        loop {
            let and = self.peek_op("&&")?;
            if !and && !self.peek_op("||")? {
                return Ok(c);
            }
            self.next()?;
            self.skip_newlines()?;
            let r = Box::new(self.pipeline()?);
            c = if and {
                Cmd::And(Box::new(c), r)
            } else {
                Cmd::Or(Box::new(c), r)
            };
        }
    }

    fn pipeline(&mut self) -> Result<Cmd, Syn> {
        let bang = self.peek_kw(b"!")?;
        if bang {
            self.next()?;
        }
        let mut cmds = vec![self.command()?];
        while self.peek_op("|")? {
            self.next()?;
            self.skip_newlines()?;
            cmds.push(self.command()?);
        }
        if !bang && cmds.len() == 1 {
            return Ok(cmds.pop().unwrap_or(Cmd::Group(List::new())));
        }
        Ok(Cmd::Pipeline { bang, cmds })
    }

    fn command(&mut self) -> Result<Cmd, Syn> {
        self.enter()?;
        let r = self.command_inner();
        self.depth -= 1;
        r
    }

    /// Replaces a command word that names an alias by the alias's text, re-read.
    fn expand_alias(&mut self) -> Result<(), Syn> {
        for _ in 0..100 {
            let name = match self.peek()? {
                Tok::Word(w) => match lit(w) {
                    Some(s) => s.to_vec(),
                    None => return Ok(()),
                },
                _ => return Ok(()),
            };
            let Some(val) = self.aliases.as_ref().and_then(|m| m.get(&name).cloned()) else {
                return Ok(());
            };
            let pos = self.pos;
            self.active.retain(|(_, end)| *end > pos);
            if self.active.iter().any(|(n, _)| *n == name) {
                return Ok(());
            }
            let start = self.word_start;
            self.src.splice(start..pos, val.iter().copied());
            let delta = val.len() as isize - (pos - start) as isize;
            for a in &mut self.active {
                a.1 = (a.1 as isize + delta) as usize;
            }
            self.alias_blank = val.last().is_some_and(|&c| c == b' ' || c == b'\t');
            self.active.push((name, start + val.len()));
            self.pos = start;
            self.peeked = None;
        }
        Ok(())
    }

    fn command_inner(&mut self) -> Result<Cmd, Syn> {
        self.alias_blank = false;
        if self.aliases.is_some() {
            self.expand_alias()?;
        }
        let kw = match self.peek()? {
            Tok::Word(w) => lit(w).map(|s| s.to_vec()),
            Tok::Op("(") => Some(b"(".to_vec()),
            _ => None,
        };
        let c = match kw.as_deref() {
            Some(b"(") => {
                self.next()?;
                let l = self.list()?;
                self.expect_op(")")?;
                Cmd::Subshell(l)
            }
            Some(b"{") => {
                self.next()?;
                let l = self.list()?;
                self.expect_kw("}")?;
                Cmd::Group(l)
            }
            Some(b"if") => {
                self.next()?;
                let mut arms = Vec::new();
                let mut els = None;
                loop {
                    let cond = self.list()?;
                    self.expect_kw("then")?;
                    let body = self.list()?;
                    arms.push((cond, body));
                    if self.peek_kw(b"elif")? {
                        self.next()?;
                        continue;
                    }
                    if self.peek_kw(b"else")? {
                        self.next()?;
                        els = Some(self.list()?);
                    }
                    self.expect_kw("fi")?;
                    break;
                }
                Cmd::If { arms, els }
            }
            Some(k @ (b"while" | b"until")) => {
                let until = k == b"until";
                self.next()?;
                let cond = self.list()?;
                self.expect_kw("do")?;
                let body = self.list()?;
                self.expect_kw("done")?;
                Cmd::Loop { until, cond, body }
            }
            Some(b"[[") => {
                let line = self.line;
                self.next()?;
                Cmd::Cond(Box::new(self.cond()?), line)
            }
            Some(b"for") => self.for_loop()?,
            Some(b"case") => self.case()?,
            Some(b"then" | b"else" | b"elif" | b"fi" | b"do" | b"done" | b"esac" | b"}" | b"!" | b"in") => {
                return Err(self.unexpected(None));
            }
            _ => return self.simple(),
        };
        let mut redirs = Vec::new();
        while let Some(r) = self.redir()? {
            redirs.push(r);
        }
        Ok(if redirs.is_empty() {
            c
        } else {
            Cmd::Redirected(Box::new(c), redirs)
        })
    }

    fn for_loop(&mut self) -> Result<Cmd, Syn> {
        self.next()?;
        let var = match self.next()? {
            Tok::Word(w) => match lit(&w) {
                Some(s) if is_valid_name(s) => s.to_vec(),
                _ => return Err(self.err("bad for loop variable")),
            },
            _ => return Err(self.err("bad for loop variable")),
        };
        self.skip_newlines()?;
        let mut words = None;
        if self.peek_kw(b"in")? {
            self.next()?;
            let mut ws = Vec::new();
            while let Tok::Word(_) = self.peek()? {
                if let Tok::Word(w) = self.next()? {
                    ws.push(w);
                }
            }
            words = Some(ws);
            if self.peek_op(";")? || matches!(self.peek()?, Tok::Newline) {
                self.next()?;
            } else if matches!(self.peek()?, Tok::Eof) {
                return Err(self.unexpected(None));
            } else {
                return Err(self.unexpected(Some("\"do\"")));
            }
        } else if self.peek_op(";")? {
            self.next()?;
        }
        self.skip_newlines()?;
        self.expect_kw("do")?;
        let body = self.list()?;
        self.expect_kw("done")?;
        Ok(Cmd::For { var, words, body })
    }

    fn case(&mut self) -> Result<Cmd, Syn> {
        self.next()?;
        let word = match self.next()? {
            Tok::Word(w) => w,
            t => {
                self.peeked = Some(t);
                return Err(self.unexpected(Some("word")));
            }
        };
        self.skip_newlines()?;
        self.expect_kw("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.peek_kw(b"esac")? {
                self.next()?;
                break;
            }
            if self.peek_op("(")? {
                self.next()?;
            }
            let mut pats = Vec::new();
            loop {
                match self.next()? {
                    Tok::Word(w) => pats.push(w),
                    t => {
                        self.peeked = Some(t);
                        return Err(self.unexpected(Some("word")));
                    }
                }
                if self.peek_op("|")? {
                    self.next()?;
                    continue;
                }
                break;
            }
            self.expect_op(")")?;
            self.skip_newlines()?;
            let body = if self.peek_op(";;")? || self.peek_op(";&")? || self.peek_kw(b"esac")? {
                List::new()
            } else {
                self.list()?
            };
            let fall = self.peek_op(";&")?;
            if fall || self.peek_op(";;")? {
                self.next()?;
                arms.push(CaseArm { pats, body, fall });
                continue;
            }
            arms.push(CaseArm { pats, body, fall });
            self.skip_newlines()?;
            if !self.peek_kw(b"esac")? {
                return Err(self.unexpected(Some("\";;\"")));
            }
            self.next()?;
            break;
        }
        Ok(Cmd::Case { word, arms })
    }

    /// A redirection if one comes next.
    fn redir(&mut self) -> Result<Option<Redir>, Syn> {
        let fd = match self.peek()? {
            Tok::IoNum(n) => Some(*n),
            Tok::Op(o) if o.starts_with(['<', '>']) => None,
            _ => return Ok(None),
        };
        if fd.is_some() {
            self.next()?;
        }
        let op = match self.next()? {
            Tok::Op(o) => o,
            t => {
                self.peeked = Some(t);
                return Err(self.unexpected(None));
            }
        };
        let (op, dfd) = match op {
            "<" => (RedirOp::In, 0),
            ">" => (RedirOp::Out, 1),
            ">>" => (RedirOp::Append, 1),
            ">|" => (RedirOp::Clobber, 1),
            "<>" => (RedirOp::ReadWrite, 0),
            "<&" => (RedirOp::DupIn, 0),
            ">&" => (RedirOp::DupOut, 1),
            "<<" | "<<-" => (RedirOp::Here, 0),
            _ => {
                self.peeked = Some(Tok::Op(op));
                return Err(self.unexpected(None));
            }
        };
        let strip = op == RedirOp::Here && self.src.get(self.pos.wrapping_sub(1)) == Some(&b'-');
        let target = match self.next()? {
            Tok::Word(w) => w,
            t => {
                self.peeked = Some(t);
                return Err(self.unexpected(None));
            }
        };
        let mut here = None;
        if op == RedirOp::Here {
            let (delim, quoted) = delimiter(&self.src[self.word_start..self.pos]);
            let doc = Rc::new(RefCell::new(HereDoc {
                body: Word::new(),
                quoted,
            }));
            self.pending.push((delim, strip, doc.clone()));
            here = Some(doc);
        }
        Ok(Some(Redir {
            fd: fd.unwrap_or(dfd),
            op,
            target,
            here,
        }))
    }

    fn simple(&mut self) -> Result<Cmd, Syn> {
        let line = self.line;
        let mut assigns = Vec::new();
        let mut words: Vec<Word> = Vec::new();
        let mut redirs = Vec::new();
        loop {
            if self.alias_blank && !words.is_empty() {
                self.alias_blank = false;
                self.expand_alias()?;
            }
            if let Some(r) = self.redir()? {
                redirs.push(r);
                continue;
            }
            if !matches!(self.peek()?, Tok::Word(_)) {
                break;
            }
            let Ok(Tok::Word(w)) = self.next() else { break };
            if words.is_empty() {
                if let Some(a) = assignment(&w) {
                    assigns.push(a);
                    continue;
                }
                // `name()`: a function definition.
                if assigns.is_empty() && redirs.is_empty() && self.peek_op("(")? {
                    let name = match lit(&w) {
                        Some(s) if !s.is_empty() && !s.contains(&b'=') => s.to_vec(),
                        _ => return Err(self.unexpected(None)),
                    };
                    self.next()?;
                    self.expect_op(")")?;
                    self.skip_newlines()?;
                    let body = self.command()?;
                    return Ok(Cmd::Func {
                        name,
                        body: Rc::new(body),
                    });
                }
            }
            words.push(w);
        }
        if words.is_empty() && assigns.is_empty() && redirs.is_empty() {
            return Err(self.unexpected(None));
        }
        Ok(Cmd::Simple {
            assigns,
            words,
            redirs,
            line,
        })
    }
}

/// `NAME=value` at the start of a simple command: the name and the value's parts.
fn assignment(w: &Word) -> Option<Assign> {
    let Some(Part::Lit(first)) = w.first() else {
        return None;
    };
    let eq = first.iter().position(|&c| c == b'=')?;
    if !is_valid_name(&first[..eq]) {
        return None;
    }
    let mut value = Word::new();
    if eq + 1 < first.len() {
        value.push(Part::Lit(first[eq + 1..].to_vec()));
    }
    value.extend_from_slice(&w[1..]);
    Some(Assign {
        name: first[..eq].to_vec(),
        value,
    })
}
