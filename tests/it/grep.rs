use crate::common::*;

fn files(d: &Dir) {
    d.write("a", "foo\nbar\nfoo bar\nbaz\n");
    d.write("bin", "x\0foo\nbar\0baz\n");
    d.write("nonl", "nofoo");
    d.write("ctx", "1\n2\nfoo\n4\n5\n6\n7\nfoo\n9\n");
    d.write("pats", "foo\nbaz\n");
    d.write("empty", "");
    d.write("utf", b"caf\xc3\xa9\n\xff\xfeabc\n\xe9t\xe9\n");
    d.write("sp ace", "foo\n");
    d.mkdir("d");
    d.write("d/e", "foo\n");
    d.mkdir("d/sub");
    d.write("d/sub/f", "nothing\nfoo again\n");
    let _ = std::os::unix::fs::symlink("../a", d.join("d/link"));
}

/// Split on spaces; `_` stands for an empty argument.
fn run_same(cases: &[&str], stdin: &[u8]) {
    for c in cases {
        let args: Vec<&str> = c
            .split(' ')
            .map(|a| if a == "_" { "" } else { a })
            .collect();
        same("grep", &args, stdin, files);
    }
}

#[test]
fn options() {
    run_same(
        &[
            "foo a",
            "foo a nonl",
            "-c foo a nonl",
            "-l foo a nonl",
            "-L foo a nonl",
            "-L zzz a nonl",
            "-o o a",
            "-on o a",
            "-n foo a",
            "-H foo a",
            "-h foo a nonl",
            "-Hc foo a",
            "-lc foo a",
            "-q foo a",
            "-q zzz a",
            "-v foo a",
            "-cv foo a",
            "-vn foo a",
            "-v foo a nonl",
            "-i FOO a",
            "-ix FOO a",
            "-x foo a",
            "-w ba a",
            "-w bar a",
            "-F o. a",
            "-F foo a",
            "-Fi FOO a",
            "-F -w foo a",
            "-F -x foo a",
            "-E foo|baz a",
            "-e foo -e baz a",
            "-f pats a",
            "-f empty a",
            "-e foo -f pats a",
            "_ a",
            "-E _ a",
            "-F _ a",
            "-w _ a",
            "-Fw _ a",
            "-vc _ a",
            "-o _ a",
            "-o x* a",
            "-ov foo a",
            "-lv foo a",
            "-m1 foo a",
            "-m 1 -c foo ctx",
            "-m0 foo a",
            "-m0 zzz a",
            "-m0 -c foo a",
            "-z foo bin",
            "-z -c o a",
            "-c foo bin",
            "foo bin",
            "-a foo bin",
            "-I foo bin",
            "--color foo a",
            "--color=always foo a",
            "foo sp ace",
            "foo empty",
            "-c foo empty",
            "-L foo empty",
            "-s foo nope",
            "foo nope a",
            "-q foo nope a",
            "-q zzz a nope",
            "-c foo nope",
            "-e foo -f nope a",
            "-l foo a nope",
            "foo d",
            "-c foo d",
            "-x _ a",
            "-c $ a",
            "-c ^ a",
            "-c ^$ a",
            "-n . nonl",
            "caf. utf",
            "-c . utf",
            "abc utf",
            "-o [[:alpha:]]* utf",
            "-i É utf",
        ],
        b"",
    );
}

#[test]
fn context() {
    run_same(
        &[
            "-C1 foo ctx",
            "-C1 foo ctx a",
            "-A1 foo a",
            "-A1 -m1 foo ctx",
            "-B2 -n foo ctx",
            "-B1 foo a",
            "-n -A1 -B1 foo ctx ctx",
            "-A1 -o foo ctx",
            "-C1 -c foo ctx",
            "-vA1 foo ctx",
            "-A 3 foo ctx",
            "-B 9 9 ctx",
            "-C 0 foo ctx",
            "-nC2 5 ctx",
            "-A x foo a",
            "-m x foo a",
            "-C -1 foo a",
        ],
        b"",
    );
}

#[test]
fn stdin_and_usage() {
    run_same(
        &[
            "foo",
            "-n foo - a",
            "-l foo",
            "-c foo -",
            "-r foo",
            "-L zzz",
        ],
        b"foo\nbar\n",
    );
    run_same(&["", "-e", "-bogus", "-Z foo a"], b"");
    same("egrep", &["fo+|baz", "a"], b"", files);
    same("fgrep", &["o.", "a"], b"", files);
    same("fgrep", &["-c", "o", "a"], b"", files);
}

#[test]
fn recursive() {
    // Names come in directory order on both sides, so sort-free comparison holds for one
    // directory level; the walker's order is readdir's as BusyBox's is.
    run_same(
        &[
            "-r foo d",
            "-R foo d",
            "-r foo d/",
            "-rh foo d",
            "-rc foo d",
            "-rl foo d",
            "-r foo a",
        ],
        b"",
    );
    let d = Dir::new();
    files(&d);
    let _ = std::os::unix::fs::symlink("d", d.join("dl"));
    let o = d.cmd("grep").args(["-r", "again", "dl"]).run();
    o.ok("dl/sub/f:foo again\n");
}

