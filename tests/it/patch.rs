use crate::common::*;
use std::path::Path;
use std::process::Command;

const GNU: &str = "/usr/bin/patch";

fn has_gnu() -> bool {
    let ok = Path::new(GNU).exists();
    if !ok {
        eprintln!("GNU patch not installed (Debian `patch`): comparison skipped");
    }
    ok
}

/// Every file of a directory, sorted, with its bytes.
fn tree(p: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    fn walk(base: &Path, p: &Path, v: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(p).unwrap().flatten() {
            let path = e.path();
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                walk(base, &path, v);
            } else {
                v.push((rel, std::fs::read(&path).unwrap_or_default()));
            }
        }
    }
    walk(p, p, &mut v);
    v.sort();
    v
}

/// rbox's and GNU's patch, each in a fresh copy made by `setup`, with `patch` on stdin:
/// same messages, status and resulting files.
#[track_caller]
fn like_gnu(setup: &dyn Fn(&Dir), patch: &str, args: &[&str]) {
    if !has_gnu() {
        return;
    }
    let (r, g) = (Dir::new(), Dir::new());
    setup(&r);
    setup(&g);
    let mut rc = r.cmd("patch");
    // No controlling terminal, as GNU's `setsid` below: the reversed-patch questions take
    // their defaults instead of reading /dev/tty.
    unsafe {
        use std::os::unix::process::CommandExt;
        rc.cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let ro = rc.args(args).stdin(patch).run();
    let go = Command::new("setsid")
        .arg(GNU)
        .args(args)
        .current_dir(&g.path)
        .stdin(std::fs::File::open(g.write(".p", patch)).unwrap())
        .output()
        .unwrap();
    std::fs::remove_file(g.join(".p")).unwrap();
    assert_eq!(
        (ro.code, ro.out()),
        (
            go.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&go.stdout).into_owned()
        ),
        "left: rbox, right: GNU patch {args:?}"
    );
    assert_eq!(tree(&r.path), tree(&g.path), "files after patch {args:?}");
}

fn seq(a: usize, b: usize) -> String {
    (a..=b).map(|i| format!("{i}\n")).collect()
}

const P: &str = "--- a/t\n+++ b/t\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n@@ -22,7 +22,7 @@\n 22\n 23\n 24\n-25\n+twentyfive\n 26\n 27\n 28\n";

#[test]
fn offsets_fuzz_rejects_like_gnu() {
    // Exact, shifted by three lines (offset), a context line changed (fuzz), a hunk that
    // cannot apply (rejects and the .orig backup).
    let exact = |d: &Dir| {
        d.write("t", seq(1, 30));
    };
    let shifted = |d: &Dir| {
        d.write("t", format!("x\ny\nz\n{}", seq(1, 30)));
    };
    let fuzzed = |d: &Dir| {
        d.write(
            "t",
            seq(1, 30)
                .replace("\n2\n", "\ntwo\n")
                .replace("\n28\n", "\nTE\n"),
        );
    };
    let broken = |d: &Dir| {
        d.write("t", seq(1, 30).replace("\n5\n", "\nV\n"));
    };
    for s in [&exact as &dyn Fn(&Dir), &shifted, &fuzzed, &broken] {
        for args in [
            &["-p1"][..],
            &["-p1", "-s"],
            &["-p1", "--dry-run"],
            &["-p1", "-b"],
            &["-p1", "-b", "-z", ".bak"],
            &["-p1", "--no-backup-if-mismatch"],
            &["-p1", "-F", "0"],
            &["t"],
            &["-p1", "-o", "out"],
        ] {
            like_gnu(s, P, args);
        }
    }
}

#[test]
fn reversed_like_gnu() {
    let applied = |d: &Dir| {
        d.write(
            "t",
            seq(1, 30)
                .replace("\n5\n", "\nfive\n")
                .replace("\n25\n", "\ntwentyfive\n"),
        );
    };
    for args in [
        &["-p1"][..],
        &["-p1", "-N"],
        &["-p1", "-t"],
        &["-p1", "-f"],
        &["-p1", "-R"],
        &["-p1", "-s", "-N"],
    ] {
        like_gnu(&applied, P, args);
    }
    let orig = |d: &Dir| {
        d.write("t", seq(1, 30));
    };
    like_gnu(&orig, P, &["-p1", "-R"]);
    like_gnu(&orig, P, &["-p1", "-R", "-t"]);
}

