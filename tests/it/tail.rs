use crate::common::*;
use crate::textfiles::*;
use std::process::Stdio;
use std::time::Duration;

#[test]
fn options_match_busybox() {
    let sets: &[&[&str]] = &[
        &["f1"],
        &["num"],
        &["-n", "2", "f1", "nonl"],
        &["-n2", "num"],
        &["-n", "0", "num"],
        &["-n", "+0", "num"],
        &["-n", "+1", "num"],
        &["-n", "+25", "num"],
        &["-n", "-3", "num"],
        &["-n", "1k", "num"],
        &["-n", "1", "nonl"],
        &["-c", "5", "f1"],
        &["-c", "+3", "f1"],
        &["-c", "+300", "f1"],
        &["-c", "1b", "num"],
        &["-3", "num"],
        &["+28", "num"],
        &["-n", "1", "-c", "3", "f1"],
        &["-c", "3", "-n", "1", "f1"],
        &["-q", "f1", "nonl"],
        &["-v", "f1"],
        &["-q", "-v", "f1", "nonl"],
        &["-v", "-q", "f1", "nonl"],
        &["-n", "1", "f1", "-", "nonl"],
        &["crlf", "nul", "bad", "empty", "blank"],
        &["-n", "1", "crlf", "nul", "bad"],
        &["-c", "3", "crlf", "nul", "bad"],
        &["-n", "2", "f1", "nope", "nonl"],
        &["nope", "f1"],
        &["f1", "dir", "nonl"],
        &["-n", "1x", "f1"],
        &["-s", "x", "f1"],
        &["-x", "f1"],
        &["-c"],
    ];
    for args in sets {
        same("tail", args, b"in\nput\nno newline", files);
    }
    // Stdin is a pipe here: the non-seeking path.
    for opts in [
        &["-n", "3"][..],
        &["-n", "+3"],
        &["-c", "4"],
        &["-c", "+4"],
        &["-n", "0"],
        &[],
    ] {
        same("tail", opts, b"", files);
        same(
            "tail",
            opts,
            b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12",
            files,
        );
        same(
            "tail",
            opts,
            b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
            files,
        );
        same("tail", opts, b"\0\0\n\r\n\xff", files);
    }
}

#[test]
fn big_inputs_from_file_and_pipe() {
    let t = text(3 << 20);
    let lines: Vec<&[u8]> = t.split_inclusive(|&b| b == b'\n').collect();
    let d = Dir::new();
    d.write("t", &t);
    for n in [1usize, 1000, 40000] {
        let want: Vec<u8> = lines[lines.len() - n..].concat();
        let ns = n.to_string();
        d.cmd("tail").args(["-n", &ns, "t"]).run().ok(&want);
        cmd("tail").args(["-n", &ns]).stdin(&t).run().ok(&want);
    }
    let from: Vec<u8> = lines[999..].concat();
    d.cmd("tail").args(["-n", "+1000", "t"]).run().ok(&from);
    cmd("tail").args(["-n", "+1000"]).stdin(&t).run().ok(&from);
    d.cmd("tail")
        .args(["-c", "300000", "t"])
        .run()
        .ok(&t[t.len() - 300000..]);
    cmd("tail")
        .args(["-c", "300000"])
        .stdin(&t)
        .run()
        .ok(&t[t.len() - 300000..]);
    // A 4 MB line, with and without a newline.
    let mut long = vec![b'x'; 4 << 20];
    d.write("long", &long);
    d.cmd("tail").args(["-n", "1", "long"]).run().ok(&long);
    cmd("tail").args(["-n", "1"]).stdin(&long).run().ok(&long);
    long.push(b'\n');
    d.write("long", &long);
    d.cmd("tail").args(["-n", "1", "long"]).run().ok(&long);
}

#[test]
fn messages() {
    let d = Dir::new();
    files(&d);
    d.cmd("tail")
        .args(["f1", "nope"])
        .run()
        .fails(1, "tail: can't open 'nope': No such file or directory\n");
    d.cmd("tail").args(["-f", "nope"]).run().fails(
        1,
        "tail: can't open 'nope': No such file or directory\ntail: no files\n",
    );
    d.cmd("tail")
        .arg("dir")
        .run()
        .fails(1, "tail: read error: Is a directory\n");
}

