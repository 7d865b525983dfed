//! applet: find
//! usage: find [-HL] [PATH]... [OPTIONS] [ACTIONS]
//! Search for files and perform actions on them.
//! First failed action stops processing of current file.
//! Defaults: PATH is current directory, action is '-print'
//!
//! -L,-follow  Follow symlinks
//! -H  	...on command line only
//! -xdev  	Don't descend directories on other filesystems
//! -maxdepth N  Descend at most N levels. -maxdepth 0 applies
//! 		actions to command line arguments only
//! -mindepth N  Don't act on first N levels
//! -depth  	Act on directory *after* traversing it
//!
//! |Actions:
//! ( ACTIONS )  Group actions for -o / -a
//! ! ACT  	Invert ACT's success/failure
//! ACT1 [-a] ACT2  If ACT1 fails, stop, else do ACT2
//! ACT1 -o ACT2  If ACT1 succeeds, stop, else do ACT2
//! 		Note: -a has higher priority than -o
//! -name PATTERN  Match file name (w/o directory name) to PATTERN
//! -iname PATTERN  Case insensitive -name
//! -path PATTERN  Match path to PATTERN
//! -ipath PATTERN  Case insensitive -path
//! -regex PATTERN  Match path to regex PATTERN
//! -type X  	File type is X (one of: f,d,l,b,c,s,p)
//! -executable  File is executable
//! -perm MASK  At least one mask bit (+MASK), all bits (-MASK),
//! 		or exactly MASK bits are set in file's mode
//! -mtime DAYS  mtime is greater than (+N), less than (-N),
//! 		or exactly N days in the past
//! -atime DAYS  atime +N/-N/N days in the past
//! -ctime DAYS  ctime +N/-N/N days in the past
//! -mmin MINS  mtime is greater than (+N), less than (-N),
//! 		or exactly N minutes in the past
//! -amin MINS  atime +N/-N/N minutes in the past
//! -cmin MINS  ctime +N/-N/N minutes in the past
//! -newer FILE  mtime is more recent than FILE's
//! -inum N  	File has inode number N
//! -samefile FILE  File is same as FILE
//! -user NAME/ID  File is owned by given user
//! -group NAME/ID  File is owned by given group
//! -size N[bck]  File size is N (c:bytes,k:kbytes,b:512 bytes(def.))
//! 		+/-N: file size is bigger/smaller than N
//! -links N  Number of links is greater than (+N), less than (-N),
//! 		or exactly N
//! -empty  	Match empty file/directory
//! -prune  	If current file is directory, don't descend into it
//! |If none of the following actions is specified, -print is assumed
//! -print  	Print file name
//! -print0  	Print file name, NUL terminated
//! -exec CMD ARG ;  Run CMD with all instances of {} replaced by
//! 		file name. Fails if CMD exits with nonzero
//! -exec CMD ARG + Run CMD with {} replaced by list of file names
//! -quit  	Exit

use crate::regex::{self, Flags, Regex};
use crate::walk::{Act, Entry, Follow, Kind, Walker};
use crate::{mode, spawn, sys, users::Users, Cx, Fail, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

const F_SIZE: u8 = 0;
const F_LINKS: u8 = 1;
const F_INUM: u8 = 2;
const F_UID: u8 = 3;
const F_GID: u8 = 4;
const F_MTIME: u8 = 5;

/// A time as a u64 in the same order, for Test::Num.
fn time_key(t: i64) -> u64 {
    t as u64 ^ 1 << 63
}

// exec_actions' result bits, as BusyBox keeps them.
const TRUE: u8 = 1;
const SKIP: u8 = 2;

enum Test {
    /// -name/-path and their -i forms: the pattern, ignore case, whole path.
    Glob(Vec<u8>, bool, bool),
    Regex(Box<Regex>),
    Type(u32),
    Executable,
    Perm(u8, u32),
    /// Which time (0 m, 1 a, 2 c), sign, seconds, unit.
    Time(u8, u8, i64, i64),
    /// A stat field compared with a sign (`+` more, `-` less, else equal): which field
    /// (one of the `F_` above), sign, value. One test for -size, -links, -inum, -user,
    /// -group and -newer instead of an arm each.
    Num(u8, u8, u64),
    Samefile(u64, u64),
    NoUser,
    NoGroup,
    Empty,
    Print,
    Print0,
    Prune,
    Quit,
    Delete,
    Exec(usize),
    Paren(Expr),
}

struct Action {
    t: Test,
    invert: bool,
}

/// OR of AND groups, as BusyBox's parse_params builds it.
type Expr = Vec<Vec<Action>>;

struct Exec<'a> {
    argv: Vec<&'a [u8]>,
    plus: bool,
    ok: bool,
    /// -exec +: the names gathered, and their bytes.
    files: Vec<Vec<u8>>,
    len: usize,
}

