use crate::common::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;

fn setup(d: &Dir) {
    d.write("a", "x\n");
    d.write("b", "y\n");
    d.mkdir("d");
    std::os::unix::fs::symlink("d", d.join("dl")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.join("dang")).unwrap();
}

#[test]
fn same_as_busybox() {
    for args in [
        &["a", "b"][..],
        &["-s", "nope/x", "y/z"],
        &["a"],
        &["-v", "a", "c"],
        &["-sv", "a", "d"],
        &["-sf", "a", "b"],
        &["a", "b", "c"],
        &["-T", "a", "d"],
        &["-snf", "b", "dl"],
        &["-sv", "a", "dl"],
        &["-b", "b", "a"],
        &["-sbS", ".bak", "b", "a"],
        &["nonexist", "q"],
        &["-s", "dang", "e"],
        &["dang", "e"],
        &["-v", "a", "b", "d"],
        &[],
        &["-x", "a"],
    ] {
        same("ln", args, b"", setup);
    }
}

#[test]
fn links_made() {
    let d = Dir::new();
    setup(&d);
    d.cmd("ln").args(["a", "h"]).run().ok("");
    assert_eq!(
        std::fs::metadata(d.join("h")).unwrap().ino(),
        std::fs::metadata(d.join("a")).unwrap().ino()
    );
    d.cmd("ln").args(["-s", "a", "s"]).run().ok("");
    assert_eq!(std::fs::read_link(d.join("s")).unwrap().as_os_str(), "a");
    // Into a directory, through a symlink to it unless -n.
    d.cmd("ln").args(["-s", "a", "dl"]).run().ok("");
    assert!(d.join("d/a").symlink_metadata().is_ok());
    d.cmd("ln").args(["-sfn", "b", "dl"]).run().ok("");
    assert_eq!(std::fs::read_link(d.join("dl")).unwrap().as_os_str(), "b");
    // -b keeps the old one.
    d.cmd("ln").args(["-sb", "a", "b"]).run().ok("");
    assert_eq!(std::fs::read(d.join("b~")).unwrap(), b"y\n");
    // Odd names.
    let n = OsStr::from_bytes(b"sp ace\n\xff");
    d.cmd("ln")
        .arg("-sv")
        .arg(n)
        .arg("d")
        .run()
        .ok(b"'d/sp ace\n\xff' -> 'sp ace\n\xff'\n");
}
