//! crc32 (compared with BusyBox), cksum and sum (not in Debian's BusyBox: compared with
//! GNU's where BusyBox's output is the same, fixed values elsewhere).

use crate::common::*;

fn files(d: &Dir) {
    d.write("abc", "abc");
    d.write("empty", "");
    let r: Vec<u8> = (0..70_000u32).map(|i| (i * 31 + i / 7) as u8).collect();
    d.write("r.bin", r);
    d.mkdir("dir");
}

#[test]
fn crc32_matches_busybox() {
    for a in [
        &["abc"][..],
        &["abc", "r.bin", "empty"],
        &[],
        &["-"],
        &["nope", "abc"],
        &["dir", "abc"],
    ] {
        same("crc32", a, b"stdin\n", files);
    }
}

fn gnu(d: &Dir, prog: &str, args: &[&str]) -> Option<Out> {
    let o = std::process::Command::new(prog)
        .args(args)
        .current_dir(&d.path)
        .output()
        .ok()?;
    Some(Out {
        code: o.status.code().unwrap_or(-1),
        stdout: o.stdout,
        stderr: o.stderr,
    })
}

#[test]
fn cksum_matches_gnu() {
    let d = Dir::new();
    files(&d);
    for a in [&["abc"][..], &["abc", "r.bin", "empty"], &["-"]] {
        let Some(g) = gnu(&d, "cksum", a) else { return };
        d.cmd("cksum").args(a).run().ok(&g.stdout);
    }
    d.cmd("cksum").stdin("abc").run().ok("1219131554 3\n");
    // BusyBox's wording for a file that cannot be opened (GNU's is "cksum: nope: ...").
    d.cmd("cksum")
        .args(["nope", "abc"])
        .run()
        .fails(1, "cksum: can't open 'nope': No such file or directory\n");
}

#[test]
fn sum_algorithms() {
    let d = Dir::new();
    files(&d);
    // System V (-s) always names the file; BSD (default, -r) only for several files:
    // BusyBox's rule (GNU names a single file too).
    for a in [
        &["-s", "abc"][..],
        &["-s", "abc", "r.bin", "empty"],
        &["abc", "r.bin"],
        &["-r", "abc", "empty"],
    ] {
        let Some(g) = gnu(&d, "sum", a) else { return };
        d.cmd("sum").args(a).run().ok(&g.stdout);
    }
    d.cmd("sum").arg("abc").run().ok("16556     1\n");
    d.cmd("sum").stdin("abc").run().ok("16556     1\n");
    d.cmd("sum").arg("-s").stdin("abc").run().ok("294 1\n");
    d.cmd("sum")
        .args(["nope", "abc"])
        .run()
        .fails(1, "sum: can't open 'nope': No such file or directory\n");
    d.cmd("sum")
        .arg("dir")
        .run()
        .fails(1, "sum: dir: Is a directory\n");
}
