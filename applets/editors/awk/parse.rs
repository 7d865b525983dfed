//! awk's grammar (POSIX precedence) to an AST the interpreter walks. Nesting is bounded, so
//! neither the parser nor the interpreter recurses without limit.

use super::lex::{Lexer, Tok};
use std::collections::HashMap;
use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Arr {
    Global(u32),
    Local(u32),
}

pub enum Expr {
    Num(f64),
    Str(Rc<[u8]>),
    /// A regex standing alone: `$0 ~ /re/`.
    Re(u32),
    Var(u32),
    Local(u32),
    /// NR, FNR, NF.
    Special(u8),
    Field(Box<Expr>),
    Index(Arr, Vec<Expr>),
    /// op: 0 plain, or one of + - * / % ^.
    Assign(u8, Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Plus(Box<Expr>),
    Bin(u8, Box<Expr>, Box<Expr>),
    /// op: < L(<=) > G(>=) = (==) ! (!=).
    Cmp(u8, Box<Expr>, Box<Expr>),
    Match(bool, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    In(Vec<Expr>, Arr),
    /// pre, delta, lvalue.
    Incr(bool, f64, Box<Expr>),
    Call(u32, Vec<Expr>),
    Builtin(u8, Vec<Expr>),
    /// An array name passed to a function (or an unknown name, decided at run time).
    ArrArg(Arr),
    /// kind: 0 plain, b'<' file, b'|' command; source; variable.
    Getline(u8, Option<Box<Expr>>, Option<Box<Expr>>),
    Group(Box<Expr>),
}

pub enum Stmt {
    Expr(Expr),
    /// printf?, args, redirection kind (0, b'>', b'a' for >>, b'|') and target.
    Print(bool, Vec<Expr>, u8, Option<Expr>),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(Option<Expr>, Option<Expr>, Option<Expr>, Box<Stmt>),
    ForIn(Expr, Arr, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    NextFile,
    Exit(Option<Expr>),
    Return(Option<Expr>),
    Break,
    Continue,
    Delete(Arr, Option<Vec<Expr>>),
    /// The source line of the statements that follow (for run-time error messages).
    Line(u32),
}

pub enum Pattern {
    All,
    Expr(Expr),
    Range(Expr, Expr, usize),
}

pub struct Func {
    pub nparams: usize,
    pub body: Option<Vec<Stmt>>,
}

pub struct Program {
    pub begin: Vec<Stmt>,
    pub end: Vec<Stmt>,
    pub items: Vec<(Pattern, Option<Vec<Stmt>>)>,
    /// The source line of each item's pattern.
    pub item_lines: Vec<u32>,
    pub funcs: Vec<Func>,
    pub globals: HashMap<Vec<u8>, u32>,
    pub nglobals: usize,
    pub regexes: Vec<Vec<u8>>,
    pub nranges: usize,
}

/// Fixed global slots.
pub const FS: u32 = 0;
pub const OFS: u32 = 1;
pub const ORS: u32 = 2;
pub const RS: u32 = 3;
pub const SUBSEP: u32 = 4;
pub const CONVFMT: u32 = 5;
pub const OFMT: u32 = 6;
pub const RSTART: u32 = 7;
pub const RLENGTH: u32 = 8;
pub const FILENAME: u32 = 9;
pub const ENVIRON: u32 = 10;
pub const ARGC: u32 = 11;
pub const ARGV: u32 = 12;
const NAMES: &[&str] = &[
    "FS", "OFS", "ORS", "RS", "SUBSEP", "CONVFMT", "OFMT", "RSTART", "RLENGTH", "FILENAME",
    "ENVIRON", "ARGC", "ARGV",
];
pub const NR: u8 = 0;
pub const FNR: u8 = 1;
pub const NF: u8 = 2;

const MAX_DEPTH: usize = 400;

pub struct Error {
    pub msg: &'static str,
    pub line: usize,
}

struct Parser<'a> {
    lx: Lexer<'a>,
    tok: Tok,
    prog: Program,
    locals: Option<Vec<Vec<u8>>>,
    fnames: HashMap<Vec<u8>, u32>,
    depth: usize,
    /// Inside print's argument list: `>` redirects, `|` pipes, `in` of a for (...).
    no_gt: bool,
    no_in: bool,
    loops: usize,
}

type R<T> = Result<T, &'static str>;

const UNEXPECTED: &str = "Unexpected token";

pub fn parse(src: &[u8]) -> Result<Program, Error> {
    let mut globals = HashMap::new();
    for (i, n) in NAMES.iter().enumerate() {
        globals.insert(n.as_bytes().to_vec(), i as u32);
    }
    let mut p = Parser {
        lx: Lexer::new(src),
        tok: Tok::Nl,
        prog: Program {
            begin: Vec::new(),
            end: Vec::new(),
            items: Vec::new(),
            item_lines: Vec::new(),
            funcs: Vec::new(),
            nglobals: NAMES.len(),
            globals,
            regexes: Vec::new(),
            nranges: 0,
        },
        locals: None,
        fnames: HashMap::new(),
        depth: 0,
        no_gt: false,
        no_in: false,
        loops: 0,
    };
    match p.program() {
        Ok(()) => {}
        Err(msg) => {
            return Err(Error {
                msg,
                line: p.lx.line,
            })
        }
    }
    for f in &p.prog.funcs {
        if f.body.is_none() {
            return Err(Error {
                msg: "Call to undefined function",
                line: p.lx.line,
            });
        }
    }
    Ok(p.prog)
}

impl Parser<'_> {
    fn adv(&mut self) -> R<Tok> {
        let t = self.lx.next()?;
        Ok(std::mem::replace(&mut self.tok, t))
    }
    fn is(&self, op: &str) -> bool {
        matches!(self.tok, Tok::Op(o) if o == op)
    }
    fn kw(&self, k: &str) -> bool {
        matches!(self.tok, Tok::Kw(o) if o == k)
    }
    fn eat(&mut self, op: &str) -> R<bool> {
        if self.is(op) {
            self.adv()?;
            return Ok(true);
        }
        Ok(false)
    }
    fn expect(&mut self, op: &str) -> R<()> {
        if self.eat(op)? {
            Ok(())
        } else {
            Err(UNEXPECTED)
        }
    }
    fn nls(&mut self) -> R<()> {
        while self.tok == Tok::Nl {
            self.adv()?;
        }
        Ok(())
    }
    fn opt_nl(&mut self) -> R<()> {
        while self.tok == Tok::Nl || self.is(";") {
            self.adv()?;
        }
        Ok(())
    }

    fn program(&mut self) -> R<()> {
        self.adv()?;
        self.opt_nl()?;
        while self.tok != Tok::Eof {
            if self.kw("BEGIN") {
                self.adv()?;
                self.nls()?;
                let b = self.block()?;
                self.prog.begin.extend(b);
            } else if self.kw("END") {
                self.adv()?;
                self.nls()?;
                let b = self.block()?;
                self.prog.end.extend(b);
            } else if self.kw("function") || self.kw("func") {
                self.function()?;
            } else {
                let line = self.line();
                let pat = if self.is("{") {
                    Pattern::All
                } else {
                    let a = self.expr()?;
                    if self.eat(",")? {
                        self.nls()?;
                        let b = self.expr()?;
                        self.prog.nranges += 1;
                        Pattern::Range(a, b, self.prog.nranges - 1)
                    } else {
                        Pattern::Expr(a)
                    }
                };
                let body = if self.is("{") {
                    Some(self.block()?)
                } else {
                    None
                };
                self.prog.items.push((pat, body));
                self.prog.item_lines.push(line);
            }
            self.opt_nl()?;
        }
        Ok(())
    }

    fn func_index(&mut self, name: &[u8]) -> u32 {
        if let Some(&i) = self.fnames.get(name) {
            return i;
        }
        let i = self.prog.funcs.len() as u32;
        self.prog.funcs.push(Func {
            nparams: 0,
            body: None,
        });
        self.fnames.insert(name.to_vec(), i);
        i
    }

    fn function(&mut self) -> R<()> {
        self.adv()?;
        let name = match self.adv()? {
            Tok::Name(n) | Tok::Call(n) => n,
            _ => return Err(UNEXPECTED),
        };
        let fi = self.func_index(&name);
        if self.prog.funcs[fi as usize].body.is_some() {
            return Err("Duplicate function");
        }
        self.expect("(")?;
        let mut params = Vec::new();
        while let Tok::Name(n) = &self.tok {
            params.push(n.clone());
            self.adv()?;
            if !self.eat(",")? {
                break;
            }
            self.nls()?;
        }
        self.expect(")")?;
        self.nls()?;
        self.prog.funcs[fi as usize].nparams = params.len();
        self.locals = Some(params);
        let body = self.block()?;
        self.locals = None;
        self.prog.funcs[fi as usize].body = Some(body);
        Ok(())
    }

    fn block(&mut self) -> R<Vec<Stmt>> {
        self.expect("{")?;
        let mut v = Vec::new();
        self.opt_nl()?;
        // A line mark before each statement that starts on another line than the one
        // before it started and ended.
        let mut last = (0, 0);
        while !self.is("}") {
            if self.tok == Tok::Eof {
                return Err(UNEXPECTED);
            }
            let l = self.line();
            if last != (l, l) {
                v.push(Stmt::Line(l));
            }
            v.push(self.stmt()?);
            last = (l, self.line());
            self.opt_nl()?;
        }
        self.adv()?;
        Ok(v)
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("Too deeply nested");
        }
        Ok(())
    }

