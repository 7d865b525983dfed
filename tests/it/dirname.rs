use crate::common::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

#[test]
fn paths() {
    for (p, d) in [
        ("/", "/"),
        ("///", "/"),
        ("a", "."),
        ("a/", "."),
        ("a/b", "a"),
        ("a/b/", "a"),
        ("/a", "/"),
        ("/a//", "/"),
        ("a//b//", "a"),
        ("/a/b///c//", "/a/b"),
        ("../a", ".."),
        ("", "."),
        (".", "."),
        ("..", "."),
        ("-", "."),
        ("-x", "."),
    ] {
        run("dirname", &[p]).ok(format!("{d}\n"));
    }
}

#[test]
fn two_leading_slashes_are_kept() {
    // What glibc's dirname(3), and so Debian's BusyBox, does (POSIX leaves it open).
    run("dirname", &["//"]).ok("//\n");
    run("dirname", &["//a"]).ok("//\n");
    run("dirname", &["//a//"]).ok("//\n");
    run("dirname", &["//a/b"]).ok("//a\n");
    run("dirname", &["///a"]).ok("/\n");
}

#[test]
fn operands() {
    // No options, but one leading `--` is skipped.
    run("dirname", &["--", "a/b"]).ok("a\n");
    run("dirname", &["--", "-a"]).ok(".\n");
    for args in [
        &[][..],
        &["--"],
        &["a", "b"],
        &["-x", "a"],
        &["--", "a", "b"],
    ] {
        run("dirname", args).fails_with(1, "rbox v");
    }
}

#[test]
fn non_utf8() {
    cmd("dirname")
        .arg(OsStr::from_bytes(b"\xff/\xfe/x"))
        .run()
        .ok(b"\xff/\xfe\n");
}

#[test]
fn write_error() {
    // Deliberate difference: BusyBox exits 255 without a word.
    cmd("dirname")
        .arg("a/b")
        .stdout_file("/dev/full")
        .run()
        .fails(1, "dirname: write error: No space left on device\n");
}

#[test]
fn same_as_busybox() {
    for p in [
        "/",
        "//",
        "///",
        "a",
        "a/",
        "a/b",
        "a/b/",
        "/a",
        "/a/",
        "//a",
        "//a/b",
        "a//b//",
        "./a",
        "../a",
        "",
        ".",
        "..",
        "/a/b///c//",
        "//a//",
        "///a",
        "/a//",
        "-",
    ] {
        same("dirname", &[p], b"", |_| {});
    }
    for args in [
        &[][..],
        &["a", "b"],
        &["-x", "a"],
        &["--", "a"],
        &["--", "-a"],
        &["-x"],
        &["--"],
    ] {
        same("dirname", args, b"", |_| {});
    }
}
