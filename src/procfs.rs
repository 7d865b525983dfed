//! The /proc reader shared by every applet that lists processes or reads memory and load
//! figures (ps, top, pgrep, pidof, kill, free, uptime...):
//!
//! ```text
//! let mut ps = Procs::open(procfs::STAT | procfs::UID).map_err(|e| e.fail(cx))?;
//! while let Some(p) = ps.next() {
//!     // p.pid, p.ppid, p.state, p.uid, p.comm(), p.args(..) ...
//! }
//! ```
//!
//! One `Proc` is filled in place for each pid (no allocation per process or field: the
//! stat line is parsed from a stack buffer, the command line goes into one reused buffer).
//! A process that exits while the list is read is skipped silently. /proc that cannot be
//! opened, or an empty directory where /proc should be mounted, is an error the caller
//! reports (`Err(ProcErr)`), never a panic.

use crate::args::parse_u64;
use crate::{sys, Cx, Fail};
use std::ffi::CStr;

/// Fill `uid`/`gid` (the owner of /proc/PID: effective ids, as BusyBox shows them).
pub const UID: u32 = 1;
/// Parse /proc/PID/stat (state, ppid, pgid, sid, tty, times, sizes, nice, comm...).
pub const STAT: u32 = 2;
/// List threads: every /proc/PID/task/TID, with `pid` the thread id and `tgid` its process.
pub const TASKS: u32 = 4;

/// Why /proc could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcErr {
    /// opendir failed with this errno.
    Open(i32),
    /// The directory is there but holds no processes (nothing mounted on it).
    NotMounted,
}

impl ProcErr {
    /// Reports the error as `APPLET: ...` and gives status 1.
    pub fn fail(self, cx: &Cx) -> Fail {
        match self {
            ProcErr::Open(e) => cx.fail(&[b"can't open '/proc': ", sys::strerror(e)]),
            ProcErr::NotMounted => cx.fail(&[b"/proc is not mounted"]),
        }
    }
}

/// One process (or thread), as read from /proc.
pub struct Proc {
    pub pid: u32,
    /// The thread group (process) id: `pid` itself unless listing threads.
    pub tgid: u32,
    pub ppid: u32,
    pub pgid: u32,
    pub sid: u32,
    /// The controlling terminal's device number (0: none).
    pub tty: u32,
    pub tpgid: i32,
    /// R, S, D, Z, T, t, X, I...
    pub state: u8,
    pub uid: u32,
    pub gid: u32,
    /// Clock ticks (CLK_TCK) in user and kernel mode.
    pub utime: u64,
    pub stime: u64,
    /// Start time in clock ticks after boot.
    pub start: u64,
    /// Virtual size and resident set, KiB.
    pub vsz: u64,
    pub rss: u64,
    pub priority: i64,
    pub nice: i64,
    pub threads: u64,
    /// The CPU it last ran on.
    pub cpu: u32,
    comm: [u8; 16],
    comm_len: u8,
    /// "PID" or "PID/task/TID", relative to /proc.
    rel: [u8; 32],
    rel_len: u8,
    dirfd: i32,
    buf: Vec<u8>,
}

impl Proc {
    fn new(dirfd: i32) -> Proc {
        Proc {
            pid: 0,
            tgid: 0,
            ppid: 0,
            pgid: 0,
            sid: 0,
            tty: 0,
            tpgid: 0,
            state: b'?',
            uid: 0,
            gid: 0,
            utime: 0,
            stime: 0,
            start: 0,
            vsz: 0,
            rss: 0,
            priority: 0,
            nice: 0,
            threads: 0,
            cpu: 0,
            comm: [0; 16],
            comm_len: 0,
            rel: [0; 32],
            rel_len: 0,
            dirfd,
            buf: Vec::new(),
        }
    }

    /// The command name (the kernel's comm, up to 15 bytes for user processes), raw bytes.
    pub fn comm(&self) -> &[u8] {
        &self.comm[..self.comm_len as usize]
    }

    /// The tty major and minor numbers, as BusyBox splits the stat field.
    pub fn tty_nr(&self) -> (u32, u32) {
        tty_split(self.tty)
    }

