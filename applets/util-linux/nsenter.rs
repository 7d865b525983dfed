//! applet: nsenter
//! usage: nsenter [OPTIONS] [PROG ARGS]
//! Run PROG in the namespaces of another process ($SHELL or /bin/sh without PROG)
//!
//! -t PID		Target process to get namespaces from
//! -m[FILE]	Enter mount namespace
//! -u[FILE]	Enter UTS namespace (hostname etc)
//! -i[FILE]	Enter System V IPC namespace
//! -n[FILE]	Enter network namespace
//! -p[FILE]	Enter pid namespace
//! -U[FILE]	Enter user namespace
//! -C[FILE]	Enter cgroup namespace
//! -S UID		Set uid in entered namespace
//! -G GID		Set gid in entered namespace
//! --preserve-credentials	Don't touch uids or gids
//! -r[DIR]		Set root directory
//! -w[DIR]		Set working directory
//! -F  		Don't fork before exec'ing PROG

use crate::ns::KINDS;
use crate::{spawn, sys, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

fn open(path: &[u8], dir: bool) -> Result<i32, i32> {
    let c = sys::cstr(path).ok_or(libc::EINVAL)?;
    let fl = libc::O_RDONLY | libc::O_CLOEXEC | if dir { libc::O_DIRECTORY } else { 0 };
    // SAFETY: c is NUL-terminated.
    let fd = unsafe { libc::open(c.as_ptr(), fl) };
    if fd < 0 {
        Err(sys::errno())
    } else {
        Ok(fd)
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "+t:m::u::i::n::p::U::C::S:G:r::w::F\x01",
        &[
            ("target", b't'),
            ("mount", b'm'),
            ("uts", b'u'),
            ("ipc", b'i'),
            ("net", b'n'),
            ("pid", b'p'),
            ("user", b'U'),
            ("cgroup", b'C'),
            ("setuid", b'S'),
            ("setgid", b'G'),
            ("root", b'r'),
            ("wd", b'w'),
            ("no-fork", b'F'),
            ("preserve-credentials", 1),
        ],
    )?;
    let target = match o.val(b't') {
        Some(t) => Some(cx.num_u64(t)?),
        None => None,
    };
    let id = |c: u8| -> Res<Option<u32>> {
        match o.val(c) {
            Some(v) => Ok(Some(u32::try_from(cx.num_u64(v)?).map_err(|_| cx.fail(&[b"invalid number '", v.as_bytes(), b"'"]))?)),
            None => Ok(None),
        }
    };
    let (uid, gid) = (id(b'S')?, id(b'G')?);
    let proc_path = |what: &str| -> Option<Vec<u8>> { target.map(|t| format!("/proc/{t}/{what}").into_bytes()) };
    // Open everything first: once in the new mount namespace the paths would differ.
    let mut fds: Vec<(u8, &str, i32, i32)> = Vec::new();
    for (c, name, flag) in KINDS {
        if !o.has(c) {
            continue;
        }
        let path = match o.val(c) {
            Some(f) => f.as_bytes().to_vec(),
            None => match proc_path(&format!("ns/{name}")) {
                Some(p) => p,
                // Neither a file nor -t: BusyBox shows its usage.
                None => return Err(cx.usage()),
            },
        };
        let fd = open(&path, false).map_err(|e| cx.fail_no(&[b"can't open '", &path[..], b"'"].concat(), e))?;
        fds.push((c, name, flag, fd));
    }
    let dir_fd = |c: u8, what: &str| -> Res<Option<i32>> {
        if !o.has(c) {
            return Ok(None);
        }
        let path = match o.val(c) {
            Some(d) => d.as_bytes().to_vec(),
            None => match proc_path(what) {
                Some(p) => p,
                None => return Err(cx.usage()),
            },
        };
        open(&path, true).map(Some).map_err(|e| cx.fail_no(&[b"can't open '", &path[..], b"'"].concat(), e))
    };
    let root = dir_fd(b'r', "root")?;
    let wd = dir_fd(b'w', "cwd")?;
    let mut entered_user = false;
    for &(c, name, flag, fd) in &fds {
        // SAFETY: fd is a namespace descriptor we opened.
        if unsafe { libc::setns(fd, flag) } != 0 {
            let e = sys::errno();
            return Err(cx.fail_no(&[b"setns(): can't reassociate to namespace '", name.as_bytes(), b"'"].concat(), e));
        }
        // SAFETY: ours.
        unsafe { libc::close(fd) };
        if c == b'U' {
            entered_user = true;
        }
    }
    // SAFETY: fchdir/chroot/set*id change only this process, which is about to exec.
    unsafe {
        if let Some(r) = root {
            if libc::fchdir(r) != 0 || libc::chroot(c".".as_ptr()) != 0 {
                return Err(cx.fail_no(b"can't change root directory", sys::errno()));
            }
            libc::close(r);
        }
        if let Some(w) = wd {
            if libc::fchdir(w) != 0 {
                return Err(cx.fail_no(b"can't change directory", sys::errno()));
            }
            libc::close(w);
        }
        // In a user namespace one becomes its root, unless told otherwise.
        let (uid, gid) = if entered_user && !o.has(1) { (uid.or(Some(0)), gid.or(Some(0))) } else { (uid, gid) };
        if let Some(g) = gid {
            if entered_user {
                libc::setgroups(0, std::ptr::null());
            }
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
    // Entering a pid namespace takes effect for children: fork, unless -F.
    if o.has(b'p') && !o.has(b'F') {
        cx.out.flush();
        let pid = spawn::fork().map_err(|e| cx.fail_no(b"fork", e))?;
        if pid != 0 {
            let st = spawn::wait(pid, 0).map_err(|e| cx.fail_no(b"waitpid", e))?.1;
            return Ok(spawn::status_code(st));
        }
    }
    if o.args.is_empty() {
        let sh = std::env::var_os("SHELL").unwrap_or_else(|| "/bin/sh".into());
        return Err(spawn::exec(cx, &[sh.as_os_str()]));
    }
    Err(spawn::exec(cx, &o.args))
}
