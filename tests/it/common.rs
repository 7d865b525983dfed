//! Test helpers: run the built rbox through a symlink named after the applet (so argv[0]
//! dispatch is tested too) in a temporary directory, and compare with BusyBox.
//!
//! Environment: RBOX_BIN overrides the binary under test (default: the one cargo built);
//! RBOX_TEST_RUNNER prefixes it (`qemu-aarch64-static` for the aarch64 build).

#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

pub fn bin() -> PathBuf {
    match std::env::var_os("RBOX_BIN") {
        Some(p) => std::fs::canonicalize(p).expect("RBOX_BIN"),
        None => PathBuf::from(env!("CARGO_BIN_EXE_rbox")),
    }
}

/// A directory of symlinks `NAME -> rbox`, made once per test process.
fn link_dir() -> &'static Path {
    static D: OnceLock<PathBuf> = OnceLock::new();
    D.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("rbox-it-bin-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    })
}

/// The path of a symlink named `applet` pointing at rbox.
pub fn applet_path(applet: &str) -> PathBuf {
    let p = link_dir().join(applet);
    if !p.exists() {
        let _ = std::os::unix::fs::symlink(bin(), &p);
    }
    p
}

/// A command running `path` (through RBOX_TEST_RUNNER when set).
fn base_cmd(path: &Path) -> Command {
    match std::env::var_os("RBOX_TEST_RUNNER") {
        Some(r) if !r.is_empty() => {
            let mut c = Command::new(r);
            c.arg(path);
            c
        }
        _ => Command::new(path),
    }
}

/// A temporary directory, removed when dropped.
pub struct Dir {
    pub path: PathBuf,
}

