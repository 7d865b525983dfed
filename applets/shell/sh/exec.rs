//! Execution: the shell's state and the tree walk. Simple commands look up special
//! builtins, functions, regular builtins, rbox's in-process applets, then PATH; pipelines,
//! subshells, `&` and `$(...)` fork. Control flow (break, continue, return, exit and fatal
//! errors) travels as `Err(Flow)` up to whatever handles it.

use super::ast::*;
use super::builtins;
use super::parse::Parser;
use super::vars::{Map, Vars};
use crate::sys;
use std::borrow::Cow;
use std::ffi::OsStr;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Function calls, `eval` and `.` may nest this deep, and only while the stack has room
/// (see `Stack`).
pub const MAX_CALL_DEPTH: u32 = 100_000;

/// The stack as the shell found it: recursion (function calls, `eval`, nested parsing)
/// stops with an error while it is far from the limit, whatever the build's frame sizes.
#[derive(Clone, Copy)]
pub struct Stack {
    base: usize,
    budget: usize,
}

impl Stack {
    pub fn here() -> Stack {
        let x = 0u8;
        let base = std::hint::black_box(&x) as *const u8 as usize;
        // SAFETY: rlimit is plain data filled by getrlimit.
        let lim = unsafe {
            let mut r: libc::rlimit = std::mem::zeroed();
            libc::getrlimit(libc::RLIMIT_STACK, &mut r);
            r.rlim_cur
        };
        let lim = if lim == libc::RLIM_INFINITY { 8 << 20 } else { lim as usize };
        // Room for the environment and arguments above us, and for the deepest frames
        // below the last check (an applet run in-process, a builtin).
        Stack {
            base,
            budget: lim.saturating_sub(1 << 20).max(256 << 10),
        }
    }

    pub fn ok(&self) -> bool {
        let x = 0u8;
        let sp = std::hint::black_box(&x) as *const u8 as usize;
        self.base.saturating_sub(sp) < self.budget
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Break(u32),
    Continue(u32),
    Return(i32),
    /// `exit`, or an error that ends a non-interactive shell.
    Exit(i32),
}

pub type R<T = i32> = Result<T, Flow>;

#[derive(Default, Clone, Copy)]
pub struct Opts {
    pub e: bool,
    pub u: bool,
    pub x: bool,
    pub v: bool,
    pub f: bool,
    pub n: bool,
    pub a: bool,
    pub c: bool, // noclobber (-C)
    pub m: bool,
    pub b: bool,
    pub pipefail: bool,
    pub ignoreeof: bool,
    pub s: bool,
    pub i: bool,
    /// `set -o vi`: the line editor's vi mode.
    pub vi: bool,
    /// Started with -c (shown in `$-`).
    pub cmd: bool,
}

/// The signals that arrived and have a trap, as a bit mask (the one piece of state a signal
/// handler can reach).
pub static PENDING: AtomicU64 = AtomicU64::new(0);

extern "C" fn on_signal(sig: libc::c_int) {
    if (0..64).contains(&sig) {
        PENDING.fetch_or(1 << sig, Ordering::SeqCst);
    }
}

/// How a command name resolves, cached in the hash table.
#[derive(Clone)]
pub enum Found {
    Applet(&'static crate::Applet),
    Path(Vec<u8>),
}

pub struct Shell {
    pub vars: Vars,
    pub arg0: Vec<u8>,
    pub pos: Vec<Vec<u8>>,
    pub funcs: Map<Rc<Cmd>>,
    pub aliases: Map<Vec<u8>>,
    pub status: i32,
    pub opt: Opts,
    pub last_bg: Option<i32>,
    /// The job table and job control's state (jobs.rs).
    pub jobs: super::jobs::Jobs,
    /// 0 = EXIT, 1..64 signals.
    pub traps: Vec<Option<Vec<u8>>>,
    pub calls: u32,
    pub loops: u32,
    /// Name in messages after arg0: the script, or a builtin while it runs.
    pub cmdname: Option<Cow<'static, [u8]>>,
    pub script: Option<Vec<u8>>,
    pub line: u32,
    pub pid: i32,
    pub hash: Map<Found>,
    /// >0 inside a condition, where `set -e` does not apply.
    pub no_errexit: u32,
    pub forked: bool,
    /// Status of the last command substitution (for a command of assignments only).
    pub subst_status: Option<i32>,
    pub start: std::time::Instant,
    pub random: u32,
    pub in_trap: bool,
    env_cache: (u64, Vec<Vec<u8>>),
    /// rbox's own executable (device, inode), to know a PATH hit that is really us.
    me: Option<(u64, u64)>,
    pub optpos: usize,
    /// In a subshell, the parent's traps, which `trap` still lists until one is set.
    pub inherited: Option<Vec<Option<Vec<u8>>>>,
    /// Set by `exec` without a command: its redirections stay.
    pub keep_redirs: bool,
    pub stack: Stack,
    /// rbox's own executable, to exec applets that have no link.
    pub exe: Option<Vec<u8>>,
    /// The running function's name ($FUNCNAME) and, per call, options saved by `local -`.
    pub funcname: Vec<u8>,
    pub saved_opts: Vec<Option<Opts>>,
    /// The next simple command is the last thing this forked child does.
    exec_tail: bool,
    /// The script's last command may replace the shell (`sh -c CMD`, a script file), as
    /// ash execs it instead of forking when no trap needs the shell afterwards.
    pub top_exec: bool,
    /// The interactive shell's line editor (history), taken out while it reads a line.
    pub editor: Option<Box<crate::lineedit::Editor>>,
    /// The last `Flow::Exit` came from an error that ends only a non-interactive shell.
    pub error_exit: bool,
}

impl Shell {
    pub fn new(arg0: &[u8]) -> Shell {
        let mut vars = Vars::default();
        for e in sys::environ() {
            if let Some(eq) = e.iter().position(|&c| c == b'=') {
                let (k, v) = (&e[..eq], &e[eq + 1..]);
                if super::parse::is_valid_name(k) {
                    let _ = vars.set(k, v);
                    vars.flag(k, true, false);
                }
            }
        }
        // SAFETY: getpid/getppid cannot fail.
        let (pid, ppid) = unsafe { (libc::getpid(), libc::getppid()) };
        let _ = vars.set(b"PPID", &super::expand::num(ppid as i64));
        if vars.get(b"IFS").is_none() {
            let _ = vars.set(b"IFS", b" \t\n");
        }
        if vars.get(b"PS4").is_none() {
            let _ = vars.set(b"PS4", b"+ ");
        }
        let _ = vars.set(b"OPTIND", b"1");
        if vars.get(b"PATH").is_none() {
            let _ = vars.set(
                b"PATH",
                b"/sbin:/usr/sbin:/bin:/usr/bin",
            );
        }
        match std::env::current_dir() {
            Ok(d) => {
                let d = d.as_os_str().as_bytes().to_vec();
                // Keep a logical $PWD from the environment when it names the same place.
                let keep = vars.get(b"PWD").is_some_and(|p| {
                    p.starts_with(b"/") && same_file(p, &d)
                });
                if !keep {
                    let _ = vars.set(b"PWD", &d);
                }
            }
            Err(_) => {}
        }
        let me = std::fs::metadata("/proc/self/exe").ok().map(|m| {
            use std::os::unix::fs::MetadataExt;
            (m.dev(), m.ino())
        });
        Shell {
            vars,
            arg0: arg0.to_vec(),
            pos: Vec::new(),
            funcs: Map::default(),
            aliases: Map::default(),
            status: 0,
            opt: Opts::default(),
            last_bg: None,
            jobs: Default::default(),
            traps: vec![None; 65],
            calls: 0,
            loops: 0,
            cmdname: None,
            script: None,
            line: 0,
            pid,
            hash: Map::default(),
            no_errexit: 0,
            forked: false,
            subst_status: None,
            start: std::time::Instant::now(),
            random: (pid as u32).wrapping_mul(2654435761) ^ 0x5bd1_e995,
            in_trap: false,
            env_cache: (u64::MAX, Vec::new()),
            me,
            optpos: 0,
            inherited: None,
            keep_redirs: false,
            stack: Stack::here(),
            exe: std::fs::read_link("/proc/self/exe")
                .ok()
                .map(|p| p.into_os_string().into_vec()),
            funcname: Vec::new(),
            saved_opts: Vec::new(),
            exec_tail: false,
            top_exec: false,
            editor: None,
            error_exit: false,
        }
    }

