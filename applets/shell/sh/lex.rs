//! The lexer: tokens (operators, words with their quoting parsed into parts, newlines) from
//! the parser's source. Words are scanned here, `$(...)` inside them by calling back into
//! the parser on the same source, so nested substitutions, here-documents inside them and
//! line numbers all come out right. Here-document bodies are read at the next newline.

use super::ast::*;
use super::parse::{lit, Parser, Syn};
use std::rc::Rc;

#[derive(Debug, Clone)]
pub enum Tok {
    Word(Word),
    /// `2>`: the digits directly before a redirection operator.
    IoNum(i32),
    Op(&'static str),
    Newline,
    Eof,
}

/// Where a word is being scanned: what ends it and what backslash escapes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Word,
    Dq,
    /// An unquoted here-document body: `\` escapes only `$`, `` ` ``, `\` and newline.
    Here,
    /// The word inside `${name OP word}`, ending at `}` (or at `stop`: `:` or `/`).
    Brace { dq: bool, stop: u8 },
    /// `$(( ... ))`, ending at the `))` that closes it.
    Arith,
    /// The regular expression after `[[ x =~`: `(`, `)`, `|`, `<`, `>` are its own; it
    /// ends at a blank, a newline, `;`, `&` or an unbalanced `)`.
    Re,
}

const OPS: &[&str] = &[
    "&&", "||", ";;", ";&", "<<-", "<<", "<&", "<>", ">>", ">&", ">|", ";", "&", "|", "(", ")",
    "<", ">",
];

pub fn is_name_start(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphabetic()
}

pub fn is_name(c: u8) -> bool {
    c == b'_' || c.is_ascii_alphanumeric()
}

fn is_meta(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>')
}

fn flush(lit: &mut Vec<u8>, parts: &mut Word, quoted: bool) {
    if !lit.is_empty() {
        let v = std::mem::take(lit);
        parts.push(if quoted { Part::Quoted(v) } else { Part::Lit(v) });
    }
}

impl Parser {
    // Both read the next line of a feed when the source runs out.
    fn cur(&mut self) -> Option<u8> {
        if self.pos >= self.src.len() && !self.more() {
            return None;
        }
        self.src.get(self.pos).copied()
    }
    fn at(&mut self, k: usize) -> Option<u8> {
        while self.pos + k >= self.src.len() && self.more() {}
        self.src.get(self.pos + k).copied()
    }
    fn bump(&mut self) {
        if self.src.get(self.pos) == Some(&b'\n') {
            self.line += 1;
        }
        self.pos += 1;
    }

    /// Skips blanks, line continuations and a comment.
    fn skip_blank(&mut self) {
        loop {
            match self.cur() {
                Some(b' ' | b'\t') => self.bump(),
                Some(b'\\') if self.at(1) == Some(b'\n') => {
                    self.bump();
                    self.bump();
                }
                Some(b'#') => {
                    while self.cur().is_some_and(|c| c != b'\n') {
                        self.bump();
                    }
                }
                _ => return,
            }
        }
    }

    /// The next token from the source.
    pub(super) fn lex(&mut self) -> Result<Tok, Syn> {
        self.skip_blank();
        let Some(c) = self.cur() else {
            self.read_heredocs()?;
            return Ok(Tok::Eof);
        };
        if c == b'\n' {
            self.bump();
            self.read_heredocs()?;
            return Ok(Tok::Newline);
        }
        if c.is_ascii_digit() {
            let mut k = 0;
            while self.at(k).is_some_and(|d| d.is_ascii_digit()) {
                k += 1;
            }
            if matches!(self.at(k), Some(b'<' | b'>')) && k < 10 {
                let n = self.src[self.pos..self.pos + k]
                    .iter()
                    .fold(0i32, |n, d| n * 10 + (d - b'0') as i32);
                self.pos += k;
                return Ok(Tok::IoNum(n));
            }
        }
        if is_meta(c) {
            let rest = &self.src[self.pos..];
            if let Some(op) = OPS.iter().find(|o| rest.starts_with(o.as_bytes())) {
                self.pos += op.len();
                return Ok(Tok::Op(op));
            }
        }
        self.word_start = self.pos;
        let w = self.scan(Ctx::Word)?;
        Ok(Tok::Word(w))
    }

