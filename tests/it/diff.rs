use crate::common::*;
use std::path::Path;
use std::process::Command;

const GNU: &str = "/usr/bin/diff";

fn has_gnu() -> bool {
    let ok = Path::new(GNU).exists();
    if !ok {
        eprintln!("GNU diff not installed: comparison skipped");
    }
    ok
}

/// rbox's and GNU's diff in `d` with the same arguments: same status and bytes. TZ=UTC so
/// the header times read the same.
#[track_caller]
fn like_gnu(d: &Dir, args: &[&str]) {
    if !has_gnu() {
        return;
    }
    let r = d.cmd("diff").env("TZ", "UTC").args(args).run();
    let g = Command::new(GNU)
        .args(args)
        .current_dir(&d.path)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert_eq!(
        (r.code, String::from_utf8_lossy(&r.stdout)),
        (
            g.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&g.stdout)
        ),
        "left: rbox, right: GNU diff {args:?}"
    );
}

/// A deterministic generator (an LCG): no randomness that changes run to run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A file of `n` lines from an alphabet of `alpha`, then an edited copy of it: inserts,
/// deletes, changes and moved blocks.
fn pair(g: &mut Lcg, n: usize, alpha: u64, edits: usize) -> (Vec<String>, Vec<String>) {
    let a: Vec<String> = (0..n)
        .map(|_| match g.below(12) {
            0 => String::new(),
            1 => format!("  l{}\t ", g.below(alpha)),
            _ => format!("l{}", g.below(alpha)),
        })
        .collect();
    let mut b = a.clone();
    for _ in 0..edits {
        let p = g.below(b.len() as u64 + 1) as usize;
        match g.below(4) {
            0 => b.insert(p, format!("n{}", g.below(alpha))),
            1 if !b.is_empty() => {
                b.remove(p.min(b.len() - 1));
            }
            2 if !b.is_empty() => {
                let q = p.min(b.len() - 1);
                b[q] = format!("c{}", g.below(alpha));
            }
            _ if b.len() > 2 => {
                let q = g.below(b.len() as u64 - 1) as usize;
                let len = (1 + g.below(6) as usize).min(b.len() - q);
                let blk: Vec<String> = b.drain(q..q + len).collect();
                let p = g.below(b.len() as u64 + 1) as usize;
                for (k, l) in blk.into_iter().enumerate() {
                    b.insert(p + k, l);
                }
            }
            _ => {}
        }
    }
    (a, b)
}

fn text(lines: &[String], nl: bool) -> String {
    let mut s = lines.join("\n");
    if nl && !lines.is_empty() {
        s.push('\n');
    }
    s
}

#[test]
fn generated_pairs_match_gnu() {
    if !has_gnu() {
        return;
    }
    let mut g = Lcg(0x5eed_d1ff);
    let d = Dir::new();
    let opts: [&[&str]; 10] = [
        &["-u"],
        &["-U0"],
        &["-U1"],
        &["-ub"],
        &["-uw"],
        &["-ui"],
        &["-uB"],
        &["-ud"],
        &["-ut"],
        &["-uT"],
    ];
    for t in 0..120 {
        let n = [0, 1, 5, 40, 300][t % 5];
        let alpha = [3, 10, 200][t % 3];
        let (a, b) = pair(&mut g, n, alpha, [1, 4, 20][t % 3]);
        d.write("a", text(&a, t % 7 != 0));
        d.write("b", text(&b, t % 11 != 0));
        let mut args: Vec<&str> = opts[t % opts.len()].to_vec();
        args.extend(["a", "b"]);
        like_gnu(&d, &args);
    }
}

