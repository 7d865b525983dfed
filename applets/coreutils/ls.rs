//! applet: ls
//! dir: bin
//! usage: ls [-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...
//! List directory contents
//!
//! -1  One column output
//! -a  Include names starting with .
//! -A  Like -a, but exclude . and ..
//! -x  List by lines
//! -d  List directory names, not contents
//! -L  Follow symlinks
//! -H  Follow symlinks on command line
//! -R  Recurse
//! -p  Append / to directory names
//! -F  Append indicator (one of */=@|) to names
//! -l  Long format
//! -i  List inode numbers
//! -n  List numeric UIDs and GIDs instead of names
//! -s  List allocated blocks
//! -lc  List ctime
//! -lu  List atime
//! --full-time  List full date/time
//! -h  Human readable sizes (1K 243M 2G)
//! --group-directories-first
//! -S  Sort by size
//! -X  Sort by extension
//! -v  Sort by version
//! -t  Sort by mtime
//! -tc  Sort by ctime
//! -tu  Sort by atime
//! -r  Reverse sort order
//! -w N  Format N columns wide
//! --color[={always,never,auto}]

// BusyBox 1.35's ls, option for option. Also accepted as BusyBox does: -C (columns, the
// default on a terminal), -g (-l without the owner), -k (ignored), -Q (quote names) and
// -T N (ignored). Beyond BusyBox 1.35, because users type them (the project's issue names
// them): -e (older BusyBox's "full date and time", as --full-time) and -o (GNU's -l without
// the group); --help keeps BusyBox's text, so usage output compares equal. Not accepted,
// as in BusyBox 1.35: -q, -f, -U and friends.

use crate::human::human;
use crate::time;
use crate::users::Users;
use crate::walk::stat_at;
use crate::{sys, Cx, Res};
use std::cmp::Ordering;
use std::ffi::{CStr, OsStr};
use std::os::unix::ffi::OsStrExt;

// Option bits.
const O_COLS: u32 = 1 << 0; // -C
const O_ALL: u32 = 1 << 1; // -a
const O_DIR: u32 = 1 << 2; // -d
const O_INO: u32 = 1 << 3; // -i
const O_ONE: u32 = 1 << 4; // -1
const O_LONG: u32 = 1 << 5; // -l
const O_NOOWN: u32 = 1 << 6; // -g
const O_NUM: u32 = 1 << 7; // -n
const O_BLK: u32 = 1 << 8; // -s
const O_ROWS: u32 = 1 << 9; // -x
const O_ALMOST: u32 = 1 << 10; // -A
const O_CLASS: u32 = 1 << 11; // -F
const O_SLASH: u32 = 1 << 12; // -p
const O_REC: u32 = 1 << 13; // -R
const O_QUOTE: u32 = 1 << 14; // -Q
const O_CTIME: u32 = 1 << 15; // -c
const O_TSORT: u32 = 1 << 16; // -t
const O_ATIME: u32 = 1 << 17; // -u
const O_SSORT: u32 = 1 << 18; // -S
const O_XSORT: u32 = 1 << 19; // -X
const O_REV: u32 = 1 << 20; // -r
const O_VSORT: u32 = 1 << 21; // -v
const O_DEREF: u32 = 1 << 22; // -L
const O_CMDL: u32 = 1 << 23; // -H
const O_HUMAN: u32 = 1 << 24; // -h
const O_FULL: u32 = 1 << 25; // --full-time
const O_DIRS1: u32 = 1 << 26; // --group-directories-first
const O_NOGRP: u32 = 1 << 27; // -o

const S_IFMT: u32 = 0o170000;
const S_IFDIR: u32 = 0o040000;
const S_IFLNK: u32 = 0o120000;
const S_IFREG: u32 = 0o100000;
const S_IFCHR: u32 = 0o020000;
const S_IFBLK: u32 = 0o060000;

fn is_dir(mode: u32) -> bool {
    mode & S_IFMT == S_IFDIR
}

