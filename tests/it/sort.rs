use crate::common::*;
use crate::textfiles::*;

const NUMS: &[u8] = b"1.5\n1.25\n-3\n+2\nabc\n 10\n-0\n0\n1e2\n007\n7\n0x10\ninf\n-inf\n\n";
const KEYED: &[u8] = b"x 1 b\nx 1 a\ny 2 c\nb 2\na 2\nc 1\n  z\n\tq 3\nr\x0b4\n";
const TEXT: &[u8] = b"B\na\nb\nA\n\xc3\xa4\n_x\n x\n\x01y\nB\n";

#[test]
fn options_match_busybox() {
    for opts in [
        &[][..],
        &["-n"],
        &["-g"],
        &["-rn"],
        &["-r"],
        &["-u"],
        &["-f"],
        &["-fu"],
        &["-d"],
        &["-i"],
        &["-fd"],
        &["-b"],
        &["-f", "-r"],
        &["-s", "-f"],
        &["-k1f"],
        &["-k1,1d"],
        &["-k1i"],
    ] {
        for input in [NUMS, KEYED, TEXT] {
            same("sort", opts, input, files);
        }
    }
    for k in [
        &["-k1,1r", "-k2,2"][..],
        &["-k1,1", "-k2,2r"],
        &["-k2,2r"],
        &["-k2"],
        &["-k2,2"],
        &["-k2n"],
        &["-k2,2n", "-r"],
        &["-s", "-k2,2"],
        &["-u", "-k2,2"],
        &["-k3"],
        &["-k1.2"],
        &["-k1.2,1.3"],
        &["-k2.1b"],
        &["-b", "-k2"],
        &["-k2b,2"],
        &["-k1,1", "-k2,2", "-k3,3"],
        &["-k5"],
        &["-k2,1"],
        &["-k", "2", "-n"],
    ] {
        same("sort", k, KEYED, files);
    }
    let csv = b"a,b,c\nb,a,c\nc,c,a\n,,\nd\n";
    for k in [
        &["-t,", "-k2"][..],
        &["-t,", "-k3,3"],
        &["-t", ",", "-k2.2"],
        &["-t,", "-k2,2", "-k1,1r"],
        &["-t:", "-k2"],
    ] {
        same("sort", k, csv, files);
    }
    same(
        "sort",
        &["-M"],
        b"Feb\njan\nxyz\nDEC\n  mar\nJanuary\n",
        files,
    );
    same("sort", &["-Mr"], b"Feb\njan\nxyz\nDEC\n  mar\n", files);
    same("sort", &["-k1M"], b"Feb\njan\nxyz\nDEC\n", files);
    same(
        "sort",
        &["-V"],
        b"a-1.10\na-1.9\na-1.9a\n1.01\n1.001\n1.1\nfoo\nfoo10\nfoo9\n1.0\n1.00\n",
        files,
    );
    // -z: NUL-terminated records, newlines are ordinary bytes.
    same("sort", &["-z"], b"b\0a\nc\0a", files);
    // Odd input: no final newline, CRLF, NUL bytes, invalid UTF-8, empty.
    for f in ["nonl", "crlf", "bad", "empty", "blank", "words", "num"] {
        same("sort", &[f], b"", files);
        same("sort", &["-n", f], b"", files);
    }
    same("sort", &["f1", "nonl", "-", "num"], b"stdin\nlines", files);
}

#[test]
fn check_mode() {
    for (opts, input) in [
        (&["-c"][..], &b"a\nb\nb\n"[..]),
        (&["-c"], b"b\na\n"),
        (&["-cu"], b"a\nb\nb\n"),
        (&["-c", "-n"], b"2\n10\n"),
        (&["-c", "-r"], b"2\n10\n"),
        (&["-c"], b""),
    ] {
        same("sort", opts, input, files);
    }
    cmd("sort")
        .arg("-c")
        .stdin("a\nc\nb\n")
        .run()
        .fails(1, "Check line 2\n");
}

#[test]
fn errors_exit_2() {
    for args in [
        &["-t", "ab"][..],
        &["-k", "0"],
        &["-k1.0"],
        &["-k", "x"],
        &["-k1,1q"],
        &["-k1,1.0"],
        &["-Q"],
        &["-o"],
    ] {
        same("sort", args, b"x\n", files);
    }
    // A missing input is fatal (as BusyBox and GNU: no partial sort), exit 2.
    same("sort", &["f1", "nope"], b"", files);
    let d = Dir::new();
    files(&d);
    d.cmd("sort")
        .args(["f1", "nope"])
        .run()
        .fails(2, "sort: nope: No such file or directory\n");
    d.cmd("sort")
        .args(["-o", "no/such", "f1"])
        .run()
        .fails(2, "sort: can't open 'no/such': No such file or directory\n");
}

