//! comm and join: BusyBox 1.35 (Debian) has neither, so the output is compared with GNU's.
use crate::common::*;
use crate::textfiles::*;

fn setup(d: &Dir) {
    d.write("j1", "a 1\nb 2\nb 3\nd 4\n  e  5 x\nf\n");
    d.write("j2", "b x\nb y\nc z\nd w\ne\nf 9 9\n");
    d.write("j3", "x,,1\ny,2,\n");
    d.write("j4", "x,q\ny,\nz,3\n");
    d.write("c1", "a\nb\nd\n");
    d.write("c2", "b\nc\nd\ne\n");
    d.write("c3", "b\na\n");
    d.write("c4", b"\xff\n\xfe x".as_slice());
}

fn both(applet: &str, args: &[&str], stderr: bool) {
    // same_gnu sets up files(); the join/comm inputs are written by setup here.
    let d = Dir::new();
    files(&d);
    setup(&d);
    let a = d.cmd(applet).args(args).run();
    let gnu = format!("/usr/bin/{applet}");
    if !std::path::Path::new(&gnu).exists() {
        return;
    }
    let b = std::process::Command::new(&gnu)
        .args(args)
        .current_dir(&d.path)
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    assert_eq!(
        (a.code, a.out()),
        (
            b.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&b.stdout).into_owned()
        ),
        "{applet} {args:?}"
    );
    if stderr {
        assert_eq!(
            a.err(),
            String::from_utf8_lossy(&b.stderr).replace(&gnu, applet)
        );
    }
}

#[test]
fn comm_matches_gnu() {
    for o in [
        &[][..],
        &["-1"],
        &["-2"],
        &["-3"],
        &["-12"],
        &["-13"],
        &["-23"],
        &["-123"],
    ] {
        for files in [
            ["c1", "c2"],
            ["c2", "c1"],
            ["c1", "c4"],
            ["c1", "empty"],
            ["f1", "nonl"],
        ] {
            let mut a = o.to_vec();
            a.extend(files);
            both("comm", &a, true);
        }
        // Unsorted: the same lines, and a warning per file (the wording matches; GNU writes
        // it between the lines).
        let mut a = o.to_vec();
        a.extend(["c3", "c2"]);
        both("comm", &a, false);
    }
    let d = Dir::new();
    setup(&d);
    d.cmd("comm").args(["c3", "c2"]).run().fails(
        1,
        "comm: file 1 is not in sorted order\ncomm: input is not in sorted order\n",
    );
    d.cmd("comm")
        .args(["-", "c2"])
        .stdin("a\nc\n")
        .run()
        .ok("a\n\tb\n\t\tc\n\td\n\te\n");
    d.cmd("comm")
        .args(["c1", "nope"])
        .run()
        .fails(1, "comm: can't open 'nope': No such file or directory\n");
    d.cmd("comm").arg("c1").run().code(1);
}

#[test]
fn join_matches_gnu() {
    for o in [
        &[][..],
        &["-a1"],
        &["-a2"],
        &["-a1", "-a2"],
        &["-v1"],
        &["-v2"],
        &["-v1", "-v2"],
        &["-o", "1.2,2.2,0"],
        &["-o", "1.2 2.2 0,1.5", "-e", "NONE"],
        &["-e", "E"],
        &["-j1"],
        &["-i"],
        &["-o", "0,2.3", "-a2", "-e", "-"],
    ] {
        let mut a = o.to_vec();
        a.extend(["j1", "j2"]);
        both("join", &a, true);
        let mut a = o.to_vec();
        a.extend(["-t,", "j3", "j4"]);
        both("join", &a, true);
    }
    for a in [
        &["j1", "nope"][..],
        &["-t", "ab", "j1", "j2"],
        &["-1", "0", "j1", "j2"],
        &["-o", "3.1", "j1", "j2"],
        &["-a", "3", "j1", "j2"],
    ] {
        both("join", a, true);
    }
    both("join", &["j1"], false);
    let d = Dir::new();
    setup(&d);
    d.cmd("join")
        .args(["-", "j2"])
        .stdin("b 1\nd 2\n")
        .run()
        .ok("b 1 x\nb 1 y\nd 2 w\n");
}