/// What getopt32's complementary rules do when option `c` is seen: the bits it sets (its
/// own and those it implies) and the bits it clears (its exclusive partners); the later
/// option wins, so `-lC` lists in columns and `-Cl` is long.
fn rule(c: u8) -> (u32, u32) {
    match c {
        b'C' => (O_COLS, O_ROWS | O_LONG | O_ONE),
        b'x' => (O_ROWS, O_COLS | O_LONG | O_ONE),
        b'l' => (O_LONG, O_ROWS | O_COLS),
        b'1' => (O_ONE, O_COLS | O_ROWS),
        b'n' => (O_NUM | O_LONG, 0),
        b'g' => (O_NOOWN | O_LONG, 0),
        b'o' => (O_NOGRP | O_LONG, 0),
        1 | b'e' => (O_FULL | O_LONG, 0),
        b't' => (O_TSORT, O_SSORT),
        b'S' => (O_SSORT, O_TSORT),
        b'L' => (O_DEREF, O_CMDL),
        b'H' => (O_CMDL, O_DEREF),
        b'c' => (O_CTIME, O_ATIME),
        b'u' => (O_ATIME, O_CTIME),
        b'a' => (O_ALL, 0),
        b'd' => (O_DIR, 0),
        b'i' => (O_INO, 0),
        b's' => (O_BLK, 0),
        b'A' => (O_ALMOST, 0),
        b'F' => (O_CLASS, 0),
        b'p' => (O_SLASH, 0),
        b'R' => (O_REC, 0),
        b'Q' => (O_QUOTE, 0),
        b'X' => (O_XSORT, 0),
        b'r' => (O_REV, 0),
        b'v' => (O_VSORT, 0),
        b'h' => (O_HUMAN, 0),
        2 => (O_DIRS1, 0),
        _ => (0, 0), // -k, -T, -w, --color
    }
}

/// A file and what ls shows of its stat.
#[derive(Clone, Copy)]
struct Node {
    /// The name's place in its listing's arena.
    at: u32,
    len: u32,
    mode: u32,
    /// The mode from lstat / from stat when that is the one we did, else 0 (BusyBox's
    /// dn_mode_lstat / dn_mode_stat: the other is looked up only when needed).
    lmode: u32,
    smode: u32,
    uid: u32,
    gid: u32,
    size: i64,
    blocks: i64,
    time: i64,
    ino: u64,
    nlink: u64,
    rdev: u64,
}

/// The files of one directory (names relative to `dir`), or the command-line operands
/// (`dir` None, names as given).
struct Listing {
    dir: Option<Vec<u8>>,
    arena: Vec<u8>,
    nodes: Vec<Node>,
}

impl Listing {
    fn new(dir: Option<Vec<u8>>) -> Listing {
        Listing {
            dir,
            arena: Vec::new(),
            nodes: Vec::new(),
        }
    }

    fn name(&self, n: &Node) -> &[u8] {
        self.arena
            .get(n.at as usize..(n.at + n.len) as usize)
            .unwrap_or_default()
    }

    /// The path to use for system calls and messages.
    fn path(&self, n: &Node, out: &mut Vec<u8>) {
        join(self.dir.as_deref(), self.name(n), out);
    }

    fn push(&mut self, name: &[u8], st: &libc::stat, followed: bool, f: u32) {
        let at = self.arena.len() as u32;
        self.arena.extend_from_slice(name);
        let mode = st.st_mode;
        self.nodes.push(Node {
            at,
            len: name.len() as u32,
            mode,
            lmode: if followed { 0 } else { mode },
            smode: if followed { mode } else { 0 },
            uid: st.st_uid,
            gid: st.st_gid,
            size: st.st_size,
            blocks: st.st_blocks,
            time: if f & O_CTIME != 0 {
                st.st_ctime
            } else if f & O_ATIME != 0 {
                st.st_atime
            } else {
                st.st_mtime
            },
            ino: st.st_ino,
            #[allow(clippy::unnecessary_cast)] // u32 on aarch64
            nlink: st.st_nlink as u64,
            rdev: st.st_rdev,
        });
    }
}


fn stat_path(path: &[u8], follow: bool) -> Result<libc::stat, i32> {
    let c = sys::cstr(path).ok_or(libc::ENOENT)?;
    stat_at(libc::AT_FDCWD, &c, follow)
}

/// An open directory stream, closed when dropped.
struct Dir(*mut libc::DIR);

impl Drop for Dir {
    fn drop(&mut self) {
        // SAFETY: the stream came from opendir and is closed only here.
        unsafe { libc::closedir(self.0) };
    }
}

