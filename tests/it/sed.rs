use crate::common::*;

fn files(d: &Dir) {
    d.write("in3", "abc\nbcd\nxyz");
    d.write("a", "foo\nbar\nfoo bar\nbaz\n");
    d.write("c", "nofoo");
    d.write("ab", "a\nb\n");
    d.write("script", "s/a/A/\n2d\n");
    d.write("bin", b"a\0b\nc\xffd\n\xfe");
}

/// Each case is one argument list; `stdin` for all of them.
fn run_same(cases: &[&[&str]], stdin: &[u8]) {
    for c in cases {
        eprintln!("case {c:?}");
        same("sed", c, stdin, files);
    }
}

#[test]
fn commands() {
    let cases: &[&[&str]] = &[
        &["p"],
        &["-n", "p"],
        &["n;d"],
        &["$!N;P;D"],
        &["N;N;s/\\n/+/g"],
        &["N"],
        &["n"],
        &["$d"],
        &["y/abc/de/"],
        &["y/abc/\\n\\t\\\\/"],
        &["2q"],
        &["1,2q"],
        &["1d;$G"],
        &["x;G"],
        &["="],
        &["1,2="],
        &["G;G"],
        &["H;$!d;x"],
        &["h;s/b/B/;G"],
        &["$!d;g"],
        &["-n", "P"],
        &["N;P;D"],
        &["2{h;d};${G}"],
        &["p;p x"],
        &["=x"],
        &["dp"],
        &["1 ! p"],
        &["1,+1d"],
        &["b;p"],
        &["bx;:x"],
        &["ta;s/a/x/;:a"],
        &["{p};p"],
        &["{p;};p"],
        &["p;}"],
        &["{p"],
        &[":"],
        &["1:a"],
        &["2!d"],
        &["/b/,/y/d"],
        &["/b/,2d"],
        &["2,1p"],
        &["$p"],
        &["-e", "p", "-e", "p"],
        &["-n", "/b/{p;p}"],
        &["-n", "/b/="],
        &["-n", "$="],
        &["/a/,+1s/./#/"],
        &["-f", "script"],
        &["#n\np"],
        &["#n"],
        &["p # c"],
        &["1d;a x"],
        &["$a END"],
        &["1i START"],
        &["2c CHANGED"],
        &["1,2c CHANGED"],
        &["2,$c CHANGED"],
        &["a"],
        &["a\\"],
        &["a  foo"],
        &["a\\  foo"],
        &["i\\foo"],
        &["c\\"],
        &["cfoo"],
        &["-e", "a\\", "-e", "foo"],
        &["a foo\\\nbar"],
        &["1r a"],
        &["r nope"],
        &["$r a"],
        &["-n", "1w /dev/stdout"],
        &["s/a/x/w /dev/stdout"],
    ];
    run_same(cases, b"abc\nbcd\nxyz");
    run_same(cases, b"abc\nbcd\nxyz\n");
}

#[test]
fn scripts() {
    let cases: &[&[&str]] = &[
        &["1i\\\nfoo\\\nbar"],
        &["$a\\\nend1\\\nend2"],
        &["/b/{\ns/b/B/\n/c/{\ns/c/C/\n}\n}"],
        &["1{h;d};2{G;x;d};$!d;G"],
        &[":a;N;$!ba;s/\\n/,/g"],
        &["N;N;s/\\n/|/g"],
        &["-n", "/a/,/c/{/b/p}"],
        &["2,3!s/./X/"],
        &["s/\\(.\\)\\(.\\)/\\2\\1/;ta;s/^/-/;:a"],
        &["-n", "/b/{=;p}"],
        &["$!{N};P;D"],
        &["s/./&&/2"],
        &["/bcd/,$d"],
        &["/xyz/,1d"],
        &["2,/x/s/^/#/"],
        &["/a/,/b/s/^/#/"],
        &["1!G;h;$!d"],
        &["-n", "1!G;h;$p"],
        &["N;N;N;s/\n/|/g"],
        &["c\\\nmulti\\\nline"],
        &["/b/c\\\nchanged"],
        &["/c/{"],
        &["-n", "-e", "/b/{", "-e", "p", "-e", "}"],
        &["# comment\np\n# more"],
    ];
    run_same(cases, b"abc\nbcd\nxyz\n");
}

#[test]
fn substitute() {
    let cases: &[&[&str]] = &[
        &["s/b*/x/g"],
        &["s/c*$/X/"],
        &["s/\\(b\\)\\(c\\)/\\2\\1/"],
        &["s/b/[&]/"],
        &["s/b/[\\&]/"],
        &["s/B/x/I"],
        &["s/b/y/2g"],
        &["s/b/y/2"],
        &["s/x/y/gg"],
        &["s/c/\\t/"],
        &["s/b/\\n/"],
        &["s/b/a\\\nc/"],
        &["s/./(&)/3"],
        &["-E", "s/(b)(c)?/[\\2\\1]/"],
        &["s/[/]/x/"],
        &["s/a\\/b/x/"],
        &["s|b|/|"],
        &["s,b,\\,,"],
        &["s/^/>/"],
        &["s/$/</"],
        &["s/x*/-/g"],
        &["-n", "s/x/X/p"],
        &["s/b/B/gp"],
        &["-r", "s/(a|x)+/<&>/"],
        &["s/a\\|x/Q/g"],
        &["s/\\w\\+/W/2"],
        &["s/[[:alpha:]]/Z/g"],
        &["s/[^b]/_/g"],
        &["s/.*/\"&\"/"],
        &["s/\\(.\\)\\1/D/"],
        &["-E", "s/(.)\\1/D/"],
        &["s/a\\{1,\\}/A/"],
        &["-E", "s/b{2}|c/C/g"],
        &["s/%/x/"],
    ];
    run_same(cases, b"abc\nbcd\nxyz\naab/b,b%\n");
}

