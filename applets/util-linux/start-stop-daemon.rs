//! applet: start-stop-daemon
//! dir: sbin
//! usage: start-stop-daemon [OPTIONS] [-S|-K] ... [-- ARGS...]
//! Search for matching processes, and then
//! -K: stop all matching processes
//! -S: start a process unless a matching process is found
//!
//! Process matching:
//! -u USERNAME|UID	Match only this user's processes
//! -n NAME		Match processes with NAME
//! 		in comm field in /proc/PID/stat
//! -x EXECUTABLE	Match processes with this command
//! 		in /proc/PID/cmdline
//! -p FILE		Match a process with PID from FILE
//! All specified conditions must match
//! -S only:
//! -x EXECUTABLE	Program to run
//! -a NAME		Zeroth argument
//! -b  	Background
//! -N N		Change nice level
//! -c USER[:[GRP]]	Change user/group
//! -m  	Write PID to pidfile specified by -p
//! -K only:
//! -s SIG		Signal to send
//! -t  	Match only, exit with 0 if found
//! Other:
//! -o  	Exit with status 0 if nothing is done
//! -v  	Verbose
//! -q  	Quiet

use crate::procfs::{self, Procs};
use crate::users::Users;
use crate::{signals, spawn, sys, Cx, Res};
use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

struct Match<'a> {
    exec: Option<&'a [u8]>,
    name: Option<&'a [u8]>,
    uid: Option<u32>,
}

