//! pstree on a tree the test starts (Debian's BusyBox has no pstree: the layout is
//! BusyBox's, from psmisc, as its source prints it).

use crate::common::*;
use crate::proc_util::*;
use std::process::Command;

/// `sh` waiting for two sleeps; the pids of sh and of the sleeps.
fn family() -> (Kid, Vec<u32>) {
    let k = Kid::spawn(
        Command::new("sh")
            .arg("-c")
            .arg("sleep 30 & sleep 30 & wait"),
    );
    let mut kids = Vec::new();
    for _ in 0..500 {
        kids.clear();
        for e in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(p) = e.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let s = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
            let rest = s.rsplit(") ").next().unwrap_or("");
            if rest.split(' ').nth(1) == Some(&k.pid().to_string()) && s.contains("(sleep)") {
                kids.push(p);
            }
        }
        if kids.len() == 2 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    kids.sort_unstable();
    (k, kids)
}

#[test]
fn tree_layout() {
    let (k, kids) = family();
    assert_eq!(kids.len(), 2);
    let b = k.pid().to_string();
    // Equal leaves fold into N*[name].
    run("pstree", &[&b]).ok("sh---2*[sleep]\n");
    let head = format!("sh({b})");
    run("pstree", &["-p", &b]).ok(format!(
        "{head}-+-sleep({})\n{}`-sleep({})\n",
        kids[0],
        " ".repeat(head.len() + 1),
        kids[1]
    ));
    // Lines end at the width with a '+'.
    cmd("pstree")
        .arg(&b)
        .env("COLUMNS", "10")
        .run()
        .ok("sh---2*[s+\n");
    run("pstree", &["999999999"]).ok("");
    run("pstree", &["rbox-nosuchuser"]).fails(1, "pstree: unknown user rbox-nosuchuser\n");
    run("pstree", &["1", "2"]).fails_with(1, "rbox v");
    // The whole tree starts at pid 1.
    let all = run("pstree", &[]).out();
    let init = std::fs::read_to_string("/proc/1/comm").unwrap();
    assert!(
        all.starts_with(&init.trim()[..init.trim().len().min(15)]),
        "{all}"
    );
}
