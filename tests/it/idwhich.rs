//! id, groups, which, chroot, df.

use crate::common::*;
use std::process::Command;

#[test]
fn id_same_as_busybox() {
    for a in [
        &[][..],
        &["-u"],
        &["-un"],
        &["-g"],
        &["-gn"],
        &["-G"],
        &["-Gn"],
        &["-ur"],
        &["-gnr"],
        &["nobody"],
        &["-un", "nobody"],
        &["-Gn", "nobody"],
        &["-G", "root"],
        &["root"],
        &["nosuch"],
        &["0"],
    ] {
        same("id", a, b"", |_| {});
    }
    for a in [&[][..], &["nobody"], &["root", "nobody"], &["nosuch"]] {
        same("groups", a, b"", |_| {});
    }
    // Usage errors (-r or -n alone, -u with -g, two users).
    for a in [&["-r"][..], &["-n"], &["-ug"], &["a", "b"]] {
        run("id", a).fails_with(1, "rbox v");
    }
}

#[test]
fn which_same_as_busybox() {
    let setup = |d: &Dir| {
        d.write("prog", "#!/bin/sh\n");
        d.write("noexec", "");
        d.mkdir("xd");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(d.join("prog"), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(d.join("xd"), std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    for a in [
        &["ls", "sh", "nope"][..],
        &["-a", "sh"],
        &["/bin/ls", "./nope", "/etc/passwd", "./prog", "./noexec"],
    ] {
        same("which", a, b"", setup);
    }
    let d = Dir::new();
    setup(&d);
    let p = d.path.display().to_string();
    d.cmd("which")
        .env("PATH", format!("{p}::/bin"))
        .args(["prog", "xd", "noexec"])
        .run()
        .fails(1, "");
    d.cmd("which")
        .env("PATH", format!("{p}:/bin"))
        .args(["prog"])
        .run()
        .ok(format!("{p}/prog\n"));
    // An empty PATH element is the current directory.
    d.cmd("which")
        .env("PATH", ":/bin")
        .args(["prog"])
        .run()
        .ok("prog\n");
    d.cmd("which")
        .env_remove_path()
        .arg("ls")
        .run()
        .ok("/bin/ls\n");
    d.cmd("which").run().fails_with(1, "rbox v");
}

trait NoPath {
    fn env_remove_path(self) -> Self;
}

impl NoPath for Run {
    fn env_remove_path(mut self) -> Self {
        self.cmd.env_remove("PATH");
        self
    }
}

/// A root holding only /bin/rbox (and the emulator); None when not root.
fn root_with_rbox(d: &Dir) -> Option<std::path::PathBuf> {
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("not root: chroot test skipped");
        return None;
    }
    let root = d.mkdir("root");
    std::fs::create_dir(root.join("bin")).unwrap();
    std::fs::copy(bin(), root.join("bin/rbox")).unwrap();
    Some(root)
}

fn in_root(root: &std::path::Path, args: &[&str]) -> Out {
    let mut c = Command::new("/usr/sbin/chroot");
    c.arg(root);
    if let Some(r) = std::env::var_os("RBOX_TEST_RUNNER").filter(|r| !r.is_empty()) {
        let p = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|d| d.join(&r))
            .find(|f| f.exists())
            .unwrap_or_else(|| r.clone().into());
        if !root.join("qemu").exists() {
            std::fs::copy(p, root.join("qemu")).unwrap();
        }
        c.arg("/qemu");
    }
    c.args(args).env_clear();
    let o = output_retrying(&mut c);
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: o.stdout,
        stderr: o.stderr,
    }
}

#[test]
fn chroot_runs_commands() {
    for a in [
        &[][..],
        &["/nope"],
        &["/", "/nope"],
        &["/", "/etc/passwd"],
        &["/", "echo", "hi"],
    ] {
        same("chroot", a, b"", |_| {});
    }
    // Without a command: $SHELL -i.
    let o = cmd("chroot").arg("/").env("SHELL", "/bin/echo").run();
    o.ok("-i\n");
    let d = Dir::new();
    let Some(root) = root_with_rbox(&d) else {
        return;
    };
    // Our chroot inside the empty root, running our echo inside a nested one.
    let o = in_root(
        &root,
        &["/bin/rbox", "chroot", "/", "/bin/rbox", "echo", "inside"],
    );
    o.ok("inside\n");
    // No /proc in an empty root: df says so.
    let o = in_root(&root, &["/bin/rbox", "df"]);
    assert_eq!(o.code, 1);
    assert!(
        o.err()
            .starts_with("df: /proc/mounts: No such file or directory (is /proc mounted?)"),
        "{}",
        o.err()
    );
}

#[test]
fn df_same_as_busybox() {
    for a in [
        &["/proc"][..],
        &["-i", "/proc"],
        &["-T", "/proc", "/sys"],
        &["-P", "/proc"],
        &["-h", "/proc"],
        &["-aT", "-t", "proc"],
        &["/nope"],
        &["-B", "x", "/"],
        &["-B", "0", "/"],
        &["-x"],
    ] {
        same("df", a, b"", |_| {});
    }
}

#[test]
fn df_on_a_fixed_tmpfs() {
    if !has_busybox() {
        return;
    }
    let d = Dir::new();
    d.mkdir("m");
    let df = applet_path("df");
    let mut script =
        String::from("mount -t tmpfs -o size=1m,nr_inodes=100 none m || exit 99; echo x > m/f; ");
    for a in [
        "", "-T", "-h", "-m", "-P", "-i", "-Pi", "-B 1000", "-BK", "-hT", "-k",
    ] {
        script += &format!(
            "{r}{df} {a} m; /bin/busybox df {a} m; ",
            r = runner_prefix(),
            df = df.display()
        );
    }
    let o = Command::new("unshare")
        .args(["-m", "sh", "-c", &script])
        .current_dir(&d.path)
        .output()
        .unwrap();
    if o.status.code() == Some(99) || !o.status.success() {
        eprintln!(
            "no private mount namespace: skipped ({})",
            String::from_utf8_lossy(&o.stderr)
        );
        return;
    }
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = out.lines().collect();
    // Each pair of runs printed the same two lines.
    for pair in lines.chunks(4) {
        assert_eq!(pair[..2], pair[2..], "{out}");
    }
    assert!(
        out.contains("none                      1024         4      1020   0% "),
        "{out}"
    );
}
