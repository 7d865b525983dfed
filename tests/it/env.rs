use crate::common::*;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;

/// rbox's env with exactly the environment `vars` (in this order: std sorts by name).
fn env_with(vars: &[(&str, &str)]) -> Run {
    let mut r = cmd("env");
    r.cmd.env_clear();
    for (k, v) in vars {
        r.cmd.env(k, v);
    }
    r
}

#[test]
fn prints_the_environment() {
    env_with(&[("A", "1"), ("B", "x=y")])
        .run()
        .env_ok("A=1\nB=x=y\n");
    env_with(&[]).run().ok("");
    env_with(&[("A", "1"), ("B", "2")])
        .arg("-0")
        .run()
        .env_ok("A=1\0B=2\0");
    env_with(&[("A", "1")]).arg("--null").run().ok("A=1\0");
    // (qemu hands the environment on in reverse order.)
    if std::env::var_os("RBOX_TEST_RUNNER").is_none_or(|r| r.is_empty()) {
        same("env", &[], b"", |_| {});
        same("env", &["-0"], b"", |_| {});
    }
}

#[test]
fn empty_environment() {
    run("env", &["-i"]).ok("");
    run("env", &["-"]).ok("");
    run("env", &["--ignore-environment"]).ok("");
    run("env", &["-i", "A=1", "B=2"]).env_ok("A=1\nB=2\n");
    run("env", &["-", "A=1"]).ok("A=1\n");
    run("env", &["-i", "-", "A=1"]).ok("A=1\n");
    run("env", &["-i0", "A=1", "B=2"]).env_ok("A=1\0B=2\0");
    for args in [
        &["-i", "A=1", "B=2"][..],
        &["-", "A=1"],
        &["-i", "-0", "A=1"],
        &["--ignore-environment", "--null", "A="],
    ] {
        same("env", args, b"", |_| {});
    }
}

#[test]
fn assignments_replace_in_place_or_append() {
    env_with(&[("A", "1"), ("B", "2")])
        .args(["A=3", "C=4"])
        .run()
        .env_ok("A=3\nB=2\nC=4\n");
    run("env", &["-i", "A=1", "A=2", "A==3", "=x"]).env_ok("A==3\n=x\n");
    run("env", &["-i", "A=x y", "B="]).env_ok("A=x y\nB=\n");
    same(
        "env",
        &["-i", "A=1", "A=2", "A==3", "=x", "B="],
        b"",
        |_| {},
    );
}

#[test]
fn unset() {
    env_with(&[("A", "1"), ("B", "2"), ("C", "3")])
        .args(["-u", "A", "-uC"])
        .run()
        .ok("B=2\n");
    env_with(&[("A", "1"), ("B", "2")])
        .args(["--unset=B"])
        .run()
        .ok("A=1\n");
    env_with(&[("A", "1")])
        .args(["-u", "NOPE"])
        .run()
        .ok("A=1\n");
    // -u before the assignments, and with `=` it sets (glibc's putenv, as BusyBox uses).
    env_with(&[("A", "1"), ("B", "2")])
        .args(["-u", "B", "B=5"])
        .run()
        .env_ok("A=1\nB=5\n");
    env_with(&[("A", "1"), ("B", "2")])
        .args(["-u", "A=5"])
        .run()
        .env_ok("A=5\nB=2\n");
    env_with(&[("A", "1")]).args(["-u", ""]).run().ok("A=1\n");
    for args in [
        &["-i", "-u", "A=5", "B=1"][..],
        &["-i", "-u", "", "A=1"],
        &["-i", "-u", "=x"],
        &["-i", "-iu", "A"],
    ] {
        same("env", args, b"", |_| {});
    }
    run("env", &["-u"]).fails_with(1, "env: option requires an argument -- 'u'\n");
    same("env", &["-u"], b"", |_| {});
    same("env", &["-x"], b"", |_| {});
}

#[test]
fn non_utf8_values_and_arguments() {
    let mut r = cmd("env");
    r.cmd.env_clear();
    r.cmd.env("V", OsStr::from_bytes(b"\xff\xfe"));
    r.run().ok(b"V=\xff\xfe\n");
    cmd("env")
        .arg("-i")
        .arg(OsStr::from_bytes(b"A=\xe9"))
        .arg(OsStr::from_bytes(b"\xe9=1"))
        .run()
        .ok(b"A=\xe9\n\xe9=1\n");
    cmd("env")
        .args(["-i", "/bin/sh", "-c", "printf '%s|%s' \"$1\" \"$X\"", "sh"])
        .arg(OsStr::from_bytes(b"\xff"))
        .run()
        .ok(b"\xff|");
}

