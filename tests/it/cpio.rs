//! cpio: round trips with GNU cpio both ways (newc, crc, odc, old binary), BusyBox's listing,
//! messages and newc output, and the safety rules: nothing is written outside the target,
//! whatever the archive's names, symlinks and hard links say.

use crate::common::*;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Command;

/// Whether `tool` is on PATH; says so when a test is skipped for lack of it.
pub fn has(tool: &str) -> bool {
    let ok = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("{tool} not installed: test skipped");
    }
    ok
}

/// One newc member: (name, mode, data, ino, nlink).
pub struct M<'a>(pub &'a [u8], pub u32, pub &'a [u8], pub u32, pub u32);

/// A newc archive built by hand (for hostile names and links no archiver makes).
pub fn newc(ms: &[M]) -> Vec<u8> {
    let mut v = Vec::new();
    let put = |v: &mut Vec<u8>, name: &[u8], mode: u32, data: &[u8], ino: u32, nlink: u32| {
        let f = [
            ino,
            mode,
            0,
            0,
            nlink,
            1_600_000_000,
            data.len() as u32,
            0,
            0,
            0,
            0,
        ];
        v.extend_from_slice(b"070701");
        for x in f {
            v.extend_from_slice(format!("{x:08X}").as_bytes());
        }
        v.extend_from_slice(format!("{:08X}{:08X}", name.len() + 1, 0).as_bytes());
        v.extend_from_slice(name);
        v.push(0);
        while !v.len().is_multiple_of(4) {
            v.push(0);
        }
        v.extend_from_slice(data);
        while !v.len().is_multiple_of(4) {
            v.push(0);
        }
    };
    for m in ms {
        put(&mut v, m.0, m.1, m.2, m.3, m.4);
    }
    put(&mut v, b"TRAILER!!!", 0, b"", 0, 1);
    v
}

/// Runs `sh -c SCRIPT` in a private mount namespace; None (skipped) where that is refused.
pub fn unshare(d: &Dir, script: &str) -> Option<Out> {
    let o = Command::new("unshare")
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
        eprintln!("no private mount namespace here: test skipped");
        return None;
    }
    Some(out)
}

/// Every name below `p`, sorted (to assert that nothing else appeared).
pub fn tree(p: &Path) -> Vec<String> {
    let mut v = Vec::new();
    fn walk(p: &Path, pre: &str, v: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(p) else { return };
        for e in rd.flatten() {
            let n = format!("{pre}{}", e.file_name().to_string_lossy());
            let ft = e.file_type().unwrap();
            v.push(n.clone());
            if ft.is_dir() {
                walk(&e.path(), &format!("{n}/"), v);
            }
        }
    }
    walk(p, "", &mut v);
    v.sort();
    v
}

const REG: u32 = 0o100644;
const DIR: u32 = 0o040755;
const LNK: u32 = 0o120777;

/// A tree with awkward names: spaces, a newline, invalid UTF-8, a symlink, a hard link.
fn awkward(d: &Dir) {
    d.write("src/a b", "spaces\n");
    d.write("src/new\nline", "newline\n");
    d.write(
        std::ffi::OsStr::from_bytes(b"src/bad\xff\xfe"),
        b"\x00\x01binary\xff",
    );
    d.write("src/sub/deep/f", vec![b'x'; 300_000]);
    d.write("src/empty", "");
    std::os::unix::fs::symlink("a b", d.join("src/link")).unwrap();
    std::fs::hard_link(d.join("src/a b"), d.join("src/hard")).unwrap();
}

fn names_of(d: &Dir, sub: &str) -> Vec<u8> {
    // NUL-separated, as `find -print0` gives them (a name may hold a newline).
    let o = Command::new("find")
        .args([".", "-print0"])
        .current_dir(d.join(sub))
        .output()
        .unwrap();
    o.stdout
}

/// Every path below `p`, raw (names need not be UTF-8).
pub fn raw_tree(p: &Path) -> Vec<std::path::PathBuf> {
    let mut v = Vec::new();
    fn walk(p: &Path, rel: &Path, v: &mut Vec<std::path::PathBuf>) {
        let Ok(rd) = std::fs::read_dir(p) else { return };
        for e in rd.flatten() {
            let r = rel.join(e.file_name());
            v.push(r.clone());
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), &r, v);
            }
        }
    }
    walk(p, Path::new(""), &mut v);
    v.sort();
    v
}

