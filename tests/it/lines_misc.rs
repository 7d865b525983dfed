//! tac, rev, paste, nl, fold.
use crate::common::*;
use crate::textfiles::*;

const IN: &[u8] = b"abcdefghij klmno pqrst\n\tab\x08c\rxyz\nshort\n\na b c d e f g h i j k l\n\xff\xfe\nabcdefghijabcdefghij";

#[test]
fn fold_matches_busybox() {
    for w in ["1", "3", "5", "7", "8", "9", "10", "80"] {
        for o in [&[][..], &["-s"], &["-b"], &["-bs"]] {
            let mut a = o.to_vec();
            a.extend(["-w", w]);
            same("fold", &a, IN, files);
        }
    }
    for args in [
        &[][..],
        &["-w", "0"],
        &["-w", "x"],
        &["-w", "10001"],
        &["f1", "nope", "nonl"],
    ] {
        same("fold", args, IN, files);
    }
    for f in ["crlf", "nul", "bad", "empty", "blank", "words"] {
        same("fold", &["-w", "3", f], b"", files);
    }
    let long = vec![b'x'; 3 << 20];
    let o = cmd("fold").args(["-w", "1000"]).stdin(&long).run();
    // A newline after every 1000 bytes; the input has no final one.
    assert_eq!(o.stdout.len(), (3 << 20) + (3 << 20) / 1000);
}

#[test]
fn tac_matches_busybox() {
    for args in [
        &[][..],
        &["f1", "nonl", "-"],
        &["f1", "nope", "nonl"],
        &["empty", "crlf", "nul", "bad"],
    ] {
        same("tac", args, IN, files);
    }
    let t = text(3 << 20);
    let mut lines: Vec<&[u8]> = t.split_inclusive(|&b| b == b'\n').collect();
    lines.reverse();
    cmd("tac").stdin(&t).run().ok(lines.concat());
    dev_full("tac", &["f1"], b"");
    closed_pipe("tac", &[], text(4 << 20));
}

#[test]
fn rev_matches_busybox() {
    for args in [
        &[][..],
        &["f1", "nonl", "-"],
        &["f1", "nope", "nonl"],
        &["empty", "crlf", "bad", "blank"],
    ] {
        same("rev", args, IN, files);
    }
    // A UTF-8 locale keeps characters whole.
    cmd("rev")
        .env("LC_ALL", "C.UTF-8")
        .stdin("h\u{e9}llo\n")
        .run()
        .ok("oll\u{e9}h\n");
    cmd("rev").stdin(b"a\0b\n").run().ok(b"b\0a\n");
    dev_full("rev", &["f1"], b"");
}

#[test]
fn nl_matches_busybox() {
    for args in [
        &[][..],
        &["-b", "a"],
        &["-b", "n"],
        &["-b", "t"],
        &["-v", "5", "-i", "2", "-s:", "-w", "3"],
        &["-w", "0"],
        &["-w", "1", "-v", "99"],
        &["-s", ""],
        &["-v", "-3"],
        &["-i", "x"],
        &["f1", "nope", "blank"],
        &["crlf", "bad", "empty", "nonl"],
    ] {
        same("nl", args, IN, files);
    }
    // -n (ln, rn, rz) as POSIX has it; BusyBox 1.35 lacks it.
    cmd("nl")
        .args(["-n", "ln", "-w", "3"])
        .stdin("a\n")
        .run()
        .ok("1  \ta\n");
    cmd("nl")
        .args(["-n", "rz", "-w", "3"])
        .stdin("a\n")
        .run()
        .ok("001\ta\n");
    cmd("nl")
        .args(["-n", "rn", "-w", "3"])
        .stdin("a\n")
        .run()
        .ok("  1\ta\n");
    dev_full("nl", &["f1"], b"");
}

#[test]
fn paste_matches_busybox_and_gnu() {
    for args in [
        &["-s", "f1", "nonl"][..],
        &["-s", "-d", ",;", "num"],
        &["-d", "", "f1"],
        &["f1", "nope"],
        &["-"],
    ] {
        same("paste", args, b"1\n2\n3\n4\n5\n", files);
    }
    // Files of different lengths: BusyBox 1.35 drops the delimiters of a file that has
    // ended (and, with -d, the last newline); GNU and POSIX keep them.
    for args in [
        &["f1", "nonl"][..],
        &["-d", ",;", "f1", "num", "nonl"],
        &["-d", "\\n", "f1", "nonl"],
        &["-d", "\\t\\\\x", "f1", "nonl", "f1"],
        &["-d", "a\\0b", "f1", "f1", "f1", "f1"],
        &["-s", "-d", "\\0-", "num"],
        &["-", "f1", "-"],
        &["-", "-"],
        &["empty", "f1"],
        &["crlf", "bad", "blank"],
    ] {
        same_gnu("paste", args, b"x\ny\nz\n", true);
    }
    dev_full("paste", &["f1"], b"");
}
