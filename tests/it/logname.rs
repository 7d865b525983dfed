use crate::common::*;

#[test]
fn no_login_name() {
    let mut c = cmd("logname");
    c.cmd.env_remove("LOGNAME");
    let o = c.run();
    o.fails(1, "logname: getlogin: No such device or address\n");
    if has_busybox() {
        // BusyBox on glibc finds no utmp entry for a non-terminal stdin: the same failure.
        let mut b = bb("logname");
        b.cmd.env_remove("LOGNAME");
        o.same_as(&b.run());
    }
}

#[test]
fn login_name_from_environment() {
    // Deliberate difference from Debian's glibc BusyBox, which reads utmp: rbox is a static
    // musl program, and musl's getlogin() is $LOGNAME, so BusyBox on musl prints it too.
    cmd("logname").env("LOGNAME", "alice").run().ok("alice\n");
    cmd("logname").env("LOGNAME", "").run().ok("\n");
    // getlogin_r's 64-byte buffer: a longer name is ERANGE.
    let o = cmd("logname").env("LOGNAME", "x".repeat(64)).run();
    o.code(1);
    assert!(o.err().starts_with("logname: getlogin: "), "{}", o.err());
    cmd("logname")
        .env("LOGNAME", "y".repeat(63))
        .run()
        .ok("y".repeat(63) + "\n");
}

#[test]
fn operands_are_a_usage_error() {
    let o = cmd("logname").env("LOGNAME", "a").arg("x").run();
    o.fails_with(1, "rbox v");
    assert!(o.err().contains("Usage: logname\n"));
    same("logname", &["x"], b"", |_| {});
    run("logname", &["--help"]).code(0);
}