#[test]
fn new_deleted_missing_like_gnu() {
    let none = |_: &Dir| {};
    let new = "--- /dev/null\n+++ b/dir/new\n@@ -0,0 +1,2 @@\n+n1\n+n2\n";
    like_gnu(&none, new, &["-p1"]);
    let has = |d: &Dir| {
        d.write("dir/new", "n1\nn2\n");
    };
    like_gnu(&has, new, &["-p1"]);
    like_gnu(&has, new, &["-p1", "-N"]);
    let del = "--- a/dir/new\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-n1\n-n2\n";
    like_gnu(&has, del, &["-p1"]);
    let empty = "--- a/dir/new\n+++ b/dir/new\n@@ -1,2 +0,0 @@\n-n1\n-n2\n";
    like_gnu(&has, empty, &["-p1", "-E"]);
    like_gnu(&has, empty, &["-p1"]);
    let missing = "--- a/nope\n+++ b/nope\n@@ -1 +1 @@\n-x\n+y\n";
    like_gnu(&none, missing, &["-p1", "-t"]);
}

#[test]
fn context_diffs_like_gnu() {
    let d = Dir::new();
    d.write("a", seq(1, 40));
    d.write(
        "b",
        seq(1, 40)
            .replace("\n7\n", "\nseven\n")
            .replace("\n30\n", "\n30\n30b\n"),
    );
    let c = Command::new("/usr/bin/diff")
        .args(["-c", "a", "b"])
        .current_dir(&d.path)
        .output();
    let Ok(c) = c else { return };
    let p = String::from_utf8_lossy(&c.stdout).into_owned();
    let shifted = |d: &Dir| {
        d.write("a", format!("0\n{}", seq(1, 40)));
    };
    like_gnu(&shifted, &p, &[]);
    let exact = |d: &Dir| {
        d.write("a", seq(1, 40));
    };
    like_gnu(&exact, &p, &[]);
    // A hunk that cannot apply: its .rej is the hunk as the patch had it.
    let broken = |d: &Dir| {
        d.write(
            "a",
            seq(1, 40)
                .replace("\n6\n", "\nsix\n")
                .replace("\n8\n", "\neight\n"),
        );
    };
    like_gnu(&broken, &p, &[]);
}

/// A rejected unified hunk that ends in "\\ No newline at end of file": the .rej is a
/// patch that applies, marker kept (GNU 2.7 writes the last line without its newline or
/// the marker); the file is left as it was.
#[test]
fn reject_without_newline() {
    let p = "--- a/t\n+++ b/t\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n\\ No newline at end of file\n";
    let d = Dir::new();
    d.write("t", "1\nTWO\n3");
    let o = d.cmd("patch").args(["-p1"]).stdin(p).run();
    assert_eq!(o.code, 1);
    let read = |n: &str| std::fs::read(d.join(n)).unwrap();
    assert_eq!(read("t"), b"1\nTWO\n3");
    let rej = p.replace("a/t\n", "t\n").replace("b/t\n", "t\n");
    assert_eq!(String::from_utf8_lossy(&read("t.rej")), rej);
    // The .rej applies once the file fits it.
    d.write("t", "1\n2\n3");
    d.cmd("patch").arg("t").stdin(&rej).run().code(0);
    assert_eq!(read("t"), b"1\ntwo\n3");
    let fine = |d: &Dir| {
        d.write("t", "1\n2\n3");
    };
    like_gnu(&fine, p, &["-p1"]);
}

/// A deterministic generator (an LCG).
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// rbox diff then rbox patch gives the new file back, over many generated pairs (no
/// trailing newline on either side included); and GNU patch agrees on a shifted copy.
#[test]
fn round_trips() {
    let mut g = Lcg(0xd1ff_7a7c);
    let d = Dir::new();
    for t in 0..150 {
        let n = [1, 8, 60, 400][t % 4];
        let alpha = [4, 30, 1000][t % 3];
        let a: Vec<String> = (0..n).map(|_| format!("l{}", g.below(alpha))).collect();
        let mut b = a.clone();
        for _ in 0..[1, 5, 25][t % 3] {
            let p = g.below(b.len() as u64 + 1) as usize;
            match g.below(3) {
                0 => b.insert(p, format!("n{}", g.below(alpha))),
                1 if !b.is_empty() => {
                    b.remove(p.min(b.len() - 1));
                }
                _ if !b.is_empty() => {
                    let q = p.min(b.len() - 1);
                    b[q] = format!("c{}", g.below(alpha));
                }
                _ => {}
            }
        }
        let end = |nl: bool| if nl { "\n" } else { "" };
        let at = a.join("\n") + end(t % 5 != 0);
        let bt = b.join("\n") + end(t % 7 != 0);
        d.write("f", &at);
        d.write("new", &bt);
        let u = ["-U3", "-U1", "-U0", "-U8"][t % 4];
        let df = d.cmd("diff").args([u, "f", "new"]).run();
        if at == bt {
            assert_eq!(df.code, 0);
            continue;
        }
        assert_eq!(df.code, 1);
        let o = d.cmd("patch").args(["-s", "f"]).stdin(&df.stdout).run();
        assert_eq!(o.code, 0, "{}{}", o.out(), o.err());
        assert_eq!(
            std::fs::read_to_string(d.join("f")).unwrap(),
            bt,
            "round trip {t}"
        );
        assert!(!d.join("f.orig").exists());
        if t % 3 == 0 && u != "-U0" {
            let p = String::from_utf8_lossy(&df.stdout).into_owned();
            let at2 = format!("p0\np1\n{at}");
            like_gnu(
                &|d: &Dir| {
                    d.write("f", &at2);
                },
                &p,
                &["f"],
            );
        }
    }
}

