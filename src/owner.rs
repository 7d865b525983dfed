//! `chown`/`chgrp` (one engine, two applets with their own usage) and BusyBox's
//! `USER[:[GROUP]]` parsing, which `install -o/-g` can share.
//!
//! ```ignore
//! let users = Users::new();
//! let (uid, gid) = owner::parse(cx, &users, b"nobody:")?; // Some(65534), Some(65534)
//! ```

use crate::users::Users;
use crate::walk::{Act, Follow, Kind, Walker};
use crate::{Cx, Res};
use nix::fcntl::AtFlags;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

fn num(s: &[u8]) -> Option<u32> {
    crate::args::parse_u64(s).and_then(|n| u32::try_from(n).ok())
}

/// BusyBox's parse_chown_usergroup_or_die: `USER` (uid only), `:GROUP` (gid only),
/// `USER:GROUP`, `USER:` (the user's login group); `.` works as `:`; numbers are ids.
/// None means "leave as it is". Unknown names fail with BusyBox's messages.
pub fn parse(cx: &Cx, users: &Users, spec: &[u8]) -> Res<(Option<u32>, Option<u32>)> {
    let sep = crate::bytes::memchr(b'.', spec).or_else(|| crate::bytes::memchr(b':', spec));
    let Some(i) = sep else {
        let uid = num(spec).or_else(|| users.uid(spec));
        return match uid {
            Some(u) => Ok((Some(u), None)),
            None => Err(cx.fail(&[b"unknown user ", spec])),
        };
    };
    let (user, group) = (&spec[..i], &spec[i + 1..]);
    if i == 0 {
        return match num(group).or_else(|| users.gid(group)) {
            Some(g) => Ok((None, Some(g))),
            None => Err(cx.fail(&[b"unknown group ", group])),
        };
    }
    // USER[:GROUP]: the user's group unless a group is named (a number without a passwd
    // entry stands for itself as both).
    let bad = || {
        cx.fail(&[
            b"unknown user/group ",
            if group.is_empty() { user } else { spec },
        ])
    };
    let (uid, mut gid) = match num(user) {
        Some(u) => (u, users.user_by_uid(u).map_or(u, |p| p.gid)),
        None => match users.user(user) {
            Some(p) => (p.uid, p.gid),
            None => return Err(bad()),
        },
    };
    if !group.is_empty() {
        gid = match num(group).or_else(|| users.gid(group)) {
            Some(g) => g,
            None => return Err(bad()),
        };
    }
    Ok((Some(uid), Some(gid)))
}

/// chown (or, with `chgrp`, chgrp: the first operand is a GROUP) with BusyBox's options.
pub fn chown_main(cx: &mut Cx, args: &[&OsStr], chgrp: bool) -> Res {
    let o = cx.getopt(args, "RhvcfLHP", &[])?;
    if o.args.len() < 2 {
        return Err(cx.usage());
    }
    let (recur, noderef) = (o.has(b'R'), o.has(b'h'));
    let (verbose, changed, quiet) = (o.has(b'v'), o.has(b'c'), o.has(b'f'));
    let follow = if o.has(b'L') {
        Follow::Always
    } else if o.has(b'H') {
        Follow::Roots
    } else {
        Follow::Never
    };
    // BusyBox: lchown with -h, or with -R unless -H/-L asks to traverse.
    let lchown = noderef || recur && follow == Follow::Never;
    let users = Users::new();
    let spec = o.args[0].as_bytes();
    let (uid, gid) = if chgrp {
        parse(cx, &users, &[b":", spec].concat())?
    } else {
        parse(cx, &users, spec)?
    };
    let mut w = Walker::new(follow);
    let mut status = 0;
    for f in &o.args[1..] {
        w.walk(f.as_bytes(), &mut |e| {
            match e.kind {
                // Directories after their contents, as BusyBox (and coreutils) order it;
                // not one that could not be read (BusyBox's walk gives up on it).
                Kind::Pre if recur => return Act::Continue,
                Kind::Post if e.err != 0 => return Act::Continue,
                Kind::Pre => {}
                Kind::File if e.dangling => {
                    cx.err_no(e.path, libc::ENOENT);
                    status = 1;
                    return Act::Continue;
                }
                Kind::File | Kind::Post => {}
                Kind::Loop => {
                    crate::walk::report_loop(cx, e);
                    status = 1;
                    return Act::Continue;
                }
                _ => {
                    cx.err_no(e.path, e.err);
                    status = 1;
                    return Act::Continue;
                }
            }
            let (su, sg) = match e.stat() {
                Ok(st) => (st.st_uid, st.st_gid),
                Err(err) => {
                    cx.err_no(e.path, err);
                    status = 1;
                    return Act::Continue;
                }
            };
            let (u, g) = (uid.unwrap_or(su), gid.unwrap_or(sg));
            let fl = if lchown {
                AtFlags::AT_SYMLINK_NOFOLLOW
            } else {
                AtFlags::empty()
            };
            let r = nix::unistd::fchownat(Some(e.dir), e.cname, Some(u.into()), Some(g.into()), fl);
            match r {
                Ok(()) => {
                    if verbose || changed && (su != u || sg != g) {
                        cx.out.write(b"changed ownership of '");
                        cx.out.write(e.path);
                        cx.out.write(b"' to ");
                        cx.out.num(u as u64);
                        cx.out.byte(b':');
                        cx.out.num(g as u64);
                        cx.out.byte(b'\n');
                    }
                }
                Err(err) => {
                    if !quiet {
                        cx.err_no(e.path, err as i32);
                    }
                    status = 1;
                }
            }
            if e.kind == Kind::Pre {
                Act::Skip
            } else {
                Act::Continue
            }
        });
    }
    Ok(status)
}
