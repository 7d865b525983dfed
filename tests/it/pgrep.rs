//! pgrep and pkill: Debian's BusyBox has neither, so these follow BusyBox's usage and
//! are compared with procps-ng where the two agree.

use crate::common::*;
use crate::kill::named_sleep;
use crate::proc_util::*;
use std::process::Command;

fn procps(args: &[&str]) -> Option<Out> {
    if !std::path::Path::new("/usr/bin/pgrep").exists() {
        eprintln!("procps-ng pgrep missing: comparison skipped");
        return None;
    }
    let o = Command::new("/usr/bin/pgrep").args(args).output().unwrap();
    Some(Out {
        code: o.status.code().unwrap_or(-1),
        stdout: o.stdout,
        stderr: o.stderr,
    })
}

#[test]
fn matches_like_procps() {
    let d = Dir::new();
    let (k1, name) = named_sleep(&d);
    let (k2, _) = (Kid::spawn(Command::new(d.join(&name)).arg("31")), ());
    let (lo, hi) = (k1.pid().min(k2.pid()), k1.pid().max(k2.pid()));
    let both = format!("{lo}\n{hi}\n");
    let pat = &name[..name.len() - 1];
    // ERE as procps: alternation, anchors, intervals, groups, brackets; -x wants it whole.
    let alt = format!("zzznosuch|{name}");
    let anch = format!("^{}$", &name[..2]);
    let grp = format!("({})[a-z0-9]{{1}}", pat);
    let start = format!("^{}", &name[..3]);
    for args in [
        vec!["-x", alt.as_str()],
        vec![alt.as_str()],
        vec![anch.as_str()],
        vec!["-x", grp.as_str()],
        vec![start.as_str()],
        vec!["-x", &start],
        vec![name.as_str()],
        vec!["-x", &name],
        vec!["-l", &name],
        vec!["-a", &name],
        vec!["-f", &format!("{name} 3[01]")],
        vec!["-f", "-x", &format!("{}/{name} 31", d.path.display())],
        vec!["-n", pat],
        vec!["-o", pat],
        vec!["-P", &std::process::id().to_string(), pat],
        vec!["-u", "root,0", pat],
        vec!["-x", pat],
        vec!["rznosuchname"],
    ] {
        let a = run("pgrep", &args);
        if let Some(b) = procps(&args) {
            assert_eq!(
                (a.code, a.out(), a.err()),
                (b.code, b.out(), b.err()),
                "pgrep {args:?}"
            );
        }
    }
    run("pgrep", &[&name]).ok(&both);
    run("pgrep", &["-l", &name]).ok(format!("{lo} {name}\n{hi} {name}\n"));
    run("pgrep", &["-n", pat]).ok(format!("{}\n", k2.pid()));
    run("pgrep", &["-x", pat]).fails(1, "");
    run("pgrep", &["-x", &alt]).ok(&both);
    run("pgrep", &["-x", &grp]).ok(&both);
    run("pgrep", &[&anch]).fails(1, "");
    // -v: everything else; our two are not among them.
    let v = run("pgrep", &["-v", &name]).out();
    assert!(!v
        .lines()
        .any(|l| l == lo.to_string() || l == hi.to_string()));
    let s = run("pgrep", &["-s", "0", &name]).out();
    assert_eq!(s, both);
    let g = run("pgrep", &["-g", "0", &name]).out();
    assert_eq!(g, both);
}

#[test]
fn usage_and_bad_patterns() {
    run("pgrep", &[]).fails_with(1, "rbox v");
    run("pgrep", &["a", "b"]).fails_with(1, "rbox v");
    run("pgrep", &["-P"]).fails_with(1, "pgrep: option requires an argument -- 'P'");
    run("pgrep", &["-P", "x", "a"]).fails(1, "pgrep: invalid number 'x'\n");
    run("pgrep", &["-u", "nosuchuserrbox", "a"]).fails(1, "pgrep: unknown user nosuchuserrbox\n");
    let o = run("pgrep", &["a("]);
    assert_eq!(o.code, 1);
    // BusyBox's xregcomp message, with glibc's text.
    assert_eq!(o.err(), "pgrep: bad regex 'a(': Unmatched ( or \\(\n");
    run("pkill", &["x{2,1}"]).fails(1, "pkill: bad regex 'x{2,1}': Invalid content of \\{\\}\n");
}

#[test]
fn pkill_signals() {
    let d = Dir::new();
    let (mut k1, name) = named_sleep(&d);
    run("pkill", &["-USR1", &name]).ok("");
    assert_eq!(k1.reap_signal(), Some(libc::SIGUSR1));
    let (mut k2, name2) = named_sleep(&d);
    run("pkill", &["-9", "-x", &name2]).ok("");
    assert_eq!(k2.reap_signal(), Some(libc::SIGKILL));
    let (mut k3, name3) = named_sleep(&d);
    run("pkill", &["-f", &format!("{name3} 30$")]).ok("");
    assert_eq!(k3.reap_signal(), Some(libc::SIGTERM));
    run("pkill", &[&name3]).fails(1, "");
    let l = run("pkill", &["-l"]);
    assert!(l.out().starts_with(" 1) HUP\n 2) INT\n"));
    // An unknown -SIGNAL is an unknown option.
    run("pkill", &["-FOO", "x"]).fails_with(1, "pkill: invalid option -- 'F'");
}

#[test]
fn no_proc() {
    if let Some(o) = in_empty_root(&["proc"], &["pgrep", "init"]) {
        o.fails(1, "pgrep: /proc is not mounted\n");
    }
}
