use crate::common::*;
use std::process::Command;

fn gnu(args: &[&str]) -> Option<String> {
    if !std::path::Path::new("/usr/bin/getconf").exists() {
        eprintln!("GNU getconf missing: comparison skipped");
        return None;
    }
    let o = Command::new("/usr/bin/getconf")
        .args(args)
        .output()
        .unwrap();
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

#[test]
fn values_match_gnu() {
    for args in [
        &["_NPROCESSORS_ONLN"][..],
        &["_NPROCESSORS_CONF"],
        &["PAGESIZE"],
        &["PAGE_SIZE"],
        &["ARG_MAX"],
        &["CLK_TCK"],
        &["LONG_BIT"],
        &["WORD_BIT"],
        &["INT_MAX"],
        &["OPEN_MAX"],
        &["CHILD_MAX"],
        &["PATH"],
        &["_POSIX_VERSION"],
        &["POSIX2_VERSION"],
        &["PATH_MAX", "/"],
        &["NAME_MAX", "/tmp"],
        &["PIPE_BUF", "/"],
        &["-v", "POSIX_V7_LP64_OFF64", "PAGESIZE"],
    ] {
        let a = run("getconf", args);
        if let Some(b) = gnu(args) {
            assert_eq!(
                (a.code, a.out(), a.err()),
                (0, b, String::new()),
                "{args:?}"
            );
        }
    }
    // nginx's entrypoint: a plain number.
    let n = run("getconf", &["_NPROCESSORS_ONLN"]).out();
    assert!(n.trim().parse::<u32>().unwrap() >= 1);
}

#[test]
fn listing_as_musl_utils() {
    let a = run("getconf", &["-a"]);
    assert_eq!(a.code, 0);
    let out = a.out();
    assert!(out.starts_with("PATH = "), "{out}");
    assert!(out.lines().all(|l| l.contains(" = ")));
    for n in [
        "_NPROCESSORS_ONLN = ",
        "PAGESIZE = ",
        "ARG_MAX = ",
        "CLK_TCK = ",
        "LONG_BIT = ",
    ] {
        assert!(out.lines().any(|l| l.starts_with(n)), "{n}");
    }
    // pathconf names only with a path, and then only they.
    assert!(!out.contains("\nNAME_MAX = "));
    let p = run("getconf", &["-a", "/"]).out();
    assert!(p.starts_with("LINK_MAX = "), "{p}");
    assert!(p.contains("\nNAME_MAX = 255\n") && !p.contains("PAGESIZE"));
}

#[test]
fn errors() {
    run("getconf", &["NOPE"]).fails(1, "getconf: NOPE: unknown variable\n");
    run("getconf", &["PATH_MAX"]).fails(1, "getconf: PATH_MAX: invalid variable type\n");
    run("getconf", &["ARG_MAX", "/"]).fails(1, "getconf: ARG_MAX: invalid variable type\n");
    // musl's pathconf answers its fixed limits without looking at the path (as musl-utils'
    // getconf does on Alpine); GNU's fails for a missing file.
    run("getconf", &["NAME_MAX", "/nonexistent-rbox"]).ok("255\n");
    run("getconf", &[]).fails_with(1, "rbox v");
    run("getconf", &["a", "b", "c"]).fails_with(1, "rbox v");
    run("getconf", &["-x"]).fails_with(1, "getconf: invalid option -- 'x'");
}
