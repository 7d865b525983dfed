use crate::common::*;
use std::process::Stdio;

fn tty_with_ptmx(args: &[&str]) -> Out {
    let mut c = cmd("tty").args(args);
    let pt = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/ptmx")
        .unwrap();
    c.cmd.stdin(Stdio::from(pt));
    let o = c.cmd.output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: o.stdout,
        stderr: o.stderr,
    }
}

#[test]
fn not_a_tty() {
    // stdin is a pipe (or /dev/null) here.
    let o = run("tty", &[]);
    o.fails(1, "");
    assert_eq!(o.out(), "not a tty\n");
    cmd("tty").stdin("").run().fails(1, "");
    run("tty", &["-s"]).fails(1, "");
    cmd("tty").stdin("x").arg("-s").run().fails(1, "");
}

#[test]
fn a_terminal() {
    if !std::path::Path::new("/dev/ptmx").exists() {
        return;
    }
    tty_with_ptmx(&[]).ok("/dev/ptmx\n");
    tty_with_ptmx(&["-s"]).ok("");
}

#[test]
fn arguments_and_options() {
    let o = run("tty", &["x"]);
    o.fails(1, "tty: ignoring all arguments\n");
    assert_eq!(o.out(), "not a tty\n");
    run("tty", &["-s", "x"]).fails(1, "tty: ignoring all arguments\n");
    // A bad option exits 2: POSIX wants more than 1 for errors.
    run("tty", &["-x"]).fails_with(2, "tty: invalid option -- 'x'\n");
}

#[test]
fn write_error() {
    // BusyBox says "standard output: ..."; the status is the same.
    cmd("tty")
        .stdout_file("/dev/full")
        .run()
        .fails(1, "tty: write error: No space left on device\n");
}

#[test]
fn same_as_busybox() {
    for args in [
        &[][..],
        &["-s"],
        &["x"],
        &["-x"],
        &["-s", "x"],
        &["--", "x"],
        &["-ss"],
    ] {
        same("tty", args, b"", |_| {});
    }
}
