use crate::common::*;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Command;

fn tree(d: &Dir) {
    d.write("t/a/f1", "x");
    d.write("t/a/b/f2", "x");
    d.write("t/c", "x");
    d.mkdir("t/empty");
    std::os::unix::fs::symlink("a", d.join("t/l")).unwrap();
    d.write("file", "x");
    d.write("out/keep", "x");
    std::os::unix::fs::symlink("../out", d.join("t/escape")).unwrap();
}

#[test]
fn messages_and_status_like_busybox() {
    let args: &[&[&str]] = &[
        &["nope"],
        &["-f", "nope"],
        &["-f"],
        &[],
        &["t"],
        &["file", "nope", "t/c"],
        &["-v", "file", "t/l"],
        &["-rv", "t/a/"],
        &["-r", "t/."],
        &["-r", ".."],
        &["-r", "t/a/.."],
        &["-rfv", "t", "nope"],
        &["-Rv", "t/escape"],
        &["-fi", "nope"],
        &["-if", "nope"],
        &["-z"],
    ];
    for a in args {
        same("rm", a, b"", tree);
    }
}

#[test]
fn recursive_removes_tree_not_symlink_targets() {
    let d = Dir::new();
    tree(&d);
    d.cmd("rm").args(["-r", "t"]).run().ok("");
    assert!(!d.join("t").exists());
    assert!(d.join("out/keep").exists());
    // A symlink operand to a directory: the link goes, the directory stays.
    std::os::unix::fs::symlink("out", d.join("lnk")).unwrap();
    d.cmd("rm").args(["-r", "lnk"]).run().ok("");
    assert!(d.join("out/keep").exists() && !d.join("lnk").exists());
    // ... but with a trailing slash BusyBox strips it, so still only the link.
    std::os::unix::fs::symlink("out", d.join("lnk")).unwrap();
    d.cmd("rm").args(["-rf", "lnk/"]).run().ok("");
    assert!(d.join("out/keep").exists());
}

#[test]
fn interactive_prompts() {
    let answers: &[&[u8]] = &[
        b"n\n",
        b"y\nn\n",
        b"y\ny\ny\ny\n",
        b"  Y\nyes\nyup\ny\n",
        b"",
    ];
    for i in answers {
        same("rm", &["-ri", "t/a"], i, tree);
        same("rm", &["-i", "file", "t/c"], i, tree);
    }
}

#[test]
fn odd_names() {
    let d = Dir::new();
    let names: [&[u8]; 4] = [b"sp ace", b"new\nline", b"\xff\xfe", b"-dash"];
    for n in names {
        let p = d.join(std::ffi::OsStr::from_bytes(n));
        std::fs::create_dir(&p).unwrap();
        std::fs::write(p.join(std::ffi::OsStr::from_bytes(n)), "").unwrap();
    }
    let o = d
        .cmd("rm")
        .args(["-rv", "--", "sp ace", "new\nline", "-dash"])
        .arg(std::ffi::OsStr::from_bytes(b"\xff\xfe"))
        .run();
    assert_eq!(o.code, 0, "{}", o.err());
    assert_eq!(
        o.stdout,
        b"removed 'sp ace/sp ace'\nremoved directory: 'sp ace'\nremoved 'new\nline/new\nline'\n\
          removed directory: 'new\nline'\nremoved '-dash/-dash'\nremoved directory: '-dash'\n\
          removed '\xff\xfe/\xff\xfe'\nremoved directory: '\xff\xfe'\n"
    );
    assert_eq!(std::fs::read_dir(&d.path).unwrap().count(), 0);
}