    fn simple_end(&mut self) -> R<()> {
        if self.is(";") || self.tok == Tok::Nl {
            self.adv()?;
            return Ok(());
        }
        if self.is("}") || self.tok == Tok::Eof {
            return Ok(());
        }
        Err(UNEXPECTED)
    }

    fn stmt(&mut self) -> R<Stmt> {
        self.enter()?;
        let r = self.stmt_in();
        self.depth -= 1;
        r
    }

    fn body(&mut self) -> R<Stmt> {
        let l0 = self.line();
        self.opt_nl_only()?;
        if self.is(";") {
            self.adv()?;
            return Ok(Stmt::Block(Vec::new()));
        }
        let l = self.line();
        let s = self.stmt()?;
        // A body on a line of its own says so.
        Ok(if l != l0 {
            Stmt::Block(vec![Stmt::Line(l), s])
        } else {
            s
        })
    }

    /// The line of the current token.
    fn line(&self) -> u32 {
        // A newline token ends its line: the lexer already counts the next.
        let l = self.lx.line - (self.tok == Tok::Nl && self.lx.line > 1) as usize;
        l.min(u32::MAX as usize) as u32
    }

    fn opt_nl_only(&mut self) -> R<()> {
        self.nls()
    }

    fn stmt_in(&mut self) -> R<Stmt> {
        if self.is("{") {
            return Ok(Stmt::Block(self.block()?));
        }
        let Tok::Kw(k) = self.tok else {
            let e = self.expr()?;
            self.simple_end()?;
            return Ok(Stmt::Expr(e));
        };
        match k {
            "if" => {
                self.adv()?;
                self.expect("(")?;
                let c = self.expr()?;
                self.expect(")")?;
                let t = self.body()?;
                // `else` may follow newlines or a `;`.
                let save_nl = self.tok == Tok::Nl || self.is(";");
                if save_nl {
                    // Peek past separators for else.
                    let (pos, line, tok, opd) =
                        (self.lx.pos, self.lx.line, self.tok.clone(), self.lx.operand);
                    self.opt_nl()?;
                    if !self.kw("else") {
                        self.lx.pos = pos;
                        self.lx.line = line;
                        self.tok = tok;
                        self.lx.operand = opd;
                        return Ok(Stmt::If(c, Box::new(t), None));
                    }
                }
                if self.kw("else") {
                    self.adv()?;
                    let e = self.body()?;
                    return Ok(Stmt::If(c, Box::new(t), Some(Box::new(e))));
                }
                Ok(Stmt::If(c, Box::new(t), None))
            }
            "while" => {
                self.adv()?;
                self.expect("(")?;
                let c = self.expr()?;
                self.expect(")")?;
                if self.is(";") {
                    self.adv()?;
                    return Ok(Stmt::While(c, Box::new(Stmt::Block(Vec::new()))));
                }
                self.loops += 1;
                let b = self.body()?;
                self.loops -= 1;
                Ok(Stmt::While(c, Box::new(b)))
            }
            "do" => {
                self.adv()?;
                self.loops += 1;
                let b = self.body()?;
                self.loops -= 1;
                self.opt_nl()?;
                if !self.kw("while") {
                    return Err(UNEXPECTED);
                }
                self.adv()?;
                self.expect("(")?;
                let c = self.expr()?;
                self.expect(")")?;
                self.simple_end()?;
                Ok(Stmt::Do(Box::new(b), c))
            }
            "for" => {
                self.adv()?;
                self.expect("(")?;
                // for (name in array)
                if let Tok::Name(_) = &self.tok {
                    let (pos, line, tok, opd) =
                        (self.lx.pos, self.lx.line, self.tok.clone(), self.lx.operand);
                    let Tok::Name(n) = self.adv()? else {
                        return Err(UNEXPECTED);
                    };
                    if self.kw("in") {
                        self.adv()?;
                        let arr = match self.adv()? {
                            Tok::Name(a) => self.arr(&a),
                            _ => return Err(UNEXPECTED),
                        };
                        if self.is(")") {
                            self.adv()?;
                            let var = self.var(&n);
                            self.loops += 1;
                            let b = self.body()?;
                            self.loops -= 1;
                            return Ok(Stmt::ForIn(var, arr, Box::new(b)));
                        }
                        return Err(UNEXPECTED);
                    }
                    self.lx.pos = pos;
                    self.lx.line = line;
                    self.tok = tok;
                    self.lx.operand = opd;
                }
                let init = if self.is(";") {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.expect(";")?;
                self.nls()?;
                let cond = if self.is(";") {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.expect(";")?;
                self.nls()?;
                let step = if self.is(")") {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.expect(")")?;
                if self.is(";") {
                    self.adv()?;
                    return Ok(Stmt::For(
                        init,
                        cond,
                        step,
                        Box::new(Stmt::Block(Vec::new())),
                    ));
                }
                self.loops += 1;
                let b = self.body()?;
                self.loops -= 1;
                Ok(Stmt::For(init, cond, step, Box::new(b)))
            }
            "break" | "continue" => {
                self.adv()?;
                self.simple_end()?;
                Ok(if k == "break" {
                    Stmt::Break
                } else {
                    Stmt::Continue
                })
            }
            "next" | "nextfile" => {
                self.adv()?;
                self.simple_end()?;
                Ok(if k == "next" {
                    Stmt::Next
                } else {
                    Stmt::NextFile
                })
            }
            "exit" | "return" => {
                self.adv()?;
                let e = if self.is(";")
                    || self.is("}")
                    || self.tok == Tok::Nl
                    || self.tok == Tok::Eof
                {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.simple_end()?;
                Ok(if k == "exit" {
                    Stmt::Exit(e)
                } else {
                    Stmt::Return(e)
                })
            }
            "delete" => {
                self.adv()?;
                let arr = match self.adv()? {
                    Tok::Name(a) => self.arr(&a),
                    _ => return Err(UNEXPECTED),
                };
                let idx = if self.eat("[")? {
                    let v = self.expr_list()?;
                    self.expect("]")?;
                    Some(v)
                } else {
                    None
                };
                self.simple_end()?;
                Ok(Stmt::Delete(arr, idx))
            }
            "print" | "printf" => {
                self.adv()?;
                let mut args = Vec::new();
                let old = self.no_gt;
                self.no_gt = true;
                if !(self.is(";")
                    || self.is("}")
                    || self.is(">")
                    || self.is(">>")
                    || self.is("|")
                    || self.tok == Tok::Nl
                    || self.tok == Tok::Eof)
                {
                    args = self.expr_list()?;
                }
                self.no_gt = old;
                // print (a, b) > "f": a parenthesised list.
                let mut args2 = Vec::new();
                for a in args {
                    match a {
                        Expr::Builtin(255, v) => args2.extend(v),
                        a => args2.push(a),
                    }
                }
                let (kind, target) = if self.eat(">")? {
                    (b'>', Some(self.target()?))
                } else if self.eat(">>")? {
                    (b'a', Some(self.target()?))
                } else if self.eat("|")? {
                    (b'|', Some(self.target()?))
                } else {
                    (0, None)
                };
                self.simple_end()?;
                if k == "printf" && args2.is_empty() {
                    return Err(UNEXPECTED);
                }
                Ok(Stmt::Print(k == "printf", args2, kind, target))
            }
            _ => {
                let e = self.expr()?;
                self.simple_end()?;
                Ok(Stmt::Expr(e))
            }
        }
    }

    /// print's redirection target: a concatenation, or a `?:` of them (`print 1 > 2 ? "y" :
    /// "n"` writes to "y", as BusyBox, mawk and nawk do).
    fn target(&mut self) -> R<Expr> {
        let c = self.concat_nogt()?;
        if !self.eat("?")? {
            return Ok(c);
        }
        self.enter()?;
        let a = self.target();
        let r = a.and_then(|a| {
            self.expect(":")?;
            let b = self.target()?;
            Ok(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)))
        });
        self.depth -= 1;
        r
    }

    fn concat_nogt(&mut self) -> R<Expr> {
        let old = self.no_gt;
        self.no_gt = true;
        let r = self.concat();
        self.no_gt = old;
        r
    }

    fn expr_list(&mut self) -> R<Vec<Expr>> {
        let mut v = vec![self.expr()?];
        while self.eat(",")? {
            self.nls()?;
            v.push(self.expr()?);
        }
        Ok(v)
    }

    fn var(&mut self, n: &[u8]) -> Expr {
        match n {
            b"NR" => return Expr::Special(NR),
            b"FNR" => return Expr::Special(FNR),
            b"NF" => return Expr::Special(NF),
            _ => {}
        }
        if let Some(l) = &self.locals {
            if let Some(i) = l.iter().position(|x| x == n) {
                return Expr::Local(i as u32);
            }
        }
        Expr::Var(self.global(n))
    }
    fn global(&mut self, n: &[u8]) -> u32 {
        if let Some(&i) = self.prog.globals.get(n) {
            return i;
        }
        let i = self.prog.nglobals as u32;
        self.prog.nglobals += 1;
        self.prog.globals.insert(n.to_vec(), i);
        i
    }
    fn arr(&mut self, n: &[u8]) -> Arr {
        if let Some(l) = &self.locals {
            if let Some(i) = l.iter().position(|x| x == n) {
                return Arr::Local(i as u32);
            }
        }
        Arr::Global(self.global(n))
    }

    pub fn expr(&mut self) -> R<Expr> {
        self.enter()?;
        let r = self.ternary();
        self.depth -= 1;
        r
    }

    fn is_lvalue(e: &Expr) -> bool {
        matches!(
            e,
            Expr::Var(_) | Expr::Local(_) | Expr::Special(_) | Expr::Field(_) | Expr::Index(..)
        )
    }

    fn ternary(&mut self) -> R<Expr> {
        let c = self.or()?;
        if self.eat("?")? {
            self.nls()?;
            let a = self.expr()?;
            self.nls()?;
            self.expect(":")?;
            self.nls()?;
            let b = self.expr()?;
            return Ok(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)));
        }
        let op = match self.tok {
            Tok::Op("=") => 0,
            Tok::Op("+=") => b'+',
            Tok::Op("-=") => b'-',
            Tok::Op("*=") => b'*',
            Tok::Op("/=") => b'/',
            Tok::Op("%=") => b'%',
            Tok::Op("^=") | Tok::Op("**=") => b'^',
            _ => return Ok(c),
        };
        if !Self::is_lvalue(&c) {
            return Ok(c);
        }
        self.adv()?;
        self.nls()?;
        let v = self.expr()?;
        Ok(Expr::Assign(op, Box::new(c), Box::new(v)))
    }

