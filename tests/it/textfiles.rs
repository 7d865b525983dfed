//! Shared inputs and checks for the line tools' tests (head, tail, wc, sort, uniq, cut...).

use crate::common::*;
use std::io::Read;
use std::process::Stdio;

/// Odd inputs every line tool meets: no trailing newline, CRLF, NUL bytes, invalid UTF-8,
/// empty, blank lines, a directory.
pub fn files(d: &Dir) {
    d.write("f1", "a\nb\nc\n");
    d.write("nonl", "x\ny");
    d.write("empty", "");
    d.write("crlf", "one\r\ntwo\r\n\r\n");
    d.write("nul", b"a\0b\nc\0\n\0\n".as_slice());
    d.write("bad", b"\xff\xfe\n\xc3\xa9t\xc3\n\x80\n".as_slice());
    d.write("blank", "\n\n  \n\t\nz\n");
    d.write(
        "num",
        (1..=30).map(|i| format!("{i}\n")).collect::<String>(),
    );
    d.write("words", "the cat sat\non  the\tmat\n\nfoo bar baz qux\n");
    d.mkdir("dir");
}

/// `n` bytes of lines of varied length (a pseudo-random sequence, the same every run).
pub fn text(n: usize) -> Vec<u8> {
    let mut x: u64 = 12345;
    let mut v = Vec::with_capacity(n + 64);
    while v.len() < n {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let len = (x >> 58) as usize;
        for i in 0..len {
            v.push(b'a' + ((x >> (i % 50)) % 26) as u8);
            if i % 7 == 6 {
                v.push(b' ');
            }
        }
        v.push(b'\n');
    }
    v
}

/// Output to /dev/full: status 1 and a write error on stderr.
#[track_caller]
pub fn dev_full(applet: &str, args: &[&str], stdin: &[u8]) {
    let d = Dir::new();
    files(&d);
    let o = d
        .cmd(applet)
        .args(args)
        .stdin(stdin)
        .stdout_file("/dev/full")
        .run();
    assert_eq!(o.code, 1, "{applet} {args:?}: {}", o.err());
    assert!(
        o.err().contains("No space left on device"),
        "{applet} {args:?}: {}",
        o.err()
    );
}

/// A reader that closes the pipe after a few bytes: the applet ends quietly (killed by
/// SIGPIPE or a failed write), with nothing on stderr.
#[track_caller]
pub fn closed_pipe(applet: &str, args: &[&str], stdin: Vec<u8>) {
    let mut r = cmd(applet).args(args);
    let mut child = r
        .cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut si = child.stdin.take().unwrap();
    std::thread::spawn(move || {
        use std::io::Write;
        let _ = si.write_all(&stdin);
    });
    let mut out = child.stdout.take().unwrap();
    let mut b = [0u8; 10];
    let _ = out.read(&mut b);
    drop(out);
    let o = child.wait_with_output().unwrap();
    assert!(
        o.stderr.is_empty(),
        "{applet} {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let _ = &mut r;
}

/// Like `same`, against GNU's `/usr/bin/APPLET` (where BusyBox lacks the applet or is
/// wrong): identical status and stdout, stderr too unless `stderr` is false. Skipped
/// without it.
#[track_caller]
pub fn same_gnu(applet: &str, args: &[&str], stdin: &[u8], stderr: bool) {
    let gnu = format!("/usr/bin/{applet}");
    if !std::path::Path::new(&gnu).exists() {
        eprintln!("{gnu} not installed: comparison skipped");
        return;
    }
    let (d1, d2) = (Dir::new(), Dir::new());
    files(&d1);
    files(&d2);
    let a = d1.cmd(applet).args(args).stdin(stdin).run();
    let mut child = std::process::Command::new(&gnu)
        .args(args)
        .current_dir(&d2.path)
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut si = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    std::thread::spawn(move || {
        use std::io::Write;
        let _ = si.write_all(&data);
    });
    let b = child.wait_with_output().unwrap();
    assert_eq!(
        (a.code, a.out()),
        (
            b.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&b.stdout).into_owned()
        ),
        "{applet} {args:?}: left rbox, right GNU"
    );
    if stderr {
        let berr = String::from_utf8_lossy(&b.stderr).replace(&gnu, applet);
        assert_eq!(a.err(), berr, "{applet} {args:?} stderr");
    }
}
