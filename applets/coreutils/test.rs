//! applet: test [ [[
//! dir: usr/bin
//! nohelp
//! usage: test EXPRESSION
//! Check file types, compare values etc. Return a 0/1 exit code depending on logical value of EXPRESSION

//! The evaluator is a library for the shell too: [`run`] takes the name (`test`, `[`, `[[`)
//! and the arguments, [`eval`] an expression, and neither prints nor keeps any state.
//!
//! Grammar, as BusyBox's (POSIX with `( )`, `-a`, `-o`):
//! ```text
//! oexpr   := aexpr [ -o oexpr ]          ([[ ]]: ||)
//! aexpr   := nexpr [ -a aexpr ]          ([[ ]]: &&)
//! nexpr   := ! nexpr | primary           (a `!` with nothing after it is true)
//! primary := ( oexpr ) | UNARY ARG | ARG BINARY ARG | ARG
//! ```
//! With up to four arguments POSIX's rules by argument count come first (`test ! -f`,
//! `test "(" = "("`, `test ! a -a b`). `[[ ]]` is BusyBox's: `=`, `==` and `!=` match a
//! shell pattern (fnmatch), `=~` an extended regex, `&&` and `||` replace `-a` and `-o`.

use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// Why an expression could not be evaluated: the status is then 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error<'a> {
    /// Printed as `OPERAND: MESSAGE`, or just `MESSAGE`.
    Msg(Option<&'a [u8]>, &'static str),
    /// A bad regular expression after `=~`: BusyBox gives status 2 without a message.
    Quiet,
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    match run(cx.name.as_bytes(), args.get(1..).unwrap_or(&[])) {
        Ok(true) => Ok(0),
        Ok(false) => Ok(1),
        Err(Error::Msg(Some(op), m)) => {
            cx.err(&[op, b": ", m.as_bytes()]);
            Ok(2)
        }
        Err(Error::Msg(None, m)) => {
            cx.err(&[m.as_bytes()]);
            Ok(2)
        }
        Err(Error::Quiet) => Ok(2),
    }
}

/// `test ARGS`, `[ ARGS ]` or `[[ ARGS ]]` as `name` says; `args` excludes the name.
pub fn run<'a>(name: &[u8], args: &[&'a OsStr]) -> Result<bool, Error<'a>> {
    let (close, msg): (&[u8], _) = match name {
        b"[" => (b"]", "missing ]"),
        b"[[" => (b"]]", "missing ]]"),
        _ => return eval(args, false),
    };
    match args.split_last() {
        Some((last, rest)) if last.as_bytes() == close => eval(rest, name == b"[["),
        _ => Err(Error::Msg(None, msg)),
    }
}

/// Evaluates an expression; `bash` selects `[[ ]]`'s operators.
pub fn eval<'a>(args: &[&'a OsStr], bash: bool) -> Result<bool, Error<'a>> {
    let mut p = P {
        a: args,
        i: 0,
        bash,
        depth: 0,
        groups: None,
    };
    // POSIX's rules by argument count; `!` is peeled off at any length, as BusyBox does.
    let mut s = args;
    let mut neg = false;
    let is = |s: &[&OsStr], k: usize, w: &[u8]| s.get(k).is_some_and(|x| x.as_bytes() == w);
    loop {
        match s.len() {
            0 => return Ok(neg),
            1 => return Ok(!s[0].is_empty() ^ neg),
            3 => match lex(s[1].as_bytes(), bash) {
                // `$1 OP $3`, where `-a` and `-o` are binary too (as in bash and coreutils).
                T::And => return Ok((!s[0].is_empty() && !s[2].is_empty()) ^ neg),
                T::Or => return Ok((!s[0].is_empty() || !s[2].is_empty()) ^ neg),
                T::Bin(_) => {
                    p.a = s;
                    return Ok(p.binop()? ^ neg);
                }
                _ if is(s, 0, b"(") && is(s, 2, b")") => return Ok(!s[1].is_empty() ^ neg),
                _ => {}
            },
            4 if is(s, 0, b"(") && is(s, 3, b")") => {
                s = &s[1..3];
                continue;
            }
            _ => {}
        }
        if !is(s, 0, b"!") {
            break;
        }
        s = &s[1..];
        neg = !neg;
    }
    // Beyond four arguments the result is BusyBox's grammar on all of them (a leading `!`
    // binding to the first primary only); up to four, POSIX negates the remaining test.
    if args.len() > 4 {
        p.a = args;
        p.all()
    } else {
        p.a = s;
        Ok(p.all()? ^ neg)
    }
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum B {
    Seq,
    Sne,
    Slt,
    Sgt,
    Re,
    Ieq,
    Ine,
    Ige,
    Igt,
    Ile,
    Ilt,
    Nt,
    Ot,
    Ef,
}

