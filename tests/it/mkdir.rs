use crate::common::*;
use std::os::unix::fs::PermissionsExt;

fn setup(d: &Dir) {
    d.write("file", "");
    d.mkdir("have");
}

fn mode(p: std::path::PathBuf) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

#[test]
fn like_busybox() {
    let args: &[&[&str]] = &[
        &[],
        &["-v", "n1", "n2"],
        &["have"],
        &["-p", "have"],
        &["-pv", "x//y/z/"],
        &["-p", "file/g/h"],
        &["file/x"],
        &["nope/x"],
        &["-m", "zz", "m"],
        &["-m", "", "m"],
        &["-m"],
        &["-p", "/", ".", "have/"],
        &["-v", "new\nline", "sp ace"],
        &["-q"],
    ];
    for a in args {
        same("mkdir", a, b"", setup);
    }
}

#[test]
fn modes() {
    let d = Dir::new();
    let run = |a: &[&str]| d.cmd("mkdir").args(a).env("X", "").run();
    run(&["-m", "0", "m0"]).ok("");
    assert_eq!(mode(d.join("m0")), 0);
    run(&["-m", "u=rwx,go=", "m1"]).ok("");
    assert_eq!(mode(d.join("m1")), 0o700);
    run(&["-m", "+t", "m2"]).ok("");
    assert_eq!(mode(d.join("m2")), 0o1777);
    run(&["-m", "2775", "m3"]).ok("");
    assert_eq!(mode(d.join("m3")), 0o2775);
    // -p with -m: the mode goes on the last directory; the parents get the umask's mode
    // (with u+wx kept); an existing last directory is left as it is.
    run(&["-pm", "500", "p/q/r"]).ok("");
    assert_eq!(mode(d.join("p/q/r")), 0o500);
    assert_eq!(mode(d.join("p/q")), 0o755);
    run(&["-pm", "777", "m0"]).ok("");
    assert_eq!(mode(d.join("m0")), 0);
}

#[test]
fn parents_get_user_wx_whatever_the_umask() {
    // umask 0777: BusyBox still makes the parents usable (u=wx), the last one gets nothing.
    let d = Dir::new();
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 777; {}{} -p a/b/c",
            runner_prefix(),
            applet_path("mkdir").display()
        ))
        .current_dir(&d.path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(mode(d.join("a")), 0o300);
    assert_eq!(mode(d.join("a/b")), 0o300);
    assert_eq!(mode(d.join("a/b/c")), 0);
}

/// `SCRIPT` run by sh in a private mount namespace with a tmpfs of 16 KiB and 3 inodes on
/// `mnt` (cwd), with $T set to the applet under test; None (skipped) when that cannot be.
fn on_full_tmpfs(d: &Dir, busybox: bool, script: &str) -> Option<Out> {
    if unsafe { libc::geteuid() } != 0 || !std::path::Path::new("/usr/bin/unshare").exists() {
        eprintln!("needs root and unshare: skipped");
        return None;
    }
    std::fs::create_dir_all(d.join("mnt")).ok()?;
    let prefix = if busybox {
        format!("{} ", crate::common::busybox()?.display())
    } else {
        // The applets are links named after themselves in rbox's test link directory.
        let p = applet_path("mkdir");
        let dir = p.parent()?.display().to_string();
        for a in ["rm", "find", "du", "mkdir", "rmdir"] {
            applet_path(a);
        }
        format!("{}{dir}/", runner_prefix())
    };
    let o = std::process::Command::new("unshare")
        .args(["-m", "sh", "-c"])
        .arg(format!(
            "mount -t tmpfs -o size=16k,nr_inodes=3 tmpfs mnt || exit 99; cd mnt; P='{prefix}'; {script}"
        ))
        .current_dir(&d.path)
        .output()
        .ok()?;
    let out = Out {
        code: o.status.code().unwrap_or(-1),
        stdout: o.stdout,
        stderr: o.stderr,
    };
    if out.code == 99 {
        eprintln!("cannot mount a tmpfs here: skipped");
        return None;
    }
    Some(out)
}

#[test]
fn full_filesystem() {
    // Out of inodes: mkdir -p stops where BusyBox stops, with its message; rm -r frees and
    // nothing that was there is lost.
    let script = "${P}mkdir a; ${P}mkdir -p b/c/d; echo rc=$?; ${P}mkdir e; echo rc=$?; \
                  ${P}rm -rv b; echo rc=$?; ${P}mkdir -pv b/c; echo rc=$?; ${P}rmdir -v a; \
                  ${P}find . | sort; ${P}du -s . >/dev/null; echo rc=$?";
    let (d1, d2) = (Dir::new(), Dir::new());
    let Some(a) = on_full_tmpfs(&d1, false, script) else {
        return;
    };
    if !has_busybox() {
        return;
    }
    let Some(b) = on_full_tmpfs(&d2, true, script) else {
        return;
    };
    a.same_as(&b);
    assert!(a.err().contains("No space left on device"), "{}", a.err());
}
