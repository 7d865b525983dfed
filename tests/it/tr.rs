use crate::common::*;
use crate::textfiles::*;

const IN: &[u8] = b"Hello, World!\naabbcc  dd\t\tx\n\0\x01\xff\xfe\r\n0123 a-b=c]d\\e\n";

#[test]
fn options_match_busybox() {
    for args in [
        &["a-z", "A-Z"][..],
        &["A-Z", "a-z"],
        &["a-y", "b-z"],
        &["a"],
        &["-d", "l"],
        &["-s", "l"],
        &["-cd", "a-z"],
        &["-c", "a-z", "X"],
        &["-s", "a-c"],
        &["-s", "ab", "xy"],
        &["-ds", "l", "o"],
        &["abc", "x"],
        &["[:lower:]", "[:upper:]"],
        &["[:upper:]", "[:lower:]"],
        &["[:digit:]", "#"],
        &["[:space:]", "_"],
        &["-d", "[:punct:]"],
        &["-d", "[:cntrl:]"],
        &["-d", "[:alnum:]"],
        &["-s", "[:blank:]"],
        &["[:xdigit:]", "X"],
        &["[=a=]", "x"],
        &["\\141", "X"],
        &["\\t\\n", " _"],
        &["\\000\\377", "XY"],
        &["\\\\", "/"],
        &["c-a", "x"],
        &["[:foo:]", "x"],
        &["a-", "x"],
        &["--", "-a", "x"],
        &["", "x"],
        &["a", ""],
        &["]", "x"],
        &["a-c", "\\n"],
        &["Hello", "abc"],
        &["a", "b", "c"],
        &["-c", "l", "-d"],
        &[],
        &["-d"],
        &["-x", "a"],
    ] {
        same("tr", args, IN, files);
        same("tr", args, b"", files);
    }
}

#[test]
fn print_and_graph_classes() {
    // BusyBox 1.35 lacks [:print:] and [:graph:] (it takes them as their letters); POSIX
    // has them.
    cmd("tr")
        .args(["-cd", "[:print:]"])
        .stdin("a\tb\x01 c\n")
        .run()
        .ok("ab c");
    cmd("tr")
        .args(["-d", "[:graph:]"])
        .stdin("a\tb\x01 c\n")
        .run()
        .ok("\t\x01 \n");
}

#[test]
fn repeats_in_string2() {
    // [c*n] and [c*] (POSIX, GNU): beyond BusyBox 1.35, which takes the brackets
    // literally.
    cmd("tr")
        .args(["a-e", "[x*2]y"])
        .stdin("abcde\n")
        .run()
        .ok("xxyyy\n");
    cmd("tr")
        .args(["a-e", "[x*]yz"])
        .stdin("abcde\n")
        .run()
        .ok("xxxyz\n");
    cmd("tr")
        .args(["a-e", "[x*010]"])
        .stdin("abcde\n")
        .run()
        .ok("xxxxx\n");
    cmd("tr")
        .args(["a-d", "A[-*]"])
        .stdin("abcd\n")
        .run()
        .ok("A---\n");
}

#[test]
fn big_input() {
    let t = text(3 << 20);
    let up: Vec<u8> = t.iter().map(|b| b.to_ascii_uppercase()).collect();
    cmd("tr").args(["a-z", "A-Z"]).stdin(&t).run().ok(&up);
    same("tr", &["-d", "aeiou"], &t, |_| {});
    same("tr", &["-s", "a-z"], &t, |_| {});
    same("tr", &["-cs", "a-z", "\\n"], &t, |_| {});
}

#[test]
fn write_errors_and_closed_pipes() {
    dev_full("tr", &["a", "b"], b"abc");
    closed_pipe("tr", &["a", "b"], text(4 << 20));
    closed_pipe("tr", &["-d", "a"], text(4 << 20));
}
