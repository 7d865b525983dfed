//! uncompress (.Z files from ncompress's compress: every code width, CLEAR codes), and
//! rpm2cpio (gzip, xz and bzip2 payloads) and pipe_progress, the small archival filters.

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

/// An rpm package around `payload`: lead, signature header (needing its 8-byte padding),
/// main header, as rpmbuild lays them out.
fn rpm(payload: &[u8]) -> Vec<u8> {
    fn hdr(store: &[u8], tag: u32, typ: u32) -> Vec<u8> {
        let mut v = vec![0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0];
        v.extend_from_slice(&1u32.to_be_bytes());
        v.extend_from_slice(&(store.len() as u32).to_be_bytes());
        for x in [tag, typ, 0, 1] {
            v.extend_from_slice(&x.to_be_bytes());
        }
        v.extend_from_slice(store);
        v
    }
    let mut v = vec![0xed, 0xab, 0xee, 0xdb, 3, 0];
    v.resize(78, 0);
    v.extend_from_slice(&5u16.to_be_bytes()); // signature type: header-style
    v.resize(96, 0);
    v.extend(hdr(b"\0\0\0\x05xyz", 1000, 4));
    while v.len() % 8 != 0 {
        v.push(0);
    }
    v.extend(hdr(b"gzip\0", 1125, 6));
    v.extend_from_slice(payload);
    v
}

fn filter(prog: &str, args: &[&str], data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut c = Command::new(prog)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut si = c.stdin.take().unwrap();
    let d = data.to_vec();
    let t = std::thread::spawn(move || si.write_all(&d));
    let o = c.wait_with_output().unwrap();
    t.join().unwrap().unwrap();
    o.stdout
}

fn cpio_payload() -> Vec<u8> {
    crate::cpio::newc(&[
        crate::cpio::M(b"usr", 0o040755, b"", 1, 2),
        crate::cpio::M(b"usr/bin", 0o100755, &data(), 2, 1),
    ])
}

#[test]
fn rpm2cpio_every_payload() {
    let c = cpio_payload();
    let d = Dir::new();
    for (prog, args) in [("gzip", &["-c"][..]), ("xz", &["-c"]), ("bzip2", &["-c"])] {
        if !has(prog) {
            continue;
        }
        let r = rpm(&filter(prog, args, &c));
        d.write("p.rpm", &r);
        let o = d.cmd("rpm2cpio").arg("p.rpm").run();
        assert!(o.code == 0 && o.stdout == c, "{prog}: {}", o.err());
        d.cmd("rpm2cpio").stdin(&r).run().code(0);
        same("rpm2cpio", &["p.rpm"], b"", |dd| {
            dd.write("p.rpm", &r);
        });
    }
    // The result goes straight into cpio.
    let r = rpm(&filter("gzip", &["-c"], &c));
    d.write("q.rpm", &r);
    let script = format!(
        "{r}{a} q.rpm | {r}{b} -idm",
        r = runner_prefix(),
        a = applet_path("rpm2cpio").display(),
        b = applet_path("cpio").display()
    );
    let o = Command::new("sh")
        .args(["-c", &script])
        .current_dir(&d.path)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(std::fs::read(d.join("usr/bin")).unwrap(), data());
}

#[test]
fn rpm2cpio_errors_same_as_busybox() {
    let c = cpio_payload();
    let gz = filter("gzip", &["-c"], &c);
    let setup = |d: &Dir| {
        d.write("garbage", vec![b'g'; 300]);
        d.write("raw.rpm", rpm(&c));
        let mut cut = rpm(&gz);
        cut.truncate(cut.len() - 100);
        d.write("cut.rpm", cut);
        let mut bad = rpm(&gz);
        let n = bad.len();
        bad[n - 8] ^= 0xff; // the CRC
        d.write("crc.rpm", bad);
        d.write("short.rpm", &rpm(b"")[..100]);
    };
    for args in [
        &["nope.rpm"][..],
        &["garbage"],
        &["raw.rpm"],
        &["short.rpm"],
    ] {
        same("rpm2cpio", args, b"", setup);
    }
    // BusyBox seeks over the lead and fails on a pipe (`lseek(96, 1): Illegal seek`).
    cmd("rpm2cpio")
        .stdin("")
        .run()
        .fails(1, "rpm2cpio: short read\n");
    let d = Dir::new();
    setup(&d);
    d.cmd("rpm2cpio")
        .arg("cut.rpm")
        .run()
        .fails_with(1, "rpm2cpio: unexpected end of file");
    d.cmd("rpm2cpio")
        .arg("crc.rpm")
        .run()
        .fails_with(1, "rpm2cpio: crc error");
    d.write("p.rpm", rpm(&gz));
    let o = d
        .cmd("rpm2cpio")
        .arg("p.rpm")
        .stdout_file("/dev/full")
        .run();
    o.fails(1, "rpm2cpio: write error: No space left on device\n");
}

#[test]
fn pipe_progress_copies() {
    let t = data();
    let o = cmd("pipe_progress").stdin(&t).run();
    assert_eq!(o.code, 0);
    assert!(o.stdout == t);
    // Dots (one a second, so maybe none here), then a newline.
    let e = o.err();
    assert!(
        e.ends_with('\n') && e.trim_end_matches('\n').chars().all(|c| c == '.'),
        "{e:?}"
    );
    cmd("pipe_progress").run().fails(0, "\n");
}
