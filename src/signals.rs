//! Signal names and numbers as BusyBox's get_signum/get_signame know them: `9`, `KILL`,
//! `SIGKILL`, `kill` (any case), plus `IO` and `IOT`; numbers without a name print as the
//! number, 0 is `EXIT`. The table comes from libc's constants, so it is right on every
//! architecture.

/// Signals 1..=31 by number (index = number); "" where the platform has none.
const NAMES: [(&str, i32); 31] = [
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
    ("STKFLT", libc::SIGSTKFLT),
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
    ("POLL", libc::SIGPOLL),
    ("PWR", libc::SIGPWR),
    ("SYS", libc::SIGSYS),
];

/// NSIG: numbers below it are accepted as signals.
pub const NSIG: u32 = 65;

/// The number of signal `s` (a decimal below NSIG, or a name with or without SIG, any case).
pub fn number(s: &[u8]) -> Option<i32> {
    if let Some(n) = crate::args::parse_u64(s) {
        return (n < NSIG as u64).then_some(n as i32);
    }
    let s = match s.get(..3) {
        Some(p) if p.eq_ignore_ascii_case(b"SIG") => &s[3..],
        _ => s,
    };
    if let Some(&(_, n)) = NAMES
        .iter()
        .find(|(name, _)| name.as_bytes().eq_ignore_ascii_case(s))
    {
        return Some(n);
    }
    if s.eq_ignore_ascii_case(b"IO") {
        return Some(libc::SIGIO);
    }
    if s.eq_ignore_ascii_case(b"IOT") {
        return Some(libc::SIGIOT);
    }
    None
}

/// The name of signal `n` without SIG ("EXIT" for 0), or None when it has none.
pub fn name(n: i32) -> Option<&'static str> {
    if n == 0 {
        return Some("EXIT");
    }
    NAMES.iter().find(|(_, v)| *v == n).map(|(s, _)| *s)
}

/// The name of `n`, or its number: appended to `out` (BusyBox's get_signame).
pub fn name_or_number(n: i32, out: &mut Vec<u8>) {
    match name(n) {
        Some(s) => out.extend_from_slice(s.as_bytes()),
        None => {
            let mut b = [0u8; 20];
            out.extend_from_slice(crate::cx::fmt_u64(n.unsigned_abs() as u64, &mut b));
        }
    }
}

/// BusyBox's `kill -l` listing: ` 1) HUP` one per line, for every named signal.
pub fn list(out: &mut Vec<u8>) {
    for n in 1..NSIG as i32 {
        if let Some(s) = name(n) {
            let mut b = [0u8; 20];
            let d = crate::cx::fmt_u64(n as u64, &mut b);
            if d.len() < 2 {
                out.push(b' ');
            }
            out.extend_from_slice(d);
            out.extend_from_slice(b") ");
            out.extend_from_slice(s.as_bytes());
            out.push(b'\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers() {
        assert_eq!(number(b"9"), Some(9));
        assert_eq!(number(b"0"), Some(0));
        assert_eq!(number(b"65"), None);
        assert_eq!(number(b"KILL"), Some(libc::SIGKILL));
        assert_eq!(number(b"sigterm"), Some(libc::SIGTERM));
        assert_eq!(number(b"SIGhup"), Some(libc::SIGHUP));
        assert_eq!(number(b"iot"), Some(libc::SIGABRT));
        assert_eq!(number(b"IO"), Some(libc::SIGIO));
        assert_eq!(number(b"sig9"), None);
        assert_eq!(number(b""), None);
        assert_eq!(number(b"SIG"), None);
        assert_eq!(name(0), Some("EXIT"));
        assert_eq!(name(libc::SIGUSR1), Some("USR1"));
        assert_eq!(name(40), None);
        let mut v = Vec::new();
        list(&mut v);
        assert!(v.starts_with(b" 1) HUP\n 2) INT\n"));
    }
}
