use crate::common::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;

#[test]
fn makes_a_hard_link() {
    let d = Dir::new();
    d.write("a", "x\n");
    d.cmd("link").args(["a", "b"]).run().ok("");
    let (a, b) = (
        std::fs::metadata(d.join("a")).unwrap(),
        std::fs::metadata(d.join("b")).unwrap(),
    );
    assert_eq!((a.ino(), a.nlink()), (b.ino(), 2));
    d.cmd("link").args(["--", "a", "c"]).run().ok("");
    // A symlink is linked itself, not what it points to.
    std::os::unix::fs::symlink("a", d.join("s")).unwrap();
    d.cmd("link").args(["s", "s2"]).run().ok("");
    assert!(std::fs::symlink_metadata(d.join("s2"))
        .unwrap()
        .file_type()
        .is_symlink());
    // Non-UTF-8 names.
    let n = OsStr::from_bytes(b"\xff\xfe");
    d.cmd("link").arg("a").arg(n).run().ok("");
    assert!(d.join(n).exists());
}

#[test]
fn errors() {
    let d = Dir::new();
    d.write("a", "x\n");
    d.write("b", "y\n");
    d.mkdir("dir");
    d.cmd("link")
        .args(["a", "b"])
        .run()
        .fails(1, "link: can't create hardlink 'b' to 'a': File exists\n");
    d.cmd("link").args(["nope", "c"]).run().fails(
        1,
        "link: can't create hardlink 'c' to 'nope': No such file or directory\n",
    );
    d.cmd("link").args(["dir", "e"]).run().fails(
        1,
        "link: can't create hardlink 'e' to 'dir': Operation not permitted\n",
    );
    d.cmd("link").args(["a", "no/x"]).run().fails(
        1,
        "link: can't create hardlink 'no/x' to 'a': No such file or directory\n",
    );
    for args in [&[][..], &["a"], &["a", "b", "c"]] {
        d.cmd("link").args(args).run().fails_with(1, "rbox v");
    }
    d.cmd("link")
        .args(["-x", "a", "g"])
        .run()
        .fails_with(1, "link: invalid option -- 'x'\n");
}

#[test]
fn same_as_busybox() {
    let setup = |d: &Dir| {
        d.write("a", "x\n");
        d.write("b", "y\n");
        d.mkdir("dir");
    };
    for args in [
        &["a", "c"][..],
        &["a", "b"],
        &["nope", "c"],
        &["dir", "e"],
        &["a", "no/x"],
        &["", "z"],
        &["a", ""],
        &["--", "a", "f"],
        &["-x", "a", "g"],
        &[],
        &["a"],
        &["a", "b", "c"],
    ] {
        same("link", args, b"", setup);
    }
}