    fn or(&mut self) -> R<Expr> {
        let mut a = self.and()?;
        while self.eat("||")? {
            self.nls()?;
            let b = self.and()?;
            a = Expr::Or(Box::new(a), Box::new(b));
        }
        Ok(a)
    }
    fn and(&mut self) -> R<Expr> {
        let mut a = self.in_()?;
        while self.eat("&&")? {
            self.nls()?;
            let b = self.in_()?;
            a = Expr::And(Box::new(a), Box::new(b));
        }
        Ok(a)
    }
    fn in_(&mut self) -> R<Expr> {
        let mut a = self.matching()?;
        while self.kw("in") && !self.no_in {
            self.adv()?;
            let arr = match self.adv()? {
                Tok::Name(n) => self.arr(&n),
                _ => return Err(UNEXPECTED),
            };
            let keys = match a {
                Expr::Group(g) => vec![*g],
                Expr::In(..) => vec![a],
                a => vec![a],
            };
            a = Expr::In(keys, arr);
        }
        Ok(a)
    }
    fn matching(&mut self) -> R<Expr> {
        let mut a = self.compare()?;
        loop {
            let neg = if self.is("~") {
                false
            } else if self.is("!~") {
                true
            } else {
                return Ok(a);
            };
            self.adv()?;
            let b = self.compare()?;
            a = Expr::Match(neg, Box::new(a), Box::new(b));
        }
    }
    fn compare(&mut self) -> R<Expr> {
        let a = self.concat()?;
        let op = match self.tok {
            Tok::Op("<") => b'<',
            Tok::Op("<=") => b'L',
            Tok::Op(">") if !self.no_gt => b'>',
            Tok::Op(">=") => b'G',
            Tok::Op("==") => b'=',
            Tok::Op("!=") => b'!',
            _ => return Ok(a),
        };
        self.adv()?;
        let b = self.concat()?;
        Ok(Expr::Cmp(op, Box::new(a), Box::new(b)))
    }

