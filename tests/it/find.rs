use crate::common::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;

fn tree(d: &Dir) {
    d.write("a/f", "");
    d.write("a/big", "hello world\n");
    d.write("a/b/g", "12345678901234567890");
    d.write("a/b/c/h", "");
    d.mkdir("a/e");
    d.write("a/sp ace", "x");
    d.write("a/X.TXT", "x");
    std::os::unix::fs::symlink("f", d.join("a/lf")).unwrap();
    std::os::unix::fs::symlink("b", d.join("a/ld")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.join("a/dang")).unwrap();
    std::fs::set_permissions(d.join("a/big"), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(d.join("a/b/g"), std::fs::Permissions::from_mode(0o4640)).unwrap();
    // -newer compares whole seconds and each side builds its own tree: a/f is made
    // older so a second ticking over mid-build cannot split the two runs.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(10);
    std::fs::File::options()
        .write(true)
        .open(d.join("a/f"))
        .and_then(|f| f.set_modified(old))
        .unwrap();
}

#[test]
fn expressions_like_busybox() {
    let args: &[&[&str]] = &[
        &[],
        &["a"],
        &["a", "-print"],
        &["a/", "-name", "a"],
        &["a", "-name", "f"],
        &["a", "-name", "*.TXT"],
        &["a", "-iname", "x.*", "-o", "-name", "g"],
        &["a", "-name", "[bc]"],
        &["a", "-type", "d"],
        &["a", "-type", "l", "-print"],
        &["a", "-type", "f", "-a", "!", "-name", "f"],
        &["a", "-not", "-type", "d", "-not", "-type", "l"],
        &["a", "-maxdepth", "1"],
        &["a", "-maxdepth", "0"],
        &["a", "-mindepth", "2"],
        &["a", "-mindepth", "1", "-maxdepth", "1", "-depth"],
        &["a", "-depth"],
        &["a", "-depth", "-maxdepth", "1"],
        &["a", "-empty"],
        &["a", "-empty", "-type", "d"],
        &["a", "-size", "-1"],
        &["a", "-size", "+0c"],
        &["a", "-size", "12c"],
        &["a", "-size", "-1k", "-type", "f"],
        &["a", "-size", "+5w"],
        &["a", "-path", "*/b/*"],
        &["a", "-ipath", "*/x.txt"],
        &["a", "-name", "b", "-prune", "-o", "-print"],
        &["a", "-name", "b", "-prune"],
        &["a", "-regex", ".*/[bc]"],
        &["a", "-regex", "a/b.*"],
        &["a", "-regex", "a/\\(f\\|e\\)"],
        // The whole path must match: anchors, alternatives, back-references.
        &["a", "-regex", "b.*"],
        &["a", "-regex", ".*"],
        &["a", "-regex", "^a/f$"],
        &["a", "-regex", "a/b\\|a/e"],
        &["a", "-regex", "a/\\(.\\).*\\1"],
        &["a", "-perm", "-u+w", "-type", "f"],
        &["a", "-perm", "644"],
        &["a", "-perm", "/111"],
        &["a", "-perm", "+4000"],
        &["a", "-perm", "-4000"],
        &["a", "-perm", "u=rwx,go=rx"],
        &["a", "-links", "+1"],
        &["a", "-links", "1", "-type", "d"],
        &["a", "-user", "0", "-group", "0", "-type", "f"],
        &["a", "-user", "root", "-group", "root", "-type", "f"],
        &["a", "-mtime", "-1", "-mmin", "-5", "-type", "f"],
        &["a", "-mtime", "0", "-type", "f"],
        &["a", "-mtime", "+0"],
        &[
            "a", "-atime", "-1", "-amin", "-60", "-ctime", "0", "-cmin", "-60", "-name", "f",
        ],
        &["a", "-newer", "a/f"],
        &["a", "-samefile", "a/f"],
        &["a", "-samefile", "a/lf"],
        &["a", "(", "-name", "f", "-o", "-name", "g", ")", "-print"],
        &["a", "!", "(", "-type", "d", "-o", "-type", "l", ")"],
        &["a", "-name", "f", "-quit"],
        &["a", "-print", "-quit"],
        &["a", "-o", "-print"],
        &["a", "-name", "zz", "-o", "-o", "-print"],
        &["a", "nope", "-name", "f"],
        &["nope"],
        &["a", "-xdev", "-name", "b"],
        &["a", "-executable", "-type", "f"],
        &["a", "-print0"],
        &["-H", "a/ld"],
        &["-H", "a/ld", "a/lf", "-maxdepth", "0", "-type", "d"],
        &["-L", "a", "-type", "l"],
        &["-L", "a", "-name", "g"],
        &["-follow", "a", "-type", "f"],
        &["-HL", "a", "-maxdepth", "0"],
        &["--", "a", "-maxdepth", "0"],
        &["a", ")", "-print"],
        &["-P", "a", "-type", "l"],
    ];
    for a in args {
        same("find", a, b"", tree);
    }
}

#[test]
fn errors_like_busybox() {
    let args: &[&[&str]] = &[
        &["a", "-bogus"],
        &["a", "-name"],
        &["a", "-type", "z"],
        &["a", "-type", "ff"],
        &["a", "-regex", "\\("],
        &["a", "-size", "3x"],
        &["a", "-mindepth", "-1"],
        &["a", "-maxdepth", "x"],
        &["a", "-newer", "nope"],
        &["a", "-user", "nosuchu"],
        &["a", "-group", "nosuchg"],
        &["a", "-exec", "echo", "{}", "{}", "+"],
        &["a", "-exec", "echo"],
        &["a", "-exec", ";"],
        &["a", "(", "-name", "f"],
        &["a", "-perm", "zz"],
        &["a", "-mtime", "x"],
        &["a", "-links", "+x"],
        &["a", "-inum", "x"],
        &["a", "-samefile", "nope"],
        &["-X", "a"],
        &["a", "-H"],
    ];
    for a in args {
        same("find", a, b"", tree);
    }
}

#[test]
fn exec_like_busybox() {
    let args: &[&[&str]] = &[
        &["a", "-type", "f", "-exec", "echo", "X{}X", "{}", ";"],
        &["a", "-exec", "sh", "-c", "exit 1", ";", "-print"],
        &[
            "a", "-type", "f", "-exec", "test", "-s", "{}", ";", "-print",
        ],
        &["a", "-exec", "nosuchcmd", "{}", ";"],
        &["a", "-name", "g", "-exec", "ls", "-d", "{}", "+", "-print"],
        &["a", "-type", "d", "-exec", "echo", "dirs:", "{}", "+"],
        &["a", "-exec", "false", "{}", "+"],
        &["a", "-maxdepth", "1", "-exec", "false", ";"],
        &["a", "-print", "-quit", "-exec", "echo", "{}", "+"],
    ];
    for a in args {
        same("find", a, b"", tree);
    }
}

#[test]
fn odd_names() {
    let d = Dir::new();
    for n in [
        &b"sp ace"[..],
        b"new\nline",
        b"\xff\xfe",
        b"-dash",
        b"*star",
    ] {
        std::fs::write(d.join(OsStr::from_bytes(n)), "").unwrap();
    }
    let o = d.cmd("find").args([".", "-type", "f", "-print0"]).run();
    let mut got: Vec<&[u8]> = o
        .stdout
        .split(|&c| c == 0)
        .filter(|s| !s.is_empty())
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            &b"./*star"[..],
            b"./-dash",
            b"./new\nline",
            b"./sp ace",
            b"./\xff\xfe"
        ]
    );
    d.cmd("find")
        .args([".", "-name", "\\*star"])
        .run()
        .ok("./*star\n");
    d.cmd("find")
        .arg(".")
        .arg("-name")
        .arg(OsStr::from_bytes(b"\xff*"))
        .run()
        .ok(b"./\xff\xfe\n");
}