    /// Opens /proc/PID/NAME (or the thread's) read-only; Err is the errno.
    pub fn open(&self, name: &[u8]) -> Result<i32, i32> {
        let mut p = [0u8; 64];
        let rel = &self.rel[..self.rel_len as usize];
        let n = rel.len() + 1 + name.len();
        if n >= p.len() {
            return Err(libc::ENAMETOOLONG);
        }
        p[..rel.len()].copy_from_slice(rel);
        p[rel.len()] = b'/';
        p[rel.len() + 1..n].copy_from_slice(name);
        // SAFETY: p is NUL-terminated (zeroed past n); dirfd is /proc's descriptor.
        let fd = unsafe {
            libc::openat(
                self.dirfd,
                p.as_ptr().cast(),
                libc::O_RDONLY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            Err(sys::errno())
        } else {
            Ok(fd)
        }
    }

    /// Reads /proc/PID/NAME, up to `max` bytes, into the reused buffer.
    pub fn read(&mut self, name: &[u8], max: usize) -> Result<&[u8], i32> {
        let fd = self.open(name)?;
        let r = read_fd(fd, &mut self.buf, max);
        // SAFETY: fd was opened above and is ours.
        unsafe { libc::close(fd) };
        r.map(|n| &self.buf[..n])
    }

    /// readlink of /proc/PID/NAME (`cwd`, `exe`, `fd/0`) into the reused buffer.
    pub fn link(&mut self, name: &[u8]) -> Result<&[u8], i32> {
        let mut p = [0u8; 64];
        let rel = &self.rel[..self.rel_len as usize];
        let n = rel.len() + 1 + name.len();
        if n >= p.len() {
            return Err(libc::ENAMETOOLONG);
        }
        p[..rel.len()].copy_from_slice(rel);
        p[rel.len()] = b'/';
        p[rel.len() + 1..n].copy_from_slice(name);
        self.buf.resize(4096, 0);
        // SAFETY: p is NUL-terminated; buf has 4096 writable bytes.
        let r = unsafe {
            libc::readlinkat(
                self.dirfd,
                p.as_ptr().cast(),
                self.buf.as_mut_ptr().cast(),
                4096,
            )
        };
        if r < 0 {
            return Err(sys::errno());
        }
        Ok(&self.buf[..r as usize])
    }

    /// The raw command line (arguments separated by NULs, trailing NULs dropped), at most
    /// `max` bytes; empty for a kernel thread or a zombie.
    pub fn cmdline(&mut self, max: usize) -> &[u8] {
        let n = match self.read(b"cmdline", max) {
            Ok(b) => b.len(),
            Err(_) => 0,
        };
        let b = &self.buf[..n];
        let end = b.iter().rposition(|&c| c != 0).map_or(0, |i| i + 1);
        &self.buf[..end]
    }

    /// The command line as BusyBox's ps shows it (read_cmdline), appended to `out`, at most
    /// `max` bytes of the command line read: arguments joined by spaces; `{comm} ` first
    /// when the program renamed itself (argv[0]'s base name does not start with comm);
    /// `[comm]` when there is no command line. Control characters show as `?` (BusyBox
    /// prints comm raw and turns control characters in arguments into spaces).
    pub fn args(&mut self, max: usize, out: &mut Vec<u8>) {
        let comm_len = self.comm_len as usize;
        let comm = self.comm;
        let comm = &comm[..comm_len];
        let cmd = self.cmdline(max);
        if cmd.is_empty() {
            out.push(b'[');
            push_safe(out, comm);
            out.push(b']');
            return;
        }
        // argv[0] up to its first space (a "process foo/bar" title is not a path).
        let a0 = &cmd[..cmd
            .iter()
            .position(|&c| c == 0 || c == b' ')
            .unwrap_or(cmd.len())];
        let mut base = sys::basename(a0);
        if base.first() == Some(&b'-') {
            base = &base[1..];
        }
        if !base.starts_with(comm) {
            out.push(b'{');
            push_safe(out, comm);
            out.extend_from_slice(b"} ");
        }
        for &c in cmd {
            out.push(match c {
                0 => b' ',
                c if c < b' ' || c == 0x7f => b'?',
                c => c,
            });
        }
    }

    /// The real uid and gid from /proc/PID/status (`Uid:`/`Gid:` first fields).
    pub fn real_ids(&mut self) -> Option<(u32, u32)> {
        let s = self.read(b"status", 4096).ok()?;
        let field = |name: &[u8]| -> Option<u32> {
            let i = find(s, name)?;
            let rest = &s[i + name.len()..];
            let rest = &rest[rest.iter().position(|c| c.is_ascii_digit())?..];
            let end = rest
                .iter()
                .position(|c| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            parse_u64(&rest[..end]).and_then(|n| u32::try_from(n).ok())
        };
        Some((field(b"\nUid:")?, field(b"\nGid:")?))
    }

    /// The three-character state BusyBox's ps and top show: the state letter, `W` for a
    /// process without memory (a kernel thread), then `<` or `N` for a negative or positive
    /// nice value; spaces fill the rest.
    pub fn stat3(&self) -> [u8; 3] {
        let mut s = [b' '; 3];
        s[0] = self.state;
        let mut i = 1;
        if self.vsz == 0 && self.state != b'Z' {
            s[1] = b'W';
            i = 2;
        }
        if self.nice < 0 {
            s[i] = b'<';
        } else if self.nice > 0 {
            s[i] = b'N';
        }
        s
    }

    /// Whether this process is called `name`, as BusyBox's find_pid_by_name decides for
    /// pidof and killall: its comm (a 15-byte comm, possibly cut, also needs argv[1]'s base
    /// name to match: a script run by an interpreter), argv[0]'s base name, or its
    /// executable (the full path when `name` starts with `/`, else the base name).
    pub fn name_matches(&mut self, name: &[u8]) -> bool {
        let comm_len = self.comm_len as usize;
        let comm = self.comm;
        let comm = &comm[..comm_len];
        let cmd = self.cmdline(4096);
        let mut argv = cmd.split(|&c| c == 0);
        let a0 = argv.next().unwrap_or_default();
        let a1 = argv.next();
        if comm_len < 15 && comm == name {
            return true;
        }
        if comm_len == 15 && name.starts_with(comm) && a1.is_some_and(|a| sys::basename(a) == name)
        {
            return true;
        }
        if !a0.is_empty() && sys::basename(a0) == name {
            return true;
        }
        match self.link(b"exe") {
            Ok(exe) if name.first() == Some(&b'/') => exe == name,
            Ok(exe) => sys::basename(exe) == name,
            Err(_) => false,
        }
    }

    /// Parses a /proc/PID/stat line into the fields; false when it is malformed.
    fn parse_stat(&mut self, b: &[u8]) -> bool {
        let (Some(open), Some(close)) = (
            b.iter().position(|&c| c == b'('),
            b.iter().rposition(|&c| c == b')'),
        ) else {
            return false;
        };
        if close < open {
            return false;
        }
        let comm = &b[open + 1..close];
        // BusyBox keeps 15 bytes (its COMM_LEN - 1): longer kernel thread names are cut.
        let n = comm.len().min(15);
        self.comm[..n].copy_from_slice(&comm[..n]);
        self.comm_len = n as u8;
        let mut f = b[close + 1..]
            .split(|&c| c == b' ' || c == b'\n')
            .filter(|s| !s.is_empty());
        let Some(st) = f.next() else {
            return false;
        };
        self.state = st.first().copied().unwrap_or(b'?');
        let mut num = [0i64; 37];
        for slot in num.iter_mut() {
            match f.next() {
                Some(v) => *slot = signed(v),
                None => break,
            }
        }
        let u = |i: usize| num[i].max(0) as u64;
        self.ppid = u(0) as u32;
        self.pgid = u(1) as u32;
        self.sid = u(2) as u32;
        self.tty = num[3] as u32;
        self.tpgid = num[4] as i32;
        self.utime = u(10);
        self.stime = u(11);
        self.priority = num[14];
        self.nice = num[15];
        self.threads = u(16);
        self.start = u(18);
        self.vsz = u(19) >> 10;
        self.rss = u(20).saturating_mul(page_kb());
        self.cpu = u(35) as u32;
        true
    }
}

fn signed(v: &[u8]) -> i64 {
    match v.strip_prefix(b"-") {
        Some(d) => parse_u64(d).map_or(0, |n| (n.min(i64::MAX as u64) as i64).wrapping_neg()),
        None => parse_u64(v).map_or(0, |n| n.min(i64::MAX as u64) as i64),
    }
}

fn find(h: &[u8], n: &[u8]) -> Option<usize> {
    h.windows(n.len()).position(|w| w == n)
}

/// Appends `s` with control characters as `?`.
pub fn push_safe(out: &mut Vec<u8>, s: &[u8]) {
    out.extend(
        s.iter()
            .map(|&c| if c < b' ' || c == 0x7f { b'?' } else { c }),
    );
}

/// A tty device number split as BusyBox does: (major, minor).
pub fn tty_split(tty: u32) -> (u32, u32) {
    ((tty >> 8) & 0xfff, (tty & 0xff) | ((tty >> 12) & 0xfff00))
}

/// A terminal's name from its device number, as procps-ng shows it: `pts/N`, `ttyN`,
/// `ttySN`, else `MAJOR:MINOR`; `?` for none.
pub fn tty_name(tty: u32, out: &mut Vec<u8>) {
    let (maj, min) = tty_split(tty);
    let mut b = [0u8; 20];
    match maj {
        0 if tty == 0 => {
            out.push(b'?');
            return;
        }
        136..=143 => {
            out.extend_from_slice(b"pts/");
            let n = (maj - 136) * 256 + min;
            out.extend_from_slice(crate::cx::fmt_u64(n as u64, &mut b));
            return;
        }
        4 if min >= 64 => {
            out.extend_from_slice(b"ttyS");
            out.extend_from_slice(crate::cx::fmt_u64((min - 64) as u64, &mut b));
            return;
        }
        4 => out.extend_from_slice(b"tty"),
        _ => {
            out.extend_from_slice(crate::cx::fmt_u64(maj as u64, &mut b));
            out.push(b':');
        }
    }
    out.extend_from_slice(crate::cx::fmt_u64(min as u64, &mut b));
}

/// KiB per page.
pub fn page_kb() -> u64 {
    // SAFETY: sysconf only returns a value.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if p <= 0 {
        4
    } else {
        (p as u64 / 1024).max(1)
    }
}

/// Clock ticks per second (USER_HZ).
pub fn clk_tck() -> u64 {
    // SAFETY: sysconf only returns a value.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t <= 0 {
        100
    } else {
        t as u64
    }
}