/// A chain of `n` directories named `d` under `top`, made with *at calls (no long paths),
/// with a file at the bottom.
pub fn deep_chain(top: &Path, n: usize) {
    let top = std::ffi::CString::new(top.as_os_str().as_bytes()).unwrap();
    // SAFETY: plain *at calls on descriptors this function owns.
    unsafe {
        assert_eq!(libc::mkdir(top.as_ptr(), 0o755), 0);
        let mut fd = libc::open(top.as_ptr(), libc::O_DIRECTORY);
        for _ in 0..n {
            assert_eq!(libc::mkdirat(fd, c"d".as_ptr(), 0o755), 0);
            let next = libc::openat(fd, c"d".as_ptr(), libc::O_DIRECTORY);
            libc::close(fd);
            fd = next;
        }
        let f = libc::openat(
            fd,
            c"bottom".as_ptr(),
            libc::O_CREAT | libc::O_WRONLY,
            0o644,
        );
        libc::close(f);
        libc::close(fd);
    }
}

#[test]
fn deeper_than_the_descriptor_limit() {
    // 1,500 levels with at most 200 descriptors: the walker closes the oldest ancestors
    // and reopens them through `..` on the way back (checked by device and inode).
    let d = Dir::new();
    deep_chain(&d.join("deep"), 1500);
    let sh = |cmd: &str| {
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -n 200 && {}{cmd}", runner_prefix()))
            .current_dir(&d.path)
            .output()
            .unwrap();
        (
            o.status.code(),
            o.stdout,
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let find = applet_path("find").display().to_string();
    let (code, out, err) = sh(&format!("{find} deep -name bottom"));
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert_eq!(out.len(), "deep/".len() + 1500 * 2 + "bottom\n".len());
    let du = applet_path("du").display().to_string();
    let (code, out, err) = sh(&format!("{du} -s deep"));
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert!(out.ends_with(b"\tdeep\n"));
    let rm = applet_path("rm").display().to_string();
    let (code, _, err) = sh(&format!("{rm} -r deep"));
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert!(!d.join("deep").exists());
}

#[test]
fn deep_tree() {
    // Deeper than PATH_MAX allows as one path: the fd walk needs no long paths.
    let d = Dir::new();
    let top = std::ffi::CString::new(d.join("deep").as_os_str().as_bytes()).unwrap();
    let name = std::ffi::CString::new("d".repeat(200)).unwrap();
    // SAFETY: plain *at calls on descriptors this test owns.
    unsafe {
        assert_eq!(libc::mkdir(top.as_ptr(), 0o755), 0);
        let mut fd = libc::open(top.as_ptr(), libc::O_DIRECTORY);
        for _ in 0..40 {
            assert_eq!(libc::mkdirat(fd, name.as_ptr(), 0o755), 0);
            let next = libc::openat(fd, name.as_ptr(), libc::O_DIRECTORY);
            libc::close(fd);
            fd = next;
        }
        libc::close(fd);
    }
    d.cmd("rm").args(["-rf", "deep"]).run().ok("");
    assert!(!d.join("deep").exists());
}

/// Runs `prog args` as nobody in `dir` (rbox through its runner).
fn as_nobody(dir: &Path, busybox: bool, args: &[&str]) -> Out {
    let mut c = Command::new("setpriv");
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
    if busybox {
        c.arg(crate::common::busybox().unwrap()).arg("rm");
    } else {
        if let Some(r) = std::env::var_os("RBOX_TEST_RUNNER").filter(|r| !r.is_empty()) {
            c.arg(r);
        }
        c.arg(applet_path("rm"));
    }
    let o = c.args(args).current_dir(dir).output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: o.stdout,
        stderr: o.stderr,
    }
}

#[test]
fn continues_past_failures() {
    if unsafe { libc::geteuid() } != 0 || !Path::new("/usr/bin/setpriv").exists() || !has_busybox()
    {
        eprintln!("needs root, setpriv and busybox: skipped");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let setup = |d: &Dir| {
        d.write("d/f", "x");
        d.write("d/ro/g", "x");
        d.write("d/z", "x");
        for p in [&d.path, &d.join("d")] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o777)).unwrap();
        }
    };
    let (a, b) = (Dir::new(), Dir::new());
    setup(&a);
    setup(&b);
    let x = as_nobody(&a.path, false, &["-r", "d"]);
    let y = as_nobody(&b.path, true, &["-r", "d"]);
    x.same_as(&y);
    assert_eq!(x.err(), "rm: can't remove 'd/ro/g': Permission denied\n");
    assert!(a.join("d/ro/g").exists() && !a.join("d/f").exists() && !a.join("d/z").exists());
    // An unreadable directory: BusyBox exits 1 without a word; rbox says why.
    let c = Dir::new();
    c.write("d/sub/g", "x");
    std::fs::set_permissions(&c.path, std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(c.join("d"), std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(c.join("d/sub"), std::fs::Permissions::from_mode(0o0)).unwrap();
    as_nobody(&c.path, false, &["-r", "d"])
        .fails(1, "rm: can't remove 'd/sub': Permission denied\n");
    std::fs::set_permissions(c.join("d/sub"), std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn refuses_the_root() {
    // In a chroot of an empty temp dir, so a failure could only empty that dir.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("not root: skipped");
        return;
    }
    let d = Dir::new();
    let root = d.mkdir("root");
    std::fs::create_dir(root.join("bin")).unwrap();
    std::fs::copy(bin(), root.join("bin/rm")).unwrap();
    let mut c = Command::new("/usr/sbin/chroot");
    c.arg(&root);
    if let Some(r) = std::env::var_os("RBOX_TEST_RUNNER").filter(|r| !r.is_empty()) {
        let q = std::env::split_paths(&std::env::var_os("PATH").unwrap())
            .map(|p| p.join(&r))
            .find(|p| p.exists())
            .unwrap_or_else(|| r.clone().into());
        std::fs::copy(q, root.join("qemu")).unwrap();
        c.arg("/qemu");
    }
    c.args(["/bin/rm", "-rf", "/", "//", "/bin/.."]);
    let o = output_retrying(&mut c);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "rm: it is dangerous to operate recursively on '/'\n\
         rm: it is dangerous to operate recursively on '/'\n\
         rm: can't remove '.' or '..'\n"
    );
    assert!(root.join("bin/rm").exists());
}

#[test]
fn symlink_swapped_in_mid_walk_removes_nothing_outside() {
    // A thread keeps swapping t/x/d between a real directory and a symlink to `outside`
    // while rm -rf walks t; whatever the timing, nothing in `outside` may go.
    for round in 0..3 {
        let d = Dir::new();
        for i in 0..50 {
            d.write(format!("outside/o{i}"), "x");
        }
        // Swapped entries sit beside big subtrees: t is read whole first, so by the time
        // a dN is visited the swapper has had the time of the subtrees before it.
        for j in 0..20 {
            d.write(format!("t/d{j}/f"), "x");
            for i in 0..40 {
                d.write(format!("t/big{j}/f{i}"), "x");
            }
        }
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (s2, base) = (stop.clone(), d.path.clone());
        let swapper = std::thread::spawn(move || {
            let mut n = 0u32;
            while !s2.load(std::sync::atomic::Ordering::Relaxed) && n < 100_000 {
                n += 1;
                let j = n % 20;
                let dd = base.join(format!("t/d{j}"));
                let aside = base.join(format!("t/aside{j}"));
                if std::fs::rename(&dd, &aside).is_ok() {
                    let _ = std::os::unix::fs::symlink(base.join("outside"), &dd);
                } else if std::fs::remove_file(&dd).is_ok() {
                    let _ = std::fs::rename(&aside, &dd);
                }
            }
        });
        let _ = d.cmd("rm").args(["-rf", "t"]).run();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        swapper.join().unwrap();
        let left = std::fs::read_dir(d.join("outside")).unwrap().count();
        assert_eq!(
            left, 50,
            "round {round}: rm -rf removed files outside the tree"
        );
    }
}
