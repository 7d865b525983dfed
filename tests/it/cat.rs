use crate::common::*;
use std::os::unix::ffi::OsStrExt;
use std::process::{Command, Stdio};

/// Every byte value, three times, then a last line without a newline.
fn odd_bytes() -> Vec<u8> {
    let mut v: Vec<u8> = (0..=255u8).collect();
    v.extend_from_slice(b"\n\n\na\tb\r\n\x00\x00\n\n");
    v.extend((0..=255u8).rev());
    v.extend_from_slice(b"last line");
    v
}

/// A few MB of varied bytes (an LCG: deterministic, no dependency).
fn big(n: usize) -> Vec<u8> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as u8
        })
        .collect()
}

fn files(d: &Dir) {
    d.write("odd", odd_bytes());
    let mut nonul = odd_bytes();
    nonul.retain(|&b| b != 0);
    d.write("nonul", nonul);
    d.write("nonl", "a\nb");
    d.write("c", "c\n\n");
    d.write("empty", "");
    d.mkdir("dir");
}

/// A shell command line that runs `applet` from rbox (`$1`) or BusyBox, for tests that
/// need redirections the helpers do not offer.
fn sh_cmd(busybox: bool, applet: &str) -> String {
    if busybox {
        format!("{} {applet}", busybox_path().display())
    } else {
        let p = applet_path(applet).display().to_string();
        match std::env::var("RBOX_TEST_RUNNER") {
            Ok(r) if !r.is_empty() => format!("{r} {p}"),
            _ => p,
        }
    }
}

fn busybox_path() -> std::path::PathBuf {
    busybox().unwrap_or_default()
}

/// `sh -c SCRIPT` in `d` with $CAT set to rbox's or BusyBox's cat.
fn sh(d: &Dir, busybox: bool, script: &str) -> Out {
    let o = Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("CAT", sh_cmd(busybox, "cat"))
        .current_dir(&d.path)
        .output()
        .unwrap();
    use std::os::unix::process::ExitStatusExt;
    Out {
        code: o
            .status
            .code()
            .unwrap_or_else(|| 128 + o.status.signal().unwrap_or(0)),
        stdout: o.stdout,
        stderr: o.stderr,
    }
}

#[test]
fn plain_copies_bytes_exactly() {
    let d = Dir::new();
    files(&d);
    d.cmd("cat").arg("odd").run().ok(odd_bytes());
    d.cmd("cat")
        .args(["nonl", "c", "nonl"])
        .run()
        .ok("a\nbc\n\na\nb");
    d.cmd("cat").arg("empty").run().ok("");
    // No operand and `-` are stdin, which may be named several times.
    cmd("cat").stdin("in\0put").run().ok("in\0put");
    d.cmd("cat")
        .args(["-", "nonl", "-"])
        .stdin("x")
        .run()
        .ok("xa\nb");
    // -u is accepted and ignored; `--` ends the options.
    d.cmd("cat").args(["-u", "--", "c"]).run().ok("c\n\n");
    for args in [
        &["odd", "nonl", "empty", "c"][..],
        &["-u", "nonl"],
        &["-", "c", "-"],
        &[],
    ] {
        same("cat", args, b"stdin\nno newline", files);
    }
}

#[test]
fn non_utf8_file_name() {
    let d = Dir::new();
    let name = std::ffi::OsStr::from_bytes(b"\xff\xfe.txt");
    d.write(name, "data\n");
    d.cmd("cat").arg(name).run().ok("data\n");
    d.cmd("cat")
        .arg(std::ffi::OsStr::from_bytes(b"no\xff"))
        .run()
        .fails(
            1,
            "cat: can't open 'no\u{fffd}': No such file or directory\n",
        );
}

#[test]
fn every_option_matches_busybox() {
    let sets: &[&[&str]] = &[
        &["-n"],
        &["-b"],
        &["-v"],
        &["-t"],
        &["-e"],
        &["-A"],
        &["-vn"],
        &["-vb"],
        &["-et"],
        &["-ne"],
        &["-Ab"],
        &["-bn"],
        &["-nb"],
        &["-tn"],
        &["-n", "-u"],
    ];
    for opts in sets {
        // NUL bytes only where rbox means to match: see nul_bytes_pass_through_numbering.
        let visible = opts.iter().any(|o| o.contains(['v', 'e', 't', 'A']));
        let mut args = opts.to_vec();
        args.push(if visible { "odd" } else { "nonul" });
        args.extend(["nonl", "c", "empty", "-", "nonl"]);
        same("cat", &args, b"from\n\nstdin", files);
        // Options after operands work too (GNU-style argument permutation, as BusyBox).
        let mut late = vec!["nonl"];
        late.extend_from_slice(opts);
        same("cat", &late, b"", files);
    }
}

