use crate::common::*;
use std::os::unix::process::CommandExt;

#[test]
fn prints_the_effective_user() {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } == 0 {
        run("whoami", &[]).ok("root\n");
    }
    same("whoami", &[], b"", |_| {});
}

#[test]
fn unknown_uid() {
    if unsafe { libc::geteuid() } != 0 {
        return;
    }
    let mut c = cmd("whoami");
    c.cmd.uid(12345);
    let o = c.run();
    o.fails(1, "whoami: unknown uid 12345\n");
    if has_busybox() {
        let mut b = bb("whoami");
        b.cmd.uid(12345);
        o.same_as(&b.run());
    }
    // A uid that has a name: daemon is 1 on Debian-like systems; compare rather than assume.
    if has_busybox() {
        let mut a = cmd("whoami");
        a.cmd.uid(1);
        let mut b = bb("whoami");
        b.cmd.uid(1);
        a.run().same_as(&b.run());
    }
}

#[test]
fn operands_are_a_usage_error() {
    for a in [&["x"][..], &["--"], &["-x"]] {
        let o = run("whoami", a);
        o.fails_with(1, "rbox v");
        assert!(o.err().contains("Usage: whoami\n"));
        same("whoami", a, b"", |_| {});
    }
    run("whoami", &["--help"]).code(0);
}

#[test]
fn full_disk() {
    // BusyBox exits 255 without a message here; rbox reports the error like every applet.
    cmd("whoami")
        .stdout_file("/dev/full")
        .run()
        .fails(1, "whoami: write error: No space left on device\n");
}