/// What an argument is taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum T {
    End,
    Word,
    /// A unary primary, by its letter (`-h` is `L`).
    Un(u8),
    Bin(B),
    Not,
    And,
    Or,
    Open,
    Close,
}

fn lex(s: &[u8], bash: bool) -> T {
    match s {
        [b'-', c] if b"rwxefdcbpugkstznhOGLS".contains(c) => T::Un(if *c == b'h' { b'L' } else { *c }),
        b"=" | b"==" => T::Bin(B::Seq),
        b"!=" => T::Bin(B::Sne),
        b"<" => T::Bin(B::Slt),
        b">" => T::Bin(B::Sgt),
        b"=~" if bash => T::Bin(B::Re),
        b"-eq" => T::Bin(B::Ieq),
        b"-ne" => T::Bin(B::Ine),
        b"-ge" => T::Bin(B::Ige),
        b"-gt" => T::Bin(B::Igt),
        b"-le" => T::Bin(B::Ile),
        b"-lt" => T::Bin(B::Ilt),
        b"-nt" => T::Bin(B::Nt),
        b"-ot" => T::Bin(B::Ot),
        b"-ef" => T::Bin(B::Ef),
        b"!" => T::Not,
        b"-a" if !bash => T::And,
        b"&&" if bash => T::And,
        b"-o" if !bash => T::Or,
        b"||" if bash => T::Or,
        b"(" => T::Open,
        b")" => T::Close,
        _ => T::Word,
    }
}

/// Nesting of `(` beyond which we refuse rather than overflow the stack: a level costs
/// about 400 bytes, so this stays under half a megabyte even when `sh` runs us on a small
/// stack (BusyBox crashes somewhere between 10,000 and 30,000 levels).
const MAX_DEPTH: u32 = 1000;

/// The parser: `a[i]` is the argument being looked at, or the last one consumed.
struct P<'a, 'b> {
    a: &'b [&'a OsStr],
    i: usize,
    bash: bool,
    depth: u32,
    /// Supplementary groups, fetched on first need.
    groups: Option<Vec<libc::gid_t>>,
}

type R<'a, T = bool> = Result<T, Error<'a>>;