    fn starts_operand(&self) -> bool {
        match &self.tok {
            Tok::Num(_)
            | Tok::Str(_)
            | Tok::Ere(_)
            | Tok::Name(_)
            | Tok::Call(_)
            | Tok::Builtin(_) => true,
            Tok::Op(o) => matches!(*o, "$" | "!" | "(" | "-" | "+" | "++" | "--"),
            Tok::Kw(k) => *k == "getline",
            _ => false,
        }
    }

    fn concat(&mut self) -> R<Expr> {
        let mut a = self.additive()?;
        loop {
            // cmd | getline [var]
            if self.is("|") {
                let (pos, line, tok, opd) =
                    (self.lx.pos, self.lx.line, self.tok.clone(), self.lx.operand);
                self.adv()?;
                if self.kw("getline") {
                    self.adv()?;
                    let v = self.opt_lvalue()?;
                    a = Expr::Getline(b'|', Some(Box::new(a)), v.map(Box::new));
                    continue;
                }
                self.lx.pos = pos;
                self.lx.line = line;
                self.tok = tok;
                self.lx.operand = opd;
                return Ok(a);
            }
            if !self.starts_operand() || (self.kw("in")) {
                return Ok(a);
            }
            self.enter()?;
            let b = self.additive();
            self.depth -= 1;
            a = Expr::Concat(Box::new(a), Box::new(b?));
        }
    }

