//! start-stop-daemon against BusyBox's, each run on a daemon of its own.

use crate::common::*;
use std::process::Command;

/// The script with $S the tool, $D the directory; output with the pids replaced.
fn script(busybox: bool, d: &Dir, s: &str) -> (i32, String, String) {
    let tool = if busybox {
        "busybox start-stop-daemon".to_string()
    } else {
        format!(
            "{}{}",
            runner_prefix(),
            applet_path("start-stop-daemon").display()
        )
    };
    // A name of each run's own: a leftover zombie of the other run must not match.
    let nm = format!(
        "rzd{}{}",
        if busybox { "b" } else { "r" },
        std::process::id() % 100000
    );
    let o = Command::new("sh")
        .arg("-c")
        .arg(s)
        .env("S", tool)
        .env("D", &d.path)
        .env("NM", &nm)
        .output()
        .unwrap();
    let fix = |b: &[u8]| {
        let t = String::from_utf8_lossy(b)
            .replace(&d.path.display().to_string(), "DIR")
            .replace(&nm, "rzdaemon");
        // Pids differ between the runs.
        let mut o = String::new();
        let mut last_digit = false;
        for c in t.chars() {
            if c.is_ascii_digit() {
                if !last_digit {
                    o.push('N');
                }
                last_digit = true;
            } else {
                o.push(c);
                last_digit = false;
            }
        }
        o
    };
    (
        o.status.code().unwrap_or(-1),
        fix(&o.stdout),
        fix(&o.stderr),
    )
}

const LIFE: &str = "cp /bin/sleep $D/$NM; \
    $S -S -b -m -p $D/pid -x $D/$NM -- 30; echo start=$?; sleep 0.1; \
    test -s $D/pid && echo pidfile; \
    $S -S -p $D/pid -x $D/$NM -- 30; echo again=$?; \
    $S -S -o -q -p $D/pid -x $D/$NM -- 30; echo oknodo=$?; \
    $S -K -t -p $D/pid; echo test=$?; \
    $S -K -t -n $NM; echo byname=$?; \
    $S -K -t -x $D/$NM; echo byexec=$?; \
    $S -K -s USR1 -x $D/$NM; echo stop=$?; sleep 0.1; \
    $S -K -t -x $D/$NM; echo gone=$?; \
    $S -K -o -n rznosuchname; echo none=$?; \
    $S -K -q -n rznosuchname; echo quiet=$?; \
    $S -S -x /bin/echo -- hi; echo echo=$?; \
    $S -S -x $D/rbox-nosuch; echo nosuch=$?; \
    $S -S -a /bin/echo -n x -- hello; \
    $S -S -N 5 -p $D/nice.pid -x /bin/sh -- -c 'cut -d\" \" -f19 /proc/$$/stat'";

#[test]
fn lifecycle_like_busybox() {
    let d1 = Dir::new();
    let a = script(false, &d1, LIFE);
    assert!(
        a.1.starts_with("start=N\npidfile\nDIR/rzdaemon is already running\n"),
        "{a:?}"
    );
    assert!(
        a.1.contains("\nstopped DIR/rzdaemon (pid N)\nstop=N\n"),
        "{a:?}"
    );
    assert!(a.1.ends_with("\nhello\nN\n"), "{a:?}");
    if has_busybox() {
        let d2 = Dir::new();
        let b = script(true, &d2, LIFE);
        assert_eq!(a, b);
    }
}

#[test]
fn usage_errors() {
    // (The usage text's unindented section lines come out indented in rbox's.)
    for args in [
        &[][..],
        &["-S"],
        &["-K"],
        &["-S", "-K", "-n", "x"],
        &["-m", "-S", "-x", "/bin/true"],
    ] {
        run("start-stop-daemon", args).fails_with(1, "rbox v");
    }
    run("start-stop-daemon", &["-K", "-u", "rbox-nosuchuser"])
        .fails(1, "start-stop-daemon: unknown user rbox-nosuchuser\n");
}