#[test]
fn numeric_details() {
    // -n reads numbers as strtod does (BusyBox): signs, decimals, exponents, hex.
    cmd("sort")
        .arg("-n")
        .stdin("1e2\n+2\n0x10\n1.5\n-1\nx\n")
        .run()
        .ok("-1\nx\n1.5\n+2\n0x10\n1e2\n");
    // Beyond BusyBox: -h orders by suffix, then by value.
    cmd("sort")
        .arg("-h")
        .stdin("1G\n2M\n3\n1K\n-1M\n5K\n")
        .run()
        .ok("-1M\n3\n1K\n5K\n2M\n1G\n");
    // -g: not-a-number < NaN < -inf < numbers < inf.
    cmd("sort")
        .arg("-g")
        .stdin("inf\n1\nnan\n-inf\nx\n")
        .run()
        .ok("x\nnan\n-inf\n1\ninf\n");
}

#[test]
fn stable_and_unique() {
    // -s keeps input order among equal keys; -u keeps the first of each run.
    cmd("sort")
        .args(["-s", "-k1,1"])
        .stdin("b 2\na 9\nb 1\na 1\n")
        .run()
        .ok("a 9\na 1\nb 2\nb 1\n");
    cmd("sort")
        .args(["-su", "-k1,1"])
        .stdin("b 2\na 9\nb 1\na 1\n")
        .run()
        .ok("a 9\nb 2\n");
    cmd("sort")
        .args(["-u", "-f"])
        .stdin("b\nB\na\nA\n")
        .run()
        .ok("A\nB\n");
}

#[test]
fn output_may_be_an_input() {
    let d = Dir::new();
    d.write("x", "3\n1\n2\n");
    d.cmd("sort").args(["-o", "x", "x"]).run().ok("");
    assert_eq!(std::fs::read(d.join("x")).unwrap(), b"1\n2\n3\n");
    d.cmd("sort").args(["-r", "x", "-o", "new"]).run().ok("");
    assert_eq!(std::fs::read(d.join("new")).unwrap(), b"3\n2\n1\n");
    // The replaced file keeps its permissions.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(d.join("x"), std::fs::Permissions::from_mode(0o640)).unwrap();
    d.cmd("sort").args(["-r", "-o", "x", "x"]).run().ok("");
    let m = std::fs::metadata(d.join("x")).unwrap().permissions().mode();
    assert_eq!(m & 0o777, 0o640);
    assert_eq!(std::fs::read(d.join("x")).unwrap(), b"3\n2\n1\n");
    // Nothing but x and new is left behind.
    assert_eq!(std::fs::read_dir(&d.path).unwrap().count(), 2);
}

#[test]
fn big_input_sorts_as_busybox() {
    // Over the size where two threads sort halves and merge.
    let t = text(3 << 20);
    let mut lines: Vec<&[u8]> = t.split(|&b| b == b'\n').collect();
    lines.pop();
    let mut want = lines.clone();
    want.sort();
    let mut w = want.join(&b"\n"[..]);
    w.push(b'\n');
    cmd("sort").stdin(&t).run().ok(&w);
    for opts in [
        &["-r"][..],
        &["-k2"],
        &["-s", "-k2,2"],
        &["-u", "-k1,1"],
        &["-n"],
    ] {
        same("sort", opts, &t, |_| {});
    }
    // A 4 MB line.
    let mut long = vec![b'b'; 4 << 20];
    long.extend_from_slice(b"\na\n");
    let mut want = b"a\n".to_vec();
    want.extend_from_slice(&long[..4 << 20]);
    want.push(b'\n');
    cmd("sort").stdin(&long).run().ok(&want);
}

#[test]
fn write_errors_and_closed_pipes() {
    let d = Dir::new();
    files(&d);
    let o = d.cmd("sort").arg("num").stdout_file("/dev/full").run();
    assert_eq!(o.code, 1, "{}", o.err());
    assert!(o.err().contains("No space left on device"));
    closed_pipe("sort", &[], text(2 << 20));
}
