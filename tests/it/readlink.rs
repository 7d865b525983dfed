use crate::common::*;

fn setup(d: &Dir) {
    d.write("b", "");
    d.mkdir("dir");
    let l = |t: &str, n: &str| std::os::unix::fs::symlink(t, d.join(n)).unwrap();
    l("b", "a");
    l("nowhere", "dang");
    l("dir", "dl");
    l("loop2", "loop1");
    l("loop1", "loop2");
    l("sp ace\nx", "odd");
}

#[test]
fn same_as_busybox() {
    for args in [
        &["a"][..],
        &["dang"],
        &["-f", "dang"],
        &["-f", "nope/x"],
        &["-f", "loop1"],
        &["-f", "dl/../a"],
        &["-n", "a"],
        &["-fn", "a"],
        &["-v", "b"],
        &["-v", "nope"],
        &["b"],
        &["odd"],
    ] {
        same("readlink", args, b"", setup);
    }
    // Usage errors: not compared, our help lists GNU's -e and -m too.
    for args in [&["a", "b"][..], &[]] {
        let d = Dir::new();
        d.cmd("readlink").args(args).run().fails_with(1, "rbox v");
    }
    for args in [
        &["a", "dang", "dl/.././b", "/", "//"][..],
        &["nope/x", "b/x"],
        &[],
    ] {
        same("realpath", args, b"", setup);
    }
}

#[test]
fn gnu_modes() {
    let d = Dir::new();
    setup(&d);
    let p = d.path.canonicalize().unwrap().display().to_string();
    d.cmd("readlink")
        .args(["-e", "a"])
        .run()
        .ok(format!("{p}/b\n"));
    d.cmd("readlink").args(["-e", "dang"]).run().code(1);
    d.cmd("readlink")
        .args(["-m", "nope/x/../y"])
        .run()
        .ok(format!("{p}/nope/y\n"));
    d.cmd("readlink")
        .args(["-f", "dl"])
        .run()
        .ok(format!("{p}/dir\n"));
    // A loop is reported, not followed forever (musl's text, so no BusyBox comparison).
    d.cmd("realpath").arg("loop1").run().code(1);
}
