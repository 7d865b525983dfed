use crate::common::*;

#[test]
fn sleeps_microseconds() {
    run("usleep", &["0"]).ok("");
    run("usleep", &["1000"]).ok("");
    // Operands after the first are ignored.
    run("usleep", &["0", "x"]).ok("");
}

#[test]
fn errors() {
    run("usleep", &[]).fails_with(1, "rbox v");
    for a in [
        "x",
        "1s",
        "-1",
        "1.5",
        "4294967296",
        "18446744073709551616",
        "--",
        "-x",
        " 1",
        "+1",
        "",
    ] {
        run("usleep", &[a]).fails(1, &format!("usleep: invalid number '{a}'\n"));
    }
}

#[test]
fn same_as_busybox() {
    for args in [
        &[][..],
        &["0"],
        &["x"],
        &["1s"],
        &["-1"],
        &["0", "0"],
        &["1.5"],
        &["4294967296"],
        &["18446744073709551615"],
        &["--", "0"],
        &["+1"],
        &["0", "x"],
    ] {
        same("usleep", args, b"", |_| {});
    }
}
