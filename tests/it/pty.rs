//! A pseudo-terminal harness for interactive tests: start rbox's (or BusyBox's) applet as
//! the session leader of a fresh pty, type keys at it, and wait for what it prints.
//!
//! ```ignore
//! let d = Dir::new();
//! let mut t = pty::sh(&d).env("PS1", "$ ").size(40, 10).start();
//! t.expect("$ ");
//! t.send("echo hi\r");
//! t.expect("hi\r\n");
//! t.send(pty::CTRL_D);
//! assert_eq!(t.wait(), Some(0));
//! ```
//!
//! Nothing sleeps for a fixed time: `expect` polls the master until the text shows up or
//! the timeout (5 s; RBOX_PTY_TIMEOUT seconds to change it) passes, then panics with
//! everything the program printed, escapes shown. The child is its own session and process
//! group with the pty as its controlling terminal, so job control and signals from keys
//! (Ctrl-C, Ctrl-Z) behave as on a real terminal. Dropping a `Term` kills its process
//! group.

#![allow(dead_code)]

use crate::common::*;
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

pub const CTRL_C: &str = "\x03";
pub const CTRL_D: &str = "\x04";
pub const CTRL_Z: &str = "\x1a";
pub const TAB: &str = "\t";
pub const UP: &str = "\x1b[A";
pub const DOWN: &str = "\x1b[B";
pub const RIGHT: &str = "\x1b[C";
pub const LEFT: &str = "\x1b[D";
pub const HOME: &str = "\x1b[H";
pub const END: &str = "\x1b[F";
pub const DEL: &str = "\x1b[3~";

/// The byte Ctrl plus `c` sends (`ctrl('a')` is 1).
pub fn ctrl(c: char) -> String {
    ((c as u8 & 0x1f) as char).to_string()
}

/// What to start: an applet with its arguments and environment, on a pty of some size.
pub struct Spawn {
    applet: String,
    args: Vec<String>,
    env: Vec<(String, String)>,
    dir: std::path::PathBuf,
    cols: u16,
    rows: u16,
    busybox: bool,
}

/// rbox's `sh` in `dir` with HOME=dir, TERM=xterm, PS1="$ ", on an 80x24 pty.
pub fn sh(dir: &Dir) -> Spawn {
    applet(dir, "sh")
}

/// BusyBox's `sh` with the same set-up (check `has_busybox()` first).
pub fn bb_sh(dir: &Dir) -> Spawn {
    let mut s = applet(dir, "sh");
    s.busybox = true;
    s
}

/// Any rbox applet, set up as `sh` is.
pub fn applet(dir: &Dir, name: &str) -> Spawn {
    let path = std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into());
    Spawn {
        applet: name.into(),
        args: Vec::new(),
        env: vec![
            ("PATH".into(), path),
            ("HOME".into(), dir.path.to_string_lossy().into_owned()),
            ("TERM".into(), "xterm".into()),
            ("LC_ALL".into(), "C".into()),
            ("PS1".into(), "$ ".into()),
        ],
        dir: dir.path.clone(),
        cols: 80,
        rows: 24,
        busybox: false,
    }
}

impl Spawn {
    pub fn arg(mut self, a: &str) -> Spawn {
        self.args.push(a.into());
        self
    }
    pub fn args(mut self, a: &[&str]) -> Spawn {
        self.args.extend(a.iter().map(|s| s.to_string()));
        self
    }
    /// Sets (or replaces) one environment variable; the environment starts with only
    /// PATH, HOME, TERM, LC_ALL and PS1.
    pub fn env(mut self, k: &str, v: &str) -> Spawn {
        self.env.retain(|(a, _)| a != k);
        self.env.push((k.into(), v.into()));
        self
    }
    pub fn env_remove(mut self, k: &str) -> Spawn {
        self.env.retain(|(a, _)| a != k);
        self
    }
    pub fn size(mut self, cols: u16, rows: u16) -> Spawn {
        self.cols = cols;
        self.rows = rows;
        self
    }
    pub fn start(self) -> Term {
        let (master, slave) = open_pty(self.cols, self.rows);
        let mut run = if self.busybox {
            bb(&self.applet)
        } else {
            cmd(&self.applet)
        };
        let c = &mut run.cmd;
        c.args(&self.args).current_dir(&self.dir).env_clear();
        for (k, v) in &self.env {
            c.env(k, v);
        }
        for fd in 0..3 {
            let s = dup(slave);
            let st = Stdio::from(s);
            match fd {
                0 => c.stdin(st),
                1 => c.stdout(st),
                _ => c.stderr(st),
            };
        }
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            c.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = output_retrying_spawn(c);
        // SAFETY: our own descriptor; the child has its copies.
        unsafe { libc::close(slave) };
        Term {
            child: Some(child),
            master,
            out: Vec::new(),
            pos: 0,
            timeout: timeout(),
            cols: self.cols,
            rows: self.rows,
        }
    }
}

