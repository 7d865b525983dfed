//! base64 and base32.

use crate::common::*;

fn lcg(n: usize) -> Vec<u8> {
    let mut x: u32 = 7;
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(1103515245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect()
}

fn files(d: &Dir) {
    d.write("bin", lcg(5000));
    d.write("abc", "abc");
    d.write("empty", "");
    d.mkdir("dir");
}

#[test]
fn encode_matches_busybox() {
    for n in [0usize, 1, 2, 3, 4, 56, 57, 58, 1000] {
        let data = lcg(n);
        for w in [&[][..], &["-w0"], &["-w", "5"], &["-w", "1"], &["-w", "77"]] {
            same("base64", w, &data, files);
        }
    }
    same("base64", &["bin"], b"", files);
    same("base64", &["-"], b"abc", files);
    same("base64", &["-i", "abc"], b"", files);
}

#[test]
fn decode_matches_busybox() {
    // BusyBox's lenient decoding: garbage skipped, padding ends a chunk, whitespace splits
    // chunks, leftovers at the end are "truncated input".
    for s in [
        "aGVsbG8gd29ybGQ=",
        "aG==",
        "aG=",
        "aG==aGk=",
        "aGk=aGk=",
        "aGk=x",
        "aGk= x",
        "aG=k",
        "aG=kaGk=",
        "aGVsbG8",
        "aGVsbG8=aGk=",
        "aGVsbG8=\naGk=",
        "a",
        "ab",
        "abc",
        "aGk=\n\n",
        "=aGk",
        "aGk===",
        "aG!k=",
        "!!!!",
        "aGk=aG",
        "aGk=aGk=\n",
        "aGk=aGk=aGk=\n",
        "aG==aG==\n",
        "aGk=!\n",
        "aGk=\x01",
        "aG=!=",
        "aGV=",
        "aG!==",
        "aGk=====\n",
        "",
        "aGVs\r\nbG8=\r\n",
        "YWJj\0ZGVm",
    ] {
        same("base64", &["-d"], s.as_bytes(), files);
    }
    let enc = std::process::Command::new("base64")
        .arg("-w")
        .arg("60")
        .stdin(std::fs::File::open("/bin/sh").unwrap())
        .output()
        .unwrap()
        .stdout;
    same("base64", &["-d"], &enc, files);
}

#[test]
fn errors_match_busybox() {
    for a in [
        &["nope"][..],
        &["-d", "nope"],
        &["dir"],
        &["-w", "x", "abc"],
        &["-w", "-1", "abc"],
    ] {
        same("base64", a, b"", files);
    }
    crate::printf::same_head("base64", &["abc", "abc"], b"", files);
}

#[test]
fn base32_matches_gnu() {
    // Debian's BusyBox has no base32: encoding is compared with GNU's, decoding round-trips.
    for n in [0usize, 1, 2, 3, 4, 5, 6, 100, 1000] {
        let data = lcg(n);
        for w in [&[][..], &["-w0"], &["-w", "7"]] {
            let gnu = std::process::Command::new("base32")
                .args(w)
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .and_then(|mut c| {
                    use std::io::Write;
                    c.stdin.take().unwrap().write_all(&data)?;
                    c.wait_with_output()
                });
            let Ok(gnu) = gnu else { return };
            cmd("base32").args(w).stdin(&data).run().ok(&gnu.stdout);
            cmd("base32").arg("-d").stdin(&gnu.stdout).run().ok(&data);
        }
    }
    cmd("base32")
        .arg("-d")
        .stdin("MFRGG")
        .run()
        .fails(1, "base32: truncated input\n");
}

#[test]
fn full_disk() {
    cmd("base64")
        .stdin("abc")
        .stdout_file("/dev/full")
        .run()
        .fails(1, "base64: write error: No space left on device\n");
}