/// The same names, kinds, contents and link targets below `a` and `b`.
pub fn same_tree(a: &Path, b: &Path) {
    assert_eq!(raw_tree(a), raw_tree(b));
    for n in raw_tree(a) {
        let (pa, pb) = (a.join(&n), b.join(&n));
        let ma = std::fs::symlink_metadata(&pa).unwrap();
        if ma.file_type().is_symlink() {
            assert_eq!(
                std::fs::read_link(&pa).unwrap(),
                std::fs::read_link(&pb).unwrap()
            );
        } else if ma.is_file() {
            assert_eq!(
                std::fs::read(&pa).unwrap(),
                std::fs::read(&pb).unwrap(),
                "{n:?}"
            );
        }
    }
}

#[test]
fn round_trip_with_gnu_both_ways() {
    if !has("cpio") {
        return;
    }
    let d = Dir::new();
    awkward(&d);
    let names = names_of(&d, "src");
    // rbox writes, GNU reads.
    let a = d
        .cmd("cpio")
        .args(["-o", "-0", "-H", "newc"])
        .dir(d.join("src"))
        .stdin(&names)
        .run();
    assert_eq!((a.code, a.err()), (0, String::new()));
    d.write("r.cpio", &a.stdout);
    d.mkdir("gnu");
    let g = Command::new("sh")
        .args(["-c", "cpio -idm --quiet < ../r.cpio"])
        .current_dir(d.join("gnu"))
        .output()
        .unwrap();
    assert!(g.status.success(), "{}", String::from_utf8_lossy(&g.stderr));
    same_tree(&d.join("src"), &d.join("gnu"));
    // GNU writes each format, rbox reads.
    for fmt in ["newc", "crc", "odc", "bin"] {
        let o = Command::new("sh")
            .args(["-c", &format!("cpio -o -0 --quiet -H {fmt} > ../g.cpio")])
            .current_dir(d.join("src"))
            .stdin(std::fs::File::open(d.write("names", &names)).unwrap())
            .output()
            .unwrap();
        assert!(o.status.success());
        let out = d.join(format!("x-{fmt}"));
        std::fs::create_dir(&out).unwrap();
        d.cmd("cpio")
            .args(["-idm", "-F", "../g.cpio"])
            .dir(&out)
            .run()
            .code(0);
        same_tree(&d.join("src"), &out);
        // The hard link is a link again.
        use std::os::unix::fs::MetadataExt;
        assert_eq!(
            std::fs::metadata(out.join("hard")).unwrap().nlink(),
            2,
            "{fmt}"
        );
        let mt = std::fs::metadata(out.join("a b")).unwrap().mtime();
        assert_eq!(mt, std::fs::metadata(d.join("src/a b")).unwrap().mtime());
    }
    // rbox both ways, and -t lists names escaped.
    d.mkdir("rr");
    d.cmd("cpio")
        .args(["-id"])
        .dir(d.join("rr"))
        .stdin(&a.stdout)
        .run()
        .code(0);
    same_tree(&d.join("src"), &d.join("rr"));
    let t = d.cmd("cpio").arg("-t").stdin(&a.stdout).run();
    assert!(t.out().contains("new\\nline\n"), "{}", t.out());
}

#[test]
fn create_is_byte_for_byte_busybox() {
    if !has_busybox() {
        return;
    }
    let d = Dir::new();
    awkward(&d);
    let names = names_of(&d, "src");
    for extra in [
        &[][..],
        &["--renumber-inodes"],
        &["--ignore-devno"],
        &["-L"],
    ] {
        let mut args = vec!["-o", "-0", "-H", "newc"];
        args.extend_from_slice(extra);
        let a = d
            .cmd("cpio")
            .args(&args)
            .dir(d.join("src"))
            .stdin(&names)
            .run();
        let b = d
            .bb("cpio")
            .args(&args)
            .dir(d.join("src"))
            .stdin(&names)
            .run();
        assert_eq!(a.code, 0);
        a.same_as(&b);
    }
    // A missing name ends the run, as BusyBox's does.
    let a = d
        .cmd("cpio")
        .args(["-o", "-H", "newc"])
        .dir(d.join("src"))
        .stdin("a b\nnope\n")
        .run();
    a.fails(1, "cpio: nope: No such file or directory\n");
}