fn timeout() -> Duration {
    let s = std::env::var("RBOX_PTY_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    Duration::from_secs(s)
}

fn output_retrying_spawn(c: &mut std::process::Command) -> Child {
    loop {
        match c.spawn() {
            Ok(ch) => return ch,
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) => {
                std::thread::sleep(Duration::from_millis(20))
            }
            Err(e) => panic!("spawn on a pty: {e}"),
        }
    }
}

fn dup(fd: i32) -> std::os::fd::OwnedFd {
    use std::os::fd::FromRawFd;
    // SAFETY: duplicates a descriptor we own, close-on-exec (Command dup2s it into place).
    let n = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 3) };
    assert!(n >= 0, "dup");
    // SAFETY: just opened, owned by nobody else.
    unsafe { std::os::fd::OwnedFd::from_raw_fd(n) }
}

/// A master and slave, both close-on-exec (so other tests' children, forked at the same
/// time, do not keep the slave open), the slave sized.
fn open_pty(cols: u16, rows: u16) -> (i32, i32) {
    // SAFETY: plain libc calls on descriptors we own; the name buffer is big enough.
    unsafe {
        let m = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
        assert!(m >= 0, "posix_openpt");
        assert_eq!(libc::grantpt(m), 0, "grantpt");
        assert_eq!(libc::unlockpt(m), 0, "unlockpt");
        let mut name = [0 as libc::c_char; 128];
        assert_eq!(
            libc::ptsname_r(m, name.as_mut_ptr(), name.len()),
            0,
            "ptsname"
        );
        let s = libc::open(
            name.as_ptr(),
            libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
        );
        assert!(s >= 0, "open pty slave");
        set_size(m, cols, rows);
        (m, s)
    }
}

fn set_size(fd: i32, cols: u16, rows: u16) {
    let ws = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: ws is valid; fd is our master.
    unsafe { libc::ioctl(fd, libc::TIOCSWINSZ, &ws) };
}

/// A program running on a pty.
pub struct Term {
    child: Option<Child>,
    master: i32,
    /// Everything read from the master so far.
    pub out: Vec<u8>,
    /// Where the next `expect` starts looking.
    pos: usize,
    pub timeout: Duration,
    cols: u16,
    rows: u16,
}

impl Term {
    pub fn pid(&self) -> i32 {
        self.child.as_ref().map_or(0, |c| c.id() as i32)
    }

