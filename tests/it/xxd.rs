//! xxd, compared with BusyBox 1.35's (which has no -u, -b, -e or -n).

use crate::common::*;

fn files(d: &Dir) {
    d.write("t.bin", b"hello\0world\n\xff\x80abcdefghijklmnop");
    d.write("1x.bin", b"abc");
    let mut x: u32 = 5;
    let r: Vec<u8> = (0..2000)
        .map(|_| {
            x = x.wrapping_mul(1103515245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    d.write("r.bin", r);
    d.write("z.bin", [0u8; 100]);
    d.write("empty", "");
}

const CASES: &[&[&str]] = &[
    &["t.bin"],
    &["-p", "t.bin"],
    &["-i", "t.bin"],
    &["-g", "1", "t.bin"],
    &["-g", "4", "t.bin"],
    &["-g", "0", "t.bin"],
    &["-c", "8", "t.bin"],
    &["-c", "5", "-g", "3", "t.bin"],
    &["-l", "5", "t.bin"],
    &["-s", "3", "t.bin"],
    &["-s", "3", "-l", "10", "t.bin"],
    &["-o", "256", "t.bin"],
    &["-o", "0x10", "-l", "4", "t.bin"],
    &["-i", "-c", "4", "t.bin"],
    &["-p", "-c", "5", "t.bin"],
    &["-g", "16", "t.bin"],
    &["-c", "0", "t.bin"],
    &["-c", "257", "t.bin"],
    &["-c", "256", "-g", "7", "t.bin"],
    &["-g", "3", "t.bin"],
    &["-c", "7", "-g", "2", "t.bin"],
    &["-p", "-l", "3", "t.bin"],
    &["-i", "-l", "3", "t.bin"],
    &["-s", "-5", "t.bin"],
    &["-s", "100", "t.bin"],
    &["-l", "0", "t.bin"],
    &["-c", "x", "t.bin"],
    &["-o", "-1", "t.bin"],
    &["empty"],
    &["-i", "empty"],
    &["-p", "empty"],
    &["nope"],
    &["-i", "nope"],
    &["-i", "1x.bin"],
    &["-i"],
    &["-p"],
    &["z.bin"],
    &["r.bin"],
    &["-i", "r.bin"],
    &["-p", "r.bin"],
    &["-s", "0x20", "-c", "12", "-g", "5", "r.bin"],
];

const USAGE: &[&[&str]] = &[&["-n", "5", "t.bin"], &["-u", "t.bin"], &["t.bin", "abc"]];

#[test]
fn dump_matches_busybox() {
    for c in CASES {
        same("xxd", c, b"stdin\0data\n", files);
    }
    for c in USAGE {
        crate::printf::same_head("xxd", c, b"", files);
    }
}

#[test]
fn reverse_matches_busybox() {
    for s in [
        "68 65zz6c\n6c6f",
        "00000000: 6865 6c6c  hell\n00000010: 4142\n",
        "00000005: 6865 6c6c  hell\n",
        "garbage\n00000002: 41\n",
        "0: 41 42 43\n",
        "31 0 9 32 0a",
        "31 3\n2 0a",
        "31 !3 0a 0a",
        "  12: 4 1 42\n",
        "",
        "0x10: 41\n",
        "zz: 41 4\n\n2\n",
    ] {
        same("xxd", &["-r"], s.as_bytes(), files);
        same("xxd", &["-r", "-p"], s.as_bytes(), files);
    }
    same("xxd", &["-r", "nope"], b"", files);
    // A dump read back (BusyBox 1.35 also reads hex pairs out of the text column).
    let d = Dir::new();
    files(&d);
    let dump = d.cmd("xxd").arg("r.bin").run().stdout;
    same("xxd", &["-r"], &dump, files);
    let plain = d.cmd("xxd").args(["-p", "r.bin"]).run().stdout;
    d.cmd("xxd")
        .args(["-r", "-p"])
        .stdin(&plain)
        .run()
        .ok(std::fs::read(d.join("r.bin")).unwrap());
}

#[test]
fn full_disk() {
    let d = Dir::new();
    files(&d);
    d.cmd("xxd")
        .arg("r.bin")
        .stdout_file("/dev/full")
        .run()
        .fails(1, "xxd: write error: No space left on device\n");
}