struct State<'a> {
    follow: Follow,
    xdev: bool,
    depth_first: bool,
    need_print: bool,
    mindepth: usize,
    maxdepth: usize,
    execs: Vec<Exec<'a>>,
    now: i64,
    status: i32,
    quit: bool,
    users: Users,
    env: Option<Vec<Vec<u8>>>,
    devs: Vec<u64>,
    lower: Vec<u8>,
}

// Bytes of file names gathered for one `-exec +` run (BusyBox goes by ARG_MAX less 2 KiB;
// this stays well inside every kernel's limit).
const EXEC_PLUS_MAX: usize = 128 * 1024;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let argv: Vec<&[u8]> = args.iter().skip(1).map(|a| a.as_bytes()).collect();
    let mut st = State {
        follow: Follow::Never,
        xdev: false,
        depth_first: false,
        need_print: true,
        mindepth: 0,
        maxdepth: usize::MAX,
        execs: Vec::new(),
        now: crate::time::now(),
        status: 0,
        quit: false,
        users: Users::new(),
        env: None,
        devs: Vec::new(),
        lower: Vec::new(),
    };
    // -H, -L, -P (grouped too) and `--` before the paths.
    let mut i = 0;
    while let Some(a) = argv.get(i) {
        if *a == b"--" {
            i += 1;
            break;
        }
        if a.len() < 2 || a[0] != b'-' || !a[1..].iter().all(|c| b"HLP".contains(c)) {
            break;
        }
        for c in &a[1..] {
            st.follow = match (c, st.follow) {
                (b'L', _) | (b'H', Follow::Always) => Follow::Always,
                (b'H', _) => Follow::Roots,
                (_, f) => f,
            };
        }
        i += 1;
    }
    let rest = &argv[i..];
    let first = rest
        .iter()
        .position(|a| a.first() == Some(&b'-') || *a == b"!" || *a == b"(")
        .unwrap_or(rest.len());
    let (paths, exprs) = rest.split_at(first);
    let expr = parse(cx, &mut st, exprs)?;
    let paths: &[&[u8]] = if paths.is_empty() { &[b"."] } else { paths };
    if st.xdev {
        // Devices of every path named: a directory on none of them is not descended.
        for p in paths {
            if let Some(c) = sys::cstr(p) {
                if let Ok(s) = crate::walk::stat_at(libc::AT_FDCWD, &c, true) {
                    st.devs.push(s.st_dev);
                }
            }
        }
    }
    // -delete never follows a symlink, whatever -L/-H/-follow say: what it removes is
    // always inside the tree, from the parent's descriptor.
    if has_delete(&expr) {
        st.follow = Follow::Never;
    }
    let mut w = Walker::new(st.follow);
    for p in paths {
        w.walk(p, &mut |e| visit(cx, &mut st, &expr, e));
        if st.quit {
            return Ok(st.status);
        }
    }
    for i in 0..st.execs.len() {
        if st.execs[i].plus && !st.execs[i].files.is_empty() && !flush_plus(cx, &mut st, i) {
            st.status = 1;
        }
    }
    Ok(st.status)
}

fn has_delete(expr: &Expr) -> bool {
    expr.iter().flatten().any(|a| match &a.t {
        Test::Delete => true,
        Test::Paren(sub) => has_delete(sub),
        _ => false,
    })
}

