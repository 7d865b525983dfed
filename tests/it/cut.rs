use crate::common::*;
use crate::textfiles::*;

// Where a line lacks a field of a multi-range list, BusyBox 1.35 prints an extra
// delimiter (see deliberate_differences): those lists get IN4, whose lines have all four
// fields or none.
const IN4: &[u8] = b"a:b:c:d\nd\ne:f:g:h\n:::\nabcdef\n\xff:\xfe::\nlast:no:new:line";
const IN: &[u8] = b"a:b:c\nd\ne:f:g:h\n::\nabcdef\na  b\tc\n  x y\n\xff:\xfe\nlast:no:newline";

#[test]
fn options_match_busybox() {
    for opts in [
        &["-d:", "-f2"][..],
        &["-d:", "-f1,3"],
        &["-d:", "-f3,1"],
        &["-d:", "-f2-"],
        &["-d:", "-f-2"],
        &["-d", ":", "-f", "1-2,3-4"],
        &["-d:", "-f1-", "-O", "XX"],
        &["-d:", "-f", "2,1-3", "-D"],
        &["-d:", "-f1", "-D"],
        &["-b2-4"],
        &["-c1,3,5-"],
        &["-c", "5-,1-2"],
        &["-b", "1-2,2-3"],
        &["-b", "2,1", "-D"],
        &["-b", "0"],
        &["-b", "-1"],
        &["-b", "2-1"],
        &["-b", "-"],
        &["-b", "2-", "-O", "X"],
        &["-b", "3", "-n"],
        &["-f2"],
        &["-f0"],
        &["-d", "ab", "-f1"],
        &["-d", "", "-f1"],
        &["-F", "2-"],
        &["-F", "1"],
        &["-d", "[0-9]+", "-F", "2,3"],
        &["-d", ":", "-F", "2", "-O", "X"],
        &["-d", "a*b", "-F", "1-2"],
        &["-d", "[^a-z]+", "-F", "2-"],
        &["-d", "[[:digit:]]", "-F", "2"],
        &["-d", "[.]", "-F", "3"],
        &["-d", "x+", "-F", "1-2", "-D"],
        // The whole ERE (src/regex): alternation, groups, intervals, `^` never matching
        // (REG_NOTBOL), back-references.
        &["-d", "b|:", "-F", "1-"],
        &["-d", "(:|f)+", "-F", "2"],
        &["-d", ":{2}", "-F", "1-"],
        &["-d", "^a", "-F", "1-"],
        &["-d", "c|^a", "-F", "1-"],
        &["-d", "(.)\\1", "-F", "1-"],
        &["-d", "[[:space:]]", "-F", "2"],
        &["-d", "[a-c]", "-F", "1-", "-O", "|"],
        &["-d", "(", "-F", "1"],
        // Errors.
        &[],
        &["-b1", "-f1"],
        &["-f", "3-1"],
        &["-f", "5-2"],
        &["-f", "a"],
        &["-f", ""],
        &["-f", "99999999999999999999"],
        &["-s", "-b1"],
        &["-Q"],
    ] {
        let multi = opts
            .iter()
            .any(|o| o.contains(',') && (o.contains('f') || o.contains('F')))
            || opts
                .windows(2)
                .any(|w| (w[0] == "-f" || w[0] == "-F") && w[1].contains(','));
        same("cut", opts, if multi { IN4 } else { IN }, files);
    }
    // (NUL bytes: see deliberate_differences.)
    for f in ["f1", "nonl", "crlf", "bad", "empty", "blank", "words"] {
        same("cut", &["-b", "2-3", f], b"", files);
        same("cut", &["-d", " ", "-f", "2", f], b"", files);
    }
    same("cut", &["-c1", "f1", "nope", "nonl"], b"", files);
}

#[test]
fn deliberate_differences() {
    // BusyBox 1.35 prints a delimiter for a field the line lacks ("a:" here), and an empty
    // line despite -s; later BusyBox and GNU print "a" and drop the empty line.
    cmd("cut")
        .args(["-d:", "-f1,3"])
        .stdin("a:b\n")
        .run()
        .ok("a\n");
    cmd("cut")
        .args(["-d:", "-f2,3"])
        .stdin("a:b\n")
        .run()
        .ok("b\n");
    cmd("cut")
        .args(["-d:", "-s", "-f2"])
        .stdin("a:b\n\nc\n")
        .run()
        .ok("b\n");
    // An empty match of -F's delimiter is stepped over; BusyBox loops forever there.
    cmd("cut")
        .args(["-d", "x*", "-F", "1-"])
        .stdin("axxb\nab\n")
        .run()
        .ok("a b\nab\n");
    cmd("cut")
        .args(["-d", "\\<", "-F", "1"])
        .stdin("ab cd\n")
        .run()
        .ok("ab cd\n");
    // An unclosed interval is literal, as in grep -E (src/regex follows GNU there); glibc's
    // regcomp, which BusyBox's cut calls, rejects it.
    cmd("cut")
        .args(["-d", "a{1", "-F", "2"])
        .stdin("xa{1y\n")
        .run()
        .ok("y\n");
    // `$` matches at the end of the line (BusyBox's REG_NOTEOL never lets it): the engine
    // has no not-at-end flag, and a delimiter anchored at the end is of no use.
    cmd("cut")
        .args(["-d", "a$", "-F", "1-"])
        .stdin("xa\n")
        .run()
        .ok("x\n");
    // --output-delimiter as GNU spells -O.
    cmd("cut")
        .args(["-d:", "-f1,2", "--output-delimiter=--"])
        .stdin("a:b\n")
        .run()
        .ok("a--b\n");
    // NUL bytes stay bytes of the line (BusyBox ends lines there); CRLF is kept.
    cmd("cut")
        .args(["-d,", "-f2"])
        .stdin(b"a\0,b\0\n")
        .run()
        .ok(b"b\0\n");
    cmd("cut")
        .args(["-d,", "-f2"])
        .stdin("a,b\r\n")
        .run()
        .ok("b\r\n");
}

#[test]
fn big_input_and_long_line() {
    let t = text(2 << 20);
    same("cut", &["-d", " ", "-f", "2-3"], &t, |_| {});
    same("cut", &["-b", "3-9"], &t, |_| {});
    let mut long = b"x,".to_vec();
    long.extend(std::iter::repeat_n(b'y', 3 << 20));
    long.extend_from_slice(b",z");
    let mut want = vec![b'y'; 3 << 20];
    want.push(b'\n');
    cmd("cut").args(["-d,", "-f2"]).stdin(&long).run().ok(&want);
}

#[test]
fn write_errors_and_closed_pipes() {
    dev_full("cut", &["-b1", "f1"], b"");
    closed_pipe("cut", &["-b1-3"], text(4 << 20));
}
