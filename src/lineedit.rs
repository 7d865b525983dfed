//! Line editing on a terminal, as BusyBox's lineedit gives ash: Emacs keys (or vi's with
//! `vi = true`), history with a file in BusyBox's format (one line each), reverse
//! incremental search, and Tab completion through a callback, so any applet can read an
//! edited line without the shell.
//!
//! ```ignore
//! let mut ed = lineedit::Editor::new();
//! ed.hist.load(b"/root/.ash_history");
//! match ed.read_line(b"$ ", &mut lineedit::NoComplete) {
//!     lineedit::Input::Line(l) => { /* l has no newline */ }
//!     lineedit::Input::Eof | lineedit::Input::Interrupt => {}
//! }
//! ed.hist.save(b"/root/.ash_history");
//! ```
//!
//! The prompt may mark non-printing parts (colour escapes) between bytes 1 and 2
//! (`IGNORE_START`/`IGNORE_END`, what sh makes of `\[` and `\]`), so its width comes out
//! right. The whole line is redrawn from the prompt's last line after each change (one
//! write), with rows and columns computed from character widths (UTF-8, wide East Asian
//! characters), so long lines wrap and the cursor stays right; SIGWINCH re-reads the
//! width. Without a terminal, or with TERM=dumb, lines are read plainly: no escape codes.

use crate::sys;
use std::sync::atomic::{AtomicBool, Ordering};

pub const IGNORE_START: u8 = 1;
pub const IGNORE_END: u8 = 2;

/// A completion: the text that replaces the word, what a listing shows, and whether a
/// space follows when it is the only one.
pub struct Cand {
    pub text: Vec<u8>,
    pub show: Vec<u8>,
    pub space: bool,
}

/// What Tab completes: given the line and the cursor, where the word to replace starts and
/// the candidates for it.
pub trait Complete {
    fn complete(&mut self, line: &[u8], pos: usize) -> (usize, Vec<Cand>);
}

pub struct NoComplete;

impl Complete for NoComplete {
    fn complete(&mut self, _: &[u8], pos: usize) -> (usize, Vec<Cand>) {
        (pos, Vec::new())
    }
}

pub enum Input {
    Line(Vec<u8>),
    /// Ctrl-D on an empty line, or the end of the input.
    Eof,
    /// Ctrl-C: the line was dropped.
    Interrupt,
}

/// Earlier lines, oldest first; `lines[new..]` were added in this session.
pub struct History {
    pub lines: Vec<Vec<u8>>,
    pub max: usize,
    pub new: usize,
}

impl History {
    /// Adds a line, as BusyBox does: not an empty one, nor the same as the last.
    pub fn add(&mut self, l: &[u8]) {
        if l.is_empty() || self.lines.last().is_some_and(|p| p == l) || self.max == 0 {
            return;
        }
        self.lines.push(l.to_vec());
        self.trim();
    }

    /// Keeps the last `max` lines.
    fn trim(&mut self) {
        if self.lines.len() > self.max {
            let n = self.lines.len() - self.max;
            self.lines.drain(..n);
            self.new = self.new.saturating_sub(n);
        }
    }

    /// Reads a history file (one line each); its last `max` lines.
    pub fn load(&mut self, path: &[u8]) {
        use std::os::unix::ffi::OsStrExt;
        let Ok(data) = std::fs::read(std::ffi::OsStr::from_bytes(path)) else {
            return;
        };
        for l in data.split(|&c| c == b'\n') {
            if !l.is_empty() {
                self.lines.push(l.to_vec());
            }
        }
        self.trim();
        self.new = self.lines.len();
    }

