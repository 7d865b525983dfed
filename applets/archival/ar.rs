//! applet: ar
//! usage: ar x|p|t [-ov] ARCHIVE [FILE]...
//! Extract or list FILEs from an ar archive
//!
//! x  Extract
//! p  Extract to stdout
//! t  List
//! -o  Restore mtime
//! -v  Verbose

// GNU and BSD long names are read (BusyBox cuts a GNU name at its first space; rbox keeps
// it whole). Extraction goes through src/extract.rs: a name never leaves the current
// directory, the file appears only when complete, and an existing one is refused as
// BusyBox refuses it.

use crate::ar::{ArErr, Member, Reader};
use crate::extract::{self, Target, Temp};
use crate::{Cx, Fail, Res};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

/// BusyBox's header_verbose_list_ar: `rw-r--r-- 0/0      4 Jan  1 00:00 1970 NAME`.
fn verbose_line(m: &Member, out: &mut Vec<u8>) {
    let mut ms = Vec::new();
    crate::mode::string(m.mode, &mut ms);
    out.extend_from_slice(ms.get(1..).unwrap_or_default());
    out.push(b' ');
    let mut b = [0u8; 20];
    out.extend_from_slice(crate::cx::fmt_u64(m.uid as u64, &mut b));
    out.push(b'/');
    out.extend_from_slice(crate::cx::fmt_u64(m.gid as u64, &mut b));
    let s = crate::cx::fmt_u64(m.size, &mut b);
    out.resize(out.len() + 7usize.saturating_sub(s.len()), b' ');
    out.extend_from_slice(s);
    out.push(b' ');
    // ctime's "Mmm dd hh:mm" and year.
    match crate::time::local(m.mtime as i64) {
        Some(tm) => tm.strftime(b"%b %e %H:%M %Y", out),
        None => out.extend_from_slice(b"Jan  1 00:00 1970"),
    }
    out.push(b' ');
    extract::escape_name(&m.name, out);
    out.push(b'\n');
}

fn fail_open(cx: &Cx, name: &[u8], e: i32) -> Fail {
    cx.err_open(OsStr::from_bytes(name), e);
    Fail(1)
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // `ar tv x.a` and `ar -tv x.a` alike: a first word without a dash gets one.
    let mut owned: Vec<OsString> = args.iter().map(|a| a.to_os_string()).collect();
    if let Some(first) = owned.get_mut(1) {
        if !first.as_bytes().starts_with(b"-") {
            let mut v = b"-".to_vec();
            v.extend_from_slice(first.as_bytes());
            *first = OsString::from_vec(v);
        }
    }
    let refs: Vec<&OsStr> = owned.iter().map(|a| a.as_os_str()).collect();
    let o = cx.getopt(&refs, "ptxov", &[])?;
    let ops = [b'p', b't', b'x'].iter().filter(|&&c| o.has(c)).count();
    if ops != 1 || o.args.is_empty() {
        return Err(cx.usage());
    }
    let (list, pipe, verbose) = (o.has(b't'), o.has(b'p'), o.has(b'v'));
    let archive = o.args[0];
    let wanted = &o.args[1..];
    let Some(inp) = cx.open_input(archive) else {
        return Err(crate::Fail(1));
    };
    let mut r = Reader::new(inp.fd()).map_err(|e| cx.fail(&[e.msg()]))?;
    let mut t = if list || pipe {
        None
    } else {
        Some(Target::open(b".", false).map_err(|e| cx.fail_no(b".", e))?)
    };
    let mut status = 0;
    let mut later = Vec::new();
    loop {
        let m = match r.next_member() {
            Ok(Some(m)) => m,
            Ok(None) => break,
            Err(e) => return Err(cx.fail(&[e.msg()])),
        };
        if !wanted.is_empty() && !wanted.iter().any(|w| extract::fnmatch(w.as_bytes(), &m.name)) {
            continue;
        }
        let named = |e: ArErr| {
            let mut v = Vec::new();
            extract::escape_name(&m.name, &mut v);
            v.extend_from_slice(b": ");
            v.extend_from_slice(e.msg());
            v
        };
        if verbose && pipe {
            // BusyBox's lines are stdio-buffered while the data goes straight to fd 1: they
            // come out after all of it.
            verbose_line(&m, &mut later);
        } else if verbose {
            let mut l = Vec::with_capacity(80);
            verbose_line(&m, &mut l);
            cx.out.write(&l);
        } else if list {
            let mut l = Vec::new();
            extract::escape_name(&m.name, &mut l);
            cx.out.line(&l);
        }
        if list {
            continue;
        }
        if pipe {
            let out = &mut cx.out;
            let r = r.data(&mut |b| {
                out.write(b);
                match out.err {
                    0 => Ok(()),
                    e => Err(e),
                }
            });
            match r {
                Ok(()) => {}
                Err(ArErr::Write(_)) => return Ok(1),
                Err(e) => return Err(cx.fail(&[&named(e)])),
            }
            continue;
        }
        let Some(tg) = t.as_mut() else { continue };
        let Some(name) = tg.clean(cx, &m.name).map(|n| n.to_vec()) else {
            continue;
        };
        let (dir, leaf) = match tg.parent(&name) {
            Ok((d, l)) => (d, l.to_vec()),
            Err(e) => return Err(fail_open(cx, &name, e)),
        };
        // BusyBox opens with O_EXCL: an existing file ends the run.
        if extract::lstat_at(dir.0, &leaf).is_some() {
            return Err(fail_open(cx, &name, libc::EEXIST));
        }
        let mut tmp = Temp::create(dir.0).map_err(|e| fail_open(cx, &name, e))?;
        let mut werr = 0;
        let res = r.data(&mut |b| {
            if werr == 0 {
                if let Err(e) = tmp.write(b) {
                    werr = e;
                }
            }
            Ok(())
        });
        if let Err(e) = res {
            return Err(cx.fail(&[&named(e)]));
        }
        if werr != 0 {
            cx.err_no(&name, werr);
            status = 1;
            continue;
        }
        tmp.meta(m.mode, None, o.has(b'o').then_some(m.mtime as i64));
        if let Err(e) = tmp.commit(&leaf, false) {
            return Err(fail_open(cx, &name, e));
        }
    }
    cx.out.write(&later);
    Ok(status)
}
