//! nice, renice, nohup, setsid, timeout: applets that run or adjust other programs.

use crate::common::*;
use crate::proc_util::*;
use std::process::Command;

fn nice_of(pid: u32) -> i64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let rest = &s[s.rfind(')').unwrap() + 2..];
    rest.split(' ').nth(16).unwrap().parse().unwrap()
}

#[test]
fn nice_adjusts_and_prints() {
    let base = run("nice", &[]).out().trim().parse::<i64>().unwrap();
    let nice = applet_path("nice").display().to_string();
    let r = runner_prefix();
    let sh = |s: &str| {
        let o = Command::new("sh").arg("-c").arg(s).output().unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert_eq!(
        sh(&format!("{r}{nice} -n 5 {r}{nice}")).trim(),
        (base + 5).min(19).to_string()
    );
    assert_eq!(
        sh(&format!("{r}{nice} -3 {r}{nice}")).trim(),
        (base + 3).min(19).to_string()
    );
    assert_eq!(
        sh(&format!("{r}{nice} {r}{nice}")).trim(),
        (base + 10).min(19).to_string()
    );
    // Niceness is capped at 19, as the kernel caps it.
    assert_eq!(sh(&format!("{r}{nice} -n 100 {r}{nice}")).trim(), "19");
    run("nice", &["-n"]).fails_with(1, "rbox v");
    run("nice", &["-n", "5"]).fails_with(1, "rbox v");
    run("nice", &["-n", "x", "true"]).fails(1, "nice: invalid number 'x'\n");
    run("nice", &["rbox-no-such-prog"]).fails(
        127,
        "nice: can't execute 'rbox-no-such-prog': No such file or directory\n",
    );
}

#[test]
fn renice_like_busybox() {
    let k = Kid::sleep();
    let p = k.pid().to_string();
    run("renice", &["5", &p]).ok("");
    assert_eq!(nice_of(k.pid()), 5);
    run("renice", &["-n", "2", "-p", &p]).ok("");
    assert_eq!(nice_of(k.pid()), 7);
    run("renice", &["9", &format!("-p{p}")]).ok("");
    assert_eq!(nice_of(k.pid()), 9);
    for args in [
        &[][..],
        &["-n"],
        &["x"],
        &["5", "x"],
        &["5", "999999999"],
        &["5", "-u", "rbox-nosuchuser"],
        &["5", "-p"],
        &["5", "-g", "999999999"],
    ] {
        same("renice", args, b"", |_| {});
    }
}

#[test]
fn nohup_rules() {
    // Not on a terminal: no nohup.out, output stays where it was, SIGHUP is ignored.
    let d = Dir::new();
    let o = d
        .cmd("nohup")
        .args(["sh", "-c", "kill -HUP $$; echo alive"])
        .run();
    o.ok("alive\n");
    assert!(!d.join("nohup.out").exists());
    run("nohup", &[]).fails_with(1, "rbox v");
    run("nohup", &["rbox-no-such-prog"]).fails(
        127,
        "nohup: can't execute 'rbox-no-such-prog': No such file or directory\n",
    );
    // On a terminal (script(1) gives one): output is appended to ./nohup.out.
    if std::path::Path::new("/usr/bin/script").exists()
        && std::env::var_os("RBOX_TEST_RUNNER").is_none()
    {
        d.write("nohup.out", "old\n");
        let cmdline = format!("{} echo new", applet_path("nohup").display());
        let o = Command::new("script")
            .args(["-qec", &cmdline, "/dev/null"])
            .current_dir(&d.path)
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("nohup: appending output to nohup.out"),
            "{o:?}"
        );
        assert_eq!(
            std::fs::read_to_string(d.join("nohup.out")).unwrap(),
            "old\nnew\n"
        );
    }
}

#[test]
fn setsid_new_session() {
    // The child is a session leader: its sid is its pid.
    let o = run(
        "setsid",
        &["-w", "sh", "-c", "cut -d' ' -f6 /proc/$$/stat; echo $$"],
    );
    let l: Vec<String> = o.out().lines().map(String::from).collect();
    assert_eq!(l.len(), 2, "{o:?}");
    assert_eq!(l[0], l[1]);
    run("setsid", &["-w", "sh", "-c", "exit 4"]).code(4);
    run("setsid", &[]).fails_with(1, "rbox v");
    run("setsid", &["rbox-no-such-prog"]).fails(
        127,
        "setsid: can't execute 'rbox-no-such-prog': No such file or directory\n",
    );
}

#[test]
fn timeout_statuses() {
    // coreutils' statuses: 124 timed out, 137 killed, PROG's own otherwise.
    run("timeout", &["0.05", "sleep", "5"]).fails(124, "");
    run("timeout", &["-s", "KILL", "0.05", "sleep", "5"]).fails(137, "");
    run(
        "timeout",
        &[
            "-k",
            "0.05",
            "0.05",
            "sh",
            "-c",
            "trap '' TERM; exec sleep 5",
        ],
    )
    .fails(137, "");
    run(
        "timeout",
        &[
            "-s",
            "INT",
            "0.05",
            "sh",
            "-c",
            "trap 'exit 7' INT; while :; do sleep 0.01; done",
        ],
    )
    .fails(124, "");
    run("timeout", &["5", "sh", "-c", "exit 3"]).fails(3, "");
    run("timeout", &["5", "sh", "-c", "kill -USR1 $$"]).fails(138, "");
    run("timeout", &["0", "true"]).ok("");
    run("timeout", &["1m", "echo", "hi"]).ok("hi\n");
    run("timeout", &["5", "rbox-no-such-prog"]).fails(
        127,
        "timeout: can't execute 'rbox-no-such-prog': No such file or directory\n",
    );
    run("timeout", &["1x", "true"]).fails(125, "timeout: invalid number '1x'\n");
    run("timeout", &["-k", "y", "1", "true"]).fails(125, "timeout: invalid number 'y'\n");
    run("timeout", &["-s", "FOO", "1", "true"]).fails(125, "timeout: unknown signal 'FOO'\n");
    run("timeout", &["1"]).fails_with(125, "rbox v");
    // Options stop at SECS: PROG's own options are its own.
    run("timeout", &["5", "echo", "-s", "x"]).ok("-s x\n");
}
