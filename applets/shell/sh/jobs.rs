//! Job control, as ash does it: the job table, process groups and the terminal (`set -m`),
//! job specs (`%N %% %+ %- %str %?str`), ash's "Done" and "Stopped" notices, and the
//! builtins `jobs`, `fg`, `bg` and `wait` (`kill %N` comes through `kill`).
//!
//! exec.rs calls in at each fork (`child`, `parent`, `foreground`, `add`; each call site is
//! marked "job control") and before each command line (`at_command_line`). Every
//! background command is a job, as in ash; only under job control does it get its own
//! process group and the text that `jobs` shows.

use super::ast::*;
use super::exec::{status_of, Flow, Shell, PENDING, R};
use crate::sys;
use std::os::unix::ffi::OsStrExt;
use std::sync::atomic::Ordering;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Running,
    Stopped,
    Done,
}

struct Proc {
    pid: i32,
    /// The last wait status; None while it runs. A stop status while stopped.
    ws: Option<i32>,
    cmd: Vec<u8>,
}

pub struct Job {
    num: usize,
    /// The process group under job control, else 0.
    pgid: i32,
    procs: Vec<Proc>,
    /// Its state changed and no notice said so yet.
    changed: bool,
}

impl Job {
    fn state(&self) -> State {
        let mut stopped = false;
        for p in &self.procs {
            match p.ws {
                None => return State::Running,
                Some(w) if libc::WIFSTOPPED(w) => stopped = true,
                _ => {}
            }
        }
        if stopped {
            State::Stopped
        } else {
            State::Done
        }
    }

    /// The status it gives `$?`: the last process's (the rightmost failing one with
    /// pipefail); 128+N for a signal or a stop.
    fn status(&self, pipefail: bool) -> i32 {
        let of = |w: Option<i32>| match w {
            Some(w) if libc::WIFSTOPPED(w) => 128 + libc::WSTOPSIG(w),
            Some(w) => status_of(w),
            None => 0,
        };
        let last = self.procs.last().map_or(0, |p| of(p.ws));
        if pipefail {
            if let Some(p) = self.procs.iter().rev().find(|p| of(p.ws) != 0) {
                return of(p.ws);
            }
        }
        last
    }
}

pub struct Jobs {
    /// Most recent first, as ash's curjob list: [0] is `%+`, [1] is `%-`.
    list: Vec<Job>,
    /// The terminal (a private descriptor) while job control is on.
    tty: i32,
    /// The terminal's process group when job control began, given back when it ends.
    initial: i32,
    pub on: bool,
    /// The terminal's modes at the last command line, put back after a job stops or dies
    /// of a signal (a stopped editor leaves raw mode behind).
    modes: Option<libc::termios>,
    /// Signals the shell set to SIG_IGN for itself (bit N), default again in children.
    ignored: u64,
    /// "You have stopped jobs." was said: 2 on its command line, 1 on the next.
    warned: u8,
    /// In a forked child: the parent's jobs, which `jobs` lists (they are not ours to
    /// wait for).
    parent: Vec<Job>,
    /// The text of the simple command about to fork, from its unexpanded words.
    pub text: Option<Vec<u8>>,
}

impl Default for Jobs {
    fn default() -> Jobs {
        Jobs {
            list: Vec::new(),
            tty: -1,
            initial: 0,
            on: false,
            modes: None,
            ignored: 0,
            warned: 0,
            parent: Vec::new(),
            text: None,
        }
    }
}

const STOPS: [i32; 3] = [libc::SIGTSTP, libc::SIGTTIN, libc::SIGTTOU];

fn disposition(sig: i32, to: libc::sighandler_t) -> libc::sighandler_t {
    // SAFETY: sigaction with SIG_IGN/SIG_DFL only; the old action is read back.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        let mut old: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = to;
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(sig, &sa, &mut old);
        old.sa_sigaction
    }
}

/// Ignores `sig` in the shell (not in its children), unless the user trapped it or it was
/// ignored already when we came in.
fn ignore(sh: &mut Shell, sig: i32) {
    if sh.traps[sig as usize].is_some() || sh.jobs.ignored & (1 << sig) != 0 {
        return;
    }
    if disposition(sig, libc::SIG_IGN) != libc::SIG_IGN {
        sh.jobs.ignored |= 1 << sig;
    }
}

fn unignore(sh: &mut Shell, sig: i32) {
    if sh.jobs.ignored & (1 << sig) != 0 {
        sh.jobs.ignored &= !(1 << sig);
        if sh.traps[sig as usize].is_none() {
            disposition(sig, libc::SIG_DFL);
        }
    }
}