    /// `arg0: [cmdname: ][line N: ]MSG` on stderr, as ash prints its errors.
    pub fn msg(&self, parts: &[&[u8]]) {
        let mut m = Vec::with_capacity(128);
        m.extend_from_slice(&self.arg0);
        m.extend_from_slice(b": ");
        if let Some(c) = &self.cmdname {
            if **c != *self.arg0 {
                m.extend_from_slice(c);
                m.extend_from_slice(b": ");
            }
            // An interactive shell names no line, as ash (`sh: .: can't open ...`).
            if !self.opt.i {
                m.extend_from_slice(b"line ");
                m.extend_from_slice(&super::expand::num(self.line as i64));
                m.extend_from_slice(b": ");
            }
        }
        for p in parts {
            m.extend_from_slice(p);
        }
        m.push(b'\n');
        let _ = sys::write_all(2, &m);
    }

    /// Reports an error that ends a non-interactive shell (status 2).
    pub fn fatal(&mut self, parts: &[&[u8]]) -> Flow {
        self.msg(parts);
        self.error_exit = true;
        Flow::Exit(2)
    }

    pub fn get(&mut self, name: &[u8]) -> Option<Vec<u8>> {
        match name {
            b"LINENO" => return Some(super::expand::num(self.line as i64)),
            b"RANDOM" => {
                // xorshift: cheap and good enough for scripts.
                let mut x = self.random;
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                self.random = x;
                return Some(super::expand::num(((x >> 1) & 0x7fff) as i64));
            }
            b"FUNCNAME" if self.calls > 0 && !self.funcname.is_empty() => {
                return Some(self.funcname.clone());
            }
            b"SECONDS" => {
                return Some(super::expand::num(self.start.elapsed().as_secs() as i64));
            }
            _ => {}
        }
        self.vars.get(name).map(|v| v.to_vec())
    }

    /// Assigns a variable, reporting a read-only one (fatal, as in ash).
    pub fn setvar(&mut self, name: &[u8], val: &[u8]) -> R<()> {
        // `PATH=$PATH` keeps the hash table: only a changed PATH can find other programs.
        let path_same = name == b"PATH" && self.vars.get(name) == Some(val);
        if self.vars.set(name, val).is_err() {
            return Err(self.fatal(&[name, b": is read only"]));
        }
        if self.opt.a {
            self.vars.flag(name, true, false);
        }
        if name == b"PATH" {
            if !path_same {
                self.hash.clear();
            }
        } else if name == b"OPTIND" {
            self.optpos = 0;
        }
        Ok(())
    }

    pub fn environ(&mut self) -> &[Vec<u8>] {
        if self.env_cache.0 != self.vars.gen {
            self.env_cache = (self.vars.gen, self.vars.environ());
        }
        &self.env_cache.1
    }

    /// Runs a whole source text (a script, `-c`, `eval`, `.`), command line by command
    /// line. A syntax error ends it with status 2.
    pub fn run_source(&mut self, mut src: Vec<u8>, line: u32) -> R {
        // NUL bytes cannot be in a command line: ash drops them from its input.
        if crate::bytes::memchr(0, &src).is_some() {
            src.retain(|&c| c != 0);
        }
        self.run_parser(Parser::new(src, line))
    }

    /// Runs what a parser reads, command line by command line (from its feed, if it has
    /// one, each line read just before it runs).
    pub fn run_parser(&mut self, mut p: Parser) -> R {
        p.stack = Some(self.stack);
        loop {
            let start = p.pos;
            p.aliases = (!self.aliases.is_empty()).then(|| self.aliases.clone());
            super::jobs::at_command_line(self); // job control: notices
            let cmd = match p.command_line() {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => {
                    self.line = e.line;
                    if e.msg.starts_with(b"arithmetic") {
                        self.msg(&[&e.msg]);
                    } else {
                        self.msg(&[b"syntax error: ", &e.msg]);
                    }
                    self.status = 2;
                    self.error_exit = true;
                    return Err(Flow::Exit(2));
                }
            };
            // ash echoes input read from a file or stdin, not a -c string.
            if self.opt.v && !self.opt.cmd {
                let _ = sys::write_all(2, &p.src[start..p.pos.min(p.src.len())]);
            }
            if p.feed.is_some() {
                p.compact();
            }
            if self.opt.n {
                continue;
            }
            if self.top_exec
                && self.calls == 0
                && !self.in_trap
                && self.traps.iter().all(|t| t.is_none())
                && p.at_end()
            {
                self.status = self.list_tail(&cmd)?;
                continue;
            }
            self.list(&cmd)?;
        }
        Ok(self.status)
    }

    pub fn list(&mut self, l: &[(Cmd, bool)]) -> R {
        for (c, bg) in l {
            if *bg {
                self.background(c)?;
            } else {
                self.status = self.cmd(c)?;
            }
            if PENDING.load(Ordering::Relaxed) != 0 {
                self.run_traps()?;
            }
        }
        Ok(self.status)
    }

    fn background(&mut self, c: &Cmd) -> R<()> {
        // job control: a pipeline's processes are the job's own (`jobs -l` lists each).
        if let Cmd::Pipeline { bang: false, cmds } = c {
            if cmds.len() > 1 {
                let (pids, pgid) = self.spawn_pipeline(cmds, true)?;
                self.last_bg = pids.last().map(|p| p.0);
                super::jobs::add(self, pgid, pids);
                self.status = 0;
                return Ok(());
            }
        }
        let jc = super::jobs::active(self); // job control
        match self.fork()? {
            0 => {
                if jc {
                    super::jobs::child(self, 0, false);
                } else {
                    self.bg_child(true);
                }
                let st = self.cmd_tail(c);
                self.child_exit(st)
            }
            pid => {
                self.last_bg = Some(pid);
                // job control: the job's group and text, and a place in the table.
                let mut pgid = 0;
                let text = if jc {
                    super::jobs::parent(pid, &mut pgid);
                    super::jobs::text(c)
                } else {
                    Vec::new()
                };
                super::jobs::add(self, pgid, vec![(pid, text)]);
                self.status = 0;
                Ok(())
            }
        }
    }

