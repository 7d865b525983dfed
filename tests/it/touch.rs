use crate::common::*;
use std::os::unix::fs::MetadataExt;

fn times(d: &Dir, f: &str) -> (i64, i64) {
    let m = std::fs::symlink_metadata(d.join(f)).unwrap();
    (m.atime(), m.mtime())
}

#[test]
fn creates_and_updates() {
    let d = Dir::new();
    d.cmd("touch").args(["new", "sp ace"]).run().ok("");
    assert!(d.join("new").exists() && d.join("sp ace").exists());
    d.cmd("touch").args(["-c", "none"]).run().ok("");
    assert!(!d.join("none").exists());
    d.cmd("touch").args(["-d", "@100", "new"]).run().ok("");
    assert_eq!(times(&d, "new"), (100, 100));
    d.cmd("touch")
        .args(["-a", "-d", "@200", "new"])
        .run()
        .ok("");
    assert_eq!(times(&d, "new"), (200, 100));
    d.cmd("touch")
        .args(["-m", "-d", "@300", "new"])
        .run()
        .ok("");
    assert_eq!(times(&d, "new"), (200, 300));
    d.cmd("touch").args(["-r", "new", "sp ace"]).run().ok("");
    assert_eq!(times(&d, "sp ace"), (200, 300));
    // -d on a file being created sets its times too.
    d.cmd("touch").args(["-d", "@5", "made"]).run().ok("");
    assert_eq!(times(&d, "made"), (5, 5));
    // -h changes the link, not its target.
    std::os::unix::fs::symlink("new", d.join("l")).unwrap();
    d.cmd("touch").args(["-h", "-d", "@7", "l"]).run().ok("");
    assert_eq!(times(&d, "l"), (7, 7));
    assert_eq!(times(&d, "new"), (200, 300));
    // A dangling link: the target is created.
    std::os::unix::fs::symlink("target", d.join("dang")).unwrap();
    d.cmd("touch").arg("dang").run().ok("");
    assert!(d.join("target").exists());
}

#[test]
fn dates_in_utc() {
    let d = Dir::new();
    for (s, want) in [
        ("2020-01-02 03:04:05", 1577934245),
        ("2020-01-02T03:04:05", 1577934245),
        ("2020.01.02-03:04:05", 1577934245),
        ("202001020304.05", 1577934245),
        ("Jan 2 03:04:05 2020", 1577934245),
        ("2020-01-02", 1577923200),
    ] {
        d.cmd("touch")
            .env("TZ", "UTC0")
            .args(["-d", s, "f"])
            .run()
            .ok("");
        assert_eq!(times(&d, "f").1, want, "{s}");
        d.cmd("touch")
            .env("TZ", "UTC0")
            .args(["-t", s, "f"])
            .run()
            .ok("");
        assert_eq!(times(&d, "f").1, want, "{s}");
    }
    // Deliberate difference: BusyBox keeps the current seconds for hh:mm (and the current time
    // of day for a bare date); we zero them as GNU does, so the result does not depend on when
    // it ran.
    d.cmd("touch")
        .env("TZ", "UTC0")
        .args(["-d", "10:00", "f"])
        .run()
        .ok("");
    assert_eq!(times(&d, "f").1 % 3600, 0);
}

#[test]
fn same_as_busybox() {
    let setup = |d: &Dir| {
        d.write("f", "");
        d.mkdir("dir");
    };
    for args in [
        &["nodir/x"][..],
        &["-c", "nofile"],
        &["-d", "bad", "f"],
        &["-d", "25:00", "f"],
        &["-d", "2020-13-45 99:99", "f"],
        &["-t", "123456", "f"],
        &["-d", "@abc", "f"],
        &["-r", "nope", "f"],
        &["-c", "f", "nodir/x", "g"],
        &[],
        &["-d"],
        &["-d", "@0", "-r", "f", "g"],
    ] {
        same("touch", args, b"", setup);
    }
}
