//! taskset, ionice, chrt: on the tests' own children.

use crate::common::*;
use crate::proc_util::*;

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[test]
fn taskset_like_busybox() {
    let k = Kid::sleep();
    let p = k.pid().to_string();
    // Each comparison starts from the same mask (all CPUs), set before each run.
    let all = format!("0-{}", cpus() - 1);
    let reset = || {
        run("taskset", &["-pc", &all, &p]);
    };
    for args in [
        vec!["-p", p.as_str()],
        vec!["-cp", &p],
        vec!["-p", "1", &p],
        vec!["-pc", "0", &p],
        vec!["-pc", "0,0-0:1", &p],
        vec!["-a", "-p", "1", &p],
        vec!["-p", "0", &p],
        vec!["-p", "zz", &p],
        vec!["-c", "99999", "true"],
        vec!["-p", "999999999"],
        vec!["-p", "x"],
        vec!["1", "sh", "-c", "grep Cpus_allowed_list /proc/self/status"],
        vec![
            "-c",
            "0",
            "sh",
            "-c",
            "grep Cpus_allowed_list /proc/self/status",
        ],
        vec!["1", "rbox-no-such-prog"],
    ] {
        if !has_busybox() {
            break;
        }
        reset();
        let a = run("taskset", &args);
        reset();
        let b = bb("taskset").args(&args).run();
        a.same_as(&b);
    }
    run("taskset", &[]).fails_with(1, "rbox v");
    run("taskset", &["1"]).fails_with(1, "rbox v");
}

#[test]
fn ionice_like_busybox() {
    let k = Kid::sleep();
    let p = k.pid().to_string();
    let reset = || {
        run("ionice", &["-c", "2", "-n", "4", "-p", &p]);
    };
    for args in [
        vec!["-p", p.as_str()],
        vec!["-c", "3", "-p", &p],
        vec!["-c", "2", "-n", "5", "-p", &p],
        vec!["-c", "2", "-p", &p],
        vec!["-c", "9", "-p", &p],
        vec!["-n", "9", "-p", &p],
        vec!["-p", "999999999"],
        vec!["-t", "-c", "2", "-p", "999999999"],
        vec!["-c", "1", "sh", "-c", "ionice"],
        vec!["-c", "x", "true"],
        vec![],
    ] {
        if !has_busybox() {
            break;
        }
        reset();
        let a = run("ionice", &args);
        let after_a = run("ionice", &["-p", &p]);
        reset();
        let b = bb("ionice").args(&args).run();
        let after_b = run("ionice", &["-p", &p]);
        a.same_as(&b);
        assert_eq!(after_a, after_b, "{args:?}");
    }
}

#[test]
fn chrt_policies() {
    let k = Kid::sleep();
    let p = k.pid().to_string();
    run("chrt", &["-p", &p]).ok(format!(
        "pid {p}'s current scheduling policy: SCHED_OTHER\npid {p}'s current scheduling priority: 0\n"
    ));
    run("chrt", &["-b", "-p", "0", &p]).ok(format!(
        "pid {p}'s current scheduling policy: SCHED_OTHER\npid {p}'s current scheduling priority: 0\n\
         pid {p}'s new scheduling policy: SCHED_BATCH\npid {p}'s new scheduling priority: 0\n"
    ));
    if unsafe { libc::geteuid() } == 0 {
        let o = run(
            "chrt",
            &[
                "-f",
                "5",
                "sh",
                "-c",
                "grep -o 'policy.*' /proc/$$/sched; cut -d' ' -f41 /proc/$$/stat",
            ],
        );
        assert_eq!(o.code, 0, "{}", o.err());
        assert!(o.out().ends_with("\n1\n"), "{}", o.out()); // SCHED_FIFO is 1
        run("chrt", &["-r", "-p", "1", &p]).code(0);
        assert!(run("chrt", &["-p", &p]).out().contains("SCHED_RR\n"));
    }
    run("chrt", &["-o", "5", "true"]).fails(1, "chrt: number 5 is not in 0..0 range\n");
    run("chrt", &["-f", "0", "true"]).fails(1, "chrt: number 0 is not in 1..99 range\n");
    run("chrt", &["-p", "x"]).fails(1, "chrt: invalid number 'x'\n");
    run("chrt", &["-p", "999999999"]).fails(
        1,
        "chrt: can't get pid 999999999's policy: No such process\n",
    );
    run("chrt", &["-i", "0", "rbox-no-such-prog"]).fails(
        127,
        "chrt: can't execute 'rbox-no-such-prog': No such file or directory\n",
    );
    run("chrt", &["-f", "-r", "1", "true"]).fails_with(1, "rbox v");
    let m = run("chrt", &["-m"]).out();
    assert_eq!(
        m.lines().next(),
        Some("SCHED_FIFO min/max priority\t: 1/99")
    );
    assert_eq!(m.lines().count(), 5);
}
