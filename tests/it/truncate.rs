use crate::common::*;
use std::os::unix::fs::MetadataExt;

fn size(d: &Dir, f: &str) -> u64 {
    std::fs::metadata(d.join(f)).unwrap().len()
}

#[test]
fn truncate_sizes() {
    let d = Dir::new();
    for (s, want) in [
        ("10", 10),
        ("1k", 1024),
        ("1K", 1024),
        ("1M", 1 << 20),
        ("1kB", 1000),
        ("0", 0),
    ] {
        d.cmd("truncate").args(["-s", s, "t"]).run().ok("");
        assert_eq!(size(&d, "t"), want);
    }
    // GNU's relative sizes.
    d.cmd("truncate").args(["-s", "100", "t"]).run().ok("");
    for (s, want) in [
        ("+5", 105),
        ("-10", 95),
        ("<50", 50),
        (">60", 60),
        ("/7", 56),
        ("%10", 60),
    ] {
        d.cmd("truncate").args(["-s", s, "t"]).run().ok("");
        assert_eq!(size(&d, "t"), want, "{s}");
    }
    // A sparse 10 GB file costs no blocks.
    d.cmd("truncate").args(["-s", "10G", "big"]).run().ok("");
    let m = std::fs::metadata(d.join("big")).unwrap();
    assert_eq!((m.len(), m.blocks()), (10 << 30, 0));
}

#[test]
fn truncate_same_as_busybox() {
    let setup = |d: &Dir| {
        d.mkdir("d");
        d.write("f", "hello");
    };
    for args in [
        &["-s", "1m", "t"][..],
        &["-s", "1KiB", "t"],
        &["-s", "x", "t"],
        &["-s", "1", "-c", "nonex"],
        &["-s", "1", "nod/x", "d", "f"],
    ] {
        same("truncate", args, b"", setup);
    }
    // Usage errors: not compared, our help describes the relative sizes.
    for args in [&["t"][..], &["-s", "1"]] {
        let d = Dir::new();
        d.cmd("truncate").args(args).run().fails_with(1, "rbox v");
    }
}

#[test]
fn fallocate_works() {
    let d = Dir::new();
    d.cmd("fallocate").args(["-l", "1M", "fa"]).run().ok("");
    let m = std::fs::metadata(d.join("fa")).unwrap();
    assert_eq!(m.len(), 1 << 20);
    assert!(m.blocks() >= 2048);
    d.cmd("fallocate")
        .args(["-o", "1k", "-l", "1k", "fb"])
        .run()
        .ok("");
    assert_eq!(size(&d, "fb"), 2048);
    for args in [
        &["fc"][..],
        &["-l", "1x", "fc"],
        &["-l", "0", "fc"],
        &["-l", "1b", "fc"],
        &["-l", "1", "nod/x"],
        &["-l", "1", "a", "b"],
    ] {
        same("fallocate", args, b"", |_| {});
    }
}

#[test]
fn shred_works() {
    let d = Dir::new();
    d.write("f", "hello\n");
    d.cmd("shred")
        .args(["-n", "1", "-s", "3", "f"])
        .run()
        .ok("");
    let b = std::fs::read(d.join("f")).unwrap();
    assert_eq!((b.len(), &b[3..]), (6, &b"lo\n"[..]));
    d.cmd("shred").args(["-z", "-n", "0", "f"]).run().ok("");
    assert_eq!(std::fs::read(d.join("f")).unwrap(), [0; 6]);
    d.cmd("shred").args(["-u", "f"]).run().ok("");
    assert!(!d.join("f").exists());
    d.write("ro", "x");
    d.cmd("shred").args(["-fzu", "ro"]).run().ok("");
    assert!(!d.join("ro").exists());
    for args in [&["nonex"][..], &[], &["-n", "x", "f"]] {
        same("shred", args, b"", |d| {
            d.write("f", "x");
        });
    }
}
