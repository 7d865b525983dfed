//! applet: getconf
//! usage: getconf [-a] [-v SPEC] NAME [PATH]
//! Print system configuration values: sysconf(3), pathconf(3) and confstr(3) NAMEs as
//! musl-utils' getconf knows them (PATH names take a PATH), and with -a all of them
//!
//! -a  List all variables (NAME = VALUE; with PATH, the pathconf ones)
//! -v SPEC	Ignored, for GNU compatibility

// BusyBox has no getconf; Alpine images get musl-utils' (NetBSD's), so its names, order,
// messages and `-a` format are followed, with the limits GNU's getconf adds
// (LONG_BIT, WORD_BIT, INT_MAX...) after them.

use crate::{Cx, Fail, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

#[derive(Clone, Copy, PartialEq)]
enum K {
    Sys(i32),
    Path(i32),
    Str(i32),
    Const(i64),
}

use K::*;

const TABLE: &[(&str, K)] = &[
    ("PATH", Str(libc::_CS_PATH)),
    ("POSIX2_BC_BASE_MAX", Const(99)),
    ("POSIX2_BC_DIM_MAX", Const(2048)),
    ("POSIX2_BC_SCALE_MAX", Const(99)),
    ("POSIX2_BC_STRING_MAX", Const(1000)),
    ("POSIX2_COLL_WEIGHTS_MAX", Const(2)),
    ("POSIX2_EXPR_NEST_MAX", Const(32)),
    ("POSIX2_LINE_MAX", Const(2048)),
    ("POSIX2_RE_DUP_MAX", Const(255)),
    ("POSIX2_VERSION", Const(200809)),
    ("_POSIX_AIO_LISTIO_MAX", Const(2)),
    ("_POSIX_AIO_MAX", Const(1)),
    ("_POSIX_ARG_MAX", Const(4096)),
    ("_POSIX_CHILD_MAX", Const(25)),
    ("_POSIX_LINK_MAX", Const(8)),
    ("_POSIX_MAX_CANON", Const(255)),
    ("_POSIX_MAX_INPUT", Const(255)),
    ("_POSIX_MQ_OPEN_MAX", Const(8)),
    ("_POSIX_MQ_PRIO_MAX", Const(32)),
    ("_POSIX_NAME_MAX", Const(14)),
    ("_POSIX_NGROUPS_MAX", Const(8)),
    ("_POSIX_OPEN_MAX", Const(20)),
    ("_POSIX_PATH_MAX", Const(256)),
    ("_POSIX_PIPE_BUF", Const(512)),
    ("_POSIX_SSIZE_MAX", Const(32767)),
    ("_POSIX_STREAM_MAX", Const(8)),
    ("_POSIX_TZNAME_MAX", Const(6)),
    ("BC_BASE_MAX", Sys(libc::_SC_BC_BASE_MAX)),
    ("BC_DIM_MAX", Sys(libc::_SC_BC_DIM_MAX)),
    ("BC_SCALE_MAX", Sys(libc::_SC_BC_SCALE_MAX)),
    ("BC_STRING_MAX", Sys(libc::_SC_BC_STRING_MAX)),
    ("COLL_WEIGHTS_MAX", Sys(libc::_SC_COLL_WEIGHTS_MAX)),
    ("EXPR_NEST_MAX", Sys(libc::_SC_EXPR_NEST_MAX)),
    ("LINE_MAX", Sys(libc::_SC_LINE_MAX)),
    ("RE_DUP_MAX", Sys(libc::_SC_RE_DUP_MAX)),
    ("_POSIX2_C_BIND", Sys(libc::_SC_2_C_BIND)),
    ("POSIX2_C_DEV", Sys(libc::_SC_2_C_DEV)),
    ("POSIX2_CHAR_TERM", Sys(libc::_SC_2_CHAR_TERM)),
    ("POSIX2_FORT_DEV", Sys(libc::_SC_2_FORT_DEV)),
    ("POSIX2_FORT_RUN", Sys(libc::_SC_2_FORT_RUN)),
    ("POSIX2_LOCALEDEF", Sys(libc::_SC_2_LOCALEDEF)),
    ("POSIX2_SW_DEV", Sys(libc::_SC_2_SW_DEV)),
    ("POSIX2_UPE", Sys(libc::_SC_2_UPE)),
    ("AIO_LISTIO_MAX", Sys(libc::_SC_AIO_LISTIO_MAX)),
    ("AIO_MAX", Sys(libc::_SC_AIO_MAX)),
    ("ARG_MAX", Sys(libc::_SC_ARG_MAX)),
    ("CHILD_MAX", Sys(libc::_SC_CHILD_MAX)),
    ("CLK_TCK", Sys(libc::_SC_CLK_TCK)),
    ("MQ_OPEN_MAX", Sys(libc::_SC_MQ_OPEN_MAX)),
    ("MQ_PRIO_MAX", Sys(libc::_SC_MQ_PRIO_MAX)),
    ("NGROUPS_MAX", Sys(libc::_SC_NGROUPS_MAX)),
    ("OPEN_MAX", Sys(libc::_SC_OPEN_MAX)),
    ("STREAM_MAX", Sys(libc::_SC_STREAM_MAX)),
    ("TZNAME_MAX", Sys(libc::_SC_TZNAME_MAX)),
    ("_POSIX_JOB_CONTROL", Sys(libc::_SC_JOB_CONTROL)),
    ("_POSIX_SAVED_IDS", Sys(libc::_SC_SAVED_IDS)),
    ("_POSIX_VERSION", Sys(libc::_SC_VERSION)),
    ("LINK_MAX", Path(libc::_PC_LINK_MAX)),
    ("MAX_CANON", Path(libc::_PC_MAX_CANON)),
    ("MAX_INPUT", Path(libc::_PC_MAX_INPUT)),
    ("NAME_MAX", Path(libc::_PC_NAME_MAX)),
    ("PATH_MAX", Path(libc::_PC_PATH_MAX)),
    ("PIPE_BUF", Path(libc::_PC_PIPE_BUF)),
    ("_POSIX_CHOWN_RESTRICTED", Path(libc::_PC_CHOWN_RESTRICTED)),
    ("_POSIX_NO_TRUNC", Path(libc::_PC_NO_TRUNC)),
    ("_POSIX_VDISABLE", Path(libc::_PC_VDISABLE)),
    ("PAGESIZE", Sys(libc::_SC_PAGESIZE)),
    ("_POSIX_ASYNCHRONOUS_IO", Sys(libc::_SC_ASYNCHRONOUS_IO)),
    ("_POSIX_FSYNC", Sys(libc::_SC_FSYNC)),
    ("_POSIX_MAPPED_FILES", Sys(libc::_SC_MAPPED_FILES)),
    ("_POSIX_MEMLOCK", Sys(libc::_SC_MEMLOCK)),
    ("_POSIX_MEMLOCK_RANGE", Sys(libc::_SC_MEMLOCK_RANGE)),
    ("_POSIX_MEMORY_PROTECTION", Sys(libc::_SC_MEMORY_PROTECTION)),
    ("_POSIX_MESSAGE_PASSING", Sys(libc::_SC_MESSAGE_PASSING)),
    ("_POSIX_MONOTONIC_CLOCK", Sys(libc::_SC_MONOTONIC_CLOCK)),
    ("_POSIX_PRIORITY_SCHEDULING", Sys(libc::_SC_PRIORITY_SCHEDULING)),
    ("_POSIX_SEMAPHORES", Sys(libc::_SC_SEMAPHORES)),
    ("_POSIX_SHARED_MEMORY_OBJECTS", Sys(libc::_SC_SHARED_MEMORY_OBJECTS)),
    ("_POSIX_SYNCHRONIZED_IO", Sys(libc::_SC_SYNCHRONIZED_IO)),
    ("_POSIX_TIMERS", Sys(libc::_SC_TIMERS)),
    ("_POSIX_SYNC_IO", Path(libc::_PC_SYNC_IO)),
    ("LOGIN_NAME_MAX", Sys(libc::_SC_LOGIN_NAME_MAX)),
    ("_POSIX_THREADS", Sys(libc::_SC_THREADS)),
    ("_POSIX_BARRIERS", Sys(libc::_SC_BARRIERS)),
    ("_POSIX_READER_WRITER_LOCKS", Sys(libc::_SC_READER_WRITER_LOCKS)),
    ("_POSIX_SPIN_LOCKS", Sys(libc::_SC_SPIN_LOCKS)),
    ("IOV_MAX", Sys(libc::_SC_IOV_MAX)),
    ("PAGE_SIZE", Sys(libc::_SC_PAGE_SIZE)),
    ("_XOPEN_SHM", Sys(libc::_SC_XOPEN_SHM)),
    ("FILESIZEBITS", Path(libc::_PC_FILESIZEBITS)),
    ("ATEXIT_MAX", Sys(libc::_SC_ATEXIT_MAX)),
    ("GETGR_R_SIZE_MAX", Sys(libc::_SC_GETGR_R_SIZE_MAX)),
    ("GETPW_R_SIZE_MAX", Sys(libc::_SC_GETPW_R_SIZE_MAX)),
    ("_NPROCESSORS_CONF", Sys(libc::_SC_NPROCESSORS_CONF)),
    ("_NPROCESSORS_ONLN", Sys(libc::_SC_NPROCESSORS_ONLN)),
    // GNU getconf's additions.
    ("_PHYS_PAGES", Sys(libc::_SC_PHYS_PAGES)),
    ("_AVPHYS_PAGES", Sys(libc::_SC_AVPHYS_PAGES)),
    ("HOST_NAME_MAX", Sys(libc::_SC_HOST_NAME_MAX)),
    ("SYMLOOP_MAX", Sys(libc::_SC_SYMLOOP_MAX)),
    ("TTY_NAME_MAX", Sys(libc::_SC_TTY_NAME_MAX)),
    ("DELAYTIMER_MAX", Sys(libc::_SC_DELAYTIMER_MAX)),
    ("RTSIG_MAX", Sys(libc::_SC_RTSIG_MAX)),
    ("SEM_NSEMS_MAX", Sys(libc::_SC_SEM_NSEMS_MAX)),
    ("SEM_VALUE_MAX", Sys(libc::_SC_SEM_VALUE_MAX)),
    ("SIGQUEUE_MAX", Sys(libc::_SC_SIGQUEUE_MAX)),
    ("TIMER_MAX", Sys(libc::_SC_TIMER_MAX)),
    ("LONG_BIT", Const(libc::c_long::BITS as i64)),
    ("WORD_BIT", Const(libc::c_int::BITS as i64)),
    ("CHAR_BIT", Const(8)),
    ("CHAR_MAX", Const(libc::c_char::MAX as i64)),
    ("CHAR_MIN", Const(libc::c_char::MIN as i64)),
    ("SCHAR_MAX", Const(i8::MAX as i64)),
    ("SCHAR_MIN", Const(i8::MIN as i64)),
    ("UCHAR_MAX", Const(u8::MAX as i64)),
    ("SHRT_MAX", Const(i16::MAX as i64)),
    ("SHRT_MIN", Const(i16::MIN as i64)),
    ("USHRT_MAX", Const(u16::MAX as i64)),
    ("INT_MAX", Const(i32::MAX as i64)),
    ("INT_MIN", Const(i32::MIN as i64)),
    ("UINT_MAX", Const(u32::MAX as i64)),
    ("LONG_MAX", Const(libc::c_long::MAX as i64)),
    ("LONG_MIN", Const(libc::c_long::MIN as i64)),
    ("SSIZE_MAX", Const(isize::MAX as i64)),
    ("NZERO", Const(20)),
    ("NL_ARGMAX", Const(9)),
    ("NL_LANGMAX", Const(32)),
    ("NL_MSGMAX", Const(32767)),
    ("NL_SETMAX", Const(255)),
    ("NL_TEXTMAX", Const(2048)),
];

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "+av:", &[])?;
    let all = o.has(b'a');
    let mut rest = &o.args[..];
    let name = if all {
        None
    } else {
        let (n, r) = rest.split_first().ok_or_else(|| cx.usage())?;
        rest = r;
        Some(n.as_bytes())
    };
    if rest.len() > 1 {
        return Err(cx.usage());
    }
    let path = rest.first().map(|p| p.as_bytes());
    let mut found = false;
    let mut out = Vec::new();
    for &(n, k) in TABLE {
        if !all && Some(n.as_bytes()) != name {
            continue;
        }
        if matches!(k, Path(_)) != path.is_some() {
            if !all {
                return Err(cx.fail(&[n.as_bytes(), b": invalid variable type"]));
            }
            continue;
        }
        found = true;
        if all {
            out.extend_from_slice(n.as_bytes());
            out.extend_from_slice(b" = ");
        }
        if !value(cx, k, path, &mut out)? {
            // An -a listing skips pathconf names the file system rejects.
            out.truncate(out.len() - n.len() - 3);
            continue;
        }
        out.push(b'\n');
    }
    if !found && !all {
        return Err(cx.fail(&[name.unwrap_or_default(), b": unknown variable"]));
    }
    cx.out.write(&out);
    Ok(0)
}