impl<'a> P<'a, '_> {
    fn tok(&self, k: usize) -> T {
        match self.a.get(k) {
            Some(s) => lex(s.as_bytes(), self.bash),
            None => T::End,
        }
    }

    fn arg(&self, k: usize) -> &'a [u8] {
        self.a.get(k).map_or(b"", |s| s.as_bytes())
    }

    /// The whole of `a` as one expression; anything left over is an error.
    fn all(&mut self) -> R<'a> {
        self.i = 0;
        let r = self.oexpr()?;
        if self.i + 1 < self.a.len() {
            return Err(Error::Msg(Some(self.arg(self.i + 1)), "unknown operand"));
        }
        Ok(r)
    }

    // Both sides of -o and -a are always evaluated (an error on the right still counts),
    // left to right, as BusyBox's recursive descent does.
    fn oexpr(&mut self) -> R<'a> {
        let mut r = self.aexpr()?;
        while self.tok(self.i + 1) == T::Or {
            self.i += 2;
            r |= self.aexpr()?;
        }
        Ok(r)
    }

    fn aexpr(&mut self) -> R<'a> {
        let mut r = self.nexpr()?;
        while self.tok(self.i + 1) == T::And {
            self.i += 2;
            r &= self.nexpr()?;
        }
        Ok(r)
    }

    fn nexpr(&mut self) -> R<'a> {
        let mut neg = false;
        while self.tok(self.i) == T::Not {
            if self.tok(self.i + 1) == T::End {
                // `[ ! ]`, `[ a -a ! ]`: a `!` missing its operand is true.
                return Ok(!neg);
            }
            self.i += 1;
            neg = !neg;
        }
        Ok(self.primary()? ^ neg)
    }

    fn primary(&mut self) -> R<'a> {
        let n = self.tok(self.i);
        match n {
            T::End => return Err(Error::Msg(None, "argument expected")),
            T::Open => {
                if self.depth >= MAX_DEPTH {
                    return Err(Error::Msg(None, "expression too complex"));
                }
                self.depth += 1;
                self.i += 1;
                let r = self.oexpr()?;
                self.i += 1;
                if self.tok(self.i) != T::Close {
                    return Err(Error::Msg(None, "closing paren expected"));
                }
                self.depth -= 1;
                return Ok(r);
            }
            _ => {}
        }
        // `ARG BINARY ARG` comes before `UNARY ARG` (coreutils does so too): `-f = -f`.
        let next = self.tok(self.i + 1);
        if matches!(next, T::Bin(_)) && self.i + 2 < self.a.len() {
            return self.binop();
        }
        if let T::Un(c) = n {
            if next == T::End {
                return Ok(true); // `-f` alone is a non-empty string
            }
            self.i += 1;
            let s = self.arg(self.i);
            return match c {
                b'z' => Ok(s.is_empty()),
                b'n' => Ok(!s.is_empty()),
                // isatty takes an int: BusyBox truncates the number the same way.
                b't' => Ok(sys::isatty(num(s)? as i32)),
                _ => Ok(self.file(s, c)),
            };
        }
        if matches!(next, T::Bin(_)) {
            return self.binop(); // reports the missing right operand
        }
        Ok(!self.arg(self.i).is_empty())
    }

    /// `a[i] OP a[i+2]`, leaving `i` on the right operand.
    fn binop(&mut self) -> R<'a> {
        let l = self.arg(self.i);
        let op = self.tok(self.i + 1);
        let opname = self.arg(self.i + 1);
        self.i += 2;
        let Some(r) = self.a.get(self.i).map(|s| s.as_bytes()) else {
            return Err(Error::Msg(syntax(opname), "argument expected"));
        };
        let T::Bin(b) = op else {
            return Ok(false); // not reached: callers check for a binary operator
        };
        Ok(match b {
            B::Ieq | B::Ine | B::Ige | B::Igt | B::Ile | B::Ilt => {
                let (x, y) = (num(l)?, num(r)?);
                match b {
                    B::Ieq => x == y,
                    B::Ine => x != y,
                    B::Ige => x >= y,
                    B::Igt => x > y,
                    B::Ile => x <= y,
                    _ => x < y,
                }
            }
            B::Seq if self.bash => glob(r, l),
            B::Sne if self.bash => !glob(r, l),
            B::Re => regex(r, l)?,
            B::Seq => l == r,
            B::Sne => l != r,
            B::Slt => l < r,
            B::Sgt => l > r,
            B::Nt | B::Ot | B::Ef => match (stat(l, false), stat(r, false)) {
                // Whole seconds, and both files must exist, as in BusyBox 1.35.
                (Some(x), Some(y)) => match b {
                    B::Nt => x.st_mtime > y.st_mtime,
                    B::Ot => x.st_mtime < y.st_mtime,
                    _ => x.st_dev == y.st_dev && x.st_ino == y.st_ino,
                },
                _ => false,
            },
        })
    }

    /// The file primaries (`c` is the letter).
    fn file(&mut self, path: &[u8], c: u8) -> bool {
        let Some(st) = stat(path, c == b'L') else {
            return false;
        };
        let fmt = st.st_mode & libc::S_IFMT;
        match c {
            b'L' => fmt == libc::S_IFLNK,
            b'e' => true,
            b'f' => fmt == libc::S_IFREG,
            b'd' => fmt == libc::S_IFDIR,
            b'c' => fmt == libc::S_IFCHR,
            b'b' => fmt == libc::S_IFBLK,
            b'p' => fmt == libc::S_IFIFO,
            b'S' => fmt == libc::S_IFSOCK,
            b'u' => st.st_mode & libc::S_ISUID != 0,
            b'g' => st.st_mode & libc::S_ISGID != 0,
            b'k' => st.st_mode & libc::S_ISVTX != 0,
            b's' => st.st_size > 0,
            // SAFETY: these calls only read process credentials.
            b'O' => st.st_uid == unsafe { libc::geteuid() },
            b'G' => st.st_gid == unsafe { libc::getegid() },
            b'r' => self.access(&st, 4),
            b'w' => self.access(&st, 2),
            _ => self.access(&st, 1),
        }
    }

    /// Permission by the mode bits and the effective ids, as BusyBox decides it (not
    /// access(2), which uses the real ids): root may read and write anything, and execute
    /// anything with an x bit.
    fn access(&mut self, st: &libc::stat, want: u32) -> bool {
        // SAFETY: reads process credentials.
        let euid = unsafe { libc::geteuid() };
        if euid == 0 && (want != 1 || st.st_mode & 0o111 != 0) {
            return true;
        }
        let bits = if st.st_uid == euid {
            want << 6
        } else if self.in_group(st.st_gid) {
            want << 3
        } else {
            want
        };
        st.st_mode & bits != 0
    }

    fn in_group(&mut self, gid: libc::gid_t) -> bool {
        // SAFETY: reads process credentials.
        if gid == unsafe { libc::getgid() } || gid == unsafe { libc::getegid() } {
            return true;
        }
        let g = self.groups.get_or_insert_with(|| {
            // SAFETY: a count query, then a fill of exactly that many entries.
            unsafe {
                let n = libc::getgroups(0, std::ptr::null_mut());
                let mut v = vec![0; n.max(0) as usize];
                let n = libc::getgroups(v.len() as i32, v.as_mut_ptr());
                v.truncate(n.max(0) as usize);
                v
            }
        });
        g.contains(&gid)
    }
}