struct Ls<'a> {
    cx: &'a mut Cx,
    f: u32,
    width: u32,
    color: bool,
    unicode: bool,
    show_dirname: bool,
    now: i64,
    users: Users,
    status: i32,
    /// Scratch buffers: a path, a formatted entry, a printable name.
    path: Vec<u8>,
    buf: Vec<u8>,
    name: Vec<u8>,
    sort_tmp: Vec<Node>,
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "Cadi1lgnsxAkFpRQctuSXrvLHheoT:w:\x01\x02\x03::",
        &[
            ("full-time", 1),
            ("group-directories-first", 2),
            ("color", 3),
        ],
    )?;
    let mut f = 0u32;
    let mut width = (sys::term_cols(0) as u32).saturating_sub(1);
    let mut color_arg: Option<&[u8]> = None;
    let mut color_given = false;
    for &(c, v) in &o.seen {
        let (on, off) = rule(c);
        f = (f & !off) | on;
        match (c, v) {
            (b'w', Some(v)) => {
                // BusyBox's xatoi_positive: decimal digits making an unsigned int, then
                // a range check up to INT_MAX.
                let n = cx.num_u64(v)?;
                if n > u32::MAX as u64 {
                    return Err(cx.fail(&[b"invalid number '", v.as_bytes(), b"'"]));
                }
                if n > i32::MAX as u64 {
                    let mut d = [0; 20];
                    let n = crate::cx::fmt_u64(n, &mut d);
                    return Err(cx.fail(&[b"number ", n, b" is not in 0..2147483647 range"]));
                }
                width = n as u32;
            }
            (3, v) => {
                color_given = true;
                if let Some(v) = v {
                    color_arg = Some(v.as_bytes());
                }
            }
            _ => {}
        }
    }
    // --color alone means "always"; an unknown word leaves the default (off) alone.
    let color = color_given
        && match color_arg.unwrap_or(b"always") {
            [b'n', ..] => false,
            b"always" | b"yes" | b"force" => true,
            b"auto" | b"tty" | b"if-tty" => sys::isatty(1),
            _ => false,
        };
    if f & O_DIR != 0 {
        f &= !O_REC;
    }
    // Without -l, -c and -u sort by that time (with -l they only pick the time shown).
    if f & O_LONG == 0 && f & (O_CTIME | O_ATIME) != 0 {
        f |= O_TSORT;
    }
    if f & (O_LONG | O_ONE | O_ROWS | O_COLS) == 0 {
        f |= if sys::isatty(1) { O_COLS } else { O_ONE };
    }
    let dot: [&OsStr; 1] = [OsStr::new(".")];
    let operands: &[&OsStr] = if o.args.is_empty() { &dot } else { &o.args };

    let mut ls = Ls {
        cx,
        f,
        width,
        color,
        unicode: unicode_locale(),
        show_dirname: operands.len() > 1,
        now: time::now(),
        users: Users::new(),
        status: 0,
        path: Vec::new(),
        buf: Vec::new(),
        name: Vec::new(),
        sort_tmp: Vec::new(),
    };
    ls.run(operands);
    Ok(ls.status)
}

/// BusyBox's own Unicode check: the first of LC_ALL, LC_CTYPE and LANG that is set names a
/// UTF-8 locale (".utf"/".UTF" in it). Without it, every byte outside ASCII prints as '?'.
fn unicode_locale() -> bool {
    [c"LC_ALL", c"LC_CTYPE", c"LANG"]
        .iter()
        .find_map(|v| crate::sys::getenv(v))
        .is_some_and(|v| {
            v.windows(4)
                .any(|w| w == b".utf" || w == b".UTF")
        })
}