    /// Adds this session's lines to the history file as it is now (another shell may have
    /// added its own meanwhile), keeping its last `max` lines; through a temporary file
    /// (mode 0600) renamed over it.
    pub fn save(&self, path: &[u8]) {
        use std::io::Write;
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = History {
            lines: Vec::new(),
            max: self.max,
            new: 0,
        };
        file.load(path);
        file.lines
            .extend(self.lines[self.new.min(self.lines.len())..].iter().cloned());
        file.trim();
        let mut data = Vec::new();
        for l in &file.lines {
            data.extend_from_slice(l);
            data.push(b'\n');
        }
        let tmp = [path, b".new"].concat();
        let tmp = std::ffi::OsStr::from_bytes(&tmp);
        let ok = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(tmp)
            .and_then(|mut f| f.write_all(&data));
        if ok.is_err() || std::fs::rename(tmp, std::ffi::OsStr::from_bytes(path)).is_err() {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// The editor: history, options and what persists between lines (the kill buffer).
pub struct Editor {
    pub hist: History,
    pub vi: bool,
    pub fd_in: i32,
    pub fd_out: i32,
    yank: Vec<u8>,
}

impl Default for Editor {
    fn default() -> Self {
        Editor::new()
    }
}

static WINCH: AtomicBool = AtomicBool::new(false);

extern "C" fn on_winch(_: libc::c_int) {
    WINCH.store(true, Ordering::Relaxed);
}

/// Display width of one character (given as its code point).
pub fn char_width(u: u32) -> usize {
    if u < 0x20 || u == 0x7f {
        return 2; // shown as ^X
    }
    if (0x300..=0x36f).contains(&u) || (0x200b..=0x200f).contains(&u) {
        return 0;
    }
    let wide = [
        (0x1100, 0x115f),
        (0x2e80, 0x303e),
        (0x3041, 0x33ff),
        (0x3400, 0x4dbf),
        (0x4e00, 0x9fff),
        (0xa000, 0xa4cf),
        (0xac00, 0xd7a3),
        (0xf900, 0xfaff),
        (0xfe30, 0xfe4f),
        (0xff00, 0xff60),
        (0xffe0, 0xffe6),
        (0x1f300, 0x1f64f),
        (0x1f900, 0x1f9ff),
        (0x20000, 0x3fffd),
    ];
    if wide.iter().any(|&(a, b)| (a..=b).contains(&u)) {
        2
    } else {
        1
    }
}

/// The character at the start of `s`: its code point (a stray byte stands for itself, as
/// U+FFFD would, one column) and its length in bytes.
fn decode(s: &[u8]) -> (u32, usize) {
    let Some(&b) = s.first() else { return (0, 0) };
    let n = match b {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return (if b < 0x80 { b as u32 } else { 0xfffd }, 1),
    };
    match s.get(..n).and_then(|c| std::str::from_utf8(c).ok()) {
        Some(c) => (c.chars().next().map_or(0xfffd, |c| c as u32), n),
        None => (0xfffd, 1),
    }
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

struct Term {
    saved: libc::termios,
}

/// Where the line is drawn: the state of one `read_line`.
struct Line<'a> {
    ed: &'a mut Editor,
    buf: Vec<u8>,
    pos: usize,
    /// The prompt's last line (what each redraw prints again) and its width.
    prompt: Vec<u8>,
    pwidth: usize,
    cols: usize,
    /// The cursor's row below the start of the prompt's last line.
    row: usize,
    out: Vec<u8>,
    /// History position while browsing (== len: the line being typed), and that line.
    hpos: usize,
    typed: Vec<u8>,
    /// vi: command mode.
    cmd: bool,
    /// A byte read ahead after a lone ESC in vi mode.
    back: Option<u8>,
    /// The first draw: the prompt goes where the cursor is (after output that did not end
    /// its line, a carriage return would overwrite it).
    first: bool,
}

impl Editor {
    pub fn new() -> Editor {
        Editor {
            hist: History {
                lines: Vec::new(),
                max: 255,
                new: 0,
            },
            vi: false,
            fd_in: 0,
            fd_out: 1,
            yank: Vec::new(),
        }
    }

    /// Whether editing is possible: input and output on a terminal that is not dumb.
    pub fn can_edit(&self) -> bool {
        sys::isatty(self.fd_in)
            && sys::isatty(self.fd_out)
            && std::env::var_os("TERM").is_none_or(|t| t != "dumb" && !t.is_empty())
    }

    /// Reads one line with the prompt shown (non-printing parts marked, see the module).
    pub fn read_line(&mut self, prompt: &[u8], comp: &mut dyn Complete) -> Input {
        self.read_line_with(prompt, b"", comp)
    }

    /// As `read_line`, the line starting as `init` with the cursor at its end (bash's
    /// `read -e -i TEXT`).
    pub fn read_line_with(&mut self, prompt: &[u8], init: &[u8], comp: &mut dyn Complete) -> Input {
        if !self.can_edit() {
            return self.read_plain(prompt);
        }
        let Some(t) = self.raw() else {
            return self.read_plain(prompt);
        };
        // SAFETY: installing a handler that only stores to an atomic; the old one is put
        // back below.
        let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_winch as *const () as usize;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(libc::SIGWINCH, &sa, &mut old);
        }
        // The prompt's earlier lines are printed once; the last is redrawn as needed.
        let (head, last) = match prompt.iter().rposition(|&c| c == b'\n') {
            Some(i) => prompt.split_at(i + 1),
            None => (&prompt[..0], prompt),
        };
        let hpos = self.hist.lines.len();
        let mut l = Line {
            cols: sys::term_width(self.fd_out).unwrap_or(80),
            ed: self,
            buf: init.to_vec(),
            pos: init.len(),
            prompt: Vec::new(),
            pwidth: 0,
            row: 0,
            out: Vec::new(),
            hpos,
            typed: Vec::new(),
            cmd: false,
            back: None,
            first: false,
        };
        l.set_prompt(last);
        for &c in head {
            match c {
                IGNORE_START | IGNORE_END => {}
                b'\n' => l.out.extend_from_slice(b"\r\n"),
                c => l.out.push(c),
            }
        }
        l.first = true;
        l.redraw();
        let r = l.run(comp);
        // SAFETY: restoring what we changed.
        unsafe {
            libc::tcsetattr(self.fd_in, libc::TCSADRAIN, &t.saved);
            libc::sigaction(libc::SIGWINCH, &old, std::ptr::null_mut());
        }
        r
    }

    /// Without a terminal: the prompt, then bytes up to a newline (no escape codes).
    pub fn read_plain(&mut self, prompt: &[u8]) -> Input {
        let p: Vec<u8> = prompt
            .iter()
            .copied()
            .filter(|&c| c != IGNORE_START && c != IGNORE_END)
            .collect();
        let _ = sys::write_all(self.fd_out, &p);
        let mut line = Vec::new();
        let mut b = [0u8; 1];
        loop {
            match sys::read(self.fd_in, &mut b) {
                Ok(1) if b[0] == b'\n' => return Input::Line(line),
                Ok(1) => line.push(b[0]),
                _ if line.is_empty() => return Input::Eof,
                _ => return Input::Line(line),
            }
        }
    }

    fn raw(&self) -> Option<Term> {
        // SAFETY: termios is plain data filled by tcgetattr.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(self.fd_in, &mut t) != 0 {
                return None;
            }
            let saved = t;
            // Keys arrive one by one, unechoed; Ctrl-C and Ctrl-Z are keys here, not
            // signals (the line is ours to clear).
            t.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ECHONL | libc::ISIG | libc::IEXTEN);
            t.c_iflag &= !(libc::ICRNL | libc::INLCR | libc::IXON);
            // Output as written: every line end here is an explicit CR LF.
            t.c_oflag &= !libc::OPOST;
            t.c_cc[libc::VMIN] = 1;
            t.c_cc[libc::VTIME] = 0;
            if libc::tcsetattr(self.fd_in, libc::TCSADRAIN, &t) != 0 {
                return None;
            }
            Some(Term { saved })
        }
    }
}

