//! unzip: archives made by Info-ZIP's zip and by python3's zipfile (zip64, data descriptors,
//! hostile names and symlinks, bombs), BusyBox's listing and messages, and the safety rules.

use crate::common::*;
use crate::cpio::{has, raw_tree, same_tree, tree, unshare};
use std::path::Path;
use std::process::Command;

/// Runs a python3 script (argv[1] = the directory); false (skipped) without python3.
fn py(d: &Dir, script: &str) -> bool {
    let Ok(o) = Command::new("python3")
        .args(["-c", script])
        .arg(&d.path)
        .output()
    else {
        eprintln!("python3 not installed: test skipped");
        return false;
    };
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    true
}

const HDR: &str = "import sys, os, zipfile, zlib\nos.chdir(sys.argv[1])\n";

fn zip_tree(d: &Dir) -> bool {
    zip_tree_with(d, true)
}

fn zip_tree_with(d: &Dir, newline: bool) -> bool {
    d.write("src/a b", "spaces\n");
    if newline {
        d.write("src/new\nline", "newline\n");
    }
    d.write(
        "src/sub/deep/n",
        (0..20000).map(|i| format!("{i}\n")).collect::<String>(),
    );
    d.write("src/empty", "");
    std::os::unix::fs::symlink("a b", d.join("src/link")).unwrap();
    if !has("zip") {
        return false;
    }
    let o = Command::new("sh")
        .args([
            "-c",
            // Fixed times: the rbox and BusyBox runs each build their own zips, and a slow
            // machine can cross a minute between them.
            "cd src && find . -exec touch -h -d '2026-01-02 03:04:05' {} + && \
             zip -qry ../t.zip . && zip -qry0 ../s.zip . && zip -qr - . > ../dd.zip",
        ])
        .current_dir(&d.path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    true
}

#[test]
fn extracts_what_zip_made() {
    let d = Dir::new();
    if !zip_tree(&d) {
        return;
    }
    // Deflated, stored, and streamed with data descriptors (zip to stdout).
    for z in ["t.zip", "s.zip", "dd.zip"] {
        let out = d.mkdir(format!("x-{z}"));
        let o = d
            .cmd("unzip")
            .args(["-q", &format!("../{z}")])
            .dir(&out)
            .run();
        assert_eq!((o.code, o.err()), (0, String::new()), "{z}");
        if z == "dd.zip" {
            // Streamed input keeps no symlinks: zip stores the target's content.
            assert_eq!(std::fs::read(out.join("link")).unwrap(), b"spaces\n");
            continue;
        }
        same_tree(&d.join("src"), &out);
        use std::os::unix::fs::MetadataExt;
        let (a, b) = (
            std::fs::metadata(d.join("src/a b")).unwrap().mtime(),
            std::fs::metadata(out.join("a b")).unwrap().mtime(),
        );
        assert!((a - b).abs() <= 2, "mtime restored to the DOS timestamp");
    }
    // -p writes one member's data; -d makes the directory.
    d.cmd("unzip")
        .args(["-p", "t.zip", "a b"])
        .run()
        .ok("spaces\n");
    d.cmd("unzip")
        .args(["-qd", "new/dir", "t.zip", "sub/*"])
        .run()
        .ok("");
    assert_eq!(tree(&d.join("new/dir")), ["sub", "sub/deep", "sub/deep/n"]);
    // -j drops paths; -x leaves members out.
    d.cmd("unzip")
        .args(["-qjd", "j", "t.zip", "-x", "link", "new*"])
        .run()
        .ok("");
    assert_eq!(tree(&d.join("j")), ["a b", "empty", "n"]);
    // -t tests every member, silently.
    d.cmd("unzip").args(["-t", "t.zip"]).run().ok("");
}

#[test]
fn same_as_busybox() {
    std::env::set_var("TZ", "UTC");
    // No name with a newline here: BusyBox lists every byte outside ASCII as `?` (UTF-8
    // too), rbox shows C escapes (`\n`, `\033`), as GNU tar does, and keeps UTF-8.
    let setup = |d: &Dir| {
        zip_tree_with(d, false);
    };
    if !has("zip") {
        return;
    }
    for args in [
        &["-l", "t.zip"][..],
        &["-lq", "t.zip"],
        &["-v", "t.zip"],
        &["-l", "s.zip", "sub/*"],
        &["t.zip"],
        &["-q", "t.zip", "-x", "sub/*"],
        &["-d", "out", "t.zip"],
        &["-p", "t.zip", "sub/deep/n"],
        &["-l", "nope"],
        &["-l", "t"],
        &["-l", "src/a b"],
        &["-z", "t.zip"],
    ] {
        same("unzip", args, b"", setup);
    }
    // Existing files: -n keeps them, -o replaces, else a question on stdin.
    let twice = |d: &Dir| {
        setup(d);
        std::fs::write(d.join("a b"), "mine\n").unwrap();
    };
    same("unzip", &["-n", "t.zip"], b"", twice);
    same("unzip", &["-o", "t.zip", "a b"], b"", twice);
    same("unzip", &["t.zip", "a b"], b"n\n", twice);
    same("unzip", &["t.zip", "a b"], b"y\n", twice);
    same("unzip", &["t.zip", "a b", "empty"], b"N\n", twice);
    same("unzip", &["t.zip", "a b", "empty"], b"A\n", twice);
}

#[test]
fn replace_question() {
    let d = Dir::new();
    if !zip_tree(&d) {
        return;
    }
    std::fs::write(d.join("a b"), "mine\n").unwrap();
    let o = d.cmd("unzip").args(["t.zip", "a b"]).run();
    o.fails(1, "unzip: can't read standard input\n");
    d.cmd("unzip")
        .args(["-q", "t.zip", "a b"])
        .stdin("r\nother\n")
        .run()
        .code(0);
    assert_eq!(std::fs::read(d.join("other")).unwrap(), b"spaces\n");
    assert_eq!(std::fs::read(d.join("a b")).unwrap(), b"mine\n");
}

#[test]
fn zip64_sizes_and_offsets() {
    let d = Dir::new();
    // force_zip64: the local and central records carry 64-bit sizes and offsets.
    if !py(
        &d,
        &format!(
            "{HDR}z = zipfile.ZipFile('z64.zip', 'w', zipfile.ZIP_DEFLATED)\n\
             for n in ['a', 'b/c']:\n  \
               with z.open(n, 'w', force_zip64=True) as f: f.write(n.encode() * 1000)\n\
             z.close()\n\
             d = open('z64.zip', 'rb').read()\n\
             # A zip64 end record too (as for more than 65535 entries).\n\
             assert d.find(b'PK\\x01\\x02') > 0\n"
        ),
    ) {
        return;
    }
    let o = d.cmd("unzip").args(["-q", "z64.zip"]).run();
    assert_eq!((o.code, o.err()), (0, String::new()));
    assert_eq!(
        std::fs::read(d.join("b/c")).unwrap(),
        "b/c".repeat(1000).as_bytes()
    );
    // A hand-made zip64 end of central directory, with 0xffff counts in the classic one.
    if !py(
        &d,
        &format!(
            "{HDR}import struct\n\
             data = b'hello zip64\\n'\n\
             crc = zlib.crc32(data)\n\
             name = b'big'\n\
             lh = struct.pack('<IHHHHHIIIHH', 0x04034b50, 45, 0, 0, 0, 0x21, crc, 0xffffffff, 0xffffffff, len(name), 20) + name + struct.pack('<HHQQ', 1, 16, len(data), len(data))\n\
             cd = struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 0x031e, 45, 0, 0, 0, 0x21, crc, 0xffffffff, 0xffffffff, len(name), 28, 0, 0, 0, 0o100644 << 16, 0xffffffff) + name + struct.pack('<HHQQQ', 1, 24, len(data), len(data), 0)\n\
             off = len(lh) + len(data)\n\
             e64 = struct.pack('<IQHHIIQQQQ', 0x06064b50, 44, 45, 45, 0, 0, 1, 1, len(cd), off)\n\
             loc = struct.pack('<IIQI', 0x07064b50, 0, off + len(cd), 1)\n\
             eocd = struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, 0xffff, 0xffff, 0xffffffff, 0xffffffff, 0)\n\
             open('h64.zip', 'wb').write(lh + data + cd + e64 + loc + eocd)\n"
        ),
    ) {
        return;
    }
    d.cmd("unzip")
        .args(["-p", "h64.zip"])
        .run()
        .ok("hello zip64\n");
    let o = d.cmd("unzip").args(["-l", "h64.zip"]).run();
    assert!(
        o.out().contains("       12  01-01-1980 00:00   big\n"),
        "{}",
        o.out()
    );
}

/// BusyBox 1.35 strips `../` too; rbox also never follows an archived symlink.
#[test]
fn hostile_archives_stay_inside() {
    let d = Dir::new();
    if !py(
        &d,
        &format!(
            "{HDR}z = zipfile.ZipFile('evil.zip', 'w')\n\
             def sl(n, t):\n  \
               i = zipfile.ZipInfo(n); i.create_system = 3; i.external_attr = 0o120777 << 16\n  \
               z.writestr(i, t)\n\
             z.writestr('../evil', 'evil\\n')\n\
             z.writestr('/abs', 'abs\\n')\n\
             z.writestr('a/../../evil2', 'evil\\n')\n\
             sl('esc', '../outside')\n\
             z.writestr('esc/f', 'through\\n')\n\
             sl('abslink', '/')\n\
             z.writestr('abslink/tmp/x', 'through\\n')\n\
             z.writestr('red\\x1b[31m', 'x')\n\
             z.close()\n"
        ),
    ) {
        return;
    }
    d.mkdir("t");
    d.mkdir("outside");
    let o = d
        .cmd("unzip")
        .args(["-q", "../evil.zip"])
        .dir(d.join("t"))
        .run();
    assert_eq!(o.code, 1);
    assert_eq!(
        o.err(),
        "unzip: removing leading '../' from member names\n\
         unzip: esc/f: Not a directory\n\
         unzip: abslink/tmp/x: Not a directory\n"
    );
    assert!(tree(&d.join("outside")).is_empty());
    assert!(!d.join("evil").exists() && !d.join("evil2").exists());
    assert_eq!(
        tree(&d.join("t")),
        ["abs", "abslink", "esc", "evil", "evil2", "red\u{1b}[31m"]
    );
    // Listing shows the escape, never the raw byte.
    let o = d.cmd("unzip").args(["-l", "evil.zip", "red*"]).run();
    assert!(o.out().contains("   red\\033[31m\n"), "{}", o.out());
    assert!(!o.stdout.contains(&0x1b));
}

#[test]
fn symlink_in_target_is_not_followed() {
    let d = Dir::new();
    if !py(
        &d,
        &format!("{HDR}z = zipfile.ZipFile('a.zip', 'w')\nz.writestr('dir/victim', 'owned')\nz.close()\n"),
    ) {
        return;
    }
    d.write("outside/victim", "safe\n");
    d.mkdir("t");
    std::os::unix::fs::symlink("../outside", d.join("t/dir")).unwrap();
    let o = d
        .cmd("unzip")
        .args(["-qo", "../a.zip"])
        .dir(d.join("t"))
        .run();
    o.fails(1, "unzip: dir/victim: Not a directory\n");
    assert_eq!(std::fs::read(d.join("outside/victim")).unwrap(), b"safe\n");
}

#[test]
fn truncated_and_corrupt_leave_nothing() {
    let d = Dir::new();
    if !py(
        &d,
        &format!(
            "{HDR}z = zipfile.ZipFile('a.zip', 'w', zipfile.ZIP_DEFLATED)\n\
             z.writestr('f', os.urandom(1000) * 50)\n\
             z.writestr('g', 'gee\\n')\n\
             z.close()\n\
             d = bytearray(open('a.zip', 'rb').read())\n\
             d[200] ^= 0xff\n\
             open('bad.zip', 'wb').write(d)\n\
             s = zipfile.ZipFile('s.zip', 'w')\n\
             s.writestr('s', 'stored data\\n')\n\
             s.close()\n\
             d = bytearray(open('s.zip', 'rb').read())\n\
             d[d.find(b'stored')] = ord('X')\n\
             open('scrc.zip', 'wb').write(d)\n"
        ),
    ) {
        return;
    }
    d.mkdir("t");
    let o = d
        .cmd("unzip")
        .args(["-q", "../bad.zip"])
        .dir(d.join("t"))
        .run();
    assert_eq!(o.code, 1);
    let e = o.err();
    assert!(
        ["corrupted data", "crc error", "bad length"]
            .map(|m| format!("unzip: f: {m}\n"))
            .contains(&e),
        "{e}"
    );
    assert_eq!(tree(&d.join("t")), ["g"]);
    let o = d
        .cmd("unzip")
        .args(["-q", "../scrc.zip"])
        .dir(d.join("t"))
        .run();
    o.fails(1, "unzip: s: crc error\n");
    d.cmd("unzip")
        .args(["-t", "scrc.zip"])
        .run()
        .fails(1, "unzip: s: crc error\n");
    assert_eq!(tree(&d.join("t")), ["g"]);
    // The central directory cut off: nothing is made.
    let a = std::fs::read(d.join("a.zip")).unwrap();
    d.write("cut.zip", &a[..a.len() - 30]);
    d.cmd("unzip")
        .args(["-q", "../cut.zip"])
        .dir(d.join("t"))
        .run()
        .code(1);
    // Data cut off, directory intact: the local header points past the end.
    let mut cut = a.clone();
    let cd = a.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    cut.splice(100..cd, std::iter::empty());
    d.write("short.zip", &cut);
    std::fs::remove_file(d.join("t/g")).unwrap();
    let o = d
        .cmd("unzip")
        .args(["-q", "../short.zip"])
        .dir(d.join("t"))
        .run();
    assert_eq!(o.code, 1, "{}", o.err());
    assert!(raw_tree(&d.join("t"))
        .iter()
        .all(|p| !p.to_string_lossy().starts_with(".rbox")));
    d.cmd("unzip")
        .args(["-l", "empty.zip"])
        .run()
        .fails(1, "unzip: can't open empty.zip[.zip]\n");
}

#[test]
fn bomb_streams_in_constant_memory() {
    if under_runner() {
        eprintln!("ulimit -v and qemu do not mix: skipped");
        return;
    }
    let d = Dir::new();
    // 256 MiB of zeros deflate to about 256 KB; memory is capped at 60 MB.
    if !py(
        &d,
        &format!(
            "{HDR}z = zipfile.ZipFile('bomb.zip', 'w', zipfile.ZIP_DEFLATED, compresslevel=1)\n\
             with z.open('zeros', 'w', force_zip64=True) as f:\n  \
               b = bytes(1 << 20)\n  \
               for _ in range(256): f.write(b)\n\
             z.close()\n"
        ),
    ) {
        return;
    }
    let script = format!(
        "ulimit -v 60000; {} -p bomb.zip | wc -c",
        applet_path("unzip").display()
    );
    let o = Command::new("sh")
        .args(["-c", &script])
        .current_dir(&d.path)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "268435456");
}