    /// Types bytes at the program.
    pub fn send(&mut self, b: impl AsRef<[u8]>) {
        let mut b = b.as_ref();
        while !b.is_empty() {
            // SAFETY: writes from a valid slice to our master.
            let n = unsafe { libc::write(self.master, b.as_ptr().cast(), b.len()) };
            if n < 0 {
                if std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                    continue;
                }
                panic!("write to pty: {}", std::io::Error::last_os_error());
            }
            b = &b[n as usize..];
        }
    }

    /// Reads what is there within `wait`; false at end of output (the slave closed).
    fn fill(&mut self, wait: Duration) -> bool {
        let mut p = libc::pollfd {
            fd: self.master,
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = wait.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd.
        let r = unsafe { libc::poll(&mut p, 1, ms) };
        if r <= 0 {
            return true;
        }
        let mut buf = [0u8; 4096];
        // SAFETY: reads into a valid buffer.
        let n = unsafe { libc::read(self.master, buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            // EIO: every slave descriptor is closed.
            return !(n == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EIO));
        }
        self.out.extend_from_slice(&buf[..n as usize]);
        true
    }

    /// Waits for `s` in the output after the last match; gives the text from there to the
    /// end of `s` and moves past it. Panics, showing the output, when it does not come.
    #[track_caller]
    pub fn expect(&mut self, s: &str) -> String {
        match self.try_expect(s) {
            Ok(t) => t,
            Err(seen) => panic!(
                "pty: waited {:?} for {s:?}; the program printed after the last match:\n{}\n(whole output: {})",
                self.timeout,
                seen,
                show(&self.out)
            ),
        }
    }

    /// `expect` that gives what it saw instead of panicking.
    pub fn try_expect(&mut self, s: &str) -> Result<String, String> {
        let end = Instant::now() + self.timeout;
        loop {
            if let Some(i) = find(&self.out[self.pos..], s.as_bytes()) {
                let from = self.pos;
                self.pos += i + s.len();
                return Ok(String::from_utf8_lossy(&self.out[from..self.pos]).into_owned());
            }
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() || !self.fill(left) {
                // One last look: the final read may have brought it.
                if let Some(i) = find(&self.out[self.pos..], s.as_bytes()) {
                    let from = self.pos;
                    self.pos += i + s.len();
                    return Ok(String::from_utf8_lossy(&self.out[from..self.pos]).into_owned());
                }
                return Err(show(&self.out[self.pos..]));
            }
        }
    }

    /// Reads whatever comes within `d` (for checking that nothing more comes; keep it
    /// short) and gives the output not yet matched, moving past it.
    pub fn drain(&mut self, d: Duration) -> String {
        let end = Instant::now() + d;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() || !self.fill(left) {
                break;
            }
        }
        let s = String::from_utf8_lossy(&self.out[self.pos..]).into_owned();
        self.pos = self.out.len();
        s
    }

    /// The unmatched output so far (without reading more).
    pub fn rest(&self) -> String {
        String::from_utf8_lossy(&self.out[self.pos..]).into_owned()
    }

    /// Resizes the terminal (the kernel sends SIGWINCH to its foreground group).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.cols = cols;
        self.rows = rows;
        set_size(self.master, cols, rows);
    }

    /// The screen as a simple VT100 shows it after all output so far: one string per row,
    /// trailing blanks cut. Knows printing (UTF-8 as one cell, wide CJK as two), CR, LF,
    /// BS, TAB, autowrap, and CSI A B C D G H f J K m (m ignored), and DSR (`ESC[6n`, ignored).
    pub fn screen_text(&self) -> Vec<String> {
        screen(&self.out, self.cols as usize, self.rows as usize)
    }

    /// Waits for the program to exit; its status (128+N for a signal), None on timeout.
    pub fn wait(&mut self) -> Option<i32> {
        use std::os::unix::process::ExitStatusExt;
        let end = Instant::now() + self.timeout;
        loop {
            if let Ok(Some(st)) = self.child.as_mut()?.try_wait() {
                self.child = None;
                return Some(st.code().unwrap_or_else(|| 128 + st.signal().unwrap_or(0)));
            }
            if Instant::now() >= end {
                return None;
            }
            // Keep reading so a program blocked on a full pty can finish.
            let _ = self.fill(Duration::from_millis(10));
        }
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            // SAFETY: signals our own child's process group (it called setsid), then itself.
            unsafe {
                libc::kill(-(c.id() as i32), libc::SIGKILL);
            }
            let _ = c.kill();
            let _ = c.wait();
        }
        // SAFETY: our own descriptor.
        unsafe { libc::close(self.master) };
    }
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    if n.is_empty() {
        return Some(0);
    }
    h.windows(n.len()).position(|w| w == n)
}

/// Output with control bytes made visible (`\e`, `\r`, `^X`), newlines kept.
pub fn show(b: &[u8]) -> String {
    let mut s = String::new();
    for ch in String::from_utf8_lossy(b).chars() {
        match ch {
            '\x1b' => s.push_str("\\e"),
            '\r' => s.push_str("\\r"),
            '\n' => s.push_str("\\n\n"),
            c if (c as u32) < 0x20 || c == '\x7f' => {
                s.push('^');
                s.push(((c as u8) ^ 0x40) as char);
            }
            c => s.push(c),
        }
    }
    s
}

fn width(c: char) -> usize {
    let u = c as u32;
    // East Asian wide ranges, roughly as wcwidth has them.
    if (0x1100..=0x115f).contains(&u)
        || (0x2e80..=0xa4cf).contains(&u)
        || (0xac00..=0xd7a3).contains(&u)
        || (0xf900..=0xfaff).contains(&u)
        || (0xfe30..=0xfe4f).contains(&u)
        || (0xff00..=0xff60).contains(&u)
        || (0xffe0..=0xffe6).contains(&u)
        || (0x1f300..=0x1faff).contains(&u)
        || (0x20000..=0x3fffd).contains(&u)
    {
        2
    } else if (0x300..=0x36f).contains(&u) || u == 0x200b {
        0
    } else {
        1
    }
}

