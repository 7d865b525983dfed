//! free and uptime: memory and load change from one moment to the next, so the
//! comparisons with BusyBox look at what holds still (layout, totals, swap, users).

use crate::common::*;

fn col(out: &str, row: &str, i: usize) -> String {
    out.lines()
        .find(|l| l.starts_with(row))
        .and_then(|l| l.split_whitespace().nth(i))
        .unwrap_or("")
        .to_string()
}

#[test]
fn layout_and_totals_match_busybox() {
    let header =
        "              total        used        free      shared  buff/cache   available\n";
    for args in [
        &[][..],
        &["-b"],
        &["-k"],
        &["-m"],
        &["-g"],
        &["-h"],
        &["-mb"],
        &["-m", "-g"],
        &["-hk"],
        &["extra"],
    ] {
        let a = run("free", args);
        assert_eq!((a.code, a.err().as_str()), (0, ""), "{args:?}");
        let out = a.out();
        assert!(out.starts_with(header), "{out}");
        assert_eq!(out.lines().count(), 3, "{out}");
        for l in out.lines().skip(1) {
            assert!(l.starts_with("Mem:   ") || l.starts_with("Swap:  "), "{l}");
            let n = l.split_whitespace().count();
            assert_eq!(n, if l.starts_with("Mem") { 7 } else { 4 }, "{l}");
            // Right-aligned in 12 columns after a 7-column label.
            assert_eq!((l.len() - 7) % 12, 0, "{l}");
        }
        if has_busybox() {
            let b = bb("free").args(args).run().out();
            assert_eq!(col(&out, "Mem:", 1), col(&b, "Mem:", 1), "{args:?}");
            assert_eq!(col(&out, "Mem:", 4), col(&b, "Mem:", 4), "{args:?}"); // shared
            assert_eq!(out.lines().nth(2), b.lines().nth(2), "{args:?}");
        }
    }
    // The "total" column is MemTotal.
    let mt: u64 = std::fs::read_to_string("/proc/meminfo")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap();
    assert_eq!(col(&run("free", &[]).out(), "Mem:", 1), mt.to_string());
    assert_eq!(
        col(&run("free", &["-b"]).out(), "Mem:", 1),
        (mt * 1024).to_string()
    );
    // -h: BusyBox's human-readable figures ("23.5G").
    let h = col(&run("free", &["-h"]).out(), "Mem:", 1);
    assert!(h.ends_with(['K', 'M', 'G', 'T']), "{h}");
}

#[test]
fn bad_options() {
    for args in [&["-x"][..], &["-"], &["--"], &["--help"]] {
        same("free", args, b"", |_| {});
    }
}

/// The line with the clock and the load averages blanked.
fn norm(s: &str) -> String {
    let mut w: Vec<String> = s.split(' ').map(String::from).collect();
    if let Some(t) = w.get_mut(1) {
        *t = "TIME".into();
    }
    let mut out = w.join(" ");
    if let Some(i) = out.find("load average:") {
        out.truncate(i + 13);
    }
    out
}

#[test]
fn uptime_matches_busybox() {
    let a = run("uptime", &[]);
    assert_eq!((a.code, a.err().as_str()), (0, ""));
    let out = a.out();
    assert!(out.starts_with(' ') && out.ends_with('\n'), "{out}");
    let loads = out.rsplit("load average: ").next().unwrap().trim_end();
    assert_eq!(loads.split(", ").count(), 3, "{out}");
    assert!(
        loads
            .split(", ")
            .all(|l| l.len() >= 4 && l.as_bytes()[l.len() - 3] == b'.'),
        "{out}"
    );
    if has_busybox() {
        let b = bb("uptime").run();
        assert_eq!(norm(&out), norm(&b.out()));
        let a2 = run("uptime", &["ignored"]);
        assert_eq!(norm(&a2.out()), norm(&b.out()));
    }
    same("uptime", &["-x"], b"", |_| {});
}