/// Start-up of an interactive shell (after the profile files): SIGINT, SIGQUIT and
/// SIGTERM ignored as ash does, job control on unless `+m` was given, then `$ENV`
/// (parameter-expanded) is read.
pub fn startup(sh: &mut Shell) {
    if !sh.opt.i {
        return;
    }
    for sig in [libc::SIGINT, libc::SIGQUIT, libc::SIGTERM] {
        ignore(sh, sig);
    }
    if !sh.opt.m {
        sh.opt.m = set_m(sh, true);
    }
    let Some(env) = sh.vars.get(b"ENV").map(|e| e.to_vec()) else {
        return;
    };
    let mut p = super::parse::Parser::new([b"\"", &env[..], b"\""].concat(), 0);
    let name = match p.command_line() {
        Ok(Some(l)) => match l.first() {
            Some((Cmd::Simple { words, .. }, _)) if words.len() == 1 => sh.expand_str(&words[0]).ok(),
            _ => None,
        },
        _ => None,
    };
    if let Some(f) = name.filter(|f| !f.is_empty()) {
        if let Ok(src) = std::fs::read(std::ffi::OsStr::from_bytes(&f)) {
            let _ = sh.run_source(src, 1);
        }
    }
}

/// `set -m` / `set +m` (ash's setjobctl): takes the terminal for the shell's own process
/// group, or gives it back. False when there is no terminal to control.
pub fn set_m(sh: &mut Shell, on: bool) -> bool {
    if on == sh.jobs.on || sh.forked {
        return on;
    }
    if !on {
        let j = &mut sh.jobs;
        // SAFETY: terminal and process-group calls on our own descriptor and process.
        unsafe {
            libc::tcsetpgrp(j.tty, j.initial);
            libc::setpgid(0, j.initial);
            libc::close(j.tty);
        }
        j.tty = -1;
        j.on = false;
        for sig in STOPS {
            unignore(sh, sig);
        }
        return false;
    }
    // SAFETY: opening the terminal and probing descriptors.
    let fd = unsafe {
        let t = libc::open(c"/dev/tty".as_ptr(), libc::O_RDWR | libc::O_CLOEXEC);
        let mut fd = if t >= 0 { t } else { (0..3).rev().find(|&f| libc::isatty(f) == 1).unwrap_or(-1) };
        if fd >= 0 {
            let d = libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 10);
            if t >= 0 {
                libc::close(t);
            }
            fd = d;
        }
        fd
    };
    let pgrp = loop {
        if fd < 0 {
            break -1;
        }
        // SAFETY: as above.
        let (p, me) = unsafe { (libc::tcgetpgrp(fd), libc::getpgrp()) };
        if p < 0 || p == me {
            break p;
        }
        // In the background: stop until the terminal is ours (as ash and bash do).
        // SAFETY: signalling our own process group.
        unsafe { libc::killpg(0, libc::SIGTTIN) };
    };
    if pgrp < 0 {
        if fd >= 0 {
            // SAFETY: our descriptor.
            unsafe { libc::close(fd) };
        }
        sh.msg(&[b"can't access tty; job control turned off"]);
        return false;
    }
    for sig in STOPS {
        ignore(sh, sig);
    }
    // SAFETY: our own process and terminal.
    unsafe {
        libc::setpgid(0, sh.pid);
        libc::tcsetpgrp(fd, sh.pid);
    }
    sh.jobs.tty = fd;
    sh.jobs.initial = pgrp;
    sh.jobs.on = true;
    // The last command is not exec'd in place: the terminal must come back to us.
    sh.top_exec = false;
    save_modes(sh);
    true
}

/// `exec CMD`: job control off and the shell's own dispositions undone first, so the
/// command starts as a child would.
pub fn before_exec(sh: &mut Shell) {
    exit(sh);
    sh.opt.m = false;
    for sig in [libc::SIGINT, libc::SIGQUIT, libc::SIGTERM] {
        unignore(sh, sig);
    }
}

/// At the shell's exit: the terminal goes back to the process group it came from.
pub fn exit(sh: &mut Shell) {
    if sh.jobs.on {
        set_m(sh, false);
    }
}

fn save_modes(sh: &mut Shell) {
    // SAFETY: termios is plain data.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: our terminal descriptor.
    if unsafe { libc::tcgetattr(sh.jobs.tty, &mut t) } == 0 {
        sh.jobs.modes = Some(t);
    }
}

/// Whether the command about to fork is a job under job control (only the shell itself
/// does job control, never a subshell).
pub fn active(sh: &Shell) -> bool {
    sh.jobs.on && !sh.forked
}

/// Whether the shell waits for a foreground command through `foreground`: under job
/// control, and in an interactive shell without it (where ^C still drops the rest of the
/// command line).
pub fn waits(sh: &Shell) -> bool {
    !sh.forked && (sh.jobs.on || sh.opt.i)
}

/// In every forked child (exec.rs's `fork`): no jobs of its own, and the signals the
/// shell ignored for itself back to default (the stop signals after `child`).
pub fn in_child(sh: &mut Shell) {
    // Kept for `jobs` alone (`jobs -p | ...`, `kill $(jobs -p)`), as ash's "job hack".
    sh.jobs.parent = std::mem::take(&mut sh.jobs.list);
    for sig in [libc::SIGINT, libc::SIGQUIT, libc::SIGTERM] {
        unignore(sh, sig);
    }
}

