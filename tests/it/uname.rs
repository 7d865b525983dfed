use crate::common::*;

fn qemu() -> bool {
    std::env::var_os("RBOX_TEST_RUNNER").is_some_and(|r| !r.is_empty())
}

/// The kernel's answers, straight from uname(2). Under a qemu runner the machine is the
/// emulated one, which only the binary under test can tell.
fn uts() -> [String; 5] {
    let mut u = kernel();
    if qemu() {
        u[4] = run("uname", &["-m"]).out().trim_end().to_string();
    }
    u
}

fn kernel() -> [String; 5] {
    // SAFETY: plain data filled by the kernel.
    let u = unsafe {
        let mut u: libc::utsname = std::mem::zeroed();
        assert_eq!(libc::uname(&mut u), 0);
        u
    };
    let f = |s: &[libc::c_char]| {
        let b: Vec<u8> = s
            .iter()
            .take_while(|&&c| c != 0)
            .map(|&c| c as u8)
            .collect();
        String::from_utf8_lossy(&b).into_owned()
    };
    [
        f(&u.sysname),
        f(&u.nodename),
        f(&u.release),
        f(&u.version),
        f(&u.machine),
    ]
}

#[test]
fn fields() {
    let [s, n, r, v, m] = uts();
    run("uname", &[]).ok(format!("{s}\n"));
    run("uname", &["-s"]).ok(format!("{s}\n"));
    run("uname", &["-n"]).ok(format!("{n}\n"));
    run("uname", &["-r"]).ok(format!("{r}\n"));
    run("uname", &["-v"]).ok(format!("{v}\n"));
    run("uname", &["-m"]).ok(format!("{m}\n"));
    run("uname", &["-p"]).ok("unknown\n");
    run("uname", &["-i"]).ok("unknown\n");
    run("uname", &["-o"]).ok("GNU/Linux\n");
    // -a leaves out the unknown fields.
    run("uname", &["-a"]).ok(format!("{s} {n} {r} {v} {m} GNU/Linux\n"));
    run("uname", &["-ap"]).ok(format!("{s} {n} {r} {v} {m} GNU/Linux\n"));
    // Always in the fixed order, whatever the order of the options.
    run("uname", &["-m", "-s", "-r"]).ok(format!("{s} {r} {m}\n"));
    run("uname", &["-ippm"]).ok(format!("{m} unknown unknown\n"));
    run("uname", &["-sos", "--", "-n"]).fails_with(1, "");
}

#[test]
fn long_options() {
    let [s, n, r, v, m] = uts();
    run("uname", &["--all"]).ok(format!("{s} {n} {r} {v} {m} GNU/Linux\n"));
    run("uname", &["--kernel-name"]).ok(format!("{s}\n"));
    run("uname", &["--nodename"]).ok(format!("{n}\n"));
    run("uname", &["--kernel-release"]).ok(format!("{r}\n"));
    run("uname", &["--release"]).ok(format!("{r}\n"));
    run("uname", &["--rel"]).ok(format!("{r}\n"));
    run("uname", &["--kernel-version"]).ok(format!("{v}\n"));
    run("uname", &["--machine"]).ok(format!("{m}\n"));
    run("uname", &["--processor"]).ok("unknown\n");
    run("uname", &["--hardware-platform"]).ok("unknown\n");
    run("uname", &["--operating-system"]).ok("GNU/Linux\n");
}

#[test]
fn errors() {
    // An operand: just the usage, status 1.
    let o = run("uname", &["x"]);
    o.code(1);
    assert!(o.err().contains("Usage: uname [-amnrspvio]"), "{}", o.err());
    assert_eq!(o.out(), "");
    run("uname", &["-x"]).fails_with(1, "uname: invalid option -- 'x'\n");
    run("uname", &["--ker"]).fails_with(
        1,
        "uname: option '--ker' is ambiguous; possibilities: '--kernel-name' '--kernel-release' '--kernel-version'\n",
    );
    run("uname", &["--all=x"]).fails_with(1, "uname: option '--all' doesn't allow an argument\n");
    cmd("uname")
        .stdout_file("/dev/full")
        .run()
        .fails(1, "uname: write error: No space left on device\n");
}

#[test]
fn same_as_busybox() {
    for args in [
        &[][..],
        &["-a"],
        &["-s"],
        &["-n"],
        &["-r"],
        &["-v"],
        &["-m"],
        &["-p"],
        &["-i"],
        &["-o"],
        &["-pi"],
        &["-snrvmpio"],
        &["-mnrs"],
        &["--all"],
        &["--machine", "--operating-system"],
        &["--release"],
        &["--ker"],
        &["--all=x"],
        &["-x"],
        &["x"],
        &["--help"],
    ] {
        // BusyBox runs natively: under qemu, leave out what may show the machine.
        if qemu() && args.iter().any(|a| a.contains(['m', 'a'])) {
            continue;
        }
        same("uname", args, b"", |_| {});
    }
}

#[test]
fn arch() {
    let m = &uts()[4];
    run("arch", &[]).ok(format!("{m}\n"));
    // arch takes no options and ignores its arguments, as BusyBox's does.
    run("arch", &["-a", "x"]).ok(format!("{m}\n"));
    let o = run("arch", &["--help"]);
    assert_eq!((o.code, o.out()), (0, String::new()));
    assert!(
        o.err()
            .contains("Usage: arch\n\nPrint system architecture\n"),
        "{}",
        o.err()
    );
    // `rbox --help arch` too: arch is its own applet with its own usage.
    let o = cmd("rbox").args(["--help", "arch"]).run();
    assert!(o.err().contains("Usage: arch\n"), "{}", o.err());
    for args in [&[][..], &["-a"], &["x", "y"], &["--help"]] {
        if qemu() && args != ["--help"] {
            continue;
        }
        same("arch", args, b"", |_| {});
    }
}