impl Ls<'_> {
    fn run(&mut self, operands: &[&OsStr]) {
        let f = self.f;
        // Operands are followed unless -l, -s or -F asks about the link itself (-H, -L:
        // always).
        let follow = f & (O_DEREF | O_CMDL) != 0 || f & (O_LONG | O_BLK | O_CLASS) == 0;
        let mut ops = Listing::new(None);
        for a in operands {
            let a = a.as_bytes();
            match stat_path(a, follow) {
                Ok(st) => ops.push(a, &st, follow, f),
                Err(e) => self.fail_no(a, e),
            }
        }
        if ops.nodes.is_empty() {
            return;
        }
        let mut nodes = std::mem::take(&mut ops.nodes);
        if f & O_DIR != 0 {
            self.sort(&ops, &mut nodes);
            self.display(&ops, &nodes);
            return;
        }
        let (mut dirs, mut files): (Vec<Node>, Vec<Node>) =
            nodes.into_iter().partition(|n| is_dir(n.mode));
        if !files.is_empty() {
            self.sort(&ops, &mut files);
            self.display(&ops, &files);
        }
        if !dirs.is_empty() {
            self.sort(&ops, &mut dirs);
            self.show_dirs(&ops, &dirs, files.is_empty());
        }
    }

    fn fail_no(&mut self, what: &[u8], errno: i32) {
        self.cx.err_no(what, errno);
        self.status = 1;
    }

    /// Lists each directory in `dirs` (nodes of `parent`), and their subdirectories with -R.
    fn show_dirs(&mut self, parent: &Listing, dirs: &[Node], mut first: bool) {
        for d in dirs {
            let mut path = Vec::new();
            parent.path(d, &mut path);
            if self.show_dirname || self.f & O_REC != 0 {
                if !first {
                    self.cx.out.byte(b'\n');
                }
                first = false;
                self.cx.out.write(&path);
                self.cx.out.write(b":\n");
            }
            let mut sub = self.scan(path);
            if self.f & (O_BLK | O_LONG) != 0 {
                // st_blocks counts 512-byte units; the total is in KiB, rounded up.
                let blocks = sub.nodes.iter().fold(1u64, |a, n| a.wrapping_add(n.blocks as u64));
                let total = blocks >> 1;
                self.cx.out.write(b"total ");
                if self.f & O_HUMAN != 0 {
                    let h = human(total.wrapping_mul(1024), 0, 0);
                    self.cx.out.write(&h);
                    pad(&mut self.cx.out, 7usize.saturating_sub(h.len()));
                } else {
                    self.cx.out.num(total);
                }
                self.cx.out.byte(b'\n');
            }
            if sub.nodes.is_empty() {
                continue;
            }
            let mut nodes = std::mem::take(&mut sub.nodes);
            self.sort(&sub, &mut nodes);
            self.display(&sub, &nodes);
            if self.f & O_REC != 0 {
                let subdirs: Vec<Node> = nodes
                    .iter()
                    .filter(|n| is_dir(n.mode) && !matches!(sub.name(n), b"." | b".."))
                    .copied()
                    .collect();
                if !subdirs.is_empty() {
                    self.show_dirs(&sub, &subdirs, false);
                }
            }
        }
    }

    /// Reads and stats the entries of directory `path` (errors reported, status 1).
    fn scan(&mut self, path: Vec<u8>) -> Listing {
        let mut l = Listing::new(None);
        let dir = sys::cstr(&path).map_or(std::ptr::null_mut(), |c| {
            // SAFETY: c is a valid C string.
            unsafe { libc::opendir(c.as_ptr()) }
        });
        if dir.is_null() {
            self.cx.err_open(OsStr::from_bytes(&path), sys::errno());
            self.status = 1;
            l.dir = Some(path);
            return l;
        }
        let dir = Dir(dir);
        l.dir = Some(path);
        // SAFETY: dir.0 is an open stream.
        let fd = unsafe { libc::dirfd(dir.0) };
        let (all, almost) = (self.f & O_ALL != 0, self.f & O_ALMOST != 0);
        let follow = self.f & O_DEREF != 0;
        loop {
            // SAFETY: dir.0 is open; the entry stays valid until the next readdir.
            let ent = unsafe { libc::readdir(dir.0) };
            if ent.is_null() {
                break;
            }
            // SAFETY: d_name is NUL-terminated.
            let cname = unsafe { CStr::from_ptr((*ent).d_name.as_ptr()) };
            let name = cname.to_bytes();
            if name.first() == Some(&b'.') {
                if !all && !almost {
                    continue;
                }
                if !all && matches!(name, b"." | b"..") {
                    continue;
                }
            }
            match stat_at(fd, cname, follow) {
                Ok(st) => l.push(name, &st, follow, self.f),
                Err(e) => {
                    let mut p = std::mem::take(&mut self.path);
                    join(l.dir.as_deref(), name, &mut p);
                    self.fail_no(&p, e);
                    self.path = p;
                }
            }
        }
        l
    }

    fn sort(&mut self, l: &Listing, nodes: &mut [Node]) {
        let f = self.f;
        let cmp = |a: &Node, b: &Node| -> Ordering {
            let (na, nb) = (l.name(a), l.name(b));
            let mut d = Ordering::Equal;
            if f & O_DIRS1 != 0 {
                d = is_dir(b.mode).cmp(&is_dir(a.mode));
            }
            if d == Ordering::Equal {
                d = if f & O_SSORT != 0 {
                    b.size.cmp(&a.size)
                } else if f & O_TSORT != 0 {
                    b.time.cmp(&a.time)
                } else if f & O_VSORT != 0 {
                    verscmp(na, nb)
                } else if f & O_XSORT != 0 {
                    ext(na).cmp(ext(nb))
                } else {
                    Ordering::Equal
                };
                if d == Ordering::Equal {
                    d = na.cmp(nb);
                }
            }
            if f & O_REV != 0 {
                d.reverse()
            } else {
                d
            }
        };
        msort(nodes, &mut self.sort_tmp, &cmp);
    }

    /// Prints `nodes` one per line or in columns (BusyBox's display_files: every column as
    /// wide as the widest name plus two, as many columns as fit in the width).
    fn display(&mut self, l: &Listing, nodes: &[Node]) {
        let f = self.f;
        let n = nodes.len();
        let mut colw: u32 = 0;
        let mut ncols: usize = 1;
        if f & (O_LONG | O_ONE) == 0 {
            for nd in nodes {
                colw = colw.max(self.name_width(l.name(nd)) as u32);
            }
            colw += 2 + if f & O_INO != 0 { 8 } else { 0 } + if f & O_BLK != 0 { 5 } else { 0 };
            ncols = (self.width / colw) as usize;
        }
        let nrows = if ncols > 1 {
            n.div_ceil(ncols)
        } else {
            ncols = 1;
            n
        };
        for row in 0..nrows {
            // Columns are padded as C's printf("%*s", nexttab - column) with unsigned
            // arithmetic: an entry wider than its column pushes the next one right.
            let (mut column, mut nexttab) = (0u32, 0u32);
            for c in 0..ncols {
                let i = if f & O_ROWS != 0 {
                    row * ncols + c
                } else {
                    c * nrows + row
                };
                let Some(nd) = nodes.get(i) else { continue };
                if column > 0 {
                    nexttab = nexttab.wrapping_sub(column);
                    pad(&mut self.cx.out, (nexttab as i32).unsigned_abs() as usize);
                    column = column.wrapping_add(nexttab);
                }
                nexttab = column.wrapping_add(colw);
                column = column.wrapping_add(self.single(l, nd));
            }
            self.cx.out.byte(b'\n');
        }
    }

    /// Prints one entry (no newline); returns the columns it used.
    fn single(&mut self, l: &Listing, nd: &Node) -> u32 {
        let f = self.f;
        let mut b = std::mem::take(&mut self.buf);
        b.clear();
        let mut target = None;
        if f & O_LONG != 0 && nd.mode & S_IFMT == S_IFLNK {
            // Read the link first, so an error does not land inside the line.
            l.path(nd, &mut self.path);
            match crate::paths::readlink(&self.path) {
                Ok(t) => target = Some(t),
                Err(e) => self.cx.err_no(&self.path, e),
            }
        }
        if f & O_INO != 0 {
            rjust_num(&mut b, nd.ino, 7);
            b.push(b' ');
        }
        if f & O_BLK != 0 {
            rjust_num(&mut b, (nd.blocks >> 1) as u64, 6);
            b.push(b' ');
        }
        if f & O_LONG != 0 {
            self.long_fields(nd, &mut b);
        }
        let mut column = b.len() as u32;
        self.cx.out.write(&b);
        self.buf = b;

        let mut append = self.append_char(nd.mode);
        if self.color {
            let mut mode = nd.lmode;
            if mode == 0 {
                l.path(nd, &mut self.path);
                mode = stat_path(&self.path, false).map_or(0, |s| s.st_mode);
            }
            self.color_on(mode);
        }
        column += self.put_name(l.name(nd));
        if self.color {
            self.cx.out.write(b"\x1b[m");
        }
        if let Some(t) = target {
            self.cx.out.write(b" -> ");
            if f & (O_CLASS | O_SLASH) != 0 || self.color {
                let mut mode = nd.smode;
                if mode == 0 {
                    l.path(nd, &mut self.path);
                    mode = stat_path(&self.path, true).map_or(0, |s| s.st_mode);
                }
                append = self.append_char(mode);
                if self.color {
                    self.color_on(mode);
                }
            }
            column += self.put_name(&t) + 4;
            if self.color {
                self.cx.out.write(b"\x1b[m");
            }
        }
        if let Some(c) = append {
            self.cx.out.byte(c);
            column += 1;
        }
        column
    }

    /// The -l fields: mode, links, owner, group, size or device, date (each with a space).
    fn long_fields(&mut self, nd: &Node, b: &mut Vec<u8>) {
        let f = self.f;
        mode_string(nd.mode, b);
        b.push(b' ');
        rjust_num(b, nd.nlink, 4);
        b.push(b' ');
        if f & O_NUM != 0 {
            if f & O_NOOWN == 0 {
                ljust_num(b, nd.uid as u64, 8);
                b.push(b' ');
            }
            if f & O_NOGRP == 0 {
                ljust_num(b, nd.gid as u64, 8);
                b.push(b' ');
            }
        } else {
            if f & O_NOOWN == 0 {
                self.id_name(b, nd.uid, true);
            }
            if f & O_NOGRP == 0 {
                self.id_name(b, nd.gid, false);
            }
        }
        let t = nd.mode & S_IFMT;
        if t == S_IFBLK || t == S_IFCHR {
            // glibc's gnu_dev_major/minor
            let dev = nd.rdev;
            let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
            let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
            rjust_num(b, major & 0xffff_ffff, 4);
            b.extend_from_slice(b", ");
            rjust_num(b, minor & 0xffff_ffff, 3);
        } else if f & O_HUMAN != 0 {
            let h = human(nd.size as u64, 1, 0);
            b.resize(b.len() + 7usize.saturating_sub(h.len()), b' ');
            b.extend_from_slice(&h);
        } else {
            rjust_num(b, nd.size as u64, 9);
        }
        b.push(b' ');
        match time::local(nd.time) {
            Some(tm) if f & O_FULL != 0 => tm.iso(b),
            Some(tm) => tm.ls_date(nd.time, self.now, b),
            // A time the C library cannot convert (BusyBox would crash on ctime's NULL).
            None => {
                let mut d = [0u8; 20];
                let s = crate::cx::fmt_u64(nd.time.unsigned_abs(), &mut d);
                b.extend_from_slice(s);
            }
        }
        b.push(b' ');
    }

    /// An owner or group column: the name (or the number when there is none), cut or padded
    /// to 8 bytes, then a space (printf's "%-8.8s ").
    fn id_name(&mut self, b: &mut Vec<u8>, id: u32, user: bool) {
        let mut d = [0u8; 20];
        let name = if user {
            self.users.user_name(id)
        } else {
            self.users.group_name(id)
        };
        let s = match name {
            Some(n) => n,
            None => crate::cx::fmt_u64(id as u64, &mut d),
        };
        let s = s.get(..8).unwrap_or(s);
        b.extend_from_slice(s);
        b.resize(b.len() + 8 - s.len(), b' ');
        b.push(b' ');
    }

    /// -F/-p's indicator for a file of `mode`.
    fn append_char(&self, mode: u32) -> Option<u8> {
        if self.f & (O_CLASS | O_SLASH) == 0 {
            return None;
        }
        if is_dir(mode) {
            return Some(b'/');
        }
        if self.f & O_CLASS == 0 {
            return None;
        }
        if mode & S_IFMT == S_IFREG && mode & 0o111 != 0 {
            return Some(b'*');
        }
        match (mode >> 12) & 15 {
            1 => Some(b'|'),
            10 => Some(b'@'),
            12 => Some(b'='),
            _ => None,
        }
    }

    /// BusyBox's fixed colours: "ESC[attr;colorm" by file type, 0 for an unknown mode.
    fn color_on(&mut self, mode: u32) {
        // By type index (mode >> 12), 15 standing for an executable file.
        const FG: [u8; 16] = [31, 35, 35, 37, 34, 37, 35, 35, 0, 37, 36, 37, 35, 37, 37, 32];
        const ATTR: [u8; 16] = [1, 0, 1, 7, 1, 7, 1, 7, 0, 7, 1, 7, 1, 7, 7, 1];
        let t = if mode & S_IFMT == S_IFREG && mode & 0o111 != 0 {
            15
        } else {
            ((mode >> 12) & 15) as usize
        };
        let out = &mut self.cx.out;
        out.write(b"\x1b[");
        out.num(ATTR[t] as u64);
        out.byte(b';');
        out.num(FG[t] as u64);
        out.byte(b'm');
    }

    /// The columns `name` takes when printed (with -Q's quotes and backslashes).
    fn name_width(&mut self, name: &[u8]) -> usize {
        if self.f & O_QUOTE == 0 && name.iter().all(|c| (0x20..0x7f).contains(c)) {
            return name.len();
        }
        let mut p = std::mem::take(&mut self.name);
        let w = printable(name, self.unicode, &mut p);
        self.name = p;
        if self.f & O_QUOTE != 0 {
            2 + w + self.name.iter().filter(|&&c| c == b'"' || c == b'\\').count()
        } else {
            w
        }
    }

    /// Prints `name` made printable (and quoted with -Q); returns its width.
    fn put_name(&mut self, name: &[u8]) -> u32 {
        let quote = self.f & O_QUOTE != 0;
        if !quote && name.iter().all(|c| (0x20..0x7f).contains(c)) {
            self.cx.out.write(name);
            return name.len() as u32;
        }
        let mut p = std::mem::take(&mut self.name);
        let mut w = printable(name, self.unicode, &mut p);
        if quote {
            w += 2;
            self.cx.out.byte(b'"');
            for &c in &p {
                if c == b'"' || c == b'\\' {
                    self.cx.out.byte(b'\\');
                    w += 1;
                }
                self.cx.out.byte(c);
            }
            self.cx.out.byte(b'"');
        } else {
            self.cx.out.write(&p);
        }
        self.name = p;
        w as u32
    }
}