/// Reads all of `fd` (up to `max` bytes) into `buf`; returns the length.
fn read_fd(fd: i32, buf: &mut Vec<u8>, max: usize) -> Result<usize, i32> {
    let mut n = 0;
    while n < max {
        if buf.len() <= n {
            buf.resize((n + 4096).min(max), 0);
        }
        let end = buf.len().min(max);
        let r = sys::read(fd, &mut buf[n..end])?;
        if r == 0 {
            break;
        }
        n += r;
    }
    Ok(n)
}

/// The processes in /proc, one at a time.
pub struct Procs {
    dirfd: i32,
    dir: *mut libc::DIR,
    flags: u32,
    /// The task directory being listed (with TASKS) and its process's pid.
    task: *mut libc::DIR,
    task_pid: u32,
    p: Proc,
}

impl Drop for Procs {
    fn drop(&mut self) {
        // SAFETY: both were opened by us (or are null) and are closed only here.
        unsafe {
            if !self.task.is_null() {
                libc::closedir(self.task);
            }
            if !self.dir.is_null() {
                libc::closedir(self.dir);
            }
        }
    }
}

/// The pid a /proc entry names, if it is all digits.
fn entry_pid(e: *const libc::dirent) -> Option<u32> {
    // SAFETY: readdir returned a valid entry whose d_name is NUL-terminated.
    let name = unsafe { CStr::from_ptr((*e).d_name.as_ptr()) }.to_bytes();
    parse_u64(name).and_then(|n| u32::try_from(n).ok())
}