#[test]
fn numbering_formats() {
    // -n: "%6u\t", numbering runs across files, every line ends with a newline.
    cmd("cat")
        .arg("-n")
        .stdin("a\n\nb")
        .run()
        .ok("     1\ta\n     2\t\n     3\tb\n");
    cmd("cat")
        .arg("-b")
        .stdin("a\n\nb")
        .run()
        .ok("     1\ta\n\n     2\tb\n");
    // With -v the number is followed by two spaces and the last newline is not added.
    cmd("cat")
        .arg("-vn")
        .stdin("a\n\nb")
        .run()
        .ok("     1  a\n     2  \n     3  b");
    cmd("cat")
        .arg("-vb")
        .stdin("a\n\nb")
        .run()
        .ok("     1  a\n\n     2  b");
    cmd("cat").arg("-n").stdin("").run().ok("");
    // Past six digits the field just grows.
    let many = "\n".repeat(1_000_001);
    let o = cmd("cat").arg("-n").stdin(&many).run();
    o.code(0);
    assert!(o.out().ends_with("999999\t\n1000000\t\n1000001\t\n"));
}

#[test]
fn visible_characters() {
    cmd("cat")
        .arg("-v")
        .stdin(b"\x01\x7f\x80\x89\x8a\xff\xa0\t\n")
        .run()
        .ok("^A^?M-^@M-^IM-^JM-^?M- \t\n");
    cmd("cat").arg("-t").stdin(b"a\tb\r\n").run().ok("a^Ib^M\n");
    cmd("cat")
        .arg("-e")
        .stdin(b"a\tb\n\n")
        .run()
        .ok("a\tb$\n$\n");
    cmd("cat").arg("-A").stdin(b"a\tb\n").run().ok("a^Ib$\n");
}

#[test]
fn nul_bytes_pass_through_numbering() {
    // Deliberate difference: BusyBox's -n/-b line reader ends a line at a NUL byte, so
    // `printf 'a\0b\n' | busybox cat -n` prints two numbered lines and loses the NUL.
    // rbox keeps the data intact (as GNU cat and POSIX nl do): a NUL is an ordinary byte.
    cmd("cat")
        .arg("-n")
        .stdin(b"a\0b\n\0\n")
        .run()
        .ok(b"     1\ta\0b\n     2\t\0\n");
    cmd("cat")
        .arg("-b")
        .stdin(b"\0\n\n")
        .run()
        .ok(b"     1\t\0\n\n");
    // With -v a NUL is shown as ^@, exactly as BusyBox does.
    same("cat", &["-vn"], b"a\0b\n\0\n", |_| {});
}

#[test]
fn bad_options() {
    same("cat", &["-x", "f"], b"", |_| {});
    cmd("cat")
        .arg("-q")
        .run()
        .fails_with(1, "cat: invalid option -- 'q'\n");
}

/// -s is an rbox addition (BusyBox 1.35 rejects it; the issue names it): runs of empty
/// lines become one, across files too, as GNU cat does; it combines with -n, -b and -v.
#[test]
fn squeeze_blank_lines() {
    let input = b"a\n\n\n\nb\n\nc\n\n\n";
    cmd("cat")
        .arg("-s")
        .stdin(input)
        .run()
        .ok(b"a\n\nb\n\nc\n\n");
    cmd("cat").arg("-s").stdin(b"\n\n\nx").run().ok(b"\nx");
    cmd("cat")
        .arg("-sn")
        .stdin(input)
        .run()
        .ok(b"     1\ta\n     2\t\n     3\tb\n     4\t\n     5\tc\n     6\t\n");
    cmd("cat")
        .arg("-sb")
        .stdin(input)
        .run()
        .ok(b"     1\ta\n\n     2\tb\n\n     3\tc\n\n");
    cmd("cat")
        .arg("-sA")
        .stdin(b"a\t\n\n\n\x01\n")
        .run()
        .ok(b"a^I$\n$\n^A$\n");
    cmd("cat")
        .arg("-se")
        .stdin(input)
        .run()
        .ok(b"a$\n$\nb$\n$\nc$\n$\n");
    // Across files: the blank at the end of one and the start of the next are one run.
    let d = Dir::new();
    d.write("x", "x\n\n");
    d.write("y", "\n\ny\n");
    d.cmd("cat").args(["-s", "x", "y"]).run().ok(b"x\n\ny\n");
    d.cmd("cat").args(["-sv", "x", "y"]).run().ok(b"x\n\ny\n");
    d.cmd("cat")
        .args(["-s", "nope"])
        .run()
        .fails(1, "cat: can't open 'nope': No such file or directory\n");
    // Without -s, the same input passes through untouched.
    cmd("cat").stdin(input).run().ok(input);
}

