//! Cargo features pick the applets: a single-applet build compiles and works, and the build
//! refuses files and features that disagree. These run cargo itself (slow-ish, once each).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    // A target dir of its own: the suite's own build holds the main one's lock.
    c.env("CARGO_TARGET_DIR", root().join("target/features-test"));
    c.env_remove("RUSTFLAGS");
    c
}

#[test]
fn single_applet_build_compiles_and_runs() {
    let o = cargo()
        .current_dir(root())
        .args([
            "build",
            "--offline",
            "--release",
            "--no-default-features",
            "--features",
            "echo",
        ])
        .args(["--target", "x86_64-unknown-linux-musl"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let exe = root().join("target/features-test/x86_64-unknown-linux-musl/release/rbox");
    let list = Command::new(&exe).arg("--list").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&list.stdout), "echo\n");
    let hi = Command::new(&exe).args(["echo", "hi"]).output().unwrap();
    assert_eq!(hi.stdout, b"hi\n");
    let t = Command::new(&exe).arg("true").output().unwrap();
    assert_eq!(t.status.code(), Some(127));
    assert_eq!(t.stderr, b"true: applet not found\n");
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let (s, d) = (e.path(), to.join(e.file_name()));
        if e.file_type().unwrap().is_dir() {
            copy_tree(&s, &d);
        } else {
            std::fs::copy(&s, &d).unwrap();
        }
    }
}

#[test]
fn build_fails_when_files_and_features_disagree() {
    let tmp = std::env::temp_dir().join(format!("rbox-feat-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    for d in ["src", "applets", "benches"] {
        copy_tree(&root().join(d), &tmp.join(d));
    }
    for f in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        std::fs::copy(root().join(f), tmp.join(f)).unwrap();
    }
    let check = || {
        let o = cargo()
            .current_dir(&tmp)
            .args(["check", "--offline", "--lib"])
            .output()
            .unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    // An applet file with no feature.
    std::fs::write(
        tmp.join("applets/coreutils/bogus.rs"),
        "//! applet: bogus\n//! usage: bogus\n//! Bogus\n",
    )
    .unwrap();
    let (ok, err) = check();
    assert!(!ok && err.contains("no Cargo feature `bogus`"), "{err}");
    // A feature with no file.
    std::fs::remove_file(tmp.join("applets/coreutils/bogus.rs")).unwrap();
    let toml = std::fs::read_to_string(tmp.join("Cargo.toml")).unwrap();
    let toml = toml.replace("\n[features]\n", "\n[features]\nghost = []\n");
    std::fs::write(tmp.join("Cargo.toml"), toml).unwrap();
    let (ok, err) = check();
    assert!(
        !ok && err.contains("feature `ghost` has no applet file"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&tmp);
}