    /// The regular expression after `=~` in `[[ ]]`, None when the expression ends first
    /// (nothing is then consumed).
    pub(super) fn regex_word(&mut self) -> Result<Option<Word>, Syn> {
        self.skip_blank();
        match self.cur() {
            None | Some(b'\n' | b';' | b'&' | b')') => return Ok(None),
            _ => {}
        }
        self.word_start = self.pos;
        let w = self.scan(Ctx::Re)?;
        // `]]` itself is the end, not the expression.
        if lit(&w) == Some(b"]]") {
            self.pos = self.word_start;
            return Ok(None);
        }
        Ok(Some(w))
    }

    /// Scans a word (or the inside of quotes, a here-document, `${...}`) up to what ends it
    /// in `ctx`, leaving the position on the terminator.
    fn scan(&mut self, ctx: Ctx) -> Result<Word, Syn> {
        let mut parts = Word::new();
        let mut lit = Vec::new();
        // Text in double quotes and here-documents never splits. Inside `${...}` the text
        // stays pattern text even within quotes (`"${v##*/}"`); expansion knows the quoting.
        let q = matches!(ctx, Ctx::Dq | Ctx::Here);
        let mut depth = 0u32; // parentheses inside $(( ))
        loop {
            let Some(c) = self.cur() else {
                return match ctx {
                    Ctx::Word | Ctx::Here | Ctx::Re => {
                        flush(&mut lit, &mut parts, q);
                        Ok(parts)
                    }
                    Ctx::Dq => Err(self.err("unterminated quoted string")),
                    Ctx::Brace { .. } => Err(self.err("missing '}'")),
                    Ctx::Arith => Err(self.err("missing '))'")),
                };
            };
            match ctx {
                Ctx::Word if is_meta(c) => break,
                Ctx::Re if matches!(c, b' ' | b'\t' | b'\n' | b';' | b'&') => break,
                Ctx::Re if c == b'(' => depth += 1,
                Ctx::Re if c == b')' => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                Ctx::Dq if c == b'"' => break,
                Ctx::Brace { stop, .. } if c == b'}' || (stop != 0 && c == stop) => break,
                Ctx::Arith => {
                    if c == b'(' {
                        depth += 1;
                    } else if c == b')' {
                        if depth == 0 {
                            break;
                        }
                        depth -= 1;
                    }
                }
                _ => {}
            }
            match c {
                b'\\' => {
                    let n = self.at(1);
                    if n == Some(b'\n') {
                        self.bump();
                        self.bump();
                        continue;
                    }
                    let esc = match ctx {
                        Ctx::Word | Ctx::Re | Ctx::Brace { dq: false, .. } => n.is_some(),
                        Ctx::Dq | Ctx::Brace { dq: true, .. } | Ctx::Arith => {
                            matches!(n, Some(b'$' | b'`' | b'"' | b'\\'))
                                || (matches!(ctx, Ctx::Brace { .. }) && n == Some(b'}'))
                        }
                        Ctx::Here => matches!(n, Some(b'$' | b'`' | b'\\')),
                    };
                    self.bump();
                    if esc {
                        flush(&mut lit, &mut parts, q);
                        let e = self.cur().unwrap_or(b'\\');
                        self.bump();
                        parts.push(Part::Quoted(vec![e]));
                    } else {
                        lit.push(b'\\');
                    }
                }
                b'\'' if matches!(ctx, Ctx::Word | Ctx::Re | Ctx::Brace { dq: false, .. }) => {
                    flush(&mut lit, &mut parts, q);
                    self.bump();
                    let start = self.pos;
                    while self.cur().is_some_and(|c| c != b'\'') {
                        self.bump();
                    }
                    if self.cur().is_none() {
                        return Err(self.err("unterminated quoted string"));
                    }
                    parts.push(Part::Quoted(self.src[start..self.pos].to_vec()));
                    self.bump();
                }
                b'"' if matches!(ctx, Ctx::Word | Ctx::Re | Ctx::Brace { .. }) => {
                    flush(&mut lit, &mut parts, q);
                    self.bump();
                    self.enter()?;
                    let inner = self.scan(Ctx::Dq);
                    self.depth -= 1;
                    let inner = inner?;
                    self.bump();
                    parts.push(Part::Dq(inner));
                }
                b'`' => {
                    flush(&mut lit, &mut parts, q);
                    let p = self.backquote(q)?;
                    parts.push(p);
                }
                b'$' => {
                    flush(&mut lit, &mut parts, q);
                    let dq_ok = matches!(ctx, Ctx::Word | Ctx::Re) || ctx == Ctx::Brace { dq: false, stop: 0 };
                    match self.dollar(q, dq_ok)? {
                        Some(p) => parts.push(p),
                        None => lit.push(b'$'),
                    }
                }
                _ => {
                    lit.push(c);
                    self.bump();
                }
            }
        }
        flush(&mut lit, &mut parts, q);
        Ok(parts)
    }

