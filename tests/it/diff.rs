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