/// A patch made by `git diff` (a/ b/ names, index lines, a rename, a new and a deleted
/// file, a mode change) applied with -p1.
#[test]
fn git_patches() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("git not installed: skipped");
        return;
    }
    let d = Dir::new();
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(args)
            .current_dir(&d.path)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", &d.path)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        o.stdout
    };
    git(&["init", "-q"]);
    d.write("src/a.c", seq(1, 50));
    d.write("old.txt", "gone\n");
    d.write("mv.txt", seq(1, 20));
    d.write("x.sh", "echo\n");
    git(&["add", "."]);
    git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-qm",
        "one",
    ]);
    d.write(
        "src/a.c",
        seq(1, 50)
            .replace("\n10\n", "\nten\n")
            .replace("\n40\n", "\nforty\n"),
    );
    std::fs::remove_file(d.join("old.txt")).unwrap();
    d.write("added/n.txt", "new\n");
    git(&["mv", "mv.txt", "moved.txt"]);
    d.write("moved.txt", seq(1, 20).replace("\n3\n", "\nthree\n"));
    git(&["add", "-A"]);
    let p = git(&["diff", "--cached", "-M"]);
    git(&["reset", "-q", "--hard"]);
    // The files shifted by two lines: offsets.
    d.write("src/a.c", format!("h1\nh2\n{}", seq(1, 50)));
    let o = d.cmd("patch").args(["-p1"]).stdin(&p).run();
    assert_eq!(o.code, 0, "{}{}", o.out(), o.err());
    assert!(
        o.out().contains("Hunk #1 succeeded at 9 (offset 2 lines)."),
        "{}",
        o.out()
    );
    assert!(
        o.out()
            .contains("patching file moved.txt (renamed from mv.txt)"),
        "{}",
        o.out()
    );
    assert_eq!(
        std::fs::read_to_string(d.join("src/a.c")).unwrap(),
        format!(
            "h1\nh2\n{}",
            seq(1, 50)
                .replace("\n10\n", "\nten\n")
                .replace("\n40\n", "\nforty\n")
        )
    );
    assert!(!d.join("old.txt").exists());
    assert!(!d.join("mv.txt").exists());
    assert_eq!(
        std::fs::read_to_string(d.join("moved.txt")).unwrap(),
        seq(1, 20).replace("\n3\n", "\nthree\n")
    );
    assert_eq!(
        std::fs::read_to_string(d.join("added/n.txt")).unwrap(),
        "new\n"
    );
}

/// A patch may not write outside its tree: `..`, absolute names, a symlinked directory,
/// a symlink as the target.
#[test]
fn hostile_patches() {
    let d = Dir::new();
    d.mkdir("tree");
    d.write("outside/victim", "orig\n");
    std::os::unix::fs::symlink("../outside", d.join("tree/linkdir")).unwrap();
    std::os::unix::fs::symlink("../outside/victim", d.join("tree/flink")).unwrap();
    let t = |p: &str, args: &[&str]| {
        let mut c = d.cmd("patch");
        c.cmd.current_dir(d.join("tree"));
        c.args(args).stdin(p).run()
    };
    let o = t(
        "--- a/../evil\n+++ b/../evil\n@@ -0,0 +1 @@\n+x\n",
        &["-p1"],
    );
    assert_eq!(o.code, 1);
    assert!(
        o.out()
            .starts_with("Ignoring potentially dangerous file name ../evil\n"),
        "{}",
        o.out()
    );
    assert!(!d.join("evil").exists());
    let abs = d.join("abs");
    let p = format!("--- {0}\n+++ {0}\n@@ -0,0 +1 @@\n+x\n", abs.display());
    let o = t(&p, &["-p0"]);
    assert_eq!(o.code, 1);
    assert!(!abs.exists());
    let o = t(
        "--- a/linkdir/victim\n+++ b/linkdir/victim\n@@ -1 +1 @@\n-orig\n+pwned\n",
        &["-p1"],
    );
    assert_ne!(o.code, 0);
    let o = t(
        "--- a/flink\n+++ b/flink\n@@ -1 +1 @@\n-orig\n+pwned\n",
        &["-p1"],
    );
    assert_eq!(o.code, 2);
    assert_eq!(
        std::fs::read_to_string(d.join("outside/victim")).unwrap(),
        "orig\n"
    );
    // A new file under the symlinked directory is not created through it.
    let o = t(
        "--- /dev/null\n+++ b/linkdir/made\n@@ -0,0 +1 @@\n+x\n",
        &["-p1"],
    );
    assert_ne!(o.code, 0);
    assert!(!d.join("outside/made").exists());
    // BusyBox 1.35 writes ../evil here; GNU and rbox refuse (see above).
}

