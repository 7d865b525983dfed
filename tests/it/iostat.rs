//! iostat's layout (Debian's BusyBox has none; sysstat's format as BusyBox prints it). The
//! INTERVAL COUNT repeats are not run here: BusyBox's interval is whole seconds.

use crate::common::*;

#[test]
fn reports() {
    let o = run("iostat", &[]);
    assert_eq!((o.code, o.err().as_str()), (0, ""));
    let out = o.out();
    let l: Vec<&str> = out.lines().collect();
    let u = run("uname", &["-s", "-r", "-n"]).out();
    let u: Vec<&str> = u.split_whitespace().collect();
    assert!(
        l[0].starts_with(&format!("{} {} ({}) \t", u[0], u[2], u[1])),
        "{}",
        l[0]
    );
    assert!(l[0].ends_with(" CPU)"), "{}", l[0]);
    assert_eq!(l[1], "");
    assert_eq!(
        l[2],
        "avg-cpu:  %user   %nice %system %iowait  %steal   %idle"
    );
    let nums: Vec<f64> = l[3]
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    assert_eq!(nums.len(), 6);
    assert!((nums.iter().sum::<f64>() - 100.0).abs() < 1.0, "{}", l[3]);
    assert_eq!(
        l[5],
        "Device:            tps   Blk_read/s   Blk_wrtn/s   Blk_read   Blk_wrtn"
    );
    for r in &l[6..] {
        if r.is_empty() {
            continue;
        }
        assert_eq!(r.split_whitespace().count(), 6, "{r}");
        assert!(r.ends_with(' '), "{r:?}");
    }
    assert!(out.ends_with("\n\n"));
    let c = run("iostat", &["-c"]).out();
    assert!(!c.contains("Device:") && c.contains("avg-cpu:"));
    let d = run("iostat", &["-d", "-k"]).out();
    assert!(
        !d.contains("avg-cpu:") && d.contains("    kB_read/s    kB_wrtn/s    kB_read    kB_wrtn\n")
    );
    assert!(run("iostat", &["-m", "-d"]).out().contains("MB_read/s"));
    let t = run("iostat", &["-t", "-c"]).out();
    assert_eq!(t.lines().nth(2).map(|x| x.len()), Some(17), "{t}"); // mm/dd/yy hh:mm:ss
                                                                    // A device named (with or without /dev/) is shown even when idle.
    let first = std::fs::read_to_string("/proc/diskstats").unwrap();
    if let Some(name) = first
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(2))
    {
        let o = run("iostat", &["-d", &format!("/dev/{name}")]).out();
        assert!(o.lines().any(|l| l.starts_with(name)), "{o}");
    }
    run("iostat", &["-k", "-m"]).fails_with(1, "rbox v");
    run("iostat", &["x", "y", "z"]).code(0);
    run("iostat", &["1", "x"]).fails(1, "iostat: invalid number 'x'\n");
}
