//! applet: sed
//! dir: bin
//! usage: sed [-i[SFX]] [-nrEsz] [-l N] [-f FILE]... [-e CMD]... [FILE]...
//! or: sed [-i[SFX]] [-nrEsz] CMD [FILE]...
//!
//! -e CMD  Add CMD to sed commands to be executed
//! -f FILE  Add FILE contents to sed commands to be executed
//! -i[SFX]  Edit files in-place (otherwise write to stdout)
//! 	Optionally back files up, appending SFX
//! -l N  Wrap 'l' output at N columns (GNU's; 0: never)
//! -n  Suppress automatic printing of pattern space
//! -r,-E  Use extended regex syntax
//! -s  Treat each FILE separately
//! -z  NUL separated input and output

// POSIX sed with the GNU extensions (BusyBox's and more: Q, W, R, F, z, first~step,
// addr,~N, 0,/re/, q/Q exit codes, \L \U \l \u \E in replacements, the s///e and M flags).
// The script is parsed into a flat command list ({ and } are jumps); the pattern space,
// hold space and line reader are reused buffers. `-i` writes a temporary file beside the
// original and renames it over the original only once every byte is written.

use crate::io::{Input, Lines};
use crate::regex::{self, Flags, Match, Regex};
use crate::{sys, Cx, Fail, Res};
use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

enum A1 {
    Line(u64),
    Last,
    Re(Option<usize>),
    /// first~step
    Step(u64, u64),
}

enum A2 {
    Line(u64),
    Last,
    Re(Option<usize>),
    Plus(u64),
    Tilde(u64),
}

enum Piece {
    Lit(Vec<u8>),
    /// & (0) or \1-\9.
    Group(usize),
    /// \L \U \l \u \E
    Case(u8),
}

struct Subst {
    re: Option<usize>,
    repl: Vec<Piece>,
    global: bool,
    nth: u64,
    print: u32,
    eval: bool,
    wfile: Option<usize>,
}

enum K {
    /// `{`: the index of its `}`.
    Block(usize),
    End,
    S(Box<Subst>),
    Y(Box<[u8; 256]>),
    /// a, i, c and their text.
    Text(u8, Vec<u8>),
    /// r FILE
    ReadFile(Vec<u8>),
    /// R FILE: index into the readers.
    ReadLine(usize),
    /// w / W FILE: index into the writers.
    Write(bool, usize),
    /// b, t, T and the command index to go to (None: the end of the script).
    Jump(u8, Option<usize>, Vec<u8>),
    /// q / Q and the exit code.
    Quit(bool, i32),
    /// = d D g G h H l n N p P x z F
    Simple(u8),
    /// GNU's `l N`: wrap at N (0: never).
    List(usize),
}

struct Cmd {
    a1: Option<A1>,
    a2: Option<A2>,
    neg: bool,
    k: K,
    /// In a range: the range is active; for addr,+N the line it ends on.
    active: bool,
    end: u64,
}

/// A `w` file: /dev/stdout is the output itself.
struct WFile {
    name: Vec<u8>,
    f: Option<std::io::BufWriter<std::fs::File>>,
}

struct Sed {
    cmds: Vec<Cmd>,
    res: Vec<Regex>,
    wfiles: Vec<WFile>,
    rfiles: Vec<(Vec<u8>, Option<Lines>)>,
    ere: bool,
    quiet: bool,
    /// Parse only (the fuzz target): `w` and `R` files are not opened.
    dry: bool,
    /// -l N: where `l` wraps.
    line_len: usize,
}

fn err(cx: &Cx, parts: &[&[u8]]) -> Fail {
    cx.err(parts);
    Fail(1)
}

// ------------------------------------------------------------------------------ parsing

struct P<'a> {
    s: &'a [u8],
    i: usize,
}

impl P<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }
    fn num(&mut self) -> Option<u64> {
        let st = self.i;
        let mut n: u64 = 0;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            n = n.saturating_mul(10).saturating_add((d - b'0') as u64);
            self.i += 1;
        }
        (self.i > st).then_some(n)
    }
    /// Text up to an unescaped `delim`: `\delim` is the delimiter itself, `\n` a newline,
    /// other escapes are kept for the regex or replacement parser. In a regex, a bracket
    /// expression may hold the delimiter.
    fn delimited(&mut self, delim: u8, regex: bool) -> Option<Vec<u8>> {
        let mut v = Vec::new();
        loop {
            let c = self.peek()?;
            self.i += 1;
            if c == delim {
                return Some(v);
            }
            if c == b'\n' {
                // A newline must be escaped: `s/a<newline>` is unterminated.
                return None;
            }
            if c == b'\\' {
                let e = self.peek()?;
                self.i += 1;
                if e == delim {
                    v.push(e);
                } else if e == b'n' && regex {
                    v.push(b'\n');
                } else if e == b'\n' {
                    // Backslash-newline: a newline.
                    if !regex {
                        v.push(b'\\');
                    }
                    v.push(b'\n');
                } else {
                    v.push(b'\\');
                    v.push(e);
                }
                continue;
            }
            if c == b'[' && regex {
                // Copy a bracket expression whole.
                v.push(c);
                let st = self.i;
                if self.peek() == Some(b'^') {
                    v.push(b'^');
                    self.i += 1;
                }
                if self.peek() == Some(b']') {
                    v.push(b']');
                    self.i += 1;
                }
                loop {
                    let Some(c) = self.peek() else {
                        // Unterminated: let the regex compiler say so.
                        self.i = st;
                        break;
                    };
                    self.i += 1;
                    v.push(c);
                    if c == b'[' && matches!(self.peek(), Some(b':' | b'.' | b'=')) {
                        let k = self.peek().unwrap_or(b':');
                        v.push(k);
                        self.i += 1;
                        while let Some(c) = self.peek() {
                            self.i += 1;
                            v.push(c);
                            if c == k && self.peek() == Some(b']') {
                                v.push(b']');
                                self.i += 1;
                                break;
                            }
                        }
                    } else if c == b']' {
                        break;
                    }
                }
                if self.i == st {
                    continue;
                }
                continue;
            }
            v.push(c);
        }
    }
}

