//! awk's tokens. `/` starts a regex or divides depending on the token before it.

#[derive(Clone, PartialEq, Debug)]
pub enum Tok {
    Eof,
    Nl,
    Num(f64),
    Str(Vec<u8>),
    Ere(Vec<u8>),
    Name(Vec<u8>),
    /// A name directly followed by `(` (user function call).
    Call(Vec<u8>),
    Builtin(u8),
    Kw(&'static str),
    Op(&'static str),
}

pub const BUILTINS: &[&str] = &[
    "length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "sin", "cos", "atan2",
    "exp", "log", "sqrt", "int", "rand", "srand", "tolower", "toupper", "system", "close",
    "fflush", "and", "or", "xor", "compl", "lshift", "rshift", "systime", "strftime", "mktime",
];

const KW: &[&str] = &[
    "BEGIN", "END", "function", "func", "if", "else", "while", "for", "do", "break", "continue",
    "next", "nextfile", "exit", "return", "delete", "getline", "print", "printf", "in",
];

const OPS: &[&str] = &[
    "+=", "-=", "*=", "/=", "%=", "^=", "**=", "==", "<=", ">=", "!=", "++", "--", "&&", "||",
    ">>", "!~", "**", "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!",
    ">", "<", "|", "?", ":", "~", "$", "=",
];

pub struct Lexer<'a> {
    s: &'a [u8],
    pub pos: usize,
    pub line: usize,
    /// The last token could end an operand (so `/` divides).
    pub operand: bool,
}

impl<'a> Lexer<'a> {
    pub fn new(s: &'a [u8]) -> Lexer<'a> {
        Lexer {
            s,
            pos: 0,
            line: 1,
            operand: false,
        }
    }

    fn peekc(&self, k: usize) -> u8 {
        self.s.get(self.pos + k).copied().unwrap_or(0)
    }

    pub fn next(&mut self) -> Result<Tok, &'static str> {
        let t = self.lex()?;
        self.operand = matches!(
            t,
            Tok::Num(_) | Tok::Str(_) | Tok::Ere(_) | Tok::Name(_) | Tok::Builtin(_)
        ) || matches!(
            t,
            Tok::Op(")") | Tok::Op("]") | Tok::Op("$") | Tok::Op("++") | Tok::Op("--")
        );
        Ok(t)
    }