impl Procs {
    /// Opens /proc for a listing of what `flags` asks for.
    pub fn open(flags: u32) -> Result<Procs, ProcErr> {
        Self::open_at(c"/proc", flags)
    }

    /// Opens another directory laid out as /proc (tests).
    pub fn open_at(root: &CStr, flags: u32) -> Result<Procs, ProcErr> {
        // SAFETY: root is NUL-terminated.
        let dir = unsafe { libc::opendir(root.as_ptr()) };
        if dir.is_null() {
            return Err(ProcErr::Open(sys::errno()));
        }
        // SAFETY: dir is a valid DIR*.
        let dirfd = unsafe { libc::dirfd(dir) };
        let mut ps = Procs {
            dirfd,
            dir,
            flags,
            task: std::ptr::null_mut(),
            task_pid: 0,
            p: Proc::new(dirfd),
        };
        // An empty mount point (or one without processes) is not a /proc.
        // SAFETY: the path is NUL-terminated.
        let has_self = unsafe { libc::faccessat(dirfd, c"self".as_ptr(), libc::F_OK, 0) } == 0;
        if !has_self && !ps.any_pid() {
            return Err(ProcErr::NotMounted);
        }
        Ok(ps)
    }

    /// Whether the directory holds any numeric entry (rewinds afterwards).
    fn any_pid(&mut self) -> bool {
        let mut found = false;
        loop {
            // SAFETY: self.dir is a valid DIR*.
            let e = unsafe { libc::readdir(self.dir) };
            if e.is_null() {
                break;
            }
            if entry_pid(e).is_some() {
                found = true;
                break;
            }
        }
        // SAFETY: as above.
        unsafe { libc::rewinddir(self.dir) };
        found
    }

    /// The next process (or thread), or None at the end of the list.
    #[allow(clippy::should_implement_trait)] // a lending iterator: one Proc filled in place
    pub fn next(&mut self) -> Option<&mut Proc> {
        loop {
            if !self.task.is_null() {
                // SAFETY: self.task is a valid DIR*.
                let e = unsafe { libc::readdir(self.task) };
                if e.is_null() {
                    // SAFETY: opened by us, closed once.
                    unsafe { libc::closedir(self.task) };
                    self.task = std::ptr::null_mut();
                    continue;
                }
                let Some(tid) = entry_pid(e) else { continue };
                let pid = self.task_pid;
                if self.fill(pid, Some(tid)) {
                    return Some(&mut self.p);
                }
                continue;
            }
            // SAFETY: self.dir is a valid DIR*.
            let e = unsafe { libc::readdir(self.dir) };
            if e.is_null() {
                return None;
            }
            let Some(pid) = entry_pid(e) else { continue };
            if self.flags & TASKS != 0 {
                let mut rel = [0u8; 32];
                let n = rel_path(&mut rel, pid, None, b"/task");
                // SAFETY: rel is NUL-terminated (zeroed past n).
                let fd = unsafe {
                    libc::openat(
                        self.dirfd,
                        rel[..=n].as_ptr().cast(),
                        libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
                    )
                };
                if fd >= 0 {
                    // SAFETY: fd is a directory descriptor we own; fdopendir takes it.
                    let d = unsafe { libc::fdopendir(fd) };
                    if d.is_null() {
                        // SAFETY: fdopendir failed, so the descriptor is still ours.
                        unsafe { libc::close(fd) };
                    } else {
                        self.task = d;
                        self.task_pid = pid;
                        continue;
                    }
                }
            }
            if self.fill(pid, None) {
                return Some(&mut self.p);
            }
        }
    }

    /// Fills the reused `Proc` for `pid` (after or between listings: top shows the rows it
    /// sorted, pwdx and pmap look processes up by number); None when it does not exist.
    pub fn get(&mut self, pid: u32) -> Option<&mut Proc> {
        let tasks = self.flags & TASKS;
        self.flags &= !TASKS;
        let ok = self.fill(pid, None);
        self.flags |= tasks;
        ok.then_some(&mut self.p)
    }

    /// The command line of `pid` (or thread `tid` of it) as `Proc::args` shows it, using
    /// `comm` already read, without reading its stat again.
    pub fn args_of(
        &mut self,
        pid: u32,
        tid: Option<u32>,
        comm: &[u8],
        max: usize,
        out: &mut Vec<u8>,
    ) {
        let p = &mut self.p;
        p.rel_len = rel_path(&mut p.rel, pid, tid, b"") as u8;
        let n = comm.len().min(15);
        p.comm[..n].copy_from_slice(&comm[..n]);
        p.comm_len = n as u8;
        p.args(max, out);
    }