#[test]
fn regex_errors() {
    run_same(
        &[
            "-E ( a",
            "\\( a",
            "a\\{ a",
            "[a a",
            "-E a{1 a",
            "-E a) a",
            "\\(a\\)\\2 a",
        ],
        b"",
    );
}

#[test]
fn regex_dialects() {
    let text = b"ab\nabab\naab\na+b\na|b\na{2}\n(ab)\n*a\nx^y\nx$y\nword w0rd\n";
    run_same(
        &[
            "-o a\\+b",
            "-o a+b",
            "-o ab\\?",
            "-o a\\|b",
            "-E -o a|ab",
            "-o \\(ab\\)\\1",
            "-E -o (ab)\\1",
            "-E -o a{2}",
            "-o a\\{2\\}",
            "-o a{2}",
            "-o *a",
            "-o x^y",
            "-o x$y",
            "-E -c x^y",
            "-o \\<w",
            "-o d\\>",
            "-o \\bw",
            "-c \\Bo",
            "-o \\w*",
            "-o \\W",
            "-o [[:punct:]]",
            "-o []a]",
            "-o [^]a]b",
            "-E -o \\(ab\\)",
            "-o [a-b]*",
            "-x -E (ab)+",
            "-w -o w.rd",
        ],
        text,
    );
}

/// rbox is POSIX's leftmost-longest where BusyBox's glibc regex is not.
#[test]
fn posix_over_glibc() {
    // glibc's -o with alternatives is longest too; the differences are in sub-matches (sed)
    // and in BusyBox's own -o with several patterns, which prints one match per pattern
    // in turn; rbox prints every match, leftmost first, as GNU grep does.
    cmd("grep")
        .args(["-o", "-e", "o", "-e", "fo"])
        .stdin("foo\n")
        .run()
        .ok("fo\no\n");
    cmd("grep")
        .args(["-oE", "a|ab|abc"])
        .stdin("xabcd\n")
        .run()
        .ok("abc\n");
}

#[test]
fn odd_input() {
    // NUL bytes, no final newline, invalid UTF-8, a long line.
    cmd("grep").arg("b").stdin(b"a\0b\nc").run().ok(b"a\0b\n");
    cmd("grep").arg("c").stdin(b"a\nc").run().ok("c\n");
    // The pattern's bytes are UTF-8 (ÿ is c3 bf): they do not match the lone byte ff.
    let o = cmd("grep")
        .args(["-c", "\u{ff}"])
        .stdin(b"\xff\n\xfe\n")
        .run();
    assert_eq!((o.code, o.out()), (1, "0\n".to_string()));
    cmd("grep")
        .args(["-c", "."])
        .stdin(b"\xff\n\xfe\n")
        .run()
        .ok("2\n");
    let mut long = vec![b'x'; 3 << 20];
    long.extend_from_slice(b"needle\nzzz\n");
    cmd("grep")
        .args(["-c", "needle"])
        .stdin(long.clone())
        .run()
        .ok("1\n");
    cmd("grep")
        .args(["-c", "-E", "x+n"])
        .stdin(long.clone())
        .run()
        .ok("1\n");
    cmd("grep")
        .args(["-o", "-E", "x{3}needle"])
        .stdin(long)
        .run()
        .ok("xxxneedle\n");
    // Pathological patterns finish (linear time).
    let a = vec![b'a'; 100_000];
    for p in ["(a*)*b", "(a|a)*b", "(x+x+)+y"] {
        let o = cmd("grep").args(["-cE", p]).stdin(a.clone()).run();
        assert_eq!((o.code, o.out()), (1, "0\n".to_string()), "{p}");
    }
    // A back-reference search past its work bound is an error, not a hang or a silent miss.
    let o = cmd("grep")
        .arg("\\(a*\\)*\\1[bc]")
        .stdin(vec![b'a'; 3000])
        .run();
    assert_eq!(
        (o.code, o.err()),
        (2, "grep: back-reference search too complex\n".to_string())
    );
    // Many lines across read blocks, matches at the edges.
    let mut many = Vec::new();
    for i in 0..200_000u32 {
        many.extend_from_slice(if i % 1000 == 999 {
            b"hit line\n"
        } else {
            b"some other text\n"
        });
    }
    cmd("grep")
        .args(["-c", "hit"])
        .stdin(many.clone())
        .run()
        .ok("200\n");
    cmd("grep")
        .args(["-vc", "hit"])
        .stdin(many.clone())
        .run()
        .ok("199800\n");
    let o = cmd("grep").args(["-n", "hit"]).stdin(many).run();
    assert!(o.out().starts_with("1000:hit line\n2000:hit line\n"));
    assert!(o.out().ends_with("200000:hit line\n"));
}

#[test]
fn closed_pipe_and_full() {
    let d = Dir::new();
    d.write("f", "x\n".repeat(100_000));
    let o = d
        .cmd("grep")
        .args(["x", "f"])
        .stdout_file("/dev/full")
        .run();
    // BusyBox exits 0 without a word; rbox reports the lost output.
    o.fails(1, "grep: write error: No space left on device\n");
}