impl Sed {
    fn regex(&mut self, cx: &Cx, pat: Vec<u8>, icase: bool, multi: bool) -> Res<Option<usize>> {
        if pat.is_empty() {
            if self.res.is_empty() {
                return Err(err(cx, &[b"no previous regexp"]));
            }
            return Ok(None);
        }
        let mut f = if self.ere { Flags::ERE } else { Flags::NONE };
        if icase {
            f = f | Flags::ICASE;
        }
        if multi {
            f = f | Flags::NEWLINE;
        }
        match regex::compile(&pat, f) {
            Ok(r) => {
                self.res.push(r);
                Ok(Some(self.res.len() - 1))
            }
            Err(e) => Err(err(cx, &[b"bad regex '", &pat, b"': ", e.as_bytes()])),
        }
    }

    /// `/re/` or `\cREc` (after its first byte), with GNU's I and M after it.
    fn addr_re(&mut self, cx: &Cx, p: &mut P, delim: u8) -> Res<Option<usize>> {
        let Some(pat) = p.delimited(delim, true) else {
            return Err(err(cx, &[b"unmatched '", &[delim], b"'"]));
        };
        let (mut ic, mut m) = (false, false);
        loop {
            match p.peek() {
                Some(b'I') => ic = true,
                Some(b'M') => m = true,
                _ => break,
            }
            p.i += 1;
        }
        self.regex(cx, pat, ic, m)
    }

    fn addr1(&mut self, cx: &Cx, p: &mut P) -> Res<Option<A1>> {
        Ok(match p.peek() {
            Some(b'0'..=b'9') => {
                let n = p.num().unwrap_or(0);
                if p.peek() == Some(b'~') {
                    p.i += 1;
                    let s = p.num().unwrap_or(0);
                    Some(A1::Step(n, s))
                } else {
                    Some(A1::Line(n))
                }
            }
            Some(b'$') => {
                p.i += 1;
                Some(A1::Last)
            }
            Some(b'/') => {
                p.i += 1;
                Some(A1::Re(self.addr_re(cx, p, b'/')?))
            }
            Some(b'\\') => {
                p.i += 1;
                let Some(d) = p.peek() else { return Err(err(cx, &[b"unmatched '\\'"])) };
                p.i += 1;
                Some(A1::Re(self.addr_re(cx, p, d)?))
            }
            _ => None,
        })
    }

    fn addr2(&mut self, cx: &Cx, p: &mut P) -> Res<A2> {
        p.blanks();
        let r = match p.peek() {
            Some(b'+') | Some(b'~') => {
                let c = p.peek();
                p.i += 1;
                match p.num() {
                    Some(n) if c == Some(b'+') => A2::Plus(n),
                    Some(n) => A2::Tilde(n),
                    None => return Err(err(cx, &[b"no address after comma"])),
                }
            }
            _ => match self.addr1(cx, p)? {
                Some(A1::Line(n)) => A2::Line(n),
                Some(A1::Last) => A2::Last,
                Some(A1::Re(r)) => A2::Re(r),
                _ => return Err(err(cx, &[b"no address after comma"])),
            },
        };
        Ok(r)
    }

    fn wfile(&mut self, cx: &Cx, name: Vec<u8>) -> Res<usize> {
        if name.is_empty() {
            return Err(err(cx, &[b"empty filename"]));
        }
        if let Some(i) = self.wfiles.iter().position(|w| w.name == name) {
            return Ok(i);
        }
        let f = if name == b"/dev/stdout" || self.dry {
            None
        } else {
            match std::fs::File::create(OsStr::from_bytes(&name)) {
                Ok(f) => Some(std::io::BufWriter::new(f)),
                Err(e) => {
                    cx.err(&[b"can't open '", &name, b"': ", sys::strerror(sys::errno_of(&e))]);
                    return Err(Fail(1));
                }
            }
        };
        self.wfiles.push(WFile { name, f });
        Ok(self.wfiles.len() - 1)
    }

    /// The rest of the line (a file name or a label).
    fn rest(p: &mut P, stop_at_semi: bool) -> Vec<u8> {
        p.blanks();
        let st = p.i;
        while let Some(c) = p.peek() {
            if c == b'\n' || (stop_at_semi && (c == b';' || c == b'}')) {
                break;
            }
            p.i += 1;
        }
        let mut v = p.s[st..p.i].to_vec();
        if stop_at_semi {
            while v.last().is_some_and(|&c| c == b' ' || c == b'\t') {
                v.pop();
            }
        }
        v
    }

    /// a, i, c text: GNU's one-line form (`a text`) or POSIX's (`a\` newline text).
    fn text(p: &mut P) -> Vec<u8> {
        p.blanks();
        if p.peek() == Some(b'\\') {
            p.i += 1;
            if p.peek() == Some(b'\n') {
                p.i += 1;
            }
        }
        let mut v = Vec::new();
        while let Some(c) = p.peek() {
            p.i += 1;
            if c == b'\n' {
                break;
            }
            if c == b'\\' {
                match p.peek() {
                    Some(e) => {
                        p.i += 1;
                        v.push(e);
                    }
                    None => break,
                }
                continue;
            }
            v.push(c);
        }
        v
    }

    fn repl(r: &[u8]) -> Vec<Piece> {
        let mut out = Vec::new();
        let mut lit = Vec::new();
        let mut i = 0;
        let flush = |lit: &mut Vec<u8>, out: &mut Vec<Piece>| {
            if !lit.is_empty() {
                out.push(Piece::Lit(std::mem::take(lit)));
            }
        };
        while i < r.len() {
            let c = r[i];
            i += 1;
            if c == b'&' {
                flush(&mut lit, &mut out);
                out.push(Piece::Group(0));
            } else if c == b'\\' && i < r.len() {
                let e = r[i];
                i += 1;
                match e {
                    b'0'..=b'9' => {
                        flush(&mut lit, &mut out);
                        out.push(Piece::Group((e - b'0') as usize));
                    }
                    b'n' => lit.push(b'\n'),
                    b't' => lit.push(b'\t'),
                    b'L' | b'U' | b'l' | b'u' | b'E' => {
                        flush(&mut lit, &mut out);
                        out.push(Piece::Case(e));
                    }
                    _ => lit.push(e),
                }
            } else {
                lit.push(c);
            }
        }
        flush(&mut lit, &mut out);
        out
    }

