use crate::common::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};

fn mode(d: &Dir, f: &str) -> u32 {
    std::fs::metadata(d.join(f)).unwrap().permissions().mode() & 0o7777
}

#[test]
fn installs() {
    let d = Dir::new();
    d.write("prog", "#!/bin/sh\n");
    d.cmd("install").args(["prog", "bin1"]).run().ok("");
    assert_eq!(mode(&d, "bin1"), 0o755);
    d.cmd("install")
        .args(["-m", "640", "prog", "bin2"])
        .run()
        .ok("");
    assert_eq!(mode(&d, "bin2"), 0o640);
    d.cmd("install")
        .args(["-d", "-m", "700", "x/y/z", "w"])
        .run()
        .ok("");
    assert_eq!((mode(&d, "x/y/z"), mode(&d, "w")), (0o700, 0o700));
    d.cmd("install")
        .args(["-D", "prog", "deep/er/bin"])
        .run()
        .ok("");
    assert!(d.join("deep/er/bin").exists());
    d.cmd("install")
        .args(["-D", "-t", "t1/t2", "prog", "bin1"])
        .run()
        .ok("");
    assert!(d.join("t1/t2/prog").exists() && d.join("t1/t2/bin1").exists());
    d.cmd("install").args(["prog", "bin1", "w"]).run().ok("");
    assert!(d.join("w/prog").exists());
    d.cmd("install")
        .args(["-o", "1234", "-g", "5678", "prog", "owned"])
        .run()
        .ok("");
    let m = std::fs::metadata(d.join("owned")).unwrap();
    assert_eq!((m.uid(), m.gid()), (1234, 5678));
    d.cmd("touch").args(["-d", "@1000", "prog"]).run().ok("");
    d.cmd("install").args(["-p", "prog", "kept"]).run().ok("");
    assert_eq!(std::fs::metadata(d.join("kept")).unwrap().mtime(), 1000);
    // -T: a directory DEST is an error, not a place to put the file.
    d.cmd("install").args(["-T", "prog", "w"]).run().code(1);
}

#[test]
fn errors() {
    let d = Dir::new();
    d.write("prog", "x");
    d.cmd("install")
        .args(["nope", "x"])
        .run()
        .fails(1, "install: can't stat 'nope': No such file or directory\n");
    d.cmd("install")
        .args(["-o", "nosuchuser", "prog", "x"])
        .run()
        .fails(1, "install: unknown user nosuchuser\n");
    d.cmd("install")
        .args(["-g", "nosuchgroup", "prog", "x"])
        .run()
        .fails(1, "install: unknown group nosuchgroup\n");
    d.cmd("install")
        .args(["-m", "bad", "prog", "x"])
        .run()
        .fails(1, "install: invalid mode 'bad'\n");
    d.cmd("install").args(["prog", "nodir/x"]).run().fails(
        1,
        "install: can't create 'nodir/x': No such file or directory\n",
    );
    d.cmd("install").arg("prog").run().fails_with(1, "rbox v");
    d.cmd("install")
        .args(["-d", "-t", "x", "y"])
        .run()
        .fails_with(1, "rbox v");
    d.cmd("install").args(["-d", "prog/sub"]).run().fails(
        1,
        "install: can't create directory 'prog/sub': Not a directory\n",
    );
}

#[test]
fn symbolic_mode() {
    let d = Dir::new();
    d.write("prog", "x");
    d.cmd("install")
        .args(["-m", "u=rwx,go=rx", "prog", "p1"])
        .run()
        .ok("");
    assert_eq!(mode(&d, "p1"), 0o755);
    d.cmd("install")
        .args(["-m", "a=r", "prog", "p2"])
        .run()
        .ok("");
    assert_eq!(mode(&d, "p2"), 0o444);
}
