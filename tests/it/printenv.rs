use crate::common::*;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

fn printenv_with(vars: &[(&str, &[u8])]) -> Run {
    let mut r = cmd("printenv");
    r.cmd.env_clear();
    for (k, v) in vars {
        r.cmd.env(k, OsStr::from_bytes(v));
    }
    r
}

#[test]
fn whole_environment() {
    printenv_with(&[("A", b"1"), ("B", b"x=y")])
        .run()
        .env_ok("A=1\nB=x=y\n");
    printenv_with(&[]).run().ok("");
}

#[test]
fn named_variables() {
    let v: &[(&str, &[u8])] = &[("A", b"1"), ("B", b"x=y"), ("E", b""), ("N", b"\xff\xfe")];
    printenv_with(v).args(["A", "B"]).run().ok("1\nx=y\n");
    printenv_with(v).args(["E"]).run().ok("\n");
    printenv_with(v).args(["N"]).run().ok(b"\xff\xfe\n");
    // A missing one makes the status 1; the others are still printed.
    let o = printenv_with(v).args(["A", "NOPE", "B"]).run();
    assert_eq!(
        (o.code, o.out(), o.err()),
        (1, "1\nx=y\n".into(), String::new())
    );
    // Names holding `=`, and the empty name, name nothing.
    printenv_with(v).args(["B=x"]).run().fails(1, "");
    printenv_with(v).args([""]).run().fails(1, "");
    // No options: `-0` is a (missing) variable name.
    printenv_with(v).args(["-0"]).run().fails(1, "");
    printenv_with(v).args(["a"]).run().fails(1, "");
}

#[test]
fn help_and_write_error() {
    let o = run("printenv", &["--help"]);
    o.code(0);
    assert!(
        o.err().contains("Usage: printenv [VARIABLE]..."),
        "{}",
        o.err()
    );
    printenv_with(&[("A", b"1")])
        .stdout_file("/dev/full")
        .run()
        .fails(1, "printenv: write error: No space left on device\n");
}