#[test]
fn missing_files_and_directories() {
    let d = Dir::new();
    files(&d);
    d.cmd("cat").args(["nope", "nonl", "dir", "c"]).run().fails(
        1,
        "cat: can't open 'nope': No such file or directory\n\
             cat: read error: Is a directory\n",
    );
    // The other files are still copied.
    let o = d.cmd("cat").args(["nope", "c"]).run();
    assert_eq!((o.code, o.out().as_str()), (1, "c\n\n"));
    // The messages of each mode are BusyBox's: -n/-b name a missing file without
    // "can't open".
    for opts in [&[][..], &["-v"], &["-n"], &["-b"], &["-A"], &["-nv"]] {
        let mut args = opts.to_vec();
        args.extend(["nope", "nonl", "nope2", "c"]);
        same("cat", &args, b"", files);
    }
    same("cat", &["dir", "nonl"], b"", files);
    same("cat", &["nonl", "dir/"], b"", files);
}

#[test]
fn directory_with_options_is_an_error() {
    // Deliberate difference: BusyBox's -n/-b take the read error on a directory (or a
    // closed stdin) for end of file and exit 0; its -v exits 1 without a word. rbox says
    // what went wrong in every mode, as plain `cat DIR` does in BusyBox too.
    let d = Dir::new();
    files(&d);
    for opt in ["-n", "-b", "-v", "-e", "-A"] {
        d.cmd("cat")
            .args([opt, "dir", "empty"])
            .run()
            .fails(1, "cat: read error: Is a directory\n");
    }
}

#[test]
fn closed_stdin() {
    let d = Dir::new();
    let a = sh(&d, false, "$CAT <&-");
    a.fails(1, "cat: read error: Bad file descriptor\n");
    if has_busybox() {
        a.same_as(&sh(&d, true, "$CAT <&-"));
    }
}

#[test]
fn write_errors() {
    let d = Dir::new();
    files(&d);
    // Plain copy: each file whose copy fails is reported, and cat goes on (BusyBox).
    let o = d
        .cmd("cat")
        .args(["nonl", "nope", "c"])
        .stdout_file("/dev/full")
        .run();
    o.fails(
        1,
        "cat: write error: No space left on device\n\
         cat: can't open 'nope': No such file or directory\n\
         cat: write error: No space left on device\n",
    );
    if has_busybox() {
        let b = d
            .bb("cat")
            .args(["nonl", "nope", "c"])
            .stdout_file("/dev/full")
            .run();
        o.same_as(&b);
    }
    // Through the buffered output (-n, -v): one message at the end. Deliberate
    // difference: BusyBox says "standard output: ..." and, for a single file, exits 0
    // though nothing was written; rbox uses its usual write error and exits 1.
    for opt in ["-n", "-v"] {
        d.cmd("cat")
            .args([opt, "nonl"])
            .stdout_file("/dev/full")
            .run()
            .fails(1, "cat: write error: No space left on device\n");
    }
    // Endless input must not keep cat busy once output has failed.
    d.cmd("cat")
        .args(["-v", "/dev/zero"])
        .stdout_file("/dev/full")
        .run()
        .fails(1, "cat: write error: No space left on device\n");
    d.cmd("cat")
        .arg("/dev/zero")
        .stdout_file("/dev/full")
        .run()
        .fails(1, "cat: write error: No space left on device\n");
}

#[test]
fn copy_paths_file_to_pipe_and_file() {
    let d = Dir::new();
    let data = big(5 << 20);
    d.write("big", &data);
    d.write("small", "tail\n");
    // file -> pipe (sendfile)
    let o = d.cmd("cat").args(["big", "small", "big"]).run();
    o.code(0);
    assert_eq!(o.stdout.len(), 2 * data.len() + 5);
    assert!(o.stdout[..data.len()] == data[..]);
    assert!(o.stdout[data.len() + 5..] == data[..]);
    // file -> regular file (copy_file_range), appended after what is there
    d.write("out", "");
    d.cmd("cat")
        .args(["small", "big", "empty-missing", "small"])
        .stdout_file(d.join("out"))
        .run()
        .fails(
            1,
            "cat: can't open 'empty-missing': No such file or directory\n",
        );
    let got = std::fs::read(d.join("out")).unwrap();
    assert_eq!(got.len(), data.len() + 10);
    assert!(got[5..5 + data.len()] == data[..] && got.starts_with(b"tail\n"));
    // /proc files claim size 0 (and cannot be copied by the kernel's file copy calls).
    let o = d.cmd("cat").arg("/proc/self/status").run();
    o.code(0);
    assert!(o.out().contains("Name:"), "{}", o.out());
    d.write("out2", "");
    d.cmd("cat")
        .arg("/proc/self/status")
        .stdout_file(d.join("out2"))
        .run()
        .ok("");
    assert!(std::fs::read_to_string(d.join("out2"))
        .unwrap()
        .contains("Name:"));
}