    fn parse(&mut self, cx: &Cx, script: &[u8]) -> Res<()> {
        let mut p = P { s: script, i: 0 };
        // `#n` on the first line is -n.
        if script.starts_with(b"#n") && matches!(script.get(2), None | Some(b'\n')) {
            self.quiet = true;
        }
        let mut blocks: Vec<usize> = Vec::new();
        loop {
            while matches!(p.peek(), Some(b' ' | b'\t' | b'\n' | b';')) {
                p.i += 1;
            }
            let Some(c) = p.peek() else { break };
            if c == b'#' {
                while p.peek().is_some_and(|c| c != b'\n') {
                    p.i += 1;
                }
                continue;
            }
            let a1 = self.addr1(cx, &mut p)?;
            let mut a2 = None;
            if a1.is_some() {
                p.blanks();
                if p.peek() == Some(b',') {
                    p.i += 1;
                    a2 = Some(self.addr2(cx, &mut p)?);
                }
            }
            p.blanks();
            let mut neg = false;
            if p.peek() == Some(b'!') {
                neg = true;
                p.i += 1;
                p.blanks();
            }
            let Some(c) = p.peek() else { return Err(err(cx, &[b"missing command"])) };
            p.i += 1;
            if a1.is_some() && matches!(c, b'\n' | b';') {
                return Err(err(cx, &[b"missing command"]));
            }
            if a2.is_some() && matches!(c, b'a' | b'i' | b'r') {
                return Err(err(cx, &[b"command '", &[c], b"' uses only one address"]));
            }
            let k = match c {
                b'{' => {
                    blocks.push(self.cmds.len());
                    K::Block(0)
                }
                b'}' => {
                    if let Some(b) = blocks.pop() {
                        let here = self.cmds.len();
                        if let Some(Cmd { k: K::Block(t), .. }) = self.cmds.get_mut(b) {
                            *t = here;
                        }
                    }
                    K::End
                }
                b's' => {
                    let Some(d) = p.peek().filter(|&d| d != b'\n' && d != b'\\') else {
                        return Err(err(cx, &[b"unmatched 's'"]));
                    };
                    p.i += 1;
                    let unm = || err(cx, &[b"unmatched '", &[d], b"'"]);
                    let pat = p.delimited(d, true).ok_or_else(unm)?;
                    let rep = p.delimited(d, false).ok_or_else(unm)?;
                    let mut s = Subst {
                        re: None,
                        repl: Self::repl(&rep),
                        global: false,
                        nth: 1,
                        print: 0,
                        eval: false,
                        wfile: None,
                    };
                    let (mut ic, mut m) = (false, false);
                    loop {
                        match p.peek() {
                            // BusyBox: `g` overrides a number (`2g` is `g`).
                            Some(b'g') => {
                                s.global = true;
                                s.nth = 1;
                            }
                            Some(b'p') => s.print += 1,
                            Some(b'i' | b'I') => ic = true,
                            Some(b'm' | b'M') => m = true,
                            Some(b'e') => s.eval = true,
                            Some(b'0'..=b'9') => {
                                let n = p.num().unwrap_or(0);
                                // BusyBox takes 0 as 1.
                                if !s.global {
                                    s.nth = n.max(1);
                                }
                                continue;
                            }
                            Some(b'w') => {
                                p.i += 1;
                                let name = Self::rest(&mut p, false);
                                s.wfile = Some(self.wfile(cx, name)?);
                                break;
                            }
                            None | Some(b';' | b'\n' | b'}' | b'#' | b' ' | b'\t') => break,
                            _ => return Err(err(cx, &[b"bad option in substitution expression"])),
                        }
                        p.i += 1;
                    }
                    s.re = self.regex(cx, pat, ic, m)?;
                    K::S(Box::new(s))
                }
                b'y' => {
                    let Some(d) = p.peek() else { return Err(err(cx, &[b"unmatched 'y'"])) };
                    p.i += 1;
                    let unm = || err(cx, &[b"unmatched '", &[d], b"'"]);
                    let a = p.delimited(d, true).ok_or_else(unm)?;
                    let b = p.delimited(d, true).ok_or_else(unm)?;
                    let un = |v: Vec<u8>| -> Vec<u8> {
                        let mut o = Vec::new();
                        let mut i = 0;
                        while i < v.len() {
                            if v[i] == b'\\' && i + 1 < v.len() {
                                o.push(match v[i + 1] {
                                    b't' => b'\t',
                                    b'\\' => b'\\',
                                    x => x,
                                });
                                i += 2;
                            } else {
                                o.push(v[i]);
                                i += 1;
                            }
                        }
                        o
                    };
                    let (a, b) = (un(a), un(b));
                    let mut t = Box::new([0u8; 256]);
                    for (i, x) in t.iter_mut().enumerate() {
                        *x = i as u8;
                    }
                    // BusyBox maps as far as both strings go, without complaint.
                    for (x, y) in a.iter().zip(b.iter()) {
                        t[*x as usize] = *y;
                    }
                    K::Y(t)
                }
                b'a' | b'i' | b'c' => K::Text(c, Self::text(&mut p)),
                b'r' => {
                    let name = Self::rest(&mut p, false);
                    if name.is_empty() {
                        return Err(err(cx, &[b"empty filename"]));
                    }
                    K::ReadFile(name)
                }
                b'R' => {
                    let name = Self::rest(&mut p, false);
                    if name.is_empty() {
                        return Err(err(cx, &[b"empty filename"]));
                    }
                    let rd = if self.dry { None } else { Input::open(OsStr::from_bytes(&name)).ok().map(Lines::new) };
                    self.rfiles.push((name, rd));
                    K::ReadLine(self.rfiles.len() - 1)
                }
                b'w' | b'W' => {
                    let name = Self::rest(&mut p, false);
                    K::Write(c == b'W', self.wfile(cx, name)?)
                }
                b'b' | b't' | b'T' => K::Jump(c, None, Self::rest(&mut p, true)),
                b':' => {
                    let l = Self::rest(&mut p, true);
                    self.cmds.push(Cmd {
                        a1: None,
                        a2: None,
                        neg: false,
                        k: K::Jump(b':', None, l),
                        active: false,
                        end: 0,
                    });
                    continue;
                }
                b'q' | b'Q' => {
                    p.blanks();
                    let code = p.num().unwrap_or(0);
                    K::Quit(c == b'Q', code.min(255) as i32)
                }
                b'l' => {
                    p.blanks();
                    match p.num() {
                        Some(n) => K::List(n.min(usize::MAX as u64) as usize),
                        None => K::Simple(c),
                    }
                }
                b'=' | b'd' | b'D' | b'g' | b'G' | b'h' | b'H' | b'n' | b'N' | b'p' | b'P' | b'x' | b'z'
                | b'F' => K::Simple(c),
                _ => return Err(err(cx, &[b"unsupported command ", &[c]])),
            };
            // 0,/re/: the range is open before the first line, so /re/ may end it there.
            let active = matches!((&a1, &a2), (Some(A1::Line(0)), Some(A2::Re(_))));
            self.cmds.push(Cmd {
                a1,
                a2,
                neg,
                k,
                active,
                end: 0,
            });
        }
        // Resolve labels.
        let labels: Vec<(Vec<u8>, usize)> = self
            .cmds
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match &c.k {
                K::Jump(b':', _, l) => Some((l.clone(), i)),
                _ => None,
            })
            .collect();
        for c in &mut self.cmds {
            if let K::Jump(k, t, l) = &mut c.k {
                if *k != b':' && !l.is_empty() {
                    match labels.iter().find(|x| x.0 == *l) {
                        Some(x) => *t = Some(x.1),
                        None => return Err(err(cx, &[b"can't find label for jump to '", l, b"'"])),
                    }
                }
            }
        }
        for c in &mut self.cmds {
            if let K::Block(t) = &mut c.k {
                if *t == 0 {
                    // An unclosed `{` runs to the end (BusyBox does not complain).
                    *t = usize::MAX;
                }
            }
        }
        Ok(())
    }
}