/// The display width of a prompt (marked parts skipped) and the bytes to print.
fn prompt_parts(p: &[u8]) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(p.len());
    let mut w = 0;
    let mut hidden = false;
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            IGNORE_START => hidden = true,
            IGNORE_END => hidden = false,
            0x1b if p.get(i + 1) == Some(&b'[') => {
                // An unmarked colour escape: printed, no width.
                let e = p[i + 2..]
                    .iter()
                    .position(|c| (0x40..=0x7e).contains(c))
                    .map_or(p.len(), |k| i + 3 + k);
                out.extend_from_slice(&p[i..e]);
                i = e;
                continue;
            }
            c => {
                let (u, n) = decode(&p[i..]);
                out.extend_from_slice(&p[i..i + n]);
                if !hidden && c != 0x1b {
                    w += char_width(u).min(if u < 0x20 { 0 } else { 2 });
                }
                i += n;
                continue;
            }
        }
        i += 1;
    }
    (out, w)
}

const UP: u8 = 0x80;
const DOWN: u8 = 0x81;
const RIGHT: u8 = 0x82;
const LEFT: u8 = 0x83;
const HOME: u8 = 0x84;
const END: u8 = 0x85;
const DELETE: u8 = 0x86;
const WORD_LEFT: u8 = 0x87;
const WORD_RIGHT: u8 = 0x88;
const KILL_WORD: u8 = 0x89;
const KILL_WORD_BACK: u8 = 0x8a;
const ESC: u8 = 0x1b;
/// A key the editor ignores (an unknown escape sequence).
const NONE: u8 = 0x8f;

