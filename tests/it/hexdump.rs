//! hexdump and hd.

use crate::common::*;

fn files(d: &Dir) {
    d.write("t.bin", b"hello\0world\n\xff\x80abcdefghijklmnop");
    let mut x: u32 = 99;
    let r: Vec<u8> = (0..3000)
        .map(|_| {
            x = x.wrapping_mul(1103515245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    d.write("r.bin", r);
    d.write("z.bin", [0u8; 100]);
    d.write("empty", "");
    d.write(
        "fmt",
        "# a comment\n\n\"%07.7_ax \" 4/4 \"%08x \" \"\\n\"\n  \"%07.7_Ax\\n\"\n",
    );
    d.mkdir("dir");
}

const CASES: &[&[&str]] = &[
    &["t.bin"],
    &["-C", "t.bin"],
    &["-b", "t.bin"],
    &["-c", "t.bin"],
    &["-d", "t.bin"],
    &["-o", "t.bin"],
    &["-x", "t.bin"],
    &["-e", "16/1 \"%02x \" \"\\n\"", "t.bin"],
    &[
        "-e",
        "\"%07.7_ax \" 8/2 \"%04x \" \"\\n\"",
        "-e",
        "\"%07.7_Ax\\n\"",
        "t.bin",
    ],
    &["-n", "5", "-C", "t.bin"],
    &["-s", "3", "-n", "20", "-C", "t.bin"],
    &["-e", "4/1 \"%3_u\" \"\\n\"", "t.bin"],
    &["-e", "1/4 \"%d\\n\"", "t.bin"],
    &["-e", "\"%_p\"", "t.bin"],
    &["-C", "-v", "t.bin"],
    &["-e", "2/2 \"%5d|\" \"\\n\"", "t.bin"],
    &["-e", "1/8 \"%e\\n\"", "t.bin"],
    &["-e", "4 \"%x\"", "t.bin"],
    &["-e", "\"[\" 3/1 \"%02X \" \"]\\n\"", "t.bin"],
    &["-s", "100", "t.bin"],
    &["-e", "\"%s\"", "t.bin"],
    &["-e", "1/3 \"%d\"", "t.bin"],
    &["-e", "\"%q\"", "t.bin"],
    &["-e", "2/1 \"%x %x\"", "t.bin"],
    &["-e", "\"x", "t.bin"],
    &["-e", "1/5 \"%.5s|\" \"\\n\"", "t.bin"],
    &["-e", "8/1 \"%_c\"", "-e", "\"\\n\"", "t.bin"],
    &["-e", "\"%_Ad\\n\"", "t.bin"],
    &["-n", "x", "t.bin"],
    &["-e", "1/2 \"%c\"", "t.bin"],
    &["z.bin"],
    &["-v", "z.bin"],
    &["-C", "z.bin", "r.bin"],
    &["nope", "t.bin"],
    &["-b", "-c", "t.bin"],
    &["-C", "-x", "t.bin"],
    &["empty"],
    &["-C", "empty"],
    &["-x", "-n", "0", "t.bin"],
    &["-s", "0x10", "-C", "t.bin"],
    &["-s", "1k", "r.bin"],
    &["-e", "\"%08.8_ao \" 4/4 \"%08x \" \"\\n\"", "r.bin"],
    &["-e", "16/1 \"%_u\"", "-e", "\"\\n\"", "r.bin"],
    &["-e", "8/1 \"%-4x|\" \"\\n\"", "t.bin"],
    &["-e", "1/4 \"%f\" \"\\n\"", "t.bin"],
    &["-e", "\"%_ad: \" 4/1 \"%3o\"", "-e", "\"\\n\"", "t.bin"],
    &["-d", "-o", "r.bin"],
    &["-c", "r.bin"],
    &["-f", "fmt", "r.bin"],
    &["-f", "nofile", "r.bin"],
    &["dir"],
    &["-"],
    &[],
];

#[test]
fn matches_busybox() {
    for c in CASES {
        same("hexdump", c, b"from stdin\n", files);
    }
}

#[test]
fn hd_is_hexdump_c() {
    // Debian's BusyBox has no hd applet: compare with its `hexdump -C`.
    if !has_busybox() {
        return;
    }
    for c in [
        &["t.bin"][..],
        &["r.bin"],
        &["-n", "5", "t.bin"],
        &["-s", "3", "-v", "z.bin"],
        &["t.bin", "nope"],
        &[],
    ] {
        let d = Dir::new();
        files(&d);
        let a = d.cmd("hd").args(c).stdin("xyz").run();
        let mut b = d.bb("hexdump").arg("-C").args(c).stdin("xyz").run();
        b.stderr = String::from_utf8_lossy(&b.stderr)
            .replace("hexdump:", "hd:")
            .into_bytes();
        a.same_as(&b);
    }
}

#[test]
fn full_disk() {
    let d = Dir::new();
    files(&d);
    d.cmd("hexdump")
        .arg("r.bin")
        .stdout_file("/dev/full")
        .run()
        .fails(1, "hexdump: write error: No space left on device\n");
}
