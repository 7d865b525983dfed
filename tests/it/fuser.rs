//! fuser on the tests' own processes (Debian's BusyBox has no fuser).

use crate::common::*;
use crate::proc_util::*;
use std::process::Command;

#[test]
fn files_ports_and_signals() {
    let d = Dir::new();
    let f = d.write("held", "x").display().to_string();
    // A child holding the file open on descriptor 3.
    let mut k = Kid::spawn(
        Command::new("sh")
            .arg("-c")
            .arg(format!("exec 3<{f}; exec sleep 30")),
    );
    let p = k.pid().to_string();
    // Spawn returns once sh has exec'd; the redirection comes after, so wait for it.
    let fd3 = format!("/proc/{p}/fd/3");
    for _ in 0..1000 {
        if std::fs::read_link(&fd3).is_ok_and(|t| t.as_os_str() == f.as_str()) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    run("fuser", &[&f]).ok(format!("{p} \n"));
    run("fuser", &["-s", &f]).ok("");
    // -m: anything on the same file system.
    assert!(run("fuser", &["-m", &f])
        .out()
        .split_whitespace()
        .any(|x| x == p));
    let unused = d.write("unused", "").display().to_string();
    run("fuser", &[&unused]).fails(1, "");
    run("fuser", &["/nonexistent-rbox"]).fails(
        1,
        "fuser: can't stat '/nonexistent-rbox': No such file or directory\n",
    );
    // A port: this test process listens on one.
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let me = std::process::id().to_string();
    let o = run("fuser", &[&format!("{port}/tcp")]);
    assert!(o.out().split_whitespace().any(|x| x == me), "{o:?}");
    run("fuser", &["-6", &format!("{port}/tcp")]).fails(1, "");
    // -k with a signal.
    run("fuser", &["-k", "-USR1", &f]).ok("");
    assert_eq!(k.reap_signal(), Some(libc::SIGUSR1));
    run("fuser", &[]).fails_with(1, "rbox v");
}