// ------------------------------------------------------------------------------ running

/// Input lines across files, with one line of lookahead (for `$`).
struct In<'a> {
    files: &'a [&'a OsStr],
    next_file: usize,
    cur: Option<Lines>,
    cur_name: Vec<u8>,
    look: Vec<u8>,
    look_nl: bool,
    have_look: bool,
    sep: u8,
    /// A file could not be opened.
    failed: bool,
}

impl<'a> In<'a> {
    fn new(files: &'a [&'a OsStr], sep: u8) -> In<'a> {
        In {
            files,
            next_file: 0,
            cur: None,
            cur_name: Vec::new(),
            look: Vec::new(),
            look_nl: true,
            have_look: false,
            sep,
            failed: false,
        }
    }

    /// Reads the lookahead line if there is none; false at the end of all input.
    fn fill(&mut self, cx: &Cx) -> bool {
        if self.have_look {
            return true;
        }
        loop {
            if let Some(l) = &mut self.cur {
                match next_rec(l, self.sep) {
                    Ok(Some((rec, nl))) => {
                        self.look.clear();
                        self.look.extend_from_slice(rec);
                        self.look_nl = nl;
                        self.have_look = true;
                        return true;
                    }
                    Ok(None) => self.cur = None,
                    Err(e) => {
                        cx.err_no(&self.cur_name, e);
                        self.failed = true;
                        self.cur = None;
                    }
                }
            }
            let Some(f) = self.files.get(self.next_file) else { return false };
            self.next_file += 1;
            match Input::open(f) {
                Ok(i) => {
                    self.cur = Some(Lines::new(i));
                    self.cur_name = f.as_bytes().to_vec();
                }
                Err(e) => {
                    cx.err_no(f.as_bytes(), e);
                    self.failed = true;
                }
            }
        }
    }

    /// The next line into `ps` (replacing it, or appended after a newline with `append`).
    fn next(&mut self, cx: &Cx, ps: &mut Vec<u8>, append: bool) -> Option<bool> {
        if !self.fill(cx) {
            return None;
        }
        self.have_look = false;
        if append {
            ps.push(b'\n');
            ps.extend_from_slice(&self.look);
        } else {
            std::mem::swap(ps, &mut self.look);
        }
        Some(self.look_nl)
    }
}

/// A record up to `sep` (Lines splits at newlines; -z needs NUL).
fn next_rec(l: &mut Lines, sep: u8) -> Result<Option<(&[u8], bool)>, i32> {
    if sep == b'\n' {
        return Ok(l.next_line()?.map(|r| match r.strip_suffix(b"\n") {
            Some(s) => (s, true),
            None => (r, false),
        }));
    }
    l.next_record(sep)
}

/// Where output goes: stdout, or the temporary file of `-i`.
struct Sink {
    file: Option<std::io::BufWriter<std::fs::File>>,
    /// The last line written lacked its newline (the input's last line had none): it is
    /// written before anything else follows.
    missing: bool,
    sep: u8,
    err: i32,
}

impl Sink {
    fn raw(&mut self, cx: &mut Cx, b: &[u8]) {
        match &mut self.file {
            Some(f) => {
                if let Err(e) = f.write_all(b) {
                    if self.err == 0 {
                        self.err = sys::errno_of(&e);
                    }
                }
            }
            None => cx.out.write(b),
        }
    }
    /// One byte: not through memcpy (musl's costs more per call than a line's bytes).
    fn byte(&mut self, cx: &mut Cx, c: u8) {
        match &mut self.file {
            None => cx.out.byte(c),
            Some(_) => self.raw(cx, &[c]),
        }
    }
    fn w(&mut self, cx: &mut Cx, b: &[u8]) {
        if self.missing {
            self.missing = false;
            self.byte(cx, self.sep);
        }
        self.raw(cx, b);
    }
    fn line(&mut self, cx: &mut Cx, b: &[u8], nl: bool) {
        self.w(cx, b);
        if nl {
            self.byte(cx, self.sep);
        } else {
            self.missing = true;
        }
    }
}

