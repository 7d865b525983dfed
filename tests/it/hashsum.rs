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
