use crate::common::*;
use std::process::Command;

fn real(d: &Dir, rel: &str) -> String {
    std::fs::canonicalize(d.join(rel))
        .unwrap()
        .display()
        .to_string()
}

#[test]
fn physical_by_default() {
    let d = Dir::new();
    d.mkdir("real");
    std::os::unix::fs::symlink("real", d.join("ln")).unwrap();
    let ln = d.join("ln").display().to_string();
    let r = real(&d, "real");
    let pwd = |args: &[&str], env_pwd: &str| {
        cmd("pwd")
            .args(args)
            .dir(d.join("ln"))
            .env("PWD", env_pwd)
            .run()
    };
    // BusyBox's default is -P (POSIX says -L; most scripts expect -P).
    pwd(&[], &ln).ok(format!("{r}\n"));
    pwd(&["-P"], &ln).ok(format!("{r}\n"));
    pwd(&["-L"], &ln).ok(format!("{ln}\n"));
    // -L wins over -P whatever the order; operands are ignored.
    pwd(&["-LP"], &ln).ok(format!("{ln}\n"));
    pwd(&["-P", "-L", "x"], &ln).ok(format!("{ln}\n"));
    // $PWD is used as it is, extra slashes too...
    pwd(&["-L"], &format!("{ln}/")).ok(format!("{ln}/\n"));
    let dbl = ln.replacen('/', "//", 1);
    pwd(&["-L"], &dbl).ok(format!("{dbl}\n"));
    // ...but not with a . or .. component, not relative, not elsewhere, not missing.
    let dir = d.path.display().to_string();
    for bad in [
        format!("{dir}/./ln"),
        format!("{dir}/real/../ln"),
        format!("{ln}/."),
        "ln".to_string(),
        dir.clone(),
        format!("{dir}/missing"),
        String::new(),
    ] {
        pwd(&["-L"], &bad).ok(format!("{r}\n"));
    }
    cmd("pwd").arg("-L").dir(d.join("ln")).run().code(0);
}

#[test]
fn deleted_directory() {
    if !runner_prefix().is_empty() {
        // qemu-user itself cannot start in a deleted directory (exit 126).
        return;
    }
    let d = Dir::new();
    let pwd = applet_path("pwd").display().to_string();
    let script = format!("mkdir gone && cd gone && rmdir ../gone && exec {pwd} \"$@\"");
    for args in [&[][..], &["-L"]] {
        let o = Command::new("sh")
            .arg("-c")
            .arg(&script)
            .arg("sh")
            .args(args)
            .current_dir(&d.path)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(
            String::from_utf8_lossy(&o.stderr),
            "pwd: getcwd: No such file or directory\n"
        );
    }
}

#[test]
fn options_and_errors() {
    run("pwd", &["-x"]).fails_with(1, "pwd: invalid option -- 'x'\n");
    // Deliberate difference: BusyBox exits 255 without a word.
    cmd("pwd")
        .stdout_file("/dev/full")
        .run()
        .fails(1, "pwd: write error: No space left on device\n");
}

#[test]
fn same_as_busybox() {
    for args in [&[][..], &["-L"], &["-P"], &["-LP"], &["x", "y"], &["--"]] {
        same("pwd", args, b"", |_| {});
    }
}
