//! top: the batch layout against BusyBox, and the live screen on a pseudo-terminal.

use crate::common::*;
use crate::proc_util::*;
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::Stdio;

#[test]
fn batch_layout() {
    let k = Kid::sleep();
    let o = run("top", &["-b", "-n", "1"]);
    assert_eq!((o.code, o.err().as_str()), (0, ""));
    let out = o.out();
    let l: Vec<&str> = out.lines().collect();
    // Cut at 79 columns (an 80-column screen) as BusyBox does, which big memory figures reach.
    assert!(
        l[0].starts_with("Mem: ") && (l[0].ends_with("K cached") || l[0].len() >= 79),
        "{}",
        l[0]
    );
    assert!(
        l[1].starts_with("CPU:") && l[1].ends_with("% sirq"),
        "{}",
        l[1]
    );
    assert!(l[2].starts_with("Load average: "), "{}", l[2]);
    assert_eq!(l[3], "  PID  PPID USER     STAT   VSZ %VSZ %CPU COMMAND");
    assert!(l.iter().all(|x| x.len() <= 446));
    // The child's row is the same as BusyBox's (a sleeping process: 0% of everything).
    let kid_row = |o: &str| -> Vec<String> {
        o.lines()
            .filter(|l| l.split_whitespace().next() == Some(&k.pid().to_string()))
            .map(String::from)
            .collect()
    };
    let mine = kid_row(&out);
    assert_eq!(mine.len(), 1, "{out}");
    if has_busybox() {
        let b = bb("top").args(["-b", "-n", "1"]).run();
        assert_eq!(mine, kid_row(&b.out()));
        assert_eq!(b.out().lines().nth(3), Some(l[3]));
    }
    // -p: only the given processes.
    let o = run("top", &["-b", "-n", "1", "-p", &k.pid().to_string()]);
    assert_eq!(o.out().lines().count(), 5, "{}", o.out());
    // Two iterations: two screens.
    let o = run(
        "top",
        &["-b", "-n", "2", "-d", "0.05", "-p", &k.pid().to_string()],
    );
    assert_eq!(o.out().matches("Mem: ").count(), 2);
    // -H lists threads (a sleep has one).
    let o = run("top", &["-b", "-H", "-n", "1", "-p", &k.pid().to_string()]);
    assert_eq!(kid_row(&o.out()).len(), 1);
}

#[test]
fn bad_options() {
    run("top", &["-b", "-n", "x"]).fails(1, "top: invalid number 'x'\n");
    run("top", &["-b", "-d", "x"]).fails(1, "top: invalid number 'x'\n");
    run("top", &["-Z"]).fails_with(1, "top: invalid option -- 'Z'");
    if let Some(o) = in_empty_root(&["proc"], &["top", "-b", "-n", "1"]) {
        o.fails(1, "top: /proc is not mounted\n");
    }
}

/// A pseudo-terminal pair of the given size.
fn pty(cols: u16, rows: u16) -> (OwnedFd, OwnedFd) {
    let (mut m, mut s) = (0, 0);
    let ws = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: out-pointers to ints; ws is valid.
    let r = unsafe { libc::openpty(&mut m, &mut s, std::ptr::null_mut(), std::ptr::null(), &ws) };
    assert_eq!(r, 0, "openpty");
    // SAFETY: both descriptors were just opened and are ours.
    unsafe { (OwnedFd::from_raw_fd(m), OwnedFd::from_raw_fd(s)) }
}

fn lflag(fd: &OwnedFd) -> libc::tcflag_t {
    use std::os::fd::AsRawFd;
    // SAFETY: termios is plain data.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    unsafe { libc::tcgetattr(fd.as_raw_fd(), &mut t) };
    t.c_lflag
}

/// Starts top on a new pty; returns the child, the master and a reader thread's output.
type Started = (
    std::process::Child,
    OwnedFd,
    OwnedFd,
    std::sync::mpsc::Receiver<Vec<u8>>,
    libc::tcflag_t,
);

