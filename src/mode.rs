//! chmod's mode grammar, shared by chmod, mkdir -m, install -m, mkfifo -m, mknod -m:
//! BusyBox's bb_parse_mode.
//!
//! ```ignore
//! let m = rbox::mode::parse(b"u+rwx,g-w,o=", st.st_mode, rbox::mode::umask())?; // None: invalid
//! let m = rbox::mode::parse(b"755", 0, 0);                                       // Some(0o755)
//! ```
//! - Octal (first character 0-7): the whole string, at most 07777; it replaces the
//!   permission bits (the file type bits of `current` are kept).
//! - Otherwise clauses separated by `,` (empty ones allowed): a who list of `ugoa` (none:
//!   every class, masked by the umask for `+`, `-` and `=` with permissions), then one or more
//!   actions, each an operator `+`, `-` or `=` followed by permissions from `rwxXst`, or by
//!   one of `ugo` to copy that class's current bits. `=` first clears the who list's bits
//!   (all 07777 with no who). `X` is `x` when the file is a directory or already has an
//!   execute bit (as the mode stands after the clauses before it).

/// Every permission bit, with set-id and sticky.
const FILEMODE: u32 = 0o7777;

/// The process umask (set to 0 and back, as BusyBox reads it).
pub fn umask() -> u32 {
    // SAFETY: umask cannot fail; the value is put straight back.
    unsafe {
        let m = libc::umask(0);
        libc::umask(m);
        m as u32
    }
}

/// `current` (its file type bits are kept) changed by `s`; None when `s` is not a mode.
pub fn parse(s: &[u8], current: u32, umask: u32) -> Option<u32> {
    if s.first().is_some_and(|c| (b'0'..=b'7').contains(c)) {
        let mut n: u32 = 0;
        for &c in s {
            if !(b'0'..=b'7').contains(&c) {
                return None;
            }
            n = n * 8 + (c - b'0') as u32;
            if n > FILEMODE {
                return None;
            }
        }
        return Some(current & !FILEMODE | n);
    }
    const WHO: [(u8, u32); 4] = [
        (b'a', 0o7777),
        (b'u', 0o4700),
        (b'g', 0o2070),
        (b'o', 0o0007),
    ];
    const PERM: [(u8, u32); 6] = [
        (b'r', 0o444),
        (b'w', 0o222),
        (b'x', 0o111),
        (b'X', 0o111),
        (b's', 0o6000),
        (b't', 0o1000),
    ];
    let mut mode = current;
    let mut i = 0;
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    while i < s.len() {
        if s[i] == b',' {
            i += 1;
            continue;
        }
        let mut who = 0;
        while let Some(w) = WHO.iter().find(|w| w.0 == at(i)) {
            who |= w.1;
            i += 1;
            if i == s.len() {
                return None;
            }
        }
        loop {
            let op = at(i);
            match op {
                b'+' | b'-' => {}
                b'=' => mode &= !if who != 0 { who } else { FILEMODE },
                _ => return None,
            }
            i += 1;
            let mut perms = 0;
            if let Some(w) = WHO[1..].iter().find(|w| w.0 == at(i)) {
                // Copy a class: its rwx bits, spread to every class, then masked by `who`.
                perms = w.1 & 0o777 & mode;
                for p in &PERM[..3] {
                    if perms & p.1 != 0 {
                        perms |= p.1;
                    }
                }
                i += 1;
            } else {
                while let Some(p) = PERM.iter().find(|p| p.0 == at(i)) {
                    if p.0 != b'X' || mode & (libc::S_IFDIR | 0o111) != 0 {
                        perms |= p.1;
                    }
                    i += 1;
                }
            }
            if perms != 0 {
                perms &= if who != 0 { who } else { !umask };
                if op == b'-' {
                    mode &= !perms;
                } else {
                    mode |= perms;
                }
            }
            if i >= s.len() || s[i] == b',' {
                break;
            }
        }
    }
    Some(mode)
}

/// `-rwxr-xr-x` (BusyBox's bb_mode_string): the type letter, then rwx with s/S and t/T.
pub fn string(mode: u32, b: &mut Vec<u8>) {
    b.push(b"?pc?d?b?-?l?s???"[((mode >> 12) & 15) as usize]);
    for (shift, special, lower, upper) in [
        (6, 0o4000, b's', b'S'),
        (3, 0o2000, b's', b'S'),
        (0, 0o1000, b't', b'T'),
    ] {
        let m = mode >> shift;
        b.push(if m & 4 != 0 { b'r' } else { b'-' });
        b.push(if m & 2 != 0 { b'w' } else { b'-' });
        b.push(match (m & 1 != 0, mode & special != 0) {
            (true, false) => b'x',
            (false, false) => b'-',
            (true, true) => lower,
            (false, true) => upper,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str, cur: u32) -> Option<u32> {
        parse(s.as_bytes(), cur, 0o022)
    }

    #[test]
    fn octal() {
        assert_eq!(p("755", 0o100644), Some(0o100755));
        assert_eq!(p("0", 0o777), Some(0));
        assert_eq!(p("7777", 0), Some(0o7777));
        assert_eq!(p("17777", 0), None);
        assert_eq!(p("78", 0), None);
        assert_eq!(p("7,", 0), None);
    }

    #[test]
    fn symbolic() {
        let f = libc::S_IFREG;
        let d = libc::S_IFDIR;
        assert_eq!(p("u+rwx,g-w,o=", f | 0o666), Some(f | 0o740));
        assert_eq!(p("a+X", f | 0o644), Some(f | 0o644));
        assert_eq!(p("a+X", f | 0o744), Some(f | 0o755));
        assert_eq!(p("a+X", d | 0o600), Some(d | 0o711));
        assert_eq!(p("=", f | 0o4755), Some(f));
        assert_eq!(p("u=g", f | 0o650), Some(f | 0o550));
        assert_eq!(p("go=u", f | 0o700), Some(f | 0o777));
        assert_eq!(p("u+s,g+s,+t", f | 0o755), Some(f | 0o7755));
        assert_eq!(p("o+s", f | 0o755), Some(f | 0o755));
        assert_eq!(p("u-s", f | 0o4755), Some(f | 0o755));
        assert_eq!(p("u+r-w+x", f | 0o200), Some(f | 0o500));
        assert_eq!(p("u=rw,go=r", f), Some(f | 0o644));
        assert_eq!(p(",,u+x,", f), Some(f | 0o100));
        assert_eq!(p("", f | 0o644), Some(f | 0o644));
        assert_eq!(p("u+", f | 0o644), Some(f | 0o644));
        // No who: the umask limits what is given and what is taken (POSIX, BusyBox).
        assert_eq!(p("+w", f | 0o444), Some(f | 0o644));
        assert_eq!(p("-w", f | 0o666), Some(f | 0o466));
        assert_eq!(p("=rwx", f | 0o7000), Some(f | 0o755));
        assert_eq!(parse(b"+w", f, 0), Some(f | 0o222));
    }

    #[test]
    fn invalid() {
        for s in ["u", "ug", "x", "u+z", "u=gw", "+rwz", "a+rw,q", "u*x", "9"] {
            assert_eq!(p(s, 0o644), None, "{s}");
        }
    }
}