    /// A background child of a shell without job control ignores ^C and reads /dev/null
    /// (POSIX), unless it redirects its input itself (`input`: it reads the terminal's).
    fn bg_child(&mut self, input: bool) {
        // SAFETY: plain signal disposition and fd calls.
        unsafe {
            libc::signal(libc::SIGINT, libc::SIG_IGN);
            libc::signal(libc::SIGQUIT, libc::SIG_IGN);
            if input {
                let fd = libc::open(c"/dev/null".as_ptr(), libc::O_RDONLY);
                if fd >= 0 && fd != 0 {
                    libc::dup2(fd, 0);
                    libc::close(fd);
                }
            }
        }
    }

    /// fork(2), the child marked as a subshell (traps reset, as POSIX says).
    pub fn fork(&mut self) -> R<i32> {
        // SAFETY: the child only runs this single-threaded shell's code.
        let pid = unsafe { libc::fork() };
        if pid < 0 {
            let e = sys::errno();
            return Err(self.fatal(&[b"can't fork: ", sys::strerror(e)]));
        }
        if pid == 0 {
            self.forked = true;
            super::jobs::in_child(self); // job control
            if self.traps.iter().any(|t| t.as_ref().is_some_and(|t| !t.is_empty())) {
                self.inherited = Some(self.traps.clone());
            }
            for (i, t) in self.traps.iter_mut().enumerate() {
                if t.as_ref().is_some_and(|t| !t.is_empty()) {
                    *t = None;
                    if i > 0 {
                        // SAFETY: back to the default disposition.
                        unsafe { libc::signal(i as i32, libc::SIG_DFL) };
                    }
                }
            }
        }
        Ok(pid)
    }

    /// Ends a forked child with the status (or flow) it came to.
    pub fn child_exit(&mut self, r: R) -> ! {
        let st = match r {
            Ok(s) | Err(Flow::Exit(s)) | Err(Flow::Return(s)) => s,
            Err(_) => self.status,
        };
        let st = self.exit_trap(st);
        // SAFETY: _exit ends the forked child without running the parent's atexit state.
        unsafe { libc::_exit(st) }
    }

    /// Runs the EXIT trap (once) and gives the final status.
    pub fn exit_trap(&mut self, st: i32) -> i32 {
        self.status = st;
        if let Some(t) = self.traps[0].take() {
            if !t.is_empty() {
                return match self.run_source(t, self.line) {
                    Err(Flow::Exit(s)) => s,
                    _ => st,
                };
            }
        }
        st
    }

    pub fn run_traps(&mut self) -> R<()> {
        if self.in_trap {
            return Ok(());
        }
        let p = PENDING.swap(0, Ordering::SeqCst);
        for sig in 1..64 {
            if p & (1 << sig) != 0 {
                if let Some(t) = self.traps[sig].clone() {
                    let st = self.status;
                    self.in_trap = true;
                    let r = self.run_source(t, self.line);
                    self.in_trap = false;
                    match r {
                        Err(Flow::Exit(s)) => return Err(Flow::Exit(s)),
                        _ => self.status = st,
                    }
                }
            }
        }
        Ok(())
    }

