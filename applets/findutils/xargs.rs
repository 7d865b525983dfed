//! applet: xargs
//! usage: xargs [OPTIONS] [PROG ARGS]
//! Run PROG on every item given by stdin
//!
//! -0  NUL terminated input
//! -a FILE  Read from FILE instead of stdin
//! -r  Don't run command if input is empty
//! -t  Print the command on stderr before execution
//! -p  Ask user whether to run each command
//! -E STR,-e[STR]  STR stops input processing
//! -I STR  Replace STR within PROG ARGS with input line
//! -n N  Pass no more than N args to PROG
//! -s N  Pass command line of no more than N bytes
//! -P N  Run up to N PROGs in parallel
//! -x  Exit if size is exceeded

use crate::{spawn, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// stdin (or -a FILE) read in blocks, a byte at a time, as getchar() does.
struct Src {
    fd: i32,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    eof: bool,
}

impl Src {
    fn getc(&mut self) -> Option<u8> {
        if self.pos == self.len {
            if self.eof {
                return None;
            }
            if self.buf.is_empty() {
                self.buf.resize(crate::io::BLOCK, 0);
            }
            match sys::read(self.fd, &mut self.buf) {
                Ok(n) if n > 0 => {
                    self.pos = 0;
                    self.len = n;
                }
                _ => {
                    self.eof = true;
                    return None;
                }
            }
        }
        let c = self.buf.get(self.pos).copied();
        self.pos += 1;
        c
    }

    fn drain(&mut self) {
        while self.getc().is_some() {}
    }
}

struct X<'a> {
    cmd: Vec<&'a [u8]>,
    /// The words read for this command line, each ended by a NUL; `cap` bytes at most.
    words: Vec<u8>,
    cap: usize,
    max_args: usize,
    eof_str: Option<&'a [u8]>,
    repl: Option<&'a [u8]>,
    zero: bool,
    max_procs: usize,
    running: usize,
    exit: i32,
    env: Vec<Vec<u8>>,
}

fn range_num(cx: &Cx, v: &OsStr) -> Res<usize> {
    let n = cx.num_u64(v)?;
    if n == 0 || n > i32::MAX as u64 {
        return Err(cx.fail(&[
            b"number ",
            v.as_bytes(),
            b" is not in 1..2147483647 range",
        ]));
    }
    Ok(n as usize)
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "+trn:s:e::E:px0I:i::P:a:",
        &[("no-run-if-empty", b'r')],
    )?;
    let mut max_procs = 1;
    if let Some(p) = o.val(b'P') {
        max_procs = cx.num_u64(p)? as usize;
        if max_procs == 0 {
            // -P0: "as many as possible", which BusyBox caps at 100.
            max_procs = 100;
        }
    }
    let mut fd = 0;
    if let Some(f) = o.val(b'a') {
        match crate::io::Input::open(f) {
            Ok(i) => {
                // Kept open for the whole run; the children read it as their stdin too.
                fd = i.fd();
                std::mem::forget(i);
                // SAFETY: dup2 onto stdin, as BusyBox's xmove_fd does.
                unsafe {
                    libc::dup2(fd, 0);
                    libc::close(fd);
                }
                fd = 0;
            }
            Err(e) => return Err(cx.fail_path(b"can't open", f.as_bytes(), e)),
        }
    }
    // -E/-e: the last one given; an empty string means none (old xargs used "_").
    let eof_str = o
        .seen
        .iter()
        .rev()
        .find(|s| s.0 == b'E' || s.0 == b'e')
        .and_then(|s| s.1)
        .map(|v| v.as_bytes())
        .filter(|v| !v.is_empty());
    let repl = match o.last_of(b"Ii") {
        Some(b'I') => o.val(b'I').map(|v| v.as_bytes()),
        Some(_) => Some(o.val(b'i').map_or(&b"{}"[..], |v| v.as_bytes())),
        None => None,
    };
    let mut cmd: Vec<&[u8]> = o.args.iter().map(|a| a.as_bytes()).collect();
    if cmd.is_empty() {
        cmd.push(b"echo");
    }
    // BusyBox: ARG_MAX capped at 32 KiB, less 2048 as POSIX asks, less the command itself.
    let mut cap: i64 = 32 * 1024 - 2048;
    if let Some(s) = o.val(b's') {
        cap = range_num(cx, s)? as i64;
    }
    cap -= cmd.iter().map(|a| a.len() as i64 + 1).sum::<i64>();
    if cap <= 0 {
        return Err(cx.fail(&[b"can't fit single argument within argument list size limit"]));
    }
    let mut max_args = usize::MAX;
    if let Some(n) = o.val(b'n') {
        max_args = range_num(cx, n)?;
    }
    let mut x = X {
        cmd,
        words: Vec::new(),
        cap: cap as usize,
        max_args,
        eof_str,
        repl,
        zero: o.has(b'0'),
        max_procs,
        running: 0,
        exit: 0,
        env: sys::environ(),
    };
    let mut src = Src {
        fd,
        buf: Vec::new(),
        pos: 0,
        len: 0,
        eof: false,
    };
    // -I implies -r (BusyBox: what would `xargs -I% echo %` with no input be for?).
    let mut no_empty = o.has(b'r') || repl.is_some();
    let (verbose, ask) = (o.has(b't'), o.has(b'p'));
    let mut carry: Vec<u8> = Vec::new();
    loop {
        x.words.clear();
        x.words.extend_from_slice(&carry);
        let line = if x.repl.is_some() {
            x.read_line(&mut src)
        } else if x.zero {
            x.read0(&mut src)
        } else {
            x.read(cx, &mut src)?
        };
        // `words` holds whole words, then what is left of a word cut by the size limit.
        let whole = x.words.len() - line;
        let rest = x.words.split_off(whole);
        if whole == 0 {
            if !rest.is_empty() {
                return Err(cx.fail(&[b"argument line too long"]));
            }
            if no_empty {
                break;
            }
        }
        no_empty = true;
        let argv = x.argv();
        if verbose || ask {
            cx.out.flush();
            // The words with blanks between them: the NULs that end them, but the last.
            let mut m: Vec<u8> = argv.iter().map(|&c| if c == 0 { b' ' } else { c }).collect();
            m.pop();
            m.extend_from_slice(if ask { b" ?..." } else { b"\n" });
            let _ = sys::write_all(2, &m);
        }
        let go = !ask || confirm(cx)?;
        if go && x.exec(cx, &argv) != 0 {
            break;
        }
        // Until a round finds no word: then no_empty ends it.
        carry = rest;
    }
    // The last children.
    x.max_procs = 0;
    x.exec(cx, b"");
    Ok(x.exit)
}

