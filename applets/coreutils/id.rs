//! applet: id
//! usage: id [-ugGnr] [USER]
//! Print information about USER or the current user
//!
//! -u  User ID
//! -g  Group ID
//! -G  Supplementary group IDs
//! -n  Print names instead of numbers
//! -r  Print real ID instead of effective ID

use crate::users::Users;
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "ugGnr", &[])?;
    let n_ugg = [b'u', b'g', b'G'].iter().filter(|&&c| o.has(c)).count();
    // -n and -r go with one of -u -g -G; at most one of those, at most one USER.
    if n_ugg > 1 || (n_ugg == 0 && (o.has(b'n') || o.has(b'r'))) || o.args.len() > 1 {
        return Err(cx.usage());
    }
    let mode = if o.has(b'u') {
        b'u'
    } else if o.has(b'g') {
        b'g'
    } else if o.has(b'G') {
        b'G'
    } else {
        0
    };
    run(cx, o.args.first().map(|a| a.as_bytes()), mode, o.has(b'n'), o.has(b'r'))
}

/// The shared body of `id` and `groups` (`id -Gn`).
pub fn run(cx: &mut Cx, user: Option<&[u8]>, mode: u8, names: bool, real: bool) -> Res {
    let users = Users::new();
    let (ruid, euid, rgid, egid, groups);
    match user {
        Some(u) => {
            let Some(p) = users.user(u) else {
                return Err(cx.fail(&[b"unknown user ", u]));
            };
            (ruid, euid, rgid, egid) = (p.uid, p.uid, p.gid, p.gid);
            // getgrouplist: the primary group first, then every group listing the user.
            let mut g = vec![p.gid];
            for gr in users.groups() {
                if gr.members().any(|m| m == u) && !g.contains(&gr.gid) {
                    g.push(gr.gid);
                }
            }
            groups = g;
        }
        None => {
            // SAFETY: these only return the process's ids.
            unsafe {
                (ruid, euid, rgid, egid) = (libc::getuid(), libc::geteuid(), libc::getgid(), libc::getegid());
                let n = libc::getgroups(0, std::ptr::null_mut());
                let mut g = vec![0; n.max(0) as usize];
                let n = libc::getgroups(g.len() as i32, g.as_mut_ptr());
                g.truncate(n.max(0) as usize);
                groups = g;
            }
        }
    }
    let mut status = 0;
    let def = mode == 0;
    let mut put = |cx: &mut Cx, id: u32, user: bool, prefix: &[u8]| {
        cx.out.write(prefix);
        let name = if user { users.user_name(id) } else { users.group_name(id) };
        if !names || name.is_none() {
            cx.out.num(id as u64);
        }
        if def || names {
            match name {
                Some(n) if def => {
                    cx.out.byte(b'(');
                    cx.out.write(n);
                    cx.out.byte(b')');
                }
                Some(n) => cx.out.write(n),
                None if !def => {
                    let mut b = [0u8; 20];
                    cx.err(&[b"unknown ID ", crate::cx::fmt_u64(id as u64, &mut b)]);
                    status = 1;
                }
                None => {}
            }
        }
    };
    match mode {
        0 | b'G' => {
            if def {
                put(cx, ruid, true, b"uid=");
                put(cx, rgid, false, b" gid=");
                if euid != ruid {
                    put(cx, euid, true, b" euid=");
                }
                if egid != rgid {
                    put(cx, egid, false, b" egid=");
                }
            } else {
                put(cx, rgid, false, b"");
                if egid != rgid {
                    put(cx, egid, false, b" ");
                }
            }
            let mut prefix: &[u8] = if def { b" groups=" } else { b" " };
            for &g in &groups {
                if !def && (g == rgid || g == egid) {
                    continue;
                }
                put(cx, g, false, prefix);
                if def {
                    prefix = b",";
                }
            }
        }
        b'u' => put(cx, if real { ruid } else { euid }, true, b""),
        _ => put(cx, if real { rgid } else { egid }, false, b""),
    }
    cx.out.byte(b'\n');
    Ok(status)
}
