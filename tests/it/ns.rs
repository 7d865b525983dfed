//! unshare and nsenter: each test makes its own namespaces (root only).

use crate::common::*;
use std::process::Command;

fn root_ok() -> bool {
    let runner = std::env::var_os("RBOX_TEST_RUNNER").is_some_and(|r| !r.is_empty());
    if runner || unsafe { libc::geteuid() } != 0 {
        eprintln!("namespace test skipped (needs root, no emulator)");
        return false;
    }
    true
}

fn link(p: &str) -> String {
    std::fs::read_link(p).unwrap().display().to_string()
}

#[test]
fn unshare_namespaces() {
    if !root_ok() {
        return;
    }
    // A pid namespace with its own /proc: the shell is pid 1 and sees two processes.
    let o = run(
        "unshare",
        &[
            "-p",
            "-f",
            "--mount-proc",
            "sh",
            "-c",
            "echo $$; ls /proc | grep -c '^[0-9]'",
        ],
    );
    // The shell is pid 1 of its own /proc, where only it and the pipeline's stages (ls and
    // grep, or just one of them yet) are seen.
    let (code, out) = (o.code, o.out());
    let lines: Vec<&str> = out.lines().collect();
    assert!(code == 0 && lines.len() == 2 && lines[0] == "1", "{out}");
    assert!(["2", "3"].contains(&lines[1]), "{out}");
    // The host name changes only inside.
    let host = run("uname", &["-n"]).out();
    run(
        "unshare",
        &["-u", "sh", "-c", "hostname rbox-inner; uname -n"],
    )
    .ok("rbox-inner\n");
    assert_eq!(run("uname", &["-n"]).out(), host);
    // Each kind gives a namespace of its own.
    for (opt, name) in [
        ("-n", "net"),
        ("-i", "ipc"),
        ("-u", "uts"),
        ("-m", "mnt"),
        ("-C", "cgroup"),
    ] {
        let inner = run(
            "unshare",
            &[opt, "readlink", &format!("/proc/self/ns/{name}")],
        )
        .out();
        assert!(inner.starts_with(&format!("{name}:[")), "{inner}");
        assert_ne!(
            inner.trim(),
            link(&format!("/proc/self/ns/{name}")),
            "{opt}"
        );
    }
    // -r: root in a user namespace of its own.
    run(
        "unshare",
        &[
            "-r",
            "sh",
            "-c",
            "id -u; cat /proc/self/uid_map | tr -s ' '",
        ],
    )
    .ok("0\n 0 0 1\n");
    // A mount made inside stays inside.
    let d = Dir::new();
    let m = d.mkdir("m").display().to_string();
    run(
        "unshare",
        &[
            "-m",
            "sh",
            "-c",
            &format!("mount -t tmpfs none {m} && touch {m}/x && ls {m}"),
        ],
    )
    .ok("x\n");
    assert!(!d.join("m/x").exists());
    // -f: the child's status.
    run("unshare", &["-f", "sh", "-c", "exit 5"]).code(5);
    run("unshare", &["-m", "--propagation", "bogus", "true"])
        .fails(1, "unshare: unrecognized: --propagation=bogus\n");
    run("unshare", &["--propagation", "bogus", "true"]).ok("");
    run("unshare", &["--setgroups", "x", "true"])
        .fails(1, "unshare: unrecognized: --setgroups=x\n");
    run("unshare", &["rbox-no-such-prog"]).fails(
        127,
        "unshare: can't execute 'rbox-no-such-prog': No such file or directory\n",
    );
    run("unshare", &["-x"]).fails_with(1, "unshare: invalid option -- 'x'");
}

#[test]
fn persisted_and_entered() {
    if !root_ok() {
        return;
    }
    let d = Dir::new();
    let f = d.write("uts", "").display().to_string();
    // A UTS namespace kept in a file, entered again by nsenter.
    run(
        "unshare",
        &[&format!("--uts={f}"), "sh", "-c", "hostname rbox-kept"],
    )
    .ok("");
    run("nsenter", &[&format!("--uts={f}"), "uname", "-n"]).ok("rbox-kept\n");
    run("nsenter", &[&format!("-u{f}"), "uname", "-n"]).ok("rbox-kept\n");
    let _ = Command::new("umount").arg(&f).status();
    // -t PID: the namespaces of a running process.
    let sh = format!("{}{}", runner_prefix(), applet_path("unshare").display());
    let mut c = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "exec {sh} -u sh -c 'hostname rbox-target; exec sleep 30'"
        ))
        .spawn()
        .unwrap();
    let pid = c.id();
    let mut target = None;
    for _ in 0..200 {
        let s = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        if s.trim() == "sleep" {
            target = Some(pid);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let t = target.expect("target started").to_string();
    run("nsenter", &["-t", &t, "-u", "uname", "-n"]).ok("rbox-target\n");
    run("nsenter", &["--target", &t, "--uts", "--", "uname", "-n"]).ok("rbox-target\n");
    // -r/-w: the target's root and working directory.
    run("nsenter", &["-t", &t, "-w", "pwd"]).code(0);
    let _ = c.kill();
    let _ = c.wait();
    run("nsenter", &["-u"]).fails_with(1, "rbox v");
    run("nsenter", &["-t", "999999999", "-n", "true"]).fails(
        1,
        "nsenter: can't open '/proc/999999999/ns/net': No such file or directory\n",
    );
    run("nsenter", &["-t", "1", "-S", "x", "true"]).fails(1, "nsenter: invalid number 'x'\n");
}