/// `dir/name` into `out` (BusyBox's concat_path_file: no second slash after one that ends
/// `dir`); just `name` without a dir.
fn join(dir: Option<&[u8]>, name: &[u8], out: &mut Vec<u8>) {
    out.clear();
    if let Some(d) = dir {
        out.extend_from_slice(d);
        if d.last() != Some(&b'/') {
            out.push(b'/');
        }
    }
    out.extend_from_slice(name);
}

/// `name` as BusyBox's printable_string shows it, into `out`; returns its width. Outside a
/// UTF-8 locale every byte below 0x20 or above 0x7e becomes '?'. In one, characters are
/// decoded as BusyBox's own decoder does: a malformed sequence, a control character, or a
/// character above U+02FF (BusyBox's default CONFIG_LAST_SUPPORTED_WCHAR=767) becomes one
/// '?'; the rest are kept (re-encoded, so an overlong form comes out short).
fn printable(name: &[u8], unicode: bool, out: &mut Vec<u8>) -> usize {
    out.clear();
    if !unicode {
        out.extend(
            name.iter()
                .map(|&c| if (0x20..0x7f).contains(&c) { c } else { b'?' }),
        );
        return out.len();
    }
    let mut width = 0;
    let mut i = 0;
    while let Some(&c) = name.get(i) {
        i += 1;
        width += 1;
        let wc: u32 = if c < 0x80 {
            c as u32
        } else {
            // Leading one bits give the length (at most 6); a lone continuation byte, a
            // missing continuation (not consumed) or an overlong ASCII value is an error.
            let len = (c.leading_ones() as usize).min(6);
            if len == 1 {
                out.push(b'?');
                continue;
            }
            let mut v = (c & (0xff >> len)) as u32;
            let mut ok = true;
            for _ in 1..len {
                match name.get(i) {
                    Some(&n) if n & 0xc0 == 0x80 => {
                        v = (v << 6).wrapping_add((n & 0x3f) as u32);
                        i += 1;
                    }
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok || v <= 0x7f {
                out.push(b'?');
                continue;
            }
            v
        };
        // Controls (C0, DEL, C1) and anything past U+02FF print as '?'.
        if (wc & !0x80) < 0x20 || wc == 0x7f || wc > 0x2ff {
            out.push(b'?');
        } else if wc < 0x80 {
            out.push(wc as u8);
        } else {
            out.push(0xc0 | (wc >> 6) as u8);
            out.push(0x80 | (wc & 0x3f) as u8);
        }
    }
    width
}

/// `-rwxr-xr-x`: bb_mode_string.
fn mode_string(mode: u32, b: &mut Vec<u8>) {
    b.push(b"?pc?d?b?-?l?s???"[((mode >> 12) & 15) as usize]);
    for (shift, special, lower, upper) in [
        (6, 0o4000, b's', b'S'),
        (3, 0o2000, b's', b'S'),
        (0, 0o1000, b't', b'T'),
    ] {
        let m = mode >> shift;
        b.push(if m & 4 != 0 { b'r' } else { b'-' });
        b.push(if m & 2 != 0 { b'w' } else { b'-' });
        b.push(match (m & 1 != 0, mode & special != 0) {
            (true, false) => b'x',
            (false, false) => b'-',
            (true, true) => lower,
            (false, true) => upper,
        });
    }
}

/// Pads with `n` spaces.
fn pad(out: &mut crate::cx::Out, n: usize) {
    const SP: [u8; 64] = [b' '; 64];
    let mut n = n;
    while n > 0 {
        let k = n.min(SP.len());
        out.write(&SP[..k]);
        n -= k;
    }
}

/// `n` right-aligned in `w` columns (printf "%*llu").
fn rjust_num(b: &mut Vec<u8>, n: u64, w: usize) {
    let mut d = [0u8; 20];
    let s = crate::cx::fmt_u64(n, &mut d);
    b.resize(b.len() + w.saturating_sub(s.len()), b' ');
    b.extend_from_slice(s);
}

/// `n` left-aligned in `w` columns (printf "%-*u").
fn ljust_num(b: &mut Vec<u8>, n: u64, w: usize) {
    let mut d = [0u8; 20];
    let s = crate::cx::fmt_u64(n, &mut d);
    b.extend_from_slice(s);
    b.resize(b.len() + w.saturating_sub(s.len()), b' ');
}

/// -X's key: the name from its first dot (empty when there is none).
fn ext(name: &[u8]) -> &[u8] {
    let i = crate::bytes::memchr(b'.', name).unwrap_or(name.len());
    &name[i..]
}

/// glibc's strverscmp (what BusyBox's -v uses): digit runs compare as numbers, except that
/// a run with leading zeros counts as a fraction ("a001" < "a01" < "a1").
fn verscmp(a: &[u8], b: &[u8]) -> Ordering {
    // Character classes: 0 other, 1 non-zero digit, 2 zero.
    fn class(c: u8) -> usize {
        match c {
            b'0' => 2,
            b'1'..=b'9' => 1,
            _ => 0,
        }
    }
    // States (multiples of 3, plus a class): plain text, integer part, fraction, leading
    // zeros.
    const TXT: usize = 0;
    const INT: usize = 3;
    const FRAC: usize = 6;
    const ZERO: usize = 9;
    const NEXT: [usize; 12] = [TXT, INT, ZERO, TXT, INT, INT, TXT, FRAC, FRAC, TXT, FRAC, ZERO];
    // What to do at the first difference, by state+class of a's byte (rows) and class of
    // b's byte: compare the bytes (C), compare digit-run lengths (L), or a fixed answer.
    const C: i8 = 2;
    const L: i8 = 3;
    #[rustfmt::skip]
    const RESULT: [i8; 36] = [
        C, C, C,   C, L, C,   C, C, C,
        C, -1, -1, 1, L, L,   1, L, L,
        C, C, C,   C, C, C,   C, C, C,
        C, 1, 1,   -1, C, C,  -1, C, C,
    ];
    let at = |s: &[u8], i: usize| s.get(i).copied().unwrap_or(0);
    let mut i = 0;
    let (mut c1, mut c2) = (at(a, 0), at(b, 0));
    let mut state = TXT + class(c1);
    while c1 == c2 {
        if c1 == 0 {
            return Ordering::Equal;
        }
        state = NEXT[state];
        i += 1;
        c1 = at(a, i);
        c2 = at(b, i);
        state += class(c1);
    }
    let diff = c1.cmp(&c2);
    match RESULT[state * 3 + class(c2)] {
        C => diff,
        L => {
            let mut j = i + 1;
            while at(a, j).is_ascii_digit() {
                if !at(b, j).is_ascii_digit() {
                    return Ordering::Greater;
                }
                j += 1;
            }
            if at(b, j).is_ascii_digit() {
                Ordering::Less
            } else {
                diff
            }
        }
        r => r.cmp(&0),
    }
}

/// A stable merge sort that cannot panic whatever `cmp` answers (std's sorts may panic on
/// an inconsistent order, and strverscmp is not a strict one).
fn msort(v: &mut [Node], tmp: &mut Vec<Node>, cmp: &dyn Fn(&Node, &Node) -> Ordering) {
    let n = v.len();
    if n <= 12 {
        for i in 1..n {
            let mut j = i;
            while j > 0 && cmp(&v[j - 1], &v[j]) == Ordering::Greater {
                v.swap(j - 1, j);
                j -= 1;
            }
        }
        return;
    }
    let mid = n / 2;
    msort(&mut v[..mid], tmp, cmp);
    msort(&mut v[mid..], tmp, cmp);
    if cmp(&v[mid - 1], &v[mid]) != Ordering::Greater {
        return;
    }
    tmp.clear();
    tmp.extend_from_slice(&v[..mid]);
    let (mut i, mut j, mut k) = (0, mid, 0);
    while i < tmp.len() && j < n {
        if cmp(&v[j], &tmp[i]) == Ordering::Less {
            v[k] = v[j];
            j += 1;
        } else {
            v[k] = tmp[i];
            i += 1;
        }
        k += 1;
    }
    while i < tmp.len() {
        v[k] = tmp[i];
        i += 1;
        k += 1;
    }
}