fn fixture(d: &Dir) {
    d.write(
        "a.cpio",
        newc(&[
            M(b"dir", DIR, b"", 1, 2),
            M(b"dir/f", REG, b"hello\n", 2, 1),
            M(b"l", LNK, b"dir/f", 3, 1),
            M(b"top", REG, b"top\n", 4, 1),
        ]),
    );
}

#[test]
fn listing_and_messages_same_as_busybox() {
    std::env::set_var("TZ", "UTC");
    for args in [
        &["-t", "-F", "a.cpio"][..],
        &["-tv", "-F", "a.cpio"],
        &["-t", "-F", "a.cpio", "dir*"],
        &["-t", "-F", "nope"],
        &["-i", "-F", "nope"],
        &["-t", "-F", "garbage"],
        &["-t", "-F", "short"],
        &["-t", "-F", "/dev/null"],
        &["-id", "-F", "a.cpio"],
        &["-ivd", "-F", "a.cpio"],
    ] {
        same("cpio", args, b"", |d| {
            fixture(d);
            d.write("garbage", vec![b'z'; 200]);
            d.write("short", b"0707010000");
        });
    }
}

#[test]
fn usage_errors() {
    // BusyBox's texts, plus -p (Debian's BusyBox is built without it).
    for args in [&[][..], &["-o"], &["-o", "-H", "odc"], &["-i", "-H", "crc"]] {
        let o = run("cpio", args);
        assert!(
            o.code == 1 && o.err().contains("\nUsage: cpio [-dmvu]"),
            "{}",
            o.err()
        );
    }
    run("cpio", &["-x"]).fails_with(1, "cpio: invalid option -- 'x'\n");
}

#[test]
fn extract_rules() {
    let d = Dir::new();
    fixture(&d);
    let a = std::fs::read(d.join("a.cpio")).unwrap();
    d.mkdir("x");
    let x = d.join("x");
    // Without -d a missing parent is an error; the rest is made.
    let o = d.cmd("cpio").arg("-i").dir(&x).stdin(&a).run();
    assert_eq!(o.code, 0, "{}", o.err());
    d.cmd("cpio")
        .args(["-id", "dir/f"])
        .dir(&x)
        .stdin(&a)
        .run()
        .code(0);
    assert_eq!(std::fs::read(x.join("dir/f")).unwrap(), b"hello\n");
    // An existing file as new as the member is kept; -u replaces it.
    std::fs::write(x.join("top"), "mine").unwrap();
    let o = d.cmd("cpio").args(["-i", "top"]).dir(&x).stdin(&a).run();
    o.fails(
        0,
        "cpio: top not created: newer or same age file exists\n2 blocks\n",
    );
    assert_eq!(std::fs::read(x.join("top")).unwrap(), b"mine");
    d.cmd("cpio")
        .args(["-iu", "top"])
        .dir(&x)
        .stdin(&a)
        .run()
        .code(0);
    assert_eq!(std::fs::read(x.join("top")).unwrap(), b"top\n");
    // -m restores the member's mtime; without it the file is new.
    use std::os::unix::fs::MetadataExt;
    assert_ne!(
        std::fs::metadata(x.join("top")).unwrap().mtime(),
        1_600_000_000
    );
    d.cmd("cpio")
        .args(["-ium", "top"])
        .dir(&x)
        .stdin(&a)
        .run()
        .code(0);
    assert_eq!(
        std::fs::metadata(x.join("top")).unwrap().mtime(),
        1_600_000_000
    );
    assert_eq!(std::fs::read_link(x.join("l")).unwrap(), Path::new("dir/f"));
    // -R sets the owner.
    d.cmd("cpio")
        .args(["-iu", "-R", "1:2", "top"])
        .dir(&x)
        .stdin(&a)
        .run()
        .code(0);
    let m = std::fs::metadata(x.join("top")).unwrap();
    assert_eq!((m.uid(), m.gid()), (1, 2));
    assert_eq!(tree(&x), ["dir", "dir/f", "l", "top"]);
}