/// The operand a syntax error names: none when it is empty (BusyBox's `syntax()`).
fn syntax(op: &[u8]) -> Option<&[u8]> {
    (!op.is_empty()).then_some(op)
}

fn stat(path: &[u8], link: bool) -> Option<libc::stat> {
    let p = sys::cstr(path)?;
    // SAFETY: p is NUL-terminated; st is plain data the kernel fills.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        let r = if link {
            libc::lstat(p.as_ptr(), &mut st)
        } else {
            libc::stat(p.as_ptr(), &mut st)
        };
        (r == 0).then_some(st)
    }
}

/// An integer operand, as strtoll reads it: blanks, a sign, decimal digits, blanks.
fn num(s: &[u8]) -> R<'_, i64> {
    let blank = |c: &u8| *c == b' ' || (b'\t'..=b'\r').contains(c);
    let mut i = s.iter().take_while(|c| blank(c)).count();
    let neg = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let start = i;
    let mut n: u64 = 0;
    let mut over = false;
    while let Some(d) = s.get(i).filter(|c| c.is_ascii_digit()) {
        match n.checked_mul(10).and_then(|n| n.checked_add((d - b'0') as u64)) {
            Some(v) => n = v,
            None => over = true,
        }
        i += 1;
    }
    if i == start {
        return Err(Error::Msg(syntax(s), "bad number"));
    }
    let max = if neg { 1u64 << 63 } else { i64::MAX as u64 };
    if over || n > max {
        return Err(Error::Msg(syntax(s), "out of range"));
    }
    if !s[i..].iter().all(blank) {
        return Err(Error::Msg(syntax(s), "bad number"));
    }
    Ok(if neg {
        (n as i64).wrapping_neg()
    } else {
        n as i64
    })
}

/// `s` matches the shell pattern `pat`, as fnmatch(3) without flags decides in the C
/// locale (BusyBox's `[[ = ]]`): `*`, `?`, `[...]` with `!` or `^`, ranges, `[:class:]`,
/// `[.c.]` and `[=c=]`, and `\` quoting; on bytes, exactly as glibc's in the C locale
/// (Debian's BusyBox), where musl's would see UTF-8. The shell can use it too.
pub fn glob(pat: &[u8], s: &[u8]) -> bool {
    let (mut p, mut i) = (0, 0);
    // Where to resume after the last `*`: pattern after it, and the next string position.
    let mut star: Option<(usize, usize)> = None;
    loop {
        if let Some(&c) = pat.get(p) {
            if c == b'*' {
                p += 1;
                star = Some((p, i));
                continue;
            }
            if let Some(&x) = s.get(i) {
                let (ok, len) = match c {
                    b'?' => (true, 1),
                    b'[' => match bracket(&pat[p..], x) {
                        Some((Some(m), n)) => (m, n),
                        Some((None, _)) => return false,
                        None => (x == b'[', 1),
                    },
                    // A `\` ending the pattern matches nothing (glibc).
                    b'\\' => (pat.get(p + 1) == Some(&x), 2),
                    _ => (x == c, 1),
                };
                if ok {
                    p += len;
                    i += 1;
                    continue;
                }
            }
        } else if i == s.len() {
            return true;
        }
        match star {
            Some((sp, si)) if si < s.len() => {
                star = Some((sp, si + 1));
                p = sp;
                i = si + 1;
            }
            _ => return false,
        }
    }
}

