//! expand, unexpand, tee.
use crate::common::*;
use crate::textfiles::*;
use std::process::Stdio;

const IN: &[u8] = b"a\tb\n  \tc\td\n        x  y\n\t \tz\n1234567 x\n123456  x\n       x\n         x\nab      cd      e\n   \na b\n                 \n  a       b\nab\x08c\td\n\t\ta\tb  \t c\n\xff\t\tq\r\nx";

#[test]
fn expand_unexpand_match_busybox() {
    for o in [
        &[][..],
        &["-t", "4"],
        &["-i"],
        &["-t", "1"],
        &["-t", "3", "-i"],
        &["-t", "0"],
        &["-t", "2,5"],
        &["-t", "x"],
        &["f1", "nope", "words"],
    ] {
        same("expand", o, IN, files);
        let mut a = o.to_vec();
        a.retain(|x| *x != "-i");
        same("unexpand", &a, IN, files);
        a.push("-a");
        same("unexpand", &a, IN, files);
        a.pop();
        a.push("-f");
        same("unexpand", &a, IN, files);
    }
    for f in ["crlf", "bad", "empty", "blank", "nonl"] {
        same("expand", &[f], b"", files);
        same("unexpand", &["-a", f], b"", files);
    }
    // NUL bytes are one column like any other (BusyBox loses the rest of such a line).
    cmd("expand").stdin(b"a\0\tb\n").run().ok(b"a\0      b\n");
    dev_full("expand", &["words"], b"");
    dev_full("unexpand", &["words"], b"");
    closed_pipe("expand", &[], text(4 << 20));
}

#[test]
fn tee_copies_to_every_output() {
    let d = Dir::new();
    d.cmd("tee").args(["a", "b"]).stdin("hi\n").run().ok("hi\n");
    assert_eq!(std::fs::read(d.join("a")).unwrap(), b"hi\n");
    assert_eq!(std::fs::read(d.join("b")).unwrap(), b"hi\n");
    d.cmd("tee")
        .args(["-a", "a"])
        .stdin("more\n")
        .run()
        .ok("more\n");
    assert_eq!(std::fs::read(d.join("a")).unwrap(), b"hi\nmore\n");
    d.cmd("tee").arg("b").stdin("new\n").run().ok("new\n");
    assert_eq!(std::fs::read(d.join("b")).unwrap(), b"new\n");
    // `-` is stdout again (BusyBox).
    d.cmd("tee").arg("-").stdin("x\n").run().ok("x\nx\n");
    same("tee", &["-", "c"], b"data\0\xff\n", |_| {});
    same("tee", &["no/such", "c"], b"data\n", |_| {});
    let t = text(3 << 20);
    d.cmd("tee").args(["-i", "big"]).stdin(&t).run().ok(&t);
    assert_eq!(std::fs::read(d.join("big")).unwrap(), t);
}

#[test]
fn tee_write_error_keeps_the_others() {
    // Deliberate difference: BusyBox reports stdio's "I/O error"; rbox the real errno.
    let d = Dir::new();
    d.cmd("tee")
        .args(["/dev/full", "ok"])
        .stdin("keep\n")
        .run()
        .fails(1, "tee: /dev/full: No space left on device\n");
    assert_eq!(std::fs::read(d.join("ok")).unwrap(), b"keep\n");
    let o = d
        .cmd("tee")
        .arg("ok2")
        .stdin("s\n")
        .stdout_file("/dev/full")
        .run();
    o.fails(1, "tee: standard output: No space left on device\n");
    assert_eq!(std::fs::read(d.join("ok2")).unwrap(), b"s\n");
}

#[test]
fn tee_closed_pipe() {
    let d = Dir::new();
    let mut c = d.cmd("tee").arg("copy");
    let mut child = c
        .cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut si = child.stdin.take().unwrap();
    use std::io::Write;
    let _ = si.write_all(b"line\n");
    drop(si);
    let o = child.wait_with_output().unwrap();
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
