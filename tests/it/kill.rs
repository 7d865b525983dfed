//! kill, killall, pidof: against BusyBox, on the tests' own children.

use crate::common::*;
use crate::proc_util::*;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A copy of sleep under a name no other process has (kept under 15 bytes), running.
pub fn named_sleep(d: &Dir) -> (Kid, String) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "rz{}x{}",
        std::process::id() % 100000,
        N.fetch_add(1, Ordering::Relaxed)
    );
    let p = d.join(&name);
    if !p.exists() {
        std::fs::copy("/bin/sleep", &p).unwrap();
    }
    loop {
        let mut c = Command::new(&p);
        c.arg("30");
        if let Ok(k) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| Kid::spawn(&mut c)))
        {
            return (k, name);
        }
        std::thread::sleep(std::time::Duration::from_millis(20)); // ETXTBSY from a parallel fork
    }
}

#[test]
fn list_and_names() {
    for args in [
        &["-l"][..],
        &["-l", "9", "15", "HUP", "sigterm", "137", "0", "40"],
        &["-l", "x"],
        &["-l", "9x"],
        &["-s", "FOO", "1"],
        &["-FOO", "1"],
        &["-sig9", "1"],
        &["-n", "9", "1"],
        &[],
        &["-9"],
        &["-s"],
    ] {
        same("kill", args, b"", |_| {});
    }
}

#[test]
fn signals_pids_and_errors() {
    let mut a = Kid::sleep();
    let mut b = Kid::sleep();
    let (pa, pb) = (a.pid().to_string(), b.pid().to_string());
    run("kill", &["-0", &pa]).ok("");
    assert!(a.alive());
    // Errors are counted into the status; good pids are still signalled.
    let gone = "999999999";
    let o = run("kill", &["-s", "USR1", &pa, "abc", gone]);
    o.fails(
        2,
        "kill: invalid number 'abc'\nkill: can't kill pid 999999999: No such process\n",
    );
    assert_eq!(a.reap_signal(), Some(libc::SIGUSR1));
    run("kill", &["-9", "--", &pb]).fails(1, "kill: invalid number '--'\n");
    assert_eq!(b.reap_signal(), Some(libc::SIGKILL));
    let mut c = Kid::sleep();
    run("kill", &["--", &c.pid().to_string()]).ok("");
    assert_eq!(c.reap_signal(), Some(libc::SIGTERM));
    let mut d = Kid::sleep();
    run("kill", &["-SIGHUP", &format!(" {}", d.pid())]).ok("");
    assert_eq!(d.reap_signal(), Some(libc::SIGHUP));
    same("kill", &["-0", gone], b"", |_| {});
    same("kill", &["--", "-999999999"], b"", |_| {});
}

#[test]
fn killall_by_name() {
    let dir = Dir::new();
    let (mut k1, name) = named_sleep(&dir);
    let (mut k2, _) = {
        let mut c = Command::new(dir.join(&name));
        c.arg("30");
        (Kid::spawn(&mut c), ())
    };
    run("killall", &["-USR2", &name]).ok("");
    assert_eq!(k1.reap_signal(), Some(libc::SIGUSR2));
    assert_eq!(k2.reap_signal(), Some(libc::SIGUSR2));
    run("killall", &[&name]).fails(1, &format!("killall: {name}: no process killed\n"));
    run("killall", &["-q", &name, "rznosuch"]).fails(2, "");
    for args in [&["-l"][..], &["-FOO", "x"], &[], &["-9"]] {
        same("killall", args, b"", |_| {});
    }
}

#[test]
fn pidof_names() {
    let dir = Dir::new();
    let (k1, name) = named_sleep(&dir);
    let mut c = Command::new(dir.join(&name));
    c.arg("30");
    let k2 = Kid::spawn(&mut c);
    let (p1, p2) = (k1.pid(), k2.pid());
    // Newest (highest pid in listing order) first.
    let (hi, lo) = if p1 > p2 { (p1, p2) } else { (p2, p1) };
    run("pidof", &[&name]).ok(format!("{hi} {lo}\n"));
    same("pidof", &[&name], b"", |_| {});
    same("pidof", &[&name, "rznosuch", &name], b"", |_| {});
    same("pidof", &["rznosuch"], b"", |_| {});
    same("pidof", &[], b"", |_| {});
    // The full path of the executable names it too.
    let full = dir.join(&name).display().to_string();
    run("pidof", &[&full]).ok(format!("{hi} {lo}\n"));
    // -s and -o are BusyBox options its Debian build leaves out.
    run("pidof", &["-s", &name]).ok(format!("{hi}\n"));
    run("pidof", &["-o", &hi.to_string(), &name]).ok(format!("{lo}\n"));
    run("pidof", &["-o", &format!("{hi},{lo}"), &name]).fails(1, "");
    run("pidof", &["-o", "%PPID", &name]).ok(format!("{hi} {lo}\n"));
    run("pidof", &["-o", "x", &name]).fails(1, "pidof: invalid number 'x'\n");
}

#[test]
fn no_proc() {
    if let Some(o) = in_empty_root(&["proc"], &["pidof", "init"]) {
        o.fails(1, "pidof: /proc is not mounted\n");
    }
    if let Some(o) = in_empty_root(&[], &["killall", "init"]) {
        o.fails(
            1,
            "killall: can't open '/proc': No such file or directory\n",
        );
    }
}

#[test]
fn killall5_in_a_pid_namespace() {
    // Only inside a PID namespace of its own: anywhere else it would signal everything.
    let runner = std::env::var_os("RBOX_TEST_RUNNER").is_some_and(|r| !r.is_empty());
    if runner
        || unsafe { libc::geteuid() } != 0
        || !std::path::Path::new("/usr/bin/unshare").exists()
    {
        eprintln!("killall5 test skipped");
        return;
    }
    let k = applet_path("killall5").display().to_string();
    let script = format!(
        "setsid sleep 30 & a=$!; setsid sleep 30 & b=$!; sleep 0.05; {k} -USR1 -o $b; echo st=$?; \
         wait $a; echo a=$?; kill $b; wait $b; echo b=$?; {k} -o 1; echo none=$?"
    );
    let o = Command::new("unshare")
        .args(["-pf", "--mount-proc", "sh", "-c", &script])
        .output()
        .unwrap();
    // The one not omitted got USR1 (138), the omitted one only the later TERM (143); with
    // nothing left outside the session, the status is 2.
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "st=0\na=138\nb=143\nnone=2\n",
        "{o:?}"
    );
    run("killall5", &["-FOO"]).fails(1, "killall5: bad signal name 'FOO'\n");
    run("killall5", &["-o", "x"]).fails(1, "killall5: invalid number 'x'\n");
    run("killall5", &["bad"]).fails(1, "killall5: bad option 'bad'\n");
    assert!(run("killall5", &["-l"]).out().starts_with(" 1) HUP\n"));
}