#[test]
fn errors() {
    let cases: &[&[&str]] = &[
        &["k"],
        &["s/a/b"],
        &["s/a/b/q"],
        &["/x"],
        &["b foo"],
        &["3,"],
        &["r"],
        &["w"],
        &["s/\\(/x/"],
        &["-E", "s/(/x/"],
        &["s/a\\{/x/"],
        &["1!!p"],
        &["//p"],
        &["s//x/"],
        &["y/a/"],
        &["/"],
        &["1"],
        &["1!"],
        &["1,2a x"],
        &["1,2i x"],
        &["1,2r a"],
        &["s/x/y/0"],
        &["s/x/y/w"],
        &["p", "nope"],
        &["p", "nope", "ab"],
        &["-f", "nope"],
        &["-i", "p"],
    ];
    run_same(cases, b"abc\n");
}

#[test]
fn files_and_stdin() {
    run_same(
        &[
            &["p", "a", "c"],
            &["-n", "$p", "a", "c"],
            &["1p", "a", "c"],
            &["$=", "a", "c"],
            &["p", "-", "a"],
            &["s/a/x/", "bin"],
        ],
        b"in\n",
    );
}

#[test]
fn in_place() {
    let d = Dir::new();
    d.write("f", "abc\nbcd\n");
    d.write("g", "xyz\n");
    std::fs::set_permissions(
        d.join("f"),
        std::os::unix::fs::PermissionsExt::from_mode(0o640),
    )
    .unwrap();
    d.cmd("sed")
        .args(["-i.bak", "s/b/B/", "f", "g"])
        .run()
        .ok("");
    assert_eq!(std::fs::read(d.join("f")).unwrap(), b"aBc\nBcd\n");
    assert_eq!(std::fs::read(d.join("f.bak")).unwrap(), b"abc\nbcd\n");
    assert_eq!(std::fs::read(d.join("g")).unwrap(), b"xyz\n");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(d.join("f")).unwrap().permissions().mode() & 0o7777,
        0o640
    );
    // Each file is its own stream: `$` and line numbers per file.
    d.cmd("sed")
        .args(["-i", "1s/^/>/;$s/$/</", "f", "g"])
        .run()
        .ok("");
    assert_eq!(std::fs::read(d.join("f")).unwrap(), b">aBc\nBcd<\n");
    assert_eq!(std::fs::read(d.join("g")).unwrap(), b">xyz<\n");
    // No temporary file is left behind, also after an error.
    d.cmd("sed")
        .args(["-i", "s/a/b/", "nope"])
        .run()
        .fails(1, "sed: nope: No such file or directory\n");
    let names: Vec<_> = std::fs::read_dir(&d.path)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
    // w /dev/stdout still goes to stdout.
    d.cmd("sed")
        .args(["-i", "-n", "p;1w /dev/stdout", "g"])
        .run()
        .ok(">xyz<\n");
    same("sed", &["-i", "s/a/b/"], b"", |_| {});
    // A full disk: the original is kept whole.
    if std::process::Command::new("unshare")
        .arg("--version")
        .output()
        .is_ok()
    {
        let sh = format!(
            "mount -t tmpfs -o size=64k t {0} && head -c 40000 /dev/zero | tr '\\0' a > {0}/f && \
             {1} -i 's/a/bb/g' {0}/f; echo rc=$?; wc -c < {0}/f; ls {0}",
            d.join("t").display(),
            bin_path("sed")
        );
        std::fs::create_dir(d.join("t")).unwrap();
        let o = std::process::Command::new("unshare")
            .args(["-m", "sh", "-c", &sh])
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        if out.contains("rc=") {
            assert!(out.contains("rc=1"), "{out}");
            assert!(out.contains("40000\nf\n"), "{out}");
        }
    }
}

fn bin_path(applet: &str) -> String {
    format!("{}{}", runner_prefix(), applet_path(applet).display())
}

