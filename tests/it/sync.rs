use crate::common::*;

fn setup(d: &Dir) {
    d.write("a", "data");
    d.mkdir("dir");
}

#[test]
fn everything_and_files() {
    let d = Dir::new();
    setup(&d);
    run("sync", &[]).ok("");
    for args in [
        &["a"][..],
        &["-d", "a"],
        &["-f", "a"],
        &["-dd", "a", "dir"],
        &["-f", "dir", "a"],
        &["--", "a"],
        &["-d"],
        &["-f"],
    ] {
        d.cmd("sync").args(args).run().ok("");
    }
}

#[test]
fn errors() {
    let d = Dir::new();
    setup(&d);
    d.cmd("sync")
        .args(["a", "nope", "a"])
        .run()
        .fails(1, "sync: can't open 'nope': No such file or directory\n");
    // fsync on a character device is refused; syncfs is not.
    d.cmd("sync")
        .args(["/dev/null", "a"])
        .run()
        .fails(1, "sync: /dev/null: Invalid argument\n");
    d.cmd("sync").args(["-f", "/dev/null"]).run().ok("");
    // -d and -f exclude each other.
    d.cmd("sync")
        .args(["-df", "a"])
        .run()
        .fails_with(1, "rbox v");
    d.cmd("sync")
        .args(["-d", "-f"])
        .run()
        .fails_with(1, "rbox v");
    d.cmd("sync")
        .arg("-x")
        .run()
        .fails_with(1, "sync: invalid option -- 'x'\n");
}

#[test]
fn fifo_does_not_block() {
    let d = Dir::new();
    let st = std::process::Command::new("mkfifo")
        .arg(d.join("fifo"))
        .status()
        .unwrap();
    assert!(st.success());
    // Opened non-blocking, so no writer is waited for; fsync on a FIFO is refused.
    d.cmd("sync")
        .arg("fifo")
        .run()
        .fails(1, "sync: fifo: Invalid argument\n");
    same("sync", &["fifo"], b"", |d| {
        std::process::Command::new("mkfifo")
            .arg(d.join("fifo"))
            .status()
            .unwrap();
    });
}

#[test]
fn same_as_busybox() {
    for args in [
        &[][..],
        &["a"],
        &["-d", "a"],
        &["-f", "a"],
        &["-df", "a"],
        &["-d", "-f", "a"],
        &["nope"],
        &["a", "nope", "a"],
        &["dir"],
        &["-d", "dir"],
        &["-x"],
        &["/dev/null"],
        &["-d", "/dev/null"],
        &["-f", "/dev/null"],
        &["--", "a"],
        &["-dd", "a"],
        &[""],
    ] {
        same("sync", args, b"", setup);
    }
}