/// Real source: this repository's own files against each other and against edited copies
/// with moved blocks: the hunks must be GNU's, not merely a valid diff.
#[test]
fn source_files_match_gnu() {
    if !has_gnu() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(root.join("src"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    let d = Dir::new();
    let mut g = Lcg(42);
    for w in files.windows(2).take(14) {
        let a = std::fs::read_to_string(&w[0]).unwrap();
        let b = std::fs::read_to_string(&w[1]).unwrap();
        d.write("a", &a);
        d.write("b", &b);
        like_gnu(&d, &["-u", "a", "b"]);
        // An edited copy: functions moved, lines changed, whitespace touched.
        let mut lines: Vec<String> = a.lines().map(String::from).collect();
        for _ in 0..12 {
            let p = g.below(lines.len() as u64) as usize;
            match g.below(3) {
                0 => lines[p] = lines[p].replace("    ", "\t"),
                1 => lines.insert(p, "// added".into()),
                _ => {
                    let len = (g.below(15) as usize + 1).min(lines.len() - p);
                    let blk: Vec<String> = lines.drain(p..p + len).collect();
                    let q = g.below(lines.len() as u64 + 1) as usize;
                    for (k, l) in blk.into_iter().enumerate() {
                        lines.insert(q + k, l);
                    }
                }
            }
        }
        d.write("b", text(&lines, true));
        like_gnu(&d, &["-u", "a", "b"]);
        like_gnu(&d, &["-U", "0", "a", "b"]);
        like_gnu(&d, &["-uw", "a", "b"]);
    }
}

#[test]
fn odd_files_match_gnu() {
    let d = Dir::new();
    d.write("empty", "");
    d.write("one", "x\n");
    d.write("nonl", "x");
    d.write("crlf", "a\r\nb\r\nc\r\n");
    d.write("lf", "a\nb\nc\n");
    d.write("bin1", "a\0b\n");
    d.write("bin2", "a\0c\n");
    d.write("utf", b"\xff\xfe bad\n\xc3\xa9\n".as_slice());
    d.write("utf2", b"\xff\xfe bad\n\xc3\xa8\n".as_slice());
    d.write("sp ace", "y\n");
    for (a, b) in [
        ("empty", "one"),
        ("one", "empty"),
        ("one", "nonl"),
        ("nonl", "one"),
        ("crlf", "lf"),
        ("bin1", "bin2"),
        ("utf", "utf2"),
        ("one", "sp ace"),
        ("one", "one"),
    ] {
        like_gnu(&d, &["-u", a, b]);
    }
    like_gnu(&d, &["-ub", "crlf", "lf"]);
    like_gnu(&d, &["-ua", "bin1", "bin2"]);
    like_gnu(&d, &["-q", "one", "nonl"]);
    like_gnu(&d, &["-s", "one", "one"]);
    like_gnu(&d, &["-uL", "A", "-L", "B", "one", "nonl"]);
    like_gnu(&d, &["-uN", "one", "missing"]);
}

#[test]
fn directories_match_gnu() {
    let d = Dir::new();
    d.write("a/f", "1\n2\n3\n");
    d.write("b/f", "1\n3\n");
    d.write("a/same", "s\n");
    d.write("b/same", "s\n");
    d.write("a/only", "o\n");
    d.write("b/other", "p\n");
    d.write("a/sub/s", "s\n");
    d.write("b/sub/s", "t\n");
    d.write("a/bin", "a\0");
    d.write("b/bin", "b\0");
    d.mkdir("a/x");
    d.write("b/x/q", "q\n");
    d.write("a/typ", "f\n");
    d.mkdir("b/typ");
    like_gnu(&d, &["-ru", "a", "b"]);
    like_gnu(&d, &["-r", "-u", "a", "b"]);
    like_gnu(&d, &["-u", "a", "b"]);
    like_gnu(&d, &["-rq", "a", "b"]);
    like_gnu(&d, &["-ruN", "a", "b"]);
    like_gnu(&d, &["-ru", "-S", "same", "a", "b"]);
    like_gnu(&d, &["-u", "a/f", "b"]);
}

#[test]
fn stdin_and_errors() {
    let d = Dir::new();
    d.write("a", "1\n2\n");
    let o = d
        .cmd("diff")
        .args(["-L", "x", "-L", "y", "a", "-"])
        .stdin("1\n3\n")
        .run();
    assert_eq!(
        (o.code, o.out()),
        (1, "--- x\n+++ y\n@@ -1,2 +1,2 @@\n 1\n-2\n+3\n".into())
    );
    d.cmd("diff").args(["a", "a"]).run().ok("");
    d.cmd("diff")
        .args(["nope", "a"])
        .run()
        .fails(2, "diff: can't stat 'nope': No such file or directory\n");
    d.cmd("diff").args(["a"]).run().code(1);
    // A closed pipe ends quietly.
    let big: String = (0..200000).map(|i| format!("{i}\n")).collect();
    d.write("big", &big);
    d.write("empty", "");
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{}{} -u empty big | head -c 10",
            runner_prefix(),
            applet_path("diff").display()
        ))
        .current_dir(&d.path)
        .output()
        .unwrap();
    assert_eq!(out.stdout.len(), 10);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// BusyBox prints no times in its headers; with -L labels its layout is GNU's.
#[test]
fn like_busybox() {
    let setup = |d: &Dir| {
        d.write("a", "1\n2\n3\n4\n5\n6\n7\n8\n9\n");
        d.write("b", "1\n2\nthree\n4\n5\n6\n7\n8\nnine\n");
        d.write("n", "x");
    };
    same("diff", &["-L", "A", "-L", "B", "a", "b"], b"", setup);
    same(
        "diff",
        &["-L", "A", "-L", "B", "-U", "1", "a", "b"],
        b"",
        setup,
    );
    same("diff", &["-L", "A", "-L", "B", "a", "n"], b"", setup);
    same("diff", &["-q", "a", "b"], b"", setup);
    same("diff", &["a", "a"], b"", setup);
    same("diff", &["nope", "a"], b"", setup);
}

/// A pathological pair (nothing in common, many lines) still ends: GNU's cost limit.
#[test]
fn nothing_in_common_ends() {
    let d = Dir::new();
    let a: String = (0..20000).map(|i| format!("a{}\n", i % 7)).collect();
    let b: String = (0..20000).map(|i| format!("b{}\n", i % 5)).collect();
    d.write("a", &a);
    d.write("b", &b);
    like_gnu(&d, &["-u", "a", "b"]);
    let mut g = Lcg(9);
    let a: String = (0..30000).map(|_| format!("{}\n", g.below(4))).collect();
    let b: String = (0..30000).map(|_| format!("{}\n", g.below(4))).collect();
    d.write("a", &a);
    d.write("b", &b);
    like_gnu(&d, &["-u", "a", "b"]);
}

/// rbox's and GNU's diff with stdout and stderr into one file each (so the order of
/// messages among the output counts, as with `2>&1`): same status and bytes. GNU runs as
/// `diff` so its messages carry the same name.
#[track_caller]
fn like_gnu_merged(d: &Dir, args: &[&str]) {
    use std::os::unix::process::CommandExt;
    if !has_gnu() {
        return;
    }
    let merged = |name: &str| {
        let f = std::fs::File::create(d.join(name)).unwrap();
        (f.try_clone().unwrap(), f)
    };
    let mut r = d.cmd("diff");
    let (o, e) = merged("out.rbox");
    let rc = r
        .cmd
        .env("TZ", "UTC")
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(o)
        .stderr(e)
        .status()
        .unwrap();
    let (o, e) = merged("out.gnu");
    let gc = Command::new(GNU)
        .arg0("diff")
        .args(args)
        .current_dir(&d.path)
        .env("TZ", "UTC")
        .stdin(std::process::Stdio::null())
        .stdout(o)
        .stderr(e)
        .status()
        .unwrap();
    let read = |n: &str| String::from_utf8_lossy(&std::fs::read(d.join(n)).unwrap()).into_owned();
    assert_eq!(
        (rc.code(), read("out.rbox")),
        (gc.code(), read("out.gnu")),
        "left: rbox, right: GNU diff {args:?}"
    );
}

/// Trees with every kind of entry GNU's diff -r tells apart, compared with GNU's output and
/// messages (in order) and status.
#[test]
fn trees_match_gnu() {
    use std::os::unix::fs::symlink;
    let d = Dir::new();
    for s in ["a", "b"] {
        d.write(format!("{s}/same"), "same\n");
        d.write(format!("{s}/sub/deeper/f"), format!("{s}\n"));
        d.write(format!("{s}/sub/x y"), format!("spaced {s}\n"));
        symlink("same", d.join(format!("{s}/link"))).unwrap();
        symlink("..", d.join(format!("{s}/sub/up"))).unwrap();
        d.write(format!("{s}/a-b"), "dash\n");
        d.write(format!("{s}/B"), "upper\n");
    }
    d.write("a/a/in", "dir a\n");
    d.write("b/a/in", "dir a changed\n");
    d.write("a/f", "1\n2\n3\n");
    d.write("b/f", "1\n3\n");
    d.write("a/lone/deep/q", "q\n");
    d.write("a/lone/r", "r\n");
    d.write("b/only-b", "o\n");
    d.write("a/empty", "");
    d.mkdir("b/empty");
    d.write("a/bin", "a\0b");
    d.write("b/bin", "a\0c");
    d.write("a/bin-size", "a\0");
    d.write("b/bin-size", "a\0bb");
    d.write("a/typ", "t\n");
    symlink("f", d.join("b/typ")).unwrap();
    symlink("same", d.join("a/link2")).unwrap();
    symlink("f", d.join("b/link2")).unwrap();
    // Dangling on both sides: an error each (status 2); on one side only: "Only in".
    symlink("nowhere", d.join("a/dang")).unwrap();
    symlink("nowhere", d.join("b/dang")).unwrap();
    symlink("nowhere", d.join("a/dang-only")).unwrap();
    let fifo = |p: &str| {
        let c = std::ffi::CString::new(d.join(p).as_os_str().as_encoded_bytes()).unwrap();
        unsafe { libc::mkfifo(c.as_ptr(), 0o644) }
    };
    fifo("a/fifo");
    fifo("b/fifo");
    for args in [
        &["-ru", "a", "b"][..],
        &["-r", "-u", "a/", "b"],
        &["-u", "a", "b"],
        &["-rq", "a", "b"],
        &["-rsu", "a", "b"],
        &["-ruN", "a", "b"],
        &["-ruN", "b", "a"],
        &["-ru", "--no-dereference", "a", "b"],
        &["-ru", "-S", "f", "a", "b"],
        &["-ru", "-x", "sub", "a", "b"],
        &["-ru", "-x", "*a*", "-x", "l?nk*", "a", "b"],
        &["-ru", "-x", "a b", "a", "b"],
        &["-ru", "a/sub", "b/sub"],
    ] {
        like_gnu_merged(&d, args);
    }
    d.write("pats", "s*\n\nbin*\n");
    like_gnu_merged(&d, &["-ru", "-X", "pats", "a", "b"]);
    like_gnu_merged(&d, &["-ru", "-X", "nopats", "a", "b"]);
}

/// Character devices with the same numbers are equal, as GNU's diff decides.
#[test]
fn devices_in_trees() {
    let d = Dir::new();
    d.mkdir("a");
    d.mkdir("b");
    for (p, dev) in [
        ("a/n", (1, 3)),
        ("b/n", (1, 3)),
        ("a/z", (1, 5)),
        ("b/z", (1, 3)),
    ] {
        let c = std::ffi::CString::new(d.join(p).as_os_str().as_encoded_bytes()).unwrap();
        if unsafe {
            libc::mknod(
                c.as_ptr(),
                libc::S_IFCHR | 0o644,
                libc::makedev(dev.0, dev.1),
            )
        } != 0
        {
            eprintln!("mknod not permitted: skipped");
            return;
        }
    }
    like_gnu_merged(&d, &["-r", "a", "b"]);
}

/// A tree deeper than the levels kept open by descriptor (64), walked the same way.
#[test]
fn deep_trees() {
    let d = Dir::new();
    let deep: String = (0..90).map(|i| format!("d{i}/")).collect();
    d.write(format!("a/{deep}f"), "1\n");
    d.write(format!("b/{deep}f"), "2\n");
    d.write(format!("a/{deep}only"), "1\n");
    d.write(format!("a/{deep}same"), "s\n");
    d.write(format!("b/{deep}same"), "s\n");
    like_gnu_merged(&d, &["-ru", "a", "b"]);
    like_gnu_merged(&d, &["-ruN", "a", "b"]);
}

/// Many files, some changed: the same report as GNU's (sorted by name at each level).
#[test]
fn many_files_match_gnu() {
    let d = Dir::new();
    let mut g = Lcg(5);
    for i in 0..400 {
        let dir = format!("d{}", g.below(7));
        let body: String = (0..g.below(40))
            .map(|k| format!("line {k} {}\n", g.below(3)))
            .collect();
        let name = format!("{dir}/f{i}{}", ["", ".c", ".txt"][g.below(3) as usize]);
        d.write(format!("a/{name}"), &body);
        match g.below(10) {
            0 => {}
            1 => {
                d.write(format!("b/{name}"), format!("{body}changed\n"));
            }
            _ => {
                d.write(format!("b/{name}"), &body);
            }
        }
    }
    like_gnu_merged(&d, &["-ru", "a", "b"]);
    like_gnu_merged(&d, &["-rq", "a", "b"]);
}
