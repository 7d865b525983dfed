//! The interactive shell: prompts (PS1 with ash's backslash escapes and `$` expansions,
//! PS2 for continuation lines), lines read with the shared line editor (history in
//! HISTFILE, Tab completion of commands, files and `$VARIABLES`), one command run as soon
//! as it is complete, errors that would end a script only reported.

use super::exec::{Flow, Shell};
use super::parse::Parser;
use crate::lineedit::{Cand, Complete, Editor, Input, IGNORE_END, IGNORE_START};
use crate::sys;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// Runs the read-eval loop until `exit` or end of input; the last status (the caller runs
/// the EXIT trap).
pub fn run(sh: &mut Shell) -> Result<i32, Flow> {
    if sh.vars.get(b"PS1").is_none() {
        let _ = sh.vars.set(b"PS1", b"\\w \\$ ");
    }
    if sh.vars.get(b"PS2").is_none() {
        let _ = sh.vars.set(b"PS2", b"> ");
    }
    keep_running_on_keys(sh);
    let mut ed = Editor::new();
    let hist = history_file(sh);
    if let Some(n) = sh.vars.get(b"HISTFILESIZE") {
        let n = sys::atoi(n);
        ed.hist.max = n.clamp(0, 1 << 20) as usize;
    }
    if let Some(f) = &hist {
        ed.hist.load(f);
    }
    sh.editor = Some(Box::new(ed));
    let r = repl(sh);
    if let (Some(f), Some(ed)) = (&hist, &sh.editor) {
        ed.hist.save(f);
    }
    r
}

extern "C" fn ignore(_: libc::c_int) {}

/// Ctrl-C or Ctrl-\ on a running command must end the command, not the shell. A handler
/// that does nothing (unlike SIG_IGN) is reset by exec, so commands still get the signal's
/// default action. Signals the user traps keep their traps. (Job control, with the
/// terminal handed to each job, replaces this.)
fn keep_running_on_keys(sh: &Shell) {
    for sig in [libc::SIGINT, libc::SIGQUIT] {
        if sh.traps.get(sig as usize).is_some_and(|t| t.is_some()) {
            continue;
        }
        // SAFETY: installs a handler that touches nothing.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = ignore as *const () as usize;
            sa.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
    }
}

/// HISTFILE, else ~/.ash_history as BusyBox has it.
fn history_file(sh: &Shell) -> Option<Vec<u8>> {
    if let Some(f) = sh.vars.get(b"HISTFILE") {
        return Some(f.to_vec());
    }
    sh.vars.get(b"HOME").map(|h| [h, b"/.ash_history"].concat())
}

fn repl(sh: &mut Shell) -> Result<i32, Flow> {
    let mut buf: Vec<u8> = Vec::new();
    loop {
        let _ = sh.run_traps();
        if buf.is_empty() {
            super::jobs::at_command_line(sh); // job control: notices before the prompt
        }
        let var: &[u8] = if buf.is_empty() { b"PS1" } else { b"PS2" };
        let prompt = prompt(sh, var);
        let got = read(sh, &prompt);
        let eof = match got {
            Input::Line(l) => {
                if let Some(ed) = sh.editor.as_mut() {
                    ed.hist.add(&l);
                }
                buf.extend_from_slice(&l);
                buf.push(b'\n');
                false
            }
            Input::Interrupt => {
                buf.clear();
                sh.status = 130;
                continue;
            }
            Input::Eof if buf.is_empty() => {
                if super::jobs::stopped_warning(sh) {
                    continue; // job control
                }
                if sh.opt.ignoreeof {
                    let _ = sys::write_all(2, b"\nUse \"exit\" to leave shell.\n");
                    continue;
                }
                return Ok(sh.status);
            }
            Input::Eof => true,
        };
        // Parse what there is; run each complete command; keep an incomplete one for the
        // next line (PS2).
        loop {
            let mut p = Parser::new(buf.clone(), sh.line.max(1));
            p.stack = Some(sh.stack);
            p.aliases = (!sh.aliases.is_empty()).then(|| sh.aliases.clone());
            let r = p.command_line();
            if p.hit_end && !eof && (r.is_err() || matches!(r, Ok(Some(_)))) {
                break;
            }
            match r {
                Ok(None) => {
                    buf.clear();
                    break;
                }
                Ok(Some(cmd)) => {
                    buf.drain(..p.pos.min(buf.len()));
                    if sh.opt.v {
                        let _ = sys::write_all(2, &p.src[..p.pos.min(p.src.len())]);
                    }
                    if sh.opt.n {
                        continue;
                    }
                    sh.error_exit = false;
                    match sh.list(&cmd) {
                        Ok(_) | Err(Flow::Break(_) | Flow::Continue(_) | Flow::Return(_)) => {}
                        Err(Flow::Exit(s)) if std::mem::take(&mut sh.error_exit) => sh.status = s,
                        Err(f) => return Err(f),
                    }
                }
                Err(e) => {
                    if e.msg.starts_with(b"arithmetic") {
                        sh.msg(&[&e.msg]);
                    } else {
                        sh.msg(&[b"syntax error: ", &e.msg]);
                    }
                    sh.status = 2;
                    buf.clear();
                    break;
                }
            }
        }
    }
}

