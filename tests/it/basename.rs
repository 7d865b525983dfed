use crate::common::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

#[test]
fn name_and_suffix() {
    run("basename", &["/a/b/c.txt", ".txt"]).ok("c\n");
    run("basename", &["a/b/"]).ok("b\n");
    run("basename", &["///a///"]).ok("a\n");
    run("basename", &["/"]).ok("/\n");
    run("basename", &["//"]).ok("/\n");
    run("basename", &[""]).ok("\n");
    // A suffix equal to the whole name is kept.
    run("basename", &["c.txt", "c.txt"]).ok("c.txt\n");
    run("basename", &["/a/b/", "b"]).ok("b\n");
    run("basename", &["ab", "b"]).ok("a\n");
    run("basename", &["--", "-a"]).ok("-a\n");
    run("basename", &["-"]).ok("-\n");
}

#[test]
fn all_and_suffix_options() {
    run("basename", &["-a", "a/b", "c/d", ""]).ok("b\nd\n\n");
    run("basename", &["-s", ".c", "a.c", "x/b.c", "h"]).ok("a\nb\nh\n");
    run("basename", &["-sx", "ax", "bx"]).ok("a\nb\n");
    run("basename", &["-as", "b", "ab", "cb"]).ok("a\nc\n");
    // The last -s wins; an empty suffix removes nothing.
    run("basename", &["-s", ".c", "-s", ".h", "a.h", "a.c"]).ok("a\na.c\n");
    run("basename", &["-s", "", "x"]).ok("x\n");
}

#[test]
fn usage_errors() {
    for args in [
        &[][..],
        &["-a"],
        &["-s", ".c"],
        &["a", "b", "c"],
        // Options stop at the first name.
        &["a/b.c", "-s", ".c"],
    ] {
        run("basename", args).fails_with(1, "rbox v");
    }
    run("basename", &["-s"]).fails_with(1, "basename: option requires an argument -- 's'\n");
    run("basename", &["-z", "a"]).fails_with(1, "basename: invalid option -- 'z'\n");
}

#[test]
fn non_utf8() {
    cmd("basename")
        .arg(OsStr::from_bytes(b"/d\xff/n\xfe.\xfd"))
        .arg(OsStr::from_bytes(b".\xfd"))
        .run()
        .ok(b"n\xfe\n");
}

#[test]
fn write_error() {
    // Deliberate difference: BusyBox exits 1 without a word; rbox names the error.
    cmd("basename")
        .arg("a")
        .stdout_file("/dev/full")
        .run()
        .fails(1, "basename: write error: No space left on device\n");
}

#[test]
fn same_as_busybox() {
    let cases: &[&[&str]] = &[
        &["/a/b/c.txt", ".txt"],
        &["c.txt", "c.txt"],
        &["/"],
        &["//"],
        &[""],
        &["a//", "/"],
        &["-a", "a/b", "c/d"],
        &["-s", ".c", "a.c", "b.c"],
        &["-a", "x", ""],
        &["-s", ".c", "-s", ".h", "a.h", "a.c"],
        &["-s", "b", "-a", "ab"],
        &["-a"],
        &["-s", ".c"],
        &["a", "b", "c"],
        &["a/b.c", "-s", ".c"],
        &["-z", "a"],
        &["-s"],
        &["--suffix=.c", "a.c"],
        &["--", "-a"],
        &["x.c", ".c", "extra"],
    ];
    for c in cases {
        same("basename", c, b"", |_| {});
    }
}