/// The kernel's argument space: a quarter of the stack limit, at least 128 KiB (musl's
/// sysconf answers a constant 131072; glibc's, and the kernel, follow the limit).
fn arg_max() -> i64 {
    // SAFETY: rlimit is plain data filled by the kernel.
    let mut r: libc::rlimit = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrlimit(libc::RLIMIT_STACK, &mut r) } != 0 || r.rlim_cur == libc::RLIM_INFINITY {
        return 131072;
    }
    ((r.rlim_cur / 4) as i64).max(131072)
}

fn num(out: &mut Vec<u8>, n: i64) {
    let mut b = [0u8; 20];
    if n < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(crate::cx::fmt_u64(n.unsigned_abs(), &mut b));
}

fn set_errno(v: i32) {
    // SAFETY: errno is thread-local and writable.
    unsafe { *libc::__errno_location() = v };
}

/// Appends the value; Ok(false) for a pathconf name the file rejects (EINVAL) in -a.
fn value(cx: &Cx, k: K, path: Option<&[u8]>, out: &mut Vec<u8>) -> Res<bool> {
    match k {
        Const(v) => num(out, v),
        Sys(libc::_SC_ARG_MAX) => num(out, arg_max()),
        Sys(c) => {
            set_errno(0);
            // SAFETY: sysconf only returns a value.
            let v = unsafe { libc::sysconf(c) };
            if v == -1 {
                let e = crate::sys::errno();
                if e != 0 {
                    return Err(fail_no(cx, b"sysconf(", c as i64, None, e));
                }
                out.extend_from_slice(b"undefined");
            } else {
                num(out, v as i64);
            }
        }
        Path(c) => {
            let p = path.unwrap_or(b"/");
            let Some(cp) = crate::sys::cstr(p) else {
                return Err(cx.fail(&[b"bad path"]));
            };
            set_errno(0);
            // SAFETY: cp is NUL-terminated.
            let v = unsafe { libc::pathconf(cp.as_ptr(), c) };
            if v == -1 {
                let e = crate::sys::errno();
                if e == libc::EINVAL && out.last() == Some(&b' ') {
                    return Ok(false);
                }
                if e != 0 {
                    return Err(fail_no(cx, b"pathconf(", c as i64, Some(p), e));
                }
                out.extend_from_slice(b"undefined");
            } else {
                num(out, v as i64);
            }
        }
        Str(c) => {
            let mut buf = [0u8; 512];
            set_errno(0);
            // SAFETY: buf has the room given.
            let n = unsafe { libc::confstr(c, buf.as_mut_ptr().cast(), buf.len()) };
            if n == 0 {
                let e = crate::sys::errno();
                if e != 0 {
                    return Err(fail_no(cx, b"confstr(", c as i64, None, e));
                }
                out.extend_from_slice(b"undefined");
            } else {
                out.extend_from_slice(&buf[..(n - 1).min(buf.len() - 1)]);
            }
        }
    }
    Ok(true)
}

/// err(3)'s `getconf: sysconf(N): ERROR`.
fn fail_no(cx: &Cx, what: &[u8], n: i64, path: Option<&[u8]>, e: i32) -> Fail {
    let mut m = what.to_vec();
    if let Some(p) = path {
        m.extend_from_slice(p);
        m.extend_from_slice(b", ");
    }
    num(&mut m, n);
    m.push(b')');
    cx.fail_no(&m, e)
}