    /// Reads one process; false when it has gone (skipped silently).
    fn fill(&mut self, pid: u32, tid: Option<u32>) -> bool {
        let p = &mut self.p;
        p.rel_len = rel_path(&mut p.rel, pid, tid, b"") as u8;
        p.pid = tid.unwrap_or(pid);
        p.tgid = pid;
        if self.flags & UID != 0 {
            // SAFETY: st is plain data; rel is NUL-terminated.
            let mut st: libc::stat = unsafe { std::mem::zeroed() };
            if unsafe { libc::fstatat(self.dirfd, p.rel.as_ptr().cast(), &mut st, 0) } != 0 {
                return false;
            }
            p.uid = st.st_uid;
            p.gid = st.st_gid;
        }
        if self.flags & STAT != 0 {
            let mut b = [0u8; 1024];
            let Ok(fd) = p.open(b"stat") else {
                return false;
            };
            let r = sys::read(fd, &mut b);
            // SAFETY: fd is ours.
            unsafe { libc::close(fd) };
            match r {
                Ok(n) if n > 0 => {
                    if !p.parse_stat(&b[..n]) {
                        return false;
                    }
                }
                _ => return false,
            }
        }
        true
    }
}

/// Writes "PID[/task/TID]SUFFIX" into `rel` (NUL-terminated), returning its length.
fn rel_path(rel: &mut [u8; 32], pid: u32, tid: Option<u32>, suffix: &[u8]) -> usize {
    let mut b = [0u8; 20];
    let mut n = 0;
    let mut put = |s: &[u8], n: &mut usize| {
        for &c in s {
            if *n < rel.len() - 1 {
                rel[*n] = c;
                *n += 1;
            }
        }
    };
    put(crate::cx::fmt_u64(pid as u64, &mut b), &mut n);
    if let Some(t) = tid {
        put(b"/task/", &mut n);
        put(crate::cx::fmt_u64(t as u64, &mut b), &mut n);
    }
    put(suffix, &mut n);
    for c in rel[n..].iter_mut() {
        *c = 0;
    }
    n
}