    /// Installs (or removes) the shell's handler for a trapped signal.
    pub fn trap_signal(&mut self, sig: usize, action: Option<Vec<u8>>) {
        if sig == 0 || sig >= 65 {
            self.traps[0] = action;
            return;
        }
        // SAFETY: sigaction with a handler that only touches an atomic.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = match &action {
                None => libc::SIG_DFL,
                Some(a) if a.is_empty() => libc::SIG_IGN,
                Some(_) => on_signal as extern "C" fn(libc::c_int) as usize,
            };
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig as i32, &sa, std::ptr::null_mut());
        }
        self.traps[sig] = action;
    }

    fn errexit(&self, st: i32) -> R {
        if st != 0 && self.opt.e && self.no_errexit == 0 {
            return Err(Flow::Exit(st));
        }
        Ok(st)
    }

    /// Runs `l` as a condition (no `set -e` inside) and says whether it succeeded.
    fn cond(&mut self, l: &List) -> R<bool> {
        self.no_errexit += 1;
        let r = self.list(l);
        self.no_errexit -= 1;
        Ok(r? == 0)
    }

    pub fn cmd(&mut self, c: &Cmd) -> R {
        match c {
            Cmd::Simple {
                assigns,
                words,
                redirs,
                line,
            } => {
                self.line = *line;
                let st = self.simple(assigns, words, redirs)?;
                self.status = st;
                self.errexit(st)
            }
            Cmd::Pipeline { bang, cmds } => {
                if *bang {
                    self.no_errexit += 1;
                }
                let r = if cmds.len() == 1 {
                    self.cmd(&cmds[0])
                } else {
                    self.pipeline(cmds)
                };
                if *bang {
                    self.no_errexit -= 1;
                    let st = (r? == 0) as i32;
                    self.status = st;
                    return Ok(st);
                }
                let st = r?;
                self.status = st;
                self.errexit(st)
            }
            Cmd::And(a, b) | Cmd::Or(a, b) => {
                self.no_errexit += 1;
                let r = self.cmd(a);
                self.no_errexit -= 1;
                let st = r?;
                self.status = st;
                if (st == 0) == matches!(c, Cmd::And(..)) {
                    self.cmd(b)
                } else {
                    Ok(st)
                }
            }
            Cmd::Subshell(l) => {
                let st = self.subshell(l)?;
                self.status = st;
                self.errexit(st)
            }
            Cmd::Group(l) => self.list(l),
            Cmd::If { arms, els } => {
                for (cond, body) in arms {
                    if self.cond(cond)? {
                        return self.list(body);
                    }
                }
                match els {
                    Some(e) => self.list(e),
                    None => {
                        self.status = 0;
                        Ok(0)
                    }
                }
            }
            Cmd::Loop { until, cond, body } => {
                let mut st = 0;
                self.loops += 1;
                let r = loop {
                    match self.cond(cond) {
                        Ok(ok) if ok == *until => break Ok(()),
                        Ok(_) => {}
                        Err(e) => break Err(e),
                    }
                    match self.list(body) {
                        Ok(s) => st = s,
                        Err(Flow::Break(n)) => {
                            st = 0;
                            if n > 1 {
                                break Err(Flow::Break(n - 1));
                            }
                            break Ok(());
                        }
                        Err(Flow::Continue(n)) => {
                            st = 0;
                            if n > 1 {
                                break Err(Flow::Continue(n - 1));
                            }
                        }
                        Err(e) => break Err(e),
                    }
                };
                self.loops -= 1;
                r?;
                self.status = st;
                Ok(st)
            }
            Cmd::For { var, words, body } => {
                let items = match words {
                    Some(w) => self.expand_words(w)?,
                    None => self.pos.clone(),
                };
                let mut st = 0;
                self.loops += 1;
                let mut r = Ok(());
                for it in items {
                    if let Err(e) = self.setvar(var, &it) {
                        r = Err(e);
                        break;
                    }
                    match self.list(body) {
                        Ok(s) => st = s,
                        Err(Flow::Break(n)) => {
                            st = 0;
                            if n > 1 {
                                r = Err(Flow::Break(n - 1));
                            }
                            break;
                        }
                        Err(Flow::Continue(n)) => {
                            st = 0;
                            if n > 1 {
                                r = Err(Flow::Continue(n - 1));
                                break;
                            }
                        }
                        Err(e) => {
                            r = Err(e);
                            break;
                        }
                    }
                }
                self.loops -= 1;
                r?;
                self.status = st;
                Ok(st)
            }
            Cmd::Case { word, arms } => {
                let w = self.expand_str(word)?;
                let mut fall = false;
                for arm in arms {
                    let mut hit = fall;
                    if !hit {
                        for p in &arm.pats {
                            // A plain word is its own pattern: no copy.
                            let hit_p = match p.as_slice() {
                                [Part::Lit(s)] => super::expand::fnmatch(s, &w),
                                _ => {
                                    let pat = self.expand_pat(p)?;
                                    super::expand::fnmatch(&pat, &w)
                                }
                            };
                            if hit_p {
                                hit = true;
                                break;
                            }
                        }
                    }
                    if hit {
                        let st = if arm.body.is_empty() {
                            0
                        } else {
                            self.list(&arm.body)?
                        };
                        self.status = st;
                        if arm.fall {
                            fall = true;
                            continue;
                        }
                        return Ok(st);
                    }
                }
                self.status = 0;
                Ok(0)
            }
            Cmd::Func { name, body } => {
                self.funcs.insert(name.clone(), body.clone());
                self.status = 0;
                Ok(0)
            }
            Cmd::Cond(c, line) => {
                self.line = *line;
                let st = self.test_cond(c)?;
                self.status = st;
                self.errexit(st)
            }
            Cmd::Redirected(c, redirs) => {
                let saved = match self.redirect(redirs, true) {
                    Ok(s) => s,
                    Err(st) => {
                        self.status = st;
                        return self.errexit(st);
                    }
                };
                let r = self.cmd(c);
                self.restore(saved);
                r
            }
        }
    }

    /// Runs the last command of a forked child, which exits after it: a subshell runs in
    /// place and an external command is exec'd without another fork (so `$!` and the
    /// pipeline's pids are the command's own, and a fork is saved).
    fn cmd_tail(&mut self, c: &Cmd) -> R {
        // The EXIT trap must still run after the command.
        if self.traps[0].is_some() {
            return self.cmd(c);
        }
        match c {
            Cmd::Subshell(l) => self.list_tail(l),
            Cmd::Simple { .. } => {
                self.exec_tail = true;
                let r = self.cmd(c);
                self.exec_tail = false;
                r
            }
            _ => self.cmd(c),
        }
    }

    fn list_tail(&mut self, l: &List) -> R {
        match l.split_last() {
            Some(((c, false), rest)) => {
                self.list(rest)?;
                let r = self.cmd_tail(c);
                if PENDING.load(Ordering::Relaxed) != 0 {
                    self.run_traps()?;
                }
                r
            }
            _ => self.list(l),
        }
    }

    fn subshell(&mut self, l: &List) -> R {
        let jc = super::jobs::active(self); // job control
        match self.fork()? {
            0 => {
                if jc {
                    super::jobs::child(self, 0, true);
                }
                let r = self.list_tail(l);
                self.child_exit(r)
            }
            pid if jc || super::jobs::waits(self) => {
                let mut pgid = 0;
                let mut t = Vec::new();
                if jc {
                    super::jobs::parent(pid, &mut pgid);
                    t = super::jobs::subshell_text(l);
                }
                super::jobs::foreground(self, pgid, vec![(pid, t)])
            }
            pid => Ok(self.wait_pid(pid)),
        }
    }

    fn pipeline(&mut self, cmds: &[Cmd]) -> R {
        let (pids, pgid) = self.spawn_pipeline(cmds, false)?;
        if super::jobs::waits(self) {
            return super::jobs::foreground(self, pgid, pids); // job control
        }
        let mut st = 0;
        let mut fail = 0;
        for (pid, _) in pids {
            st = self.wait_pid(pid);
            if st != 0 {
                fail = st;
            }
        }
        Ok(if self.opt.pipefail { fail } else { st })
    }

    /// Forks a pipeline's processes: their pids (with their text under job control) and
    /// the process group they share under job control (else 0).
    fn spawn_pipeline(&mut self, cmds: &[Cmd], bg: bool) -> R<(Vec<(i32, Vec<u8>)>, i32)> {
        let jc = super::jobs::active(self); // job control
        let mut pgid = 0;
        let mut pids = Vec::with_capacity(cmds.len());
        let mut input = -1;
        for (i, c) in cmds.iter().enumerate() {
            let last = i + 1 == cmds.len();
            let mut fds = [-1, -1];
            // SAFETY: pipe fills two descriptors.
            if !last && unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
                let e = sys::errno();
                return Err(self.fatal(&[b"can't create pipe: ", sys::strerror(e)]));
            }
            match self.fork()? {
                0 => {
                    // job control: into the job's group.
                    if jc {
                        super::jobs::child(self, pgid, !bg);
                    } else if bg {
                        self.bg_child(i == 0);
                    }
                    // SAFETY: fd plumbing in the child.
                    unsafe {
                        if input >= 0 {
                            libc::dup2(input, 0);
                            libc::close(input);
                        }
                        if !last {
                            libc::dup2(fds[1], 1);
                            libc::close(fds[1]);
                            libc::close(fds[0]);
                        }
                    }
                    let r = self.cmd_tail(c);
                    self.child_exit(r)
                }
                pid => {
                    let text = if jc {
                        super::jobs::parent(pid, &mut pgid);
                        super::jobs::text(c)
                    } else {
                        Vec::new()
                    };
                    pids.push((pid, text));
                    // SAFETY: closing our copies.
                    unsafe {
                        if input >= 0 {
                            libc::close(input);
                        }
                        if !last {
                            libc::close(fds[1]);
                        }
                    }
                    input = fds[0];
                }
            }
        }
        Ok((pids, pgid))
    }

    /// Waits for a child; its exit status, or 128+N when signal N killed it.
    pub fn wait_pid(&mut self, pid: i32) -> i32 {
        let mut ws = 0;
        loop {
            // SAFETY: waitpid on our own child.
            let r = unsafe { libc::waitpid(pid, &mut ws, 0) };
            if r == pid {
                break;
            }
            if r < 0 && sys::errno() != libc::EINTR {
                return 127;
            }
        }
        if libc::WIFSIGNALED(ws) {
            // As ash: a child killed by a signal other than INT or PIPE is reported.
            let sig = libc::WTERMSIG(ws);
            if sig != libc::SIGINT && sig != libc::SIGPIPE {
                // SAFETY: strsignal returns a static string.
                let mut m = unsafe { std::ffi::CStr::from_ptr(libc::strsignal(sig)) }
                    .to_bytes()
                    .to_vec();
                if libc::WCOREDUMP(ws) {
                    m.extend_from_slice(b" (core dumped)");
                }
                m.push(b'\n');
                let _ = sys::write_all(2, &m);
            }
        }
        status_of(ws)
    }

    fn simple(&mut self, assigns: &[Assign], words: &[Word], redirs: &[Redir]) -> R {
        let tail = std::mem::take(&mut self.exec_tail);
        self.subst_status = None;
        let args = self.expand_words(words)?;
        if args.is_empty() {
            let mut traced = Vec::new();
            for a in assigns {
                let v = self.assign_value(&a.value)?;
                if self.opt.x {
                    traced.push([&a.name[..], b"=", &quote(&v)].concat());
                }
                self.setvar(&a.name, &v)?;
            }
            if !traced.is_empty() {
                let r: Vec<&[u8]> = traced.iter().map(|v| &v[..]).collect();
                self.trace(&r);
            }
            let st = match self.redirect(redirs, true) {
                Ok(saved) => {
                    self.restore(saved);
                    self.subst_status.unwrap_or(0)
                }
                Err(st) => st,
            };
            return Ok(st);
        }
        let mut vals = Vec::with_capacity(assigns.len());
        for a in assigns {
            vals.push((a.name.clone(), self.expand_assign(&a.value)?));
        }
        if self.opt.x {
            let mut t: Vec<Vec<u8>> = vals
                .iter()
                .map(|(n, v)| [&n[..], b"=", &quote(v)].concat())
                .collect();
            t.extend(args.iter().map(|a| quote(a)));
            let r: Vec<&[u8]> = t.iter().map(|v| &v[..]).collect();
            self.trace(&r);
        }
        let name = &args[0][..];
        let bi = builtins::find(name);
        // Special builtins: assignments stay, errors are fatal.
        if let Some(b) = bi.filter(|b| b.special) {
            for (n, v) in &vals {
                self.setvar(n, v)?;
            }
            let saved = match self.redirect(redirs, true) {
                Ok(s) => s,
                Err(_) => {
                    self.error_exit = true;
                    return Err(Flow::Exit(1));
                }
            };
            let r = self.builtin(b, &args);
            if std::mem::take(&mut self.keep_redirs) {
                for (_, s) in saved {
                    // SAFETY: dropping the saved copies; the new descriptors stay.
                    unsafe { libc::close(s) };
                }
            } else {
                self.restore(saved);
            }
            return r;
        }
        if let Some(body) = self.funcs.get(name).cloned() {
            let saved = match self.redirect(redirs, true) {
                Ok(s) => s,
                Err(st) => return Ok(st),
            };
            let r = self.with_assigns(&vals, &mut |sh| sh.call(&body, &args));
            self.restore(saved);
            return r;
        }
        if let Some(b) = bi {
            let saved = match self.redirect(redirs, true) {
                Ok(s) => s,
                Err(st) => return Ok(st),
            };
            let r = self.with_assigns(&vals, &mut |sh| sh.builtin(b, &args));
            self.restore(saved);
            return r;
        }
        let found = self.lookup(name);
        if let Some(Found::Applet(a)) = found {
            let saved = match self.redirect(redirs, true) {
                Ok(s) => s,
                Err(st) => return Ok(st),
            };
            let r = self.with_assigns(&vals, &mut |sh| Ok(sh.applet(a, &args)));
            self.restore(saved);
            return r;
        }
        if tail && !self.opt.e {
            // The child ends with this command anyway: become it.
            if let Err(st) = self.redirect(redirs, false) {
                return Ok(st);
            }
            for (n, v) in &vals {
                let _ = self.vars.set(n, v);
                self.vars.flag(n, true, false);
            }
            return Ok(self.exec_argv(found, &args));
        }
        if super::jobs::active(self) {
            // job control: the text `jobs` shows, from the words as typed (as ash).
            self.jobs.text = Some(super::jobs::text_simple(words, redirs));
        }
        self.external(found, &args, &vals, redirs)
    }

    /// Runs `f` with `NAME=value` prefixes in effect, then puts the old values back (`dyn`:
    /// one copy of this for its three callers).
    fn with_assigns(&mut self, vals: &[(Vec<u8>, Vec<u8>)], f: &mut dyn FnMut(&mut Shell) -> R) -> R {
        if vals.is_empty() {
            return f(self);
        }
        let old: Vec<_> = vals
            .iter()
            .map(|(n, _)| (n.clone(), self.vars.var(n).cloned()))
            .collect();
        for (n, v) in vals {
            self.setvar(n, v)?;
            self.vars.flag(n, true, false);
        }
        let r = f(self);
        for (n, o) in old {
            if n == b"PATH" && self.vars.get(&n) != o.as_ref().and_then(|v| v.val.as_deref()) {
                self.hash.clear();
            }
            match o {
                Some(var) => {
                    let _ = self.vars.unset(&n);
                    if let Some(v) = &var.val {
                        let _ = self.vars.set(&n, v);
                    }
                    if !var.exp {
                        self.vars.unexport(&n);
                    } else {
                        self.vars.flag(&n, true, false);
                    }
                }
                None => {
                    let _ = self.vars.unset(&n);
                }
            }
        }
        r
    }

    pub fn builtin(&mut self, b: &builtins::Builtin, args: &[Vec<u8>]) -> R {
        let cn = std::mem::replace(&mut self.cmdname, Some(Cow::Borrowed(b.name.as_bytes())));
        let r = (b.run)(self, args);
        self.cmdname = cn;
        r
    }

    /// Calls a function with its own positional parameters and `local` frame.
    pub fn call(&mut self, body: &Rc<Cmd>, args: &[Vec<u8>]) -> R {
        if self.calls >= MAX_CALL_DEPTH || !self.stack.ok() {
            return Err(self.fatal(&[&args[0], b": function nesting too deep"]));
        }
        self.calls += 1;
        let saved = std::mem::replace(&mut self.pos, args[1..].to_vec());
        // Loops stay visible inside: `break` in a function ends the caller's loop (ash).
        self.vars.push_frame();
        let fname = std::mem::replace(&mut self.funcname, args[0].clone());
        self.saved_opts.push(None);
        let r = self.cmd(body);
        if let Some(Some(o)) = self.saved_opts.pop() {
            self.opt = o;
        }
        self.funcname = fname;
        self.vars.pop_frame();
        self.pos = saved;
        self.calls -= 1;
        match r {
            Err(Flow::Return(s)) => {
                self.status = s;
                Ok(s)
            }
            r => r,
        }
    }

    /// `PS4` and the words of a traced command on stderr (`set -x`).
    pub(super) fn trace(&mut self, words: &[&[u8]]) {
        let ps4 = self.vars.get(b"PS4").unwrap_or(b"").to_vec();
        let mut ps4w = vec![Part::Lit(ps4.clone())];
        if ps4.contains(&b'$') {
            let mut p = Parser::new([b"\"", &ps4[..], b"\""].concat(), 0);
            if let Ok(Some(l)) = p.command_line() {
                if let Some((Cmd::Simple { words, .. }, _)) = l.first() {
                    if let Some(w) = words.first() {
                        ps4w = w.clone();
                    }
                }
            }
        }
        let x = self.opt.x;
        self.opt.x = false;
        let p = self.expand_str(&ps4w).unwrap_or(ps4);
        self.opt.x = x;
        let mut m = p;
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                m.push(b' ');
            }
            m.extend_from_slice(w);
        }
        m.push(b'\n');
        let _ = sys::write_all(2, &m);
    }

    /// Resolves a command name through the hash table and PATH. An rbox applet that may
    /// run in-process is taken when PATH reaches nothing or reaches rbox itself.
    pub fn lookup(&mut self, name: &[u8]) -> Option<Found> {
        if name.contains(&b'/') {
            return Some(Found::Path(name.to_vec()));
        }
        if let Some(f) = self.hash.get(name) {
            return Some(f.clone());
        }
        let path = self.vars.get(b"PATH").unwrap_or(b"").to_vec();
        let mut hit = None;
        for dir in path.split(|&c| c == b':') {
            let mut p = if dir.is_empty() { b".".to_vec() } else { dir.to_vec() };
            p.push(b'/');
            p.extend_from_slice(name);
            if is_exec_file(&p) {
                hit = Some(p);
                break;
            }
        }
        let f = match (&hit, in_process(name)) {
            (None, Some(a)) => Found::Applet(a),
            (Some(p), Some(a)) if self.is_me(p) => Found::Applet(a),
            (Some(p), _) => Found::Path(p.clone()),
            // Every applet answers to its name without links: the others run as rbox
            // itself, exec'd under the applet's name.
            (None, None) => match (crate::find(name), &self.exe) {
                (Some(_), Some(exe)) => Found::Path(exe.clone()),
                _ => return None,
            },
        };
        self.hash.insert(name.to_vec(), f.clone());
        Some(f)
    }

    fn is_me(&self, p: &[u8]) -> bool {
        use std::os::unix::fs::MetadataExt;
        match (self.me, std::fs::metadata(OsStr::from_bytes(p))) {
            (Some((d, i)), Ok(m)) => m.dev() == d && m.ino() == i,
            _ => false,
        }
    }

    /// Runs an rbox applet inside the shell, as if exec'd: its own context, output flushed
    /// to the (redirected) fd 1, the status it would exit with.
    pub fn applet(&mut self, a: &'static crate::Applet, args: &[Vec<u8>]) -> i32 {
        let argv: Vec<&OsStr> = args.iter().map(|a| OsStr::from_bytes(a)).collect();
        crate::multi::run_applet(a, &argv)
    }

    fn external(
        &mut self,
        found: Option<Found>,
        args: &[Vec<u8>],
        vals: &[(Vec<u8>, Vec<u8>)],
        redirs: &[Redir],
    ) -> R {
        let jc = super::jobs::active(self); // job control
        match self.fork()? {
            0 => {
                if jc {
                    super::jobs::child(self, 0, true);
                }
                if let Err(st) = self.redirect(redirs, false) {
                    // SAFETY: ending the forked child.
                    unsafe { libc::_exit(st) };
                }
                for (n, v) in vals {
                    let _ = self.vars.set(n, v);
                    self.vars.flag(n, true, false);
                }
                let st = self.exec_argv(found, args);
                // SAFETY: as above.
                unsafe { libc::_exit(st) }
            }
            pid if jc || super::jobs::waits(self) => {
                let mut pgid = 0;
                let mut t = Vec::new();
                if jc {
                    super::jobs::parent(pid, &mut pgid);
                    t = self.jobs.text.take().unwrap_or_else(|| super::jobs::text_args(args, redirs));
                }
                super::jobs::foreground(self, pgid, vec![(pid, t)])
            }
            pid => Ok(self.wait_pid(pid)),
        }
    }

    /// execve the command; on failure reports it and returns 126 or 127.
    pub fn exec_argv(&mut self, found: Option<Found>, args: &[Vec<u8>]) -> i32 {
        let name = &args[0];
        if name.is_empty() {
            // ash: the PATH search meets a directory.
            self.msg(&[b": Permission denied"]);
            return 127;
        }
        let path = match found {
            Some(Found::Path(p)) => p,
            Some(Found::Applet(a)) => {
                // An in-process applet reached by `exec`: run it and leave.
                return self.applet(a, args);
            }
            None => {
                self.msg(&[name, b": not found"]);
                return 127;
            }
        };
        let argv: Vec<&[u8]> = args.iter().map(|a| &a[..]).collect();
        let env = self.environ().to_vec();
        let e = sys::execvpe(&path, &argv, &env);
        if e == libc::ENOENT {
            if let Some(interp) = missing_interpreter(&path) {
                self.msg(&[
                    name,
                    b": cannot execute: ELF interpreter ",
                    &interp,
                    b" not found",
                ]);
                return 127;
            }
            self.msg(&[name, b": not found"]);
            return 127;
        }
        self.msg(&[name, b": ", sys::strerror(e)]);
        126
    }

    /// Here-document, file and descriptor redirections in order. With `save`, what each
    /// replaced is kept for `restore`. Err carries the status after the message.
    pub fn redirect(&mut self, redirs: &[Redir], save: bool) -> Result<Vec<(i32, i32)>, i32> {
        let mut saved = Vec::new();
        for r in redirs {
            match self.redirect_one(r, save, &mut saved) {
                Ok(()) => {}
                Err(st) => {
                    self.restore(saved);
                    return Err(st);
                }
            }
        }
        Ok(saved)
    }

    fn redirect_one(&mut self, r: &Redir, save: bool, saved: &mut Vec<(i32, i32)>) -> Result<(), i32> {
        let exp = |sh: &mut Shell, w: &Word| match sh.expand_str(w) {
            Ok(v) => Ok(v),
            Err(Flow::Exit(s)) => Err(s),
            Err(_) => Err(1),
        };
        let fd = r.fd;
        let new: i32 = match r.op {
            RedirOp::Here => {
                let body = match &r.here {
                    Some(h) => {
                        let h = h.borrow();
                        if h.quoted {
                            h.body
                                .iter()
                                .flat_map(|p| match p {
                                    Part::Quoted(v) => v.clone(),
                                    _ => Vec::new(),
                                })
                                .collect::<Vec<u8>>()
                        } else {
                            let w = h.body.clone();
                            drop(h);
                            exp(self, &w)?
                        }
                    }
                    None => Vec::new(),
                };
                self.here_fd(&body)?
            }
            RedirOp::DupIn | RedirOp::DupOut => {
                let t = exp(self, &r.target)?;
                if t == b"-" {
                    if save {
                        self.save_fd(fd, saved);
                    }
                    // SAFETY: closing a descriptor.
                    unsafe { libc::close(fd) };
                    return Ok(());
                }
                let n = match super::expand::dec32(&t) {
                    Some(n) if t.iter().all(|c| c.is_ascii_digit()) => n,
                    _ => {
                        if r.op == RedirOp::DupOut && fd == 1 {
                            // `>&file`: stdout and stderr to a file, as ash allows.
                            let f = self.open_file(&t, libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC, false)?;
                            if save {
                                self.save_fd(1, saved);
                                self.save_fd(2, saved);
                            }
                            // SAFETY: descriptor plumbing.
                            unsafe {
                                libc::dup2(f, 1);
                                libc::dup2(f, 2);
                                libc::close(f);
                            }
                            return Ok(());
                        }
                        self.msg(&[&t, b": Bad file descriptor"]);
                        return Err(1);
                    }
                };
                if n == fd {
                    return Ok(());
                }
                // SAFETY: F_GETFD only checks the descriptor is open.
                if unsafe { libc::fcntl(n, libc::F_GETFD) } < 0 || saved.iter().any(|s| s.1 == n) {
                    self.msg(&[&t, b": Bad file descriptor"]);
                    return Err(1);
                }
                if save {
                    self.save_fd(fd, saved);
                }
                // SAFETY: both descriptors are valid.
                unsafe { libc::dup2(n, fd) };
                return Ok(());
            }
            op => {
                let t = exp(self, &r.target)?;
                let (flags, create) = match op {
                    RedirOp::In => (libc::O_RDONLY, false),
                    RedirOp::ReadWrite => (libc::O_RDWR | libc::O_CREAT, true),
                    RedirOp::Append => (libc::O_WRONLY | libc::O_CREAT | libc::O_APPEND, true),
                    RedirOp::Out if self.opt.c => {
                        (libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL, true)
                    }
                    _ => (libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC, true),
                };
                let f = self.open_file(&t, flags, create && op == RedirOp::Out && self.opt.c)?;
                let _ = create;
                f
            }
        };
        if new == fd {
            // Opened close-on-exec right where it belongs: the commands must inherit it.
            // SAFETY: clears a flag of our own descriptor.
            unsafe { libc::fcntl(fd, libc::F_SETFD, 0) };
            return Ok(());
        }
        if save {
            self.save_fd(fd, saved);
        }
        // SAFETY: new is a descriptor we opened.
        unsafe {
            libc::dup2(new, fd);
            libc::close(new);
        }
        Ok(())
    }

    fn open_file(&mut self, t: &[u8], flags: i32, noclobber: bool) -> Result<i32, i32> {
        let Some(c) = sys::cstr(t) else {
            return Err(1);
        };
        let write = flags & (libc::O_WRONLY | libc::O_RDWR) != 0;
        let mut flags = flags;
        if noclobber {
            // `set -C`: an existing regular file is not overwritten; /dev/null and the like are.
            if let Ok(m) = std::fs::metadata(OsStr::from_bytes(t)) {
                if !m.is_file() {
                    flags &= !libc::O_EXCL;
                    flags |= libc::O_TRUNC;
                }
            }
        }
        // SAFETY: c is NUL-terminated.
        let f = unsafe { libc::open(c.as_ptr(), flags | libc::O_CLOEXEC, 0o666) };
        if f < 0 {
            let e = sys::errno();
            let why: &[u8] = match e {
                libc::ENOENT | libc::ENOTDIR if write => b"nonexistent directory",
                libc::ENOENT | libc::ENOTDIR => b"no such file",
                _ => sys::strerror(e),
            };
            let verb: &[u8] = if write && flags & libc::O_RDWR == 0 { b"can't create " } else { b"can't open " };
            self.msg(&[verb, t, b": ", why]);
            return Err(1);
        }
        Ok(f)
    }

    /// A descriptor reading `body`: a pipe, written by a child when it is too big to fit.
    fn here_fd(&mut self, body: &[u8]) -> Result<i32, i32> {
        let mut fds = [-1, -1];
        // SAFETY: pipe fills two descriptors.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
            return Err(1);
        }
        if body.len() <= 4096 {
            let _ = sys::write_all(fds[1], body);
        } else {
            // SAFETY: the child writes and exits at once.
            let pid = unsafe { libc::fork() };
            if pid == 0 {
                unsafe {
                    libc::close(fds[0]);
                    let _ = sys::write_all(fds[1], body);
                    libc::_exit(0);
                }
            }
        }
        // SAFETY: our write end is done.
        unsafe { libc::close(fds[1]) };
        Ok(fds[0])
    }

    fn save_fd(&mut self, fd: i32, saved: &mut Vec<(i32, i32)>) {
        if saved.iter().any(|s| s.0 == fd) {
            return;
        }
        // SAFETY: duplicating (or probing) a descriptor.
        let s = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 10) };
        saved.push((fd, s));
    }

    pub fn restore(&mut self, saved: Vec<(i32, i32)>) {
        for (fd, s) in saved.into_iter().rev() {
            // SAFETY: putting back descriptors we saved.
            unsafe {
                if s >= 0 {
                    libc::dup2(s, fd);
                    libc::close(s);
                } else {
                    libc::close(fd);
                }
            }
        }
    }

    /// `$(...)`: runs the commands in a child with its output on a pipe; the output with
    /// trailing newlines removed.
    pub fn subst(&mut self, l: &List) -> R<Vec<u8>> {
        if let Some(c) = self.captureable(l) {
            if let Some(out) = self.capture(c)? {
                return Ok(out);
            }
        }
        let mut fds = [-1, -1];
        // SAFETY: pipe fills two descriptors.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
            let e = sys::errno();
            return Err(self.fatal(&[b"can't create pipe: ", sys::strerror(e)]));
        }
        match self.fork()? {
            0 => {
                // SAFETY: fd plumbing in the child.
                unsafe {
                    libc::close(fds[0]);
                    libc::dup2(fds[1], 1);
                    libc::close(fds[1]);
                }
                let r = self.list_tail(l);
                self.child_exit(r)
            }
            pid => {
                // SAFETY: closing our write end.
                unsafe { libc::close(fds[1]) };
                let mut out = Vec::new();
                let mut buf = [0u8; 4096];
                while let Ok(n) = sys::read(fds[0], &mut buf) {
                    if n == 0 {
                        break;
                    }
                    out.extend_from_slice(&buf[..n]);
                }
                // SAFETY: done reading.
                unsafe { libc::close(fds[0]) };
                let st = self.wait_pid(pid);
                self.status = st;
                self.subst_status = Some(st);
                subst_output(&mut out);
                Ok(out)
            }
        }
    }
}

