//! who, w, uptime's user count and logger, in a root of the test's own (a crafted utmp, a
//! /dev/log socket the test listens on), compared with BusyBox run in the same root.

use crate::common::*;
use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::process::Command;

fn rec(kind: i16, pid: i32, line: &str, user: &str, host: &str, time: i32) -> Vec<u8> {
    let mut r = vec![0u8; 384];
    r[0..2].copy_from_slice(&kind.to_ne_bytes());
    r[4..8].copy_from_slice(&pid.to_ne_bytes());
    r[8..8 + line.len()].copy_from_slice(line.as_bytes());
    r[44..44 + user.len()].copy_from_slice(user.as_bytes());
    r[76..76 + host.len()].copy_from_slice(host.as_bytes());
    r[340..344].copy_from_slice(&time.to_ne_bytes());
    r
}

/// A root with rbox, BusyBox (static) and a utmp; None when chroot is not possible.
fn root() -> Option<Dir> {
    let runner = std::env::var_os("RBOX_TEST_RUNNER").is_some_and(|r| !r.is_empty());
    if runner || unsafe { libc::geteuid() } != 0 || !Path::new("/usr/sbin/chroot").exists() {
        eprintln!("chroot test skipped");
        return None;
    }
    let d = Dir::new();
    std::fs::copy(bin(), d.join("rbox")).unwrap();
    if let Some(b) = busybox() {
        std::fs::copy(b, d.join("busybox")).unwrap();
    }
    let mut u = rec(7, 100, "pts/0", "root", "10.0.0.1", 1_000_000_000);
    u.extend(rec(8, 101, "pts/1", "gone", "", 1_000_000_100));
    u.extend(rec(6, 102, "tty1", "LOGIN", "", 1_000_000_200));
    u.extend(rec(
        7,
        103,
        "/dev/ttyX",
        "averylongusername",
        "a.very.long.host.name",
        1_000_086_400,
    ));
    d.write("var/run/utmp", u);
    // pts/0 was last read an hour and a minute ago.
    let tty = d.write("dev/pts/0", "");
    let t = (crate::proc_util::time_now() - 3660) as i64;
    let ts = [
        libc::timespec {
            tv_sec: t as _,
            tv_nsec: 0,
        },
        libc::timespec {
            tv_sec: t as _,
            tv_nsec: 0,
        },
    ];
    let c = std::ffi::CString::new(tty.as_os_str().as_encoded_bytes()).unwrap();
    unsafe { libc::utimensat(libc::AT_FDCWD, c.as_ptr(), ts.as_ptr(), 0) };
    Some(d)
}

fn chrooted(d: &Dir, prog: &str, args: &[&str], stdin: &[u8]) -> Out {
    use std::io::Write;
    let mut c = Command::new("/usr/sbin/chroot")
        .arg(&d.path)
        .arg(prog)
        .args(args)
        .env_clear()
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(stdin).unwrap();
    let o = c.wait_with_output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: o.stdout,
        stderr: o.stderr,
    }
}

#[test]
fn who_and_w_like_busybox() {
    let Some(d) = root() else { return };
    let o = chrooted(&d, "/rbox", &["who"], b"");
    o.ok("root            pts/0           01:01   Sep  9 01:46:40  10.0.0.1\naverylongusername /dev/ttyX       ?       Sep 10 01:46:40  a.very.long.host.name\n");
    for args in [
        &["who"][..],
        &["who", "-H"],
        &["who", "-a"],
        &["who", "-aH"],
        &["w"],
        &["who", "-x"],
    ] {
        if !d.join("busybox").exists() {
            break;
        }
        let a = chrooted(&d, "/rbox", args, b"");
        let b = chrooted(&d, "/busybox", args, b"");
        a.same_as(&b);
    }
    // uptime counts the two users.
    let u = chrooted(&d, "/rbox", &["uptime"], b"").out();
    assert!(u.contains(",  2 users,  load average: "), "{u}");
}

#[test]
fn logger_sends_to_dev_log() {
    let Some(d) = root() else { return };
    d.mkdir("dev");
    let sock = UnixDatagram::bind(d.join("dev/log")).unwrap();
    sock.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 2048];
    let mut recv = || {
        let n = sock.recv(&mut buf).unwrap();
        String::from_utf8_lossy(&buf[..n]).into_owned()
    };
    let check = |m: &str, pri: &str, tail: &str| {
        // <PRI>Mmm dd hh:mm:ss TAG: MSG
        assert!(m.starts_with(pri), "{m}");
        assert_eq!(&m[pri.len() + 15..], tail, "{m}");
    };
    chrooted(
        &d,
        "/rbox",
        &["logger", "-t", "T", "-p", "local3.err", "a", "b"],
        b"",
    )
    .ok("");
    check(&recv(), "<155>", " T: a b");
    // Without -t the tag is the user (a number in this root without /etc/passwd).
    chrooted(&d, "/rbox", &["logger", "hi"], b"").ok("");
    check(&recv(), "<13>", " 0: hi");
    // stdin: one message a line, empty lines skipped; -s copies to stderr.
    let o = chrooted(
        &d,
        "/rbox",
        &["logger", "-s", "-t", "x", "-p", "daemon.info"],
        b"one\n\ntwo",
    );
    assert_eq!((o.code, o.err()), (0, "x: one\nx: two\n".to_string()));
    check(&recv(), "<30>", " x: one");
    check(&recv(), "<30>", " x: two");
    chrooted(&d, "/rbox", &["logger", "-p", "5", "n"], b"").ok("");
    check(&recv(), "<13>", " 0: n");
    drop(sock);
    std::fs::remove_file(d.join("dev/log")).unwrap();
    // No syslogd: BusyBox says nothing, rbox says why (as util-linux's logger does).
    chrooted(&d, "/rbox", &["logger", "x"], b"").fails(
        1,
        "logger: can't connect to /dev/log: No such file or directory\n",
    );
    let o = chrooted(&d, "/rbox", &["logger", "-s", "-t", "t", "x"], b"");
    assert_eq!(
        (o.code, o.err()),
        (
            1,
            "t: x\nlogger: can't connect to /dev/log: No such file or directory\n".to_string()
        )
    );
}

#[test]
fn logger_priorities() {
    run("logger", &["-p", "foo.bar", "x"]).fails(1, "logger: unknown facility name: foo\n");
    run("logger", &["-p", "user.bar", "x"]).fails(1, "logger: unknown priority name: user.bar\n");
    same("logger", &["-p", "foo.bar", "x"], b"", |_| {});
    same("logger", &["-p", "bar", "x"], b"", |_| {});
}
