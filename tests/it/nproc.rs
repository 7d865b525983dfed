use crate::common::*;

fn num(o: &Out) -> u64 {
    assert_eq!((o.code, o.err()), (0, String::new()));
    o.out().trim_end().parse().unwrap()
}

#[test]
fn counts() {
    let n = num(&run("nproc", &[]));
    let all = num(&run("nproc", &["--all"]));
    assert!(n >= 1 && all >= n, "{n} {all}");
    // Operands are ignored.
    assert_eq!(num(&run("nproc", &["x"])), n);
    assert_eq!(num(&run("nproc", &["--al"])), all);
}

#[test]
fn follows_the_affinity_mask() {
    use std::os::unix::process::CommandExt;
    let mut r = cmd("nproc");
    // SAFETY: only sched_setaffinity between fork and exec.
    unsafe {
        r.cmd.pre_exec(|| {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_SET(0, &mut set);
            libc::sched_setaffinity(0, std::mem::size_of_val(&set), &set);
            Ok(())
        });
    }
    r.run().ok("1\n");
}

#[test]
fn ignore() {
    let n = num(&run("nproc", &[]));
    let all = num(&run("nproc", &["--all"]));
    run("nproc", &["--ignore=0"]).ok(format!("{n}\n"));
    run("nproc", &["--ignore=1"]).ok(format!("{}\n", (n - 1).max(1)));
    run("nproc", &["--ignore", "1"]).ok(format!("{}\n", (n - 1).max(1)));
    run("nproc", &["--ig=1", "--all"]).ok(format!("{}\n", (all - 1).max(1)));
    // Never less than one.
    run("nproc", &["--ignore=100000"]).ok("1\n");
    run("nproc", &["--ignore=2147483647"]).ok("1\n");
}

#[test]
fn errors() {
    for bad in ["x", "-1", "+1", "", " 1", "2147483648", "99999999999"] {
        run("nproc", &[&format!("--ignore={bad}")])
            .fails(1, &format!("nproc: invalid number '{bad}'\n"));
    }
    run("nproc", &["--ignore"]).fails_with(1, "nproc: option '--ignore' requires an argument\n");
    // (BusyBox's usage after it aligns --all with two tabs, rbox's with one.)
    run("nproc", &["-a"]).fails_with(1, "nproc: invalid option -- 'a'\n");
    run("nproc", &["--all=1"]).fails_with(1, "nproc: option '--all' doesn't allow an argument\n");
    cmd("nproc")
        .stdout_file("/dev/full")
        .run()
        .fails(1, "nproc: write error: No space left on device\n");
}

#[test]
fn same_as_busybox() {
    for args in [
        &[][..],
        &["--all"],
        &["--ignore=1"],
        &["--ignore", "1"],
        &["--ignore=1000"],
        &["--ignore=x"],
        &["--ignore=-1"],
        &["--ignore=99999999999"],
        &["--all", "--ignore=1"],
        &["x"],
    ] {
        same("nproc", args, b"", |_| {});
    }
}
