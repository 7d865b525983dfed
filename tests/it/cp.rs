use crate::common::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;

fn setup(d: &Dir) {
    d.write("a", "a\n");
    d.write("d/f", "x\n");
    d.mkdir("e");
    std::os::unix::fs::symlink("a", d.join("sl")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.join("dang")).unwrap();
    std::os::unix::fs::symlink("d/f", d.join("tof")).unwrap();
}

fn meta(p: impl AsRef<Path>) -> std::fs::Metadata {
    std::fs::symlink_metadata(p).unwrap()
}

/// Runs `sh -c SCRIPT` in a private mount namespace; None when unshare is not allowed here.
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
    if out.err().contains("unshare failed") || out.err().contains("mount: ") {
        eprintln!(
            "no private mount namespace here: test skipped ({})",
            out.err()
        );
        return None;
    }
    Some(out)
}

#[test]
fn messages_same_as_busybox() {
    for args in [
        &["a", "a"][..],
        &["a", "./a"],
        &["d", "x"],
        &["-r", "d", "d/sub"],
        &["nope", "x"],
        &["a", "nodir/x"],
        &["a", "d/f/x"],
        &["d", "a"],
        &["-r", "d", "a"],
        &["a", "b", "c"],
        &["-T", "a", "d"],
        &["-T", "d", "e"],
        &["-n", "a", "d/f"],
        &["-v", "a", "b"],
        &["-rv", "d", "e2"],
        &["-rv", "d", "e"],
        &["dang", "y"],
        &["-d", "dang", "y"],
        &["-r", "sl", "rl"],
        &["sl", "s2"],
        &["-t", "d", "a"],
        &["-t", "nope", "a"],
        &["-s", "a", "sx"],
        &["-l", "a", "lx"],
        &["-l", "a", "sl"],
        &["-lf", "a", "sl"],
        &["a", "tof"],
        &["a", "dang"],
        &["-r", "d", "tof"],
        &["-d", "sl", "dang"],
        &["-df", "sl", "dang"],
        &["-u", "a", "b"],
        &["--parents", "d/f", "e"],
        &["--parents", "d/f", "a"],
        &["-H", "sl", "h"],
        &["-rL", "d", "Lcopy"],
    ] {
        same("cp", args, b"", setup);
    }
    // Usage errors: not compared, our help lists -v (and cp's --parents, mv's -u) too.
    for args in [&["a"][..], &[], &["-Z", "a", "b"]] {
        let d = Dir::new();
        d.cmd("cp").args(args).run().fails_with(
            1,
            if args.len() == 3 {
                "cp: invalid option -- 'Z'"
            } else {
                "rbox v"
            },
        );
    }
}

#[test]
fn copies_data_and_links() {
    let d = Dir::new();
    setup(&d);
    d.cmd("cp").args(["a", "b"]).run().ok("");
    assert_eq!(std::fs::read(d.join("b")).unwrap(), b"a\n");
    // Without -R a symlink is followed; with -R (or -d) it is copied as a link.
    d.cmd("cp").args(["sl", "s1"]).run().ok("");
    assert!(meta(d.join("s1")).is_file());
    d.cmd("cp").args(["-d", "sl", "s2"]).run().ok("");
    assert_eq!(std::fs::read_link(d.join("s2")).unwrap().as_os_str(), "a");
    d.cmd("cp").args(["-s", "a", "s3"]).run().ok("");
    assert_eq!(std::fs::read_link(d.join("s3")).unwrap().as_os_str(), "a");
    d.cmd("cp").args(["-l", "a", "h"]).run().ok("");
    assert_eq!(meta(d.join("h")).ino(), meta(d.join("a")).ino());
    // An existing target is replaced; -n keeps it; -u keeps a newer one.
    d.write("t", "old");
    d.cmd("cp").args(["-n", "a", "t"]).run().ok("");
    assert_eq!(std::fs::read(d.join("t")).unwrap(), b"old");
    d.cmd("cp").args(["a", "t"]).run().ok("");
    assert_eq!(std::fs::read(d.join("t")).unwrap(), b"a\n");
    d.write("t", "newer");
    d.cmd("touch").args(["-d", "@1000", "a"]).run().ok("");
    d.cmd("cp").args(["-u", "a", "t"]).run().ok("");
    assert_eq!(std::fs::read(d.join("t")).unwrap(), b"newer");
    // -i asks; only y/Y overwrites.
    d.cmd("cp")
        .args(["-i", "a", "t"])
        .stdin("n\n")
        .run()
        .fails(0, "cp: overwrite 't'? ");
    assert_eq!(std::fs::read(d.join("t")).unwrap(), b"newer");
    d.cmd("cp")
        .args(["-i", "a", "t"])
        .stdin("yes\n")
        .run()
        .code(0);
    assert_eq!(std::fs::read(d.join("t")).unwrap(), b"a\n");
    // -t, -T, --parents.
    d.cmd("cp").args(["-t", "e", "a", "b"]).run().ok("");
    assert!(d.join("e/a").exists() && d.join("e/b").exists());
    d.cmd("cp").args(["-rT", "d", "e"]).run().ok("");
    assert!(d.join("e/f").exists());
    d.cmd("cp").args(["--parents", "d/f", "e"]).run().ok("");
    assert!(d.join("e/d/f").exists());
    // 0-byte files and files whose size says nothing (/proc).
    d.write("empty", "");
    d.cmd("cp").args(["empty", "empty2"]).run().ok("");
    assert_eq!(meta(d.join("empty2")).len(), 0);
    d.cmd("cp")
        .args(["/proc/self/status", "status"])
        .run()
        .ok("");
    assert!(std::fs::read(d.join("status"))
        .unwrap()
        .starts_with(b"Name:"));
}

