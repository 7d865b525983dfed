//! test, [ and [[.

use crate::common::*;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

/// A directory with one of each kind of file the primaries look at.
fn fixtures() -> Dir {
    let d = Dir::new();
    d.write("f", "data");
    d.write("empty", "");
    d.mkdir("d");
    std::os::unix::fs::symlink("f", d.join("l")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.join("dangling")).unwrap();
    let fifo = std::ffi::CString::new(d.join("p").as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    std::mem::forget(std::os::unix::net::UnixListener::bind(d.join("sock")).unwrap());
    use std::os::unix::fs::PermissionsExt;
    for (name, mode) in [
        ("suid", 0o4755),
        ("sgid", 0o2755),
        ("sticky", 0o1777),
        ("x", 0o755),
        ("none", 0o000),
        ("ox", 0o001),
    ] {
        let p = d.write(name, "#");
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    // Whole seconds apart: BusyBox compares seconds only.
    let old = std::fs::File::options()
        .write(true)
        .open(d.write("old", "o"))
        .unwrap();
    old.set_modified(std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000))
        .unwrap();
    d
}

fn os(s: &[u8]) -> OsString {
    OsString::from_vec(s.to_vec())
}

/// rbox and BusyBox agree on status, stdout and stderr for `name args` run in `d`.
#[track_caller]
fn agree(d: &Dir, name: &str, args: &[&[u8]]) {
    let args: Vec<OsString> = args.iter().map(|a| os(a)).collect();
    let a = d.cmd(name).args(&args).run();
    let b = d.bb(name).args(&args).run();
    assert_eq!(
        (a.code, a.err(), a.out()),
        (b.code, b.err(), b.out()),
        "{name} {args:?} (left: rbox, right: busybox)"
    );
}

/// Splits a case written as a shell-ish line on spaces; `''` is an empty argument.
fn words(s: &str) -> Vec<&[u8]> {
    s.split(' ')
        .map(|w| if w == "''" { &b""[..] } else { w.as_bytes() })
        .collect()
}

#[test]
fn table_against_busybox() {
    if !has_busybox() {
        return;
    }
    let d = fixtures();
    let cases = [
        // Arity 0-4: POSIX's rules, where BusyBox follows them.
        "",
        "''",
        "a",
        "!",
        "-n",
        "-z",
        "-f",
        "(",
        ")",
        "-a",
        "-o",
        "! ''",
        "! a",
        "! !",
        "! -f",
        "-n ''",
        "-n a",
        "-z ''",
        "-z a",
        "a b",
        "( )",
        "a = a",
        "a = b",
        "a == a",
        "a != b",
        "( = (",
        "! = !",
        "-n = -n",
        "! a = a",
        "! ! a = a",
        "! ! ! a = b",
        "( a )",
        "( '' )",
        "( ! x )",
        "! ( a )",
        "a -a b",
        "a -a ''",
        "'' -o a",
        "'' -o ''",
        "a -a !",
        "! ! a",
        // Files.
        "-e f",
        "-e missing",
        "-e ''",
        "-f f",
        "-f d",
        "-f l",
        "-f p",
        "-d d",
        "-d f",
        "-h l",
        "-L l",
        "-L f",
        "-L dangling",
        "-e dangling",
        "-p p",
        "-p f",
        "-S sock",
        "-S f",
        "-c /dev/null",
        "-c f",
        "-b /dev/null",
        "-b d",
        "-s f",
        "-s empty",
        "-s d",
        "-s missing",
        "-u suid",
        "-u x",
        "-g sgid",
        "-g x",
        "-k sticky",
        "-k x",
        "-r f",
        "-r none",
        "-w none",
        "-x none",
        "-x ox",
        "-x x",
        "-x d",
        "-r missing",
        "-O f",
        "-G f",
        "-O missing",
        "f -nt old",
        "old -nt f",
        "f -ot old",
        "old -ot f",
        "f -nt missing",
        "missing -ot f",
        "f -nt f",
        "f -ef l",
        "f -ef f",
        "f -ef old",
        "f -ef missing",
        "d/. -ef d",
        // Strings compare as bytes.
        "a < b",
        "b < a",
        "a > b",
        "B < a",
        "'' < a",
        "abc = abc",
        "abc != abc",
        // Integers.
        "1 -eq 1",
        "1 -eq 2",
        "1 -ne 2",
        "2 -gt 1",
        "1 -ge 1",
        "1 -lt 2",
        "2 -le 1",
        "-1 -lt 0",
        "+5 -eq 5",
        "010 -eq 10",
        "-0 -eq 0",
        "9223372036854775807 -gt 9223372036854775806",
        "-9223372036854775808 -lt 0",
        "9223372036854775808 -gt 0",
        "-9223372036854775809 -lt 0",
        "99999999999999999999 -eq 1",
        "99999999999999999999x -eq 1",
        "2147483648 -gt 2147483647",
        "abc -eq 1",
        "1 -eq abc",
        "abc -eq def",
        "'' -eq 0",
        "- -eq 0",
        "+ -eq 0",
        "0x10 -eq 16",
        "1.5 -eq 1",
        "1e3 -eq 1000",
        // Longer expressions: BusyBox's grammar.
        "a -a b -a c",
        "a -a '' -o c",
        "'' -o '' -o ''",
        "a -o b -a ''",
        "! a -o b -a c",
        "( a -o '' ) -a b",
        "( ( ( a ) ) )",
        "( ( ( '' ) ) )",
        "! ( a = b ) -a -f f",
        "-f f -a -d d -a ! -e missing",
        "-f missing -o -d d",
        "1 -lt 2 -a 3 -gt 2",
        "1 -lt 2 -a x -gt 2",
        "a = a -o a -eq b",
        "-n a -a -z ''",
        "x -a ( y )",
        "( a b",
        "( a",
        "( a -a",
        "a -a -a b",
        "a -a",
        "-f f f f",
        "a = b c",
        "3 -lt 5 6",
        "-t 1 2",
        "a b c d e",
        "a -o b c d e",
        "! ! ! ! a",
        "! ! ! ! ''",
        "a = ",
        "a -eq",
        "-z a b",
        "( ) ( ) ( )",
        "-t x",
        "-t ''",
        "-t 99999999999",
        "-t 4294967296",
        "-t 0",
        "-t -1",
        "-t 99999999999999999999",
        "=~ =~ =~",
        "a =~ a",
        "a && b",
        "a || b",
    ];
    for c in cases {
        let w = if c.is_empty() { vec![] } else { words(c) };
        agree(&d, "test", &w);
        let mut b = w.clone();
        b.push(b"]");
        agree(&d, "[", &b);
    }
}

#[test]
fn double_bracket_against_busybox() {
    if !has_busybox() {
        return;
    }
    let d = fixtures();
    for c in [
        "",
        "a",
        "''",
        "!",
        "a = a*",
        "abc == a?c",
        "abc = a[b]c",
        "abc != a*",
        "a* = a\\*",
        "ab = a",
        "a = [",
        "abc =~ b+",
        "abc =~ ^b",
        "abc =~ ^a.c$",
        "abc =~ (",
        "a && b",
        "a && ''",
        "'' || b",
        "'' || ''",
        "a && b && c",
        "a || b && ''",
        "( a ) && b",
        "! a && b",
        "a -a b",
        "a -o b",
        "a && ",
        "&&",
        "=~",
        "-f f && -d d",
        "a < b",
        "1 -eq 1 && 2 -lt 3",
        "a = a a",
    ] {
        let mut w = if c.is_empty() { vec![] } else { words(c) };
        w.push(b"]]");
        agree(&d, "[[", &w);
    }
    // Shell patterns, against glibc's fnmatch in BusyBox.
    let pats = [
        "*",
        "?",
        "a*c",
        "*b*",
        "a?c",
        "[abc]",
        "[!a]",
        "[^a]",
        "[a-c]",
        "[z-a]",
        "[]]",
        "[]a]",
        "[!]]",
        "[a-]",
        "[-a]",
        "[",
        "a[",
        "[a",
        "[[:alpha:]]",
        "[[:digit:]x]",
        "[![:upper:]]",
        "[[:bogus:]b]",
        "[b[:bogus:]]",
        "[a-[:digit:]]",
        "[[.a.]-c]",
        "[a-[.c.]]",
        "[[=a=]-c]",
        "[[.ab.]]",
        "\\*",
        "a\\",
        "\\",
        "[\\]]",
        "[a\\-c]",
        "*[[:space:]]*",
        "[[:punct:]]",
        "**",
        "*?*?",
    ];
    for p in pats {
        for s in [
            "", "a", "abc", "b", "-", "]", "[", "*", "\\", "a b", "A", "5", "a\\", "é",
        ] {
            agree(&d, "[[", &[s.as_bytes(), b"=", p.as_bytes(), b"]]"]);
        }
    }
    agree(&d, "[[", &[b"\xff", b"=", b"?", b"]]"]);
    agree(&d, "[[", &[b"\xc3\xa9", b"=", b"?", b"]]"]);
    agree(&d, "[[", &[b"\xc3\xa9", b"=", b"??", b"]]"]);
    agree(&d, "[[", &[b"\xe9", b"=", b"[\xe0-\xef]", b"]]"]);
    agree(&d, "[[", &[b"a", b"==", b"a", b"]]"]);
}

#[test]
fn messages() {
    run("test", &["abc", "-eq", "1"]).fails(2, "test: abc: bad number\n");
    run("test", &["1", "-lt", "0x1"]).fails(2, "test: 0x1: bad number\n");
    // An empty operand is not named.
    run("test", &["", "-eq", "0"]).fails(2, "test: bad number\n");
    run("test", &["99999999999999999999", "-eq", "1"])
        .fails(2, "test: 99999999999999999999: out of range\n");
    run("test", &["a", "b"]).fails(2, "test: b: unknown operand\n");
    // ...but an unknown operand is, even when empty.
    run("test", &["a", ""]).fails(2, "test: : unknown operand\n");
    run("test", &["a", "=", "b", "c"]).fails(2, "test: c: unknown operand\n");
    run("test", &["a", "-a"]).fails(2, "test: argument expected\n");
    run("test", &["a", "-a", "b", "-o"]).fails(2, "test: argument expected\n");
    run("test", &["x", "=", "y", "-a", "b", "="]).fails(2, "test: =: argument expected\n");
    run("test", &["(", "a", "b"]).fails(2, "test: closing paren expected\n");
    run("[", &["1"]).fails(2, "[: missing ]\n");
    run("[", &[]).fails(2, "[: missing ]\n");
    run("[", &["1", "]]"]).fails(2, "[: missing ]\n");
    run("[[", &["1", "]"]).fails(2, "[[: missing ]]\n");
    run("[[", &[]).fails(2, "[[: missing ]]\n");
    run("[", &["1", "]"]).ok("");
    run("[", &["]"]).code(1);
    run("[", &["]", "]"]).ok("");
    run("[[", &["]]"]).code(1);
    run("[[", &["a", "-a", "b", "]]"]).fails(2, "[[: -a: unknown operand\n");
    run("[", &["a", "&&", "b", "]"]).fails(2, "[: &&: unknown operand\n");
    // `rbox [ ...` dispatches on the name too.
    cmd("rbox").args(["[", "a", "]"]).run().ok("");
    cmd("rbox")
        .args(["[", "a"])
        .run()
        .fails(2, "[: missing ]\n");
}

#[test]
fn help_is_an_ordinary_argument() {
    run("test", &["--help"]).ok("");
    run("test", &["--help", "=", "--help"]).ok("");
    run("[", &["--help", "]"]).ok("");
    run("[", &["--help"]).fails(2, "[: missing ]\n");
}

#[test]
fn posix_argument_count_rules() {
    // POSIX decides 0-4 arguments by count. BusyBox 1.35 gets these wrong (a syntax error
    // or another grouping); rbox answers as POSIX, bash and coreutils do.
    // 4 args `( $2 $3 )`: the two-argument test (BusyBox: "closing paren expected").
    run("test", &["(", "-n", "x", ")"]).ok("");
    run("test", &["(", "-z", "x", ")"]).code(1);
    run("test", &["!", "(", "-z", "x", ")"]).ok("");
    run("[", &["(", "-f", "/nonexistent", ")", "]"]).code(1);
    // 3 args `( $2 )`: the one-argument test of $2.
    run("test", &["(", "-n", ")"]).ok("");
    run("test", &["(", "!", ")"]).ok("");
    // 3 args with -a/-o in the middle: a binary primary on two strings.
    run("test", &["-n", "-a", "-z"]).ok("");
    run("test", &["-e", "-a", "-e"]).ok("");
    run("test", &["!", "-a", ""]).code(1);
    run("test", &["", "-o", "("]).ok("");
    // 4 args `! $2 $3 $4`: the negated three-argument test (BusyBox: `(! '') -a ''`).
    run("test", &["!", "", "-a", ""]).ok("");
    run("test", &["!", "a", "-o", "-L"]).code(1);
}

#[test]
fn integers_are_64_bit() {
    run(
        "test",
        &["9223372036854775807", "-eq", "9223372036854775807"],
    )
    .ok("");
    run(
        "test",
        &["-9223372036854775808", "-lt", "-9223372036854775807"],
    )
    .ok("");
    run("test", &["9223372036854775808", "-gt", "0"])
        .fails(2, "test: 9223372036854775808: out of range\n");
    run("test", &["-9223372036854775809", "-lt", "0"])
        .fails(2, "test: -9223372036854775809: out of range\n");
    // strtoll's blanks around the number are fine, others are not.
    run("test", &[" \t12\n ", "-eq", "12"]).ok("");
    run("test", &["1 2", "-eq", "1"]).fails(2, "test: 1 2: bad number\n");
    run("test", &["   ", "-eq", "0"]).fails(2, "test:    : bad number\n");
    // The left operand is checked first.
    run("test", &["x", "-eq", "y"]).fails(2, "test: x: bad number\n");
}

#[test]
fn non_utf8_bytes() {
    let hi = OsStr::from_bytes(b"\xff");
    cmd("test").arg(hi).arg("=").arg(hi).run().ok("");
    cmd("test").arg(hi).arg(">").arg("a").run().ok("");
    cmd("test").arg(hi).arg("<").arg("a").run().code(1);
    cmd("test").arg("-n").arg(hi).run().ok("");
    cmd("test")
        .arg(OsStr::from_bytes(b"\xfe1"))
        .arg("-eq")
        .arg("1")
        .run()
        .fails(2, "test: \u{fffd}1: bad number\n");
    let d = Dir::new();
    let name = OsStr::from_bytes(b"n\xe9");
    std::fs::write(d.path.join(name), "x").unwrap();
    d.cmd("test").arg("-f").arg(name).run().ok("");
    d.cmd("[[")
        .arg(OsStr::from_bytes(b"a\xffb"))
        .arg("=")
        .arg(OsStr::from_bytes(b"a*"))
        .arg("]]")
        .run()
        .ok("");
    if has_busybox() {
        let d = fixtures();
        agree(&d, "test", &[b"\xff", b"<", b"\x7f"]);
        agree(&d, "test", &[b"\xc3\xa9", b">", b"z"]);
    }
}

#[test]
fn double_bracket_patterns_and_regex() {
    run("[[", &["abc", "=", "a*", "]]"]).ok("");
    run("[[", &["abc", "==", "b*", "]]"]).code(1);
    run("[[", &["abc", "!=", "b*", "]]"]).ok("");
    // `test` and `[` compare strings literally.
    run("test", &["abc", "=", "a*"]).code(1);
    run("[[", &["abc", "=~", "^a(b|x)c$", "]]"]).ok("");
    run("[[", &["abc", "=~", "x", "]]"]).code(1);
    // rbox's engine: back-references in ERE too (musl's regcomp had none).
    run("[[", &["xaa", "=~", "(a)\\1$", "]]"]).ok("");
    // A bad regex: status 2 and no message, as in BusyBox.
    run("[[", &["a", "=~", "(", "]]"]).fails(2, "");
    run("[[", &["a", "&&", "", "]]"]).code(1);
    run("[[", &["", "||", "b", "]]"]).ok("");
    run("[[", &["a", "&&", "b", "||", "", "]]"]).ok("");
}

#[test]
fn file_times_and_identity() {
    let d = fixtures();
    d.cmd("test").args(["f", "-nt", "old"]).run().ok("");
    d.cmd("test").args(["old", "-ot", "f"]).run().ok("");
    // A missing file is neither newer nor older (BusyBox 1.35).
    d.cmd("test").args(["f", "-nt", "missing"]).run().code(1);
    d.cmd("test").args(["missing", "-ot", "f"]).run().code(1);
    d.cmd("test").args(["l", "-ef", "f"]).run().ok("");
    d.cmd("test")
        .args(["-L", "l", "-a", "!", "-L", "f"])
        .run()
        .ok("");
}

#[test]
fn access_as_root_and_as_others() {
    // SAFETY: reads the effective uid.
    if unsafe { libc::geteuid() } != 0 {
        return;
    }
    let d = fixtures();
    // Root reads and writes anything, and executes what has any x bit.
    d.cmd("test").args(["-r", "none"]).run().ok("");
    d.cmd("test").args(["-w", "none"]).run().ok("");
    d.cmd("test").args(["-x", "none"]).run().code(1);
    d.cmd("test").args(["-x", "ox"]).run().ok("");
    d.cmd("test").args(["-x", "d"]).run().ok("");
    // As another user (setpriv), rbox and BusyBox judge by the same bits.
    let qemu = std::env::var_os("RBOX_TEST_RUNNER").is_some_and(|r| !r.is_empty());
    if qemu || !has_busybox() || !std::path::Path::new("/usr/bin/setpriv").exists() {
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&d.path, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut files = vec![];
    for (i, mode) in [
        0o000, 0o400, 0o040, 0o004, 0o200, 0o020, 0o002, 0o100, 0o010, 0o001,
    ]
    .into_iter()
    .enumerate()
    {
        let name = format!("m{i}");
        let p = d.write(&name, "#");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
        // Owner 65534 for the user bits, group 65534 for the group bits.
        let (u, g) = if mode & 0o700 != 0 {
            (65534, 0)
        } else if mode & 0o070 != 0 {
            (0, 65534)
        } else {
            (0, 0)
        };
        std::os::unix::fs::chown(&p, Some(u), Some(g)).unwrap();
        files.push(name);
    }
    for who in [
        ["--reuid=65534", "--regid=65534"],
        ["--reuid=1000", "--regid=65534"],
        ["--euid=65534", "--egid=1000"],
    ] {
        for f in &files {
            for op in ["-r", "-w", "-x", "-O", "-G"] {
                let run = |bin: std::path::PathBuf, pre: &[&str]| {
                    std::process::Command::new("/usr/bin/setpriv")
                        .args(who)
                        .arg("--clear-groups")
                        .arg(bin)
                        .args(pre)
                        .args([op, f.as_str()])
                        .current_dir(&d.path)
                        .status()
                        .unwrap()
                        .code()
                };
                assert_eq!(
                    run(applet_path("test"), &[]),
                    run(busybox().unwrap(), &["test"]),
                    "{who:?} test {op} {f}"
                );
            }
        }
    }
}

#[test]
fn deep_nesting_does_not_crash() {
    // 1,000 levels of parentheses work; deeper ones are refused, where BusyBox would
    // overflow its stack and die of SIGSEGV (it does at 30,000).
    let n = 1000;
    let mut a: Vec<&str> = vec!["("; n];
    a.push("x");
    a.extend(vec![")"; n]);
    run("test", &a).ok("");
    let n = 1001;
    let mut a: Vec<&str> = vec!["("; n];
    a.push("x");
    a.extend(vec![")"; n]);
    run("test", &a).fails(2, "test: expression too complex\n");
    let n = 50_000;
    let mut a: Vec<&str> = vec!["("; n];
    a.push("x");
    a.extend(vec![")"; n]);
    run("test", &a).fails(2, "test: expression too complex\n");
    // Long chains of ! and -a are loops, not recursion.
    let mut a = vec!["!"; 100_001];
    a.push("x");
    run("test", &a).code(1);
    a.remove(0);
    run("test", &a).ok("");
    let mut a = vec!["x"];
    for _ in 0..50_000 {
        a.extend(["-a", "x"]);
    }
    run("test", &a).ok("");
}