#[test]
fn copy_paths_pipe_to_pipe_and_file() {
    let d = Dir::new();
    let data = big(4 << 20);
    // pipe -> pipe (splice)
    let o = cmd("cat").stdin(&data).run();
    o.code(0);
    assert!(o.stdout == data);
    let o = cmd("cat").args(["-", "-"]).stdin(&data).run();
    assert!(o.stdout == data, "the second - finds the pipe at its end");
    // pipe -> file
    d.write("out", "");
    cmd("cat")
        .stdin(&data)
        .stdout_file(d.join("out"))
        .run()
        .ok("");
    assert!(std::fs::read(d.join("out")).unwrap() == data);
}

#[test]
fn copy_into_append_mode_file() {
    // O_APPEND output refuses copy_file_range, sendfile and splice: the fallback copies.
    let d = Dir::new();
    d.write("a", "one\n");
    d.write("b", "two\n");
    let o = sh(&d, false, "$CAT b >> a && printf 'x\\ny' | $CAT - b >> a");
    o.ok("");
    assert_eq!(std::fs::read(d.join("a")).unwrap(), b"one\ntwo\nx\nytwo\n");
}

#[test]
fn stdin_file_offset_is_respected() {
    // The kernel copy starts where the shell's `read` left stdin, not at byte 0.
    let d = Dir::new();
    d.write("in", "first\nsecond\nthird\n");
    d.write("out", "");
    let o = sh(&d, false, "{ read -r x; $CAT; } < in");
    o.ok("second\nthird\n");
    let o = sh(&d, false, "{ read -r x; $CAT > out; } < in; cat out");
    o.ok("second\nthird\n");
}

#[test]
fn input_is_output_as_busybox() {
    // Neither BusyBox nor rbox checks `cat f >> f`: the file grows until something stops
    // it. A file size limit stops both here (SIGXFSZ), at the same size.
    if !has_busybox() {
        return;
    }
    let mut sizes = Vec::new();
    for bb in [false, true] {
        let d = Dir::new();
        d.write("f", "hello\n");
        let o = sh(&d, bb, "ulimit -f 64; exec $CAT f >> f");
        let len = std::fs::metadata(d.join("f")).unwrap().len();
        sizes.push((o.code, len));
    }
    assert_eq!(sizes[0], sizes[1]);
    assert!(sizes[0].1 > 6);
    // `cat f > f` truncates first: nothing to copy.
    let d = Dir::new();
    d.write("f", "hello\n");
    sh(&d, false, "$CAT f > f").ok("");
    assert_eq!(std::fs::read(d.join("f")).unwrap(), b"");
}

#[test]
fn closed_pipe_ends_quietly() {
    let d = Dir::new();
    d.write("big", big(3 << 20));
    for (opts, stdin_pipe) in [
        (&[][..], false),
        (&["-n"][..], false),
        (&["-v"][..], false),
        (&[][..], true),
    ] {
        let mut c = d.cmd("cat").args(opts);
        if stdin_pipe {
            c = c.arg("-");
        } else {
            c = c.arg("big");
        }
        let mut child = c
            .cmd
            .stdin(if stdin_pipe {
                Stdio::from(std::fs::File::open(d.join("big")).unwrap())
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let head = Command::new("head")
            .args(["-c", "10"])
            .stdin(out)
            .output()
            .unwrap();
        assert_eq!(head.stdout.len(), 10);
        let o = child.wait_with_output().unwrap();
        assert!(
            o.stderr.is_empty(),
            "{opts:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!o.status.success());
    }
}

#[test]
fn pipe_input_through_options() {
    // Stdin from a real pipe (another process), not a file, with options.
    let d = Dir::new();
    let a = sh(
        &d,
        false,
        "printf 'a\\tb\\n\\nc' | $CAT -A - && printf 'x' | $CAT -n",
    );
    a.ok("a^Ib$\n$\nc     1\tx\n");
    if has_busybox() {
        a.same_as(&sh(
            &d,
            true,
            "printf 'a\\tb\\n\\nc' | $CAT -A - && printf 'x' | $CAT -n",
        ));
    }
}