/// In the child of a job under job control, first thing: into the job's process group
/// (0: a new one), the terminal to it when in the foreground, then the stop signals at
/// their defaults. The parent does the same setpgid (`parent`), so neither waits.
pub fn child(sh: &mut Shell, pgid: i32, fg: bool) {
    // SAFETY: process-group and terminal calls on ourselves.
    unsafe {
        libc::setpgid(0, pgid);
        if fg {
            libc::tcsetpgrp(sh.jobs.tty, libc::getpgrp());
        }
    }
    for sig in STOPS {
        unignore(sh, sig);
    }
    // SAFETY: the terminal descriptor is the shell's own, not the child's.
    unsafe { libc::close(sh.jobs.tty) };
    sh.jobs.on = false;
}

/// In the parent after forking a job's process: sets its group (the first process leads).
pub fn parent(pid: i32, pgid: &mut i32) {
    if *pgid == 0 {
        *pgid = pid;
    }
    // SAFETY: our own child; fails harmlessly if it did it first or already exec'd.
    unsafe { libc::setpgid(pid, *pgid) };
}

/// The lowest free job number.
fn next_num(list: &[Job]) -> usize {
    (1..).find(|n| !list.iter().any(|j| j.num == *n)).unwrap_or(1)
}

/// Puts a new or resumed running job after the stopped ones (ash's CUR_RUNNING).
fn place_running(list: &mut Vec<Job>, j: Job) {
    let at = list.iter().position(|j| j.state() != State::Stopped).unwrap_or(list.len());
    list.insert(at, j);
}

/// Registers a background job: `procs` are pid and command text (text only under job
/// control, as ash).
pub fn add(sh: &mut Shell, pgid: i32, procs: Vec<(i32, Vec<u8>)>) {
    reap(sh);
    let l = &mut sh.jobs.list;
    if l.len() >= 1000 {
        // A script that starts many `&` and never asks: forget the finished ones.
        l.retain(|j| j.state() != State::Done);
    }
    let j = Job {
        num: next_num(l),
        pgid,
        procs: procs.into_iter().map(|(pid, cmd)| Proc { pid, ws: None, cmd }).collect(),
        changed: false,
    };
    place_running(l, j);
}

/// Waits for a job started in the foreground (or resumed by `fg`) to end or stop, then
/// takes the terminal back. A stopped job goes into the table as the current job; the
/// status is `$?`'s.
pub fn foreground(sh: &mut Shell, pgid: i32, procs: Vec<(i32, Vec<u8>)>) -> R {
    let j = Job {
        num: 0,
        pgid,
        procs: procs.into_iter().map(|(pid, cmd)| Proc { pid, ws: None, cmd }).collect(),
        changed: false,
    };
    wait_fg(sh, j)
}

/// Err when ^C killed it in an interactive shell: the rest of the command line is
/// dropped, as ash does (an error the prompt loop reports as a status only).
fn wait_fg(sh: &mut Shell, mut j: Job) -> R {
    let _ = wait_job(&mut j, false);
    let tty = sh.jobs.tty;
    if j.pgid != 0 {
        // SAFETY: the terminal back to the shell's group (SIGTTOU is ignored here).
        unsafe { libc::tcsetpgrp(tty, sh.pid) };
    }
    let state = j.state();
    let last = j.procs.last().and_then(|p| p.ws).unwrap_or(0);
    let signaled = j.procs.iter().any(|p| p.ws.is_some_and(|w| libc::WIFSIGNALED(w)));
    if (state == State::Stopped || signaled) && j.pgid != 0 {
        if let Some(m) = &sh.jobs.modes {
            // SAFETY: restoring modes read from this terminal.
            unsafe { libc::tcsetattr(tty, libc::TCSADRAIN, m) };
        }
    }
    let st = j.status(sh.opt.pipefail);
    if state == State::Stopped {
        if j.num == 0 {
            j.num = next_num(&sh.jobs.list);
        }
        j.changed = true;
        sh.jobs.list.insert(0, j);
        return Ok(st);
    }
    if libc::WIFSIGNALED(last) {
        let sig = libc::WTERMSIG(last);
        if sig == libc::SIGINT {
            if sh.opt.i {
                let _ = sys::write_all(2, b"\n");
                sh.error_exit = true;
                return Err(Flow::Exit(st));
            } else if j.pgid != 0 {
                // As ash: a job killed by ^C interrupts a job-control script too, which
                // then ends by SIGINT unless it traps or ignores it. (Without job control
                // the terminal's SIGINT reached the shell itself already.)
                // SAFETY: raising a signal at ourselves.
                unsafe { libc::raise(libc::SIGINT) };
            }
        } else if sig != libc::SIGPIPE {
            let mut m = Vec::new();
            status_text(last, &mut m);
            m.push(b'\n');
            let _ = sys::write_all(2, &m);
        }
    }
    Ok(st)
}

/// Blocks until the job is no longer running. Err when a trapped signal came first and
/// `intr` asks to stop for it (`wait`).
fn wait_job(j: &mut Job, intr: bool) -> Result<(), i32> {
    let was = j.state();
    let r = wait_procs(j, intr);
    // Under job control a change seen here still gets its notice (as ash's dowait).
    if j.pgid != 0 && was == State::Running && j.state() != State::Running {
        j.changed = true;
    }
    r
}

