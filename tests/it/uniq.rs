use crate::common::*;
use crate::textfiles::*;

const IN: &[u8] = b"a\na\nb\nA\na\nx a\ny a\nz b\n  a\n\ta\nab1\nab2\nac\nac";

#[test]
fn options_match_busybox() {
    for opts in [
        &[][..],
        &["-c"],
        &["-ci"],
        &["-d"],
        &["-u"],
        &["-du"],
        &["-dc"],
        &["-i"],
        &["-f1"],
        &["-f", "2"],
        &["-s1", "-c"],
        &["-s", "9"],
        &["-w2"],
        &["-w", "0", "-c"],
        &["-f1", "-s1"],
        &["-f1", "-w1", "-i"],
        &["-z"],
        &["-z", "-c"],
    ] {
        same("uniq", opts, IN, files);
        same("uniq", opts, b"", files);
        same("uniq", opts, b"\r\n\r\n\xff\n\xff", files);
    }
    // NUL bytes: BusyBox ends a line at a NUL too, even without -z (so "a\0b" is two
    // lines to it); rbox keeps them as bytes of the line, as GNU does.
    cmd("uniq").stdin(b"\0\0\n\0\n\0\n").run().ok(b"\0\0\n\0\n");
    for f in ["f1", "nonl", "crlf", "bad", "empty", "blank", "words"] {
        same("uniq", &["-c", f], b"", files);
    }
    same("uniq", &["-", "-"], b"a\na\n", files);
    same("uniq", &["nope"], b"", files);
    same("uniq", &["f1", "o", "extra"], b"", files);
    same("uniq", &["-f", "x"], b"", files);
    same("uniq", &["-w", "-1"], b"", files);
    same("uniq", &["-Q"], b"", files);
}

#[test]
fn output_file() {
    let d = Dir::new();
    d.write("in", "q\nq\nr\n");
    d.cmd("uniq").args(["in", "out"]).run().ok("");
    assert_eq!(std::fs::read(d.join("out")).unwrap(), b"q\nr\n");
    d.cmd("uniq")
        .args(["in", "no/such"])
        .run()
        .fails(1, "uniq: can't open 'no/such': No such file or directory\n");
}

#[test]
fn big_input_and_long_lines() {
    let t = text(3 << 20);
    same("uniq", &["-c"], &t, |_| {});
    let mut doubled = Vec::new();
    for l in t.split_inclusive(|&b| b == b'\n') {
        doubled.extend_from_slice(l);
        doubled.extend_from_slice(l);
    }
    // (t may have equal neighbours itself.)
    let once = cmd("uniq").stdin(&t).run().stdout;
    cmd("uniq").stdin(&doubled).run().ok(&once);
    // Lines of 3 MB, equal and not, across many reads.
    let long = vec![b'x'; 3 << 20];
    let mut two = long.clone();
    two.push(b'\n');
    two.extend_from_slice(&long);
    two.extend_from_slice(b"\ny\n");
    let mut want = long.clone();
    want.extend_from_slice(b"\ny\n");
    cmd("uniq").stdin(&two).run().ok(&want);
}

#[test]
fn write_errors_and_closed_pipes() {
    dev_full("uniq", &["f1"], b"");
    closed_pipe("uniq", &[], text(4 << 20));
}
