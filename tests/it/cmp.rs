use crate::common::*;

fn files(d: &Dir) {
    d.write("c1", "abcdef");
    d.write("c2", "abXdeY");
    d.write("c3", "abc");
    d.write("l1", "a\nb\nc");
    d.write("l2", "a\nb\nX");
    d.write("s1", b"\x01\x02");
    d.write("s2", b"\x01\x03");
    d.write("empty", "");
    let big: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let mut big2 = big.clone();
    big2[250_000] ^= 1;
    big2[299_999] = b'\n';
    d.write("big", &big);
    d.write("big2", &big2);
    d.write("nul", b"a\0b\xff\n");
    d.write("nul2", b"a\0c\xfe\n");
    d.mkdir("dir");
}

const CASES: &[&str] = &[
    "c1 c2",
    "-l c1 c2",
    "-s c1 c2",
    "c1 c3",
    "c3 c1",
    "-l c1 c3",
    "-s c1 c3",
    "c1 c1",
    "-n 2 c1 c2",
    "-n 3 c1 c2",
    "c1 nope",
    "nope c1",
    "-s nope c1",
    "c1",
    "c1 -",
    "empty c1",
    "c1 empty",
    "-n x c1 c2",
    "c1 c2 2",
    "c1 c2 2 1",
    "c1 c2 x",
    "l1 l2",
    "-l l1 l2",
    "-l s1 s2",
    "- -",
    "c1 c2 1k",
    "dir c1",
    "c1 c2 0x2 0x2",
    "empty empty",
    "-n 0 c1 c3",
    "-n 4 c1 c3",
    "c1 c2 10 10",
    "c1 c2 4 3",
    "big big2",
    "-l big big2",
    "big big",
    "nul nul2",
    "-l nul nul2",
];

#[test]
fn matches_busybox() {
    for c in CASES {
        let args: Vec<&str> = c.split(' ').collect();
        same("cmp", &args, b"abXdeY", files);
    }
    for c in [
        &["-l", "-s", "c1", "c2"][..],
        &[],
        &["c1", "c2", "1", "2", "3"],
    ] {
        same("cmp", c, b"", files);
    }
}