impl Shell {
    /// The command of `$(...)` when it can run inside the shell with its output captured
    /// (as ksh93 does): one simple command naming a builtin that changes nothing or an
    /// in-process applet, with words, redirections and `NAME=value` prefixes whose
    /// expansion has no side effect. Redirections and prefixes are undone afterwards as
    /// for any command; a prefix on a special builtin would stay, so `:` takes none, nor
    /// a redirection (whose failure would end the shell). Anything else forks, so the
    /// subshell's isolation is never in doubt.
    fn captureable<'l>(&mut self, l: &'l List) -> Option<&'l Cmd> {
        let [(c @ Cmd::Simple { assigns, words, redirs, .. }, false)] = l.as_slice() else {
            return None;
        };
        if self.opt.u || self.opt.x {
            return None;
        }
        let pure = |w: &Word| w.iter().all(pure_part);
        let pure_redir = |r: &Redir| {
            pure(&r.target) && r.here.as_ref().is_none_or(|h| h.borrow().body.iter().all(pure_part))
        };
        if !words.iter().all(pure) || !redirs.iter().all(pure_redir) {
            return None;
        }
        // PATH would clear the hash table, OPTIND getopts' place; read-only is fatal.
        let plain_assign = |a: &Assign| {
            pure(&a.value)
                && !matches!(&a.name[..], b"PATH" | b"OPTIND")
                && !self.vars.var(&a.name).is_some_and(|v| v.ro)
        };
        if !assigns.iter().all(plain_assign) {
            return None;
        }
        let name = super::parse::lit(words.first()?)?;
        if self.funcs.contains_key(name) {
            return None;
        }
        let arg1 = words.get(1).and_then(|w| super::parse::lit(w));
        let ok = match name {
            b"echo" | b"printf" | b"test" | b"[" | b"true" | b"false" | b"pwd" | b"type" => true,
            b":" => assigns.is_empty() && redirs.is_empty(),
            b"command" => matches!(arg1, Some(b"-v" | b"-V")),
            b"umask" => words.len() == 1 || (words.len() == 2 && arg1 == Some(b"-S")),
            b"hash" => words.len() == 1,
            _ => builtins::find(name).is_none() && matches!(self.lookup(name), Some(Found::Applet(_))),
        };
        ok.then_some(c)
    }

    /// Runs `c` with fd 1 on a memory file; its output, or None if no memory file could
    /// be made (the caller forks instead).
    fn capture(&mut self, c: &Cmd) -> R<Option<Vec<u8>>> {
        // SAFETY: memfd_create with a static name; the descriptors are ours.
        let mfd = unsafe { libc::memfd_create(c"sh-subst".as_ptr(), libc::MFD_CLOEXEC) };
        if mfd < 0 {
            return Ok(None);
        }
        let mut saved = Vec::new();
        self.save_fd(1, &mut saved);
        // SAFETY: mfd is open.
        unsafe { libc::dup2(mfd, 1) };
        // `set -e` would end only the subshell, whose status is the command's anyway.
        self.no_errexit += 1;
        let line = self.line;
        let r = self.cmd(c);
        self.line = line;
        self.no_errexit -= 1;
        self.restore(saved);
        let st = match r {
            Ok(s) => s,
            Err(e) => {
                // SAFETY: closing our memory file.
                unsafe { libc::close(mfd) };
                return Err(e);
            }
        };
        let mut out = Vec::new();
        // SAFETY: reading back what was written.
        unsafe { libc::lseek(mfd, 0, libc::SEEK_SET) };
        let mut buf = [0u8; 4096];
        while let Ok(n) = sys::read(mfd, &mut buf) {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        // SAFETY: done with it.
        unsafe { libc::close(mfd) };
        self.status = st;
        self.subst_status = Some(st);
        subst_output(&mut out);
        Ok(Some(out))
    }
}