#[test]
fn runs_a_command_with_the_new_environment() {
    run(
        "env",
        &["-i", "X=1", "/bin/sh", "-c", "echo $X ${HOME-unset}"],
    )
    .ok("1 unset\n");
    // The exit status is the command's: env replaced itself by it.
    run("env", &["/bin/sh", "-c", "exit 7"]).code(7);
    // Option parsing stops at the first operand: later options belong to the command.
    run("env", &["-i", "/bin/echo", "-u", "x", "-i"]).ok("-u x -i\n");
    run("env", &["-i", "A=1", "-i"])
        .fails(127, "env: can't execute '-i': No such file or directory\n");
    run("env", &["-i", "--", "-i"])
        .fails(127, "env: can't execute '-i': No such file or directory\n");
    run("env", &["-i", "-", "-"]).fails(127, "env: can't execute '-': No such file or directory\n");
    same(
        "env",
        &["-i", "X=1", "/bin/sh", "-c", "echo $X $#", "a", "b"],
        b"",
        |_| {},
    );
}

#[test]
fn path_search_uses_the_new_path() {
    let d = Dir::new();
    let exe = |p: std::path::PathBuf, mode| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    exe(d.write("bin/prog", "#!/bin/sh\necho found $X\n"), 0o755);
    exe(d.write("deny/prog", "#!/bin/sh\necho denied\n"), 0o644);
    exe(d.write("deny/only", "#!/bin/sh\n"), 0o644);
    // No `#!`: the kernel refuses it (ENOEXEC) and /bin/sh runs it, as execvp does.
    exe(d.write("bin/plain", "echo plain $0 $1\n"), 0o755);
    let bin = d.join("bin");
    let deny = d.join("deny");
    let path = |s: &[&std::path::Path]| {
        let v: Vec<&str> = s.iter().map(|p| p.to_str().unwrap()).collect();
        format!("PATH={}", v.join(":"))
    };
    d.cmd("env")
        .args(["-i", &path(&[&bin]), "X=1", "prog"])
        .run()
        .ok("found 1\n");
    // A directory where the file is not executable is passed over...
    d.cmd("env")
        .args(["-i", &path(&[&deny, &bin]), "prog"])
        .run()
        .ok("found\n");
    // ...and reported when nothing else is found.
    d.cmd("env")
        .args(["-i", &path(&[&deny, &bin]), "only"])
        .run()
        .fails(126, "env: can't execute 'only': Permission denied\n");
    d.cmd("env")
        .args(["-i", &path(&[&bin]), "plain", "arg"])
        .run()
        .ok(format!("plain {}/plain arg\n", bin.display()));
    // The old PATH is not used.
    d.cmd("env")
        .args(["-i", "PATH=/nonexistent", "sh", "-c", "true"])
        .run()
        .fails(127, "env: can't execute 'sh': No such file or directory\n");
    // An empty PATH element is the current directory.
    let mut r = d.cmd("env").args(["-i", "PATH=/nonexistent:", "prog"]);
    r.cmd.current_dir(&bin);
    r.run().ok("found\n");
    // Without PATH, /bin:/usr/bin (glibc's default, as Debian's BusyBox has it).
    run("env", &["-i", "sh", "-c", "echo ok"]).ok("ok\n");
    // A name with a slash is not searched for.
    d.cmd("env")
        .args(["-i", &path(&[&bin]), "./prog"])
        .run()
        .fails(
            127,
            "env: can't execute './prog': No such file or directory\n",
        );
    d.cmd("env")
        .args(["bin/plain", "x"])
        .run()
        .ok("plain bin/plain x\n");
}

#[test]
fn exec_errors() {
    run("env", &["-i", "nosuch"]).fails(
        127,
        "env: can't execute 'nosuch': No such file or directory\n",
    );
    run("env", &["./nosuch"]).fails(
        127,
        "env: can't execute './nosuch': No such file or directory\n",
    );
    run("env", &[""]).fails(127, "env: can't execute '': No such file or directory\n");
    run("env", &["/tmp"]).fails(126, "env: can't execute '/tmp': Permission denied\n");
    let d = Dir::new();
    d.write("noexec", "#!/bin/sh\n");
    d.cmd("env")
        .arg("./noexec")
        .run()
        .fails(126, "env: can't execute './noexec': Permission denied\n");
    for args in [&["-i", "nosuch"][..], &["./nosuch"], &[""], &["/tmp"]] {
        same("env", args, b"", |_| {});
    }
    same("env", &["./noexec"], b"", |d| {
        d.write("noexec", "#!/bin/sh\n");
    });
}

#[test]
fn does_not_prefer_its_own_applets() {
    // Debian's BusyBox is built with FEATURE_PREFER_APPLETS and runs its own `echo` here;
    // rbox's env, like BusyBox's default build, runs only what PATH finds.
    run("env", &["-i", "PATH=/nonexistent", "echo", "hi"]).fails(
        127,
        "env: can't execute 'echo': No such file or directory\n",
    );
}

#[test]
fn write_error() {
    // BusyBox says "env: standard output: ..." and still exits 0 (its fflush_stdout_and_exit
    // sets the status before the check); rbox reports the lost output with status 1.
    cmd("env")
        .args(["-i", "A=1"])
        .stdout_file("/dev/full")
        .run()
        .fails(1, "env: write error: No space left on device\n");
}
