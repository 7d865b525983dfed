use crate::common::*;
use std::io::Read;
use std::process::Stdio;

fn first(args: &[&str], n: usize) -> Vec<u8> {
    let mut c = cmd("yes").args(args);
    c.cmd.stdout(Stdio::piped());
    let mut child = c.cmd.spawn().unwrap();
    let mut buf = vec![0u8; n];
    child.stdout.as_mut().unwrap().read_exact(&mut buf).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    buf
}

#[test]
fn default_y() {
    assert_eq!(first(&[], 8), b"y\ny\ny\ny\n");
}

#[test]
fn joins_arguments() {
    assert_eq!(first(&["a b", "c"], 12), b"a b c\na b c\n");
    assert_eq!(first(&[""], 3), b"\n\n\n");
    // Non-UTF-8 bytes pass through.
    use std::os::unix::ffi::OsStrExt;
    let mut c = cmd("yes").arg(std::ffi::OsStr::from_bytes(b"\xff"));
    c.cmd.stdout(Stdio::piped());
    let mut child = c.cmd.spawn().unwrap();
    let mut buf = [0u8; 4];
    child.stdout.as_mut().unwrap().read_exact(&mut buf).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(&buf, b"\xff\n\xff\n");
}

#[test]
fn full_disk() {
    cmd("yes")
        .stdout_file("/dev/full")
        .run()
        .fails(1, "yes: write error: No space left on device\n");
}