/// `$(...)`'s output as a word takes it: trailing newlines removed, NUL bytes dropped (as
/// ash does: they cannot be in a word).
fn subst_output(out: &mut Vec<u8>) {
    while out.last() == Some(&b'\n') {
        out.pop();
    }
    if crate::bytes::memchr(0, out).is_some() {
        out.retain(|&c| c != 0);
    }
}

/// A word part whose expansion changes no state and cannot end the shell.
fn pure_part(p: &Part) -> bool {
    match p {
        Part::Lit(_) | Part::Quoted(_) => true,
        Part::Dq(ps) => ps.iter().all(pure_part),
        Part::Param(p) => {
            matches!(
                p.op,
                Op::Plain | Op::Len | Op::Default | Op::Alt | Op::TrimPrefix | Op::TrimPrefixLong
                    | Op::TrimSuffix | Op::TrimSuffixLong
            ) && p.word.iter().all(pure_part)
        }
        Part::Cmd(_) | Part::Arith(_) => false,
    }
}

/// An exit status from waitpid's: 128+N for a signal.
pub fn status_of(ws: i32) -> i32 {
    if libc::WIFEXITED(ws) {
        libc::WEXITSTATUS(ws)
    } else if libc::WIFSIGNALED(ws) {
        128 + libc::WTERMSIG(ws)
    } else {
        ws
    }
}