    /// At a `$`: the expansion it starts, or None for a literal `$`.
    fn dollar(&mut self, dq: bool, dollar_quote: bool) -> Result<Option<Part>, Syn> {
        let n = self.at(1);
        match n {
            Some(b'\'') if dollar_quote && !dq => {
                self.pos += 2;
                Ok(Some(Part::Quoted(self.dollar_quote()?)))
            }
            Some(b'(') if self.at(2) == Some(b'(') => {
                self.pos += 3;
                self.enter()?;
                let w = self.scan(Ctx::Arith)?;
                self.depth -= 1;
                // At the first `)`; the second must follow.
                if self.at(1) != Some(b')') {
                    return Err(self.err("missing '))'"));
                }
                self.pos += 2;
                Ok(Some(Part::Arith(w)))
            }
            Some(b'(') => {
                self.pos += 2;
                let l = self.subst()?;
                Ok(Some(Part::Cmd(Rc::new(l))))
            }
            Some(b'{') => {
                self.pos += 2;
                self.enter()?;
                let p = self.brace(dq);
                self.depth -= 1;
                Ok(Some(p?))
            }
            Some(c) if is_name_start(c) => {
                let start = self.pos + 1;
                let mut e = start;
                while self.src.get(e).is_some_and(|&c| is_name(c)) {
                    e += 1;
                }
                let name = self.src[start..e].to_vec();
                self.pos = e;
                Ok(Some(plain(name)))
            }
            Some(c) if c.is_ascii_digit() || b"@*#?-$!".contains(&c) => {
                self.pos += 2;
                Ok(Some(plain(vec![c])))
            }
            _ => {
                self.bump();
                Ok(None)
            }
        }
    }

    /// `$'...'` after the quote: C escapes, as ash has them.
    fn dollar_quote(&mut self) -> Result<Vec<u8>, Syn> {
        let mut v = Vec::new();
        loop {
            let Some(c) = self.cur() else {
                return Err(self.err("unterminated quoted string"));
            };
            self.bump();
            match c {
                b'\'' => return Ok(v),
                b'\\' => {
                    let Some(e) = self.cur() else { continue };
                    self.bump();
                    let x = match e {
                        b'a' => 7,
                        b'b' => 8,
                        b'e' | b'E' => 0x1b,
                        b'f' => 12,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'v' => 11,
                        b'0'..=b'7' => {
                            let mut n = (e - b'0') as u32;
                            for _ in 0..2 {
                                match self.cur() {
                                    Some(d @ b'0'..=b'7') => {
                                        n = n * 8 + (d - b'0') as u32;
                                        self.bump();
                                    }
                                    _ => break,
                                }
                            }
                            n as u8
                        }
                        b'x' | b'u' | b'U' => {
                            let max = match e {
                                b'x' => 2,
                                b'u' => 4,
                                _ => 8,
                            };
                            let mut n = 0u32;
                            let mut k = 0;
                            while k < max {
                                match self.cur().and_then(|d| (d as char).to_digit(16)) {
                                    Some(d) => {
                                        n = n << 4 | d;
                                        self.bump();
                                        k += 1;
                                    }
                                    None => break,
                                }
                            }
                            if k == 0 {
                                // `\x`, `\u` without digits stay as written.
                                v.extend_from_slice(&[b'\\', e]);
                                continue;
                            }
                            if e == b'x' {
                                n as u8
                            } else {
                                utf8(n, &mut v);
                                continue;
                            }
                        }
                        // `\cX`: the control character (X & 0x1f; `\c?` is DEL), as bash.
                        b'c' => match self.cur() {
                            Some(x) => {
                                self.bump();
                                if x == b'?' {
                                    0x7f
                                } else {
                                    x & 0x1f
                                }
                            }
                            None => {
                                v.extend_from_slice(b"\\c");
                                continue;
                            }
                        },
                        b'\\' | b'\'' | b'"' | b'?' => e,
                        _ => {
                            v.push(b'\\');
                            e
                        }
                    };
                    // A NUL cannot be in a word: ash drops it.
                    if x != 0 {
                        v.push(x);
                    }
                }
                _ => v.push(c),
            }
        }
    }

