//! The builtin table, like the applet table: a name, whether POSIX calls it special
//! (assignments before it stay, its errors end the shell), and its function. One file per
//! group: special.rs (POSIX's special builtins), dirs.rs (cd, pwd), io.rs (echo, read),
//! misc.rs (the rest).

mod dirs;
mod io;
mod misc;
mod special;

use super::exec::{Shell, R};
pub use special::{long_opt, set_opt};

pub type Run = fn(&mut Shell, &[Vec<u8>]) -> R;

pub struct Builtin {
    pub name: &'static str,
    pub special: bool,
    pub run: Run,
}

const fn b(name: &'static str, special: bool, run: Run) -> Builtin {
    Builtin { name, special, run }
}

/// Sorted by name (binary search).
pub static TABLE: &[Builtin] = &[
    b(".", true, special::dot),
    b(":", true, special::colon),
    b("[", false, misc::test),
    b("[[", false, misc::test),
    b("alias", false, misc::alias),
    b("break", true, special::brk),
    b("cd", false, dirs::cd),
    b("chdir", false, dirs::cd),
    b("command", false, misc::command),
    b("continue", true, special::cont),
    b("echo", false, io::echo),
    b("eval", true, special::eval),
    b("exec", true, special::exec),
    b("exit", true, special::exit),
    b("export", true, special::export),
    b("false", false, misc::false_),
    b("getopts", false, misc::getopts),
    b("hash", false, misc::hash),
    b("help", false, misc::help),
    b("kill", false, misc::kill),
    b("let", false, misc::let_),
    b("local", true, special::local),
    b("pwd", false, dirs::pwd),
    b("read", false, io::read),
    b("readonly", true, special::readonly),
    b("return", true, special::ret),
    b("set", true, special::set),
    b("shift", true, special::shift),
    b("test", false, misc::test),
    b("times", true, special::times),
    b("trap", true, special::trap),
    b("true", false, misc::true_),
    b("type", false, misc::type_),
    b("ulimit", false, misc::ulimit),
    b("umask", false, misc::umask),
    b("unalias", false, misc::unalias),
    b("unset", true, special::unset),
    b("wait", false, misc::wait),
];

pub fn find(name: &[u8]) -> Option<&'static Builtin> {
    TABLE
        .binary_search_by(|b| b.name.as_bytes().cmp(name))
        .ok()
        .map(|i| &TABLE[i])
}

/// Writes to the shell's (possibly redirected) standard output; false on a write error,
/// which has then been reported.
pub fn out(sh: &Shell, b: &[u8]) -> bool {
    match crate::sys::write_all(1, b) {
        Ok(()) => true,
        Err(libc::EPIPE) => false,
        Err(e) => {
            sh.msg(&[b"write error: ", crate::sys::strerror(e)]);
            false
        }
    }
}

/// A decimal argument, or ash's `Illegal number: X` (fatal).
pub fn number(sh: &mut Shell, s: &[u8]) -> R<i64> {
    let ok = !s.is_empty() && s.iter().all(|c| c.is_ascii_digit()) && s.len() < 19;
    if ok {
        return Ok(s.iter().fold(0i64, |n, d| n * 10 + (d - b'0') as i64));
    }
    Err(sh.fatal(&[b"Illegal number: ", s]))
}

/// Signal names, by number (as `kill -l` lists them).
pub const SIGNALS: &[(&str, i32)] = &[
    ("HUP", libc::SIGHUP),
    ("INT", libc::SIGINT),
    ("QUIT", libc::SIGQUIT),
    ("ILL", libc::SIGILL),
    ("TRAP", libc::SIGTRAP),
    ("ABRT", libc::SIGABRT),
    ("BUS", libc::SIGBUS),
    ("FPE", libc::SIGFPE),
    ("KILL", libc::SIGKILL),
    ("USR1", libc::SIGUSR1),
    ("SEGV", libc::SIGSEGV),
    ("USR2", libc::SIGUSR2),
    ("PIPE", libc::SIGPIPE),
    ("ALRM", libc::SIGALRM),
    ("TERM", libc::SIGTERM),
    ("STKFLT", 16),
    ("CHLD", libc::SIGCHLD),
    ("CONT", libc::SIGCONT),
    ("STOP", libc::SIGSTOP),
    ("TSTP", libc::SIGTSTP),
    ("TTIN", libc::SIGTTIN),
    ("TTOU", libc::SIGTTOU),
    ("URG", libc::SIGURG),
    ("XCPU", libc::SIGXCPU),
    ("XFSZ", libc::SIGXFSZ),
    ("VTALRM", libc::SIGVTALRM),
    ("PROF", libc::SIGPROF),
    ("WINCH", libc::SIGWINCH),
    ("POLL", libc::SIGIO),
    ("PWR", libc::SIGPWR),
    ("SYS", libc::SIGSYS),
];

/// A signal by name (`INT`, `SIGINT`, any case) or number; `EXIT` is 0.
pub fn signal(s: &[u8]) -> Option<i32> {
    if !s.is_empty() && s.iter().all(|c| c.is_ascii_digit()) {
        let n: i32 = std::str::from_utf8(s).ok()?.parse().ok()?;
        return (n < 65).then_some(n);
    }
    let up = s.to_ascii_uppercase();
    let up = up.strip_prefix(b"SIG").unwrap_or(&up);
    if up == b"EXIT" {
        return Some(0);
    }
    SIGNALS
        .iter()
        .find(|(n, _)| n.as_bytes() == up)
        .map(|&(_, v)| v)
}

pub fn signame(n: i32) -> Vec<u8> {
    if n == 0 {
        return b"EXIT".to_vec();
    }
    match SIGNALS.iter().find(|&&(_, v)| v == n) {
        Some((name, _)) => name.as_bytes().to_vec(),
        None => n.to_string().into_bytes(),
    }
}
