//! Only short sleeps are run; tests never assert timings.

use crate::common::*;

#[test]
fn durations() {
    for args in [
        &["0"][..],
        &["0", "0", "0"],
        &["00"],
        &["0s"],
        &["0m"],
        &["0h"],
        &["0d"],
        &["0.01"],
        &[".01"],
        &["0."],
        &["0.0001m"],
        &["0.0d"],
        &["0.000000000001"],
        &["0.005", "0.005s"],
    ] {
        run("sleep", args).ok("");
    }
}

#[test]
fn invalid_numbers() {
    for a in [
        "x",
        "1x",
        "1e-2",
        "-1",
        "+0",
        " 0",
        "0 ",
        "",
        "0x0",
        "0ss",
        "0s0",
        "1d2",
        "1S",
        "--",
        "-x",
        "99999999999999999999",
    ] {
        run("sleep", &[a]).fails(1, &format!("sleep: invalid number '{a}'\n"));
    }
    // Every operand is checked before any sleeping.
    run("sleep", &["0.5", "x"]).fails(1, "sleep: invalid number 'x'\n");
    run("sleep", &["0", "inf"]).fails(1, "sleep: invalid number 'inf'\n");
    // BusyBox reads the suffix of a fraction as the number "1" plus the suffix.
    run("sleep", &["1.5x"]).fails(1, "sleep: invalid number '1x'\n");
    run("sleep", &["0.5ms"]).fails(1, "sleep: invalid number '1ms'\n");
    run("sleep", &["5x."]).fails(1, "sleep: invalid number '1x.'\n");
    // Deliberate difference: BusyBox writes before the start of its argument here and
    // corrupts its own name in the message ("sleep1x.5: ...").
    run("sleep", &["x.5"]).fails(1, "sleep: invalid number '1x.5'\n");
    run("sleep", &["18446744073709551615m"]).fails(
        1,
        "sleep: number 18446744073709551615m is not in 0..18446744073709551615 range\n",
    );
}

#[test]
fn bad_fractions_show_usage() {
    for a in [".", "0.1.2", "0..", "..5", "0.5.", "...", ".s"] {
        run("sleep", &[a]).fails_with(1, "rbox v");
    }
    run("sleep", &[]).fails_with(1, "rbox v");
}

#[test]
fn same_as_busybox() {
    for a in [
        "0",
        "x",
        "1x",
        "0.01",
        ".01",
        "0.001m",
        "1e-2",
        "-1",
        "",
        "0.",
        "0x0",
        "0.1.2",
        "--",
        "-x",
        "+0",
        "0d",
        "0e",
        "0s0",
        "0ss",
        ".",
        "1.5x",
        "1.5e",
        "0.5ms",
        "0..",
        "..5",
        "99999999999999999999",
        "18446744073709551616",
        "18446744073709551615m",
        "307445734561825861m",
        ".5x",
        "5x.",
        "0.0000000001",
        ".s",
    ] {
        same("sleep", &[a], b"", |_| {});
    }
    same("sleep", &[], b"", |_| {});
    same("sleep", &["0", "0.001", "x"], b"", |_| {});
}

#[test]
fn inf_sleeps_until_killed() {
    use std::process::Stdio;
    for a in ["inf", "INFINITY", "infxyz"] {
        let mut c = cmd("sleep").args([a, "x"]);
        let mut child = c
            .cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(100));
        // Still sleeping: no error for the bad second operand either.
        assert!(child.try_wait().unwrap().is_none(), "sleep {a} ended");
        child.kill().unwrap();
        let o = child.wait_with_output().unwrap();
        assert!(o.stderr.is_empty());
    }
}