/// Also gives the terminal's local modes from before top started.
fn start(cols: u16, rows: u16) -> Started {
    let (m, s) = pty(cols, rows);
    let before = lflag(&s);
    let child = cmd("top")
        .cmd
        .args(["-d", "0.05"])
        .stdin(Stdio::from(s.try_clone().unwrap()))
        .stdout(Stdio::from(s.try_clone().unwrap()))
        .stderr(Stdio::from(s.try_clone().unwrap()))
        .spawn()
        .unwrap();
    let mut r = std::fs::File::from(m.try_clone().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut b = [0u8; 65536];
        while let Ok(n) = r.read(&mut b) {
            if n == 0 || tx.send(b[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    (child, m, s, rx, before)
}

/// Output received until `pred` holds on it (or 5 s pass).
fn until(
    rx: &std::sync::mpsc::Receiver<Vec<u8>>,
    acc: &mut Vec<u8>,
    pred: impl Fn(&[u8]) -> bool,
) -> bool {
    let end = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !pred(acc) {
        let left = end.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(b) => acc.extend_from_slice(&b),
            Err(_) => return false,
        }
    }
    true
}

fn wait_exit(c: &mut std::process::Child) -> Option<std::process::ExitStatus> {
    for _ in 0..500 {
        if let Ok(Some(st)) = c.try_wait() {
            return Some(st);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let _ = c.kill();
    None
}

#[test]
fn live_screen_keys_and_restore() {
    if std::env::var_os("RBOX_TEST_RUNNER").is_some_and(|r| !r.is_empty()) {
        return; // qemu-user does not pass signalfd through
    }
    let (mut c, m, s, rx, before) = start(100, 30);
    let mut acc = Vec::new();
    // A screen: clear, the header in reverse video, lines cut to the width.
    assert!(until(&rx, &mut acc, |a| a
        .windows(4)
        .any(|w| w == b"\x1b[7m")
        && a.ends_with(b"\r")));
    let text = String::from_utf8_lossy(&acc).into_owned();
    assert!(text.starts_with("\x1b[H\x1b[JMem: "), "{text:?}");
    let screen = text.rsplit("\x1b[H\x1b[J").next().unwrap();
    assert!(screen.lines().count() <= 30, "{screen}");
    assert!(
        screen
            .lines()
            .all(|l| l.trim_end_matches('\r').len() <= 99 + 8),
        "{screen}"
    );
    // Raw mode while it runs.
    assert_eq!(lflag(&s) & (libc::ICANON | libc::ECHO), 0);
    // Sort keys are taken, then q ends it and the terminal is as it was.
    let mut w = std::fs::File::from(m.try_clone().unwrap());
    use std::io::Write;
    w.write_all(b"MNPTRH1").unwrap();
    acc.clear();
    assert!(until(&rx, &mut acc, |a| a
        .windows(6)
        .any(|w| w == b"\x1b[H\x1b[J")));
    w.write_all(b"q").unwrap();
    let st = wait_exit(&mut c).expect("top ended on q");
    assert_eq!(st.code(), Some(0));
    assert_eq!(lflag(&s), before);
    drop((m, s));

    // SIGINT from outside: the terminal is restored, then top dies of the signal.
    let (mut c, _m, s, rx, _) = start(80, 24);
    let mut acc = Vec::new();
    assert!(until(&rx, &mut acc, |a| a.ends_with(b"\r")));
    let before_raw = lflag(&s);
    assert_eq!(before_raw & libc::ECHO, 0);
    unsafe { libc::kill(c.id() as i32, libc::SIGINT) };
    let st = wait_exit(&mut c).expect("top ended on SIGINT");
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(st.signal(), Some(libc::SIGINT));
    assert_ne!(lflag(&s) & libc::ECHO, 0);
    assert_ne!(lflag(&s) & libc::ICANON, 0);
}

#[test]
fn live_screen_follows_resize() {
    if std::env::var_os("RBOX_TEST_RUNNER").is_some_and(|r| !r.is_empty()) {
        return;
    }
    use std::os::fd::AsRawFd;
    let (mut c, m, _s, rx, _) = start(120, 20);
    let mut acc = Vec::new();
    assert!(until(&rx, &mut acc, |a| a.ends_with(b"\r")));
    let ws = libc::winsize {
        ws_row: 10,
        ws_col: 50,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    unsafe { libc::ioctl(m.as_raw_fd(), libc::TIOCSWINSZ, &ws) };
    unsafe { libc::kill(c.id() as i32, libc::SIGWINCH) };
    // A later screen fits 49 columns and 10 rows.
    let fits = |a: &[u8]| {
        let t = String::from_utf8_lossy(a);
        let parts: Vec<&str> = t.split("\x1b[H\x1b[J").collect();
        parts.len() > 2 && {
            let scr = parts[parts.len() - 2];
            scr.lines().count() <= 10
                && scr.lines().all(|l| {
                    l.replace("\x1b[7m", "")
                        .replace("\x1b[m", "")
                        .trim_end_matches('\r')
                        .len()
                        <= 49
                })
        }
    };
    acc.clear();
    assert!(
        until(&rx, &mut acc, fits),
        "{}",
        String::from_utf8_lossy(&acc)
    );
    let _ = c.kill();
    let _ = c.wait();
    drop(m);
}