enum Queued {
    Text(usize),
    File(Vec<u8>),
    Line(Vec<u8>),
}

struct Run {
    hold: Vec<u8>,
    lineno: u64,
    last_re: usize,
    quit: Option<i32>,
    /// A substitution was made since the last line was read or `t` taken.
    tflag: bool,
    queue: Vec<Queued>,
    scratch: Vec<u8>,
}

/// The output of `/bin/sh -c CMD` (s///e), through musl's popen: std's process
/// machinery would cost about 20 KB for this one flag.
fn shell_output(cmd: &[u8]) -> Option<Vec<u8>> {
    let c = sys::cstr(cmd)?;
    // SAFETY: popen/pclose on a NUL-terminated command; the FILE is only read through its
    // descriptor and closed once.
    unsafe {
        let f = libc::popen(c.as_ptr(), c"r".as_ptr());
        if f.is_null() {
            return None;
        }
        let fd = libc::fileno(f);
        let mut out = Vec::new();
        let mut b = [0u8; 4096];
        while let Ok(n @ 1..) = sys::read(fd, &mut b) {
            out.extend_from_slice(&b[..n]);
        }
        libc::pclose(f);
        Some(out)
    }
}

/// Appends `s`: the short pieces of a substitution byte by byte, as musl's memcpy costs
/// more per call than a few bytes take (s/a/b/g on 100 MB: most of the time was memcpy).
#[inline]
fn ext(out: &mut Vec<u8>, s: &[u8]) {
    if s.len() <= 16 {
        out.reserve(s.len());
        for &b in s {
            out.push(b);
        }
    } else {
        out.extend_from_slice(s);
    }
}

/// GNU's `l`: escapes, octal for other bytes, lines wrapped to `width` columns with the
/// `\\` (GNU's -l; 70 by default; 0 or 1: never), `$` at the end.
fn list(ps: &[u8], width: usize, out: &mut Vec<u8>) {
    let max = if width <= 1 { usize::MAX } else { width - 1 };
    let mut col = 0;
    for &b in ps {
        let mut e = [0u8; 4];
        let s: &[u8] = match b {
            b'\\' => b"\\\\",
            7 => b"\\a",
            8 => b"\\b",
            12 => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            11 => b"\\v",
            0x20..=0x7e => {
                e[0] = b;
                &e[..1]
            }
            _ => {
                e = [b'\\', b'0' + (b >> 6), b'0' + ((b >> 3) & 7), b'0' + (b & 7)];
                &e
            }
        };
        if col + s.len() > max {
            out.extend_from_slice(b"\\\n");
            col = 0;
        }
        out.extend_from_slice(s);
        col += s.len();
    }
    out.extend_from_slice(b"$\n");
}

impl Sed {
    fn re(&self, r: Option<usize>, run: &mut Run) -> usize {
        let i = r.unwrap_or(run.last_re);
        run.last_re = i;
        i
    }

    fn m1(&self, a: &A1, ps: &[u8], run: &mut Run, last: bool) -> bool {
        match a {
            A1::Line(n) => run.lineno == *n,
            A1::Last => last,
            A1::Re(r) => {
                let i = self.re(*r, run);
                self.res.get(i).is_some_and(|r| r.is_match(ps))
            }
            A1::Step(f, s) => {
                if *s == 0 {
                    run.lineno == *f
                } else {
                    run.lineno >= *f && (run.lineno - f) % s == 0
                }
            }
        }
    }

    fn selected(&self, c: &mut Cmd, ps: &[u8], run: &mut Run, last: bool) -> bool {
        let (a1, a2) = (&c.a1, &c.a2);
        let r = match (a1, a2) {
            (None, _) => true,
            (Some(a1), None) => self.m1(a1, ps, run, last),
            (Some(a1), Some(a2)) => {
                let n = run.lineno;
                let mut active = c.active;
                let mut end = c.end;
                let r = if active {
                    let done = match a2 {
                        A2::Line(m) => n >= *m,
                        A2::Last => last,
                        A2::Re(r) => {
                            let k = self.re(*r, run);
                            self.res.get(k).is_some_and(|r| r.is_match(ps))
                        }
                        A2::Plus(_) => n >= end,
                        A2::Tilde(m) => *m == 0 || n % m == 0,
                    };
                    if done {
                        active = false;
                    }
                    true
                } else if self.m1(a1, ps, run, last) {
                    active = match a2 {
                        A2::Line(m) => *m > n,
                        A2::Last => !last,
                        A2::Re(_) => true,
                        A2::Plus(m) => {
                            end = n.saturating_add(*m);
                            *m > 0
                        }
                        A2::Tilde(m) => !(*m == 0 || n % m == 0),
                    };
                    true
                } else {
                    false
                };
                c.active = active;
                c.end = end;
                r
            }
        };
        r != c.neg
    }