#[test]
fn loops_are_reported_not_descended() {
    // BusyBox descends a -L loop until ELOOP (dozens of levels of output); rbox reports
    // the loop, as GNU find does, and exits 1.
    let d = Dir::new();
    d.write("a/b/f", "");
    std::os::unix::fs::symlink("..", d.join("a/b/up")).unwrap();
    std::os::unix::fs::symlink(".", d.join("a/self")).unwrap();
    let o = d.cmd("find").args(["-L", "a"]).run();
    assert_eq!(o.code, 1);
    let mut out: Vec<&str> = o.out().leak().lines().collect();
    out.sort();
    assert_eq!(out, ["a", "a/b", "a/b/f"]);
    let mut err: Vec<&str> = o.err().leak().lines().collect();
    err.sort();
    assert_eq!(
        err,
        [
            "find: File system loop detected; 'a/b/up' is part of the same file system loop as 'a'.",
            "find: File system loop detected; 'a/self' is part of the same file system loop as 'a'.",
        ]
    );
}

#[test]
fn delete_never_follows_symlinks() {
    let d = Dir::new();
    d.write("outside/keep", "x");
    d.write("t/sub/f", "x");
    std::os::unix::fs::symlink("../outside", d.join("t/link")).unwrap();
    std::os::unix::fs::symlink("../../outside/keep", d.join("t/sub/flink")).unwrap();
    // Not even with -L: the links go, what they point to stays.
    d.cmd("find").args(["-L", "t", "-delete"]).run().ok("");
    assert!(!d.join("t").exists());
    assert!(d.join("outside/keep").exists());
    // A named symlink is removed itself.
    std::os::unix::fs::symlink("outside", d.join("top")).unwrap();
    d.cmd("find").args(["-H", "top", "-delete"]).run().ok("");
    assert!(!d.join("top").exists() && d.join("outside/keep").exists());
    // "find . -delete" leaves "." itself.
    d.write("in/x/y", "");
    d.cmd("find")
        .args([".", "-delete"])
        .dir(d.join("in"))
        .run()
        .ok("");
    assert!(d.join("in").exists() && std::fs::read_dir(d.join("in")).unwrap().count() == 0);
    // -delete with -print: depth-first.
    d.write("p/q/r", "");
    d.cmd("find")
        .args(["p", "-delete", "-print"])
        .run()
        .ok("p/q/r\np/q\np\n");
}

