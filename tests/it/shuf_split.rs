use crate::common::*;
use crate::textfiles::*;

fn sorted_lines(b: &[u8], sep: u8) -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = b.split(|&c| c == sep).map(|l| l.to_vec()).collect();
    if v.last().is_some_and(|l| l.is_empty()) {
        v.pop();
    }
    v.sort();
    v
}

#[test]
fn shuf_permutes() {
    let input: String = (1..=200).map(|i| format!("{i}\n")).collect();
    let a = cmd("shuf").stdin(&input).run();
    a.code(0);
    assert_eq!(
        sorted_lines(&a.stdout, b'\n'),
        sorted_lines(input.as_bytes(), b'\n')
    );
    let b = cmd("shuf").stdin(&input).run();
    assert_ne!(
        a.stdout, b.stdout,
        "two shuffles of 200 lines came out the same"
    );
    // -n, -e, -i, -z, a last line without newline.
    let o = cmd("shuf")
        .args(["-n", "3", "-e", "a", "b", "c", "d"])
        .run();
    assert_eq!(o.stdout.split(|&c| c == b'\n').count(), 4);
    let o = cmd("shuf").args(["-i", "5-9"]).run();
    assert_eq!(
        sorted_lines(&o.stdout, b'\n'),
        sorted_lines(b"5\n6\n7\n8\n9\n", b'\n')
    );
    cmd("shuf").args(["-i", "3-3"]).run().ok("3\n");
    // A huge range with -n: no table of the whole range.
    let o = cmd("shuf").args(["-i", "1-1000000000000", "-n", "5"]).run();
    assert_eq!(o.stdout.split(|&c| c == b'\n').count(), 6);
    let o = cmd("shuf").arg("-z").stdin(b"a\0b\0c").run();
    assert_eq!(
        sorted_lines(&o.stdout, 0),
        [b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]
    );
    let o = cmd("shuf").stdin("x\ny").run();
    assert_eq!(
        sorted_lines(&o.stdout, b'\n'),
        [b"x".to_vec(), b"y".to_vec()]
    );
    cmd("shuf").args(["-n", "0", "-e", "a"]).run().ok("");
    cmd("shuf").arg("-e").run().ok("");
    cmd("shuf").stdin("").run().ok("");
    let d = Dir::new();
    d.cmd("shuf").args(["-o", "out", "-e", "q"]).run().ok("");
    assert_eq!(std::fs::read(d.join("out")).unwrap(), b"q\n");
}

#[test]
fn shuf_errors_match_busybox() {
    for args in [
        &["-i", "5-1"][..],
        &["-i", "x"],
        &["-i", "-1-3"],
        &["-i", "0-18446744073709551615"],
        &["-n", "x", "-e", "a"],
        &["-n", "-1", "-e", "a"],
        &["nope"],
        &["-i", "1-3", "-e", "a"],
        &["f1", "nonl"],
        &["-Q"],
    ] {
        same("shuf", args, b"", files);
    }
    dev_full("shuf", &["-e", "a", "b"], b"");
}

#[test]
fn split_pieces() {
    let d = Dir::new();
    let input: String = (1..=2500).map(|i| format!("{i}\n")).collect();
    d.write("in", &input);
    d.cmd("split").arg("in").run().ok("");
    let names = ["xaa", "xab", "xac"];
    let got: Vec<u8> = names
        .iter()
        .flat_map(|n| std::fs::read(d.join(n)).unwrap())
        .collect();
    assert_eq!(got, input.as_bytes());
    assert_eq!(
        std::fs::read(d.join("xaa"))
            .unwrap()
            .iter()
            .filter(|&&c| c == b'\n')
            .count(),
        1000
    );
    assert!(!d.join("xad").exists());
    // -l, a prefix, stdin.
    d.cmd("split")
        .args(["-l", "2", "-", "p"])
        .stdin("1\n2\n3\n4\n5")
        .run()
        .ok("");
    assert_eq!(std::fs::read(d.join("paa")).unwrap(), b"1\n2\n");
    assert_eq!(std::fs::read(d.join("pac")).unwrap(), b"5");
    // -b with suffixes, -a.
    let bin: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 256) as u8).collect();
    d.write("bin", &bin);
    d.cmd("split")
        .args(["-b", "1k", "-a", "3", "bin", "b."])
        .run()
        .ok("");
    assert_eq!(std::fs::read(d.join("b.aaa")).unwrap(), &bin[..1024]);
    assert_eq!(std::fs::read(d.join("b.aae")).unwrap(), &bin[4096..]);
    d.cmd("split").args(["-b", "2b", "bin", "c"]).run().ok("");
    assert_eq!(std::fs::read(d.join("caa")).unwrap().len(), 1024);
    // Running out of suffixes: the pieces made so far stay, status 1.
    let many: String = (1..=30).map(|i| format!("{i}\n")).collect();
    d.cmd("split")
        .args(["-l", "1", "-a", "1", "-", "s"])
        .stdin(&many)
        .run()
        .fails(1, "split: suffixes exhausted\n");
    assert_eq!(std::fs::read(d.join("sz")).unwrap(), b"26\n");
    // Empty input makes no piece.
    d.cmd("split").args(["-", "e"]).stdin("").run().ok("");
    assert!(!d.join("eaa").exists());
    d.cmd("split")
        .arg("nope")
        .run()
        .fails(1, "split: can't open 'nope': No such file or directory\n");
    d.cmd("split")
        .args(["-b", "0", "in"])
        .run()
        .fails(1, "split: invalid number '0'\n");
    d.cmd("split")
        .args(["-l", "x", "in"])
        .run()
        .fails(1, "split: invalid number 'x'\n");
    d.cmd("split").args(["in", "p", "extra"]).run().code(1);
}