fn visit(cx: &mut Cx, st: &mut State, expr: &Expr, e: &mut Entry) -> Act {
    match e.kind {
        Kind::StatErr | Kind::OpenErr | Kind::ReadErr => {
            // BusyBox flushes stdout before a message, so `2>&1` keeps the order.
            cx.out.flush();
            cx.err_no(e.path, e.err);
            st.status = 1;
            return Act::Continue;
        }
        Kind::Loop => {
            cx.out.flush();
            crate::walk::report_loop(cx, e);
            st.status = 1;
            return Act::Continue;
        }
        Kind::Post => {
            if st.depth_first && e.depth >= st.mindepth {
                act(cx, st, expr, e);
            }
        }
        Kind::File => {
            if e.depth >= st.mindepth {
                act(cx, st, expr, e);
            }
        }
        Kind::Pre => {
            let same_fs = !st.xdev || e.stat().is_ok_and(|s| st.devs.contains(&s.st_dev));
            if e.depth < st.mindepth {
                return if same_fs { Act::Continue } else { Act::Skip };
            }
            let last = e.depth >= st.maxdepth || !same_fs;
            if st.depth_first {
                // Acted on after its contents, or now if it will not be read.
                if last {
                    act(cx, st, expr, e);
                    return Act::Skip;
                }
                return Act::Continue;
            }
            let r = act(cx, st, expr, e);
            if last || r & SKIP != 0 {
                return Act::Skip;
            }
        }
    }
    if st.quit {
        Act::Stop
    } else {
        Act::Continue
    }
}

fn act(cx: &mut Cx, st: &mut State, expr: &Expr, e: &mut Entry) -> u8 {
    let r = eval(cx, st, expr, e);
    if r & TRUE != 0 && st.need_print && !st.quit {
        cx.out.line(e.path);
    }
    r
}

fn eval(cx: &mut Cx, st: &mut State, expr: &Expr, e: &mut Entry) -> u8 {
    let mut rc = 0;
    for group in expr {
        // BusyBox's list of groups ends at an empty one (`-o -o`, a trailing `-o`).
        if group.is_empty() {
            break;
        }
        rc &= !TRUE;
        let mut ok = true;
        for a in group {
            rc |= TRUE ^ test(cx, st, &a.t, e);
            if a.invert {
                rc ^= TRUE;
            }
            if rc & TRUE != 0 || st.quit {
                ok = false;
                break;
            }
        }
        if ok || st.quit {
            return rc ^ TRUE;
        }
    }
    rc ^ TRUE
}

/// The last component of a path for -name, as BusyBox takes it: trailing slashes of a root
/// (`dir/`) are not part of it, but `/` and `//` stay themselves.
fn name_of(p: &[u8]) -> &[u8] {
    let end = p.iter().rposition(|&c| c != b'/').map_or(0, |i| i + 1);
    if end == 0 {
        return &p[..p.len().min(1)];
    }
    let start = p[..end].iter().rposition(|&c| c == b'/').map_or(0, |i| i + 1);
    &p[start..end]
}

