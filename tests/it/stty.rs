//! stty on pseudo-terminals the tests open themselves (never the session's terminal),
//! compared with BusyBox on a fresh pty for each side.

use crate::common::*;
use std::os::unix::io::FromRawFd;

struct Pty {
    master: i32,
    slave: i32,
    name: String,
}

impl Pty {
    fn new() -> Pty {
        let (mut m, mut s) = (-1, -1);
        // SAFETY: openpty fills two descriptors; the name buffer is not asked for.
        let r = unsafe {
            libc::openpty(
                &mut m,
                &mut s,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(r, 0, "openpty");
        let name = std::fs::read_link(format!("/proc/self/fd/{s}")).unwrap();
        Pty {
            master: m,
            slave: s,
            name: name.to_string_lossy().into_owned(),
        }
    }
    /// A pty with a window size, so `-a` can show rows and columns.
    fn sized(rows: u16, cols: u16) -> Pty {
        let p = Pty::new();
        let ws = libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: sets the size of our own pty.
        assert_eq!(unsafe { libc::ioctl(p.master, libc::TIOCSWINSZ, &ws) }, 0);
        p
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        // SAFETY: our own descriptors.
        unsafe {
            libc::close(self.slave);
            libc::close(self.master);
        }
    }
}

/// `stty -F PTY ARGS`, then `-a` and `-g` of the same pty; the device name made `DEV`.
fn on_pty(bb_side: bool, args: &[&str], env: Option<(&str, &str)>) -> (Out, String, String) {
    let p = Pty::sized(30, 100);
    let mk = || if bb_side { bb("stty") } else { cmd("stty") };
    let mut r = mk().arg("-F").arg(&p.name).args(args);
    if let Some((k, v)) = env {
        r = r.env(k, v);
    }
    let mut o = r.run();
    o.stderr = String::from_utf8_lossy(&o.stderr)
        .replace(&p.name, "DEV")
        .into_bytes();
    let a = mk().args(["-F", &p.name, "-a"]).run().out();
    let g = mk().args(["-F", &p.name, "-g"]).run().out();
    (o, a, g)
}

#[track_caller]
fn same_stty(args: &[&str]) {
    if !has_busybox() {
        eprintln!("busybox missing: skipped");
        return;
    }
    let b = on_pty(true, args, None);
    let r = on_pty(false, args, None);
    assert_eq!(r, b, "stty {args:?}");
}

#[test]
fn show() {
    same_stty(&[]);
    same_stty(&["-a"]);
    same_stty(&["-g"]);
    same_stty(&["size"]);
    same_stty(&["speed"]);
    same_stty(&["size", "speed"]);
    // The listing wraps at $COLUMNS.
    if has_busybox() {
        let env = Some(("COLUMNS", "40"));
        assert_eq!(on_pty(false, &["-a"], env), on_pty(true, &["-a"], env));
        let env = Some(("COLUMNS", "60"));
        assert_eq!(on_pty(false, &[], env), on_pty(true, &[], env));
    }
}

#[test]
fn combinations() {
    for s in [
        "raw", "-raw", "sane", "cooked", "-cooked", "cbreak", "-cbreak", "-evenp", "oddp", "-oddp",
        "-parity", "nl", "-nl", "ek", "dec", "litout", "-litout", "pass8", "-pass8", "crt", "tabs",
        "-tabs", "lcase", "-lcase", "LCASE", "decctlq", "-decctlq",
    ] {
        same_stty(&[s]);
    }
    same_stty(&["raw", "-echo", "sane"]);
}

#[test]
fn flags() {
    // qemu-user's termios translation drops CMSPAR, so the emulated binary cannot set it.
    let cmspar = !under_runner();
    same_stty(&["-echo"]);
    same_stty(&["echo", "-icanon", "-isig"]);
    same_stty(&["cs7", "parenb", "-ixon"]);
    same_stty(&["tab3", "nl1", "cr2", "bs1", "vt1", "ff1"]);
    same_stty(&[
        "iutf8", "tostop", "echoprt", "xcase", "flusho", "extproc", "crtscts", "clocal",
    ]);
    same_stty(&[
        "hup", "-hup", "tandem", "-tandem", "crterase", "-ctlecho", "prterase", "crtkill",
    ]);
    same_stty(&[
        "-opost", "olcuc", "ocrnl", "onocr", "onlret", "ofill", "ofdel", "-onlcr",
    ]);
    same_stty(&[
        "ignbrk", "brkint", "ignpar", "parmrk", "inpck", "istrip", "inlcr", "igncr",
    ]);
    let mut last = vec!["-cread", "cstopb", "-hupcl", "parodd", "noflsh", "echonl"];
    if cmspar {
        last.push("cmspar");
    }
    same_stty(&last);
}

#[test]
fn cchars_and_numbers() {
    same_stty(&["intr", "^X"]);
    same_stty(&["intr", "undef", "quit", "^-"]);
    same_stty(&["erase", "^?", "kill", "a", "eof", "65", "werase", "^w"]);
    same_stty(&["susp", "1b", "start", ""]);
    same_stty(&["min", "5", "time", "3"]);
    same_stty(&["rows", "40", "cols", "120"]);
    same_stty(&["rows", "20", "columns", "90", "size"]);
    same_stty(&["line", "1"]);
    same_stty(&["9600"]);
    same_stty(&["speed", "4800", "speed"]);
}

#[test]
fn bad_settings() {
    for a in [
        &["foo"][..],
        &["-foo"],
        &["12345"],
        &["-cs8"],
        &["-sane"],
        &["-a", "-g"],
        &["-a", "raw"],
        &["-g", "raw"],
        &["min", "x"],
        &["min", "300"],
        &["min", "5k"],
        &["min"],
        &["rows"],
        &["rows", "0"],
        &["intr"],
        &["intr", "abc"],
        &["-F", "x"],
        &["-Fx"],
        &["-x"],
        &["-ag"],
        &["ispeed", "x"],
        &["ispeed", "7"],
        &["raw", "bogus"],
    ] {
        same_stty(a);
    }
}

#[test]
fn recoverable_form_round_trip() {
    let p = Pty::new();
    cmd("stty")
        .args(["-F", &p.name, "raw", "-echo", "intr", "^X", "min", "7"])
        .run()
        .ok("");
    let g = cmd("stty").args(["-F", &p.name, "-g"]).run();
    let g = g.out().trim_end().to_string();
    cmd("stty").args(["-F", &p.name, "sane"]).run().ok("");
    assert_ne!(
        cmd("stty")
            .args(["-F", &p.name, "-g"])
            .run()
            .out()
            .trim_end(),
        g
    );
    cmd("stty").args(["-F", &p.name, &g]).run().ok("");
    cmd("stty")
        .args(["-F", &p.name, "-g"])
        .run()
        .ok(format!("{g}\n"));
    if has_busybox() {
        // BusyBox reads rbox's form and the other way round.
        let b = bb("stty").args(["-F", &p.name, "-g"]).run().out();
        assert_eq!(b.trim_end(), g);
        cmd("stty").args(["-F", &p.name, "sane"]).run().ok("");
        bb("stty").args(["-F", &p.name, &g]).run().ok("");
        cmd("stty")
            .args(["-F", &p.name, "-g"])
            .run()
            .ok(format!("{g}\n"));
    }
    // A malformed one is no setting at all.
    let p2 = Pty::new();
    cmd("stty")
        .args(["-F", &p2.name, "500:5:bf"])
        .run()
        .fails(1, "stty: invalid number '500:5:bf'\n");
}

/// rbox's stdin, when it is the pty itself (no -F).
#[test]
fn stdin_is_the_terminal() {
    let p = Pty::sized(24, 80);
    let run = |args: &[&str]| {
        let runner = std::env::var_os("RBOX_TEST_RUNNER").filter(|r| !r.is_empty());
        let mut c = match &runner {
            Some(r) => {
                let mut c = std::process::Command::new(r);
                c.arg(applet_path("stty"));
                c
            }
            None => std::process::Command::new(applet_path("stty")),
        };
        // SAFETY: a duplicate of our slave, owned by the child's Stdio.
        let fd = unsafe { libc::dup(p.slave) };
        c.args(args)
            .env_remove("COLUMNS")
            .stdin(unsafe { std::process::Stdio::from_raw_fd(fd) });
        c.output().unwrap()
    };
    let o = run(&["-echo"]);
    assert!(o.status.success());
    let o = run(&[]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).lines().last(),
        Some("-brkint -imaxbel -echo")
    );
    let o = run(&["size"]);
    assert_eq!(o.stdout, b"24 80\n");
}

#[test]
fn not_a_terminal() {
    // Debian's BusyBox (glibc) says "Inappropriate ioctl for device"; rbox prints the C
    // library's text for ENOTTY, as BusyBox built on musl does.
    cmd("stty")
        .run()
        .fails(1, "stty: standard input: Not a tty\n");
    cmd("stty")
        .arg("-a")
        .run()
        .fails(1, "stty: standard input: Not a tty\n");
    let d = Dir::new();
    let f = d.write("file", "x");
    cmd("stty")
        .arg("-F")
        .arg(&f)
        .run()
        .fails(1, &format!("stty: {}: Not a tty\n", f.display()));
    cmd("stty").args(["-F", "/nonexistent/tty"]).run().fails(
        1,
        "stty: can't open '/nonexistent/tty': No such file or directory\n",
    );
    cmd("stty")
        .arg("-F")
        .run()
        .fails(1, "stty: -F requires an argument\n");
    if has_busybox() {
        let b = bb("stty").args(["-F", "/nonexistent/tty"]).run();
        cmd("stty")
            .args(["-F", "/nonexistent/tty"])
            .run()
            .same_as(&b);
    }
}

#[test]
fn zero_window() {
    // A pty nobody sized: BusyBox's -a reports the failed size query (with a stale errno;
    // glibc's ENOTTY text there, the C library's here) and still lists, exit 0; `size`
    // prints the bare device name.
    let p = Pty::new();
    let a = cmd("stty").args(["-F", &p.name, "-a"]).run();
    assert_eq!(a.code, 0);
    assert_eq!(a.err(), format!("stty: {}: Not a tty\n", p.name));
    assert!(a.out().starts_with("speed 38400 baud; line = 0;\n"));
    let s = cmd("stty").args(["-F", &p.name, "size"]).run();
    assert_eq!(
        (s.code, s.out(), s.err()),
        (0, String::new(), format!("stty: {}\n", p.name))
    );
    if has_busybox() {
        assert_eq!(a.out(), bb("stty").args(["-F", &p.name, "-a"]).run().out());
        let b = bb("stty").args(["-F", &p.name, "size"]).run();
        assert_eq!(s, b);
    }
}

#[test]
fn speeds_and_parity_differ() {
    // Deliberate: BusyBox on glibc reports "cannot perform all requested operations" for
    // `ospeed N` (glibc keeps a separate speed field its memcmp sees) and "Invalid argument"
    // for `evenp` on a pty; rbox compares only what the kernel keeps. Both change the same.
    let p = Pty::new();
    cmd("stty")
        .args(["-F", &p.name, "ospeed", "1200"])
        .run()
        .ok("");
    cmd("stty")
        .args(["-F", &p.name, "speed"])
        .run()
        .ok("1200\n");
    let o = cmd("stty").args(["-F", &p.name, "evenp"]).run();
    assert_eq!(o.code, 1);
}
