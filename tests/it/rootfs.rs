//! rbox alone in an empty root (a `FROM scratch` image): no /etc, no /proc, no shell.
//! Needs root for chroot(2); skipped otherwise.

use crate::common::*;
use std::process::Command;

fn chroot(root: &std::path::Path, args: &[&str]) -> Command {
    let mut c = Command::new("/usr/sbin/chroot");
    c.arg(root);
    if let Some(r) = std::env::var_os("RBOX_TEST_RUNNER").filter(|r| !r.is_empty()) {
        // The emulator must be inside the root too; it is static.
        if !root.join("qemu").exists() {
            std::fs::copy(which(&r), root.join("qemu")).unwrap();
        }
        c.arg("/qemu");
    }
    c.args(args).env_clear();
    c
}

/// A binary just copied into the root can be briefly "busy" for exec: the test harness
/// forks other tests' children in parallel, and one may hold the copy's write descriptor
/// between its fork and exec. Such a run is simply tried again.
fn busy(stderr: &str) -> bool {
    let b = stderr.contains("Text file busy");
    if b {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    b
}

fn which(name: &std::ffi::OsStr) -> std::path::PathBuf {
    let p = std::path::PathBuf::from(name);
    if p.is_absolute() {
        return p;
    }
    std::env::var_os("PATH")
        .and_then(|path| {
            std::env::split_paths(&path)
                .map(|d| d.join(name))
                .find(|f| f.exists())
        })
        .expect("runner not found in PATH")
}

/// A temporary root holding only /bin/rbox; None (test skipped) when not root.
fn empty_root() -> Option<(Dir, std::path::PathBuf)> {
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("not root: chroot test skipped");
        return None;
    }
    let d = Dir::new();
    let root = d.mkdir("root");
    std::fs::create_dir(root.join("bin")).unwrap();
    std::fs::copy(bin(), root.join("bin/rbox")).unwrap();
    Some((d, root))
}

#[test]
fn runs_in_an_empty_root() {
    let Some((_d, root)) = empty_root() else {
        return;
    };
    let run = |args: &[&str], input: &[u8]| loop {
        let mut c = chroot(&root, args);
        c.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut ch = c.spawn().unwrap();
        use std::io::Write;
        let _ = ch.stdin.take().unwrap().write_all(input);
        let o = ch.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        if !busy(&err) {
            break (
                o.status.code(),
                String::from_utf8_lossy(&o.stdout).into_owned(),
                err,
            );
        }
    };
    // No /proc here: --install falls back to the absolute argv[0].
    assert_eq!(
        run(&["/bin/rbox", "--install", "-s", "/bin"], b""),
        (Some(0), String::new(), String::new())
    );
    assert_eq!(
        std::fs::read_link(root.join("bin/echo")).unwrap(),
        std::path::Path::new("/bin/rbox")
    );
    assert_eq!(
        run(&["/bin/echo", "hello", "root"], b""),
        (Some(0), "hello root\n".into(), String::new())
    );
    let list = run(&["/bin/rbox", "--list"], b"").1;
    if list.lines().any(|l| l == "cat") {
        assert_eq!(
            run(&["/bin/cat"], b"piped\n"),
            (Some(0), "piped\n".into(), String::new())
        );
    }
    if list.lines().any(|l| l == "ls") {
        // No /etc/passwd: owners are shown as numbers.
        let (st, out, err) = run(&["/bin/ls", "-la", "/"], b"");
        assert_eq!((st, err.as_str()), (Some(0), ""), "{out}");
        assert!(
            out.lines()
                .any(|l| l.ends_with(" bin") && l.contains(" 0 ")),
            "{out}"
        );
        let (st, out, _) = run(&["/bin/ls", "-l", "/bin/echo"], b"");
        assert_eq!(st, Some(0));
        assert!(out.contains("/bin/echo -> /bin/rbox"), "{out}");
    }
}

#[test]
fn install_without_dir_uses_the_list_full_layout() {
    use std::os::unix::fs::MetadataExt;
    let Some((_d, root)) = empty_root() else {
        return;
    };
    let o = output_retrying(&mut chroot(&root, &["/bin/rbox", "--install"]));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ino = std::fs::metadata(root.join("bin/rbox")).unwrap().ino();
    for l in cmd("rbox").arg("--list-full").run().out().lines() {
        let m = std::fs::symlink_metadata(root.join(l)).unwrap();
        assert_eq!(m.ino(), ino, "{l} is not a hard link to rbox");
    }
}
