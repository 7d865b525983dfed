//! ar: archives made by GNU ar (long-name table, deterministic and real mtimes) and by hand
//! (BSD `#1/N` names, hostile names, truncation), against BusyBox's listing and messages.

use crate::common::*;
use crate::cpio::{has, tree};
use std::process::Command;

fn gnu(d: &Dir) -> bool {
    d.write("a.o", "one\n");
    d.write("averyveryverylongname_over16.o", "two\n");
    d.write("odd", "three");
    if !has("ar") {
        return false;
    }
    let o = Command::new("ar")
        .args(["rc", "t.a", "a.o", "averyveryverylongname_over16.o", "odd"])
        .current_dir(&d.path)
        .output()
        .unwrap();
    assert!(o.status.success());
    std::fs::remove_file(d.join("a.o")).unwrap();
    std::fs::remove_file(d.join("odd")).unwrap();
    std::fs::remove_file(d.join("averyveryverylongname_over16.o")).unwrap();
    true
}

/// One ar header and its data (padded to even).
fn member(name: &[u8], data: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    let mut n = name.to_vec();
    n.resize(16, b' ');
    v.extend_from_slice(&n);
    v.extend_from_slice(
        format!(
            "{:<12}{:<6}{:<6}{:<8}{:<10}`\n",
            1600000000,
            0,
            0,
            100644,
            data.len()
        )
        .as_bytes(),
    );
    v.extend_from_slice(data);
    if data.len() % 2 == 1 {
        v.push(b'\n');
    }
    v
}

#[test]
fn same_as_busybox() {
    std::env::set_var("TZ", "UTC");
    if !has("ar") {
        return;
    }
    for args in [
        &["t", "t.a"][..],
        &["tv", "t.a"],
        &["-tv", "t.a"],
        &["p", "t.a", "a.o"],
        &["pv", "t.a", "odd"],
        &["t", "t.a", "nope"],
        &["t", "nope.a"],
        &["t", "garbage"],
        &["x", "t.a"],
        &["xv", "t.a", "a.o"],
        &["xo", "t.a", "odd"],
        &[],
        &["t"],
        &["xt", "t.a"],
        &["x", "t.a", "a.o"],
    ] {
        same("ar", args, b"", |d| {
            gnu(d);
            d.write("garbage", "not an archive\n");
        });
    }
    // An existing file is not replaced.
    same("ar", &["x", "t.a"], b"", |d| {
        gnu(d);
        d.write("a.o", "mine");
    });
}

#[test]
fn extract_and_mtime() {
    let d = Dir::new();
    if !gnu(&d) {
        return;
    }
    d.cmd("ar").args(["x", "t.a"]).run().ok("");
    assert_eq!(
        std::fs::read(d.join("averyveryverylongname_over16.o")).unwrap(),
        b"two\n"
    );
    assert_eq!(std::fs::read(d.join("odd")).unwrap(), b"three");
    use std::os::unix::fs::MetadataExt;
    std::fs::remove_file(d.join("odd")).unwrap();
    d.cmd("ar").args(["xo", "t.a", "odd"]).run().ok("");
    // GNU ar is deterministic by default: mtime 0.
    assert_eq!(std::fs::metadata(d.join("odd")).unwrap().mtime(), 0);
}

#[test]
fn bsd_names_and_names_with_spaces() {
    // BusyBox cuts `sp ace/` at the space; rbox keeps the whole name.
    let d = Dir::new();
    let mut a = b"!<arch>\n".to_vec();
    a.extend(member(b"#1/19", b"a bsd long name.txtbsd data\n"));
    a.extend(member(b"sp ace/", b"spaced\n"));
    d.write("b.a", &a);
    d.cmd("ar")
        .args(["t", "b.a"])
        .run()
        .ok("a bsd long name.txt\nsp ace\n");
    d.cmd("ar")
        .args(["p", "b.a", "a bsd*"])
        .run()
        .ok("bsd data\n");
    d.cmd("ar").args(["x", "b.a"]).run().ok("");
    assert_eq!(std::fs::read(d.join("sp ace")).unwrap(), b"spaced\n");
    assert_eq!(
        std::fs::read(d.join("a bsd long name.txt")).unwrap(),
        b"bsd data\n"
    );
}

#[test]
fn hostile_names_stay_inside() {
    let d = Dir::new();
    let table = b"../../evil/\n/etc/abs/\nred\x1b[31m/\n";
    let mut a = b"!<arch>\n".to_vec();
    a.extend(member(b"//", table));
    a.extend(member(b"/0", b"evil\n"));
    a.extend(member(b"/12", b"abs\n"));
    a.extend(member(b"/22", b"x"));
    d.write("t/h.a", &a);
    let o = d.cmd("ar").args(["t", "h.a"]).dir(d.join("t")).run();
    o.ok("../../evil\n/etc/abs\nred\\033[31m\n");
    d.mkdir("t/etc");
    let o = d.cmd("ar").args(["x", "h.a"]).dir(d.join("t")).run();
    o.fails(0, "ar: removing leading '../../' from member names\n");
    assert_eq!(
        tree(&d.join("t")),
        ["etc", "etc/abs", "evil", "h.a", "red\u{1b}[31m"]
    );
    assert!(!d.join("evil").exists());
}

#[test]
fn truncated_and_full_disk() {
    let d = Dir::new();
    let mut a = b"!<arch>\n".to_vec();
    a.extend(member(b"big/", &vec![b'z'; 100_000]));
    d.write("t/a.a", &a[..50_000]);
    d.cmd("ar")
        .args(["x", "a.a"])
        .dir(d.join("t"))
        .run()
        .fails(1, "ar: big: short read\n");
    assert_eq!(tree(&d.join("t")), ["a.a"]);
    d.write("t/b.a", &a[..30]);
    d.cmd("ar")
        .args(["t", "b.a"])
        .dir(d.join("t"))
        .run()
        .fails(1, "ar: short read\n");
    d.write("full.a", &a);
    let o = d
        .cmd("ar")
        .args(["p", "full.a"])
        .stdout_file("/dev/full")
        .run();
    o.fails(1, "ar: write error: No space left on device\n");
}