#[test]
fn pass_through() {
    let d = Dir::new();
    awkward(&d);
    d.mkdir("out");
    let names = names_of(&d, "src");
    let o = d
        .cmd("cpio")
        .args(["-0dm", "-p", "../out"])
        .dir(d.join("src"))
        .stdin(&names)
        .run();
    assert_eq!(o.code, 0, "{}", o.err());
    assert!(o.err().ends_with(" blocks\n"));
    same_tree(&d.join("src"), &d.join("out"));
    use std::os::unix::fs::MetadataExt;
    assert_eq!(std::fs::metadata(d.join("out/hard")).unwrap().nlink(), 2);
    // -L copies what a symlink points to.
    d.mkdir("out2");
    d.cmd("cpio")
        .args(["-L", "-p", "../out2"])
        .dir(d.join("src"))
        .stdin("link\n")
        .run()
        .code(0);
    assert_eq!(std::fs::read(d.join("out2/link")).unwrap(), b"spaces\n");
}

/// BusyBox's and GNU's cpio write `../evil` and follow an archived symlink; rbox does not.
#[test]
fn hostile_names_stay_inside() {
    let d = Dir::new();
    d.mkdir("t");
    d.mkdir("outside");
    let a = newc(&[
        M(b"../evil", REG, b"evil\n", 1, 1),
        M(b"/abs", REG, b"abs\n", 2, 1),
        M(b"a/../../evil2", REG, b"evil\n", 3, 1),
        M(b"..", DIR, b"", 4, 1),
        // A symlink out of the target, then members through it.
        M(b"esc", LNK, b"../outside", 5, 1),
        M(b"esc/f", REG, b"through\n", 6, 1),
        M(b"esc/g", DIR, b"", 7, 1),
        // A hard link whose first name was outside: it is made inside.
        M(b"../../hl", REG, b"linked\n", 8, 2),
        M(b"hl2", REG, b"", 8, 2),
    ]);
    let o = d.cmd("cpio").args(["-id"]).dir(d.join("t")).stdin(&a).run();
    assert_eq!(o.code, 1);
    let e = o.err();
    assert!(
        e.starts_with("cpio: removing leading '../' from member names\n"),
        "{e}"
    );
    assert!(
        e.contains("cpio: can't open 'esc/f': Not a directory\n"),
        "{e}"
    );
    assert!(
        e.contains("cpio: can't make dir esc/g: Not a directory\n"),
        "{e}"
    );
    assert_eq!(tree(&d.join("outside")), Vec::<String>::new());
    assert!(!d.join("evil").exists() && !d.join("evil2").exists() && !d.join("hl").exists());
    assert_eq!(
        tree(&d.join("t")),
        ["abs", "esc", "evil", "evil2", "hl", "hl2"]
    );
    assert_eq!(std::fs::read(d.join("t/hl2")).unwrap(), b"linked\n");
    assert_eq!(
        std::fs::read_link(d.join("t/esc")).unwrap(),
        Path::new("../outside")
    );
}