/// Reads a whole small /proc file (meminfo, stat, loadavg, uptime).
pub fn read_file(path: &CStr) -> Result<Vec<u8>, i32> {
    // SAFETY: path is NUL-terminated.
    let fd = unsafe { libc::open(path.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
    if fd < 0 {
        return Err(sys::errno());
    }
    let mut buf = Vec::new();
    let r = read_fd(fd, &mut buf, 1 << 20);
    // SAFETY: fd is ours.
    unsafe { libc::close(fd) };
    let n = r?;
    buf.truncate(n);
    Ok(buf)
}

/// /proc/meminfo: `get(b"MemTotal")` in KiB.
pub struct MemInfo {
    text: Vec<u8>,
}

impl MemInfo {
    pub fn read() -> Result<MemInfo, i32> {
        read_file(c"/proc/meminfo").map(|text| MemInfo { text })
    }
    pub fn from_text(text: Vec<u8>) -> MemInfo {
        MemInfo { text }
    }
    /// The value of field `name` (KiB for the sized ones), if present.
    pub fn get(&self, name: &[u8]) -> Option<u64> {
        self.text.split(|&c| c == b'\n').find_map(|l| {
            let rest = l.strip_prefix(name)?.strip_prefix(b":")?;
            let rest = &rest[rest.iter().position(|c| !c.is_ascii_whitespace())?..];
            let end = rest
                .iter()
                .position(|c| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            parse_u64(&rest[..end])
        })
    }
}

/// One `cpu` line of /proc/stat, in clock ticks.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct CpuTimes {
    pub user: u64,
    pub nice: u64,
    pub system: u64,
    pub idle: u64,
    pub iowait: u64,
    pub irq: u64,
    pub softirq: u64,
    pub steal: u64,
    pub guest: u64,
    pub guest_nice: u64,
}

impl CpuTimes {
    pub fn total(&self) -> u64 {
        // guest time is already counted in user (and guest_nice in nice).
        self.user
            .saturating_add(self.nice)
            .saturating_add(self.system)
            .saturating_add(self.idle)
            .saturating_add(self.iowait)
            .saturating_add(self.irq)
            .saturating_add(self.softirq)
            .saturating_add(self.steal)
    }
}

/// /proc/stat: the total and per-CPU times and the counters.
#[derive(Default, Debug)]
pub struct Stat {
    pub cpu: CpuTimes,
    /// cpu0, cpu1... in order.
    pub cpus: Vec<CpuTimes>,
    pub ctxt: u64,
    pub btime: u64,
    pub processes: u64,
    pub running: u64,
    pub blocked: u64,
    pub intr: u64,
}

impl Stat {
    pub fn read() -> Result<Stat, i32> {
        read_file(c"/proc/stat").map(|t| Stat::parse(&t))
    }
    pub fn parse(text: &[u8]) -> Stat {
        let mut s = Stat::default();
        for l in text.split(|&c| c == b'\n') {
            let mut f = l.split(|&c| c == b' ').filter(|x| !x.is_empty());
            let Some(key) = f.next() else { continue };
            let mut n = || f.next().and_then(parse_u64).unwrap_or(0);
            if key.starts_with(b"cpu") {
                let t = CpuTimes {
                    user: n(),
                    nice: n(),
                    system: n(),
                    idle: n(),
                    iowait: n(),
                    irq: n(),
                    softirq: n(),
                    steal: n(),
                    guest: n(),
                    guest_nice: n(),
                };
                if key == b"cpu" {
                    s.cpu = t;
                } else {
                    s.cpus.push(t);
                }
                continue;
            }
            let v = n();
            match key {
                b"ctxt" => s.ctxt = v,
                b"btime" => s.btime = v,
                b"processes" => s.processes = v,
                b"procs_running" => s.running = v,
                b"procs_blocked" => s.blocked = v,
                b"intr" => s.intr = v,
                _ => {}
            }
        }
        s
    }
}

/// /proc/loadavg: the three averages in hundredths, running and total tasks, last pid.
#[derive(Default, Debug, PartialEq, Eq)]
pub struct LoadAvg {
    pub avg: [u64; 3],
    pub running: u64,
    pub total: u64,
    pub last_pid: u64,
}

impl LoadAvg {
    pub fn read() -> Result<LoadAvg, i32> {
        read_file(c"/proc/loadavg").map(|t| LoadAvg::parse(&t))
    }
    pub fn parse(t: &[u8]) -> LoadAvg {
        let mut l = LoadAvg::default();
        let mut f = t
            .split(|c| c.is_ascii_whitespace())
            .filter(|x| !x.is_empty());
        for a in l.avg.iter_mut() {
            *a = f.next().map_or(0, hundredths);
        }
        if let Some(rt) = f.next() {
            let mut p = rt.split(|&c| c == b'/');
            l.running = p.next().and_then(parse_u64).unwrap_or(0);
            l.total = p.next().and_then(parse_u64).unwrap_or(0);
        }
        l.last_pid = f.next().and_then(parse_u64).unwrap_or(0);
        l
    }
}

/// "12.34" as 1234 (two decimals at most; more are dropped).
pub fn hundredths(s: &[u8]) -> u64 {
    let (int, frac) = match s.iter().position(|&c| c == b'.') {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, &b""[..]),
    };
    let i = parse_u64(int).unwrap_or(0);
    let d = |k: usize| {
        frac.get(k)
            .filter(|c| c.is_ascii_digit())
            .map_or(0, |c| (c - b'0') as u64)
    };
    i.saturating_mul(100).saturating_add(d(0) * 10 + d(1))
}

/// /proc/uptime: seconds since boot and idle seconds, in hundredths.
pub fn uptime() -> Result<(u64, u64), i32> {
    let t = read_file(c"/proc/uptime")?;
    let mut f = t
        .split(|c| c.is_ascii_whitespace())
        .filter(|x| !x.is_empty());
    Ok((
        f.next().map_or(0, hundredths),
        f.next().map_or(0, hundredths),
    ))
}

/// The `cpu` lines of /proc/stat with their numbers: `None` for the total, `Some(N)` for
/// `cpuN` (an offline CPU has no line, so `Stat::cpus` cannot say which is which; mpstat
/// needs to). Missing fields are 0.
pub fn cpu_lines(text: &[u8]) -> Vec<(Option<u32>, CpuTimes)> {
    let mut v = Vec::new();
    for l in text.split(|&c| c == b'\n') {
        let Some(rest) = l.strip_prefix(b"cpu") else {
            continue;
        };
        let mut f = rest.split(|&c| c == b' ').filter(|x| !x.is_empty());
        let num = if rest.first() == Some(&b' ') {
            None
        } else {
            match f.next().and_then(parse_u64) {
                Some(n) if n <= u32::MAX as u64 => Some(n as u32),
                _ => continue,
            }
        };
        let mut n = || f.next().and_then(parse_u64).unwrap_or(0);
        let t = CpuTimes {
            user: n(),
            nice: n(),
            system: n(),
            idle: n(),
            iowait: n(),
            irq: n(),
            softirq: n(),
            steal: n(),
            guest: n(),
            guest_nice: n(),
        };
        v.push((num, t));
    }
    v
}

/// One row of /proc/interrupts or /proc/softirqs: the text before the `:` and the counts
/// of the header's columns.
#[derive(Default, Debug, Clone, PartialEq, Eq)]
pub struct IrqRow {
    pub name: Vec<u8>,
    pub counts: Vec<u32>,
}

/// /proc/interrupts or /proc/softirqs: the CPU number of each column (from the header's
/// `CPUn` words: offline CPUs have no column) and the rows. A row's missing or non-numeric
/// counts (`ERR:   0`, a description) read as 0.
#[derive(Default, Debug)]
pub struct IrqTable {
    pub cpus: Vec<u32>,
    pub rows: Vec<IrqRow>,
}

impl IrqTable {
    pub fn parse(text: &[u8]) -> IrqTable {
        let mut t = IrqTable::default();
        let mut lines = text.split(|&c| c == b'\n');
        for l in lines.by_ref() {
            let mut rest = l;
            while let Some(i) = crate::bytes::memmem::find(rest, b"CPU") {
                rest = &rest[i + 3..];
                let d = rest.iter().take_while(|c| c.is_ascii_digit()).count();
                let n = parse_u64(&rest[..d]).unwrap_or(0);
                t.cpus.push(n.min(u32::MAX as u64) as u32);
                rest = &rest[d..];
            }
            if !t.cpus.is_empty() {
                break;
            }
        }
        for l in lines {
            let Some(colon) = crate::bytes::memchr(b':', l) else {
                continue;
            };
            let mut rest = &l[colon + 1..];
            let mut counts = Vec::with_capacity(t.cpus.len());
            for _ in 0..t.cpus.len() {
                let s = rest.iter().take_while(|c| c.is_ascii_whitespace()).count();
                let d = rest[s..].iter().take_while(|c| c.is_ascii_digit()).count();
                let mut n: u64 = 0;
                for &c in &rest[s..s + d] {
                    n = n.saturating_mul(10).saturating_add((c - b'0') as u64);
                }
                counts.push(n as u32);
                if d > 0 {
                    rest = &rest[s + d..];
                }
            }
            t.rows.push(IrqRow {
                name: l[..colon].to_vec(),
                counts,
            });
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    fn tmp(tag: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("rbox-procfs-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn parses_stat_with_odd_comm() {
        let mut p = Proc::new(-1);
        let line = b"42 (a) b) (c\n) R 1 42 42 34816 42 4194560 1 0 0 0 7 3 0 0 20 -5 2 0 12345 8192000 300 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
        assert!(p.parse_stat(line));
        assert_eq!(p.comm(), b"a) b) (c\n");
        assert_eq!((p.state, p.ppid, p.pgid, p.sid), (b'R', 1, 42, 42));
        assert_eq!(p.tty_nr(), (136, 0));
        assert_eq!(
            (p.utime, p.stime, p.priority, p.nice, p.threads),
            (7, 3, 20, -5, 2)
        );
        assert_eq!((p.start, p.vsz, p.rss), (12345, 8000, 300 * page_kb()));
        assert_eq!(p.cpu, 1);
        assert!(p.parse_stat(b"3 (pool_workqueue_release) I 2"));
        assert_eq!(p.comm(), b"pool_workqueue_");
        assert!(!p.parse_stat(b"garbage"));
        assert!(!p.parse_stat(b"1 (x"));
        // A short line (an old kernel) leaves the rest zero rather than failing.
        assert!(p.parse_stat(b"1 (x) S 0"));
        assert_eq!((p.state, p.ppid, p.vsz), (b'S', 0, 0));
    }

    #[test]
    fn tty_names() {
        let s = |t: u32| {
            let mut v = Vec::new();
            tty_name(t, &mut v);
            String::from_utf8(v).unwrap()
        };
        assert_eq!(s(0), "?");
        assert_eq!(s(136 << 8 | 3), "pts/3");
        assert_eq!(s(4 << 8 | 1), "tty1");
        assert_eq!(s(4 << 8 | 65), "ttyS1");
        assert_eq!(s(5 << 8 | 1), "5:1");
        assert_eq!(
            tty_split(136 << 8 | 0x12345 << 12 & 0xfff00000 | 5),
            (136, 5 | 0x12300)
        );
    }

    #[test]
    fn lists_this_process_and_reads_its_files() {
        let mut ps = Procs::open(STAT | UID).unwrap();
        let me = std::process::id();
        let mut seen = false;
        while let Some(p) = ps.next() {
            if p.pid == me {
                seen = true;
                assert_eq!(p.ppid, unsafe { libc::getppid() } as u32);
                assert_eq!(p.uid, unsafe { libc::geteuid() });
                assert!(p.threads >= 1);
                assert!(!p.cmdline(4096).is_empty());
                let mut a = Vec::new();
                p.args(4096, &mut a);
                assert!(!a.is_empty());
                assert!(p.real_ids().is_some());
                assert!(p.link(b"cwd").is_ok());
            }
        }
        assert!(seen);
        // With TASKS, this (multi-threaded test) process's threads are listed.
        let mut ps = Procs::open(STAT | TASKS).unwrap();
        let mut n = 0;
        while let Some(p) = ps.next() {
            if p.tgid == me {
                n += 1;
            }
        }
        assert!(n >= 1);
    }

    #[test]
    fn empty_or_missing_proc_is_an_error() {
        let d = tmp("empty");
        let c = CString::new(d.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(Procs::open_at(&c, STAT).err(), Some(ProcErr::NotMounted));
        std::fs::create_dir(d.join("x")).unwrap();
        assert_eq!(Procs::open_at(&c, STAT).err(), Some(ProcErr::NotMounted));
        let c = CString::new(d.join("none").as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(
            Procs::open_at(&c, STAT).err(),
            Some(ProcErr::Open(libc::ENOENT))
        );
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn fake_proc_skips_vanished_and_broken_entries() {
        let d = tmp("fake");
        for (pid, stat) in [
            (
                "1",
                "1 (init) S 0 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 10 4096000 10\n",
            ),
            ("7", "not a stat line"),
            (
                "9",
                "9 (sh) R 1 9 9 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 10 0 0\n",
            ),
        ] {
            std::fs::create_dir(d.join(pid)).unwrap();
            std::fs::write(d.join(pid).join("stat"), stat).unwrap();
        }
        std::fs::write(d.join("1/cmdline"), b"/sbin/init\0splash\0\0").unwrap();
        std::fs::create_dir(d.join("8")).unwrap(); // gone: no stat file
        std::fs::create_dir(d.join("sys")).unwrap();
        let c = CString::new(d.as_os_str().as_encoded_bytes()).unwrap();
        let mut ps = Procs::open_at(&c, STAT).unwrap();
        let mut got = Vec::new();
        while let Some(p) = ps.next() {
            let mut a = Vec::new();
            p.args(2048, &mut a);
            got.push((p.pid, String::from_utf8(a).unwrap()));
        }
        got.sort();
        assert_eq!(got, [(1, "/sbin/init splash".into()), (9, "[sh]".into())]);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn args_display_rules() {
        let d = tmp("args");
        let c = CString::new(d.as_os_str().as_encoded_bytes()).unwrap();
        let cases: [(&[u8], &[u8], &str); 5] = [
            (b"sleep", b"/bin/sleep\x0030\0", "/bin/sleep 30"),
            (b"bash", b"-bash\0", "-bash"),
            (b"kworker", b"", "[kworker]"),
            (
                b"renamed",
                b"nginx: master process\0",
                "{renamed} nginx: master process",
            ),
            (b"a\x1bb", b"x\ty\n\0z\0", "{a?b} x?y? z"),
        ];
        for (i, (comm, cmd, want)) in cases.iter().enumerate() {
            let pid = (i + 1).to_string();
            std::fs::create_dir(d.join(&pid)).unwrap();
            let mut stat = format!("{pid} (").into_bytes();
            stat.extend_from_slice(comm);
            stat.extend_from_slice(b") S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1 1\n");
            std::fs::write(d.join(&pid).join("stat"), stat).unwrap();
            std::fs::write(d.join(&pid).join("cmdline"), cmd).unwrap();
            let mut ps = Procs::open_at(&c, STAT).unwrap();
            while let Some(p) = ps.next() {
                if p.pid as usize == i + 1 {
                    let mut a = Vec::new();
                    p.args(2048, &mut a);
                    assert_eq!(String::from_utf8_lossy(&a), *want);
                }
            }
        }
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn system_files() {
        let m = MemInfo::from_text(
            b"MemTotal:       16000 kB\nMemFree: 5 kB\nHugePages_Total:       0\n".to_vec(),
        );
        assert_eq!(m.get(b"MemTotal"), Some(16000));
        assert_eq!(m.get(b"MemFree"), Some(5));
        assert_eq!(m.get(b"HugePages_Total"), Some(0));
        assert_eq!(m.get(b"Mem"), None);
        assert!(MemInfo::read().unwrap().get(b"MemTotal").is_some());
        let s = Stat::parse(b"cpu  1 2 3 4 5 6 7 8 9 10\ncpu0 1 2 3 4\ncpu1 5 6 7 8\nctxt 99\nbtime 1000\nprocs_running 2\n");
        assert_eq!(s.cpu.total(), 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8);
        assert_eq!(s.cpus.len(), 2);
        assert_eq!(s.cpus[1].idle, 8);
        assert_eq!((s.ctxt, s.btime, s.running), (99, 1000, 2));
        assert!(!Stat::read().unwrap().cpus.is_empty());
        let l = LoadAvg::parse(b"0.52 1.05 12.50 2/345 6789\n");
        assert_eq!(
            l,
            LoadAvg {
                avg: [52, 105, 1250],
                running: 2,
                total: 345,
                last_pid: 6789
            }
        );
        assert_eq!(LoadAvg::parse(b""), LoadAvg::default());
        assert_eq!(hundredths(b"3.1"), 310);
        assert!(uptime().unwrap().0 > 0);
    }

    #[test]
    fn cpu_lines_and_irqs() {
        let v = cpu_lines(b"cpu  1 2 3\ncpu0 4 5\ncpu3 6\ncpux 1\nintr 5\n");
        assert_eq!(v.len(), 3);
        assert_eq!((v[0].0, v[0].1.system), (None, 3));
        assert_eq!((v[1].0, v[1].1.nice), (Some(0), 5));
        assert_eq!((v[2].0, v[2].1.user, v[2].1.idle), (Some(3), 6, 0));
        let t = IrqTable::parse(
            b"junk\n           CPU0       CPU2\n  0:   7   8  IO-APIC 2-edge timer\nERR:   3\nno colon\nNMI:  x 9\n",
        );
        assert_eq!(t.cpus, [0, 2]);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(
            (t.rows[0].name.as_slice(), t.rows[0].counts.as_slice()),
            (&b"  0"[..], &[7, 8][..])
        );
        assert_eq!(t.rows[1].counts, [3, 0]);
        assert_eq!(t.rows[2].counts, [0, 0]);
        assert!(IrqTable::parse(b"").rows.is_empty());
    }
}
