//! watch, flock, run-parts.

use crate::common::*;
use std::process::{Command, Stdio};

fn timeout_run(secs: &str, applet: &str, args: &[&str]) -> Out {
    let o = Command::new("timeout")
        .arg(secs)
        .args(runner_prefix().split_whitespace())
        .arg(applet_path(applet))
        .args(args)
        .env("COLUMNS", "60")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: o.stdout,
        stderr: o.stderr,
    }
}

#[test]
fn watch_screens() {
    // Three screens in 0.35 s: too tight for an emulated binary.
    if under_runner() {
        return;
    }
    let o = timeout_run("0.35", "watch", &["-n", "0.1", "echo", "hi", "a  b"]);
    let out = o.out();
    let screens: Vec<&str> = out
        .split("\x1b[H\x1b[J")
        .filter(|s| !s.is_empty())
        .collect();
    assert!(screens.len() >= 2, "{out:?}");
    for s in &screens {
        let (head, rest) = s.split_once('\n').unwrap();
        // The words joined, run by sh (so "a  b" loses its double space), the time at the
        // right edge of 60 columns.
        assert_eq!(rest, "\nhi a b\n", "{s:?}");
        assert_eq!(head.len(), 59, "{head:?}");
        assert!(head.starts_with("Every 0.1s: echo hi a  b   "), "{head:?}");
        assert_eq!(&head[44..45], "-", "{head:?}");
    }
    let o = timeout_run("0.25", "watch", &["-t", "-n", "0.1", "echo", "x"]);
    assert!(
        o.out().starts_with("\x1b[H\x1b[Jx\n\x1b[H\x1b[Jx\n"),
        "{:?}",
        o.out()
    );
    run("watch", &["-n", "x", "true"]).fails(1, "watch: invalid number 'x'\n");
    run("watch", &[]).fails_with(1, "rbox v");
    if has_busybox() {
        let b = Command::new("timeout")
            .args([
                "0.35", "busybox", "watch", "-n", "0.1", "echo", "hi", "a  b",
            ])
            .env("COLUMNS", "60")
            .output()
            .unwrap();
        let b = String::from_utf8_lossy(&b.stdout).into_owned();
        let first = |s: &str| {
            s.split("\x1b[H\x1b[J")
                .nth(1)
                .map(|x| x[..40].to_string() + &x[59..])
        };
        assert_eq!(first(&out), first(&b));
    }
}

#[test]
fn flock_locks() {
    let d = Dir::new();
    let lk = d.join("lk").display().to_string();
    // Held by a holder in the background: -n fails at once, -w after the wait.
    let fl = format!("{}{}", runner_prefix(), applet_path("flock").display());
    let script = format!(
        "{fl} {lk} sleep 0.3 & sleep 0.1; {fl} -n {lk} true; echo n=$?; {fl} -w 0.05 {lk} true; echo w=$?; \
         {fl} -s {lk}.2 -c 'echo in $0; exit 3'; echo c=$?; wait; {fl} -n {lk} echo free"
    );
    let o = Command::new("sh").arg("-c").arg(&script).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "n=1\nw=1\nin /bin/sh\nc=3\nfree\n"
    );
    // A descriptor: lock, then unlock.
    let script = format!("exec 9>{lk}; {fl} 9 && echo locked; {fl} -u 9 && echo unlocked");
    let o = Command::new("sh").arg("-c").arg(&script).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "locked\nunlocked\n");
    // A directory can be locked too.
    run("flock", &[&d.path.display().to_string(), "true"]).ok("");
    run("flock", &[&lk, "-c", "a", "b"]).fails(1, "flock: -c takes only one argument\n");
    run("flock", &["99"]).fails(1, "flock: Bad file descriptor\n");
    run("flock", &["x"]).fails(1, "flock: invalid number 'x'\n");
    run("flock", &["/nonexistent-rbox/x", "true"]).fails(
        1,
        "flock: can't open '/nonexistent-rbox/x': No such file or directory\n",
    );
    run("flock", &[&lk, "rbox-no-such-prog"]).fails(
        127,
        "flock: can't execute 'rbox-no-such-prog': No such file or directory\n",
    );
    run("flock", &[]).fails_with(1, "rbox v");
}

fn parts(d: &Dir) {
    let w = |n: &str, body: &str| {
        let p = d.write(format!("p/{n}"), body);
        std::process::Command::new("chmod")
            .arg("+x")
            .arg(&p)
            .status()
            .unwrap();
    };
    w("10-a", "#!/bin/sh\necho a \"$@\"; umask\n");
    w("20b", "#!/bin/sh\necho b; exit 3\n");
    w("30.c", "#!/bin/sh\necho c\n");
    d.write("p/40-noexec", "x");
    w("50_k", "#!/bin/sh\nkill -9 $$\n");
    w(".hidden", "#!/bin/sh\necho hidden\n");
    w("a~", "#!/bin/sh\necho tilde\n");
    d.mkdir("p/sub");
}

#[test]
fn run_parts_like_busybox() {
    for args in [
        &["p"][..],
        &["-a", "x", "-a", "y z", "p/"],
        &["--test", "p"],
        &["--reverse", "--test", "p"],
        &["--exit-on-error", "p"],
        &["-u", "077", "p"],
        &["--umask=0", "--arg=q", "p"],
        &["-u", "9", "p"],
        &["nonexistent"],
        &["p/40-noexec"],
    ] {
        same("run-parts", args, b"", parts);
    }
    // (rbox's usage also lists --list.)
    run("run-parts", &["p", "q"]).fails_with(1, "rbox v");
    // --list: every valid name, executable or not (Debian's BusyBox lacks the option).
    let d = Dir::new();
    parts(&d);
    d.cmd("run-parts")
        .args(["--list", "p"])
        .run()
        .ok("p/10-a\np/20b\np/30.c\np/40-noexec\np/50_k\n");
}
