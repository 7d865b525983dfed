use crate::common::*;
use std::os::unix::fs::PermissionsExt;

fn setup(d: &Dir) {
    d.write("f", "");
    d.write("d/e/g", "");
    d.write("d/h", "");
    std::os::unix::fs::symlink("f", d.join("l")).unwrap();
    std::os::unix::fs::symlink("d", d.join("dl")).unwrap();
    std::os::unix::fs::symlink("../f", d.join("d/lf")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.join("dangling")).unwrap();
    for p in ["f", "d", "d/e", "d/e/g", "d/h"] {
        std::fs::set_permissions(d.join(p), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
}

#[test]
fn like_busybox() {
    let args: &[&[&str]] = &[
        &[],
        &["644"],
        &["-v", "600", "f", "l"],
        &["-cR", "go-rwx", "d", "dl", "f"],
        &["-c", "644", "f"],
        &["-c", "600", "f"],
        &["-w", "-v", "f"],
        &["-v", "-R", "-x", "d"],
        &["-vR", "u+s,+t", "d"],
        &["-v", "--", "-x", "f"],
        &["-R", "-v", "a+X", "d", "f"],
        &["-v", "u=g,o=u", "f"],
        &["-f", "644", "nope"],
        &["zz", "nope"],
        &["zz", "f", "d"],
        &["-v", "644", "nope", "f", "dangling"],
        &["-fv", "644", "dangling", "f"],
        &["-vR", "0755", "d"],
        &["-v", "7777", "f"],
        &["-v", "17777", "f"],
        &["-v", "=", "f"],
        &["-v", "+rwx", "f"],
        &["-q", "644", "f"],
    ];
    for a in args {
        same("chmod", a, b"", setup);
    }
}

#[test]
fn symlinks_below_root_untouched() {
    let d = Dir::new();
    setup(&d);
    d.cmd("chmod").args(["-R", "700", "d"]).run().ok("");
    let m = |p: &str| std::fs::metadata(d.join(p)).unwrap().permissions().mode() & 0o7777;
    assert_eq!((m("d"), m("d/e/g"), m("f")), (0o700, 0o700, 0o644));
    // A named symlink is followed.
    d.cmd("chmod").args(["600", "l"]).run().ok("");
    assert_eq!(m("f"), 0o600);
}

#[test]
fn option_like_modes() {
    for a in [
        &["-rw", "f"][..],
        &["-R", "-X", "d"],
        &["-q", "644", "f"],
        &["-v", "-s", "f", "--"],
    ] {
        same("chmod", a, b"", setup);
    }
}