/// A line through the editor (or plainly, the prompt on stderr as ash writes it, when
/// there is no terminal to edit on).
fn read(sh: &mut Shell, prompt: &[u8]) -> Input {
    let Some(mut ed) = sh.editor.take() else {
        return Input::Eof;
    };
    ed.vi = sh.opt.vi;
    let r = if ed.can_edit() {
        let mut c = ShellComplete { sh, files: false };
        ed.read_line(prompt, &mut c)
    } else {
        let p: Vec<u8> = prompt.iter().copied().filter(|&c| c != IGNORE_START && c != IGNORE_END).collect();
        let _ = sys::write_all(2, &p);
        ed.read_plain(b"")
    };
    sh.editor = Some(ed);
    r
}

/// PS1 or PS2: backslash escapes first (their results protected from expansion), then
/// the parameter, command and arithmetic expansions ash does on a prompt.
pub fn prompt(sh: &mut Shell, var: &[u8]) -> Vec<u8> {
    let v = sh.vars.get(var).unwrap_or(b"").to_vec();
    let mut src = vec![b'"'];
    let lit = |src: &mut Vec<u8>, s: &[u8]| {
        for &c in s {
            if matches!(c, b'$' | b'`' | b'"' | b'\\') {
                src.push(b'\\');
            }
            src.push(c);
        }
    };
    let mut i = 0;
    while i < v.len() {
        let c = v[i];
        i += 1;
        if c == b'"' {
            src.extend_from_slice(b"\\\"");
            continue;
        }
        if c != b'\\' {
            src.push(c);
            continue;
        }
        let Some(&e) = v.get(i) else {
            src.extend_from_slice(b"\\\\");
            break;
        };
        i += 1;
        match e {
            b'a' => src.push(7),
            b'e' => src.push(0x1b),
            b'n' => src.push(b'\n'),
            b'r' => src.push(b'\r'),
            b'[' => src.push(IGNORE_START),
            b']' => src.push(IGNORE_END),
            b'\\' => src.extend_from_slice(b"\\\\"),
            b'$' => {
                // SAFETY: geteuid cannot fail.
                let root = unsafe { libc::geteuid() } == 0;
                src.push(if root { b'#' } else { b'$' });
                if !root {
                    let n = src.len() - 1;
                    src.insert(n, b'\\');
                }
            }
            b'u' => {
                // SAFETY: geteuid cannot fail.
                let uid = unsafe { libc::geteuid() };
                let u = crate::users::Users::new();
                let name = u.user_name(uid).map(|n| n.to_vec()).unwrap_or_else(|| super::expand::num(uid as i64));
                lit(&mut src, &name);
            }
            b'h' | b'H' => {
                let u = sys::utsname();
                let mut h = sys::cfield(&u.nodename);
                if e == b'h' {
                    if let Some(d) = h.iter().position(|&c| c == b'.') {
                        h = &h[..d];
                    }
                }
                lit(&mut src, h);
            }
            b'w' | b'W' => {
                let cwd = sh.vars.get(b"PWD").map(|p| p.to_vec()).unwrap_or_default();
                // The user's home from the password file, as BusyBox's lineedit has it.
                // SAFETY: geteuid cannot fail.
                let uid = unsafe { libc::geteuid() };
                let users = crate::users::Users::new();
                let home = users.user_by_uid(uid).map(|p| p.home.to_vec()).unwrap_or_default();
                let mut w = cwd.clone();
                if e == b'w' {
                    if !home.is_empty() && home != b"/" && cwd.starts_with(&home) && matches!(cwd.get(home.len()), None | Some(b'/')) {
                        w = [b"~", &cwd[home.len()..]].concat();
                    }
                } else if cwd != b"/" {
                    w = sys::basename(&cwd).to_vec();
                }
                lit(&mut src, &w);
            }
            b't' | b'T' | b'A' | b'@' | b'd' => {
                let fmt: &[u8] = match e {
                    b't' => b"%H:%M:%S",
                    b'T' => b"%I:%M:%S",
                    b'A' => b"%H:%M",
                    b'@' => b"%I:%M %p",
                    _ => b"%a %b %d",
                };
                let now = crate::time::now();
                let mut out = Vec::new();
                if let Some(tm) = crate::time::local(now) {
                    crate::strftime::format(&tm, now, 0, fmt, &mut out);
                }
                lit(&mut src, &out);
            }
            b'!' => {
                let n = sh.editor.as_ref().map_or(0, |e| e.hist.lines.len()) + 1;
                lit(&mut src, &super::expand::num(n as i64));
            }
            b'0'..=b'7' => {
                let mut n = (e - b'0') as u32;
                for _ in 0..2 {
                    match v.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            n = n * 8 + (d - b'0') as u32;
                            i += 1;
                        }
                        _ => break,
                    }
                }
                lit(&mut src, &[n as u8]);
            }
            // Unknown: the character alone, as BusyBox's lineedit shows it.
            _ => lit(&mut src, &[e]),
        }
    }
    src.push(b'"');
    // Expanded as a double-quoted word, as ash expands PS1 (errors leave the text as is).
    let mut p = Parser::new(src, 0);
    if let Ok(Some(l)) = p.command_line() {
        if let Some((super::ast::Cmd::Simple { words, .. }, _)) = l.first() {
            if let Some(w) = words.first() {
                let (x, st) = (sh.opt.x, sh.status);
                sh.opt.x = false;
                let r = sh.expand_str(w);
                sh.opt.x = x;
                sh.status = st;
                if let Ok(s) = r {
                    return s;
                }
            }
        }
    }
    v
}