fn screen(out: &[u8], cols: usize, rows: usize) -> Vec<String> {
    let (cols, rows) = (cols.max(1), rows.max(1));
    let mut g = vec![vec![' '; cols]; rows];
    let (mut r, mut c) = (0usize, 0usize);
    let mut pending = false; // at the right margin, the next character wraps first
    let text = String::from_utf8_lossy(out);
    let mut it = text.chars().peekable();
    let scroll = |g: &mut Vec<Vec<char>>| {
        g.remove(0);
        g.push(vec![' '; cols]);
    };
    while let Some(ch) = it.next() {
        match ch {
            '\r' => {
                c = 0;
                pending = false;
            }
            '\n' => {
                pending = false;
                if r + 1 == rows {
                    scroll(&mut g);
                } else {
                    r += 1;
                }
            }
            '\x08' => {
                pending = false;
                c = c.saturating_sub(1);
            }
            '\t' => c = ((c / 8 + 1) * 8).min(cols - 1),
            '\x07' => {}
            '\x1b' => {
                if it.peek() != Some(&'[') {
                    it.next();
                    continue;
                }
                it.next();
                let mut params = String::new();
                let mut fin = ' ';
                for x in it.by_ref() {
                    if x.is_ascii_digit() || x == ';' || x == '?' {
                        params.push(x);
                    } else {
                        fin = x;
                        break;
                    }
                }
                let nums: Vec<usize> = params
                    .trim_start_matches('?')
                    .split(';')
                    .map(|p| p.parse().unwrap_or(0))
                    .collect();
                let n = nums.first().copied().unwrap_or(0).max(1);
                pending = false;
                match fin {
                    'A' => r = r.saturating_sub(n),
                    'B' => r = (r + n).min(rows - 1),
                    'C' => c = (c + n).min(cols - 1),
                    'D' => c = c.saturating_sub(n),
                    'G' => c = (n - 1).min(cols - 1),
                    'H' | 'f' => {
                        r = (n - 1).min(rows - 1);
                        c = (nums.get(1).copied().unwrap_or(1).max(1) - 1).min(cols - 1);
                    }
                    'J' => {
                        let m = nums.first().copied().unwrap_or(0);
                        if m == 2 {
                            g = vec![vec![' '; cols]; rows];
                        } else {
                            for x in g[r].iter_mut().skip(c) {
                                *x = ' ';
                            }
                            for row in g.iter_mut().skip(r + 1) {
                                *row = vec![' '; cols];
                            }
                        }
                    }
                    'K' => {
                        for x in g[r].iter_mut().skip(c) {
                            *x = ' ';
                        }
                    }
                    _ => {}
                }
            }
            ch if (ch as u32) < 0x20 => {}
            ch => {
                let w = width(ch);
                if w == 0 {
                    continue;
                }
                if pending || c + w > cols {
                    c = 0;
                    pending = false;
                    if r + 1 == rows {
                        scroll(&mut g);
                    } else {
                        r += 1;
                    }
                }
                g[r][c] = ch;
                if w == 2 && c + 1 < cols {
                    g[r][c + 1] = '\0';
                }
                if c + w >= cols {
                    c = cols - 1;
                    pending = true;
                } else {
                    c += w;
                }
            }
        }
    }
    g.into_iter()
        .map(|row| {
            let s: String = row.into_iter().filter(|&x| x != '\0').collect();
            s.trim_end().to_string()
        })
        .collect()
}

#[test]
fn harness_echo_and_screen() {
    let d = Dir::new();
    // `cat` on the pty: the terminal's own echo, then cat's copy.
    let mut t = applet(&d, "cat").start();
    t.send("hello\r");
    t.expect("hello\r\nhello\r\n");
    t.send(CTRL_D);
    assert_eq!(t.wait(), Some(0));
    assert_eq!(screen(b"ab\r\ncd\x1b[1Dx", 10, 3), vec!["ab", "cx", ""]);
    // Autowrap waits for the next character; CR at the margin stays on the row.
    assert_eq!(screen(b"abcd\rX", 4, 2), vec!["Xbcd", ""]);
    assert_eq!(screen(b"abcde", 4, 2), vec!["abcd", "e"]);
    assert_eq!(
        screen(b"abcdef\x1b[A\x1b[1Dz\x1b[K", 4, 2),
        vec!["az", "ef"]
    );
}

#[test]
fn harness_busybox_ash() {
    if !has_busybox() {
        eprintln!("busybox-static not installed: skipped");
        return;
    }
    let d = Dir::new();
    let mut t = bb_sh(&d).start();
    t.expect("$ ");
    t.send("echo $((6*7))\r");
    t.expect("42\r\n$ ");
    t.send("exit 3\r");
    assert_eq!(t.wait(), Some(3));
}
