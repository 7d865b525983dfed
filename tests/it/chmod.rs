use crate::common::*;
use std::os::unix::fs::PermissionsExt;

fn setup(d: &Dir) {
    d.write("f", "");
    d.write("d/e/g", "");
    d.write("d/h", "");
    std::os::unix::fs::symlink("f", d.join("l")).unwrap();
    std::os::unix::fs::symlink("d", d.join("dl")).unwrap();
    std::os::unix::fs::symlink("../f", d.join("d/lf")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.join("dangling")).unwrap();
    for p in ["f", "d", "d/e", "d/e/g", "d/h"] {
        std::fs::set_permissions(d.join(p), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
}

#[test]
fn like_busybox() {
    let args: &[&[&str]] = &[
        &[],
        &["644"],
        &["-v", "600", "f", "l"],
        &["-cR", "go-rwx", "d", "dl", "f"],
        &["-c", "644", "f"],
        &["-c", "600", "f"],
        &["-w", "-v", "f"],
        &["-v", "-R", "-x", "d"],
        &["-vR", "u+s,+t", "d"],
        &["-v", "--", "-x", "f"],
        &["-R", "-v", "a+X", "d", "f"],
        &["-v", "u=g,o=u", "f"],
        &["-f", "644", "nope"],
        &["zz", "nope"],
        &["zz", "f", "d"],
        &["-v", "644", "nope", "f", "dangling"],
        &["-fv", "644", "dangling", "f"],
        &["-vR", "0755", "d"],
        &["-v", "7777", "f"],
        &["-v", "17777", "f"],
        &["-v", "=", "f"],
        &["-v", "+rwx", "f"],
        &["-q", "644", "f"],
    ];
    for a in args {
        same("chmod", a, b"", setup);
    }
}

#[test]
fn symlinks_below_root_untouched() {
    let d = Dir::new();
    setup(&d);
    d.cmd("chmod").args(["-R", "700", "d"]).run().ok("");
    let m = |p: &str| std::fs::metadata(d.join(p)).unwrap().permissions().mode() & 0o7777;
    assert_eq!((m("d"), m("d/e/g"), m("f")), (0o700, 0o700, 0o644));
    // A named symlink is followed.
    d.cmd("chmod").args(["600", "l"]).run().ok("");
    assert_eq!(m("f"), 0o600);
}

#[test]
fn option_like_modes() {
    for a in [
        &["-rw", "f"][..],
        &["-R", "-X", "d"],
        &["-q", "644", "f"],
        &["-v", "-s", "f", "--"],
    ] {
        same("chmod", a, b"", setup);
    }
}

#[test]
fn symlink_swapped_in_mid_walk_is_not_followed() {
    // A thread keeps swapping t/xN/d between a directory and a symlink to `outside` while
    // chmod -R walks t: nothing in `outside` may change mode.
    for round in 0..3 {
        let d = Dir::new();
        for i in 0..30 {
            d.write(format!("outside/o{i}"), "x");
            std::fs::set_permissions(
                d.join(format!("outside/o{i}")),
                std::fs::Permissions::from_mode(0o644),
            )
            .unwrap();
        }
        // Swapped entries sit beside big subtrees: t is read whole first, so by the time
        // a dN is visited the swapper has had the time of the subtrees before it.
        for j in 0..20 {
            d.write(format!("t/d{j}/f"), "x");
            for i in 0..40 {
                d.write(format!("t/big{j}/f{i}"), "x");
            }
        }
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (s2, base) = (stop.clone(), d.path.clone());
        let swapper = std::thread::spawn(move || {
            let mut n = 0u32;
            while !s2.load(std::sync::atomic::Ordering::Relaxed) && n < 100_000 {
                n += 1;
                let j = n % 20;
                let dd = base.join(format!("t/d{j}"));
                let aside = base.join(format!("t/aside{j}"));
                if std::fs::rename(&dd, &aside).is_ok() {
                    let _ = std::os::unix::fs::symlink(base.join("outside"), &dd);
                } else if std::fs::remove_file(&dd).is_ok() {
                    let _ = std::fs::rename(&aside, &dd);
                }
            }
        });
        for _ in 0..3 {
            let _ = d.cmd("chmod").args(["-R", "700", "t"]).run();
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        swapper.join().unwrap();
        for i in 0..30 {
            let m = std::fs::metadata(d.join(format!("outside/o{i}")))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(
                m & 0o777,
                0o644,
                "round {round}: chmod -R followed a symlink"
            );
        }
        assert_eq!(
            std::fs::metadata(d.join("outside"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            std::fs::metadata(&d.path).unwrap().permissions().mode() & 0o777,
            "round {round}"
        );
    }
}

/// Without /proc (an empty root), musl's no-follow route is unavailable: chmod -R falls back
/// to the plain call and still changes every entry below the root.
#[test]
fn recursive_without_proc() {
    let Some(o) = crate::proc_util::in_empty_root(
        &["t/a/b"],
        &[
            "sh",
            "-c",
            "/rbox chmod -R 700 /t && /rbox stat -c %a /t /t/a /t/a/b",
        ],
    ) else {
        return;
    };
    assert_eq!(
        (o.code, o.out()),
        (0, "700\n700\n700\n".to_string()),
        "{}",
        o.err()
    );
}
