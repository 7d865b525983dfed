//! applet: unzip
//! usage: unzip [-lnojpq] FILE[.zip] [FILE]... [-x FILE]... [-d DIR]
//! Extract FILEs from ZIP archive
//!
//! -l  List contents (with -q for short form)
//! -n  Never overwrite files (default: ask)
//! -o  Overwrite
//! -j  Do not restore paths
//! -p  Write to stdout
//! -t  Test
//! -q  Quiet
//! -x FILE  Exclude FILEs
//! -d DIR  Extract into DIR

// Members come from the central directory (zip64 too), are streamed (stored or deflate),
// CRC-checked, and made through src/extract.rs: names lose a leading `/` and `..` parts (with
// BusyBox's message), no symlink is followed on the way, a file appears under its name only
// when complete and correct. Names are listed with control characters escaped. Unlike
// BusyBox 1.35, mtimes are restored (as Info-ZIP does) and a stored member's CRC is checked.

use crate::extract::{self, Target, Temp};
use crate::zip::{self, Entry, ZipErr};
use crate::{sys, Cx, Fail, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

#[derive(Default)]
struct Opt<'a> {
    list: bool,
    never: bool,
    over: bool,
    junk: bool,
    pipe: bool,
    test: bool,
    quiet: u32,
    verbose: bool,
    zip: Option<&'a [u8]>,
    dir: Option<&'a [u8]>,
    incl: Vec<&'a [u8]>,
    excl: Vec<&'a [u8]>,
}

/// BusyBox's own argument loop: options anywhere, names after the archive are members to
/// take, names after `-x` members to leave.
fn parse<'a>(cx: &Cx, args: &[&'a OsStr]) -> Res<Opt<'a>> {
    let mut o = Opt::default();
    let mut xmode = false;
    let mut i = 1;
    let mut dashdash = false;
    while i < args.len() {
        let a = args[i].as_bytes();
        i += 1;
        if !dashdash && a == b"--" {
            dashdash = true;
            continue;
        }
        if dashdash || a.len() < 2 || a[0] != b'-' {
            if o.zip.is_none() {
                o.zip = Some(a);
            } else if xmode {
                o.excl.push(a);
            } else {
                o.incl.push(a);
            }
            continue;
        }
        let mut k = 1;
        while k < a.len() {
            let c = a[k];
            k += 1;
            match c {
                b'l' => o.list = true,
                b'n' => o.never = true,
                b'o' => o.over = true,
                b'j' => o.junk = true,
                b'p' => o.pipe = true,
                b't' => o.test = true,
                b'q' => o.quiet += 1,
                b'v' => o.verbose = true,
                b'x' => xmode = true,
                b'd' => {
                    let v = if k < a.len() {
                        &a[k..]
                    } else if i < args.len() {
                        i += 1;
                        args[i - 1].as_bytes()
                    } else {
                        cx.err(&[b"option requires an argument -- 'd'"]);
                        return Err(cx.usage());
                    };
                    o.dir = Some(v);
                    k = a.len();
                }
                _ => {
                    cx.err(&[b"invalid option -- '", &[c], b"'"]);
                    return Err(cx.usage());
                }
            }
        }
    }
    if o.zip.is_none() {
        return Err(cx.usage());
    }
    Ok(o)
}

fn open_zip(cx: &Cx, name: &[u8]) -> Res<(crate::io::Input, Vec<u8>)> {
    let mut n = name.to_vec();
    for ext in [&b""[..], b".zip", b".ZIP"] {
        n.truncate(name.len());
        n.extend_from_slice(ext);
        if let Ok(i) = crate::io::Input::open(OsStr::from_bytes(&n)) {
            return Ok((i, n));
        }
    }
    Err(cx.fail(&[b"can't open ", name, b"[.zip]"]))
}

fn escaped(name: &[u8], out: &mut Vec<u8>) {
    extract::escape_name(name, out);
}