#[test]
fn full_disk_leaves_no_partial_file() {
    let d = Dir::new();
    if !py(
        &d,
        &format!(
            "{HDR}z = zipfile.ZipFile('a.zip', 'w', zipfile.ZIP_DEFLATED)\n\
             z.writestr('big', bytes(2000000))\nz.writestr('small', 'ok\\n')\nz.close()\n"
        ),
    ) {
        return;
    }
    d.mkdir("m");
    let script = format!(
        "mount -t tmpfs -o size=1m none m || exit 99; cd m; {r}{u} -q ../a.zip; echo rc=$?; ls -a",
        r = runner_prefix(),
        u = applet_path("unzip").display()
    );
    let Some(o) = unshare(&d, &script) else {
        return;
    };
    assert_eq!(o.out(), "rc=1\n.\n..\nsmall\n");
    assert_eq!(o.err(), "unzip: big: No space left on device\n");
}

#[test]
fn pipe_to_full_stdout() {
    let d = Dir::new();
    if !py(
        &d,
        &format!(
            "{HDR}z = zipfile.ZipFile('a.zip', 'w')\nz.writestr('f', 'x' * 300000)\nz.close()\n"
        ),
    ) {
        return;
    }
    let o = d
        .cmd("unzip")
        .args(["-p", "a.zip"])
        .stdout_file("/dev/full")
        .run();
    o.fails(1, "unzip: write error: No space left on device\n");
    assert!(Path::new("/dev/full").exists());
}
