//! `make install` and `make rootfs` lay out the binary and its links as --list-full says.
//! The binary under test is passed in (`-o build`: make does not rebuild it).

use crate::common::*;
use std::path::Path;
use std::process::Command;

fn make(args: &[&str]) {
    let o = Command::new("make")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["-s", "-o", "build", "-o", "targets"])
        .arg(format!("BIN={}", bin().display()))
        .arg(format!("RUN={}", runner_prefix()))
        .args(args)
        .output()
        .expect("make");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn list_full() -> Vec<String> {
    let o = cmd("rbox").arg("--list-full").run();
    o.out().lines().map(String::from).collect()
}

#[test]
fn make_install_uses_the_list_full_layout() {
    let d = Dir::new();
    make(&[
        "install",
        &format!("DESTDIR={}", d.path.display()),
        "PREFIX=/usr/local",
    ]);
    let root = d.join("usr/local");
    assert!(root.join("bin/rbox").is_file());
    for l in list_full() {
        let t = std::fs::read_link(root.join(&l)).unwrap_or_else(|e| panic!("{l}: {e}"));
        assert_eq!(t, Path::new("/usr/local/bin/rbox"), "{l}");
    }
}

#[test]
fn make_rootfs_gives_an_empty_root_with_links() {
    let d = Dir::new();
    make(&["rootfs", &format!("DIR={}", d.join("r").display())]);
    let mut top: Vec<String> = std::fs::read_dir(d.join("r"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert!(
        top == ["bin"] || top == ["bin", "usr"] || top == ["bin", "sbin", "usr"],
        "{top:?}"
    );
    for l in list_full() {
        assert_eq!(
            std::fs::read_link(d.join("r").join(&l)).unwrap(),
            Path::new("/bin/rbox")
        );
    }
}
