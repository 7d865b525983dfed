//! The syntax tree the parser builds and the executor walks. Words keep their quoting, so
//! expansion knows what splits and globs; function bodies and here-document bodies are
//! shared (`Rc`), so defining a function or running a loop copies nothing.

use std::cell::RefCell;
use std::rc::Rc;

/// A word: its parts in order, quoting kept.
pub type Word = Vec<Part>;

#[derive(Debug, Clone)]
pub enum Part {
    /// Unquoted text: field-split when it came from an expansion, globbed.
    Lit(Vec<u8>),
    /// Single-quoted, `$'...'` or backslash-escaped text: taken as is.
    Quoted(Vec<u8>),
    /// A double-quoted stretch.
    Dq(Vec<Part>),
    Param(Box<Param>),
    /// `$(...)` or backquotes.
    Cmd(Rc<List>),
    /// `$((...))`: the expression's text is expanded first, then evaluated.
    Arith(Word),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Plain,
    Len,
    Default,
    Assign,
    Error,
    Alt,
    TrimSuffix,
    TrimSuffixLong,
    TrimPrefix,
    TrimPrefixLong,
    /// `${x:off}` / `${x:off:len}`: `word` is the offset, `word2` the length.
    Substr,
    Repl,
    ReplAll,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: Vec<u8>,
    pub op: Op,
    /// `:` given (`${x:-w}` tests for empty too).
    pub colon: bool,
    pub word: Word,
    pub word2: Option<Word>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirOp {
    In,
    Out,
    Append,
    Clobber,
    ReadWrite,
    DupIn,
    DupOut,
    Here,
}

#[derive(Debug, Clone)]
pub struct Redir {
    /// The descriptor redirected (`2>`), the operator's default when not given.
    pub fd: i32,
    pub op: RedirOp,
    /// The file, descriptor, or (for here-documents) the delimiter.
    pub target: Word,
    /// A here-document's body, filled in when the parser reaches the end of the line.
    pub here: Option<Rc<RefCell<HereDoc>>>,
}

#[derive(Debug, Clone, Default)]
pub struct HereDoc {
    pub body: Word,
    /// The delimiter was quoted: the body is literal.
    pub quoted: bool,
}

#[derive(Debug, Clone)]
pub struct Assign {
    pub name: Vec<u8>,
    pub value: Word,
}

#[derive(Debug, Clone)]
pub enum Cmd {
    Simple {
        assigns: Vec<Assign>,
        words: Vec<Word>,
        redirs: Vec<Redir>,
        line: u32,
    },
    /// `! a | b`: at least one command.
    Pipeline {
        bang: bool,
        cmds: Vec<Cmd>,
    },
    And(Box<Cmd>, Box<Cmd>),
    Or(Box<Cmd>, Box<Cmd>),
    Subshell(List),
    Group(List),
    /// if/elif arms (condition, body), then the else part.
    If {
        arms: Vec<(List, List)>,
        els: Option<List>,
    },
    Loop {
        until: bool,
        cond: List,
        body: List,
    },
    For {
        var: Vec<u8>,
        words: Option<Vec<Word>>,
        body: List,
    },
    Case {
        word: Word,
        arms: Vec<CaseArm>,
    },
    Func {
        name: Vec<u8>,
        body: Rc<Cmd>,
    },
    /// A compound command with redirections after it.
    Redirected(Box<Cmd>, Vec<Redir>),
    /// `[[ ... ]]`.
    Cond(Box<Cond>, u32),
}

/// A `[[ ]]` expression (cond.rs).
#[derive(Debug, Clone)]
pub enum Cond {
    /// True when not empty.
    Word(Word),
    /// `-f WORD` and the other unary tests, by letter.
    Un(u8, Word),
    Bin(&'static str, Word, Word),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    /// A malformed expression: test's message (after its operand, expanded when run).
    Bad(Option<Word>, &'static str),
}

#[derive(Debug, Clone)]
pub struct CaseArm {
    pub pats: Vec<Word>,
    pub body: List,
    /// Ended by `;&`: run the next arm's body too.
    pub fall: bool,
}

/// Commands separated by `;`, `&` or newlines; the flag marks `&`.
pub type List = Vec<(Cmd, bool)>;
