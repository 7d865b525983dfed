//! The multicall front end: dispatch on argv[0], `rbox APPLET`, --list, --install, --help.

use crate::common::*;
use std::os::unix::fs::MetadataExt;

#[test]
fn dispatch_by_argv0_and_by_first_argument() {
    run("true", &[]).ok("");
    run("false", &[]).code(1);
    cmd("rbox").args(["echo", "hi"]).run().ok("hi\n");
    // A path in argv[1] is reduced to its basename, as BusyBox does.
    cmd("rbox").args(["/some/where/echo", "x"]).run().ok("x\n");
}

#[test]
fn login_shell_dash_prefix_is_stripped() {
    // argv[0] "-echo" (how login starts a shell, "-sh") still finds the applet.
    let d = Dir::new();
    let link = d.join("-echo");
    std::os::unix::fs::symlink(bin(), &link).unwrap();
    let mut r = cmd("echo");
    r.cmd = match std::env::var_os("RBOX_TEST_RUNNER") {
        Some(q) if !q.is_empty() => {
            let mut c = std::process::Command::new(q);
            c.arg(&link);
            c
        }
        _ => std::process::Command::new(&link),
    };
    r.arg("ok").run().ok("ok\n");
}

#[test]
fn unknown_applet() {
    cmd("rbox")
        .arg("nosuch")
        .run()
        .fails(127, "nosuch: applet not found\n");
    run("nosuch", &[]).fails(127, "nosuch: applet not found\n");
}

#[test]
fn help_lists_applets_in_columns() {
    let o = cmd("rbox").run();
    o.code(0);
    let s = o.out();
    assert!(s.starts_with("rbox v"), "{s}");
    assert!(s.contains("Usage: rbox [function [arguments]...]"));
    let list = s.split("Currently defined functions:\n").nth(1).unwrap();
    let names: Vec<&str> = list
        .split([',', '\n', '\t', ' '])
        .filter(|n| !n.is_empty())
        .collect();
    assert!(
        list.starts_with('\t') && names.contains(&"echo") && names.contains(&"false"),
        "{list}"
    );
    for l in list.lines() {
        assert!(l.len() < 80, "line too long: {l:?}");
    }
    assert_eq!(cmd("rbox").arg("--help").run().out(), s);
    // Narrow terminals wrap sooner.
    let narrow = cmd("rbox").env("COLUMNS", "30").run().out();
    for l in narrow.split("functions:\n").nth(1).unwrap().lines() {
        assert!(l.len() < 30, "{l:?}");
    }
}

#[test]
fn list_and_list_full() {
    let o = cmd("rbox").arg("--list").run();
    o.code(0);
    let names: Vec<String> = o.out().lines().map(String::from).collect();
    assert!(names.contains(&"echo".to_string()) && names.contains(&"true".to_string()));
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let full = cmd("rbox").arg("--list-full").run().out();
    assert!(full.lines().any(|l| l == "bin/echo"), "{full}");
    assert!(full.lines().any(|l| l == "usr/bin/yes"), "{full}");
    assert_eq!(full.lines().count(), names.len());
}

#[test]
fn applet_help_goes_to_stderr_with_status_0() {
    let o = run("yes", &["--help"]);
    assert_eq!((o.code, o.out().as_str()), (0, ""));
    assert!(
        o.err()
            .contains("multi-call binary.\n\nUsage: yes [STRING]..."),
        "{}",
        o.err()
    );
    // `rbox --help APPLET` too.
    let o = cmd("rbox").args(["--help", "yes"]).run();
    assert!(o.err().contains("Usage: yes"), "{}", o.err());
    // For echo, true, false and test, --help is an ordinary argument, as in BusyBox.
    run("echo", &["--help"]).ok("--help\n");
    run("true", &["--help"]).ok("");
    run("false", &["--help"]).code(1);
}

#[test]
fn install_hard_and_soft_links() {
    let d = Dir::new();
    let n = cmd("rbox").arg("--list").run().out().lines().count();
    cmd("rbox")
        .args(["--install", "-s"])
        .arg(d.join("s"))
        .run()
        .code(1); // no such dir
    std::fs::create_dir(d.join("s")).unwrap();
    cmd("rbox")
        .args(["--install", "-s"])
        .arg(d.join("s"))
        .run()
        .ok("");
    assert_eq!(std::fs::read_dir(d.join("s")).unwrap().count(), n);
    let t = std::fs::read_link(d.join("s/echo")).unwrap();
    assert_eq!(
        std::fs::canonicalize(t).unwrap(),
        std::fs::canonicalize(bin()).unwrap()
    );
    // Re-running is quiet: the links are already ours.
    cmd("rbox")
        .args(["--install", "-s"])
        .arg(d.join("s"))
        .run()
        .ok("");
    // Hard links share the inode.
    std::fs::create_dir(d.join("h")).unwrap();
    std::fs::write(d.join("h/yes"), "keep me").unwrap();
    let o = cmd("rbox").arg("--install").arg(d.join("h")).run();
    // An unrelated existing file is neither replaced nor passed over in silence.
    o.code(1);
    assert!(o.err().contains("/h/yes: File exists"), "{}", o.err());
    assert_eq!(std::fs::read(d.join("h/yes")).unwrap(), b"keep me");
    let ino = std::fs::metadata(d.join("h/echo")).unwrap().ino();
    assert_eq!(ino, std::fs::metadata(bin()).unwrap().ino());
    // The installed links work.
    let mut c = cmd("echo");
    c.cmd = std::process::Command::new(d.join("s/echo"));
    if std::env::var_os("RBOX_TEST_RUNNER").is_none_or(|r| r.is_empty()) {
        c.arg("via link").run().ok("via link\n");
    }
}

#[test]
fn write_error_is_reported() {
    cmd("echo")
        .arg("hi")
        .stdout_file("/dev/full")
        .run()
        .fails(1, "echo: write error: No space left on device\n");
}

#[test]
fn closed_pipe_ends_quietly() {
    use std::process::{Command, Stdio};
    // `yes | head -1`: yes must die of SIGPIPE (or exit) without a message.
    let mut y = cmd("yes");
    y.cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = y.cmd.spawn().unwrap();
    let out = child.stdout.take().unwrap();
    let head = Command::new("head").arg("-1").stdin(out).output().unwrap();
    assert_eq!(head.stdout, b"y\n");
    let o = child.wait_with_output().unwrap();
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!o.status.success());
}

#[test]
fn answers_to_the_name_busybox() {
    // Images and scripts call `busybox APPLET`: rbox linked as busybox is the front end.
    cmd("busybox").args(["echo", "hi"]).run().ok("hi\n");
    let list = cmd("busybox").arg("--list").run();
    assert_eq!(list.out(), cmd("rbox").arg("--list").run().out());
    let d = Dir::new();
    cmd("busybox")
        .args(["--install", "-s"])
        .arg(d.path.as_os_str())
        .run()
        .ok("");
    assert!(d.join("ls").symlink_metadata().is_ok());
    assert!(d.join("busybox").symlink_metadata().is_err());
}