impl Dir {
    pub fn new() -> Dir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "rbox-it-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Dir { path }
    }
    pub fn join(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.path.join(rel)
    }
    /// Writes a file (parents made as needed).
    pub fn write(&self, rel: impl AsRef<Path>, data: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, data).unwrap();
        p
    }
    pub fn mkdir(&self, rel: impl AsRef<Path>) -> PathBuf {
        let p = self.path.join(rel);
        std::fs::create_dir_all(&p).unwrap();
        p
    }
    /// rbox's `applet`, run in this directory.
    pub fn cmd(&self, applet: &str) -> Run {
        let mut r = cmd(applet);
        r.cmd.current_dir(&self.path);
        r
    }
    /// BusyBox's `applet`, run in this directory.
    pub fn bb(&self, applet: &str) -> Run {
        let mut r = bb(applet);
        r.cmd.current_dir(&self.path);
        r
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// A command to run, with its standard input.
pub struct Run {
    pub cmd: Command,
    input: Option<Vec<u8>>,
    stdout_set: bool,
}

/// rbox's `applet` (through a symlink named so).
pub fn cmd(applet: &str) -> Run {
    let mut c = base_cmd(&applet_path(applet));
    c.env_remove("COLUMNS");
    c.env("LC_ALL", "C");
    Run {
        cmd: c,
        input: None,
        stdout_set: false,
    }
}

/// Where Debian's busybox-static is, if installed.
pub fn busybox() -> Option<PathBuf> {
    ["/bin/busybox", "/usr/bin/busybox"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// BusyBox's `applet` (`busybox APPLET ...`). Panics when BusyBox is missing: tests that
/// compare should check `has_busybox()` first.
pub fn bb(applet: &str) -> Run {
    let mut c = Command::new(busybox().expect("busybox-static is not installed"));
    c.arg(applet);
    c.env_remove("COLUMNS");
    c.env("LC_ALL", "C");
    Run {
        cmd: c,
        input: None,
        stdout_set: false,
    }
}

pub fn has_busybox() -> bool {
    busybox().is_some()
}

impl Run {
    pub fn arg(mut self, a: impl AsRef<OsStr>) -> Run {
        self.cmd.arg(a);
        self
    }
    pub fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(mut self, a: I) -> Run {
        self.cmd.args(a);
        self
    }
    pub fn stdin(mut self, data: impl AsRef<[u8]>) -> Run {
        self.input = Some(data.as_ref().to_vec());
        self
    }
    pub fn env(mut self, k: &str, v: impl AsRef<OsStr>) -> Run {
        self.cmd.env(k, v);
        self
    }
    pub fn dir(mut self, d: impl AsRef<Path>) -> Run {
        self.cmd.current_dir(d);
        self
    }
    /// Stdout goes to this file instead of a pipe (e.g. /dev/full).
    pub fn stdout_file(mut self, p: impl AsRef<Path>) -> Run {
        let f = std::fs::OpenOptions::new().write(true).open(p).unwrap();
        self.cmd.stdout(f);
        self.stdout_set = true;
        self
    }
    pub fn run(mut self) -> Out {
        self.cmd.stdin(if self.input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        if !self.stdout_set {
            self.cmd.stdout(Stdio::piped());
        }
        let mut child = self.cmd.stderr(Stdio::piped()).spawn().expect("spawn");
        if let Some(data) = self.input.take() {
            let mut si = child.stdin.take().unwrap();
            // A writer thread, so a command that does not read all its input cannot block us.
            std::thread::spawn(move || {
                let _ = si.write_all(&data);
            });
        }
        let o = child.wait_with_output().expect("wait");
        Out {
            code: o.status.code().unwrap_or_else(|| {
                use std::os::unix::process::ExitStatusExt;
                128 + o.status.signal().unwrap_or(0)
            }),
            stdout: o.stdout,
            stderr: o.stderr,
        }
    }
}

/// What a command did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Out {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Out {
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    pub fn err(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
    /// Exit 0, nothing on stderr, and exactly `stdout`.
    #[track_caller]
    pub fn ok(&self, stdout: impl AsRef<[u8]>) -> &Out {
        assert_eq!(
            (self.code, self.err().as_str(), self.out()),
            (0, "", String::from_utf8_lossy(stdout.as_ref()).into_owned())
        );
        assert_eq!(self.stdout, stdout.as_ref());
        self
    }
    /// Exit `code` with exactly `stderr`.
    #[track_caller]
    pub fn fails(&self, code: i32, stderr: &str) -> &Out {
        assert_eq!(
            (self.code, self.err().as_str()),
            (code, stderr),
            "stdout: {}",
            self.out()
        );
        self
    }
    /// Exit `code`, stderr starting with `prefix` (e.g. a message followed by the usage).
    #[track_caller]
    pub fn fails_with(&self, code: i32, prefix: &str) -> &Out {
        assert_eq!(self.code, code, "stderr: {}", self.err());
        assert!(
            self.err().starts_with(prefix),
            "stderr {:?} does not start with {prefix:?}",
            self.err()
        );
        self
    }
    #[track_caller]
    pub fn code(&self, code: i32) -> &Out {
        assert_eq!(self.code, code, "stderr: {}", self.err());
        self
    }
    /// Same exit status, stdout and stderr as `other` (BusyBox's banner line excepted).
    #[track_caller]
    pub fn same_as(&self, other: &Out) -> &Out {
        let norm = |s: &[u8]| {
            String::from_utf8_lossy(s)
                .lines()
                .filter(|l| !l.contains("multi-call binary"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            (self.code, self.out(), norm(&self.stderr)),
            (other.code, other.out(), norm(&other.stderr)),
            "left: rbox, right: busybox"
        );
        self
    }
}

/// rbox `applet ARGS` with no input.
pub fn run(applet: &str, args: &[&str]) -> Out {
    cmd(applet).args(args).run()
}

/// Runs the same command under rbox and BusyBox in fresh copies of a directory set up by
/// `setup`, and asserts identical status, stdout and stderr. Skipped without BusyBox.
#[track_caller]
pub fn same(applet: &str, args: &[&str], stdin: &[u8], setup: impl Fn(&Dir)) {
    if !has_busybox() {
        eprintln!("busybox-static not installed: comparison skipped");
        return;
    }
    let (d1, d2) = (Dir::new(), Dir::new());
    setup(&d1);
    setup(&d2);
    let fix = |o: Out, d: &Dir| Out {
        stdout: replace(&o.stdout, d.path.as_os_str().as_bytes(), b"DIR"),
        stderr: replace(&o.stderr, d.path.as_os_str().as_bytes(), b"DIR"),
        ..o
    };
    let a = fix(d1.cmd(applet).args(args).stdin(stdin).run(), &d1);
    let b = fix(d2.bb(applet).args(args).stdin(stdin).run(), &d2);
    a.same_as(&b);
}

fn replace(s: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if !from.is_empty() && s[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

/// Whether the binary under test runs through an emulator (RBOX_TEST_RUNNER): it cannot
/// then exec itself (no binfmt_misc here), and its C types are the target's.
pub fn under_runner() -> bool {
    std::env::var_os("RBOX_TEST_RUNNER").is_some_and(|r| !r.is_empty())
}

/// RBOX_TEST_RUNNER followed by a space, or "": for tests that build shell command lines.
pub fn runner_prefix() -> String {
    match std::env::var("RBOX_TEST_RUNNER") {
        Ok(r) if !r.is_empty() => format!("{r} "),
        _ => String::new(),
    }
}

/// Exit 0, no message, and exactly `want`; but under a qemu runner (which reorders the
/// environment it passes on) in any order of lines.
pub trait EnvOk {
    fn env_ok(&self, want: &str);
}

impl EnvOk for Out {
    #[track_caller]
    fn env_ok(&self, want: &str) {
        if std::env::var_os("RBOX_TEST_RUNNER").is_some_and(|r| !r.is_empty()) {
            let out = self.out();
            let mut a: Vec<&str> = out.split_inclusive(['\n', '\0']).collect();
            let mut b: Vec<&str> = want.split_inclusive(['\n', '\0']).collect();
            a.sort();
            b.sort();
            assert_eq!((self.code, self.err(), a), (0, String::new(), b));
        } else {
            self.ok(want);
        }
    }
}

/// `c.output()`, tried again while exec fails with "Text file busy": a binary copied by a
/// test can be briefly busy, because the parallel harness forks other tests' children that
/// hold the copy's write descriptor between their fork and exec.
pub fn output_retrying(c: &mut Command) -> std::process::Output {
    loop {
        let o = c.output().expect("spawn");
        if !String::from_utf8_lossy(&o.stderr).contains("Text file busy") {
            return o;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
