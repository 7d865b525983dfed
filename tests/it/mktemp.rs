use crate::common::*;

#[test]
fn creates() {
    let d = Dir::new();
    let o = d.cmd("mktemp").env("TMPDIR", &d.path).run();
    o.code(0);
    let f = o.out();
    let f = f.trim_end();
    assert!(f.starts_with(&format!("{}/tmp.", d.path.display())), "{f}");
    let m = std::fs::metadata(f).unwrap();
    assert!(m.is_file());
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(m.permissions().mode() & 0o777, 0o600);
    let o = d.cmd("mktemp").args(["-d", "-p", "."]).arg("dXXXXXX").run();
    let f = o.out();
    assert!(std::fs::metadata(d.join(f.trim_end())).unwrap().is_dir());
    let o = d.cmd("mktemp").args(["-u", "fooXXXXXXXX"]).run();
    let f = o.out();
    assert_eq!(f.len(), 12);
    assert!(f.starts_with("fooXX") && !d.join(f.trim_end()).exists());
    let o = d
        .cmd("mktemp")
        .env("TMPDIR", "")
        .args(["-u", "-t", "x/yXXXXXX"])
        .run();
    assert!(o.out().starts_with("/tmp/x/y"));
}

#[test]
fn errors() {
    // Deliberate difference: BusyBox prints "(null)" where the name belongs.
    let d = Dir::new();
    d.cmd("mktemp")
        .arg("foo")
        .run()
        .fails(1, "mktemp: foo: Invalid argument\n");
    d.cmd("mktemp").args(["-q", "foo"]).run().fails(1, "");
    d.cmd("mktemp")
        .arg("nodir/xXXXXXX")
        .run()
        .fails_with(1, "mktemp: nodir/x");
    d.cmd("mktemp")
        .args(["a", "b"])
        .run()
        .fails_with(1, "rbox v");
    for args in [&["a", "b"][..], &["-q", "x"], &["-x"]] {
        if !args.contains(&"-q") {
            continue;
        }
        same("mktemp", args, b"", |_| {});
    }
}
