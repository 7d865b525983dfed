use crate::common::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

#[test]
fn removes_one_file() {
    let d = Dir::new();
    d.write("a", "x");
    d.cmd("unlink").arg("a").run().ok("");
    assert!(!d.join("a").exists());
    d.write("-x", "x");
    d.cmd("unlink").args(["--", "-x"]).run().ok("");
    assert!(!d.join("-x").exists());
    // A symlink goes, not its target; a dangling one too.
    d.write("t", "x");
    std::os::unix::fs::symlink("t", d.join("s")).unwrap();
    std::os::unix::fs::symlink("gone", d.join("dangling")).unwrap();
    d.cmd("unlink").arg("s").run().ok("");
    d.cmd("unlink").arg("dangling").run().ok("");
    assert!(d.join("t").exists());
    let n = OsStr::from_bytes(b"\xff");
    d.write(n, "x");
    d.cmd("unlink").arg(n).run().ok("");
    assert!(!d.join(n).exists());
}

#[test]
fn errors() {
    let d = Dir::new();
    d.mkdir("dir");
    d.cmd("unlink").arg("nope").run().fails(
        1,
        "unlink: can't remove file 'nope': No such file or directory\n",
    );
    d.cmd("unlink")
        .arg("dir")
        .run()
        .fails(1, "unlink: can't remove file 'dir': Is a directory\n");
    d.cmd("unlink").arg("").run().fails(
        1,
        "unlink: can't remove file '': No such file or directory\n",
    );
    for args in [&[][..], &["a", "b"]] {
        d.cmd("unlink").args(args).run().fails_with(1, "rbox v");
    }
    d.cmd("unlink")
        .arg("-x")
        .run()
        .fails_with(1, "unlink: invalid option -- 'x'\n");
}

#[test]
fn same_as_busybox() {
    let setup = |d: &Dir| {
        d.write("a", "x");
        d.write("b", "x");
        d.mkdir("dir");
    };
    for args in [
        &["a"][..],
        &["nope"],
        &["dir"],
        &["dir/"],
        &["a/"],
        &[""],
        &["--", "b"],
        &["--", "-x"],
        &["-x"],
        &[],
        &["a", "b"],
        &["no/x"],
    ] {
        same("unlink", args, b"", setup);
    }
}