fn wait_procs(j: &mut Job, intr: bool) -> Result<(), i32> {
    let flags = if j.pgid != 0 { libc::WUNTRACED } else { 0 };
    while let Some(p) = j.procs.iter_mut().find(|p| p.ws.is_none()) {
        let mut ws = 0;
        // SAFETY: waitpid on our own child.
        let r = unsafe { libc::waitpid(p.pid, &mut ws, flags) };
        if r == p.pid {
            p.ws = Some(ws);
        } else if r < 0 && sys::errno() == libc::EINTR {
            let pend = PENDING.load(Ordering::SeqCst);
            if intr && pend != 0 {
                return Err(pend.trailing_zeros() as i32);
            }
        } else {
            // Not our child any more (reaped elsewhere): count it as gone.
            p.ws = Some(127 << 8);
        }
    }
    Ok(())
}

/// Collects state changes without blocking; a job that stopped or ended is marked for a
/// notice, and a stopped one becomes the current job.
fn reap(sh: &mut Shell) {
    let mut stopped = Vec::new();
    for (k, j) in sh.jobs.list.iter_mut().enumerate() {
        let before = j.state();
        let jc = j.pgid != 0;
        for p in &mut j.procs {
            let flags = match p.ws {
                None if jc => libc::WNOHANG | libc::WUNTRACED,
                None => libc::WNOHANG,
                Some(w) if libc::WIFSTOPPED(w) => libc::WNOHANG | libc::WCONTINUED,
                Some(_) => continue,
            };
            let mut ws = 0;
            // SAFETY: a non-blocking waitpid on our own child.
            let r = unsafe { libc::waitpid(p.pid, &mut ws, flags) };
            if r == p.pid {
                p.ws = if libc::WIFCONTINUED(ws) { None } else { Some(ws) };
            } else if r < 0 && sys::errno() == libc::ECHILD {
                p.ws = Some(127 << 8);
            }
        }
        let now = j.state();
        if now != before && now != State::Running {
            j.changed = true;
            if now == State::Stopped {
                stopped.push(k);
            }
        }
    }
    for k in stopped {
        let j = sh.jobs.list.remove(k);
        sh.jobs.list.insert(0, j);
    }
}

/// `exit` (or end of input) with a stopped job: ash's warning, and the shell stays, once
/// (true: do not exit). Right after the warning, the next `exit` goes.
pub fn stopped_warning(sh: &mut Shell) -> bool {
    if sh.jobs.warned > 0 || sh.forked {
        return false;
    }
    reap(sh);
    if sh.jobs.list.first().is_some_and(|j| j.state() == State::Stopped) {
        let _ = sys::write_all(2, b"You have stopped jobs.\n");
        sh.jobs.warned = 2;
        return true;
    }
    false
}

/// Before each command line of a job-control shell (before the prompt when interactive):
/// the notices of jobs that stopped or ended, on stderr, as ash's cmdloop prints them.
/// `sh -c` strings get none (ash's evalstring), only `jobs` shows them.
pub fn at_command_line(sh: &mut Shell) {
    // The warning holds for the command line right after it only.
    sh.jobs.warned = if sh.jobs.warned == 2 { 1 } else { 0 };
    if !active(sh) || sh.opt.cmd || sh.in_trap {
        return;
    }
    save_modes(sh);
    notify(sh);
}

/// Prints the notices of changed jobs to stderr; a finished job is forgotten once shown
/// (as ash frees it, so the marks of the ones after it move up).
pub fn notify(sh: &mut Shell) {
    reap(sh);
    let mut out = Vec::new();
    let mut k = 0;
    while k < sh.jobs.list.len() {
        if sh.jobs.list[k].changed {
            show(&sh.jobs.list, k, Mode::Status, &mut out);
            sh.jobs.list[k].changed = false;
            if sh.jobs.list[k].state() == State::Done {
                sh.jobs.list.remove(k);
                continue;
            }
        }
        k += 1;
    }
    if !out.is_empty() {
        let _ = sys::write_all(2, &out);
    }
}

#[derive(PartialEq, Clone, Copy)]
enum Mode {
    Status,
    Pids,
    Pgid,
}

/// A signal's text as ash prints it in notices: strsignal, and " (core dumped)".
fn status_text(ws: i32, o: &mut Vec<u8>) {
    if libc::WIFEXITED(ws) {
        match libc::WEXITSTATUS(ws) {
            0 => o.extend_from_slice(b"Done"),
            n => {
                o.extend_from_slice(b"Done(");
                super::expand::push_num(o, n as i64);
                o.push(b')');
            }
        }
        return;
    }
    let sig = if libc::WIFSTOPPED(ws) { libc::WSTOPSIG(ws) } else { libc::WTERMSIG(ws) };
    // SAFETY: strsignal returns a static string.
    let s = unsafe { std::ffi::CStr::from_ptr(libc::strsignal(sig)) };
    o.extend_from_slice(s.to_bytes());
    if !libc::WIFSTOPPED(ws) && libc::WCOREDUMP(ws) {
        o.extend_from_slice(b" (core dumped)");
    }
}

