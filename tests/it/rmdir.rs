use crate::common::*;

fn setup(d: &Dir) {
    d.mkdir("a/b/c");
    d.mkdir("p/q/r");
    d.write("p/f", "");
    d.write("file", "");
    d.mkdir("e");
    d.mkdir("sp ace");
}

#[test]
fn like_busybox() {
    let args: &[&[&str]] = &[
        &[],
        &["e"],
        &["nope", "e", "file"],
        &["-p", "a/b/c/"],
        &["-p", "a/b/c", "e"],
        &["-p", "p/q/r"],
        &["--ignore-fail-on-non-empty", "-p", "p/q/r"],
        &["--ignore-fail-on-non-empty", "p"],
        &["-v", "e", "nope"],
        &["--parents", "a//b//c//"],
        &["a"],
        &["sp ace"],
        &["-x"],
    ];
    for a in args {
        same("rmdir", a, b"", setup);
    }
}

#[test]
fn parents_removed() {
    let d = Dir::new();
    setup(&d);
    d.cmd("rmdir").args(["-p", "a/b/c"]).run().ok("");
    assert!(!d.join("a").exists());
    d.cmd("rmdir")
        .args(["--ignore-fail-on-non-empty", "-p", "p/q/r"])
        .run()
        .ok("");
    assert!(d.join("p/f").exists() && !d.join("p/q").exists());
}