#[test]
fn follow_ends_on_a_pipe() {
    // Nothing more can come once a pipe is at its end: -f stops there, as BusyBox.
    cmd("tail").arg("-f").stdin("a\nb\n").run().ok("a\nb\n");
}

/// Reads from `r` until `want` has been seen (or a few seconds pass).
fn read_until(r: &mut std::process::ChildStdout, got: &mut Vec<u8>, want: &[u8]) -> bool {
    use std::io::Read;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut b = [0u8; 4096];
    while !got.windows(want.len()).any(|w| w == want) {
        if std::time::Instant::now() > deadline {
            return false;
        }
        match r.read(&mut b) {
            Ok(0) | Err(_) => return false,
            Ok(n) => got.extend_from_slice(&b[..n]),
        }
    }
    true
}

fn append(p: &std::path::Path, s: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(p)
        .unwrap();
    f.write_all(s.as_bytes()).unwrap();
}

#[test]
fn follow_appends_rotation_and_truncation() {
    let d = Dir::new();
    d.write("log", "one\ntwo\n");
    d.write("other", "x\n");
    // -s 30: inotify wakes tail at once, so the long sleep shows it does not poll.
    let mut c = d.cmd("tail").args(["-s", "30", "-F", "log", "other"]);
    let mut child = c
        .cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut got = Vec::new();
    let ok = read_until(&mut out, &mut got, b"==> other <==\nx\n");
    append(&d.join("log"), "three\n");
    let ok = ok && read_until(&mut out, &mut got, b"\n==> log <==\nthree\n");
    // Rotation: the name now is a new file, read from its start.
    std::fs::rename(d.join("log"), d.join("log.1")).unwrap();
    d.write("log", "fresh\n");
    let ok = ok && read_until(&mut out, &mut got, b"fresh\n");
    // Truncation: start again from the beginning.
    std::fs::write(d.join("other"), "").unwrap();
    std::thread::sleep(Duration::from_millis(50));
    append(&d.join("other"), "new\n");
    let ok = ok && read_until(&mut out, &mut got, b"new\n");
    let _ = child.kill();
    let o = child.wait_with_output().unwrap();
    assert!(ok, "got {:?}", String::from_utf8_lossy(&got));
    assert_eq!(
        String::from_utf8_lossy(&got),
        "==> log <==\none\ntwo\n\n==> other <==\nx\n\n==> log <==\nthree\nfresh\n\n==> other <==\nnew\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "tail: log has been replaced; following end of new file\n"
    );
}

#[test]
fn follow_waits_for_a_missing_file_with_big_f() {
    use std::io::Read;
    let d = Dir::new();
    let mut c = d.cmd("tail").args(["-s", "30", "-F", "later"]);
    let mut child = c
        .cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    // The file is made only once tail has said it is missing (slow under qemu).
    let mut e = Vec::new();
    let mut b = [0u8; 256];
    while !e.ends_with(b"directory\n") {
        match err.read(&mut b) {
            Ok(0) | Err(_) => break,
            Ok(n) => e.extend_from_slice(&b[..n]),
        }
    }
    d.write("later", "here\n");
    let mut got = Vec::new();
    let ok = read_until(&mut out, &mut got, b"here\n");
    let _ = child.kill();
    let _ = child.wait();
    let _ = err.read_to_end(&mut e);
    assert!(ok, "got {:?}", String::from_utf8_lossy(&got));
    assert_eq!(
        String::from_utf8_lossy(&e),
        "tail: can't open 'later': No such file or directory\n\
         tail: later has appeared; following end of new file\n"
    );
}

#[test]
fn write_errors_and_closed_pipes() {
    dev_full("tail", &["f1"], b"");
    dev_full("tail", &["-n", "+1"], &text(1 << 20));
    closed_pipe("tail", &["-n", "+1"], text(4 << 20));
}