/// One job as ash's showjob prints it: `[N]+  Status` padded to column 33, the command;
/// with pids (`jobs -l`) a line per process.
fn show(list: &[Job], k: usize, mode: Mode, o: &mut Vec<u8>) {
    let j = &list[k];
    if mode == Mode::Pgid {
        super::expand::push_num(o, (j.procs.first().map_or(0, |p| p.pid)) as i64);
        o.push(b'\n');
        return;
    }
    let start = o.len();
    o.push(b'[');
    super::expand::push_num(o, j.num as i64);
    o.extend_from_slice(match k {
        0 => b"]+  ",
        1 => b"]-  ",
        _ => b"]   ",
    });
    let indent = o.len() - start;
    if mode == Mode::Pids {
        super::expand::push_num(o, (j.procs.first().map_or(0, |p| p.pid)) as i64);
        o.push(b' ');
    }
    match j.state() {
        State::Running => o.extend_from_slice(b"Running"),
        State::Stopped => {
            let ws = j.procs.iter().find_map(|p| p.ws.filter(|&w| libc::WIFSTOPPED(w)));
            status_text(ws.unwrap_or(0), o);
        }
        State::Done => status_text(j.procs.last().and_then(|p| p.ws).unwrap_or(0), o),
    }
    let col = o.len() - start;
    o.resize(o.len() + 33usize.saturating_sub(col).max(1), b' ');
    for (i, p) in j.procs.iter().enumerate() {
        if i > 0 {
            if mode == Mode::Pids {
                // A line per process: its pid under the first one's, `| cmd` at column 33.
                o.push(b'\n');
                let ls = o.len();
                o.resize(o.len() + indent, b' ');
                super::expand::push_num(o, p.pid as i64);
                o.push(b' ');
                let col = o.len() - ls;
                o.resize(o.len() + 33usize.saturating_sub(col).max(1), b' ');
                o.extend_from_slice(b"| ");
            } else {
                o.extend_from_slice(b" | ");
            }
        }
        o.extend_from_slice(&p.cmd);
    }
    o.push(b'\n');
}

/// A job spec to its index in the table, or ash's message (the caller's status is 2).
fn find(sh: &Shell, spec: Option<&[u8]>) -> Result<usize, Vec<u8>> {
    find_in(&sh.jobs.list, spec)
}

fn find_in(list: &[Job], spec: Option<&[u8]>) -> Result<usize, Vec<u8>> {
    let cur = |k: usize, msg: &[u8]| if k < list.len() { Ok(k) } else { Err(msg.to_vec()) };
    let Some(name) = spec else {
        return cur(0, b"No current job");
    };
    let nosuch = || [name, b": no such job"].concat();
    let Some(p) = name.strip_prefix(b"%") else {
        return Err(nosuch());
    };
    match p {
        b"" | b"+" | b"%" => return cur(0, b"No current job"),
        b"-" => return cur(1, b"No previous job"),
        _ => {}
    }
    if p.iter().all(|c| c.is_ascii_digit()) {
        let n = sys::atoi(p);
        return list.iter().position(|j| j.num as i64 == n).ok_or_else(nosuch);
    }
    let (sub, pat) = match p.strip_prefix(b"?") {
        Some(s) => (true, s),
        None => (false, p),
    };
    let mut found = None;
    for (k, j) in list.iter().enumerate() {
        let c = j.procs.first().map_or(&b""[..], |p| &p.cmd[..]);
        let hit = if sub { pat.is_empty() || c.windows(pat.len()).any(|w| w == pat) } else { c.starts_with(pat) };
        if hit {
            if found.is_some() {
                return Err([name, b": ambiguous"].concat());
            }
            found = Some(k);
        }
    }
    found.ok_or_else(nosuch)
}

fn find_jc(sh: &Shell, spec: Option<&[u8]>) -> Result<usize, Vec<u8>> {
    let k = find(sh, spec)?;
    if sh.jobs.list[k].pgid == 0 {
        let name = spec.unwrap_or(b"(null)");
        return Err([b"job ", name, b" not created under job control"].concat());
    }
    Ok(k)
}

