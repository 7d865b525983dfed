//! applet: awk
//! dir: usr/bin
//! usage: awk [OPTIONS] [AWK_PROGRAM] [FILE]...
//! -v VAR=VAL  Set variable
//! -F SEP  	Use SEP as field separator
//! -f FILE  	Read program from FILE
//! -e AWK_PROGRAM

// POSIX awk with BusyBox's extensions (and/or/xor/compl/lshift/rshift, systime, strftime,
// mktime, -e, 0x and 0NNN constants). The program is parsed to an AST (parse.rs) and walked
// (interp.rs); records split into fields only when a field or NF is used (record.rs).

mod interp;
mod lex;
mod parse;
mod record;
mod value;

use crate::{Cx, Res};
use interp::{Flow, Interp};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// Where each piece of the program starts in the joined source: (first line, name); lines
/// are counted from 1 in each piece, as BusyBox parses each -f file and -e text alone.
type Pieces<'a> = Vec<(usize, &'a [u8])>;

fn report(cx: &Cx, pieces: &Pieces, line: usize, msg: &[u8]) {
    let (start, name) = pieces
        .iter()
        .rev()
        .find(|p| p.0 <= line)
        .copied()
        .unwrap_or((1, b"cmd. line"));
    let mut b = [0u8; 20];
    let l = crate::cx::fmt_u64((line - start + 1) as u64, &mut b);
    cx.err(&[name, b":", l, b": ", msg]);
}

/// The lexer and parser alone (the fuzz target `awk`): Ok, or the line and message of the
/// syntax error.
pub fn parse_program(src: &[u8]) -> Result<(), (usize, &'static str)> {
    parse::parse(src).map(|_| ()).map_err(|e| (e.line, e.msg))
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "+v:*F:f:*e:*", &[])?;
    let mut src = Vec::new();
    let mut rest = &o.args[..];
    let mut have = false;
    let mut pieces: Pieces = Vec::new();
    let mut line = 1;
    for f in o.vals(b'f') {
        match std::fs::read(f) {
            Ok(t) => {
                pieces.push((line, f.as_bytes()));
                src.extend_from_slice(&t);
                src.push(b'\n');
                line += crate::text::count_byte(&t, b'\n') + 1;
                have = true;
            }
            Err(e) => {
                cx.err(&[
                    b"can't open '",
                    f.as_bytes(),
                    b"': ",
                    crate::sys::strerror(crate::sys::errno_of(&e)),
                ]);
                return Ok(1);
            }
        }
    }
    for e in o.vals(b'e') {
        pieces.push((line, b"cmd. line"));
        src.extend_from_slice(e.as_bytes());
        src.push(b'\n');
        line += crate::text::count_byte(e.as_bytes(), b'\n') + 1;
        have = true;
    }
    if !have {
        let Some((p, r)) = rest.split_first() else {
            return Err(cx.usage());
        };
        src.extend_from_slice(p.as_bytes());
        rest = r;
    }
    let prog = match parse::parse(&src) {
        Ok(p) => p,
        Err(e) => {
            report(cx, &pieces, e.line, e.msg.as_bytes());
            // The brief asks for POSIX's "2 on a syntax error"; BusyBox exits 1.
            return Ok(2);
        }
    };
    let mut out = std::mem::take(&mut cx.out);
    let r = run(cx, &prog, &mut out, &pieces, rest, &o);
    cx.out = out;
    r
}

fn run(
    cx: &mut Cx,
    prog: &parse::Program,
    out: &mut crate::cx::Out,
    pieces: &Pieces,
    rest: &[&OsStr],
    o: &crate::args::Opts,
) -> Res {
    let mut it = match Interp::new(prog, out) {
        Ok(i) => i,
        Err(m) => {
            cx.err(&[m.strip_prefix(b"\x02").unwrap_or(&m)]);
            return Ok(1);
        }
    };
    let mut argv: Vec<&[u8]> = vec![b"awk"];
    argv.extend(rest.iter().map(|a| a.as_bytes()));
    it.set_argv(&argv);
    if let Some(fs) = o.val(b'F') {
        let fs = fs.as_bytes();
        it.assign_operand(b"FS", fs);
    }
    for v in o.vals(b'v') {
        let v = v.as_bytes();
        match v.iter().position(|&c| c == b'=') {
            Some(i) => it.assign_operand(&v[..i], &v[i + 1..]),
            None => return Err(cx.usage()),
        }
    }
    let status = match body(&mut it, prog) {
        Ok(()) => it.exit_code,
        Err(e) => {
            it.flush_all();
            if let Some(m) = it.file_err.take() {
                cx.err(&[&m]);
            } else if let Some(m) = e.0.strip_prefix(b"\x02") {
                cx.err(&[m]);
            } else if !e.0.is_empty() {
                report(cx, pieces, it.line as usize, &e.0);
            } else {
                it.close_all();
                return Ok(it.exit_code);
            }
            it.close_all();
            return Ok(1);
        }
    };
    it.close_all();
    it.out.flush();
    Ok(status)
}

/// BEGIN, the records, END; `exit` in BEGIN or the records still runs END.
fn body(it: &mut Interp, prog: &parse::Program) -> Result<(), interp::Error> {
    let mut exited = false;
    match it.block(&prog.begin) {
        Ok(Flow::Exit) => exited = true,
        Ok(_) => {}
        Err(e) if e.0.is_empty() => exited = true,
        Err(e) => return Err(e),
    }
    if !exited && (!prog.items.is_empty() || !prog.end.is_empty()) {
        let mut line = Vec::new();
        while it.next_main(&mut line, true)? {
            match it.record() {
                Ok(Flow::Exit) => {
                    exited = true;
                    break;
                }
                Ok(Flow::NextFile) => it.skip_file(),
                Ok(_) => {}
                Err(e) if e.0.is_empty() => {
                    exited = true;
                    break;
                }
                Err(e) if e.0 == b"\x01next" => {}
                Err(e) if e.0 == b"\x01nextfile" => it.skip_file(),
                Err(e) => return Err(e),
            }
        }
    }
    let _ = exited;
    match it.block(&prog.end) {
        Ok(_) => Ok(()),
        Err(e) if e.0.is_empty() => Ok(()),
        Err(e) => Err(e),
    }
}
