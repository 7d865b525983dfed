//! applet: unshare
//! usage: unshare [OPTIONS] [PROG ARGS]
//! Run PROG in new namespaces ($SHELL or /bin/sh without PROG)
//!
//! -m,--mount[=FILE]	Unshare mount namespace
//! -u,--uts[=FILE]		Unshare UTS namespace (hostname etc.)
//! -i,--ipc[=FILE]		Unshare System V IPC namespace
//! -n,--net[=FILE]		Unshare network namespace
//! -p,--pid[=FILE]		Unshare PID namespace
//! -U,--user[=FILE]	Unshare user namespace
//! -C,--cgroup[=FILE]	Unshare cgroup namespace
//! -f  		Fork before execing PROG
//! -r  		Map current user to root (implies -U)
//! --mount-proc[=DIR]	Mount /proc filesystem first (implies -m)
//! --propagation slave|shared|private|unchanged
//! 			Modify mount propagation in mount namespace
//! --setgroups allow|deny	Control the setgroups syscall in user namespaces

// A namespace kept in FILE (`-n/run/netns/x`, `--net=FILE`) is bind-mounted there by a
// helper left in the old namespaces, as util-linux does; FILE must exist.

use crate::ns::{self, KINDS};
use crate::{spawn, sys, Cx, Fail, Res};
use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