    /// s///: returns whether a replacement was made.
    fn subst(&self, s: &Subst, ps: &mut Vec<u8>, run: &mut Run) -> bool {
        let i = self.re(s.re, run);
        let Some(re) = self.res.get(i) else { return false };
        let mut out = std::mem::take(&mut run.scratch);
        out.clear();
        let mut pos = 0;
        let mut copied = 0;
        let mut count = 0u64;
        let mut did = false;
        let mut prev_end: Option<usize> = None;
        let subs = re.ngroups() > 0 && s.repl.iter().any(|p| matches!(p, Piece::Group(1..)));
        let mut m = Match::default();
        while pos <= ps.len() {
            if subs {
                match re.find_at(ps, pos, false) {
                    Some(x) => m = x,
                    None => break,
                }
            } else {
                match re.find_span(ps, pos, false) {
                    Some(x) => m.pos[0] = Some(x),
                    None => break,
                }
            }
            let (a, b) = (m.start(), m.end());
            // An empty match right after the previous match does not count (GNU).
            if a == b && prev_end == Some(a) {
                pos = a + 1;
                continue;
            }
            count += 1;
            if count >= s.nth {
                ext(&mut out, &ps[copied..a]);
                self.append_repl(&s.repl, ps, &m, &mut out);
                copied = b;
                did = true;
                if !s.global {
                    break;
                }
            }
            prev_end = Some(b);
            pos = if a == b { b + 1 } else { b };
        }
        if did {
            out.extend_from_slice(&ps[copied..]);
            std::mem::swap(ps, &mut out);
        }
        run.scratch = out;
        did
    }

    #[inline]
    fn append_repl(&self, repl: &[Piece], ps: &[u8], m: &Match, out: &mut Vec<u8>) {
        // Case conversion: a mode (\L \U until \E) and a one-shot (\l \u).
        let mut mode = 0u8;
        let mut once = 0u8;
        for p in repl {
            let text: &[u8] = match p {
                Piece::Lit(l) => l,
                Piece::Group(g) => match m.get(*g) {
                    Some((a, b)) => &ps[a..b],
                    None => b"",
                },
                Piece::Case(c) => {
                    match c {
                        b'L' | b'U' => {
                            mode = *c;
                            once = 0;
                        }
                        b'E' => {
                            mode = 0;
                            once = 0;
                        }
                        _ => once = *c,
                    }
                    continue;
                }
            };
            if mode == 0 && once == 0 {
                ext(out, text);
                continue;
            }
            for &b in text {
                let b = match once {
                    b'l' => b.to_ascii_lowercase(),
                    b'u' => b.to_ascii_uppercase(),
                    _ => match mode {
                        b'L' => b.to_ascii_lowercase(),
                        b'U' => b.to_ascii_uppercase(),
                        _ => b,
                    },
                };
                once = 0;
                out.push(b);
            }
        }
    }

    fn flush_queue(&mut self, cx: &mut Cx, cmds: &[Cmd], out: &mut Sink, run: &mut Run) {
        for q in std::mem::take(&mut run.queue) {
            match q {
                Queued::Text(i) => {
                    if let Some(Cmd { k: K::Text(_, t), .. }) = cmds.get(i) {
                        out.w(cx, t);
                        out.raw(cx, b"\n");
                    }
                }
                Queued::File(name) => {
                    if let Ok(d) = std::fs::read(OsStr::from_bytes(&name)) {
                        out.w(cx, &d);
                    }
                }
                Queued::Line(l) => {
                    out.w(cx, &l);
                    out.raw(cx, b"\n");
                }
            }
        }
    }

    fn wline(&mut self, cx: &mut Cx, k: usize, b: &[u8]) {
        let w = &mut self.wfiles[k];
        match &mut w.f {
            Some(f) => {
                let _ = f.write_all(b);
                let _ = f.write_all(b"\n");
            }
            None => {
                cx.out.write(b);
                cx.out.byte(b'\n');
            }
        }
    }

    /// Runs the script over one input stream.
    fn stream(&mut self, cx: &mut Cx, inp: &mut In, out: &mut Sink, run: &mut Run) {
        let mut cmds = std::mem::take(&mut self.cmds);
        self.stream_in(cx, &mut cmds, inp, out, run);
        self.cmds = cmds;
    }