impl Line<'_> {
    fn set_prompt(&mut self, p: &[u8]) {
        let (text, w) = prompt_parts(p);
        self.prompt = text;
        self.pwidth = w;
    }

    /// Row and column after the prompt and `buf[..upto]` (a character that does not fit
    /// at the end of a row goes to the next, as the terminal wraps it); and whether the
    /// last one filled its row exactly (the terminal then waits to wrap).
    fn place(&self, upto: usize) -> (usize, usize, bool) {
        let cols = self.cols.max(1);
        let (mut r, mut c) = (self.pwidth / cols, self.pwidth % cols);
        let mut full = self.pwidth > 0 && c == 0;
        if full {
            // The prompt filled its row: the terminal sits at its end until more comes.
            r -= 1;
            c = cols;
        }
        let mut i = 0;
        while i < upto.min(self.buf.len()) {
            let (u, n) = decode(&self.buf[i..]);
            let w = char_width(u);
            if c + w > cols {
                r += 1;
                c = 0;
            }
            c += w;
            full = c == cols;
            i += n;
        }
        if c >= cols {
            (r + 1, 0, full)
        } else {
            (r, c, false)
        }
    }

    /// Redraws the prompt's last line and the text, then puts the cursor at `pos`.
    fn redraw(&mut self) {
        let mut o = std::mem::take(&mut self.out);
        if self.row > 0 {
            csi(&mut o, self.row, b'A');
        }
        if !std::mem::take(&mut self.first) {
            o.push(b'\r');
        }
        o.extend_from_slice(&self.prompt);
        let (er, _, full) = self.place(self.buf.len());
        // A prompt that filled its row exactly, followed by nothing: wrap it now.
        let pfull = self.pwidth > 0 && self.pwidth.is_multiple_of(self.cols.max(1));
        for &c in &self.buf {
            if c < 0x20 || c == 0x7f {
                o.push(b'^');
                o.push(c ^ 0x40);
            } else {
                o.push(c);
            }
        }
        if full || (self.buf.is_empty() && pfull) {
            o.extend_from_slice(b"\r\n");
        }
        o.extend_from_slice(b"\x1b[J");
        let (cr, cc, _) = self.place(self.pos);
        if self.pos < self.buf.len() {
            if er > cr {
                csi(&mut o, er - cr, b'A');
            }
            o.push(b'\r');
            if cc > 0 {
                csi(&mut o, cc, b'C');
            }
        }
        self.row = cr;
        let _ = sys::write_all(self.ed.fd_out, &o);
        o.clear();
        self.out = o;
    }

    /// Moves past the text and to a new line (Enter, Ctrl-C, a listing), `extra` first.
    fn finish_line(&mut self, extra: &[u8]) {
        let end = self.buf.len();
        if self.pos != end {
            self.pos = end;
            self.redraw();
        }
        let _ = sys::write_all(self.ed.fd_out, &[extra, b"\r\n"].concat());
        self.row = 0;
    }

    fn key(&mut self) -> Option<u8> {
        if let Some(k) = self.back.take() {
            return Some(k);
        }
        let mut b = [0u8; 1];
        loop {
            if WINCH.swap(false, Ordering::Relaxed) {
                self.cols = sys::term_width(self.ed.fd_out).unwrap_or(self.cols);
                self.redraw();
            }
            // SAFETY: reads one byte into a valid buffer.
            let n = unsafe { libc::read(self.ed.fd_in, b.as_mut_ptr().cast(), 1) };
            if n == 1 {
                return Some(b[0]);
            }
            if n < 0 && sys::errno() == libc::EINTR {
                continue;
            }
            return None;
        }
    }

    /// The next byte if one comes within `ms` (the rest of an escape sequence).
    fn key_soon(&mut self, ms: i32) -> Option<u8> {
        if self.back.is_some() {
            return self.key();
        }
        let mut p = libc::pollfd {
            fd: self.ed.fd_in,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        if unsafe { libc::poll(&mut p, 1, ms) } <= 0 {
            return None;
        }
        self.key()
    }

    /// A key with escape sequences decoded into the codes above; ESC alone (vi) is ESC.
    fn read_key(&mut self) -> Option<u8> {
        let k = self.key()?;
        if k != ESC {
            // A stray UTF-8 continuation byte must not pass for one of the codes above.
            return Some(if (0x80..=NONE).contains(&k) { NONE } else { k });
        }
        let Some(k2) = self.key_soon(if self.ed.vi { 50 } else { 500 }) else {
            return Some(ESC);
        };
        if self.ed.vi && k2 != b'[' && k2 != b'O' {
            // vi: ESC, then a command typed quickly.
            self.back = Some(k2);
            return Some(ESC);
        }
        Some(match k2 {
            b'[' | b'O' => {
                let mut num = 0u32;
                let mut args = 0;
                loop {
                    let c = self.key_soon(100).unwrap_or(b'~');
                    match c {
                        b'0'..=b'9' => {
                            num = num.saturating_mul(10).saturating_add((c - b'0') as u32)
                        }
                        b';' => {
                            args += 1;
                            num = 0;
                        }
                        _ => {
                            let ctrl = args > 0 && num >= 5;
                            break match c {
                                b'A' => UP,
                                b'B' => DOWN,
                                b'C' if ctrl => WORD_RIGHT,
                                b'D' if ctrl => WORD_LEFT,
                                b'C' => RIGHT,
                                b'D' => LEFT,
                                b'H' => HOME,
                                b'F' => END,
                                b'~' => match num {
                                    1 | 7 => HOME,
                                    4 | 8 => END,
                                    3 => DELETE,
                                    _ => NONE,
                                },
                                _ => NONE,
                            };
                        }
                    }
                }
            }
            b'b' | b'B' => WORD_LEFT,
            b'f' | b'F' => WORD_RIGHT,
            b'd' | b'D' => KILL_WORD,
            0x7f | 0x08 => KILL_WORD_BACK,
            _ => NONE,
        })
    }

    fn insert(&mut self, s: &[u8]) {
        self.buf.splice(self.pos..self.pos, s.iter().copied());
        self.pos += s.len();
    }

    fn prev(&self, i: usize) -> usize {
        let mut j = i.saturating_sub(1);
        while j > 0 && (self.buf[j] & 0xc0) == 0x80 {
            j -= 1;
        }
        j
    }

    fn next(&self, i: usize) -> usize {
        if i >= self.buf.len() {
            return self.buf.len();
        }
        i + decode(&self.buf[i..]).1
    }

    fn word_left(&self) -> usize {
        let mut i = self.pos;
        while i > 0 && !is_word(self.buf[i - 1]) {
            i -= 1;
        }
        while i > 0 && is_word(self.buf[i - 1]) {
            i -= 1;
        }
        i
    }

    fn word_right(&self) -> usize {
        let mut i = self.pos;
        let n = self.buf.len();
        while i < n && !is_word(self.buf[i]) {
            i += 1;
        }
        while i < n && is_word(self.buf[i]) {
            i += 1;
        }
        i
    }

    /// Removes `a..b`, keeping it for Ctrl-Y.
    fn kill(&mut self, a: usize, b: usize) {
        if a < b {
            self.ed.yank = self.buf.drain(a..b).collect();
            self.pos = a;
        }
    }

    fn history(&mut self, to: usize) {
        let n = self.ed.hist.lines.len();
        if to > n || to == self.hpos {
            return;
        }
        if self.hpos == n {
            self.typed = std::mem::take(&mut self.buf);
        }
        self.hpos = to;
        self.buf = if to == n {
            std::mem::take(&mut self.typed)
        } else {
            self.ed.hist.lines[to].clone()
        };
        self.pos = self.buf.len();
        if self.cmd {
            self.pos = 0;
        }
    }

    fn bell(&self) {
        let _ = sys::write_all(self.ed.fd_out, b"\x07");
    }

    fn run(&mut self, comp: &mut dyn Complete) -> Input {
        let mut last_tab = false;
        loop {
            let Some(k) = self.read_key() else {
                // The terminal went away: what was typed still counts.
                return if self.buf.is_empty() {
                    Input::Eof
                } else {
                    Input::Line(std::mem::take(&mut self.buf))
                };
            };
            let tab = k == b'\t' && !self.cmd;
            if self.cmd {
                if let Some(r) = self.vi_command(k) {
                    return r;
                }
            } else if let Some(r) = self.edit_key(k, last_tab, comp) {
                return r;
            }
            last_tab = tab;
        }
    }

    /// One key in Emacs (or vi insert) mode; Some when the line is done.
    fn edit_key(&mut self, k: u8, last_tab: bool, comp: &mut dyn Complete) -> Option<Input> {
        let ctrl = |c: u8| c & 0x1f;
        match k {
            b'\r' | b'\n' => {
                self.finish_line(b"");
                return Some(Input::Line(std::mem::take(&mut self.buf)));
            }
            k if k == ctrl(b'c') => {
                self.finish_line(b"^C");
                return Some(Input::Interrupt);
            }
            k if k == ctrl(b'd') => {
                if self.buf.is_empty() {
                    let _ = sys::write_all(self.ed.fd_out, b"\r\n");
                    return Some(Input::Eof);
                }
                let n = self.next(self.pos);
                self.buf.drain(self.pos..n);
            }
            ESC if self.ed.vi => {
                self.cmd = true;
                self.pos = self.prev(self.pos);
            }
            k if k == ctrl(b'a') || k == HOME => self.pos = 0,
            k if k == ctrl(b'e') || k == END => self.pos = self.buf.len(),
            k if k == ctrl(b'b') || k == LEFT => self.pos = self.prev(self.pos),
            k if k == ctrl(b'f') || k == RIGHT => self.pos = self.next(self.pos),
            k if k == ctrl(b'h') || k == 0x7f => {
                if self.pos > 0 {
                    let p = self.prev(self.pos);
                    self.buf.drain(p..self.pos);
                    self.pos = p;
                }
            }
            DELETE => {
                let n = self.next(self.pos);
                self.buf.drain(self.pos..n);
            }
            k if k == ctrl(b'k') => self.kill(self.pos, self.buf.len()),
            k if k == ctrl(b'u') => self.kill(0, self.pos),
            k if k == ctrl(b'w') => {
                // Back over blanks, then to the previous blank (readline's unix-word-rubout).
                let mut i = self.pos;
                while i > 0 && self.buf[i - 1] == b' ' {
                    i -= 1;
                }
                while i > 0 && self.buf[i - 1] != b' ' {
                    i -= 1;
                }
                self.kill(i, self.pos);
            }
            KILL_WORD_BACK => self.kill(self.word_left(), self.pos),
            KILL_WORD => self.kill(self.pos, self.word_right()),
            WORD_LEFT => self.pos = self.word_left(),
            WORD_RIGHT => self.pos = self.word_right(),
            k if k == ctrl(b'y') => {
                let y = self.ed.yank.clone();
                self.insert(&y);
            }
            k if k == ctrl(b't') => {
                // Swap the characters before and at the cursor (the last two at the end).
                if self.pos == self.buf.len() {
                    self.pos = self.prev(self.pos);
                }
                if self.pos > 0 {
                    let a = self.prev(self.pos);
                    let b = self.next(self.pos);
                    let mut s = self.buf[self.pos..b].to_vec();
                    s.extend_from_slice(&self.buf[a..self.pos]);
                    self.buf.splice(a..b, s);
                    self.pos = b;
                }
            }
            k if k == ctrl(b'l') => {
                let _ = sys::write_all(self.ed.fd_out, b"\x1b[H\x1b[2J");
                self.row = 0;
            }
            k if k == ctrl(b'p') || k == UP => self.history(self.hpos.wrapping_sub(1)),
            k if k == ctrl(b'n') || k == DOWN => self.history(self.hpos + 1),
            k if k == ctrl(b'r') => return self.search(),
            b'\t' => {
                self.complete(comp, last_tab);
                return None;
            }
            k if (0x80..=NONE).contains(&k) => return None,
            k if k < 0x20 => return None,
            k => {
                // A UTF-8 character comes whole.
                let mut s = vec![k];
                let n = decode(&[k, 0x80, 0x80, 0x80]).1;
                while s.len() < n {
                    match self.key_soon(100) {
                        Some(c) => s.push(c),
                        None => break,
                    }
                }
                let at_end = self.pos == self.buf.len();
                self.insert(&s);
                if at_end && self.row == self.place(self.pos).0 && self.place(self.pos).1 > 0 {
                    // The common case, typing at the end within the row: just the character.
                    self.row = self.place(self.pos).0;
                    let _ = sys::write_all(self.ed.fd_out, &s);
                    return None;
                }
            }
        }
        self.redraw();
        None
    }

    fn complete(&mut self, comp: &mut dyn Complete, list: bool) {
        let (start, c) = comp.complete(&self.buf, self.pos);
        let start = start.min(self.pos);
        if c.is_empty() {
            self.bell();
            return;
        }
        if c.len() == 1 {
            let mut t = c[0].text.clone();
            if c[0].space {
                t.push(b' ');
            }
            self.buf.splice(start..self.pos, t.iter().copied());
            self.pos = start + t.len();
            self.redraw();
            return;
        }
        // The longest common prefix goes in; a second Tab lists them all.
        let mut n = c[0].text.len();
        for x in &c[1..] {
            n = n.min(
                x.text
                    .iter()
                    .zip(&c[0].text)
                    .take_while(|(a, b)| a == b)
                    .count(),
            );
        }
        if n > self.pos - start {
            let t = c[0].text[..n].to_vec();
            self.buf.splice(start..self.pos, t.iter().copied());
            self.pos = start + n;
            self.redraw();
            return;
        }
        if !list {
            self.bell();
            return;
        }
        let keep = self.pos;
        self.finish_line(b"");
        let w = c.iter().map(|x| width(&x.show)).max().unwrap_or(0) + 2;
        let per = (self.cols / w).max(1);
        let rows = c.len().div_ceil(per);
        let mut o = Vec::new();
        for r in 0..rows {
            for k in 0..per {
                let Some(x) = c.get(k * rows + r) else { break };
                o.extend_from_slice(&x.show);
                if k + 1 < per && (k + 1) * rows + r < c.len() {
                    o.resize(o.len() + w - width(&x.show), b' ');
                }
            }
            o.extend_from_slice(b"\r\n");
        }
        let _ = sys::write_all(self.ed.fd_out, &o);
        self.pos = keep;
        self.redraw();
    }

    /// Ctrl-R: a reverse incremental search; Enter runs the match, Ctrl-G/Ctrl-C gives the
    /// line back as it was, any other key edits the match.
    fn search(&mut self) -> Option<Input> {
        let (saved_p, saved_w) = (std::mem::take(&mut self.prompt), self.pwidth);
        let (saved_buf, saved_pos) = (self.buf.clone(), self.pos);
        let mut q: Vec<u8> = Vec::new();
        let mut at = self.ed.hist.lines.len();
        let mut failed = false;
        loop {
            let mut p = if failed {
                b"(failed reverse-i-search)`".to_vec()
            } else {
                b"(reverse-i-search)`".to_vec()
            };
            p.extend_from_slice(&q);
            p.extend_from_slice(b"': ");
            self.set_prompt(&p);
            self.redraw();
            let k = self.read_key();
            let find = |from: usize, q: &[u8], h: &History| -> Option<(usize, usize)> {
                (0..from).rev().find_map(|i| {
                    let l = &h.lines[i];
                    (0..=l.len().saturating_sub(q.len()))
                        .rev()
                        .find(|&j| l[j..].starts_with(q))
                        .map(|j| (i, j))
                })
            };
            match k {
                Some(0x12) => {
                    if let Some((i, j)) = find(at, &q, &self.ed.hist) {
                        at = i;
                        self.buf = self.ed.hist.lines[i].clone();
                        self.pos = j;
                        failed = false;
                    } else {
                        failed = true;
                    }
                }
                Some(0x7f | 0x08) => {
                    q.pop();
                    at = self.ed.hist.lines.len();
                    if let Some((i, j)) = find(at, &q, &self.ed.hist) {
                        at = i;
                        self.buf = self.ed.hist.lines[i].clone();
                        self.pos = j;
                    }
                    failed = false;
                }
                Some(c) if (0x20..0x7f).contains(&c) => {
                    q.push(c);
                    let from = (at + 1).min(self.ed.hist.lines.len());
                    if let Some((i, j)) = find(from, &q, &self.ed.hist) {
                        at = i;
                        self.buf = self.ed.hist.lines[i].clone();
                        self.pos = j;
                        failed = false;
                    } else {
                        failed = true;
                    }
                }
                Some(0x07 | 0x03) | None => {
                    self.prompt = saved_p;
                    self.pwidth = saved_w;
                    self.buf = saved_buf;
                    self.pos = saved_pos;
                    self.redraw();
                    return None;
                }
                Some(k) => {
                    self.prompt = saved_p;
                    self.pwidth = saved_w;
                    self.hpos = self.ed.hist.lines.len();
                    if k == b'\r' || k == b'\n' {
                        self.finish_line(b"");
                        return Some(Input::Line(std::mem::take(&mut self.buf)));
                    }
                    self.redraw();
                    return self.edit_key(k, false, &mut NoComplete);
                }
            }
        }
    }

    /// One key in vi command mode; Some when the line is done.
    fn vi_command(&mut self, k: u8) -> Option<Input> {
        let end = self.buf.len();
        let last = self.prev(end);
        match k {
            b'\r' | b'\n' => {
                self.cmd = false;
                self.finish_line(b"");
                return Some(Input::Line(std::mem::take(&mut self.buf)));
            }
            0x03 => {
                self.cmd = false;
                self.finish_line(b"^C");
                return Some(Input::Interrupt);
            }
            b'h' | LEFT | 0x08 | 0x7f => self.pos = self.prev(self.pos),
            b'l' | RIGHT | b' ' => self.pos = self.next(self.pos).min(last),
            b'0' | HOME => self.pos = 0,
            b'$' | END => self.pos = last,
            b'w' => self.pos = self.vi_word_end(false).min(last.max(self.pos)),
            b'e' => self.pos = self.vi_word_end(true),
            b'b' => self.pos = self.word_left(),
            b'x' | DELETE => {
                let n = self.next(self.pos);
                self.kill(self.pos, n);
                self.pos = self.pos.min(self.prev(self.buf.len()));
            }
            b'X' => {
                let p = self.prev(self.pos);
                self.kill(p, self.pos);
            }
            b'D' => self.kill(self.pos, end),
            b'i' => self.cmd = false,
            b'a' => {
                self.cmd = false;
                self.pos = self.next(self.pos);
            }
            b'A' => {
                self.cmd = false;
                self.pos = end;
            }
            b'I' => {
                self.cmd = false;
                self.pos = 0;
            }
            b'C' => {
                self.kill(self.pos, end);
                self.cmd = false;
            }
            b'p' => {
                let y = self.ed.yank.clone();
                self.pos = self.next(self.pos);
                self.insert(&y);
                self.pos = self.prev(self.pos);
            }
            b'P' => {
                let y = self.ed.yank.clone();
                self.insert(&y);
                self.pos = self.prev(self.pos);
            }
            b'd' | b'c' => {
                let m = self.read_key();
                let to = match m {
                    Some(b'd') if k == b'd' => {
                        self.kill(0, end);
                        self.redraw();
                        return None;
                    }
                    Some(b'c') if k == b'c' => {
                        self.kill(0, end);
                        self.cmd = false;
                        self.redraw();
                        return None;
                    }
                    Some(b'w') if k == b'c' => self.vi_word_end(true).max(self.pos),
                    Some(b'w') => self.vi_word_end(false),
                    Some(b'e') => self.vi_word_end(true),
                    Some(b'$') => end,
                    Some(b'0') => {
                        self.kill(0, self.pos);
                        self.cmd = k == b'd';
                        self.redraw();
                        return None;
                    }
                    Some(b'b') => {
                        let b = self.word_left();
                        self.kill(b, self.pos);
                        self.cmd = k == b'd';
                        self.redraw();
                        return None;
                    }
                    _ => {
                        self.bell();
                        return None;
                    }
                };
                self.kill(self.pos, to);
                if k == b'c' {
                    self.cmd = false;
                } else {
                    self.pos = self.pos.min(self.prev(self.buf.len()));
                }
            }
            b'k' | b'-' | UP => self.history(self.hpos.wrapping_sub(1)),
            b'j' | b'+' | DOWN => self.history(self.hpos + 1),
            _ => self.bell(),
        }
        self.redraw();
        None
    }

    /// `w` (start of the next word) or, with `end`, `e` (just past the end of this or the
    /// next word, for `cw`/`de`; the cursor goes to its last character).
    fn vi_word_end(&self, end: bool) -> usize {
        let n = self.buf.len();
        let mut i = self.pos;
        let class = |c: u8| {
            if c == b' ' || c == b'\t' {
                0
            } else if is_word(c) {
                1
            } else {
                2
            }
        };
        if end {
            if i < n
                && (i + 1 >= n || class(self.buf[i + 1]) != class(self.buf[i]))
                && class(self.buf[i]) != 0
            {
                return i + 1;
            }
            i += 1;
            while i < n && class(self.buf[i]) == 0 {
                i += 1;
            }
            let c = self.buf.get(i).map_or(0, |&c| class(c));
            while i < n && class(self.buf[i]) == c {
                i += 1;
            }
            return i;
        }
        if i < n {
            let c = class(self.buf[i]);
            while i < n && class(self.buf[i]) == c && c != 0 {
                i += 1;
            }
        }
        while i < n && class(self.buf[i]) == 0 {
            i += 1;
        }
        i
    }
}

fn csi(o: &mut Vec<u8>, n: usize, c: u8) {
    o.extend_from_slice(b"\x1b[");
    let mut b = [0u8; 20];
    o.extend_from_slice(crate::cx::fmt_u64(n as u64, &mut b));
    o.push(c);
}

/// Display width of a byte string.
pub fn width(s: &[u8]) -> usize {
    let mut i = 0;
    let mut w = 0;
    while i < s.len() {
        let (u, n) = decode(&s[i..]);
        w += char_width(u);
        i += n;
    }
    w
}
