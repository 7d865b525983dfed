use crate::common::*;

/// Each case: the arguments; rbox and BusyBox must agree on stdout, stderr and status.
const CASES: &[&[&str]] = &[
    &["%d|%i|%x|%X|%o|%u\n", "-5", "0x1f", "255", "255", "8", "-1"],
    &[
        "%5.2f|%-8e|%g|%E|%G\n",
        "3.14159",
        "2",
        "0.0001",
        "1",
        "1e-10",
    ],
    &[
        "%10.3e|%-10g|%g %g\n",
        "123456",
        "0.00001234",
        "100000",
        "1000000",
    ],
    &["%#g %#.3x %#o %#x\n", "1", "0", "8", "255"],
    &["%+d % d|%05d|%-05d|%-+5d|\n", "5", "5", "5", "5", "3"],
    &[
        "%-5s|%5s|%.3s|%10.2s|%05s|\n",
        "ab",
        "cd",
        "abcdef",
        "xyz",
        "q",
    ],
    &["%c|%5c|%-3c|%c|\n", "hello", "x", "y", ""],
    &["%c%c\n", "hello"],
    &["%*d|%-*d|%*s|\n", "5", "3", "4", "1", "-3", "x"],
    &["%.*f|%.*s|%.*d|\n", "2", "3.14159", "-1", "abc", "3", "7"],
    &["%*d|\n", "x", "5"],
    &["%*d|\n", "99999999999", "5"],
    &["%.d|%.0d|%5.1d|\n", "0", "0", "1"],
    // The format is reused while arguments are left; missing ones are "" (0 for numbers).
    &["%d %d\n", "1", "2", "3"],
    &["%s %s\n", "a"],
    &["%s\n", "a", "b", "c"],
    &["x\n", "a", "b"],
    &["%s\n"],
    &["%d\n"],
    // Character values.
    &["%d %d %d %d %f\n", "'A", "\"B", "'", "  'C", "'D"],
    // Escapes in the format and in %b.
    &["\\x41\\101\\q\\e\\a\\b\\f\\r\\t\\v\\\\\\\"\\?|\\1234|\\400|\\777|\\x|\\xg|\\x4g\n"],
    &["abc\\"],
    &["ab\\cdef"],
    &["%s\\c\n", "a", "b"],
    &[
        "%b|%b|%b|%b|%b\n",
        "a\\tb\\0101\\101",
        "\\1234",
        "\\08",
        "\\x",
        "a\\",
    ],
    &["%b%b\n", "a\\cz", "b"],
    &["%s\n", "a\\nb"],
    &["%%|%d%%\n", "5"],
    // Size modifiers are accepted and ignored.
    &[
        "%ld %lld %hd %zd %hhd %Lf %lf\n",
        "1",
        "2",
        "3",
        "4",
        "5",
        "1.5",
        "2.5",
    ],
    // Invalid numbers: reported, printed as 0, output goes on, exit 1.
    &["%d|%s\n", "12x", "a"],
    &["%d\n", "abc"],
    &["%d\n", "1", "x", "3"],
    &["%d\n", "9223372036854775807"],
    &["%d\n", "9223372036854775808"],
    &["%d\n", "-9223372036854775808"],
    &["%d\n", "-9223372036854775809"],
    &["%u\n", "18446744073709551615"],
    &["%u\n", "18446744073709551616"],
    &["%u\n", "-18446744073709551615"],
    &["%x %o\n", "-1", "-1"],
    &["%d %d %d %d %d\n", "010", "0X1F", "+5", "+-5", " -5"],
    &["%d\n", "08"],
    &["%d\n", "0x"],
    &["%d\n", "-"],
    &["%d\n", ""],
    &["%d\n", " 12"],
    &["%d\n", "12 "],
    &["%d\n", "1.5"],
    &["%i\n", "1e3"],
    &[
        "%f|%f|%f|%f|%e|%f\n",
        "",
        "0x10",
        " 1.5",
        "inf",
        "nan",
        "-inf",
    ],
    &["%f\n", "1e"],
    &["%f\n", "1.5 "],
    &["%f\n", "1e400"],
    &["%e\n", "x"],
    &["%s%d", "a", "b", "c"],
    &["%d %s\n", "x", "y"],
    // Invalid directives stop with exit 1 after what came before.
    &["ab%5b|\n", "x"],
    &["%.3b|\n", "abc"],
    &["%q\n", "x"],
    &["%a\n", "1"],
    &["%F\n", "1"],
    &["%5%\n"],
    &["%'d\n", "1"],
    &["1 %jd\n", "1"],
    &["%z\n"],
    &["%"],
    &["%5"],
    &["%.20g %.3g\n", "0.1", "1234567"],
    &["--", "%s\n", "x"],
    &["-x"],
];

#[test]
fn matches_busybox() {
    for c in CASES {
        same("printf", c, b"", |_| {});
    }
}

#[test]
fn bytes_pass_through() {
    let args = ["%s|%b|%c\n", "a\x01\u{7f}b", "\\377\\0", "\u{e9}"];
    same("printf", &args, b"", |_| {});
    // Invalid UTF-8 operands and format.
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let o = cmd("printf")
        .arg(OsStr::from_bytes(b"\xff%s\xfe"))
        .arg(OsStr::from_bytes(b"\x80\x81"))
        .run();
    o.ok(b"\xff\x80\x81\xfe");
}

#[test]
fn usage_without_format() {
    same("printf", &[], b"", |_| {});
    run("printf", &[]).fails_with(1, "rbox");
}

#[test]
fn help() {
    let o = run("printf", &["--help"]);
    assert_eq!(o.code, 0);
    assert!(o.err().contains("Usage: printf FORMAT [ARG]..."));
}

#[test]
fn full_disk_is_an_error() {
    // BusyBox's printf ignores write errors (exit 0); rbox reports them, as GNU does.
    cmd("printf")
        .args(["%s\n", "x"])
        .stdout_file("/dev/full")
        .run()
        .fails(1, "printf: write error: No space left on device\n");
}

#[test]
fn closed_pipe_ends_quietly() {
    let p = applet_path("printf");
    let script = format!(
        "{}{} '%s\\n' $(seq 1 30000) | head -c 10; echo \" ${{PIPESTATUS[0]}}\"",
        runner_prefix(),
        p.display()
    );
    let o = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "1\n2\n3\n4\n5\n 141\n");
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Like `same`, but only the first line of stderr is compared: for error cases where the
/// usage text after it legitimately differs (rbox lists options BusyBox lacks).
#[track_caller]
pub fn same_head(applet: &str, args: &[&str], stdin: &[u8], setup: impl Fn(&Dir)) {
    if !has_busybox() {
        return;
    }
    let (d1, d2) = (Dir::new(), Dir::new());
    setup(&d1);
    setup(&d2);
    let a = d1.cmd(applet).args(args).stdin(stdin).run();
    let b = d2.bb(applet).args(args).stdin(stdin).run();
    let head2 = |o: &Out| {
        let h = o.err().lines().next().unwrap_or("").to_string();
        if h.contains("multi-call binary") {
            "BusyBox multi-call binary.".to_string()
        } else {
            h
        }
    };
    assert_eq!(
        (a.code, a.out(), head2(&a)),
        (b.code, b.out(), head2(&b)),
        "left: rbox, right: busybox, args {args:?}"
    );
}
