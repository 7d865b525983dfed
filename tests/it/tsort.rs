//! tsort: Debian's BusyBox has none; compared with GNU's (same order, same loop report).

use crate::common::*;

#[test]
fn matches_gnu() {
    for s in [
        "a b\nb c\nc a\n",
        "a b c d\nb e",
        "a",
        "",
        "x x\n",
        "a b\na c\na d\nd e\nc e\n",
        "3 8\n3 10\n5 11\n7 8\n7 11\n8 9\n11 2\n11 9\n11 10\n",
        "b a\nc a\na z\n",
        "a b b a c d",
        "\u{e9} q\n\x01 r\n",
    ] {
        let Ok(mut g) = std::process::Command::new("tsort")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
        else {
            eprintln!("GNU tsort missing: comparison skipped");
            return;
        };
        use std::io::Write;
        g.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
        let g = g.wait_with_output().unwrap();
        let o = cmd("tsort").stdin(s).run();
        assert_eq!(
            (o.code, o.out(), o.err()),
            (
                g.status.code().unwrap(),
                String::from_utf8_lossy(&g.stdout).into_owned(),
                String::from_utf8_lossy(&g.stderr).into_owned()
            ),
            "{s:?}"
        );
    }
    run("tsort", &["nope"]).fails(1, "tsort: nope: No such file or directory\n");
}
