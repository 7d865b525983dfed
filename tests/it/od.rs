use crate::common::*;

fn files(d: &Dir) {
    let mut t = b"hello\0world\n\xff\x80abcdefghijklmnop".to_vec();
    d.write("t.bin", &t);
    t.clear();
    let mut x: u32 = 12345;
    for _ in 0..3000 {
        x = x.wrapping_mul(1103515245).wrapping_add(12345);
        t.push((x >> 16) as u8);
    }
    d.write("r.bin", &t);
    d.write("abc", "abc");
    d.write("empty", "");
    d.write("s.bin", b"hello\0\0world\0ab\0xyz\x01abcd");
    d.write("z.bin", [0u8; 100]);
    {
        use std::os::unix::ffi::OsStrExt;
        d.write(std::ffi::OsStr::from_bytes(b"bad\xffname"), "x\n");
    }
    d.mkdir("dir");
}

const CASES: &[&str] = &[
    "t.bin",
    "-c t.bin",
    "-An -tx1 t.bin",
    "-tx1 -tc t.bin",
    "-txCz t.bin",
    "-tx2z abc",
    "-ta t.bin",
    "-tf4 -tf8 t.bin",
    "-tfL t.bin",
    "-td8 -tu8 t.bin",
    "-i -l -s -h t.bin",
    "-S 3 s.bin",
    "-S 2 -Ax -N 8 t.bin",
    "-S 3 -N 9 s.bin",
    "-An -S 1 s.bin",
    "-w t.bin",
    "-w5 -tx2 t.bin",
    "-w0 t.bin",
    "-w8 -Ad -to4 t.bin",
    "-b -N5 -j2 t.bin",
    "-j 0x10 -N 1k -c t.bin",
    "-N2b -c t.bin",
    "-N x t.bin",
    "-j 100 t.bin",
    "nope t.bin dir",
    "nope",
    "-Aq t.bin",
    "-tq t.bin",
    "-tx3 t.bin",
    "-tx1c t.bin",
    "-tf2 t.bin",
    "-txCc t.bin",
    "-tdC -tdS -tdI -tdL t.bin",
    "-td1 -tu1 -to1 -tx1 r.bin",
    "-td2 -tu2 -to2 -tx2 r.bin",
    "-td4 -tu4 -to4 -tx4 r.bin",
    "-td8 -tu8 -to8 -tx8 r.bin",
    "-tf4 r.bin",
    "-tf8 r.bin",
    "-a -c r.bin",
    "-d -o -x -f r.bin",
    "z.bin",
    "-v z.bin",
    "-w4 z.bin",
    "empty",
    "-Ax empty",
    "-An empty",
    "-c abc empty abc",
    "-j 2 abc abc",
    "-j 3 abc abc",
    "-j 6 abc abc",
    "-j 7 abc abc",
    "-N 0 t.bin",
    "-N 17 -tx4 t.bin",
    "--format=x1 --read-bytes=4 --skip-bytes=1 --address-radix=x t.bin",
    "--width=8 -v z.bin",
    "-Ad -tx1 -j 5 t.bin",
    "-tx",
    "-c -",
    "-c",
];

#[test]
fn matches_busybox() {
    for c in CASES {
        // long double is the target's: 80-bit on x86_64, IEEE quad on aarch64.
        if c.contains("fL") && under_runner() {
            continue;
        }
        let args: Vec<&str> = c.split(' ').collect();
        same("od", &args, b"from stdin\0\x01", files);
    }
}

#[test]
fn invalid_utf8_name() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let d = Dir::new();
    files(&d);
    d.cmd("od")
        .args(["-An", "-c"])
        .arg(OsStr::from_bytes(b"bad\xffname"))
        .run()
        .ok("   x  \\n\n");
}

#[test]
fn no_address_multiple_formats() {
    // BusyBox indents the second format's lines by a width read past the end of a table
    // (70 columns); rbox by none, as GNU od.
    let d = Dir::new();
    files(&d);
    d.cmd("od")
        .args(["-An", "-tx1", "-tc", "abc"])
        .run()
        .ok(" 61 62 63\n   a   b   c\n");
}

#[test]
fn full_disk_and_closed_pipe() {
    let d = Dir::new();
    files(&d);
    d.cmd("od")
        .arg("r.bin")
        .stdout_file("/dev/full")
        .run()
        .fails(1, "od: write error: No space left on device\n");
    let p = applet_path("od");
    let script = format!(
        "{}{} -v /dev/zero | head -c 8; echo \" ${{PIPESTATUS[0]}}\"",
        runner_prefix(),
        p.display()
    );
    let o = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "0000000  141\n");
}