    /// `${...}` after the brace.
    fn brace(&mut self, dq: bool) -> Result<Part, Syn> {
        let bad = |p: &Parser| p.err("bad substitution");
        let mut op = Op::Plain;
        if self.cur() == Some(b'#') && !matches!(self.at(1), Some(b'}') | None) {
            // `${#name}`, unless it is `${#-w}` etc. on `$#` itself.
            let n = self.at(1).unwrap_or(0);
            if is_name(n) || b"@*#?$!".contains(&n) || (n == b'-' && self.at(2) == Some(b'}')) {
                op = Op::Len;
                self.bump();
            }
        }
        let start = self.pos;
        match self.cur() {
            Some(c) if is_name_start(c) => {
                while self.cur().is_some_and(is_name) {
                    self.bump();
                }
            }
            Some(c) if c.is_ascii_digit() => {
                while self.cur().is_some_and(|c| c.is_ascii_digit()) {
                    self.bump();
                }
            }
            Some(c) if b"@*#?-$!".contains(&c) => self.bump(),
            None => return Err(self.err("missing '}'")),
            _ => return Err(bad(self)),
        }
        let name = self.src[start..self.pos].to_vec();
        let mut p = Param {
            name,
            op,
            colon: false,
            word: Word::new(),
            word2: None,
        };
        let Some(c) = self.cur() else {
            return Err(self.err("missing '}'"));
        };
        if c == b'}' {
            self.bump();
            return Ok(Part::Param(Box::new(p)));
        }
        if op == Op::Len {
            return Err(bad(self));
        }
        let ctx = Ctx::Brace { dq, stop: 0 };
        self.bump();
        let next = self.cur();
        p.op = match c {
            b':' => {
                p.colon = true;
                match next {
                    Some(b'-') => Op::Default,
                    Some(b'=') => Op::Assign,
                    Some(b'?') => Op::Error,
                    Some(b'+') => Op::Alt,
                    None => return Err(self.err("missing '}'")),
                    Some(b'}') => return Err(self.err("missing '}'")),
                    _ => {
                        p.colon = false;
                        p.word = self.scan(Ctx::Brace { dq, stop: b':' })?;
                        if self.cur() == Some(b':') {
                            self.bump();
                            p.word2 = Some(self.scan(ctx)?);
                        }
                        self.close_brace()?;
                        p.op = Op::Substr;
                        return Ok(Part::Param(Box::new(p)));
                    }
                }
            }
            b'-' => Op::Default,
            b'=' => Op::Assign,
            b'?' => Op::Error,
            b'+' => Op::Alt,
            b'%' if next == Some(b'%') => Op::TrimSuffixLong,
            b'%' => Op::TrimSuffix,
            b'#' if next == Some(b'#') => Op::TrimPrefixLong,
            b'#' => Op::TrimPrefix,
            b'/' => {
                // ash 1.35 has no `${x/#p/r}` or `${x/%p/r}`: `#` and `%` are pattern text.
                let o = match next {
                    Some(b'/') => Op::ReplAll,
                    _ => Op::Repl,
                };
                if o != Op::Repl {
                    self.bump();
                }
                p.word = self.scan(Ctx::Brace { dq, stop: b'/' })?;
                if self.cur() == Some(b'/') {
                    self.bump();
                    p.word2 = Some(self.scan(ctx)?);
                }
                self.close_brace()?;
                p.op = o;
                return Ok(Part::Param(Box::new(p)));
            }
            _ => return Err(bad(self)),
        };
        if p.colon || matches!(p.op, Op::TrimSuffixLong | Op::TrimPrefixLong) {
            self.bump();
        }
        p.word = self.scan(ctx)?;
        self.close_brace()?;
        Ok(Part::Param(Box::new(p)))
    }