    fn stream_in(&mut self, cx: &mut Cx, cmds: &mut [Cmd], inp: &mut In, out: &mut Sink, run: &mut Run) {
        let mut ps: Vec<u8> = Vec::new();
        let mut nl = true;
        let mut reuse = false;
        'cycle: loop {
            if !reuse {
                match inp.next(cx, &mut ps, false) {
                    Some(n) => nl = n,
                    None => return,
                }
                run.lineno += 1;
                run.tflag = false;
            }
            reuse = false;
            let mut autoprint = !self.quiet;
            let mut pc = 0;
            while pc < cmds.len() {
                let last = !inp.fill(cx);
                if !self.selected(&mut cmds[pc], &ps, run, last) {
                    pc = match cmds[pc].k {
                        K::Block(usize::MAX) => {
                            // BusyBox finds a `{`'s end only when it has to jump over it.
                            cx.err(&[b"unterminated {"]);
                            run.quit = Some(1);
                            return;
                        }
                        K::Block(t) => t + 1,
                        _ => pc + 1,
                    };
                    continue;
                }
                let mut next = pc + 1;
                let cmd = &cmds[pc];
                match &cmd.k {
                    K::Block(_) | K::End => {}
                    K::S(s) => {
                        if self.subst(s, &mut ps, run) {
                            run.tflag = true;
                            if s.eval {
                                cx.out.flush();
                                if let Some(o) = shell_output(&ps) {
                                    ps = o;
                                    if ps.last() == Some(&b'\n') {
                                        ps.pop();
                                    }
                                }
                            }
                            for _ in 0..s.print {
                                out.line(cx, &ps, nl);
                            }
                            if let Some(w) = s.wfile {
                                let p = std::mem::take(&mut ps);
                                self.wline(cx, w, &p);
                                ps = p;
                            }
                        }
                    }
                    K::Y(t) => {
                        for b in ps.iter_mut() {
                            *b = t[*b as usize];
                        }
                    }
                    K::Text(c, t) => match c {
                        b'a' => run.queue.push(Queued::Text(pc)),
                        b'i' => {
                            out.w(cx, t);
                            out.raw(cx, b"\n");
                        }
                        _ => {
                            // c: the text once, at the end of a range.
                            let in_range = cmd.a2.is_some() && cmd.active && !cmd.neg;
                            if !in_range {
                                out.w(cx, t);
                                out.raw(cx, b"\n");
                            }
                            autoprint = false;
                            break;
                        }
                    },
                    K::ReadFile(f) => run.queue.push(Queued::File(f.clone())),
                    K::ReadLine(k) => {
                        let k = *k;
                        if let Some(Some(l)) = self.rfiles.get_mut(k).map(|r| r.1.as_mut()) {
                            if let Ok(Some(line)) = l.next_line() {
                                let line = line.strip_suffix(b"\n").unwrap_or(line).to_vec();
                                run.queue.push(Queued::Line(line));
                            }
                        }
                    }
                    K::Write(first, k) => {
                        let k = *k;
                        let upto = if *first { crate::bytes::memchr(b'\n', &ps).unwrap_or(ps.len()) } else { ps.len() };
                        let p = std::mem::take(&mut ps);
                        self.wline(cx, k, &p[..upto]);
                        ps = p;
                    }
                    K::Jump(c, t, _) => {
                        let take = match c {
                            b'b' => true,
                            b't' => std::mem::replace(&mut run.tflag, false),
                            b'T' => !std::mem::replace(&mut run.tflag, false),
                            _ => false,
                        };
                        if take {
                            next = t.unwrap_or(usize::MAX);
                        }
                    }
                    K::Quit(silent, code) => {
                        run.quit = Some(*code);
                        if *silent {
                            return;
                        }
                        break;
                    }
                    K::List(w) => {
                        let mut v = Vec::new();
                        list(&ps, *w, &mut v);
                        out.w(cx, &v);
                    }
                    K::Simple(c) => match c {
                        b'=' => {
                            let mut b = [0u8; 20];
                            let n = crate::cx::fmt_u64(run.lineno, &mut b).to_vec();
                            out.w(cx, &n);
                            out.raw(cx, b"\n");
                        }
                        b'd' => {
                            autoprint = false;
                            break;
                        }
                        b'D' => match crate::bytes::memchr(b'\n', &ps) {
                            None => {
                                autoprint = false;
                                break;
                            }
                            Some(i) => {
                                ps.drain(..=i);
                                self.flush_queue(cx, cmds, out, run);
                                reuse = true;
                                continue 'cycle;
                            }
                        },
                        // What comes from the hold space ends in a newline (BusyBox).
                        b'g' => ps.clone_from(&run.hold),
                        b'G' => {
                            ps.push(b'\n');
                            ps.extend_from_slice(&run.hold);
                            nl = true;
                        }
                        b'h' => run.hold.clone_from(&ps),
                        b'H' => {
                            run.hold.push(b'\n');
                            run.hold.extend_from_slice(&ps);
                        }
                        b'x' => {
                            std::mem::swap(&mut ps, &mut run.hold);
                            nl = true;
                        }
                        b'z' => ps.clear(),
                        b'F' => {
                            let n = if inp.cur_name.is_empty() { b"-".to_vec() } else { inp.cur_name.clone() };
                            out.w(cx, &n);
                            out.raw(cx, b"\n");
                        }
                        b'l' => {
                            let mut v = Vec::new();
                            list(&ps, self.line_len, &mut v);
                            out.w(cx, &v);
                        }
                        // As BusyBox: only the automatic print keeps a missing last newline.
                        b'p' => out.line(cx, &ps, true),
                        b'P' => {
                            let e = crate::bytes::memchr(b'\n', &ps).unwrap_or(ps.len());
                            let p = std::mem::take(&mut ps);
                            out.line(cx, &p[..e], true);
                            ps = p;
                        }
                        b'n' | b'N' => {
                            if !inp.fill(cx) {
                                // No next line: GNU ends here, printing as at a cycle's end.
                                run.quit = Some(0);
                                break;
                            }
                            if *c == b'n' && !self.quiet {
                                out.line(cx, &ps, nl);
                            }
                            self.flush_queue(cx, cmds, out, run);
                            if let Some(n) = inp.next(cx, &mut ps, *c == b'N') {
                                nl = n;
                            }
                            run.lineno += 1;
                        }
                        _ => {}
                    },
                }
                pc = next;
            }
            if autoprint {
                out.line(cx, &ps, nl);
            }
            self.flush_queue(cx, cmds, out, run);
            if run.quit.is_some() {
                return;
            }
        }
    }
}

// ------------------------------------------------------------------------------ main