fn write_file(path: &str, data: &[u8]) -> Result<(), i32> {
    std::fs::write(path, data).map_err(|e| sys::errno_of(&e))
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "+m::u::i::n::p::U::C::fr\x01::\x02:\x03:",
        &[
            ("mount", b'm'),
            ("uts", b'u'),
            ("ipc", b'i'),
            ("net", b'n'),
            ("pid", b'p'),
            ("user", b'U'),
            ("cgroup", b'C'),
            ("fork", b'f'),
            ("map-root-user", b'r'),
            ("mount-proc", 1),
            ("propagation", 2),
            ("setgroups", 3),
        ],
    )?;
    let mut flags = 0;
    let mut persist: Vec<(&str, &OsStr)> = Vec::new();
    for (c, name, f) in KINDS {
        if o.has(c) {
            flags |= f;
            if let Some(file) = o.val(c) {
                persist.push((if c == b'p' { "pid_for_children" } else { name }, file));
            }
        }
    }
    if o.has(b'r') {
        flags |= libc::CLONE_NEWUSER;
    }
    let mount_proc = o.has(1);
    if mount_proc {
        flags |= libc::CLONE_NEWNS;
    }
    // (BusyBox looks at --propagation only when a mount namespace is made.)
    let prop = match o.val(2).map(|p| p.as_bytes()) {
        _ if flags & libc::CLONE_NEWNS == 0 => None,
        None | Some(b"private") => Some(libc::MS_PRIVATE),
        Some(b"slave") => Some(libc::MS_SLAVE),
        Some(b"shared") => Some(libc::MS_SHARED),
        Some(b"unchanged") => None,
        Some(p) => return Err(cx.fail(&[b"unrecognized: --propagation=", p])),
    };
    let setgroups = match o.val(3).map(|p| p.as_bytes()) {
        None => None,
        Some(b"allow") => Some(&b"allow"[..]),
        Some(b"deny") => Some(&b"deny"[..]),
        Some(p) => return Err(cx.fail(&[b"unrecognized: --setgroups=", p])),
    };
    // SAFETY: plain queries.
    let (uid, gid, me) = unsafe { (libc::geteuid(), libc::getegid(), libc::getpid()) };
    cx.out.flush();
    // The helper that bind-mounts namespace files from outside waits on this pipe.
    let mut helper = None;
    if !persist.is_empty() {
        let mut p = [0i32; 2];
        // SAFETY: p has room for two descriptors.
        if unsafe { libc::pipe2(p.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
            return Err(cx.fail_no(b"pipe", sys::errno()));
        }
        match spawn::fork() {
            Ok(0) => {
                // SAFETY: our pipe; the read ends when the parent has unshared (or died).
                unsafe { libc::close(p[1]) };
                let mut b = [0u8; 1];
                let n = unsafe { libc::read(p[0], b.as_mut_ptr().cast(), 1) };
                if n != 1 {
                    spawn::child_exit(1);
                }
                let mut st = 0;
                for (name, file) in &persist {
                    let src = format!("/proc/{me}/ns/{name}");
                    if let Err(e) = ns::mount(src.as_bytes(), file.as_bytes(), None, libc::MS_BIND) {
                        cx.err(&[b"mount ", src.as_bytes(), b" on ", file.as_bytes(), b" failed: ", sys::strerror(e)]);
                        st = 1;
                    }
                }
                spawn::child_exit(st);
            }
            Ok(pid) => {
                // SAFETY: our pipe.
                unsafe { libc::close(p[0]) };
                helper = Some((pid, p[1]));
            }
            Err(e) => return Err(cx.fail_no(b"fork", e)),
        }
    }
    // SAFETY: unshare changes only this process.
    if unsafe { libc::unshare(flags) } != 0 {
        let e = sys::errno();
        let mut m = Vec::new();
        let _ = write!(m, "unshare(0x{flags:x})");
        return Err(cx.fail_no(&m, e));
    }
    if let Some((pid, w)) = helper {
        // SAFETY: one byte to the helper, then reap it.
        unsafe {
            libc::write(w, b"x".as_ptr().cast(), 1);
            libc::close(w);
        }
        match spawn::wait(pid, 0) {
            Ok((_, st)) if spawn::status_code(st) == 0 => {}
            _ => return Err(Fail(1)),
        }
    }
    if o.has(b'r') {
        if let Err(e) = write_file("/proc/self/setgroups", b"deny") {
            if e != libc::ENOENT {
                return Err(cx.fail_no(b"can't write '/proc/self/setgroups'", e));
            }
        }
        write_file("/proc/self/uid_map", format!("0 {uid} 1").as_bytes()).map_err(|e| cx.fail_no(b"can't write '/proc/self/uid_map'", e))?;
        write_file("/proc/self/gid_map", format!("0 {gid} 1").as_bytes()).map_err(|e| cx.fail_no(b"can't write '/proc/self/gid_map'", e))?;
    } else if let Some(s) = setgroups {
        write_file("/proc/self/setgroups", s).map_err(|e| cx.fail_no(b"can't write '/proc/self/setgroups'", e))?;
    }
    if o.has(b'f') || flags & libc::CLONE_NEWPID != 0 && mount_proc {
        let pid = spawn::fork().map_err(|e| cx.fail_no(b"fork", e))?;
        if pid != 0 {
            let st = spawn::wait(pid, 0).map_err(|e| cx.fail_no(b"waitpid", e))?.1;
            return Ok(spawn::status_code(st));
        }
    }
    if flags & libc::CLONE_NEWNS != 0 {
        if let Some(p) = prop {
            if let Err(e) = ns::mount(b"none", b"/", None, libc::MS_REC | p) {
                return Err(cx.fail_no(b"mount(/, MS_REC)", e));
            }
        }
    }
    if mount_proc {
        let dir = o.val(1).map_or(&b"/proc"[..], |d| d.as_bytes());
        let _ = ns::mount(b"none", dir, None, libc::MS_REC | libc::MS_PRIVATE);
        if let Err(e) = ns::mount(b"proc", dir, Some(b"proc"), libc::MS_NOSUID | libc::MS_NOEXEC | libc::MS_NODEV) {
            let mut m = b"mount(".to_vec();
            m.extend_from_slice(dir);
            m.push(b')');
            return Err(cx.fail_no(&m, e));
        }
    }
    exec_or_shell(cx, &o.args)
}

/// PROG ARGS, or $SHELL (else /bin/sh) without them.
pub fn exec_or_shell(cx: &mut Cx, args: &[&OsStr]) -> Res {
    if args.is_empty() {
        let sh = std::env::var_os("SHELL").unwrap_or_else(|| "/bin/sh".into());
        return Err(spawn::exec(cx, &[sh.as_os_str()]));
    }
    Err(spawn::exec(cx, args))
}
