//! Helpers for the process tests (ps, kill, pgrep...): children whose pids the tests know,
//! killed when dropped, and ways to pick their rows out of a listing.

#![allow(dead_code)]

use crate::common::*;
use std::process::{Child, Command, Stdio};

/// A `sleep 30` (or another command) started by the test, killed and reaped on drop.
pub struct Kid(pub Child);

impl Kid {
    /// A `sleep 30`, returned once it sleeps: its loader has finished, so its mappings
    /// (pmap) and counters no longer change under the test.
    pub fn sleep() -> Kid {
        let k = Kid::spawn(Command::new("sleep").arg("30"));
        for _ in 0..500 {
            let s = std::fs::read(format!("/proc/{}/stat", k.pid())).unwrap_or_default();
            let state = s
                .iter()
                .rposition(|&c| c == b')')
                .and_then(|i| s.get(i + 2));
            if state == Some(&b'S') {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        k
    }
    pub fn spawn(c: &mut Command) -> Kid {
        let k = c
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        let kid = Kid(k);
        kid.wait_exec();
        kid
    }
    pub fn pid(&self) -> u32 {
        self.0.id()
    }
    /// Waits (2 s at most, a loaded CI machine is slow) until the child has exec'd.
    fn wait_exec(&self) {
        let me = std::fs::read(format!("/proc/{}/stat", std::process::id())).unwrap_or_default();
        let my_comm = comm_of(&me);
        for _ in 0..1000 {
            let s = std::fs::read(format!("/proc/{}/stat", self.pid())).unwrap_or_default();
            if !s.is_empty() && comm_of(&s) != my_comm {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }
    /// Whether the child is still alive (not yet killed); reaps it if it has ended.
    pub fn alive(&mut self) -> bool {
        matches!(self.0.try_wait(), Ok(None))
    }
    /// Waits for the child to end (it has been signalled), returning the signal number.
    pub fn reap_signal(&mut self) -> Option<i32> {
        use std::os::unix::process::ExitStatusExt;
        for _ in 0..500 {
            if let Ok(Some(st)) = self.0.try_wait() {
                return st.signal();
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        None
    }
}

fn comm_of(stat: &[u8]) -> Vec<u8> {
    let a = stat.iter().position(|&c| c == b'(').unwrap_or(0);
    let b = stat.iter().rposition(|&c| c == b')').unwrap_or(0);
    stat.get(a..b).unwrap_or_default().to_vec()
}

impl Drop for Kid {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The header (first line, when it has no digits first) and the rows whose first field is
/// one of `pids`.
pub fn rows(out: &str, pids: &[u32]) -> String {
    let mut s = String::new();
    for (i, l) in out.lines().enumerate() {
        let first = l.split_whitespace().next().unwrap_or("");
        let hit = first.parse::<u32>().is_ok_and(|p| pids.contains(&p));
        if hit || (i == 0 && first.parse::<u32>().is_err()) {
            s.push_str(l);
            s.push('\n');
        }
    }
    s
}

/// The same command under rbox and BusyBox, compared on the header and `pids`' rows.
#[track_caller]
pub fn same_rows(applet: &str, args: &[&str], pids: &[u32]) {
    if !has_busybox() {
        eprintln!("busybox-static not installed: comparison skipped");
        return;
    }
    let a = cmd(applet).args(args).run();
    let b = bb(applet).args(args).run();
    assert_eq!(
        (a.code, rows(&a.out(), pids), a.err()),
        (b.code, rows(&b.out(), pids), b.err()),
        "left: rbox, right: busybox: {applet} {args:?}"
    );
}

/// Runs `/rbox ARGS` chrooted into an empty root (with `dirs` made in it); None when the
/// test cannot (not root, no chroot, or under an emulator).
pub fn in_empty_root(dirs: &[&str], args: &[&str]) -> Option<Out> {
    let runner = std::env::var_os("RBOX_TEST_RUNNER").is_some_and(|r| !r.is_empty());
    if runner
        || unsafe { libc::geteuid() } != 0
        || !std::path::Path::new("/usr/sbin/chroot").exists()
    {
        eprintln!("chroot test skipped");
        return None;
    }
    let d = Dir::new();
    std::fs::copy(bin(), d.join("rbox")).unwrap();
    for x in dirs {
        d.mkdir(x);
    }
    let o = output_retrying(
        Command::new("/usr/sbin/chroot")
            .arg(&d.path)
            .arg("/rbox")
            .args(args)
            .env("LC_ALL", "C"),
    );
    Some(Out {
        code: o.status.code().unwrap_or(-1),
        stdout: o.stdout,
        stderr: o.stderr,
    })
}

/// Seconds since the epoch.
pub fn time_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
