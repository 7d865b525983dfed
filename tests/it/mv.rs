use crate::common::*;

fn setup(d: &Dir) {
    d.write("a", "a\n");
    d.write("b", "b\n");
    d.write("d/x", "");
    d.mkdir("e");
    d.mkdir("f/g");
}

#[test]
fn messages_same_as_busybox() {
    for args in [
        &["a", "a"][..],
        &["nope", "x"],
        &["a", "nodir/x"],
        &["d", "d/sub"],
        &["d", "a"],
        &["a", "d/x/y"],
        &["-T", "a", "e"],
        &["-T", "d", "e"],
        &["-T", "d", "f"],
        &["-n", "b", "a"],
        &["-v", "b", "c"],
        &["-t", "nope", "a"],
        &["a", "b", "c"],
        &["a", "b", "e"],
        &["-f", "a", "e/"],
        &["e", "f"],
    ] {
        same("mv", args, b"", setup);
    }
    // Usage errors: not compared, our help lists -v (and cp's --parents, mv's -u) too.
    for args in [&["a"][..], &[], &["-Z", "a", "b"]] {
        let d = Dir::new();
        d.cmd("mv").args(args).run().fails_with(
            1,
            if args.len() == 3 {
                "mv: invalid option -- 'Z'"
            } else {
                "rbox v"
            },
        );
    }
}

#[test]
fn renames() {
    let d = Dir::new();
    setup(&d);
    d.cmd("mv").args(["a", "e"]).run().ok("");
    assert!(d.join("e/a").exists() && !d.join("a").exists());
    d.cmd("mv").args(["-t", "e", "b", "d"]).run().ok("");
    assert!(d.join("e/b").exists() && d.join("e/d/x").exists());
    d.write("new", "1");
    d.write("old", "2");
    d.cmd("touch").args(["-d", "@1000", "new"]).run().ok("");
    d.cmd("mv").args(["-u", "new", "old"]).run().ok("");
    assert_eq!(std::fs::read(d.join("old")).unwrap(), b"2");
    d.cmd("mv")
        .args(["-i", "new", "old"])
        .stdin("n\n")
        .run()
        .fails(0, "mv: overwrite 'old'? ");
    d.cmd("mv")
        .args(["-i", "new", "old"])
        .stdin("y\n")
        .run()
        .code(0);
    assert_eq!(std::fs::read(d.join("old")).unwrap(), b"1");
}

fn unshare(d: &Dir, script: &str) -> Option<Out> {
    let o = std::process::Command::new("unshare")
        .args(["-m", "sh", "-c", script])
        .current_dir(&d.path)
        .output()
        .ok()?;
    let out = Out {
        code: o.status.code().unwrap_or(-1),
        stdout: o.stdout,
        stderr: o.stderr,
    };
    if out.code == 99 || out.err().contains("unshare failed") {
        eprintln!(
            "no private mount namespace here: test skipped ({})",
            out.err()
        );
        return None;
    }
    Some(out)
}

#[test]
fn across_filesystems() {
    let d = Dir::new();
    d.write("tree/sub/y", "y");
    std::fs::hard_link(d.join("tree/sub/y"), d.join("tree/hl")).unwrap();
    std::os::unix::fs::symlink("sub", d.join("tree/sl")).unwrap();
    d.cmd("mkfifo").arg("tree/ff").run().ok("");
    d.cmd("touch")
        .args(["-d", "@1000", "tree/sub"])
        .run()
        .ok("");
    d.write("f", "file");
    d.mkdir("m");
    let mv = applet_path("mv");
    let script = format!(
        "mount -t tmpfs -o size=4m none m || exit 99; {r}{mv} tree f m/ && \
         ls -lin m/tree m/tree/sub && cat m/f && ls",
        r = runner_prefix(),
        mv = mv.display()
    );
    let Some(o) = unshare(&d, &script) else {
        return;
    };
    assert_eq!(o.code, 0, "{}", o.err());
    let out = o.out();
    // Moved whole: hard link kept (same inode, 2 links), symlink, fifo, times; sources gone.
    let lines: Vec<&str> = out.lines().collect();
    let ino = |name: &str| {
        lines
            .iter()
            .find(|l| l.ends_with(&format!(" {name}")))
            .map(|l| l.split_whitespace().next().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(ino("hl"), ino("y"));
    assert!(out.contains(" sl -> sub"));
    assert!(lines
        .iter()
        .any(|l| l.contains(" ff") && l.split_whitespace().nth(1).unwrap().starts_with('p')));
    assert!(out.contains("1970 sub"), "{out}");
    assert!(out.contains("file"));
    assert!(!d.join("tree").exists() && !d.join("f").exists());
}

#[test]
fn full_disk_keeps_source() {
    let d = Dir::new();
    d.write("tree/a", "a");
    std::fs::write(d.join("tree/big"), vec![1u8; 2_000_000]).unwrap();
    std::fs::write(d.join("big"), vec![2u8; 2_000_000]).unwrap();
    d.mkdir("m");
    let mv = applet_path("mv");
    let script = format!(
        "mount -t tmpfs -o size=1m none m || exit 99; echo keep > m/big; mkdir m/tree; \
         {r}{mv} big m/big; echo rc=$?; {r}{mv} tree m/; echo rc=$?; cat m/big; ls -a m m/tree",
        r = runner_prefix(),
        mv = mv.display()
    );
    let Some(o) = unshare(&d, &script) else {
        return;
    };
    // Nothing half-copied is left, what was there stays, and the sources are whole.
    assert_eq!(
        o.out(),
        "rc=1\nrc=1\nkeep\nm:\n.\n..\nbig\ntree\n\nm/tree:\n.\n..\n"
    );
    assert_eq!(
        o.err(),
        "mv: write error: No space left on device\nmv: write error: No space left on device\n"
    );
    assert_eq!(std::fs::read(d.join("big")).unwrap().len(), 2_000_000);
    assert_eq!(std::fs::read(d.join("tree/big")).unwrap().len(), 2_000_000);
    assert_eq!(std::fs::read(d.join("tree/a")).unwrap(), b"a");
}
