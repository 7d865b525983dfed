use crate::common::*;

/// Each run of digits as one `9`: times and sizes differ from run to run (the child's
/// peak RSS includes its parent's pages before exec, and rbox is smaller than BusyBox).
fn nodigits(s: &[u8]) -> String {
    let mut o = String::new();
    for c in String::from_utf8_lossy(s).chars() {
        if !c.is_ascii_digit() {
            o.push(c);
        } else if !o.ends_with('9') {
            o.push('9');
        }
    }
    // %P is "?%" when no millisecond passed.
    o.replace("?%", "9%")
}

#[track_caller]
fn like_busybox(args: &[&str]) {
    let a = run("time", args);
    if !has_busybox() {
        return;
    }
    let b = bb("time").args(args).run();
    assert_eq!(
        (a.code, nodigits(&a.stdout), nodigits(&a.stderr)),
        (b.code, nodigits(&b.stdout), nodigits(&b.stderr)),
        "{args:?}"
    );
}

#[test]
fn formats() {
    like_busybox(&["true"]);
    like_busybox(&["-p", "true"]);
    like_busybox(&["-v", "true"]);
    like_busybox(&[
        "-f",
        "%x %C|%%|%z|\\t|%e %E %U %S %u %T %P %Z",
        "sh",
        "-c",
        "exit 3",
    ]);
    like_busybox(&["rbox-no-such-prog"]);
    like_busybox(&["sh", "-c", "kill -9 $$"]);
    // PROG's own options stay its own.
    like_busybox(&["echo", "-v", "x"]);
    let o = run("time", &["-f", "%C", "echo", "a b"]);
    assert_eq!(
        (o.code, o.out(), o.err()),
        (0, "a b\n".into(), "echo a b\n".into())
    );
    // $TIME is the format, when no option gives one.
    let o = cmd("time").arg("true").env("TIME", "[%x]").run();
    assert_eq!(
        (o.code, o.out(), o.err()),
        (0, String::new(), "[0]\n".into())
    );
    let o = cmd("time").args(["-p", "true"]).env("TIME", "[%x]").run();
    assert!(o.err().starts_with("real "));
    let o = cmd("time")
        .args(["sh", "-c", "exit 2"])
        .env("TIME", "[%x]")
        .run();
    assert_eq!(
        (o.code, o.err()),
        (
            2,
            "Command exited with non-zero status 2\n[2]\n".to_string()
        )
    );
}

#[test]
fn output_file() {
    let d = Dir::new();
    d.cmd("time")
        .args(["-o", "t", "-f", "one", "true"])
        .run()
        .ok("");
    d.cmd("time")
        .args(["-a", "-o", "t", "-f", "two", "true"])
        .run()
        .ok("");
    assert_eq!(std::fs::read_to_string(d.join("t")).unwrap(), "one\ntwo\n");
    d.cmd("time")
        .args(["-o", "t", "-f", "three", "true"])
        .run()
        .ok("");
    assert_eq!(std::fs::read_to_string(d.join("t")).unwrap(), "three\n");
    same("time", &["-o", "/nonexistent/x", "true"], b"", |_| {});
    run("time", &[]).fails_with(1, "rbox v");
}
