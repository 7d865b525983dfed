//! xz, unxz, xzcat, lzma, unlzma, lzcat: round trips with xz-utils both ways (every check
//! type, several blocks, a BCJ filter), streams with padding, trailing garbage, corrupt and
//! truncated input; the shared checks are in bzip2.rs (`Fam`).

use crate::bzip2::*;
use crate::common::*;

const XZ: Fam = Fam {
    pack: "xz",
    unpack: "unxz",
    cat: "xzcat",
    gnu: "xz",
    suf: ".xz",
    // BusyBox's unxz says this for a cut stream too.
    trunc_msg: "corrupted data",
};

const LZ: Fam = Fam {
    pack: "lzma",
    unpack: "unlzma",
    cat: "lzcat",
    gnu: "lzma",
    suf: ".lzma",
    trunc_msg: "unexpected EOF",
};

#[test]
fn xz_round_trips_with_gnu() {
    round_trips(&XZ, &["-0", "-1", "-6", "-9"]);
}

#[test]
fn lzma_round_trips_with_gnu() {
    round_trips(&LZ, &["-1", "-6"]);
}

#[test]
fn xz_check_types_blocks_and_filters() {
    if !has("xz") {
        return;
    }
    let t = text();
    let d = Dir::new();
    for args in [
        &["-C", "none"][..],
        &["-C", "crc32"],
        &["-C", "crc64"],
        &["-C", "sha256"],
        &["--block-size=65536"],
        &["--x86", "--lzma2=preset=6"],
        &["--delta=dist=4", "--lzma2"],
        &["-T2", "--block-size=100000"],
    ] {
        let mut a = args.to_vec();
        a.push("-c");
        let z = gnu("xz", &a, &t).stdout;
        d.cmd("xzcat").stdin(&z).run().ok(&t);
        // A flipped bit in the data is caught by the check.
        if args[0] != "-C" || args[1] != "none" {
            let mut bad = z.clone();
            let n = bad.len();
            bad[n / 2] ^= 0x10;
            assert_eq!(d.cmd("xzcat").stdin(&bad).run().code, 1, "{args:?}");
        }
    }
}

#[test]
fn xz_padding_between_streams() {
    let d = Dir::new();
    let mut z = d.cmd("xz").arg("-c").stdin(b"a\n").run().stdout;
    z.extend_from_slice(&[0; 8]);
    z.extend(d.cmd("xz").arg("-c").stdin(b"b\n").run().stdout);
    z.extend_from_slice(&[0; 4]);
    d.cmd("xzcat").stdin(&z).run().ok("a\nb\n");
    // Padding must come in fours, as xz-utils checks.
    z.push(0);
    let o = d.cmd("xzcat").stdin(&z).run();
    assert_eq!(
        (o.code, o.err()),
        (1, "xzcat: corrupted data\n".to_string())
    );
}

#[test]
fn xz_files_and_options() {
    files(&XZ);
}

#[test]
fn lzma_files_and_options() {
    files(&LZ);
}

#[test]
fn xz_streams_garbage_and_test() {
    streams_and_test(&XZ, true);
}

#[test]
fn lzma_streams_garbage_and_test() {
    // A .lzma file holds one stream: what follows is ignored, as BusyBox does.
    streams_and_test(&LZ, false);
}

#[test]
fn xz_bad_input() {
    // BusyBox's unxz exits 0 on a foreign file, silently: rbox says so and fails.
    bad_input(&XZ, "invalid magic");
    same(
        "unxz",
        &["-c"],
        b"\xfd7zXZ\x00 and then nothing good",
        |_| {},
    );
}

#[test]
fn lzma_bad_input() {
    bad_input(&LZ, "bad lzma header");
    same("unlzma", &["-c"], b"short", |_| {});
}

#[test]
fn xz_odd_names_and_outputs() {
    odd_names_and_outputs(&XZ);
}

#[test]
fn lzma_odd_names_and_outputs() {
    odd_names_and_outputs(&LZ);
}

#[test]
fn xz_bomb_is_streamed() {
    bomb(&XZ, &["-c"]);
}

#[test]
fn lzma_bomb_is_streamed() {
    // .lzma is one stream: make one 400 MB stream.
    if under_runner() || !has("lzma") {
        return;
    }
    let d = Dir::new();
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "head -c 419430400 /dev/zero | lzma -1 > b.lzma; ulimit -v 100000; {} b.lzma | wc -c",
            applet_path("lzcat").display()
        ))
        .current_dir(&d.path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "419430400");
}

#[test]
fn xz_long_options_and_presets() {
    let d = Dir::new();
    d.write("f", text());
    d.cmd("xz")
        .args(["--keep", "-T0", "-e", "-3", "f"])
        .run()
        .ok("");
    assert!(d.join("f").exists() && d.join("f.xz").exists());
    let o = d.cmd("xz").args(["--decompress", "--stdout", "f.xz"]).run();
    assert_eq!(o.stdout, text());
    d.cmd("unxz").args(["--test", "f.xz"]).run().ok("");
    // lzma -d and xz --format are not needed: unlzma reads what lzma writes.
    let z = d.cmd("lzma").arg("-c").stdin(b"hi\n").run().stdout;
    d.cmd("unlzma").stdin(&z).run().ok("hi\n");
    d.cmd("lzma").arg("-dc").stdin(&z).run().ok("hi\n");
}

/// Runs xz-utils' xz with `args` in `d`, for what rbox must print the same.
fn xz_utils(d: &Dir, args: &[&str]) -> Out {
    let o = std::process::Command::new("xz")
        .args(args)
        .current_dir(&d.path)
        .output()
        .unwrap();
    Out {
        code: o.status.code().unwrap_or(128),
        stdout: o.stdout,
        stderr: o.stderr,
    }
}