fn test(cx: &mut Cx, st: &mut State, t: &Test, e: &mut Entry) -> u8 {
    let glob = crate::applets::a_test::glob;
    let yes = |b: bool| if b { TRUE } else { 0 };
    // Tests that need the inode: a vanished entry fails them, with a message.
    macro_rules! stat {
        () => {
            match e.stat() {
                Ok(s) => *s,
                Err(err) => {
                    cx.err_no(e.path, err);
                    st.status = 1;
                    return 0;
                }
            }
        };
    }
    match t {
        Test::Glob(p, icase, whole) => {
            let n = if *whole { e.path } else { name_of(e.path) };
            if *icase {
                st.lower.clear();
                st.lower.extend(n.iter().map(|c| c.to_ascii_lowercase()));
                yes(glob(p, &st.lower))
            } else {
                yes(glob(p, n))
            }
        }
        // Compiled WHOLE: a match is the whole path, so the DFA's yes or no is the answer
        // (and find links no leftmost-longest span search).
        Test::Regex(re) => yes(re.is_match(e.path)),
        Test::Type(m) => yes(e.file_type() == *m),
        Test::Executable => yes(nix::unistd::faccessat(
            Some(e.dir),
            e.cname,
            nix::unistd::AccessFlags::X_OK,
            nix::fcntl::AtFlags::empty(),
        )
        .is_ok()),
        Test::Perm(c, m) => {
            let mode = stat!().st_mode;
            yes(match c {
                b'+' | b'/' => mode & m != 0,
                b'-' => mode & m == *m,
                _ => mode & 0o7777 == *m,
            })
        }
        Test::Time(which, c, secs, unit) => {
            let s = stat!();
            let t = match which {
                0 => s.st_mtime,
                1 => s.st_atime,
                _ => s.st_ctime,
            };
            let age = st.now.saturating_sub(t);
            yes(match c {
                b'+' => age >= secs.saturating_add(*unit),
                b'-' => age < *secs,
                _ => age >= *secs && age < secs.saturating_add(*unit),
            })
        }
        Test::Num(f, c, n) => {
            let s = stat!();
            // st_nlink is u64 on x86_64 and u32 on aarch64.
            #[allow(clippy::unnecessary_cast)]
            let v = match *f {
                F_SIZE => s.st_size as u64,
                F_LINKS => s.st_nlink as u64,
                F_INUM => s.st_ino,
                F_UID => s.st_uid as u64,
                F_GID => s.st_gid as u64,
                _ => time_key(s.st_mtime),
            };
            yes(match c {
                b'+' => v > *n,
                b'-' => v < *n,
                _ => v == *n,
            })
        }
        Test::Samefile(d, n) => {
            let s = stat!();
            yes(s.st_dev == *d && s.st_ino == *n)
        }
        Test::NoUser => {
            let u = stat!().st_uid;
            yes(st.users.user_name(u).is_none())
        }
        Test::NoGroup => {
            let g = stat!().st_gid;
            yes(st.users.group_name(g).is_none())
        }
        Test::Empty => {
            let s = stat!();
            if s.st_mode & libc::S_IFMT == libc::S_IFDIR {
                let follow = st.follow == Follow::Always || e.depth == 0 && st.follow != Follow::Never;
                match crate::walk::is_empty_dir(e.dir, e.cname, follow) {
                    Ok(b) => yes(b),
                    Err(err) => {
                        cx.err_no(e.path, err);
                        0
                    }
                }
            } else {
                yes(s.st_mode & libc::S_IFMT == libc::S_IFREG && s.st_size == 0)
            }
        }
        Test::Print => {
            cx.out.line(e.path);
            TRUE
        }
        Test::Print0 => {
            cx.out.write(e.path);
            cx.out.byte(0);
            TRUE
        }
        Test::Prune => SKIP | TRUE,
        Test::Quit => {
            st.quit = true;
            TRUE
        }
        Test::Delete => {
            // From the parent's descriptor: a symlink is removed, never followed.
            let is_dir = e.is_dir() || e.file_type() == libc::S_IFDIR;
            let r = if is_dir {
                if e.path == b"." {
                    Ok(())
                } else {
                    nix::unistd::unlinkat(Some(e.dir), e.cname, nix::unistd::UnlinkatFlags::RemoveDir)
                }
            } else {
                nix::unistd::unlinkat(Some(e.dir), e.cname, nix::unistd::UnlinkatFlags::NoRemoveDir)
            };
            if let Err(err) = r {
                cx.err_no(e.path, err as i32);
                st.status = 1;
            }
            TRUE
        }
        Test::Exec(i) => exec(cx, st, *i, e.path),
        Test::Paren(sub) => eval(cx, st, sub, e),
    }
}

fn exec(cx: &mut Cx, st: &mut State, i: usize, path: &[u8]) -> u8 {
    if st.execs[i].plus {
        let x = &mut st.execs[i];
        let next = x.len + path.len() + 1;
        if x.files.len() >= 4 && next > EXEC_PLUS_MAX && !flush_plus(cx, st, i) {
            st.status = 1;
        }
        let x = &mut st.execs[i];
        x.len += path.len() + 1;
        x.files.push(path.to_vec());
        return TRUE;
    }
    let x = &st.execs[i];
    let owned: Vec<Vec<u8>> = x.argv.iter().map(|a| subst(a, path)).collect();
    let argv: Vec<&[u8]> = owned.iter().map(|a| a.as_slice()).collect();
    if x.ok {
        cx.out.flush();
        let mut m = Vec::new();
        for a in &argv {
            m.extend_from_slice(a);
            m.push(b' ');
        }
        m.push(b'?');
        let _ = sys::write_all(2, &m);
        if !sys::ask_yes() {
            return 0;
        }
    }
    if run(cx, st, &argv) {
        TRUE
    } else {
        0
    }
}