fn is_exec_file(p: &[u8]) -> bool {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::metadata(OsStr::from_bytes(p)) {
        Ok(m) => m.is_file() && m.permissions().mode() & 0o111 != 0,
        Err(_) => false,
    }
}

fn same_file(a: &[u8], b: &[u8]) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (
        std::fs::metadata(OsStr::from_bytes(a)),
        std::fs::metadata(OsStr::from_bytes(b)),
    ) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// The applets that may run inside the shell (BusyBox's NOFORK). The rule: an applet on
/// this list keeps no state beyond its call, never exits the process, changes nothing
/// process-wide (umask, signals, cwd), reads nothing from the process environment (the
/// shell's exported variables are not the process's: `printenv`, `logname`, `mktemp`'s
/// TMPDIR and `touch -d`'s TZ would see stale values, so they fork), and finishes quickly.
/// Everything else (a future `sh` itself, anything long-running) is forked and exec'd.
/// Sorted.
const NOFORK: &[&[u8]] = &[
    b"[", b"[[", b"arch", b"basename", b"dirname", b"echo", b"false", b"link", b"ln", b"nproc",
    b"printf", b"pwd", b"readlink", b"realpath", b"rmdir", b"seq", b"sync", b"test", b"true",
    b"uname", b"unlink", b"usleep", b"whoami",
];