impl Match<'_> {
    fn check(&self, p: &mut procfs::Proc) -> bool {
        if let Some(x) = self.exec {
            // The executable, or argv[0] as given when it was started.
            let exe = p.link(b"exe").map(|l| l == x).unwrap_or(false);
            if !exe && p.cmdline(x.len() + 1).split(|&c| c == 0).next() != Some(x) {
                return false;
            }
        }
        if self.name.is_some_and(|n| p.comm() != n) {
            return false;
        }
        if self.uid.is_some_and(|u| u != p.uid) {
            return false;
        }
        true
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "KSbqtma:n:s:u:c:x:p:N:vo",
        &[
            ("stop", b'K'),
            ("start", b'S'),
            ("background", b'b'),
            ("quiet", b'q'),
            ("test", b't'),
            ("make-pidfile", b'm'),
            ("startas", b'a'),
            ("name", b'n'),
            ("signal", b's'),
            ("user", b'u'),
            ("chuid", b'c'),
            ("exec", b'x'),
            ("pidfile", b'p'),
            ("nicelevel", b'N'),
            ("verbose", b'v'),
            ("oknodo", b'o'),
        ],
    )?;
    let (stop, start) = (o.has(b'K'), o.has(b'S'));
    if stop == start || (o.has(b'm') && !o.has(b'p')) {
        return Err(cx.usage());
    }
    let quiet = o.has(b'q') && o.last_of(b"qv") == Some(b'q');
    let exec = o.val(b'x').map(|x| x.as_bytes());
    let startas = o.val(b'a').map(|a| a.as_bytes()).or(exec);
    let exec = exec.or(startas);
    let name = o.val(b'n').map(|n| n.as_bytes());
    let pidfile = o.val(b'p');
    let users = Users::new();
    let userspec = o.val(b'u').map(|u| u.as_bytes());
    let uid = match userspec {
        Some(u) => Some(
            crate::args::parse_u64(u)
                .and_then(|n| u32::try_from(n).ok())
                .or_else(|| users.uid(u))
                .ok_or_else(|| cx.fail(&[b"unknown user ", u]))?,
        ),
        None => None,
    };
    if exec.is_none() && name.is_none() && pidfile.is_none() && uid.is_none() {
        return Err(cx.usage());
    }
    if start && startas.is_none() {
        return Err(cx.usage());
    }
    let sig = match o.val(b's') {
        Some(s) => signals::number(s.as_bytes()).ok_or_else(|| cx.usage())?,
        None => libc::SIGTERM,
    };
    let m = Match { exec, name, uid };
    // The matching processes, the latest found first (as BusyBox lists them).
    let mut found: Vec<u32> = Vec::new();
    let mut ps = Procs::open(procfs::STAT | procfs::UID).map_err(|e| e.fail(cx))?;
    if let Some(pf) = pidfile {
        let pid = std::fs::read(pf).ok().and_then(|t| {
            let t: Vec<u8> = t.iter().copied().take_while(u8::is_ascii_digit).collect();
            crate::args::parse_u64(&t)
        });
        if let Some(pid) = pid.and_then(|p| u32::try_from(p).ok()) {
            if let Some(p) = ps.get(pid) {
                if m.check(p) {
                    found.push(pid);
                }
            }
        }
    } else {
        while let Some(p) = ps.next() {
            if m.check(p) {
                found.insert(0, p.pid);
            }
        }
    }
    if stop {
        let what: Vec<u8> = if let Some(x) = exec {
            x.to_vec()
        } else if let Some(pf) = pidfile {
            [&b"process in pidfile '"[..], pf.as_bytes(), b"'"].concat()
        } else if let Some(n) = name {
            n.to_vec()
        } else {
            [&b"process(es) owned by '"[..], userspec.unwrap_or_default(), b"'"].concat()
        };
        if found.is_empty() {
            if !quiet {
                cx.out.write(b"no ");
                cx.out.write(&what);
                cx.out.write(b" found; none killed\n");
            }
            return Ok(!o.has(b'o') as i32);
        }
        let mut killed = Vec::new();
        for &pid in &found {
            // SAFETY: kill only sends a signal (0: only a test).
            if unsafe { libc::kill(pid as i32, if o.has(b't') { 0 } else { sig }) } == 0 {
                killed.push(pid);
            } else if sys::errno() != libc::ESRCH {
                let mut b = Vec::new();
                let _ = write!(b, "warning: killing process {pid}");
                cx.err_no(&b, sys::errno());
            }
        }
        if !quiet {
            for pid in &killed {
                let mut b = Vec::new();
                b.extend_from_slice(b"stopped ");
                b.extend_from_slice(&what);
                let _ = writeln!(b, " (pid {pid})");
                cx.out.write(&b);
            }
        }
        return Ok(if o.has(b'o') { 0 } else { killed.is_empty() as i32 });
    }
    if !found.is_empty() {
        if !quiet {
            cx.out.write(exec.unwrap_or(b"process"));
            cx.out.write(b" is already running\n");
        }
        return Ok(!o.has(b'o') as i32);
    }
    let startas = startas.unwrap_or_default();
    cx.out.flush();
    if o.has(b'b') {
        // Detached: a new session, stdio on /dev/null, and not a session leader.
        match spawn::fork() {
            Ok(0) => {}
            Ok(_) => return Ok(0),
            Err(e) => return Err(cx.fail_no(b"fork", e)),
        }
        // SAFETY: the child arranges its own session and descriptors before exec.
        unsafe {
            libc::setsid();
            let n = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
            if n >= 0 {
                for fd in 0..3 {
                    libc::dup2(n, fd);
                }
                if n > 2 {
                    libc::close(n);
                }
            }
        }
        match spawn::fork() {
            Ok(0) => {}
            _ => spawn::child_exit(0),
        }
    }
    if o.has(b'm') {
        if let Some(pf) = pidfile {
            // SAFETY: getpid only returns a value.
            let me = unsafe { libc::getpid() };
            if let Err(e) = std::fs::write(pf, format!("{me}\n")) {
                return Err(cx.fail_no(&[b"can't create '", pf.as_bytes(), b"'"].concat(), sys::errno_of(&e)));
            }
        }
    }
    if let Some(c) = o.val(b'c') {
        let c = c.as_bytes();
        let (u, g) = match c.iter().position(|&x| x == b':') {
            Some(i) => (&c[..i], Some(&c[i + 1..])),
            None => (c, None),
        };
        let id = |s: &[u8], user: bool| -> Option<u32> {
            crate::args::parse_u64(s).and_then(|n| u32::try_from(n).ok()).or_else(|| if user { users.uid(s) } else { users.gid(s) })
        };
        let uid = if u.is_empty() { None } else { Some(id(u, true).ok_or_else(|| cx.fail(&[b"unknown user ", u]))?) };
        let gid = match g {
            Some(g) if !g.is_empty() => Some(id(g, false).ok_or_else(|| cx.fail(&[b"unknown group ", g]))?),
            _ => uid.and_then(|u| users.user_by_uid(u).map(|p| p.gid)),
        };
        // SAFETY: identity changes of this process, which is about to exec.
        unsafe {
            if let Some(g) = gid {
                libc::setgroups(1, &g);
                if libc::setgid(g) != 0 {
                    return Err(cx.fail_no(b"setgid", sys::errno()));
                }
            }
            if let Some(u) = uid {
                if libc::setuid(u) != 0 {
                    return Err(cx.fail_no(b"setuid", sys::errno()));
                }
            }
        }
    }
    if let Some(n) = o.val(b'N') {
        let adj = cx.num_i64(n)?.clamp(i32::MIN as i64 / 2, i32::MAX as i64 / 2);
        // SAFETY: plain priority calls on ourselves.
        unsafe {
            let prio = libc::getpriority(libc::PRIO_PROCESS, 0) as i64 + adj;
            if libc::setpriority(libc::PRIO_PROCESS, 0, prio as i32) < 0 {
                return Err(cx.fail_no(format!("setpriority({prio})").as_bytes(), sys::errno()));
            }
        }
    }
    let mut argv: Vec<&OsStr> = vec![OsStr::from_bytes(startas)];
    argv.extend(o.args.iter().copied());
    Err(spawn::exec(cx, &argv))
}