    fn lex(&mut self) -> Result<Tok, &'static str> {
        loop {
            match self.peekc(0) {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\\' if self.peekc(1) == b'\n' => {
                    self.pos += 2;
                    self.line += 1;
                }
                b'\\' if self.peekc(1) == b'\r' && self.peekc(2) == b'\n' => {
                    self.pos += 3;
                    self.line += 1;
                }
                b'#' => {
                    while self.pos < self.s.len() && self.s[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        let Some(&c) = self.s.get(self.pos) else {
            return Ok(Tok::Eof);
        };
        if c == b'\n' {
            self.pos += 1;
            self.line += 1;
            return Ok(Tok::Nl);
        }
        if c == b'0' && self.peekc(1).is_ascii_digit() {
            // BusyBox reads 0NNN as octal in program text.
            let st = self.pos;
            let mut v = 0f64;
            let mut j = st;
            while j < self.s.len() && (b'0'..=b'7').contains(&self.s[j]) {
                v = v * 8.0 + (self.s[j] - b'0') as f64;
                j += 1;
            }
            if !self
                .s
                .get(j)
                .is_some_and(|c| c.is_ascii_digit() || *c == b'.' || *c | 0x20 == b'e')
            {
                self.pos = j;
                return Ok(Tok::Num(v));
            }
        }
        if c.is_ascii_digit() || (c == b'.' && self.peekc(1).is_ascii_digit()) {
            return Ok(Tok::Num(self.number()));
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let st = self.pos;
            while self.pos < self.s.len()
                && (self.s[self.pos].is_ascii_alphanumeric() || self.s[self.pos] == b'_')
            {
                self.pos += 1;
            }
            let w = &self.s[st..self.pos];
            if let Some(k) = KW.iter().find(|k| k.as_bytes() == w) {
                return Ok(Tok::Kw(k));
            }
            if let Some(i) = BUILTINS.iter().position(|k| k.as_bytes() == w) {
                return Ok(Tok::Builtin(i as u8));
            }
            if self.peekc(0) == b'(' {
                return Ok(Tok::Call(w.to_vec()));
            }
            return Ok(Tok::Name(w.to_vec()));
        }
        if c == b'"' {
            self.pos += 1;
            return self.string().map(Tok::Str);
        }
        if c == b'/' && !self.operand {
            self.pos += 1;
            return self.regex().map(Tok::Ere);
        }
        for op in OPS {
            if self.s[self.pos..].starts_with(op.as_bytes()) {
                self.pos += op.len();
                return Ok(Tok::Op(op));
            }
        }
        Err("Unexpected token")
    }

    fn number(&mut self) -> f64 {
        let s = &self.s[self.pos..];
        // BusyBox reads 0x hex in program text.
        if s.len() > 2 && s[0] == b'0' && (s[1] | 0x20) == b'x' && s[2].is_ascii_hexdigit() {
            let mut i = 2;
            let mut v = 0f64;
            while i < s.len() && s[i].is_ascii_hexdigit() {
                v = v * 16.0 + (s[i] as char).to_digit(16).unwrap_or(0) as f64;
                i += 1;
            }
            self.pos += i;
            return v;
        }
        let mut i = 0;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        if i < s.len() && s[i] == b'.' {
            i += 1;
            while i < s.len() && s[i].is_ascii_digit() {
                i += 1;
            }
        }
        if i < s.len() && (s[i] | 0x20) == b'e' {
            let mut j = i + 1;
            if j < s.len() && (s[j] == b'+' || s[j] == b'-') {
                j += 1;
            }
            if j < s.len() && s[j].is_ascii_digit() {
                while j < s.len() && s[j].is_ascii_digit() {
                    j += 1;
                }
                i = j;
            }
        }
        self.pos += i;
        super::value::strtod(&s[..i]).0
    }

    fn string(&mut self) -> Result<Vec<u8>, &'static str> {
        let mut out = Vec::new();
        loop {
            let Some(&c) = self.s.get(self.pos) else {
                return Err("Unexpected end of string");
            };
            self.pos += 1;
            match c {
                b'"' => return Ok(out),
                b'\n' => return Err("Unexpected end of string"),
                b'\\' => {
                    let Some(&d) = self.s.get(self.pos) else {
                        out.push(b'\\');
                        continue;
                    };
                    self.pos += 1;
                    match d {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'\\' => out.push(b'\\'),
                        b'"' => out.push(b'"'),
                        b'/' => out.push(b'/'),
                        b'a' => out.push(7),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'v' => out.push(11),
                        b'\n' => self.line += 1,
                        b'0'..=b'7' => {
                            let mut v = (d - b'0') as u32;
                            for _ in 0..2 {
                                match self.s.get(self.pos) {
                                    Some(&e @ b'0'..=b'7') => {
                                        v = v * 8 + (e - b'0') as u32;
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        _ => {
                            out.push(b'\\');
                            out.push(d);
                        }
                    }
                }
                _ => out.push(c),
            }
        }
    }

    fn regex(&mut self) -> Result<Vec<u8>, &'static str> {
        let mut out = Vec::new();
        let mut bracket = false;
        loop {
            let Some(&c) = self.s.get(self.pos) else {
                return Err("Unexpected end of regex");
            };
            self.pos += 1;
            match c {
                b'\n' => return Err("Unexpected end of regex"),
                b'/' if !bracket => return Ok(out),
                b'[' if !bracket => {
                    bracket = true;
                    out.push(c);
                    if self.peekc(0) == b'^' {
                        out.push(b'^');
                        self.pos += 1;
                    }
                    if self.peekc(0) == b']' {
                        out.push(b']');
                        self.pos += 1;
                    }
                }
                b']' if bracket => {
                    bracket = false;
                    out.push(c);
                }
                b'\\' if self.peekc(0) == b'/' => {
                    out.push(b'/');
                    self.pos += 1;
                }
                b'\\' => {
                    out.push(b'\\');
                    if let Some(&d) = self.s.get(self.pos) {
                        out.push(d);
                        self.pos += 1;
                    }
                }
                _ => out.push(c),
            }
        }
    }
}
