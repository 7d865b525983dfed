use crate::common::*;
use std::os::unix::fs::{FileTypeExt, MetadataExt};

#[test]
fn makes_nodes() {
    let d = Dir::new();
    d.cmd("mkfifo").args(["f1", "f2"]).run().ok("");
    assert!(std::fs::metadata(d.join("f2"))
        .unwrap()
        .file_type()
        .is_fifo());
    d.cmd("mkfifo").args(["-m", "600", "f3"]).run().ok("");
    assert_eq!(
        std::fs::metadata(d.join("f3")).unwrap().mode() & 0o7777,
        0o600
    );
    d.cmd("mknod").args(["p1", "p"]).run().ok("");
    assert!(std::fs::metadata(d.join("p1"))
        .unwrap()
        .file_type()
        .is_fifo());
    d.cmd("mknod")
        .args(["-m", "640", "c1", "c", "1", "3"])
        .run()
        .ok("");
    let m = std::fs::metadata(d.join("c1")).unwrap();
    assert!(m.file_type().is_char_device());
    assert_eq!((m.mode() & 0o7777, m.rdev()), (0o640, libc::makedev(1, 3)));
    d.cmd("mknod").args(["b1", "b", "7", "0"]).run().ok("");
    assert!(std::fs::metadata(d.join("b1"))
        .unwrap()
        .file_type()
        .is_block_device());
    d.cmd("mknod").args(["u1", "u", "1", "3"]).run().ok("");
    assert!(std::fs::metadata(d.join("u1"))
        .unwrap()
        .file_type()
        .is_char_device());
}

#[test]
fn same_as_busybox() {
    let setup = |d: &Dir| {
        d.write("ex", "");
    };
    for args in [&["ex", "nod/x", "ok"][..], &[], &["-m", "bad", "f4"]] {
        same("mkfifo", args, b"", setup);
    }
    for args in [
        &["ex", "p"][..],
        &["x", "c", "a", "b"],
        &["x", "c", "99999999999", "1"],
        &["x", "c", "4096", "1"],
        &["x", "c", "1", "99999999"],
        &["-m", "bad", "y", "p"],
        &["nod/x", "p"],
    ] {
        same("mknod", args, b"", setup);
    }
    // Usage errors (not compared: BusyBox prints "TYPE:" flush left, our help is indented).
    for args in [
        &["x"][..],
        &["x", "p", "1", "2"],
        &["x", "c", "1"],
        &["x", "z", "1", "2"],
    ] {
        let d = Dir::new();
        d.cmd("mknod").args(args).run().fails_with(1, "rbox v");
    }
}

#[test]
fn symbolic_modes() {
    let d = Dir::new();
    d.cmd("mkfifo").args(["-m", "u=rw,go=r", "f"]).run().ok("");
    assert_eq!(
        std::fs::metadata(d.join("f")).unwrap().mode() & 0o7777,
        0o644
    );
    d.cmd("mknod").args(["-m", "a=rw", "p", "p"]).run().ok("");
    assert_eq!(
        std::fs::metadata(d.join("p")).unwrap().mode() & 0o7777,
        0o666
    );
    d.cmd("mkfifo")
        .args(["-m", "bad", "g"])
        .run()
        .fails(1, "mkfifo: g: Invalid argument\n");
}
