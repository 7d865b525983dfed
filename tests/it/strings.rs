use crate::common::*;

fn files(d: &Dir) {
    d.write(
        "st.bin",
        b"ab\0hello world\0\x01xyzw\nlonger string here\xffabcd",
    );
    d.write("tabs", b"ab\tcdef\0\tabc\0x\xe9yzw\0");
    d.write("abc", "abc");
    d.write("sp ace", "abcd");
    let r: Vec<u8> = (0..20_000u32).map(|i| ((i * 7919) % 256) as u8).collect();
    d.write("r.bin", r);
    d.mkdir("dir");
}

const CASES: &[&str] = &[
    "st.bin",
    "-n 2 st.bin",
    "-o st.bin",
    "-t x st.bin",
    "-t d -f st.bin abc",
    "-a st.bin",
    "nope st.bin",
    "-n 0 st.bin",
    "-f st.bin",
    "",
    "-f",
    "-n x st.bin",
    "-n 99999999999 st.bin",
    "-o -t x r.bin",
    "-t x -o r.bin",
    "-t d -t o r.bin",
    "-f -",
    "dir st.bin",
    "-n 1 r.bin",
    "r.bin",
    "-f tabs",
    "-n 3 -t o tabs",
];

#[test]
fn matches_busybox() {
    for c in CASES {
        let args: Vec<&str> = if c.is_empty() {
            vec![]
        } else {
            c.split(' ').collect()
        };
        same("strings", &args, b"0123456789\0abcdefgh\0\xfe", files);
    }
    same("strings", &["-f", "sp ace", "-"], b"stdin data", files);
    crate::printf::same_head("strings", &["-t", "q", "st.bin"], b"", files);
}