/// -p: the answer comes from the terminal, not from stdin (which holds the arguments).
fn confirm(cx: &Cx) -> Res<bool> {
    let fd = match crate::io::Input::open(OsStr::new("/dev/tty")) {
        Ok(i) => i,
        Err(e) => return Err(cx.fail_no(b"can't open '/dev/tty'", e)),
    };
    let mut first = 0u8;
    let mut c = [0u8; 1];
    while let Ok(1) = sys::read(fd.fd(), &mut c) {
        if c[0] == b'\n' {
            break;
        }
        if first == 0 && c[0] != b' ' && c[0] != b'\t' {
            first = c[0] | 0x20;
        }
    }
    Ok(first == b'y')
}

fn is_space(c: u8) -> bool {
    c == b' ' || (9..=13).contains(&c)
}

impl X<'_> {
    /// The command line, each word ended by a NUL: the command and the words read (with
    /// -I, the command with the line put in place of every STR). One buffer, not a vector
    /// per word.
    fn argv(&self) -> Vec<u8> {
        let mut v = Vec::new();
        for a in &self.cmd {
            match self.repl {
                Some(r) => replace(&mut v, a, r, self.words.split(|&c| c == 0).next().unwrap_or_default()),
                None => v.extend_from_slice(a),
            }
            v.push(0);
        }
        if self.repl.is_none() {
            v.extend_from_slice(&self.words);
        }
        v
    }

    /// BusyBox's process_stdin: blanks separate words; `'...'`, `"..."` and `\c` quote.
    /// Returns how many bytes at the end of `words` are an unfinished word.
    fn read(&mut self, cx: &Cx, src: &mut Src) -> Res<usize> {
        #[derive(PartialEq)]
        enum S {
            Norm,
            Quote,
            Backslash,
        }
        let mut q = 0u8;
        let mut state = S::Norm;
        let mut start = 0;
        let mut nargs = self.max_args;
        loop {
            if self.words.len() >= self.cap {
                return Ok(self.words.len() - start);
            }
            let (c, close) = match src.getc() {
                None => {
                    if self.words.len() == start {
                        return Ok(0);
                    }
                    (0, true)
                }
                Some(c) => match state {
                    S::Backslash => {
                        state = S::Norm;
                        (c, false)
                    }
                    S::Quote if c != q => (c, false),
                    S::Quote => {
                        q = 0;
                        state = S::Norm;
                        continue;
                    }
                    S::Norm if is_space(c) => {
                        if self.words.len() == start {
                            continue;
                        }
                        (0, true)
                    }
                    S::Norm if c == b'\\' => {
                        state = S::Backslash;
                        continue;
                    }
                    S::Norm if c == b'\'' || c == b'"' => {
                        q = c;
                        state = S::Quote;
                        continue;
                    }
                    S::Norm => (c, false),
                },
            };
            if !close {
                self.words.push(c);
                continue;
            }
            if q != 0 {
                let which: &[u8] = if q == b'\'' { b"single" } else { b"double" };
                return Err(cx.fail(&[b"unmatched ", which, b" quote"]));
            }
            if self.eof_str.is_some_and(|e| self.words.get(start..) == Some(e)) {
                self.words.truncate(start);
                src.drain();
                return Ok(0);
            }
            self.words.push(0);
            start = self.words.len();
            nargs -= 1;
            if nargs == 0 {
                return Ok(0);
            }
            state = S::Norm;
        }
    }

    /// -0: NUL ends a word (an empty one too); no quoting, no end-of-input string.
    fn read0(&mut self, src: &mut Src) -> usize {
        let mut start = 0;
        let mut nargs = self.max_args;
        loop {
            if self.words.len() >= self.cap {
                return self.words.len() - start;
            }
            let c = match src.getc() {
                Some(c) => c,
                None if self.words.len() == start => return 0,
                None => 0,
            };
            self.words.push(c);
            if c == 0 {
                start = self.words.len();
                nargs -= 1;
                if nargs == 0 {
                    return 0;
                }
            }
        }
    }

    /// -I: one line is one argument (leading blanks dropped, empty lines skipped).
    fn read_line(&mut self, src: &mut Src) -> usize {
        let eol = if self.zero { 0 } else { b'\n' };
        self.words.clear();
        loop {
            match src.getc() {
                None if self.words.is_empty() => return 0,
                Some(c) if c == eol && self.words.is_empty() => continue,
                Some(b' ' | b'\t') if self.words.is_empty() => continue,
                None => break,
                Some(c) if c == eol => break,
                Some(c) => self.words.push(c),
            }
        }
        // No -E here: BusyBox does not look for it in -I mode.
        self.words.push(0);
        0
    }

    /// Runs (or, with -P, starts) one command, BusyBox's xargs_exec; an empty `argv`
    /// only collects children. Nonzero: stop reading input.
    fn exec(&mut self, cx: &mut Cx, argv: &[u8]) -> i32 {
        cx.out.flush();
        let refs: Vec<&[u8]> = match argv.split_last() {
            Some((_, words)) => words.split(|&c| c == 0).collect(),
            None => Vec::new(),
        };
        let name = refs.first().or(self.cmd.first()).copied().unwrap_or_default();
        let mut status: Result<i32, i32> = Ok(0);
        if self.max_procs == 1 && !refs.is_empty() {
            status = spawn::run(&refs, &self.env);
        } else {
            loop {
                let done = if self.running >= self.max_procs && self.running > 0 {
                    spawn::wait_any()
                } else {
                    spawn::try_wait_any()
                };
                if let Some((_, st)) = done {
                    self.running = self.running.saturating_sub(1);
                    if st > 0 && st < 255 {
                        self.exit = 123;
                        continue;
                    }
                    if st == 0 {
                        continue;
                    }
                    status = Ok(st);
                    break;
                }
                if self.max_procs != 0 && !refs.is_empty() {
                    match spawn::start(&refs, &self.env) {
                        Ok(_) => self.running += 1,
                        Err(e) => status = Err(e),
                    }
                } else if self.running > 0 {
                    continue;
                }
                break;
            }
        }
        let st = match status {
            Err(e) => {
                cx.err_no(name, e);
                if e == libc::ENOENT {
                    127
                } else {
                    126
                }
            }
            Ok(s) if s < 0 => {
                let mut b = [0u8; 20];
                cx.err(&[b"'", name, b"' terminated by signal ", crate::cx::fmt_u64(-s as u64, &mut b)]);
                125
            }
            Ok(255) => {
                cx.err(&[name, b": exited with status 255; aborting"]);
                124
            }
            Ok(0) => 0,
            Ok(_) => {
                self.exit = 123;
                0
            }
        };
        if st != 0 {
            self.exit = st;
        }
        st
    }
}

/// `a` with every `from` replaced by `to`, appended to `v`.
fn replace(v: &mut Vec<u8>, a: &[u8], from: &[u8], to: &[u8]) {
    if from.is_empty() {
        return v.extend_from_slice(a);
    }
    let mut rest = a;
    while let Some(i) = crate::bytes::memmem::find(rest, from) {
        v.extend_from_slice(&rest[..i]);
        v.extend_from_slice(to);
        rest = &rest[i + from.len()..];
    }
    v.extend_from_slice(rest);
}