/// `jobs [-lp] [%JOB]...`
pub fn jobs(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let mut mode = Mode::Status;
    let mut i = 1;
    while let Some(x) = a.get(i).filter(|x| x.len() > 1 && x[0] == b'-') {
        i += 1;
        if x == b"--" {
            break;
        }
        for &c in &x[1..] {
            match c {
                b'l' => mode = Mode::Pids,
                b'p' => mode = Mode::Pgid,
                _ => {
                    sh.msg(&[b"illegal option -", &[c]]);
                    return Ok(2);
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut st = 0;
    if sh.jobs.list.is_empty() && !sh.jobs.parent.is_empty() {
        // In a child: the parent's jobs as they were, once.
        let l = std::mem::take(&mut sh.jobs.parent);
        for k in 0..l.len() {
            if i >= a.len() || a[i..].iter().any(|x| find_in(&l, Some(x)) == Ok(k)) {
                show(&l, k, mode, &mut out);
            }
        }
        super::builtins::out(sh, &out);
        return Ok(0);
    }
    if i >= a.len() {
        reap(sh);
        let mut k = 0;
        while k < sh.jobs.list.len() {
            if !show_one(sh, k, mode, &mut out) {
                k += 1;
            }
        }
    } else {
        for x in &a[i..] {
            match find(sh, Some(x)) {
                Ok(k) => {
                    show_one(sh, k, mode, &mut out);
                }
                Err(m) => {
                    super::builtins::out(sh, &out);
                    out.clear();
                    sh.msg(&[&m]);
                    st = 2;
                    break;
                }
            }
        }
    }
    super::builtins::out(sh, &out);
    Ok(st)
}

/// Lists job `k` for `jobs`; true when it was finished and so forgotten.
fn show_one(sh: &mut Shell, k: usize, mode: Mode, out: &mut Vec<u8>) -> bool {
    show(&sh.jobs.list, k, mode, out);
    if mode == Mode::Pgid {
        return false;
    }
    sh.jobs.list[k].changed = false;
    if sh.jobs.list[k].state() == State::Done {
        sh.jobs.list.remove(k);
        return true;
    }
    false
}

fn text_line(j: &Job, o: &mut Vec<u8>) {
    for (i, p) in j.procs.iter().enumerate() {
        if i > 0 {
            o.extend_from_slice(b" | ");
        }
        o.extend_from_slice(&p.cmd);
    }
    o.push(b'\n');
}

fn resume(j: &mut Job) {
    for p in &mut j.procs {
        if p.ws.is_some_and(|w| libc::WIFSTOPPED(w)) {
            p.ws = None;
        }
    }
    // SAFETY: signalling our own job's process group.
    unsafe { libc::killpg(j.pgid, libc::SIGCONT) };
}

/// `fg [%JOB]`: the job to the terminal, continued, waited for.
pub fn fg(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let k = match find_jc(sh, a.get(1).map(|x| &x[..])) {
        Ok(k) => k,
        Err(m) => {
            sh.msg(&[&m]);
            return Ok(2);
        }
    };
    let mut j = sh.jobs.list.remove(k);
    let mut t = Vec::new();
    text_line(&j, &mut t);
    super::builtins::out(sh, &t);
    j.changed = false;
    // SAFETY: the terminal to the job's group.
    unsafe { libc::tcsetpgrp(sh.jobs.tty, j.pgid) };
    resume(&mut j);
    wait_fg(sh, j)
}

/// `bg [%JOB]...`: continues stopped jobs in the background.
pub fn bg(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    let specs: Vec<Option<&[u8]>> = if a.len() > 1 { a[1..].iter().map(|x| Some(&x[..])).collect() } else { vec![None] };
    for s in specs {
        let k = match find_jc(sh, s) {
            Ok(k) => k,
            Err(m) => {
                sh.msg(&[&m]);
                return Ok(2);
            }
        };
        let mut j = sh.jobs.list.remove(k);
        let mut t = b"[".to_vec();
        super::expand::push_num(&mut t, j.num as i64);
        t.extend_from_slice(b"] ");
        text_line(&j, &mut t);
        super::builtins::out(sh, &t);
        resume(&mut j);
        place_running(&mut sh.jobs.list, j);
    }
    Ok(0)
}

/// `wait [PID|%JOB]...`: the last one's status; 127 for a pid that is not a child;
/// 128+N when trapped signal N comes first.
pub fn wait(sh: &mut Shell, a: &[Vec<u8>]) -> R {
    if a.len() == 1 {
        let mut k = 0;
        while k < sh.jobs.list.len() {
            if let Err(sig) = wait_job(&mut sh.jobs.list[k], true) {
                sh.run_traps()?;
                return Ok(128 + sig);
            }
            k += 1;
        }
        return Ok(0);
    }
    let mut st = 0;
    for x in &a[1..] {
        let k = if x.starts_with(b"%") {
            match find(sh, Some(x)) {
                Ok(k) => Some(k),
                Err(m) => {
                    sh.msg(&[&m]);
                    return Ok(2);
                }
            }
        } else {
            let pid = super::builtins::number(sh, x)? as i32;
            sh.jobs.list.iter().position(|j| j.procs.iter().any(|p| p.pid == pid))
        };
        st = match k {
            Some(k) => {
                let pf = sh.opt.pipefail;
                let j = &mut sh.jobs.list[k];
                if let Err(sig) = wait_job(j, true) {
                    sh.run_traps()?;
                    return Ok(128 + sig);
                }
                let st = j.status(pf);
                if j.state() == State::Done {
                    let last = j.procs.last().and_then(|p| p.ws).unwrap_or(0);
                    if libc::WIFSIGNALED(last) && ![libc::SIGINT, libc::SIGPIPE].contains(&libc::WTERMSIG(last)) {
                        let mut m = Vec::new();
                        status_text(last, &mut m);
                        m.push(b'\n');
                        let _ = sys::write_all(2, &m);
                    }
                }
                st
            }
            None => 127,
        };
    }
    Ok(st)
}

/// `kill [-SIG] %JOB`: the job's process group under job control, else each of its
/// processes still alive. A stopped job is continued after the signal so that it can act
/// on it (bash does; ash leaves it stopped). Err(status) after the message.
pub fn kill(sh: &mut Shell, spec: &[u8], sig: i32) -> Result<(), i32> {
    let k = match find(sh, Some(spec)) {
        Ok(k) => k,
        Err(m) => {
            sh.msg(&[&m]);
            return Err(2);
        }
    };
    let j = &sh.jobs.list[k];
    let mut targets = Vec::new();
    if j.state() == State::Done {
        // Nothing left to signal.
    } else if j.pgid != 0 {
        targets.push(-j.pgid);
    } else {
        targets.extend(j.procs.iter().filter(|p| p.ws.is_none_or(|w| libc::WIFSTOPPED(w))).map(|p| p.pid));
    }
    let stopped = j.state() == State::Stopped;
    let mut st = Ok(());
    let mut cont = false;
    for t in targets {
        // SAFETY: kill(2) on our own job.
        if unsafe { libc::kill(t, sig) } != 0 {
            let e = sys::errno();
            let mut m = sh.arg0.clone();
            m.extend_from_slice(b": can't kill pid ");
            super::expand::push_num(&mut m, t as i64);
            m.extend_from_slice(b": ");
            m.extend_from_slice(sys::strerror(e));
            m.push(b'\n');
            let _ = sys::write_all(2, &m);
            st = Err(1);
        } else if stopped && !STOPS.contains(&sig) && ![0, libc::SIGCONT, libc::SIGSTOP].contains(&sig) {
            // SAFETY: as above.
            unsafe { libc::kill(t, libc::SIGCONT) };
            cont = true;
        }
    }
    if cont {
        // Running again: `wait` must wait for it to end.
        for p in &mut sh.jobs.list[k].procs {
            if p.ws.is_some_and(|w| libc::WIFSTOPPED(w)) {
                p.ws = None;
            }
        }
    }
    st
}

// ---- The command text `jobs` shows, printed from the tree as ash's cmdtxt does. ----

/// A command as ash shows it in job listings: `sleep $((1+99)) 1>/dev/null`, `(a; b)`,
/// `$(...)` for command substitutions, braces of a group dropped, assignments left out.
pub fn text(c: &Cmd) -> Vec<u8> {
    let mut o = Vec::new();
    cmd_text(c, &mut o);
    o
}

/// A subshell's text, `(LIST)` (without building a `Cmd` for it).
pub fn subshell_text(l: &List) -> Vec<u8> {
    let mut o = vec![b'('];
    list_text(l, &mut o);
    o.push(b')');
    o
}

/// A simple command's text: its words as typed and its redirections (not assignments).
pub fn text_simple(words: &[Word], redirs: &[Redir]) -> Vec<u8> {
    let mut o = Vec::new();
    simple_text(words, redirs, &mut o);
    o
}

fn simple_text(words: &[Word], redirs: &[Redir], o: &mut Vec<u8>) {
    let mut first = true;
    for w in words {
        if !first {
            o.push(b' ');
        }
        first = false;
        word_text(w, o);
    }
    for r in redirs {
        if !first {
            o.push(b' ');
        }
        first = false;
        redir_text(r, o);
    }
}

/// A simple command's text from its expanded words and its redirections.
pub fn text_args(args: &[Vec<u8>], redirs: &[Redir]) -> Vec<u8> {
    let mut o = Vec::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            o.push(b' ');
        }
        o.extend_from_slice(a);
    }
    for r in redirs {
        o.push(b' ');
        redir_text(r, &mut o);
    }
    o
}

fn list_text(l: &List, o: &mut Vec<u8>) {
    for (i, (c, bg)) in l.iter().enumerate() {
        cmd_text(c, o);
        if *bg {
            o.extend_from_slice(b" &");
        }
        if i + 1 < l.len() {
            o.extend_from_slice(if *bg { b" " } else { b"; " });
        }
    }
}

fn cmd_text(c: &Cmd, o: &mut Vec<u8>) {
    match c {
        Cmd::Simple { words, redirs, .. } => simple_text(words, redirs, o),
        Cmd::Pipeline { bang, cmds } => {
            if *bang {
                o.extend_from_slice(b"! ");
            }
            for (i, c) in cmds.iter().enumerate() {
                if i > 0 {
                    o.extend_from_slice(b" | ");
                }
                cmd_text(c, o);
            }
        }
        Cmd::And(a, b) | Cmd::Or(a, b) => {
            cmd_text(a, o);
            o.extend_from_slice(if matches!(c, Cmd::And(..)) { b" && " } else { b" || " });
            cmd_text(b, o);
        }
        Cmd::Subshell(l) => {
            o.push(b'(');
            list_text(l, o);
            o.push(b')');
        }
        Cmd::Group(l) => list_text(l, o),
        Cmd::If { arms, els } => {
            for (i, (c, b)) in arms.iter().enumerate() {
                o.extend_from_slice(if i == 0 { b"if " } else { b"; elif " });
                list_text(c, o);
                o.extend_from_slice(b"; then ");
                list_text(b, o);
            }
            if let Some(e) = els {
                o.extend_from_slice(b"; else ");
                list_text(e, o);
            }
            o.extend_from_slice(b"; fi");
        }
        Cmd::Loop { until, cond, body } => {
            o.extend_from_slice(if *until { b"until " } else { b"while " });
            list_text(cond, o);
            o.extend_from_slice(b"; do ");
            list_text(body, o);
            o.extend_from_slice(b"; done");
        }
        Cmd::For { var, words, body } => {
            o.extend_from_slice(b"for ");
            o.extend_from_slice(var);
            if let Some(ws) = words {
                o.extend_from_slice(b" in");
                for w in ws {
                    o.push(b' ');
                    word_text(w, o);
                }
            }
            o.extend_from_slice(b"; do ");
            list_text(body, o);
            o.extend_from_slice(b"; done");
        }
        Cmd::Case { word, arms } => {
            o.extend_from_slice(b"case ");
            word_text(word, o);
            o.extend_from_slice(b" in ");
            for a in arms {
                // ash shows only the first pattern of an arm.
                if let Some(p) = a.pats.first() {
                    word_text(p, o);
                }
                o.extend_from_slice(b") ");
                list_text(&a.body, o);
                o.extend_from_slice(b";; ");
            }
            o.extend_from_slice(b"esac");
        }
        Cmd::Func { name, body } => {
            o.extend_from_slice(name);
            o.extend_from_slice(b"() { ");
            cmd_text(body, o);
            o.extend_from_slice(b" }");
        }
        Cmd::Redirected(c, redirs) => {
            cmd_text(c, o);
            for r in redirs {
                o.push(b' ');
                redir_text(r, o);
            }
        }
        Cmd::Cond(c, _) => {
            o.extend_from_slice(b"[[ ");
            cond_text(c, o);
            o.extend_from_slice(b" ]]");
        }
    }
}

fn cond_text(c: &super::ast::Cond, o: &mut Vec<u8>) {
    use super::ast::Cond;
    match c {
        Cond::Word(w) => word_text(w, o),
        Cond::Un(op, w) => {
            o.extend_from_slice(&[b'-', *op, b' ']);
            word_text(w, o);
        }
        Cond::Bin(op, a, b) => {
            word_text(a, o);
            o.push(b' ');
            o.extend_from_slice(op.as_bytes());
            o.push(b' ');
            word_text(b, o);
        }
        Cond::Not(c) => {
            o.extend_from_slice(b"! ");
            cond_text(c, o);
        }
        Cond::And(a, b) | Cond::Or(a, b) => {
            cond_text(a, o);
            o.extend_from_slice(if matches!(c, Cond::And(..)) { b" && " } else { b" || " });
            cond_text(b, o);
        }
        Cond::Bad(w, _) => {
            if let Some(w) = w {
                word_text(w, o);
            }
        }
    }
}

fn redir_text(r: &Redir, o: &mut Vec<u8>) {
    super::expand::push_num(o, r.fd as i64);
    o.extend_from_slice(match r.op {
        RedirOp::In => b"<",
        RedirOp::Out => b">",
        RedirOp::Append => b">>",
        RedirOp::Clobber => b">|",
        RedirOp::ReadWrite => b"<>",
        RedirOp::DupIn => b"<&",
        RedirOp::DupOut => b">&",
        RedirOp::Here => b"<<",
    });
    word_text(&r.target, o);
}

fn word_text(w: &Word, o: &mut Vec<u8>) {
    for p in w {
        part_text(p, o, false);
    }
}

fn part_text(p: &Part, o: &mut Vec<u8>, dq: bool) {
    match p {
        Part::Lit(s) => o.extend_from_slice(s),
        Part::Quoted(s) if dq => o.extend_from_slice(s),
        Part::Quoted(s) => {
            // ash keeps quoted text as double-quoted.
            o.push(b'"');
            o.extend_from_slice(s);
            o.push(b'"');
        }
        Part::Dq(ps) => {
            o.push(b'"');
            for p in ps {
                part_text(p, o, true);
            }
            o.push(b'"');
        }
        Part::Param(p) => {
            o.extend_from_slice(b"${");
            let (pre, op): (&[u8], &[u8]) = match p.op {
                Op::Plain => (b"", b""),
                Op::Len => (b"#", b""),
                Op::Default => (b"", b"-"),
                Op::Assign => (b"", b"="),
                Op::Error => (b"", b"?"),
                Op::Alt => (b"", b"+"),
                Op::TrimSuffix => (b"", b"%"),
                Op::TrimSuffixLong => (b"", b"%%"),
                Op::TrimPrefix => (b"", b"#"),
                Op::TrimPrefixLong => (b"", b"##"),
                Op::Substr => (b"", b":"),
                Op::Repl => (b"", b"/"),
                Op::ReplAll => (b"", b"//"),
            };
            o.extend_from_slice(pre);
            o.extend_from_slice(&p.name);
            if p.colon && !matches!(p.op, Op::Substr) {
                o.push(b':');
            }
            o.extend_from_slice(op);
            for q in &p.word {
                part_text(q, o, true);
            }
            if let Some(w2) = &p.word2 {
                o.push(if matches!(p.op, Op::Substr) { b':' } else { b'/' });
                for q in w2 {
                    part_text(q, o, true);
                }
            }
            o.push(b'}');
        }
        Part::Cmd(_) => o.extend_from_slice(b"$(...)"),
        Part::Arith(w) => {
            o.extend_from_slice(b"$((");
            for q in w {
                part_text(q, o, true);
            }
            o.extend_from_slice(b"))");
        }
    }
}