/// Runs a command, false unless it exits 0; a command that cannot run is reported (and
/// does not change find's status, as in BusyBox).
fn run(cx: &mut Cx, st: &mut State, argv: &[&[u8]]) -> bool {
    cx.out.flush();
    let env = st.env.get_or_insert_with(sys::environ);
    match spawn::run(argv, env) {
        Ok(code) => code == 0,
        Err(err) => {
            cx.err_no(argv.first().copied().unwrap_or_default(), err);
            false
        }
    }
}

fn flush_plus(cx: &mut Cx, st: &mut State, i: usize) -> bool {
    let files = std::mem::take(&mut st.execs[i].files);
    st.execs[i].len = 0;
    let x = &st.execs[i];
    let mut argv: Vec<&[u8]> = Vec::with_capacity(x.argv.len() + files.len());
    for a in &x.argv {
        if braces(a).is_some() {
            argv.extend(files.iter().map(|f| f.as_slice()));
        } else {
            argv.push(a);
        }
    }
    let argv: Vec<&[u8]> = argv.to_vec();
    run(cx, st, &argv)
}

/// `a` with every `{}` replaced by `path`.
fn subst(a: &[u8], path: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(a.len() + path.len());
    let mut rest = a;
    while let Some(i) = braces(rest) {
        v.extend_from_slice(&rest[..i]);
        v.extend_from_slice(path);
        rest = &rest[i + 2..];
    }
    v.extend_from_slice(rest);
    v
}

/// Where the first `{}` in `a` is.
fn braces(a: &[u8]) -> Option<usize> {
    a.windows(2).position(|w| w == b"{}")
}

fn count_braces(a: &[u8]) -> usize {
    a.windows(2).filter(|w| *w == b"{}").count()
}

/// `+N`/`-N`: the sign and the rest.
fn sign(a: &[u8]) -> (u8, &[u8]) {
    match a.first() {
        Some(&c @ (b'+' | b'-')) => (c, &a[1..]),
        _ => (0, a),
    }
}

fn number(cx: &Cx, s: &[u8]) -> Res<u64> {
    crate::args::parse_u64(s).ok_or_else(|| cx.fail(&[b"invalid number '", s, b"'"]))
}

fn stat_file(cx: &Cx, p: &[u8], follow: bool) -> Res<libc::stat> {
    let r = sys::cstr(p).map_or(Err(libc::EINVAL), |c| {
        crate::walk::stat_at(libc::AT_FDCWD, &c, follow)
    });
    r.map_err(|e| cx.fail_path(b"can't stat", p, e))
}

// The words of the expression language: one packed string searched by position, and the
// matching enum, instead of a comparison per word in each of two matches.
macro_rules! words {
    ($($w:ident $s:literal)*) => {
        #[derive(Clone, Copy, PartialEq, PartialOrd)]
        enum W { $($w),* }
        const NAMES: &str = concat!($($s, "\0"),*);
        const ALL: &[W] = &[$(W::$w),*];
    };
}

// Those before `Name` take no argument.
words! {
    Follow "-follow" Xdev "-xdev" Depth "-depth" And "-a" And2 "-and" Or "-o" Or2 "-or"
    Not "!" Not2 "-not" Print "-print" Print0 "-print0" Prune "-prune" Quit "-quit"
    Delete "-delete" Empty "-empty" Executable "-executable" NoUser "-nouser"
    NoGroup "-nogroup" Exec "-exec" Ok "-ok" Open "("
    Name "-name" IName "-iname" Path "-path" Wholename "-wholename" IPath "-ipath"
    Regex "-regex" IRegex "-iregex" Type "-type" Perm "-perm" MTime "-mtime" ATime "-atime"
    CTime "-ctime" MMin "-mmin" AMin "-amin" CMin "-cmin" Newer "-newer" Inum "-inum"
    Samefile "-samefile" User "-user" Group "-group" Size "-size" Links "-links"
    MinDepth "-mindepth" MaxDepth "-maxdepth"
}