    fn close_brace(&mut self) -> Result<(), Syn> {
        if self.cur() != Some(b'}') {
            return Err(self.err("missing '}'"));
        }
        self.bump();
        Ok(())
    }

    /// `` `...` ``: the text with its backslashes undone, parsed on its own.
    fn backquote(&mut self, dq: bool) -> Result<Part, Syn> {
        self.bump();
        let line = self.line;
        let mut text = Vec::new();
        loop {
            match self.cur() {
                None => return Err(self.err("EOF in backquote substitution")),
                Some(b'`') => {
                    self.bump();
                    break;
                }
                Some(b'\\') => {
                    self.bump();
                    match self.cur() {
                        Some(c @ (b'$' | b'`' | b'\\')) => {
                            text.push(c);
                            self.bump();
                        }
                        Some(b'"') if dq => {
                            text.push(b'"');
                            self.bump();
                        }
                        Some(b'\n') => self.bump(),
                        _ => text.push(b'\\'),
                    }
                }
                Some(c) => {
                    text.push(c);
                    self.bump();
                }
            }
        }
        self.enter()?;
        let mut sub = Parser::new(text, line);
        sub.depth = self.depth;
        sub.stack = self.stack;
        let r = sub.program();
        self.depth -= 1;
        Ok(Part::Cmd(Rc::new(r?)))
    }

    /// Here-document bodies for the redirections read on the line just ended.
    fn read_heredocs(&mut self) -> Result<(), Syn> {
        for (delim, strip, doc) in std::mem::take(&mut self.pending) {
            let mut body = Vec::new();
            while self.pos < self.src.len() || self.more() {
                let end = crate::bytes::memchr(b'\n', &self.src[self.pos..])
                    .map_or(self.src.len(), |i| self.pos + i);
                let mut s = self.pos;
                if strip {
                    while self.src.get(s) == Some(&b'\t') {
                        s += 1;
                    }
                }
                let line = &self.src[s..end];
                let done = line == delim.as_slice();
                if !done {
                    body.extend_from_slice(line);
                    if end < self.src.len() {
                        body.push(b'\n');
                    }
                }
                self.pos = (end + 1).min(self.src.len());
                self.line += 1;
                if done {
                    break;
                }
            }
            let mut d = doc.borrow_mut();
            d.body = if d.quoted {
                vec![Part::Quoted(body)]
            } else {
                let mut sub = Parser::new(body, self.line);
                sub.depth = self.depth;
                sub.stack = self.stack;
                sub.scan(Ctx::Here)?
            };
        }
        Ok(())
    }
}

/// A code point as UTF-8 (`$'\u...'`); beyond Unicode's range in the original 5- and
/// 6-byte forms, as bash writes them.
fn utf8(n: u32, v: &mut Vec<u8>) {
    if n < 0x80 {
        if n != 0 {
            v.push(n as u8);
        }
        return;
    }
    let len = match n {
        0..=0x7ff => 2,
        0x800..=0xffff => 3,
        0x1_0000..=0x1f_ffff => 4,
        0x20_0000..=0x3ff_ffff => 5,
        _ => 6,
    };
    let lead: u8 = [0, 0, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc][len];
    v.push(lead | (n >> (6 * (len - 1))) as u8 & (0x7f >> len));
    for k in (0..len - 1).rev() {
        v.push(0x80 | (n >> (6 * k)) as u8 & 0x3f);
    }
}

fn plain(name: Vec<u8>) -> Part {
    Part::Param(Box::new(Param {
        name,
        op: Op::Plain,
        colon: false,
        word: Word::new(),
        word2: None,
    }))
}

/// A here-document delimiter's text with quotes removed, and whether it had any.
pub fn delimiter(raw: &[u8]) -> (Vec<u8>, bool) {
    let mut v = Vec::new();
    let mut quoted = false;
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'\\' => {
                quoted = true;
                if let Some(&c) = raw.get(i + 1) {
                    v.push(c);
                }
                i += 2;
            }
            q @ (b'\'' | b'"') => {
                quoted = true;
                i += 1;
                while i < raw.len() && raw[i] != q {
                    v.push(raw[i]);
                    i += 1;
                }
                i += 1;
            }
            c => {
                v.push(c);
                i += 1;
            }
        }
    }
    (v, quoted)
}
