//! The builtin table, like the applet table: a name, whether POSIX calls it special
//! (assignments before it stay, its errors end the shell), and its function. One file per
//! group: special.rs (POSIX's special builtins), dirs.rs (cd, pwd), io.rs (echo, read),
//! misc.rs (the rest).

mod dirs;
mod io;
mod misc;
mod special;

use super::exec::{Shell, R};
pub use misc::test;
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
    b("bg", false, super::jobs::bg),
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
    b("fg", false, super::jobs::fg),
    b("getopts", false, misc::getopts),
    b("hash", false, misc::hash),
    b("help", false, misc::help),
    b("history", false, super::interactive::history),
    b("jobs", false, super::jobs::jobs),
    b("kill", false, misc::kill),
    b("let", false, misc::let_),
    b("local", true, special::local),
    b("printf", false, io::printf),
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
    b("wait", false, super::jobs::wait),
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

/// A signal by name (`INT`, `SIGINT`, any case) or number; `EXIT` is 0.
pub fn signal(s: &[u8]) -> Option<i32> {
    if s.eq_ignore_ascii_case(b"EXIT") {
        return Some(0);
    }
    crate::signals::number(s)
}

pub fn signame(n: i32) -> Vec<u8> {
    let mut v = Vec::new();
    crate::signals::name_or_number(n, &mut v);
    v
}
