//! applet: cp
//! dir: bin
//! usage: cp [-arPLHpfinlsTu] SOURCE DEST
//! usage: or: cp [-arPLHpfinlsu] SOURCE... { -t DIRECTORY | DIRECTORY }
//! Copy SOURCEs to DEST
//!
//! -a  Same as -dpR
//! -R,-r  Recurse
//! -d,-P  Preserve symlinks (default if -R)
//! -L  Follow all symlinks
//! -H  Follow symlinks on command line
//! -p  Preserve file attributes if possible
//! -f  Overwrite
//! -i  Prompt before overwrite
//! -n  Don't overwrite
//! -l,-s  Create (sym)links
//! -T  Refuse to copy if DEST is a directory
//! -t DIR  Copy all SOURCEs into DIR
//! -u  Copy only newer files
//! -v  Verbose
//! --parents  Use full source file name under DIRECTORY

use crate::copy::{Copier, Deref, Opts};
use crate::{paths, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "aRrdPLHpfinlsTt:uv\x01",
        &[
            ("archive", b'a'),
            ("recursive", b'R'),
            ("no-dereference", b'P'),
            ("dereference", b'L'),
            ("force", b'f'),
            ("interactive", b'i'),
            ("no-clobber", b'n'),
            ("link", b'l'),
            ("symbolic-link", b's'),
            ("no-target-directory", b'T'),
            ("target-directory", b't'),
            ("update", b'u'),
            ("verbose", b'v'),
            ("parents", 1),
        ],
    )?;
    let recurse = o.has(b'a') || o.has(b'R') || o.has(b'r');
    let deref = match o.last_of(b"LHdPa") {
        Some(b'L') => Deref::Always,
        Some(b'H') => Deref::Roots,
        Some(_) => Deref::Never,
        None if recurse => Deref::Never,
        None => Deref::Always,
    };
    let last_fin = o.last_of(b"fin");
    let opts = Opts {
        recurse,
        deref,
        preserve: o.has(b'a') || o.has(b'p'),
        force: o.has(b'f'),
        interactive: last_fin == Some(b'i'),
        no_clobber: last_fin == Some(b'n'),
        update: o.has(b'u'),
        verbose: o.has(b'v'),
        link: match o.last_of(b"ls") {
            Some(c) => c,
            None => 0,
        },
    };
    let (srcs, last): (&[&OsStr], &[u8]) = match o.val(b't') {
        Some(t) if !o.args.is_empty() => (&o.args, t.as_bytes()),
        None if o.args.len() >= 2 => (&o.args[..o.args.len() - 1], o.args[o.args.len() - 1].as_bytes()),
        _ => return Err(cx.usage()),
    };
    let mut c = Copier::new(opts);
    let parents = o.has(1);
    if srcs.len() == 1 && o.val(b't').is_none() && !parents {
        let src = srcs[0].as_bytes();
        let s_dir = match crate::copy::cp_mv_stat(cx, src, deref != Deref::Never) {
            Err(f) => return Err(f),
            Ok(k) => k == 3,
        };
        let d = crate::copy::cp_mv_stat(cx, last, true)?;
        if o.has(b'T') {
            if !s_dir && d == 3 {
                return Err(cx.fail(&[b"'", last, b"' is a directory"]));
            }
            return Ok(!c.copy(cx, src, last) as i32);
        }
        if (!s_dir && d != 3) || (s_dir && d == 0) {
            return Ok(!c.copy(cx, src, last) as i32);
        }
    } else if o.has(b'T') {
        return Err(cx.fail(&[b"too many arguments"]));
    }
    if parents && !paths::dir_exists(last, true) {
        return Err(cx.fail(&[b"with --parents, the destination must be a directory"]));
    }
    let mut status = 0;
    for s in srcs {
        let s = s.as_bytes();
        let dest = if parents {
            let d = paths::join(last, s);
            let (dir, _) = crate::copy::split(&d);
            if let Err(e) = crate::copy::mkdir_p(dir, 0o777) {
                return Err(cx.fail_path(b"can't create directory", dir, e));
            }
            d
        } else {
            paths::join(last, paths::last_component(s))
        };
        if !c.copy(cx, s, &dest) {
            status = 1;
        }
    }
    Ok(status)
}