/// Tab completion from the shell's state: builtins, functions, aliases, rbox's applets and
/// PATH in command position; `$NAME` from the variables; file names elsewhere.
struct ShellComplete<'a> {
    sh: &'a mut Shell,
    /// File names only (`read -e`, as bash's readline completes there).
    files: bool,
}

/// `read -e`: a line from terminal `fd` through the line editor (the interactive shell's,
/// so its history is there, or a fresh one), prompt and editing on stderr as bash has
/// them; the line is not added to the history. None when `fd` or stderr is no terminal to
/// edit on (the caller reads plainly).
pub fn read_edited(sh: &mut Shell, fd: i32, prompt: &[u8], init: &[u8]) -> Option<Input> {
    let had = sh.editor.is_some();
    let mut ed = sh.editor.take().unwrap_or_default();
    let (fi, fo) = (ed.fd_in, ed.fd_out);
    (ed.fd_in, ed.fd_out) = (fd, 2);
    ed.vi = sh.opt.vi;
    let r = ed.can_edit().then(|| {
        // Prompt bytes 1 and 2 are text here, not the shell's `\[` `\]` marks.
        let p: Vec<u8> = prompt.iter().copied().filter(|&c| c != IGNORE_START && c != IGNORE_END).collect();
        let mut c = ShellComplete { sh, files: true };
        ed.read_line_with(&p, init, &mut c)
    });
    (ed.fd_in, ed.fd_out) = (fi, fo);
    if had {
        sh.editor = Some(ed);
    }
    r
}