#[test]
fn symlink_in_target_is_not_followed() {
    // A symlink already there (or swapped in by another process) is never a way out:
    // parents are opened with O_NOFOLLOW, files replace a symlink rather than write through.
    let d = Dir::new();
    d.mkdir("t");
    d.write("outside/victim", "safe\n");
    std::os::unix::fs::symlink("../outside", d.join("t/dir")).unwrap();
    std::os::unix::fs::symlink("../outside/victim", d.join("t/file")).unwrap();
    let a = newc(&[
        M(b"dir/victim", REG, b"owned\n", 1, 1),
        M(b"file", REG, b"owned\n", 2, 1),
    ]);
    let o = d
        .cmd("cpio")
        .args(["-idu"])
        .dir(d.join("t"))
        .stdin(&a)
        .run();
    assert_eq!(o.code, 1);
    assert!(o.err().contains("can't open 'dir/victim'"), "{}", o.err());
    assert_eq!(std::fs::read(d.join("outside/victim")).unwrap(), b"safe\n");
    assert_eq!(std::fs::read(d.join("t/file")).unwrap(), b"owned\n");
    assert!(!std::fs::symlink_metadata(d.join("t/file"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn truncated_and_corrupt_leave_nothing_half_written() {
    let d = Dir::new();
    let full = newc(&[M(b"big", REG, &vec![b'q'; 100_000], 1, 1)]);
    d.mkdir("t");
    let o = d
        .cmd("cpio")
        .arg("-i")
        .dir(d.join("t"))
        .stdin(&full[..50_000])
        .run();
    o.fails(1, "cpio: big: short read\n");
    assert_eq!(tree(&d.join("t")), Vec::<String>::new());
    // A bad crc-format checksum.
    let mut crc = newc(&[M(b"c", REG, b"abc", 1, 1)]);
    crc[5] = b'2';
    d.cmd("cpio")
        .arg("-i")
        .dir(d.join("t"))
        .stdin(&crc)
        .run()
        .fails(1, "cpio: c: checksum error\n");
    assert_eq!(tree(&d.join("t")), Vec::<String>::new());
    // A header field that is not hex.
    let mut bad = full.clone();
    bad[60] = b'g';
    d.cmd("cpio")
        .arg("-t")
        .stdin(&bad)
        .run()
        .fails(1, "cpio: corrupted header\n");
}

#[test]
fn names_escaped_in_listing() {
    let d = Dir::new();
    let a = newc(&[M(b"red\x1b[31m\x07", REG, b"", 1, 1)]);
    d.cmd("cpio")
        .arg("-t")
        .stdin(&a)
        .run()
        .fails(0, "1 blocks\n");
    let o = d.cmd("cpio").arg("-t").stdin(&a).run();
    assert_eq!(o.out(), "red\\033[31m\\a\n");
    let o = d.cmd("cpio").arg("-tv").stdin(&a).run();
    assert!(o.out().ends_with(" red\\033[31m\\a\n"), "{}", o.out());
}

#[test]
fn full_disk_leaves_no_partial_file() {
    let d = Dir::new();
    d.write(
        "a.cpio",
        newc(&[
            M(b"f", REG, &vec![7u8; 2_000_000], 1, 1),
            M(b"g", REG, b"ok\n", 2, 1),
        ]),
    );
    d.mkdir("m");
    let script = format!(
        "mount -t tmpfs -o size=1m none m || exit 99; cd m; {r}{c} -i < ../a.cpio; echo rc=$?; ls -a",
        r = runner_prefix(),
        c = applet_path("cpio").display()
    );
    let Some(o) = unshare(&d, &script) else {
        return;
    };
    assert_eq!(o.out(), "rc=1\n.\n..\ng\n");
    assert!(
        o.err().starts_with("cpio: f: No space left on device\n"),
        "{}",
        o.err()
    );
}

#[test]
fn write_error_on_stdout() {
    let d = Dir::new();
    d.write("f", "x");
    let o = d
        .cmd("cpio")
        .args(["-o", "-H", "newc"])
        .stdin("f\n")
        .stdout_file("/dev/full")
        .run();
    o.fails(1, "cpio: write error: No space left on device\n");
}

#[test]
fn concurrent_symlink_swap_never_redirects() {
    // Another process swaps the member's directory for a symlink out of the target while
    // cpio runs: every parent is opened O_NOFOLLOW from the target's fd, so nothing lands
    // outside, whichever way each race goes.
    let d = Dir::new();
    d.mkdir("t/d");
    d.mkdir("outside");
    let names: Vec<Vec<u8>> = (0..3000).map(|i| format!("d/f{i}").into_bytes()).collect();
    let ms: Vec<M> = names.iter().map(|n| M(n, REG, b"data\n", 0, 1)).collect();
    let a = newc(&ms);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (t, s2) = (d.join("t"), stop.clone());
    let swapper = std::thread::spawn(move || {
        let mut n = 0;
        while !s2.load(std::sync::atomic::Ordering::Relaxed) {
            let _ = std::fs::rename(t.join("d"), t.join("real"));
            let _ = std::os::unix::fs::symlink("../outside", t.join("d"));
            std::thread::yield_now();
            let _ = std::fs::remove_file(t.join("d"));
            let _ = std::fs::rename(t.join("real"), t.join("d"));
            n += 1;
        }
        n
    });
    let o = d
        .cmd("cpio")
        .args(["-idu"])
        .dir(d.join("t"))
        .stdin(&a)
        .run();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let swaps = swapper.join().unwrap();
    assert!(o.code == 0 || o.code == 1, "{}", o.err());
    assert!(
        tree(&d.join("outside")).is_empty(),
        "written through the symlink ({swaps} swaps)"
    );
}