#[test]
fn same_file_is_refused_and_kept() {
    let d = Dir::new();
    d.write("a", "precious\n");
    std::fs::hard_link(d.join("a"), d.join("h")).unwrap();
    std::os::unix::fs::symlink("a", d.join("s")).unwrap();
    for other in ["a", "./a", "h"] {
        d.cmd("cp")
            .args(["a", other])
            .run()
            .fails(1, &format!("cp: 'a' and '{other}' are the same file\n"));
        assert_eq!(std::fs::read(d.join("a")).unwrap(), b"precious\n");
    }
    // Deliberate difference: through a symlink to the source BusyBox truncates the source
    // to nothing; we see it is the same file.
    d.cmd("cp")
        .args(["a", "s"])
        .run()
        .fails(1, "cp: 'a' and 's' are the same file\n");
    assert_eq!(std::fs::read(d.join("a")).unwrap(), b"precious\n");
    // A symlink target elsewhere is written through (POSIX, BusyBox), the link kept.
    d.write("b", "old");
    std::os::unix::fs::symlink("b", d.join("tob")).unwrap();
    d.cmd("cp").args(["a", "tob"]).run().ok("");
    assert_eq!(std::fs::read(d.join("b")).unwrap(), b"precious\n");
    assert!(std::fs::symlink_metadata(d.join("tob"))
        .unwrap()
        .file_type()
        .is_symlink());
    std::os::unix::fs::symlink("made", d.join("dangling")).unwrap();
    d.cmd("cp").args(["a", "dangling"]).run().ok("");
    assert_eq!(std::fs::read(d.join("made")).unwrap(), b"precious\n");
}