#[test]
fn ok_prompts() {
    // Not in Debian's BusyBox build; BusyBox's source prints each word and a space, then `?`.
    let d = Dir::new();
    d.write("a/f", "");
    d.write("a/g", "");
    let o = d
        .cmd("find")
        .args(["a", "-type", "f", "-ok", "echo", "got", "{}", ";"])
        .stdin("y\nn\n")
        .run();
    assert_eq!(o.code, 0);
    assert_eq!(o.out().lines().count(), 1);
    assert_eq!(o.err().matches(" ?").count(), 2);
    assert!(o.err().starts_with("echo got a/"));
}

#[test]
fn unreadable_dir_like_busybox() {
    if unsafe { libc::geteuid() } != 0
        || !std::path::Path::new("/usr/bin/setpriv").exists()
        || !has_busybox()
    {
        eprintln!("needs root, setpriv and busybox: skipped");
        return;
    }
    let d = Dir::new();
    d.write("t/ok/f", "");
    d.write("t/no/g", "");
    std::fs::set_permissions(d.join("t/no"), std::fs::Permissions::from_mode(0o0)).unwrap();
    let run = |bb: bool| {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        if bb {
            c.arg(busybox().unwrap()).arg("find");
        } else {
            if let Some(r) = std::env::var_os("RBOX_TEST_RUNNER").filter(|r| !r.is_empty()) {
                c.arg(r);
            }
            c.arg(applet_path("find"));
        }
        let o = c.arg("t").current_dir(&d.path).output().unwrap();
        (
            o.status.code(),
            o.stdout,
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (a, b) = (run(false), run(true));
    assert_eq!(a, b);
    assert_eq!(a.2, "find: t/no: Permission denied\n");
}

/// -iregex (which Debian's BusyBox build lacks): the whole path, case folded.
#[test]
fn iregex_whole_path() {
    let d = Dir::new();
    tree(&d);
    d.cmd("find")
        .args(["a", "-iregex", "A/x\\.txt"])
        .run()
        .ok("a/X.TXT\n");
    d.cmd("find").args(["a", "-iregex", "x\\.txt"]).run().ok("");
    d.cmd("find")
        .args(["a", "-iregex", "A/B/[^/]*", "-type", "f"])
        .run()
        .ok("a/b/g\n");
}