fn word(arg: &[u8]) -> Option<W> {
    let i = NAMES.as_bytes().split(|&c| c == 0).position(|n| n == arg)?;
    ALL.get(i).copied()
}

fn parse<'a>(cx: &Cx, st: &mut State<'a>, mut argv: &[&'a [u8]]) -> Res<Expr> {
    let mut expr: Expr = vec![Vec::new()];
    let mut invert = false;
    while let Some(&arg) = argv.first() {
        let Some(w) = word(arg) else {
            cx.err(&[b"unrecognized: ", arg]);
            return Err(cx.usage());
        };
        let mut t = None;
        if w < W::Name {
            match w {
                W::Follow => st.follow = Follow::Always,
                W::Xdev => st.xdev = true,
                W::Depth => st.depth_first = true,
                W::And | W::And2 => {}
                W::Or | W::Or2 => expr.push(Vec::new()),
                W::Not | W::Not2 => invert = !invert,
                W::Print | W::Print0 => {
                    st.need_print = false;
                    t = Some(if w == W::Print { Test::Print } else { Test::Print0 });
                }
                W::Prune => t = Some(Test::Prune),
                W::Quit => t = Some(Test::Quit),
                W::Delete => {
                    st.need_print = false;
                    st.depth_first = true;
                    t = Some(Test::Delete);
                }
                W::Empty => t = Some(Test::Empty),
                W::Executable => t = Some(Test::Executable),
                W::NoUser => t = Some(Test::NoUser),
                W::NoGroup => t = Some(Test::NoGroup),
                W::Exec | W::Ok => {
                    st.need_print = false;
                    let mut n = 1;
                    loop {
                        match argv.get(n) {
                            None => {
                                return Err(cx.fail(&[b"-exec requires an argument"]));
                            }
                            Some(&(b";" | b"+")) => break,
                            _ => n += 1,
                        }
                    }
                    let plus = argv[n] == b"+";
                    let cmd = &argv[1..n];
                    if cmd.is_empty() {
                        return Err(cx.fail(&[arg, b" requires an argument"]));
                    }
                    if plus && cmd.iter().map(|a| count_braces(a)).sum::<usize>() != 1 {
                        return Err(cx.fail(&[b"only one '{}' allowed for -exec +"]));
                    }
                    st.execs.push(Exec {
                        argv: cmd.to_vec(),
                        plus,
                        ok: w == W::Ok,
                        files: Vec::new(),
                        len: 0,
                    });
                    t = Some(Test::Exec(st.execs.len() - 1));
                    argv = &argv[n..];
                }
                _ => {
                    // "(": up to its matching ")".
                    let mut nested = 1;
                    let mut end = 1;
                    loop {
                        match argv.get(end) {
                            None => return Err(cx.fail(&[b"unpaired '('"])),
                            Some(&b"(") => nested += 1,
                            Some(&b")") => {
                                nested -= 1;
                                if nested == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        end += 1;
                    }
                    t = Some(Test::Paren(parse(cx, st, &argv[1..end])?));
                    argv = &argv[end..];
                }
            }
            argv = argv.get(1..).unwrap_or_default();
        } else {
            let Some(&v) = argv.get(1) else {
                return Err(cx.fail(&[arg, b" requires an argument"]));
            };
            argv = argv.get(2..).unwrap_or_default();
            t = Some(match w {
                W::Name | W::IName | W::Path | W::Wholename | W::IPath => {
                    let i = w == W::IName || w == W::IPath;
                    // -path and its forms follow -name's in the word list: they match the whole path.
                    Test::Glob(if i { v.to_ascii_lowercase() } else { v.to_vec() }, i, w >= W::Path)
                }
                W::Regex | W::IRegex => {
                    let f = if w == W::IRegex { Flags::ICASE } else { Flags::NONE };
                    // The whole path must match, from its first byte to its last.
                    match regex::compile(v, f | Flags::NOSUB | Flags::WHOLE) {
                        Ok(re) => Test::Regex(Box::new(re)),
                        Err(m) => {
                            return Err(cx.fail(&[b"bad regex '", v, b"': ", m.as_bytes()]));
                        }
                    }
                }
                W::Type => {
                    let m = match v {
                        b"b" => libc::S_IFBLK,
                        b"c" => libc::S_IFCHR,
                        b"d" => libc::S_IFDIR,
                        b"p" => libc::S_IFIFO,
                        b"f" => libc::S_IFREG,
                        b"l" => libc::S_IFLNK,
                        b"s" => libc::S_IFSOCK,
                        _ => return Err(cx.fail(&[b"invalid argument '", v, b"' to '-type'"])),
                    };
                    Test::Type(m)
                }
                W::Perm => {
                    let c = v.first().copied().unwrap_or(0);
                    let m = if c == b'/' { &v[1..] } else { sign(v).1 };
                    match mode::parse(m, 0, mode::umask()) {
                        Some(p) => Test::Perm(c, p),
                        None => return Err(cx.fail(&[b"invalid mode '", m, b"'"])),
                    }
                }
                W::MTime | W::ATime | W::CTime | W::MMin | W::AMin | W::CMin => {
                    let (c, n) = sign(v);
                    let n = number(cx, n)?;
                    // 0 m, 1 a, 2 c: the order of the words above.
                    let (which, unit) = if w >= W::MMin {
                        (w as u8 - W::MMin as u8, 60)
                    } else {
                        (w as u8 - W::MTime as u8, 86400)
                    };
                    let secs = i64::try_from(n).unwrap_or(i64::MAX).saturating_mul(unit);
                    Test::Time(which, c, secs, unit)
                }
                // Newer than the file: a later mtime.
                W::Newer => Test::Num(F_MTIME, b'+', time_key(stat_file(cx, v, true)?.st_mtime)),
                W::Inum => Test::Num(F_INUM, 0, number(cx, v)?),
                W::Samefile => {
                    // As BusyBox: the named file itself, unless every link is followed.
                    let s = stat_file(cx, v, st.follow == Follow::Always)?;
                    Test::Samefile(s.st_dev, s.st_ino)
                }
                W::User | W::Group => {
                    let u = w == W::User;
                    let id = crate::args::parse_u64(v).and_then(|n| u32::try_from(n).ok());
                    match id.or_else(|| if u { st.users.uid(v) } else { st.users.gid(v) }) {
                        Some(n) => Test::Num(if u { F_UID } else { F_GID }, 0, n as u64),
                        None => {
                            let m: &[u8] = if u { b"unknown user " } else { b"unknown group " };
                            return Err(cx.fail(&[m, v]));
                        }
                    }
                }
                W::Size => {
                    let (c, n) = sign(v);
                    let (digits, mul) = match n.last() {
                        Some(b'c') => (&n[..n.len() - 1], 1),
                        Some(b'w') => (&n[..n.len() - 1], 2),
                        Some(b'b') => (&n[..n.len() - 1], 512),
                        Some(b'k') => (&n[..n.len() - 1], 1024),
                        _ => (n, 512),
                    };
                    let size = crate::args::parse_u64(digits)
                        .and_then(|d| d.checked_mul(mul))
                        .ok_or_else(|| cx.fail(&[b"invalid number '", n, b"'"]))?;
                    Test::Num(F_SIZE, c, size)
                }
                W::Links => {
                    let (c, n) = sign(v);
                    Test::Num(F_LINKS, c, number(cx, n)?)
                }
                _ => {
                    // -mindepth, -maxdepth: options, not tests.
                    let n = usize::try_from(number(cx, v)?).unwrap_or(usize::MAX);
                    if w == W::MinDepth {
                        st.mindepth = n;
                    } else {
                        st.maxdepth = n;
                    }
                    continue;
                }
            });
        }
        if let Some(t) = t {
            if let Some(g) = expr.last_mut() {
                g.push(Action { t, invert });
            }
            invert = false;
        }
    }
    Ok::<Expr, Fail>(expr)
}
