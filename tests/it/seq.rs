use crate::common::*;

const CASES: &[&[&str]] = &[
    &["3"],
    &["0"],
    &["5", "1"],
    &["1", "0.1", "2"],
    &["1", "0.3", "2"],
    &["0.5", "3"],
    &["1", ".5", "2"],
    &["1.0", "3"],
    &["1.50", "2.5"],
    &["1", "0.0001", "1.0003"],
    &["1e-3", "2e-3", "1e-2"],
    &["1e2", "1e2"],
    &["0x10", "0x12"],
    &["1", "3e0"],
    &["1", "-1", "-2"],
    &["10", "-3", "1"],
    &["+1", "3"],
    &["1", "inf", "3"],
    &["nan"],
    &["", "2"],
    &["-w", "8", "10"],
    &["-w", "010"],
    &["-w", "1.5", "0.5", "3"],
    &["-w", "0.5", "10"],
    &["-w", "1", "10.0"],
    &["-w", "5", "-1", "-2"],
    &["-w", "--", "-1", "1"],
    &["-w", "--", "-10", "3", "2"],
    &["--", "-3.5", "0.25", "-2"],
    &["-s,", "1", "3"],
    &["-s", "", "1", "3"],
    &["-s", "ab", "1", "2"],
    &["999999999999999999", "1000000000000000001"],
    // The integer paths: counting by one in a decimal string, and other steps.
    &["-w", "1", "1", "100"],
    &["95", "1000"],
    &["0", "2", "10"],
    &["--", "-5", "3"],
    &["-w", "--", "-5", "3"],
    &["-s:", "1", "5"],
    &["9007199254740990", "9007199254740995"],
    &["8999999999999998", "9000000000000001"],
    &["--", "-0", "2"],
];

const ERRORS: &[&[&str]] = &[
    // Errors: a negative number is an option unless after `--`; bad numbers print usage.
    &["-1", "1"],
    &["-.5", "1"],
    &["1", "-s,", "3"],
    &["x"],
    &["1", "x"],
    &["1", "2", "3", "4"],
    &[],
    &["1e400"],
    &["-s"],
    &["-q", "1"],
];

#[test]
fn matches_busybox() {
    for c in CASES {
        same("seq", c, b"", |_| {});
    }
    for c in ERRORS {
        crate::printf::same_head("seq", c, b"", |_| {});
    }
}

#[test]
fn format_option() {
    // BusyBox 1.35 has no -f; rbox takes GNU's.
    run("seq", &["-f", "%03g", "1", "3"]).ok("001\n002\n003\n");
    run("seq", &["-f", "x%.2fy%%", "-s,", "1", "0.5", "2"]).ok("x1.00y%,x1.50y%,x2.00y%\n");
}

#[test]
fn many_numbers() {
    let o = run("seq", &["100000"]);
    let want: String = (1..=100000).map(|i| format!("{i}\n")).collect();
    o.ok(want);
}

#[test]
fn full_disk_and_closed_pipe() {
    // BusyBox exits 255 with no message; rbox reports the write error.
    cmd("seq")
        .args(["1", "1000000000"])
        .stdout_file("/dev/full")
        .run()
        .fails(1, "seq: write error: No space left on device\n");
    let p = applet_path("seq");
    let script = format!(
        "{}{} 1 1000000000 | head -c 4; echo \" ${{PIPESTATUS[0]}}\"",
        runner_prefix(),
        p.display()
    );
    let o = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "1\n2\n 141\n");
}