#[test]
fn archive_keeps_everything() {
    let d = Dir::new();
    d.write("src/file", "data");
    d.write("src/sub/deep", "deep");
    std::fs::set_permissions(d.join("src/file"), std::fs::Permissions::from_mode(0o4751)).unwrap();
    std::os::unix::fs::chown(d.join("src/file"), Some(1234), Some(5678)).unwrap();
    std::fs::hard_link(d.join("src/file"), d.join("src/sub/hard")).unwrap();
    std::os::unix::fs::symlink("file", d.join("src/link")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.join("src/dangling")).unwrap();
    d.cmd("mkfifo").arg("src/fifo").run().ok("");
    d.cmd("mknod")
        .args(["src/null", "c", "1", "3"])
        .run()
        .ok("");
    let odd = OsStr::from_bytes(b"sp ace\nnew\xffline");
    std::fs::write(d.join("src").join(odd), "odd").unwrap();
    d.cmd("touch")
        .args(["-d", "@1000000000", "src/sub", "src/file"])
        .run()
        .ok("");
    d.cmd("cp").args(["-a", "src", "dst"]).run().ok("");
    let (s, t) = (meta(d.join("src/file")), meta(d.join("dst/file")));
    assert_eq!(
        (t.mode(), t.uid(), t.gid(), t.mtime(), t.mtime_nsec()),
        (s.mode(), 1234, 5678, 1000000000, s.mtime_nsec())
    );
    assert_eq!(meta(d.join("dst/sub")).mtime(), 1000000000);
    assert_eq!(meta(d.join("dst/sub/hard")).ino(), t.ino());
    assert_eq!(
        std::fs::read_link(d.join("dst/link")).unwrap().as_os_str(),
        "file"
    );
    assert_eq!(
        std::fs::read_link(d.join("dst/dangling"))
            .unwrap()
            .as_os_str(),
        "nowhere"
    );
    assert!(meta(d.join("dst/fifo")).file_type().is_fifo());
    let n = meta(d.join("dst/null"));
    assert!(n.file_type().is_char_device());
    assert_eq!(n.rdev(), libc::makedev(1, 3));
    assert_eq!(std::fs::read(d.join("dst").join(odd)).unwrap(), b"odd");
    assert_eq!(std::fs::read(d.join("dst/sub/deep")).unwrap(), b"deep");
    // Without -p a copy gets the umask's mode and our owner.
    d.cmd("cp").args(["-r", "src", "plain"]).run().ok("");
    let p = meta(d.join("plain/file"));
    assert_eq!((p.uid(), p.mtime() == 1000000000), (0, false));
}

#[test]
fn sparse_stays_sparse() {
    let d = Dir::new();
    let f = std::fs::File::create(d.join("sparse")).unwrap();
    f.set_len(10 << 30).unwrap();
    use std::os::unix::fs::FileExt;
    f.write_at(b"middle", 5 << 30).unwrap();
    drop(f);
    d.cmd("cp").args(["sparse", "copy"]).run().ok("");
    let m = meta(d.join("copy"));
    assert_eq!(m.len(), 10 << 30);
    assert!(m.blocks() < 1024, "{} blocks", m.blocks());
    let mut buf = [0u8; 6];
    std::fs::File::open(d.join("copy"))
        .unwrap()
        .read_exact_at(&mut buf, 5 << 30)
        .unwrap();
    assert_eq!(&buf, b"middle");
}

#[test]
fn big_file_exact() {
    let d = Dir::new();
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(d.join("big"), &data).unwrap();
    d.cmd("cp").args(["big", "copy"]).run().ok("");
    assert!(std::fs::read(d.join("copy")).unwrap() == data);
    // Through a pipe (no copy_file_range): read/write.
    d.cmd("cp")
        .args(["/dev/stdin", "fromstdin"])
        .stdin(&data[..1000])
        .run()
        .ok("");
    assert_eq!(std::fs::read(d.join("fromstdin")).unwrap(), &data[..1000]);
}

#[test]
fn follow_loop_is_reported() {
    let d = Dir::new();
    d.write("t/f", "x");
    std::os::unix::fs::symlink(".", d.join("t/up")).unwrap();
    let o = d.cmd("cp").args(["-rL", "t", "u"]).run();
    assert_eq!(o.code, 1);
    assert!(
        o.err()
            .contains("recursion detected, omitting directory 't/up'"),
        "{}",
        o.err()
    );
    assert!(d.join("u/f").exists());
}

#[test]
fn full_disk_loses_nothing() {
    let d = Dir::new();
    std::fs::write(d.join("big"), vec![7u8; 2_000_000]).unwrap();
    d.mkdir("m");
    let cp = applet_path("cp");
    let script = format!(
        "mount -t tmpfs -o size=1m none m || exit 99; echo keep > m/old; \
         {r}{cp} big m/old; echo rc=$?; cat m/old; {r}{cp} big m/new; echo rc=$?; ls -a m",
        r = runner_prefix(),
        cp = cp.display()
    );
    let Some(o) = unshare(&d, &script) else {
        return;
    };
    assert_eq!(o.out(), "rc=1\nkeep\nrc=1\n.\n..\nold\n");
    assert_eq!(
        o.err(),
        "cp: write error: No space left on device\ncp: write error: No space left on device\n"
    );
    assert_eq!(meta(d.join("big")).len(), 2_000_000);
}