/// A bracket expression at the start of `p` against `c`: (matched, its length), or None
/// when it is not closed (the `[` is then an ordinary character). The match is None when
/// glibc would give up on the whole pattern: an unknown `[:class:]`, or a class or `[=c=]`
/// as the end of a range, met before anything matched.
fn bracket(p: &[u8], c: u8) -> Option<(Option<bool>, usize)> {
    let mut i = 1;
    let neg = matches!(p.get(i), Some(b'!' | b'^'));
    if neg {
        i += 1;
    }
    let (mut hit, mut bad) = (false, false);
    let mut first = true;
    loop {
        if p.get(i) == Some(&b']') && !first {
            return Some(((!bad).then_some(hit ^ neg), i + 1));
        }
        first = false;
        let (e, n) = element(p, i, c)?;
        i += n;
        let lo = match e {
            El::Char(x) => x,
            El::Equiv(x) => {
                hit |= x == c;
                continue;
            }
            El::Class(m) => {
                hit |= m;
                continue;
            }
            El::Bad => {
                bad |= !hit;
                continue;
            }
        };
        let mut hi = lo;
        if p.get(i) == Some(&b'-') && p.get(i + 1).is_some_and(|&n| n != b']') {
            let (e, n) = element(p, i + 1, c)?;
            i += 1 + n;
            match e {
                El::Char(x) => hi = x,
                _ => {
                    bad |= !hit;
                    continue;
                }
            }
        }
        hit |= lo <= c && c <= hi;
    }
}

enum El {
    Char(u8),
    /// `[=c=]`: its character, but neither end of a range.
    Equiv(u8),
    /// `[:name:]`: whether the character is in it.
    Class(bool),
    /// An unknown class, or a collating element of more than one character.
    Bad,
}

/// One element of a bracket expression at `p[i]`, with its length; None if the pattern
/// ends inside it.
fn element(p: &[u8], i: usize, c: u8) -> Option<(El, usize)> {
    let ch = *p.get(i)?;
    if ch == b'\\' {
        return Some((El::Char(*p.get(i + 1)?), 2));
    }
    if ch == b'[' && matches!(p.get(i + 1), Some(b':' | b'.' | b'=')) {
        let kind = p[i + 1];
        let body = i + 2;
        let end = body + p.get(body..)?.windows(2).position(|w| w == [kind, b']'])?;
        let name = &p[body..end];
        let e = match (kind, name) {
            (b':', _) => class(name, c).map_or(El::Bad, El::Class),
            (b'.', [x]) => El::Char(*x),
            (b'=', [x]) => El::Equiv(*x),
            _ => El::Bad,
        };
        return Some((e, end + 2 - i));
    }
    Some((El::Char(ch), 1))
}

/// `c` is in the C locale's class `name`; None for an unknown class.
fn class(name: &[u8], c: u8) -> Option<bool> {
    Some(match name {
        b"alnum" => c.is_ascii_alphanumeric(),
        b"alpha" => c.is_ascii_alphabetic(),
        b"blank" => c == b' ' || c == b'\t',
        b"cntrl" => c.is_ascii_control(),
        b"digit" => c.is_ascii_digit(),
        b"graph" => c.is_ascii_graphic(),
        b"lower" => c.is_ascii_lowercase(),
        b"print" => c.is_ascii_graphic() || c == b' ',
        b"punct" => c.is_ascii_punctuation(),
        b"space" => c == b' ' || (b'\t'..=b'\r').contains(&c),
        b"upper" => c.is_ascii_uppercase(),
        b"xdigit" => c.is_ascii_hexdigit(),
        _ => return None,
    })
}

/// `s` matches the extended regular expression `re` anywhere, on rbox's own engine (musl's
/// regcomp cost about 40 KB and lacks ERE back-references).
fn regex<'a>(re: &[u8], s: &[u8]) -> R<'a> {
    use crate::regex::{compile, Flags};
    match compile(re, Flags::ERE | Flags::NOSUB) {
        Ok(r) => Ok(r.is_match(s)),
        Err(_) => Err(Error::Quiet),
    }
}
