//! uuencode and uudecode.

use crate::common::*;
use std::os::unix::fs::PermissionsExt;

fn lcg(n: usize) -> Vec<u8> {
    let mut x: u32 = 3;
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(1103515245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect()
}

#[test]
fn encode_matches_busybox() {
    for n in [0usize, 1, 2, 3, 44, 45, 46, 90, 1000] {
        let data = lcg(n);
        for m in [&[][..], &["-m"]] {
            let mut a = m.to_vec();
            a.extend(["in", "name"]);
            same("uuencode", &a, b"", |d| {
                let p = d.write("in", &data);
                std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o640)).unwrap();
            });
            let mut a = m.to_vec();
            a.push("name");
            same("uuencode", &a, &data, |_| {});
        }
    }
    same("uuencode", &["nope", "x"], b"", |_| {});
    same("uuencode", &["-", "x"], b"", |_| {});
    crate::printf::same_head("uuencode", &[], b"", |_| {});
}

#[test]
fn decode_round_trips_and_matches_busybox() {
    for n in [0usize, 1, 2, 3, 45, 46, 1000] {
        let data = lcg(n);
        for m in [&[][..], &["-m"]] {
            let mut a = m.to_vec();
            a.push("out");
            let enc = cmd("uuencode").args(&a).stdin(&data).run().stdout;
            let d = Dir::new();
            d.cmd("uudecode").stdin(&enc).run().ok("");
            assert_eq!(std::fs::read(d.join("out")).unwrap(), data);
            cmd("uudecode")
                .args(["-o", "-"])
                .stdin(&enc)
                .run()
                .ok(&data);
        }
    }
    for s in [
        "junk\n",
        "begin 644 z\n#86)C\n",
        "begin 600 w\n#86)C\n`\nend\n",
        "xx\nbegin-base64 755 q\nYWJj\n====\n",
        "begin 644 v\n#86)C\nend\n",
        "begin 644\n",
        "begin 644 \n",
        "begin-base64 644 r\nYWJj\n",
        "begin 644 t\n\n",
        "begin 644 t2\nM86)C\nend\n",
    ] {
        same("uudecode", &[], s.as_bytes(), |_| {});
        same("uudecode", &["-o", "-"], s.as_bytes(), |_| {});
    }
    same("uudecode", &["nope"], b"", |_| {});
    // The mode of the begin line.
    let d = Dir::new();
    d.cmd("uudecode")
        .stdin("begin-base64 751 q\nYWJj\n====\n")
        .run()
        .ok("");
    assert_eq!(
        std::fs::metadata(d.join("q")).unwrap().permissions().mode() & 0o777,
        0o751
    );
    assert_eq!(std::fs::read(d.join("q")).unwrap(), b"abc");
}