    fn additive(&mut self) -> R<Expr> {
        let mut a = self.mul()?;
        loop {
            let op = match self.tok {
                Tok::Op("+") => b'+',
                Tok::Op("-") => b'-',
                _ => return Ok(a),
            };
            self.adv()?;
            let b = self.mul()?;
            a = Expr::Bin(op, Box::new(a), Box::new(b));
        }
    }
    fn mul(&mut self) -> R<Expr> {
        let mut a = self.unary()?;
        loop {
            let op = match self.tok {
                Tok::Op("*") => b'*',
                Tok::Op("/") => b'/',
                Tok::Op("%") => b'%',
                _ => return Ok(a),
            };
            self.adv()?;
            let b = self.unary()?;
            a = Expr::Bin(op, Box::new(a), Box::new(b));
        }
    }
    fn unary(&mut self) -> R<Expr> {
        self.enter()?;
        let r = if self.eat("!")? {
            self.unary().map(|e| Expr::Not(Box::new(e)))
        } else if self.eat("-")? {
            self.unary().map(|e| Expr::Neg(Box::new(e)))
        } else if self.eat("+")? {
            self.unary().map(|e| Expr::Plus(Box::new(e)))
        } else {
            self.power()
        };
        self.depth -= 1;
        r
    }
    fn power(&mut self) -> R<Expr> {
        let a = self.postfix()?;
        if self.is("^") || self.is("**") {
            self.adv()?;
            // Right-associative; the exponent may carry a unary minus.
            self.enter()?;
            let b = if self.is("-") || self.is("+") || self.is("!") {
                self.unary()
            } else {
                self.power()
            };
            self.depth -= 1;
            return Ok(Expr::Bin(b'^', Box::new(a), Box::new(b?)));
        }
        Ok(a)
    }
    fn postfix(&mut self) -> R<Expr> {
        let e = self.primary()?;
        if Self::is_lvalue(&e) {
            if self.eat("++")? {
                return Ok(Expr::Incr(false, 1.0, Box::new(e)));
            }
            if self.eat("--")? {
                return Ok(Expr::Incr(false, -1.0, Box::new(e)));
            }
        }
        Ok(e)
    }

