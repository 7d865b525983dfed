//! md5sum, sha1sum, sha256sum, sha512sum, sha3sum: one driver, compared with BusyBox.

use crate::common::*;

const APPLETS: &[&str] = &["md5sum", "sha1sum", "sha256sum", "sha512sum", "sha3sum"];

fn files(d: &Dir) {
    d.write("abc", "abc");
    d.write("empty", "");
    d.write("nul", b"a\0b\xff\xfe\n\0");
    let big: Vec<u8> = (0..100_000u32).map(|i| (i * 7 + i / 13) as u8).collect();
    d.write("big", big);
    d.write("sp ace", "x\n");
    d.mkdir("dir");
}

/// Check files for `applet`: correct lines, a failing one, a missing file, bad formats.
fn check_files(d: &Dir, applet: &str) {
    files(d);
    let o = d.bb(applet).args(["abc", "big", "empty", "sp ace"]).run();
    let good = o.out();
    d.write("good", &good);
    let first = good.lines().next().unwrap().to_string();
    let h = first.split("  ").next().unwrap().to_string();
    let mut mixed = good.clone();
    mixed.push_str(&format!(
        "{h}  nul\n{h}  missing\ngarbage\n\n{h} abc\n{h} *abc\n{}  abc\n{h}\tabc\n",
        h.to_uppercase()
    ));
    d.write("mixed", mixed);
    d.write("crlf", format!("{h}  abc\r\n"));
    d.write("nonl", format!("{h}  abc"));
    d.write("none", "");
}

#[test]
fn print_mode_matches_busybox() {
    for a in APPLETS {
        for args in [
            &["abc"][..],
            &["abc", "empty", "nul", "big", "sp ace"],
            &["-"],
            &[],
            &["abc", "nope", "abc"],
            &["dir", "abc"],
            &["-b", "-t", "abc"],
        ] {
            same(a, args, b"stdin data\0", files);
        }
    }
}

#[test]
fn check_mode_matches_busybox() {
    for a in APPLETS {
        for args in [
            &["-c", "good"][..],
            &["-c", "mixed"],
            &["-c", "-w", "mixed"],
            &["-c", "-s", "mixed"],
            &["-cs", "good"],
            &["-c", "crlf"],
            &["-c", "nonl"],
            &["-c", "none"],
            &["-c", "nope"],
            &["-c", "good", "nope", "good"],
            &["-c", "-"],
            &["-c"],
        ] {
            same(a, args, b"", |d| check_files(d, a));
        }
        // -s and -w need -c: usage.
        crate::printf::same_head(a, &["-s", "abc"], b"", files);
        crate::printf::same_head(a, &["-w", "abc"], b"", files);
    }
}

#[test]
fn check_from_stdin() {
    for a in APPLETS {
        let d = Dir::new();
        check_files(&d, a);
        let good = std::fs::read(d.join("good")).unwrap();
        same(a, &["-c"], &good, |d| check_files(d, a));
        same(a, &["-c", "-"], b"", |d| check_files(d, a));
    }
}

#[test]
fn sha3_widths() {
    for w in ["224", "256", "384", "512", "32", "64"] {
        same("sha3sum", &["-a", w, "abc", "big", "empty"], b"", files);
    }
    // Past 512 bits BusyBox prints stale bytes of its read buffer after the 64 bytes of
    // state (zeros only before it has read much); rbox prints zeros.
    same("sha3sum", &["-a", "736", "abc"], b"", files);
    for w in ["100", "800", "0", "x"] {
        same("sha3sum", &["-a", w, "abc"], b"", files);
    }
}

#[test]
fn full_disk() {
    let d = Dir::new();
    files(&d);
    d.cmd("sha256sum")
        .arg("abc")
        .stdout_file("/dev/full")
        .run()
        .fails(1, "sha256sum: write error: No space left on device\n");
}

/// MD5 is hand-written: every padding edge and a few big sizes against GNU's md5sum (and
/// sha1sum/sha256sum, from crates, alongside), each in one run over all the files.
#[test]
fn matches_gnu_on_many_sizes() {
    let d = Dir::new();
    let sizes = [
        0usize, 1, 2, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4095, 65536,
        131071, 131072, 131073, 1_000_003,
    ];
    let mut names = Vec::new();
    for n in sizes {
        let data: Vec<u8> = (0..n as u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        let name = format!("f{n}");
        d.write(&name, data);
        names.push(name);
    }
    for a in ["md5sum", "sha1sum", "sha256sum"] {
        let gnu = format!("/usr/bin/{a}");
        if !std::path::Path::new(&gnu).exists() {
            eprintln!("skipped: no GNU {a}");
            continue;
        }
        let want = std::process::Command::new(&gnu)
            .args(&names)
            .current_dir(&d.path)
            .output()
            .unwrap();
        assert!(want.status.success());
        d.cmd(a).args(&names).run().ok(&want.stdout);
        // Through stdin too, which arrives in pipe-sized pieces.
        let big = std::fs::read(d.join("f1000003")).unwrap();
        let one = std::process::Command::new(&gnu)
            .arg("f1000003")
            .current_dir(&d.path)
            .output()
            .unwrap();
        let hash = String::from_utf8_lossy(&one.stdout)
            .split(' ')
            .next()
            .unwrap()
            .to_string();
        d.cmd(a).stdin(&big).run().ok(format!("{hash}  -\n"));
    }
}
