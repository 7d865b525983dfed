//! uncompress (.Z files from ncompress's compress: every code width, CLEAR codes), and
//! rpm2cpio and pipe_progress, the small archival filters.

use crate::common::*;
use crate::cpio::has;
use std::process::Command;

fn compress(d: &Dir, bits: &str, data: &[u8], name: &str) {
    let p = d.write(format!("{name}.in"), data);
    let o = Command::new("compress")
        .args([bits, "-c"])
        .stdin(std::fs::File::open(&p).unwrap())
        .output()
        .unwrap();
    std::fs::write(d.join(name), o.stdout).unwrap();
    std::fs::remove_file(p).unwrap();
}

/// Text that repeats (long codes) and noise (table resets by CLEAR).
fn data() -> Vec<u8> {
    let mut v = Vec::new();
    let mut x: u32 = 7;
    for i in 0..200_000u32 {
        v.extend_from_slice(format!("{i} ").as_bytes());
        x = x.wrapping_mul(1103515245).wrapping_add(12345);
        if i % 3 == 0 {
            v.push((x >> 16) as u8);
        }
    }
    v
}

#[test]
fn decodes_what_compress_made() {
    if !has("compress") {
        return;
    }
    let d = Dir::new();
    let t = data();
    // -b9 is left out: ncompress's own 9-bit output is unreadable to every decoder.
    for bits in ["-b10", "-b12", "-b14", "-b16"] {
        compress(&d, bits, &t, "x.Z");
        let o = d.cmd("uncompress").args(["-c", "x.Z"]).run();
        assert!(o.code == 0 && o.stdout == t, "{bits}: {}", o.err());
        d.cmd("uncompress")
            .stdin(std::fs::read(d.join("x.Z")).unwrap())
            .run()
            .code(0);
    }
    compress(&d, "-b16", b"", "e.Z");
    d.cmd("uncompress").args(["-c", "e.Z"]).run().ok("");
    // FILE.Z becomes FILE with its mode and mtime, and goes.
    compress(&d, "-b16", b"hello\n", "a b.Z");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(d.join("a b.Z"), std::fs::Permissions::from_mode(0o640)).unwrap();
    d.cmd("uncompress").arg("a b.Z").run().ok("");
    assert!(!d.join("a b.Z").exists());
    assert_eq!(std::fs::read(d.join("a b")).unwrap(), b"hello\n");
    assert_eq!(
        std::fs::metadata(d.join("a b"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o640
    );
}

#[test]
fn same_as_busybox() {
    if !has("compress") {
        return;
    }
    let setup = |d: &Dir| {
        compress(d, "-b16", b"some text\n", "a.Z");
        compress(d, "-b16", b"other\n", "b.Z");
        d.write("b", "exists");
        d.write("bad.Z", "not compressed\n");
        d.write("plain", "x");
        d.write("bits.Z", b"\x1f\x9d\x91abc");
    };
    for args in [
        &["-c", "a.Z"][..],
        &["a.Z"],
        &["b.Z"],
        &["-f", "b.Z"],
        &["bad.Z"],
        &["-c", "bad.Z"],
        &["plain"],
        &["nope.Z"],
        &["-c", "bits.Z"],
        &["-x"],
        &["-c", "a.Z", "nope.Z", "b.Z"],
    ] {
        same("uncompress", args, b"", setup);
    }
    same("uncompress", &[], b"\x1f\x9d\x90", |_| {});
    same("uncompress", &[], b"garbage", |_| {});
}

#[test]
fn corrupt_leaves_no_file() {
    // BusyBox writes what it decoded before the bad code; rbox reports it and keeps nothing.
    let d = Dir::new();
    let mut z = b"\x1f\x9d\x90".to_vec();
    z.extend_from_slice(&[0x61, 0xff, 0xff, 0xff, 0xff, 0xff]);
    d.write("c.Z", &z);
    d.cmd("uncompress")
        .arg("c.Z")
        .run()
        .fails(1, "uncompress: corrupted data\n");
    assert!(!d.join("c").exists() && d.join("c.Z").exists());
    let names: Vec<_> = std::fs::read_dir(&d.path)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn full_output() {
    if !has("compress") {
        return;
    }
    let d = Dir::new();
    compress(&d, "-b16", &data(), "x.Z");
    let o = d
        .cmd("uncompress")
        .args(["-c", "x.Z"])
        .stdout_file("/dev/full")
        .run();
    o.fails(1, "uncompress: write error: No space left on device\n");
}