    fn opt_lvalue(&mut self) -> R<Option<Expr>> {
        if matches!(self.tok, Tok::Name(_)) || self.is("$") {
            let e = self.primary()?;
            if !Self::is_lvalue(&e) {
                return Err(UNEXPECTED);
            }
            return Ok(Some(e));
        }
        Ok(None)
    }

    fn primary(&mut self) -> R<Expr> {
        self.enter()?;
        let r = self.primary_in();
        self.depth -= 1;
        r
    }

    fn primary_in(&mut self) -> R<Expr> {
        let t = self.adv()?;
        Ok(match t {
            Tok::Num(n) => Expr::Num(n),
            Tok::Str(s) => Expr::Str(s.into()),
            Tok::Ere(r) => {
                self.prog.regexes.push(r);
                Expr::Re(self.prog.regexes.len() as u32 - 1)
            }
            Tok::Op("$") => {
                let e = if self.is("++") || self.is("--") {
                    let d = if self.adv()? == Tok::Op("++") {
                        1.0
                    } else {
                        -1.0
                    };
                    let l = self.primary()?;
                    Expr::Incr(true, d, Box::new(l))
                } else if self.is("-") {
                    self.adv()?;
                    Expr::Neg(Box::new(self.primary()?))
                } else {
                    self.primary()?
                };
                Expr::Field(Box::new(e))
            }
            Tok::Op("++") | Tok::Op("--") => {
                let d = if t == Tok::Op("++") { 1.0 } else { -1.0 };
                let l = self.primary()?;
                if !Self::is_lvalue(&l) {
                    return Err(UNEXPECTED);
                }
                Expr::Incr(true, d, Box::new(l))
            }
            Tok::Op("-") => Expr::Neg(Box::new(self.unary()?)),
            Tok::Op("+") => Expr::Plus(Box::new(self.unary()?)),
            Tok::Op("!") => Expr::Not(Box::new(self.unary()?)),
            Tok::Op("(") => {
                let (ogt, oin) = (self.no_gt, self.no_in);
                self.no_gt = false;
                self.no_in = false;
                self.nls()?;
                let mut v = self.expr_list()?;
                self.nls()?;
                self.expect(")")?;
                self.no_gt = ogt;
                self.no_in = oin;
                if v.len() > 1 {
                    // (a, b) in arr
                    if !self.kw("in") {
                        // print (a, b): a grouping of the whole list; keep as In-less list.
                        if self.no_gt {
                            let mut it = v.into_iter();
                            let first = it.next().ok_or(UNEXPECTED)?;
                            // Represent as nested Group chain is not possible; use Builtin 255.
                            let mut all = vec![first];
                            all.extend(it);
                            return Ok(Expr::Builtin(255, all));
                        }
                        return Err(UNEXPECTED);
                    }
                    self.adv()?;
                    let arr = match self.adv()? {
                        Tok::Name(n) => self.arr(&n),
                        _ => return Err(UNEXPECTED),
                    };
                    return Ok(Expr::In(v, arr));
                }
                Expr::Group(Box::new(v.pop().ok_or(UNEXPECTED)?))
            }
            Tok::Kw("getline") => {
                let v = self.opt_lvalue()?;
                if self.eat("<")? {
                    let f = self.primary()?;
                    Expr::Getline(b'<', Some(Box::new(f)), v.map(Box::new))
                } else {
                    Expr::Getline(0, None, v.map(Box::new))
                }
            }
            Tok::Name(n) => {
                if self.eat("[")? {
                    let arr = self.arr(&n);
                    self.nls()?;
                    let idx = self.expr_list()?;
                    self.expect("]")?;
                    Expr::Index(arr, idx)
                } else {
                    self.var(&n)
                }
            }
            Tok::Call(n) => {
                let fi = self.func_index(&n);
                self.expect("(")?;
                let args = self.args()?;
                Expr::Call(fi, args)
            }
            Tok::Builtin(b) => {
                if self.is("(") {
                    self.adv()?;
                    let args = self.args()?;
                    Expr::Builtin(b, args)
                } else if b == 0 {
                    Expr::Builtin(0, Vec::new())
                } else {
                    return Err(UNEXPECTED);
                }
            }
            _ => return Err(UNEXPECTED),
        })
    }

    /// Arguments after `(`, through `)`; a bare name may be an array.
    fn args(&mut self) -> R<Vec<Expr>> {
        let (ogt, oin) = (self.no_gt, self.no_in);
        self.no_gt = false;
        self.no_in = false;
        let mut v = Vec::new();
        self.nls()?;
        if !self.is(")") {
            loop {
                self.nls()?;
                let e = self.expr()?;
                let e = match e {
                    Expr::Var(g) if g >= NAMES.len() as u32 || g == ENVIRON || g == ARGV => {
                        if self.is(",") || self.is(")") {
                            Expr::ArrArg(Arr::Global(g))
                        } else {
                            Expr::Var(g)
                        }
                    }
                    Expr::Local(l) if self.is(",") || self.is(")") => Expr::ArrArg(Arr::Local(l)),
                    e => e,
                };
                v.push(e);
                self.nls()?;
                if !self.eat(",")? {
                    break;
                }
            }
        }
        self.expect(")")?;
        self.no_gt = ogt;
        self.no_in = oin;
        Ok(v)
    }
}
