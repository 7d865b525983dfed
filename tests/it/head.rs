use crate::common::*;
use crate::textfiles::*;

#[test]
fn options_match_busybox() {
    let sets: &[&[&str]] = &[
        &["f1"],
        &["-n", "2", "f1", "nonl"],
        &["-n2", "num"],
        &["-n", "0", "num"],
        &["-n", "1k", "num"],
        &["-n", "1b", "num"],
        &["-n", "-3", "num"],
        &["-n", "-0", "nonl"],
        &["-n", "-1", "nonl"],
        &["-n", "-100", "num"],
        &["-c", "5", "f1"],
        &["-c", "-2", "f1"],
        &["-c", "-0", "nonl"],
        &["-c", "1k", "num"],
        &["-c", "-1m", "num"],
        &["-3", "num"],
        &["-n", "1", "-c", "3", "f1"],
        &["-c", "3", "-n", "1", "f1"],
        &["-q", "f1", "nonl"],
        &["-v", "f1"],
        &["-q", "-v", "f1", "nonl"],
        &["-v", "-q", "f1", "nonl"],
        &["-n", "1", "f1", "-", "nonl"],
        &["crlf", "nul", "bad", "empty", "blank"],
        // -n -N with NUL bytes: BusyBox's line printing stops at a NUL (its bug; rbox
        // keeps the bytes), see nul_bytes_kept.
        &["-n", "-1", "crlf", "bad"],
        &["-c", "-3", "crlf", "nul", "bad"],
        &["-n", "2", "f1", "nope", "nonl"],
        &["nope", "f1"],
        &["-n", "1x", "f1"],
        &["-n", "+2", "f1"],
        &["-n", "", "f1"],
        &["-n", "99999999999999999999", "f1"],
        &["-5c", "f1"],
        &["-x", "f1"],
        &["-n"],
    ];
    for args in sets {
        same("head", args, b"in\nput\nno newline", files);
    }
    for opts in [
        &["-n", "3"][..],
        &["-n", "-2"],
        &["-c", "4"],
        &["-c", "-4"],
        &[],
    ] {
        same("head", opts, b"", files);
        same(
            "head",
            opts,
            b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12",
            files,
        );
        same("head", opts, b"\r\n\r\n\xff", files);
    }
}

#[test]
fn nul_bytes_kept() {
    cmd("head")
        .args(["-n", "-1"])
        .stdin(b"\0\0\n\r\n\xff")
        .run()
        .ok(b"\0\0\n\r\n");
    cmd("head")
        .args(["-n", "1"])
        .stdin(b"a\0b\nc")
        .run()
        .ok(b"a\0b\n");
}

#[test]
fn big_inputs_and_long_lines() {
    let t = text(3 << 20);
    let lines: Vec<&[u8]> = t.split_inclusive(|&b| b == b'\n').collect();
    let first: Vec<u8> = lines[..1000].concat();
    cmd("head").args(["-n", "1000"]).stdin(&t).run().ok(&first);
    let but: Vec<u8> = lines[..lines.len() - 1000].concat();
    cmd("head").args(["-n", "-1000"]).stdin(&t).run().ok(&but);
    cmd("head")
        .args(["-c", "-1000"])
        .stdin(&t)
        .run()
        .ok(&t[..t.len() - 1000]);
    cmd("head")
        .args(["-c", "200000"])
        .stdin(&t)
        .run()
        .ok(&t[..200000]);
    // A 4 MB line without a newline.
    let long = vec![b'x'; 4 << 20];
    cmd("head").args(["-n", "1"]).stdin(&long).run().ok(&long);
    cmd("head").args(["-n", "-1"]).stdin(&long).run().ok("");
    let mut two = long.clone();
    two.extend_from_slice(b"\nend\n");
    let mut want = long.clone();
    want.push(b'\n');
    cmd("head").args(["-n", "-1"]).stdin(&two).run().ok(&want);
}

#[test]
fn messages() {
    let d = Dir::new();
    files(&d);
    d.cmd("head")
        .args(["f1", "nope", "nonl"])
        .run()
        .fails(1, "head: nope: No such file or directory\n");
    d.cmd("head")
        .args(["-n", "2x"])
        .run()
        .fails(1, "head: invalid number '2x'\n");
}

#[test]
fn seekable_stdin_is_left_after_what_was_printed() {
    // POSIX: a utility that stops early leaves a seekable input just past what it used,
    // so `{ head -n 1; cat; } <file` sees the rest.
    let d = Dir::new();
    files(&d);
    let sh = format!(
        "{{ {}{} -n 1; cat; }} < num",
        runner_prefix(),
        applet_path("head").display()
    );
    let o = std::process::Command::new("sh")
        .args(["-c", &sh])
        .current_dir(&d.path)
        .output()
        .unwrap();
    let want: String = (1..=30).map(|i| format!("{i}\n")).collect();
    assert_eq!(String::from_utf8_lossy(&o.stdout), want);
}

#[test]
fn write_errors_and_closed_pipes() {
    // Deliberate difference: BusyBox says "standard output: ..." and may exit 0; rbox
    // reports its usual write error and exits 1.
    dev_full("head", &["f1"], b"");
    dev_full("head", &["-n", "-1", "num"], b"");
    closed_pipe("head", &["-n", "100000"], text(4 << 20));
    closed_pipe("head", &["-n", "-1"], text(4 << 20));
}