#[test]
fn xz_list_as_xz_utils() {
    if !has("xz") {
        return;
    }
    let d = Dir::new();
    let t = text();
    d.write("big.xz", gnu("xz", &["-c"], &t).stdout);
    d.write(
        "blocks.xz",
        gnu("xz", &["-c", "--block-size=50000", "-C", "crc32"], &t).stdout,
    );
    d.write(
        "none.xz",
        gnu("xz", &["-c", "-C", "none"], b"tiny\n").stdout,
    );
    d.write("sha.xz", gnu("xz", &["-c", "-C", "sha256"], b"").stdout);
    // Two streams with stream padding between and after.
    let mut two = gnu("xz", &["-c"], b"a\n").stdout;
    two.extend_from_slice(&[0; 8]);
    two.extend(gnu("xz", &["-c", "-C", "crc32"], &t[..5000]).stdout);
    two.extend_from_slice(&[0; 4]);
    d.write("two streams.xz", &two);
    // Bad ones: empty, too small, not .xz, cut short, a flipped index byte.
    d.write("empty.xz", b"");
    d.write("small.xz", &two[..20]);
    d.write("junk.xz", b"not an xz file, but long enough to be one");
    let big = std::fs::read(d.join("big.xz")).unwrap();
    d.write("cut.xz", &big[..big.len() - 30]);
    let mut flip = big.clone();
    let n = flip.len();
    flip[n - 14] ^= 1;
    d.write("flip.xz", &flip);
    d.mkdir("dir");
    for args in [
        &["-l", "big.xz"][..],
        &["-l", "blocks.xz", "none.xz", "sha.xz", "two streams.xz"],
        &["--list", "big.xz", "big.xz"],
        &[
            "-l", "empty.xz", "small.xz", "junk.xz", "cut.xz", "flip.xz", "none.xz",
        ],
        &["-l", "missing.xz", "big.xz", "junk.xz"],
        &["-l", "dir", "big.xz"],
        &["-l", "-"],
    ] {
        let want = xz_utils(&d, args);
        let got = d.cmd("xz").args(args).run();
        assert_eq!(got, want, "{args:?}");
    }
    // unxz -l lists too; lzma -l refuses, as xz-utils' lzma does.
    d.cmd("unxz")
        .args(["-l", "big.xz"])
        .run()
        .same_as(&xz_utils(&d, &["-l", "big.xz"]));
    d.cmd("lzma").args(["-l", "big.xz"]).run().fails(
        1,
        "lzma: --list works only on .xz files (--format=xz or --format=auto)\n",
    );
}

#[test]
fn xz_check_and_threads_options() {
    let d = Dir::new();
    let t = text();
    d.write("f", &t);
    for (c, name) in [
        ("none", "None"),
        ("crc32", "CRC32"),
        ("crc64", "CRC64"),
        ("sha256", "SHA-256"),
    ] {
        let z = d.cmd("xz").args(["-c", "-C", c, "f"]).run();
        assert_eq!(z.code, 0, "{c}");
        d.write("z.xz", &z.stdout);
        d.cmd("xzcat").arg("z.xz").run().ok(&t);
        let l = d.cmd("xz").args(["-l", "z.xz"]).run();
        assert!(
            l.out().contains(&format!("  {name:<7} z.xz\n")),
            "{}",
            l.out()
        );
        let z2 = d.cmd("xz").args([&format!("--check={c}"), "-c", "f"]).run();
        assert_eq!(z2.stdout, z.stdout);
        if has("xz") {
            assert_eq!(gnu("xz", &["-dc"], &z.stdout).stdout, t, "{c}");
        }
    }
    // -T N is accepted (the output is single-threaded) and checked as xz-utils checks it.
    for t_arg in ["-T0", "-T1", "-T4", "--threads=16384"] {
        let z = d.cmd("xz").args([t_arg, "-c"]).stdin(b"hi\n").run();
        assert_eq!(z.code, 0, "{t_arg}");
        d.cmd("xzcat").stdin(&z.stdout).run().ok("hi\n");
    }
    d.cmd("xz")
        .args(["-C", "CRC32", "-c"])
        .stdin(b"x")
        .run()
        .fails(1, "xz: CRC32: Unsupported integrity check type\n");
    d.cmd("xz")
        .args(["-T", "abc", "-c"])
        .stdin(b"x")
        .run()
        .fails(1, "xz: abc: Value is not a non-negative decimal integer\n");
    d.cmd("xz")
        .args(["-T", "16385", "-c"])
        .stdin(b"x")
        .run()
        .fails(
            1,
            "xz: Value of the option `threads' must be in the range [0, 16384]\n",
        );
    if has("xz") {
        for args in [
            &["-C", "foo", "-c"][..],
            &["-T", "-1", "-c"],
            &["-T", "99999999999", "-c"],
        ] {
            let want = gnu("xz", args, b"x");
            let got = d.cmd("xz").args(args).stdin(b"x").run();
            assert_eq!(
                (got.code, got.err()),
                (
                    want.status.code().unwrap(),
                    String::from_utf8_lossy(&want.stderr).into_owned()
                ),
                "{args:?}"
            );
        }
    }
    // lzma takes -C and ignores it (a .lzma file has no check), as xz-utils' lzma does.
    let z = d
        .cmd("lzma")
        .args(["-C", "sha256", "-c"])
        .stdin(b"hi\n")
        .run();
    assert_eq!(z.code, 0);
    d.cmd("lzcat").stdin(&z.stdout).run().ok("hi\n");
}
