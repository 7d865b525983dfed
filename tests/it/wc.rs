use crate::common::*;
use crate::textfiles::*;

#[test]
fn options_match_busybox() {
    let all = [
        "f1", "nonl", "empty", "crlf", "nul", "bad", "blank", "words",
    ];
    for opts in [
        &[][..],
        &["-l"],
        &["-w"],
        &["-c"],
        &["-m"],
        &["-L"],
        &["-lw"],
        &["-cl"],
        &["-lwcmL"],
        &["-L", "-w"],
    ] {
        for f in all {
            let mut a = opts.to_vec();
            a.push(f);
            same("wc", &a, b"", files);
        }
        let mut a = opts.to_vec();
        a.extend(all);
        same("wc", &a, b"", files);
        same("wc", opts, b"stdin has\ttwo lines\nand no newline", files);
        let mut a = opts.to_vec();
        a.extend(["-", "f1"]);
        same("wc", &a, b"x y\n", files);
    }
    for input in [
        &b"a\x00b c\x01d\xa0e\n"[..],
        b"ab\x0bcd\x0ce\n",
        b"abc\rde\n",
        b"\t\tx  y\n",
        b"x\n\nyyyy",
        b"\xc3\xa9t\xc3\xa9\n",
        b"",
    ] {
        same("wc", &["-lwcmL"], input, files);
    }
    same("wc", &["f1", "nope", "nonl"], b"", files);
    same("wc", &["dir", "f1"], b"", files);
    same("wc", &["-x"], b"", files);
}

#[test]
fn utf8_locale_counts_characters() {
    // Under a UTF-8 locale -m counts characters (continuation bytes are not), as BusyBox's
    // unicode build does; in the C locale (the tests' default) bytes.
    for lc in ["C.UTF-8", "C"] {
        let a = cmd("wc")
            .arg("-mc")
            .env("LC_ALL", lc)
            .stdin("h\u{e9}llo\n\u{fffd}\n")
            .run();
        if has_busybox() {
            let b = bb("wc")
                .arg("-mc")
                .env("LC_ALL", lc)
                .stdin("h\u{e9}llo\n\u{fffd}\n")
                .run();
            a.same_as(&b);
        }
    }
    cmd("wc")
        .arg("-m")
        .env("LC_ALL", "C.UTF-8")
        .stdin("h\u{e9}\n")
        .run()
        .ok("3\n");
}

#[test]
fn big_input_and_long_line() {
    let t = text(3 << 20);
    let lines = t.iter().filter(|&&b| b == b'\n').count();
    let words = t
        .split(|&b| b == b' ' || b == b'\n')
        .filter(|w| !w.is_empty())
        .count();
    cmd("wc")
        .stdin(&t)
        .run()
        .ok(format!("{lines:>9} {words:>9} {:>9}\n", t.len()));
    let long = vec![b'x'; 5 << 20];
    cmd("wc")
        .arg("-L")
        .stdin(&long)
        .run()
        .ok(format!("{}\n", 5 << 20));
    // -c of a regular file comes from its size, from the current offset.
    let d = Dir::new();
    d.write("t", &t);
    d.cmd("wc")
        .args(["-c", "t"])
        .run()
        .ok(format!("{} t\n", t.len()));
}

#[test]
fn write_errors_and_closed_pipes() {
    dev_full("wc", &["f1"], b"");
    closed_pipe("wc", &["-l"], text(1 << 20));
}
