//! chown and chgrp (one engine).
use crate::common::*;
use std::os::unix::fs::MetadataExt;

fn setup(d: &Dir) {
    d.write("f", "");
    d.write("d/e/g", "");
    std::os::unix::fs::symlink("f", d.join("l")).unwrap();
    std::os::unix::fs::symlink("../f", d.join("d/lf")).unwrap();
    std::os::unix::fs::symlink("d", d.join("dl")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.join("dangling")).unwrap();
}

fn root() -> bool {
    let r = unsafe { libc::geteuid() } == 0;
    if !r {
        eprintln!("not root: chown test skipped");
    }
    r
}

#[test]
fn specs_like_busybox() {
    if !root() {
        return;
    }
    for s in [
        "nobody",
        "nobody:",
        "nobody:root",
        ":root",
        "1234:5678",
        "1234",
        "1234:",
        "nosuch",
        "nosuch:root",
        "root:nosuch",
        ":nosuch",
        "",
        ":",
        "nobody.root",
        "0.0",
        "x:",
        "+5",
        "4294967294:1",
    ] {
        same("chown", &["-v", s, "f"], b"", setup);
    }
    // BusyBox reads a user id as an unsigned long and truncates it, so 4294967296 would
    // make the file root's; rbox refuses an id that does not fit.
    let d = Dir::new();
    setup(&d);
    d.cmd("chown")
        .args(["4294967296", "f"])
        .run()
        .fails(1, "chown: unknown user 4294967296\n");
}

#[test]
fn options_like_busybox() {
    if !root() {
        return;
    }
    let args: &[&[&str]] = &[
        &[],
        &["1"],
        &["-vh", "5:5", "l"],
        &["-v", "5:5", "l"],
        &["-vR", "7:7", "d", "l", "dl"],
        &["-vRH", "7:7", "dl"],
        &["-vRL", "7:7", "dl"],
        &["-vRP", "7:7", "dl"],
        &["-v", "8", "nope", "f"],
        &["-f", "8", "nope", "f"],
        &["-c", "0:0", "f", "d"],
        &["-c", "3:0", "f", "d"],
        &["-v", "2", "d"],
        &["-vRL", "2", "d", "dangling"],
        &["-vR", "2", "dangling"],
        &["-z", "1", "f"],
    ];
    for a in args {
        same("chown", a, b"", setup);
    }
    let args: &[&[&str]] = &[
        &[],
        &["9"],
        &["-v", "9", "f"],
        &["-v", "nosuch", "f"],
        &["-vR", "root", "d", "l"],
        &["-v", "--", "5", "f"],
        &["-c", "0", "f"],
    ];
    for a in args {
        same("chgrp", a, b"", setup);
    }
}

#[test]
fn recursive_is_lchown_below() {
    if !root() {
        return;
    }
    let d = Dir::new();
    setup(&d);
    d.cmd("chown").args(["-R", "11:12", "d"]).run().ok("");
    let m = |p: &str| std::fs::symlink_metadata(d.join(p)).unwrap();
    assert_eq!((m("d/e/g").uid(), m("d/e/g").gid()), (11, 12));
    assert_eq!(m("d/lf").uid(), 11);
    assert_eq!(m("f").uid(), 0, "a symlink below the root was followed");
}

#[test]
fn loop_under_l_reported() {
    if !root() {
        return;
    }
    // BusyBox descends a loop until the path is too long; rbox names the loop.
    let d = Dir::new();
    d.mkdir("a/b");
    std::os::unix::fs::symlink("..", d.join("a/b/up")).unwrap();
    d.cmd("chown").args(["-RL", "0", "a"]).run().fails(
        1,
        "chown: File system loop detected; 'a/b/up' is part of the same file system loop as 'a'.\n",
    );
}
