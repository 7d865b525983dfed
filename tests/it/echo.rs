use crate::common::*;

#[test]
fn plain() {
    run("echo", &[]).ok("\n");
    run("echo", &["a", "b  c"]).ok("a b  c\n");
    run("echo", &["-n", "x"]).ok("x");
    run("echo", &["-n"]).ok("");
}

#[test]
fn options_only_when_whole_argument_is_flags() {
    run("echo", &["-nx", "y"]).ok("-nx y\n");
    run("echo", &["-", "y"]).ok("- y\n");
    run("echo", &["--", "y"]).ok("-- y\n");
    run("echo", &["-n", "-e", "a\\tb"]).ok("a\tb");
    run("echo", &["-eE", "a\\tb"]).ok("a\\tb\n");
    run("echo", &["a", "-n"]).ok("a -n\n");
}

#[test]
fn escapes() {
    run("echo", &["-e", "a\\nb\\\\c\\a\\x41\\0101\\101"]).ok("a\nb\\c\x07AAA\n");
    run("echo", &["-e", "stop\\chere", "more"]).ok("stop");
    run("echo", &["-e", "\\q", "end\\"]).ok("\\q end\\\n");
    run("echo", &["-e", "\\0"]).ok("\0\n");
    run("echo", &["a\\tb"]).ok("a\\tb\n");
    for args in [
        &["-e", "x\\x4", "\\0777\\e\\v\\400\\01234"][..],
        &["-e", "\\c"],
        &["-ne", "a\\x"],
    ] {
        same("echo", args, b"", |_| {});
    }
}

#[test]
fn non_utf8_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let o = cmd("echo")
        .arg(std::ffi::OsStr::from_bytes(b"\xff\xfe"))
        .run();
    o.ok(b"\xff\xfe\n");
}
