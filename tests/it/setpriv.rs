use crate::common::*;

#[test]
fn dump_and_settings_like_busybox() {
    let me = applet_path("setpriv").display().to_string();
    for args in [
        vec!["-d"],
        vec!["--dump"],
        vec!["--nnp", "-d"],
        vec!["-d", "x"],
        vec!["--inh-caps", "+net_raw,+chown,-chown", "true"],
        vec!["--inh-caps", "bogus", "true"],
        vec!["--inh-caps", "+bogus", "true"],
        vec!["--inh-caps", "+all", "true"],
        vec![
            "--no-new-privs",
            "sh",
            "-c",
            "grep NoNewPrivs /proc/self/status",
        ],
        vec!["rbox-no-such-prog"],
    ] {
        if !has_busybox() {
            break;
        }
        let a = run("setpriv", &args);
        let b = bb("setpriv").args(&args).run();
        if b.err().contains("Usage:") {
            // (BusyBox's setpriv usage has its option lines unindented; rbox's indents them.)
            assert_eq!((a.code, a.out()), (b.code, b.out()), "{args:?}");
            assert!(a.err().contains("Usage: setpriv [OPTIONS] PROG ARGS"));
        } else {
            a.same_as(&b);
        }
    }
    // Settings carry over to PROG (here another setpriv that shows them); an emulated
    // binary cannot exec itself.
    if under_runner() {
        return;
    }
    let o = run("setpriv", &["--inh-caps", "+net_raw", &me, "-d"]);
    assert!(
        o.out().contains("Inheritable capabilities: net_raw\n"),
        "{}",
        o.out()
    );
    if unsafe { libc::geteuid() } == 0 {
        let o = run(
            "setpriv",
            &[
                "--inh-caps",
                "+sys_nice",
                &me,
                "--ambient-caps",
                "+sys_nice",
                &me,
                "-d",
            ],
        );
        assert!(
            o.out().contains("Ambient capabilities: sys_nice\n"),
            "{o:?}"
        );
    }
    run("setpriv", &[]).fails_with(1, "rbox v");
}
