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