fn in_process(name: &[u8]) -> Option<&'static crate::Applet> {
    if NOFORK.contains(&name) {
        crate::find(name)
    } else {
        None
    }
}

/// For an existing ELF file whose exec gave ENOENT: the PT_INTERP it names, when that
/// interpreter is missing.
fn missing_interpreter(path: &[u8]) -> Option<Vec<u8>> {
    let data = std::fs::read(OsStr::from_bytes(path)).ok()?;
    if data.get(..4)? != b"\x7fELF" {
        return None;
    }
    let is64 = *data.get(4)? == 2;
    let le = *data.get(5)? == 1;
    let rd = |off: usize, n: usize| -> Option<u64> {
        let b = data.get(off..off + n)?;
        let mut v = 0u64;
        for i in 0..n {
            let byte = if le { b[n - 1 - i] } else { b[i] };
            v = v << 8 | byte as u64;
        }
        Some(v)
    };
    let (phoff, phentsize, phnum) = if is64 {
        (rd(0x20, 8)?, rd(0x36, 2)?, rd(0x38, 2)?)
    } else {
        (rd(0x1c, 4)?, rd(0x2a, 2)?, rd(0x2c, 2)?)
    };
    for k in 0..phnum {
        let ph = (phoff + k * phentsize) as usize;
        if rd(ph, 4)? != 3 {
            continue; // not PT_INTERP
        }
        let (off, size) = if is64 {
            (rd(ph + 8, 8)?, rd(ph + 32, 8)?)
        } else {
            (rd(ph + 4, 4)?, rd(ph + 16, 4)?)
        };
        let s = data.get(off as usize..(off + size) as usize)?;
        let s = s.split(|&c| c == 0).next()?.to_vec();
        if std::fs::metadata(OsStr::from_bytes(&s)).is_err() {
            return Some(s);
        }
    }
    None
}

/// A word for `set -x` output, quoted as ash does when it holds special characters.
pub fn quote(v: &[u8]) -> Vec<u8> {
    const KW: &[&[u8]] = &[
        b"!", b"case", b"do", b"done", b"elif", b"else", b"esac", b"fi", b"for", b"if", b"in",
        b"then", b"until", b"while", b"{", b"}",
    ];
    let plain = v.iter().all(|&c| c.is_ascii_alphanumeric() || b"_-+/.,:%@^]".contains(&c))
        && !KW.contains(&v);
    if plain {
        return v.to_vec();
    }
    let mut o = vec![b'\''];
    for &c in v {
        if c == b'\'' {
            o.extend_from_slice(b"'\\''");
        } else {
            o.push(c);
        }
    }
    o.push(b'\'');
    o
}
