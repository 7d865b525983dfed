//! reset on a pseudo-terminal left in raw mode.

use crate::common::*;
use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::process::Stdio;

#[test]
fn restores_a_raw_terminal() {
    let (mut m, mut s) = (0, 0);
    // SAFETY: out-pointers to ints.
    assert_eq!(
        unsafe {
            libc::openpty(
                &mut m,
                &mut s,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        },
        0
    );
    // SAFETY: just opened, ours.
    let (m, s) = unsafe { (OwnedFd::from_raw_fd(m), OwnedFd::from_raw_fd(s)) };
    // SAFETY: termios is plain data.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    unsafe {
        libc::tcgetattr(s.as_raw_fd(), &mut t);
        libc::cfmakeraw(&mut t);
        t.c_cc[libc::VINTR] = 0;
        libc::tcsetattr(s.as_raw_fd(), libc::TCSANOW, &t);
    }
    let o = cmd("reset")
        .cmd
        .stdin(Stdio::from(s.try_clone().unwrap()))
        .stdout(Stdio::from(s.try_clone().unwrap()))
        .stderr(Stdio::from(s.try_clone().unwrap()))
        .status()
        .unwrap();
    assert_eq!(o.code(), Some(0));
    let mut got = [0u8; 64];
    // SAFETY: non-blocking read of what reset wrote.
    unsafe { libc::fcntl(m.as_raw_fd(), libc::F_SETFL, libc::O_NONBLOCK) };
    // (The master stays open: closing it would hang the terminal up.)
    let mut master = std::fs::File::from(m);
    let n = master.read(&mut got).unwrap_or(0);
    assert_eq!(&got[..n], b"\x1bc\x1b(B\x1b[m\x1b[J\x1b[?25h");
    unsafe { libc::tcgetattr(s.as_raw_fd(), &mut t) };
    for f in [libc::ECHO, libc::ICANON, libc::ISIG, libc::IEXTEN] {
        assert_ne!(t.c_lflag & f, 0, "lflag {:o} flag {f:o}", t.c_lflag);
    }
    assert_ne!(t.c_oflag & libc::OPOST, 0);
    assert_ne!(t.c_iflag & libc::ICRNL, 0);
    assert_eq!(t.c_cc[libc::VINTR], 3);
    drop(master);
    // Not a terminal: nothing to do.
    run("reset", &[]).ok("");
}