/// Characters a completed name needs a backslash before.
fn special(c: u8) -> bool {
    b" \t\n\"'\\$`&|;()<>*?[]{}!#~=".contains(&c)
}

fn escape(s: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(s.len() + 4);
    for &c in s {
        if special(c) {
            v.push(b'\\');
        }
        v.push(c);
    }
    v
}

impl Complete for ShellComplete<'_> {
    fn complete(&mut self, line: &[u8], pos: usize) -> (usize, Vec<Cand>) {
        let line = &line[..pos.min(line.len())];
        // Where the word under the cursor starts, its text unquoted, and whether it is a
        // command name.
        let (mut start, mut word, mut cmdpos) = (0, Vec::new(), true);
        let (mut q, mut i) = (0u8, 0);
        let mut prev_sep = true;
        while i < line.len() {
            let c = line[i];
            if q != 0 {
                if c == q {
                    q = 0;
                } else if c == b'\\' && q == b'"' && i + 1 < line.len() {
                    i += 1;
                    word.push(line[i]);
                } else {
                    word.push(c);
                }
            } else if c == b'\\' && i + 1 < line.len() {
                i += 1;
                word.push(line[i]);
            } else if c == b'\'' || c == b'"' {
                q = c;
            } else if b" \t;|&()<>".contains(&c) {
                if b";|&(".contains(&c) {
                    cmdpos = true;
                } else if !word.is_empty() && !prev_sep {
                    // A word ended: the next is an argument, unless this one was an
                    // assignment or a word after which a command comes.
                    let kw: &[&[u8]] = &[b"if", b"then", b"else", b"elif", b"do", b"while", b"until", b"!", b"{", b"time"];
                    let assign = word.contains(&b'=') && word[0] != b'=';
                    cmdpos = cmdpos && (assign || kw.contains(&word.as_slice()));
                }
                if b"<>".contains(&c) {
                    cmdpos = false;
                }
                word.clear();
                start = i + 1;
                prev_sep = true;
                i += 1;
                continue;
            } else {
                word.push(c);
            }
            prev_sep = false;
            i += 1;
        }
        let mut out = Vec::new();
        cmdpos &= !self.files;
        if let Some(dollar) = word.iter().rposition(|&c| c == b'$').filter(|_| !self.files) {
            let name = &word[dollar + 1..];
            let brace = name.first() == Some(&b'{');
            let name = if brace { &name[1..] } else { name };
            if name.iter().all(|&c| c == b'_' || c.is_ascii_alphanumeric()) {
                let lead = &word[..dollar];
                for (k, _) in self.sh.vars.sorted() {
                    if k.starts_with(name) {
                        let mut t = escape(lead);
                        t.extend_from_slice(if brace { b"${" } else { b"$" });
                        t.extend_from_slice(k);
                        if brace {
                            t.push(b'}');
                        }
                        out.push(Cand {
                            text: t,
                            show: k.to_vec(),
                            space: false,
                        });
                    }
                }
                return (start, out);
            }
        }
        if cmdpos && !word.contains(&b'/') {
            let mut names: Vec<Vec<u8>> = Vec::new();
            for b in super::builtins::TABLE {
                names.push(b.name.as_bytes().to_vec());
            }
            for a in crate::applets::APPLETS {
                names.push(a.name.as_bytes().to_vec());
            }
            names.extend(self.sh.funcs.keys().cloned());
            names.extend(self.sh.aliases.keys().cloned());
            names.retain(|n| n.starts_with(&word));
            let path = self.sh.vars.get(b"PATH").unwrap_or(b"").to_vec();
            for d in path.split(|&c| c == b':') {
                let d: &[u8] = if d.is_empty() { b"." } else { d };
                let Ok(rd) = std::fs::read_dir(OsStr::from_bytes(d)) else { continue };
                for e in rd.flatten() {
                    let n = e.file_name().into_vec_bytes();
                    if n.starts_with(&word) && is_exec(&[d, b"/", &n].concat()) {
                        names.push(n);
                    }
                }
            }
            super::vars::sort(&mut names);
            names.dedup();
            for n in names {
                out.push(Cand {
                    text: escape(&n),
                    show: n,
                    space: true,
                });
            }
            return (start, out);
        }
        // File names: the directory part as typed (~ expanded), the entries that match.
        let (dir, base) = match word.iter().rposition(|&c| c == b'/') {
            Some(k) => (&word[..=k], &word[k + 1..]),
            None => (&word[..0], &word[..]),
        };
        let mut real = dir.to_vec();
        if dir.starts_with(b"~/") || dir == b"~" {
            real = [self.sh.vars.get(b"HOME").unwrap_or(b""), &dir[1..]].concat();
        }
        let rd = if real.is_empty() { b".".to_vec() } else { real.clone() };
        let Ok(entries) = std::fs::read_dir(OsStr::from_bytes(&rd)) else {
            return (start, out);
        };
        // Names, a directory's with a slash after it (one sort for all lists).
        let mut found: Vec<Vec<u8>> = Vec::new();
        for e in entries.flatten() {
            let n = e.file_name().into_vec_bytes();
            if !n.starts_with(base) || (n.first() == Some(&b'.') && base.first() != Some(&b'.')) {
                continue;
            }
            let full = [&real[..], &n].concat();
            let isdir = std::fs::metadata(OsStr::from_bytes(&full)).is_ok_and(|m| m.is_dir());
            if cmdpos && !isdir && !is_exec(&full) {
                continue;
            }
            let mut n = n;
            if isdir {
                n.push(b'/');
            }
            found.push(n);
        }
        super::vars::sort(&mut found);
        for show in found {
            let isdir = show.last() == Some(&b'/');
            let mut t = escape(&[dir, &show[..show.len() - isdir as usize]].concat());
            if isdir {
                t.push(b'/');
            }
            // `~/` stays as typed.
            if dir.starts_with(b"~") && t.starts_with(b"\\~") {
                t.remove(0);
            }
            out.push(Cand {
                text: t,
                show,
                space: !isdir,
            });
        }
        (start, out)
    }
}

