//! dos2unix and unix2dos.

use crate::common::*;
use std::os::unix::fs::PermissionsExt;

const TEXT: &[u8] = b"a\r\nb\nc\r\r\nd\r\n\x00\xff\r";

#[test]
fn filters_match_busybox() {
    for app in ["dos2unix", "unix2dos"] {
        for o in [&[][..], &["-u"], &["-d"]] {
            same(app, o, TEXT, |_| {});
            same(app, o, b"", |_| {});
        }
        crate::printf::same_head(app, &["-u", "-d"], TEXT, |_| {});
    }
}

#[test]
fn in_place_matches_busybox() {
    for app in ["dos2unix", "unix2dos"] {
        for o in [&[][..], &["-u"], &["-d"]] {
            let mut args = o.to_vec();
            args.push("f");
            same(app, &args, b"", |d| {
                d.write("f", TEXT);
            });
            // The file's new contents too.
            let d = Dir::new();
            d.write("f", TEXT);
            d.cmd(app).args(&args).run().ok("");
            let b = Dir::new();
            b.write("f", TEXT);
            if has_busybox() {
                b.bb(app).args(&args).run();
                assert_eq!(
                    std::fs::read(d.join("f")).unwrap(),
                    std::fs::read(b.join("f")).unwrap()
                );
            }
        }
        same(app, &["nope", "f"], b"", |d| {
            d.write("f", TEXT);
        });
    }
}

#[test]
fn keeps_mode_follows_symlinks_leaves_no_temp() {
    let d = Dir::new();
    let f = d.write("f", TEXT);
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("f", d.join("link")).unwrap();
    d.cmd("dos2unix").arg("link").run().ok("");
    assert!(std::fs::symlink_metadata(d.join("link"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read(&f).unwrap(), b"a\nb\nc\nd\n\x00\xff");
    assert_eq!(
        std::fs::metadata(&f).unwrap().permissions().mode() & 0o7777,
        0o640
    );
    assert_eq!(std::fs::read_dir(&d.path).unwrap().count(), 2);
    // A directory: the rename fails, the temporary file is removed.
    let o = d.cmd("dos2unix").arg(&d.path).run();
    assert_eq!(o.code, 1);
    assert!(
        o.err().contains("' to '") && o.err().ends_with("': Is a directory\n"),
        "{}",
        o.err()
    );
    assert_eq!(
        std::fs::read_dir(d.path.parent().unwrap())
            .unwrap()
            .filter(|e| {
                let n = e.as_ref().unwrap().file_name();
                let n = n.to_string_lossy();
                n.starts_with(d.path.file_name().unwrap().to_str().unwrap())
                    && n.len() == d.path.file_name().unwrap().len() + 6
            })
            .count(),
        0
    );
}

#[test]
fn full_disk() {
    cmd("unix2dos")
        .stdin("a\n")
        .stdout_file("/dev/full")
        .run()
        .fails(1, "unix2dos: write error: No space left on device\n");
}