/// GNU extensions BusyBox's build lacks, and POSIX's rule where glibc differs.
#[test]
fn beyond_busybox() {
    let r = |args: &[&str], input: &str| cmd("sed").args(args).stdin(input).run();
    r(&["1~2d"], "1\n2\n3\n4\n").ok("2\n4\n");
    r(&["2,~4d"], "1\n2\n3\n4\n5\n").ok("1\n5\n");
    r(&["0,/a/d"], "a\nb\na\n").ok("b\na\n");
    let o = r(&["2q5"], "1\n2\n3\n");
    assert_eq!((o.code, o.out()), (5, "1\n2\n".to_string()));
    r(&["2Q"], "1\n2\n3\n").ok("1\n");
    r(&["s/b/\\U&x/;s/Y/\\l&/;s/^./\\u&/"], "abY\n").ok("ABXy\n");
    r(&["s/\\w\\+/\\L\\u&/g"], "HELLO wORLD\n").ok("Hello World\n");
    r(&["-n", "l"], "a\u{1}\tb\\\n").ok("a\\001\\tb\\\\$\n");
    r(&["-s", "-n", "$p", "-", "-"], "x\ny\n").ok("y\n");
    r(&["-z", "s/^/>/"], "a\nb\0c\0").ok(">a\nb\0>c\0");
    r(&["F"], "x\n").ok("-\nx\n");
    r(&["z;s/^$/E/"], "x\n").ok("E\n");
    r(&["W /dev/stdout"], "x\n").ok("x\nx\n");
    r(&["s/x/echo hi/e"], "x\n").ok("hi\n");
    r(&["1R /dev/null"], "x\n").ok("x\n");
    // w /dev/stdout is the output itself, in order (BusyBox's own stream comes out later).
    r(&["s/a/x/;w /dev/stdout"], "ab\ncd\n").ok("xb\nxb\ncd\ncd\n");
    // POSIX: each sub-expression is leftmost-longest in turn; glibc (BusyBox) gives
    // [b|c] here, splitting `bc` the other way.
    r(&["-E", "s/(b|bc)(c*)/[\\1|\\2]/"], "abc\n").ok("a[bc|]\n");
    r(&["-E", "s/(a|ab)(b*)/[\\1|\\2]/"], "ab\n").ok("[ab|]\n");
    r(&["-E", "s/a|ab/X/"], "abcd\n").ok("Xcd\n");
    // BusyBox hands glibc the rest of the line after a match, so `\<` matches there
    // again (UUU); the word start is only at `a`.
    r(&["s/\\<./U/g"], "abc de\n").ok("Ubc Ue\n");
    // Back-references in ERE, and one to a group that did not take part never matches.
    r(&["-E", "s/(a)\\1/X/"], "aa\n").ok("X\n");
    r(&["-E", "s/(a)|b\\1/X/g"], "b\n").ok("b\n");
}

#[test]
fn odd_input() {
    let r = |args: &[&str], input: &[u8]| cmd("sed").args(args).stdin(input).run();
    // NUL is a byte like any other (BusyBox's C strings cut the line there).
    r(&["s/b/X/"], b"a\0b\n").ok(b"a\0X\n");
    r(&["-n", "/b/p"], b"a\0b\nc\n").ok(b"a\0b\n");
    r(&["s/./X/g"], b"\xff\xfe\n").ok("XX\n");
    r(&["p"], b"").ok("");
    let mut long = vec![b'a'; 3 << 20];
    long.push(b'\n');
    let o = r(&["s/a*/x/"], &long);
    assert_eq!(o.stdout, b"x\n");
    let o = r(&["-E", "s/(a*)*$/<\\1>/"], &long);
    assert_eq!(o.stdout.len(), (3 << 20) + 3);
    let o = r(&["s/a/b/g"], &long);
    assert_eq!(o.stdout.iter().filter(|&&b| b == b'b').count(), 3 << 20);
}

#[test]
fn list_line_length() {
    // GNU's -l N / --line-length=N and `l N` (BusyBox has neither): N-1 columns and a `\`.
    let input = "aaaaaaaaaaaaaaaaaaaa\tb\n";
    let ten = "aaaaaaaaa\\\naaaaaaaaa\\\naa\\tb$\n";
    cmd("sed")
        .args(["-n", "-l", "10", "l"])
        .stdin(input)
        .run()
        .ok(ten);
    cmd("sed")
        .args(["-n", "--line-length=10", "l"])
        .stdin(input)
        .run()
        .ok(ten);
    cmd("sed")
        .args(["-n", "l 5"])
        .stdin(input)
        .run()
        .ok("aaaa\\\naaaa\\\naaaa\\\naaaa\\\naaaa\\\n\\tb$\n");
    // 0: never wrap; `l 0` overrides -l.
    cmd("sed")
        .args(["-n", "-l", "0", "l"])
        .stdin(input)
        .run()
        .ok("aaaaaaaaaaaaaaaaaaaa\\tb$\n");
    cmd("sed")
        .args(["-n", "-l", "5", "l 0"])
        .stdin(input)
        .run()
        .ok("aaaaaaaaaaaaaaaaaaaa\\tb$\n");
    // The default stays 70.
    let long = "x".repeat(80) + "\n";
    let want = format!("{}\\\n{}$\n", "x".repeat(69), "x".repeat(11));
    cmd("sed").args(["-n", "l"]).stdin(long).run().ok(want);
    cmd("sed")
        .args(["-l", "x", "p"])
        .run()
        .fails(1, "sed: invalid number 'x'\n");
}
