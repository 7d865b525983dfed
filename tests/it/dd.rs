use crate::common::*;

fn setup(d: &Dir) {
    let data: Vec<u8> = (0..10000u32).map(|i| (i * 13 % 256) as u8).collect();
    d.write("s10k", data);
    d.mkdir("dir");
}

#[test]
fn same_as_busybox() {
    for args in [
        &["if=s10k", "of=o1", "bs=1k"][..],
        &["if=s10k", "of=o1", "bs=3000", "count=2"],
        &["if=s10k", "of=o1", "bs=3000", "status=noxfer"],
        &["if=s10k", "of=o1", "status=none"],
        &["if=nope", "of=x"],
        &["if=s10k", "of=nodir/x"],
        &["bs=x"],
        &["bs=0"],
        &["count=-1"],
        &["count=1x"],
        &["if=s10k", "of=/dev/full", "bs=1k"],
        &["if=s10k", "bs=1k", "skip=9"],
        &["if=s10k", "bs=1k", "skip=20"],
        &["if=s10k", "of=o1", "ibs=1000", "obs=3000"],
        &[
            "if=s10k",
            "of=o1",
            "iflag=skip_bytes,count_bytes",
            "skip=10",
            "count=100",
        ],
        &[
            "if=s10k",
            "of=o1",
            "oflag=append,seek_bytes",
            "conv=notrunc",
        ],
        &["if=s10k", "bs=1k", "count=0"],
        &["if=s10k", "bs=4k", "iflag=fullblock", "of=/dev/null"],
        &["iflag=foo"],
        &["conv=bad"],
        &["if=dir", "of=x"],
        &["if=s10k", "of=dir"],
        &[
            "if=s10k",
            "bs=1k",
            "count=1",
            "conv=noerror,sync,notrunc",
            "of=/dev/null",
        ],
        &["ibs=3", "obs=2"],
        &["conv=swab"],
        &["conv=sync", "bs=8"],
        &["bs=2b", "count=1w"],
    ] {
        same("dd", args, b"abcdefgh\n", setup);
    }
}

#[test]
fn data_and_seek() {
    let d = Dir::new();
    setup(&d);
    let src = std::fs::read(d.join("s10k")).unwrap();
    d.cmd("dd")
        .args(["if=s10k", "of=c", "bs=1M"])
        .run()
        .fails(0, "0+1 records in\n0+1 records out\n");
    assert!(std::fs::read(d.join("c")).unwrap() == src);
    // seek keeps what is before it and truncates after (unless notrunc).
    d.write("o", vec![b'z'; 5000]);
    d.cmd("dd")
        .args(["if=s10k", "of=o", "bs=1k", "seek=1", "count=1"])
        .run()
        .code(0);
    let o = std::fs::read(d.join("o")).unwrap();
    assert_eq!(o.len(), 2048);
    assert!(o[..1024].iter().all(|&c| c == b'z') && o[1024..] == src[..1024]);
    d.write("o", vec![b'z'; 5000]);
    d.cmd("dd")
        .args([
            "if=s10k",
            "of=o",
            "bs=1k",
            "seek=1",
            "count=1",
            "conv=notrunc",
        ])
        .run()
        .code(0);
    assert_eq!(std::fs::read(d.join("o")).unwrap().len(), 5000);
    // Skipping a pipe reads past the blocks.
    d.cmd("dd")
        .args(["bs=2", "skip=2"])
        .stdin("abcdefgh")
        .run()
        .fails(0, "2+0 records in\n2+0 records out\n");
    let o = d
        .cmd("dd")
        .args(["bs=2", "skip=2", "status=none"])
        .stdin("abcdefgh")
        .run();
    o.ok("efgh");
    // GNU's lcase, ucase, fdatasync and status=progress (not in Debian's BusyBox).
    d.cmd("dd")
        .args(["conv=ucase", "status=none"])
        .stdin("aBc\n")
        .run()
        .ok("ABC\n");
    d.cmd("dd")
        .args(["conv=lcase,fdatasync", "status=none", "of=l"])
        .stdin("aBc\n")
        .run()
        .ok("");
    assert_eq!(std::fs::read(d.join("l")).unwrap(), b"abc\n");
    let o = d
        .cmd("dd")
        .args(["if=s10k", "of=/dev/null", "status=progress"])
        .run();
    o.code(0);
    assert!(
        o.err()
            .starts_with("19+1 records in\n19+1 records out\n10000 bytes (9.8KB) copied, "),
        "{}",
        o.err()
    );
    // A closed pipe ends quietly.
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{}{} if=/dev/zero bs=64k | head -c 10 >/dev/null",
            runner_prefix(),
            applet_path("dd").display()
        ))
        .output()
        .unwrap();
    assert!(o.status.success());
}
