use crate::common::*;

fn none(_: &Dir) {}

#[test]
fn like_busybox() {
    let cases: &[(&[u8], &[&str])] = &[
        (b"a b c\nd e\n", &[]),
        (b"a b c\nd e\n", &["-s", "8", "echo"]),
        (b"a b c\nd e\n", &["-x", "-s", "8", "echo"]),
        (b"abcdefghij k\n", &["-s", "8", "echo"]),
        (b"x", &["-s", "3", "echo"]),
        (b"a\0_\0b\0", &["-0", "-E", "_", "echo"]),
        (b"a\0b\0\0c", &["-0", "-n1", "echo"]),
        (b"a\nb\n", &["-0", "echo"]),
        (b"  x y \n\n  z\n", &["-I{}", "echo", "[{}]"]),
        (b"a\nb\n", &["-I", "%", "sh", "-c", "echo %; exit 3"]),
        (b"1\n2\n", &["-I{}", "-E", "2", "echo", "{}"]),
        (b"a\n", &["-i", "echo", "{}", "x"]),
        (b"a\n", &["-iZ", "echo", "Z", "x"]),
        (b"a 'b c' \"d\\\\e\" f\\ g '' h\n", &["-n1", "echo"]),
        (b"a\\\nb", &["echo"]),
        (b"a 'b\n", &["echo"]),
        (b"a \"b\n", &["echo"]),
        (b"'", &["echo"]),
        (b"a\n", &["sh", "-c", "exit 255"]),
        (b"a\n", &["sh", "-c", "kill -9 $$"]),
        (b"a\n", &["nosuch"]),
        (b"a\n", &["/etc/passwd"]),
        (b"1\n2\n3\n", &["-n1", "sh", "-c", "exit $0"]),
        (
            b"1\n2\n3\n",
            &["-n1", "sh", "-c", "exit $((255 * ($0 == 2)))"],
        ),
        (b"", &[]),
        (b"", &["-r", "echo", "x"]),
        (b"  \n\t\n", &["-r", "echo", "x"]),
        (b"a b\n", &["-t", "echo"]),
        (b"a b c d", &["-n", "2", "-t", "echo"]),
        (b"x _ y\n", &["echo"]),
        (b"x _ y\n", &["-E", "_", "echo"]),
        (b"x _ y\n", &["-e_", "echo"]),
        (b"x _ y\n", &["-e", "echo"]),
        (b"x _ y\n", &["-E", "", "echo"]),
        (b"a\n", &["-s", "0", "echo"]),
        (b"a\n", &["-n", "0", "echo"]),
        (b"a\n", &["-P", "x", "echo"]),
        (b"1 2 3 4 5 6 7\n", &["-n", "2"]),
        (b"1 2 3 4 5 6 7\n", &["-n", "3", "-P", "1", "echo"]),
        (b"a", &["-a", "/nope", "echo"]),
        (b"a\n", &["-z"]),
        (b"\xff\xfe sp\\ ace\n", &["-n1", "echo"]),
    ];
    for (input, args) in cases {
        same("xargs", args, input, none);
    }
    same("xargs", &["-a", "f", "echo"], b"ignored", |d| {
        d.write("f", "from file\n");
    });
}

#[test]
fn parallel() {
    // Order varies between runs; the set of lines and the status do not.
    let o = cmd("xargs")
        .args([
            "-n",
            "1",
            "-P",
            "4",
            "sh",
            "-c",
            "echo $0; exit $(($0 % 3 == 0))",
        ])
        .stdin("1 2 3 4 5 6 7 8 9\n")
        .run();
    assert_eq!(o.code, 123);
    let mut l: Vec<&str> = o.out().leak().lines().collect();
    l.sort();
    assert_eq!(l, ["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    let o = cmd("xargs")
        .args(["-n", "1", "-P", "0", "echo"])
        .stdin("a b c\n")
        .run();
    assert_eq!((o.code, o.out().lines().count()), (0, 3));
}

#[test]
fn big_input_many_commands() {
    // 20,000 words of 9 bytes: several command lines of at most 30,720 bytes each.
    let mut input = Vec::new();
    for i in 0..20000 {
        input.extend_from_slice(format!("w{i:07}\n").as_bytes());
    }
    let o = cmd("xargs").stdin(&input).run();
    assert_eq!(o.code, 0);
    let words: Vec<&str> = o.out().leak().split_whitespace().collect();
    assert_eq!(words.len(), 20000);
    assert!(o.out().lines().count() > 1);
    assert!(o.out().lines().all(|l| l.len() < 30720));
}

#[test]
fn prompt_needs_a_terminal() {
    // -p asks on /dev/tty; without one it fails as BusyBox does.
    let o = cmd("xargs").args(["-p", "echo"]).stdin("a\n").run();
    if std::fs::File::open("/dev/tty").is_err() {
        assert_eq!(o.code, 1);
        assert!(
            o.err()
                .starts_with("echo a ?...xargs: can't open '/dev/tty': "),
            "{}",
            o.err()
        );
    }
}