fn pad(out: &mut Vec<u8>, n: u64, width: usize) {
    let mut b = [0u8; 20];
    let s = crate::cx::fmt_u64(n, &mut b);
    out.resize(out.len() + width.saturating_sub(s.len()), b' ');
    out.extend_from_slice(s);
}

fn zfail(cx: &Cx, name: Option<&[u8]>, e: ZipErr) -> Fail {
    let mut m = Vec::new();
    if let Some(n) = name {
        escaped(n, &mut m);
        m.extend_from_slice(b": ");
    }
    e.msg(&mut m);
    cx.fail(&[&m])
}

/// A line from stdin for the replace prompt; None at end of input.
fn answer() -> Option<Vec<u8>> {
    let mut v = Vec::new();
    let mut c = [0u8; 1];
    loop {
        match sys::read(0, &mut c) {
            Ok(1) if c[0] == b'\n' => return Some(v),
            Ok(1) => v.push(c[0]),
            _ if v.is_empty() => return None,
            _ => return Some(v),
        }
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let mut o = parse(cx, args)?;
    let zname = o.zip.unwrap_or_default();
    let (inp, zname) = open_zip(cx, zname)?;
    let fd = inp.fd();
    let listing = o.list || o.verbose && !o.pipe && !o.test;
    let quiet = o.quiet > 0 || o.pipe;
    // -t is silent unless something is wrong, as BusyBox's.
    if o.quiet == 0 && !o.pipe && !o.test {
        cx.out.write(b"Archive:  ");
        let mut m = Vec::new();
        escaped(&zname, &mut m);
        cx.out.line(&m);
    }
    let v = o.verbose && !o.list;
    if listing {
        cx.out.write(if v {
            &b" Length   Method    Size  Cmpr    Date    Time   CRC-32   Name\n--------  ------  ------- ---- ---------- ----- --------  ----\n"[..]
        } else {
            b"  Length      Date    Time    Name\n---------  ---------- -----   ----\n"
        });
    }
    let mut z = match zip::Archive::open(fd) {
        Ok(z) => z,
        Err(e) => return Err(zfail(cx, None, e)),
    };
    let mut t = if listing || o.pipe || o.test {
        None
    } else {
        let dir = o.dir.unwrap_or(b".");
        if let Some(d) = o.dir {
            // -d DIR is made when missing, with its parents.
            let mut p = Vec::new();
            for c in d.split(|&b| b == b'/') {
                p.extend_from_slice(c);
                if let Some(cs) = sys::cstr(&p) {
                    // SAFETY: cs is NUL-terminated.
                    unsafe { libc::mkdir(cs.as_ptr(), 0o777) };
                }
                p.push(b'/');
            }
        }
        match Target::open(dir, true) {
            Ok(t) => Some(t),
            Err(e) => return Err(cx.fail_no(dir, e)),
        }
    };
    // A throwaway target for name cleaning while listing.
    let mut namer = Target::open(b"/", false).ok();
    let (mut total, mut ctotal, mut files) = (0u64, 0u64, 0u64);
    let mut status = 0;
    loop {
        let e = match z.next_entry() {
            Ok(Some(e)) => e,
            Ok(None) => break,
            Err(err) => return Err(zfail(cx, None, err)),
        };
        let wanted = (o.incl.is_empty() || o.incl.iter().any(|p| extract::fnmatch(p, &e.name)))
            && !o.excl.iter().any(|p| extract::fnmatch(p, &e.name));
        // BusyBox's total counts every entry, listed or not.
        files += 1;
        if !wanted {
            continue;
        }
        let cleaner = t.as_mut().or(namer.as_mut());
        let name = match cleaner {
            Some(c) => match c.clean(cx, &e.name) {
                Some(n) => n.to_vec(),
                None => continue,
            },
            None => e.name.clone(),
        };
        let shown = if e.is_dir() && !name.ends_with(b"/") {
            let mut n = name.clone();
            n.push(b'/');
            n
        } else {
            name.clone()
        };
        if listing {
            let mut l = Vec::with_capacity(80);
            if v {
                pad(&mut l, e.usize, 8);
                l.extend_from_slice(if e.method == 8 {
                    b"  Defl:N "
                } else if e.method == 0 {
                    b"  Stored "
                } else {
                    b"  Unk:?? "
                });
                pad(&mut l, e.csize, 8);
                let pct = (e.usize.saturating_sub(e.csize))
                    .saturating_mul(100)
                    .checked_div(e.usize)
                    .unwrap_or(0);
                pad(&mut l, pct, 4);
                l.extend_from_slice(b"% ");
                e.date(&mut l);
                let _ = std::io::Write::write_fmt(&mut l, format_args!(" {:08x}  ", e.crc));
            } else {
                pad(&mut l, e.usize, 9);
                l.extend_from_slice(b"  ");
                e.date(&mut l);
                l.extend_from_slice(b"   ");
            }
            escaped(&shown, &mut l);
            l.push(b'\n');
            cx.out.write(&l);
            total += e.usize;
            ctotal += e.csize;
            continue;
        }
        if o.pipe || o.test {
            if e.is_dir() {
                continue;
            }
            let r = if o.pipe {
                cx.out.flush();
                zip::data(fd, &e, &mut |b| {
                    cx.out.write(b);
                    match cx.out.err {
                        0 => Ok(()),
                        err => Err(err),
                    }
                })
            } else {
                zip::data(fd, &e, &mut |_| Ok(()))
            };
            match r {
                Ok(()) => {}
                // Reported by cx.finish, as every applet's write error.
                Err(ZipErr::Write(_)) => return Ok(1),
                Err(err) => {
                    let _ = zfail(cx, Some(&shown), err);
                    status = 1;
                }
            }
            continue;
        }
        let Some(tg) = t.as_mut() else { continue };
        let name = if o.junk {
            if e.is_dir() {
                continue;
            }
            sys::basename(&name).to_vec()
        } else {
            name
        };
        match one(cx, tg, fd, &e, &name, &shown, &mut o, quiet)? {
            true => {}
            false => status = 1,
        }
    }
    if listing {
        let mut l = Vec::with_capacity(80);
        if v {
            l.extend_from_slice(b"--------          ------- ----                            ----\n");
            pad(&mut l, total, 8);
            pad(&mut l, ctotal, 17);
            let pct = total
                .saturating_sub(ctotal)
                .saturating_mul(100)
                .checked_div(total)
                .unwrap_or(0);
            pad(&mut l, pct, 4);
            l.extend_from_slice(b"%                            ");
        } else {
            l.extend_from_slice(b" --------                     -------\n");
            pad(&mut l, total, 9);
            l.extend_from_slice(b"                     ");
        }
        let mut b = [0u8; 20];
        l.extend_from_slice(crate::cx::fmt_u64(files, &mut b));
        l.extend_from_slice(if files == 1 { b" file\n" } else { b" files\n" });
        cx.out.write(&l);
    }
    Ok(status)
}

/// Extracts one member below the target. Ok(false): reported, go on with status 1.
#[allow(clippy::too_many_arguments)]
fn one(
    cx: &mut Cx,
    t: &mut Target,
    fd: i32,
    e: &Entry,
    name: &[u8],
    shown: &[u8],
    o: &mut Opt,
    quiet: bool,
) -> Res<bool> {
    let say = |cx: &mut Cx, what: &[u8], n: &[u8]| {
        if !quiet {
            let mut l = what.to_vec();
            escaped(n, &mut l);
            cx.out.line(&l);
        }
    };
    let err = |cx: &Cx, n: &[u8], errno: i32| {
        let mut m = Vec::new();
        escaped(n, &mut m);
        cx.err_no(&m, errno);
    };
    let (dir, leaf) = match t.parent(name) {
        Ok((d, l)) => (d, l.to_vec()),
        Err(errno) => {
            err(cx, shown, errno);
            return Ok(false);
        }
    };
    if e.is_dir() {
        // An existing directory is passed over in silence, as BusyBox does.
        if leaf == b"." || extract::lstat_at(dir.0, &leaf).is_some_and(|st| st.st_mode & libc::S_IFMT == libc::S_IFDIR) {
            return Ok(true);
        }
        say(cx, b"   creating: ", shown);
        {
            match extract::mkdir(dir.0, &leaf, e.mode.unwrap_or(0o777) & !crate::mode::umask()) {
                Ok(_) => {}
                Err(errno) => {
                    err(cx, shown, errno);
                    return Ok(false);
                }
            }
        }
        return Ok(true);
    }
    let mut leaf = leaf;
    let mut dir = dir;
    let mut overwrite = o.over;
    loop {
        let Some(st) = extract::lstat_at(dir.0, &leaf) else {
            break;
        };
        if o.never {
            return Ok(true);
        }
        // Even with -o, as BusyBox: only a regular file is replaced.
        if st.st_mode & libc::S_IFMT != libc::S_IFREG {
            let mut m = b"'".to_vec();
            escaped(shown, &mut m);
            m.extend_from_slice(b"' exists but is not a regular file");
            return Err(cx.fail(&[&m]));
        }
        if overwrite {
            break;
        }
        let mut q = b"replace ".to_vec();
        escaped(shown, &mut q);
        q.extend_from_slice(b"? [y]es, [n]o, [A]ll, [N]one, [r]ename: ");
        cx.out.write(&q);
        cx.out.flush();
        let Some(a) = answer() else {
            return Err(cx.fail(&[b"can't read standard input"]));
        };
        match a.first() {
            Some(b'A') => {
                o.over = true;
                overwrite = true;
            }
            Some(b'y') => overwrite = true,
            Some(b'N') => {
                o.never = true;
                return Ok(true);
            }
            Some(b'n') => return Ok(true),
            Some(b'r') => {
                cx.out.write(b"new name: ");
                cx.out.flush();
                let Some(nn) = answer() else {
                    return Err(cx.fail(&[b"can't read standard input"]));
                };
                let Some(c) = t.clean(cx, &nn) else {
                    return Ok(true);
                };
                match t.parent(c) {
                    Ok((d, l)) => {
                        leaf = l.to_vec();
                        dir = d;
                    }
                    Err(errno) => {
                        err(cx, &nn, errno);
                        return Ok(false);
                    }
                }
            }
            _ => {
                let mut m = b"error: invalid response [".to_vec();
                m.extend_from_slice(a.get(..1).unwrap_or_default());
                m.extend_from_slice(b"]\n");
                cx.out.write(&m);
            }
        }
    }
    say(cx, b"  inflating: ", shown);
    let mode = e.mode.unwrap_or(0o666 & !crate::mode::umask());
    if e.is_symlink() {
        let mut target = Vec::new();
        let r = zip::data(fd, e, &mut |b| {
            if target.len() + b.len() > 65536 {
                return Err(libc::ENAMETOOLONG);
            }
            target.extend_from_slice(b);
            Ok(())
        });
        if let Err(z) = r {
            let _ = zfail(cx, Some(shown), z);
            return Ok(false);
        }
        if let Err(errno) = extract::symlink(dir.0, &leaf, &target, true) {
            err(cx, shown, errno);
            return Ok(false);
        }
        return Ok(true);
    }
    let mut tmp = match Temp::create(dir.0) {
        Ok(t) => t,
        Err(errno) => {
            err(cx, shown, errno);
            return Ok(false);
        }
    };
    if let Err(z) = zip::data(fd, e, &mut |b| tmp.write(b)) {
        let _ = zfail(cx, Some(shown), z);
        return Ok(false);
    }
    tmp.meta(mode, None, Some(e.mtime()));
    if let Err(errno) = tmp.commit(&leaf, true) {
        err(cx, shown, errno);
        return Ok(false);
    }
    Ok(true)
}