/// The script parser alone (the fuzz target `sed_script`): whether `script` parses. Files
/// that `w` and `R` name are not opened; errors are reported on stderr as usual.
pub fn parse_script(script: &[u8], ere: bool) -> bool {
    let cx = Cx::new("sed", crate::Help(0, 0));
    let mut sed = Sed {
        cmds: Vec::new(),
        res: Vec::new(),
        wfiles: Vec::new(),
        rfiles: Vec::new(),
        ere,
        quiet: false,
        dry: true,
        line_len: 70,
    };
    sed.parse(&cx, script).is_ok()
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "nrEsze:f:i::l:",
        &[
            ("expression", b'e'),
            ("file", b'f'),
            ("in-place", b'i'),
            ("line-length", b'l'),
            ("null-data", b'z'),
            ("quiet", b'n'),
            ("regexp-extended", b'r'),
            ("separate", b's'),
            ("silent", b'n'),
        ],
    )?;
    let mut script: Vec<u8> = Vec::new();
    let mut given = false;
    for (c, v) in &o.seen {
        match (c, v) {
            (b'e', Some(v)) => {
                if given {
                    script.push(b'\n');
                }
                given = true;
                script.extend_from_slice(v.as_bytes());
            }
            (b'f', Some(v)) => {
                if given {
                    script.push(b'\n');
                }
                given = true;
                let r = if v.as_bytes() == b"-" {
                    let mut d = Vec::new();
                    std::io::Read::read_to_end(&mut Input::stdin(), &mut d).map(|_| d).map_err(|e| sys::errno_of(&e))
                } else {
                    std::fs::read(v).map_err(|e| sys::errno_of(&e))
                };
                match r {
                    Ok(d) => script.extend_from_slice(d.strip_suffix(b"\n").unwrap_or(&d)),
                    Err(e) => return Err(cx.fail_no(v.as_bytes(), e)),
                }
            }
            _ => {}
        }
    }
    let mut files: &[&OsStr] = &o.args;
    if !given {
        let Some((s, rest)) = files.split_first() else { return Err(cx.usage()) };
        script = s.as_bytes().to_vec();
        files = rest;
    }
    let z = o.has(b'z');
    let sep = if z { 0 } else { b'\n' };
    let mut sed = Sed {
        cmds: Vec::new(),
        res: Vec::new(),
        wfiles: Vec::new(),
        rfiles: Vec::new(),
        ere: o.has(b'r') || o.has(b'E'),
        quiet: o.has(b'n'),
        dry: false,
        line_len: match o.val(b'l') {
            Some(v) => cx.num_u64(v)?.min(usize::MAX as u64) as usize,
            None => 70,
        },
    };
    sed.parse(cx, &script)?;
    let mut run = Run {
        hold: Vec::new(),
        lineno: 0,
        last_re: 0,
        quit: None,
        tflag: false,
        queue: Vec::new(),
        scratch: Vec::new(),
    };
    let stdin: [&OsStr; 1] = [OsStr::new("-")];
    let in_place = o.has(b'i');
    if in_place && files.is_empty() {
        return Err(cx.fail(&[b"-i requires an argument"]));
    }
    let files = if files.is_empty() { &stdin[..] } else { files };
    let mut status = 0;
    if in_place {
        let suffix = o.val(b'i').map_or(&b""[..], |s| s.as_bytes());
        for f in files {
            run.lineno = 0;
            if edit(cx, &mut sed, &mut run, f, suffix, sep).is_err() {
                status = 1;
            }
            if run.quit.is_some() {
                break;
            }
        }
    } else {
        let mut out = Sink {
            file: None,
            missing: false,
            sep,
            err: 0,
        };
        let sep_files = o.has(b's');
        if sep_files {
            for f in files {
                run.lineno = 0;
                let one = [*f];
                let mut inp = In::new(&one, sep);
                sed.stream(cx, &mut inp, &mut out, &mut run);
                if inp.failed {
                    status = 1;
                }
                if run.quit.is_some() {
                    break;
                }
            }
        } else {
            let mut inp = In::new(files, sep);
            sed.stream(cx, &mut inp, &mut out, &mut run);
            if inp.failed {
                status = 1;
            }
        }
    }
    for w in &mut sed.wfiles {
        if let Some(f) = &mut w.f {
            let _ = f.flush();
        }
    }
    // A back-reference search that ran out of its work bound answered "no match": say so.
    if let Some(e) = sed.res.iter().find_map(|r| r.error()) {
        cx.err(&[e.as_bytes()]);
        status = 1;
    }
    Ok(match run.quit {
        Some(c) if c != 0 => c,
        _ => status,
    })
}

/// sed -i on one file: the output goes to a temporary file in the same directory, which
/// takes the original's owner and mode and is renamed over it only once it is complete.
fn edit(cx: &mut Cx, sed: &mut Sed, run: &mut Run, f: &OsStr, suffix: &[u8], sep: u8) -> Result<(), ()> {
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::io::{AsRawFd, FromRawFd};
    let path = f.as_bytes();
    let meta = match std::fs::metadata(f) {
        Ok(m) => m,
        Err(e) => {
            cx.err_no(path, sys::errno_of(&e));
            return Err(());
        }
    };
    let dir_end = crate::bytes::memrchr(b'/', path).map_or(0, |i| i + 1);
    let mut tmpl = path[..dir_end].to_vec();
    tmpl.extend_from_slice(b"sedXXXXXX\0");
    // SAFETY: tmpl is NUL-terminated and writable; mkstemp fills in the X's.
    let fd = unsafe { libc::mkstemp(tmpl.as_mut_ptr() as *mut libc::c_char) };
    tmpl.pop();
    if fd < 0 {
        cx.err(&[b"can't create temp file '", &tmpl, b"': ", sys::strerror(sys::errno())]);
        return Err(());
    }
    // SAFETY: mkstemp returned a new descriptor that nothing else owns.
    let file = unsafe { std::fs::File::from_raw_fd(fd) };
    let tmp = OsStr::from_bytes(&tmpl).to_owned();
    let one = [f];
    let mut inp = In::new(&one, sep);
    let mut out = Sink {
        file: Some(std::io::BufWriter::with_capacity(crate::io::BLOCK, file)),
        missing: false,
        sep,
        err: 0,
    };
    sed.stream(cx, &mut inp, &mut out, run);
    let mut err = out.err;
    if let Some(w) = out.file.take() {
        match w.into_inner() {
            Ok(file) => {
                // SAFETY: plain syscalls on our own descriptor.
                unsafe {
                    let _ = libc::fchown(file.as_raw_fd(), meta.uid(), meta.gid());
                    libc::fchmod(file.as_raw_fd(), meta.mode() & 0o7777);
                }
                if err == 0 && file.sync_data().is_err() {
                    err = sys::errno();
                }
            }
            Err(e) => err = sys::errno_of(e.error()),
        }
    }
    if err != 0 || inp.failed {
        let _ = std::fs::remove_file(&tmp);
        if err != 0 {
            cx.err_no(&tmpl, err);
        }
        return Err(());
    }
    if !suffix.is_empty() {
        let mut b = path.to_vec();
        b.extend_from_slice(suffix);
        // A link keeps the original in place until the rename; where links fail, the
        // original is renamed to the backup name first, as GNU does.
        let bk = OsStr::from_bytes(&b);
        let _ = std::fs::remove_file(bk);
        if let Err(e) = std::fs::hard_link(f, bk).or_else(|_| std::fs::rename(f, bk)) {
            let _ = std::fs::remove_file(&tmp);
            cx.err_no(&b, sys::errno_of(&e));
            return Err(());
        }
    }
    if let Err(e) = std::fs::rename(&tmp, f) {
        let _ = std::fs::remove_file(&tmp);
        cx.err_no(path, sys::errno_of(&e));
        return Err(());
    }
    Ok(())
}