/// A full disk while writing the patched file: the original stays whole and no temporary
/// is left behind. A 64 KiB tmpfs in a private mount namespace.
#[test]
fn full_disk_leaves_nothing_half_written() {
    if Command::new("unshare")
        .args(["-m", "true"])
        .output()
        .map(|o| !o.status.success())
        .unwrap_or(true)
    {
        eprintln!("unshare -m not available (needs root): skipped");
        return;
    }
    let d = Dir::new();
    d.mkdir("mnt");
    let small: String = seq(1, 3);
    let mut p = String::from("--- a/f\n+++ b/f\n@@ -1,3 +1,3000 @@\n 1\n 2\n 3\n");
    for i in 0..2997 {
        p.push_str(&format!("+a long added line to fill the little disk {i}\n"));
    }
    d.write("p", &p);
    d.write("small", &small);
    let script = format!(
        "set -e; mount -t tmpfs -o size=64k tmpfs mnt; cp small mnt/f; cd mnt; {}{} -p1 -i ../p; echo rc=$?",
        runner_prefix(),
        applet_path("patch").display()
    );
    let script = format!("{script} 2>&1 || true; ls -a; cmp f ../small && echo same");
    let o = Command::new("unshare")
        .args(["-m", "sh", "-c", &script.replace("set -e; ", "")])
        .current_dir(&d.path)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(out.contains("No space left on device"), "{out}");
    assert!(out.contains("rc=2"), "{out}");
    assert!(out.contains("same"), "{out}");
    assert!(!out.contains(".rbox-patch"), "{out}");
}

#[test]
fn errors() {
    let d = Dir::new();
    d.cmd("patch")
        .args(["-i", "nope"])
        .run()
        .fails(1, "patch: can't open 'nope': No such file or directory\n");
    let o = d.cmd("patch").stdin("just text\n").run();
    assert_eq!(o.code, 2);
    d.cmd("patch").stdin("").run().ok("");
}

/// -o with a patch of several files: every patched text goes to OUT in turn (GNU), rejects
/// to OUT.rej, `-o -` to stdout (messages then on stderr), OUT relative to -d.
#[test]
fn output_file_for_several_files() {
    let p = "--- f1\n+++ f1\n@@ -1,3 +1,3 @@\n 1\n-2\n+X\n 3\n--- f2\n+++ f2\n@@ -1,3 +1,3 @@\n a\n b\n-c\n+Y\n--- f3\n+++ f3\n@@ -1,2 +1,2 @@\n-p\n+q\n r\n";
    let setup = |d: &Dir| {
        d.write("f1", "1\n2\n3\n");
        d.write("f2", "a\nb\nc\n");
        d.write("f3", "p\nr\n");
        d.write("out", "old contents\n");
        d.write("sub/f1", "1\n2\n3\n");
        d.write("sub/f2", "a\nb\nc\n");
        d.write("sub/f3", "p\nr\n");
    };
    like_gnu(&setup, p, &["-o", "out"]);
    like_gnu(&setup, p, &["-o", "new"]);
    like_gnu(&setup, p, &["-o", "-"]);
    like_gnu(&setup, p, &["-o", "sub/o"]);
    like_gnu(&setup, p, &["-d", "sub", "-o", "o"]);
    like_gnu(&setup, p, &["-R", "-f", "-o", "out"]);
    // The middle file does not match: its text goes out unchanged, its hunk to out.rej.
    let failing = |d: &Dir| {
        setup(d);
        d.write("f2", "zz\nzz\nzz\n");
    };
    like_gnu(&failing, p, &["-o", "out"]);
    // Without GNU to compare with, the layout itself.
    let d = Dir::new();
    setup(&d);
    d.cmd("patch").args(["-o", "out"]).stdin(p).run().ok(
        "patching file out (read from f1)\npatching file out (read from f2)\npatching file out (read from f3)\n",
    );
    assert_eq!(
        std::fs::read_to_string(d.join("out")).unwrap(),
        "1\nX\n3\na\nb\nY\nq\nr\n"
    );
    assert_eq!(std::fs::read_to_string(d.join("f1")).unwrap(), "1\n2\n3\n");
    let o = d.cmd("patch").args(["-o", "-"]).stdin(p).run();
    assert_eq!(
        (o.code, o.out()),
        (0, "1\nX\n3\na\nb\nY\nq\nr\n".to_string())
    );
    assert!(
        o.err().starts_with("patching file - (read from f1)\n"),
        "{}",
        o.err()
    );
}