trait Bytes {
    fn into_vec_bytes(self) -> Vec<u8>;
}

impl Bytes for std::ffi::OsString {
    fn into_vec_bytes(self) -> Vec<u8> {
        use std::os::unix::ffi::OsStringExt;
        self.into_vec()
    }
}

fn is_exec(p: &[u8]) -> bool {
    let Some(c) = sys::cstr(p) else { return false };
    // SAFETY: a valid C string.
    let ok = unsafe { libc::access(c.as_ptr(), libc::X_OK) } == 0;
    ok && std::fs::metadata(OsStr::from_bytes(p)).is_ok_and(|m| m.is_file())
}

/// The `history` builtin: the lines numbered from 0, as ash prints them.
pub fn history(sh: &mut Shell, _a: &[Vec<u8>]) -> super::exec::R {
    let mut o = Vec::new();
    if let Some(ed) = sh.editor.as_ref() {
        for (i, l) in ed.hist.lines.iter().enumerate() {
            let n = super::expand::num(i as i64);
            for _ in n.len()..4 {
                o.push(b' ');
            }
            o.extend_from_slice(&n);
            o.push(b' ');
            o.extend_from_slice(l);
            o.push(b'\n');
        }
    }
    super::builtins::out(sh, &o);
    Ok(0)
}
