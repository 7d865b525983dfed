//! applet: du
//! usage: du [-aHLdclsxhmk] [FILE]...
//! Summarize disk space used for FILEs (or directories)
//!
//! -a  Show file sizes too
//! -b  Apparent size (including holes)
//! -L  Follow all symlinks
//! -H  Follow symlinks on command line
//! -d N  Limit output to directories (and files with -a) of depth < N
//! -c  Show grand total
//! -l  Count sizes many times if hard linked
//! -s  Display only a total for each argument
//! -x  Skip directories on different filesystems
//! -h  Sizes in human readable format (e.g., 1K 243M 2G)
//! -m  Sizes in megabytes
//! -k  Sizes in kilobytes (default)

use crate::walk::{Act, Entry, Follow, Kind, Walker};
use crate::{human, inodes::Inodes, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

struct Du {
    all: bool,
    bytes: bool,
    hardlinks: bool,
    xdev: bool,
    unit: u64,
    max_depth: usize,
    seen: Inodes,
    /// Per directory being walked: its running sum, and whether it could be read.
    sums: Vec<(u64, bool)>,
    root_dev: u64,
    total: u64,
    status: i32,
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "aHkLsxd:lchmb", &[])?;
    let mut max_depth = usize::MAX;
    // -s and -d N: the later one counts.
    match o.last_of(b"sd") {
        Some(b's') => max_depth = 0,
        Some(_) => {
            let v = o.val(b'd').unwrap_or_default();
            max_depth = usize::try_from(cx.num_u64(v)?).unwrap_or(usize::MAX);
        }
        None => {}
    }
    let mut unit = if crate::sys::getenv(c"POSIXLY_CORRECT").is_some() {
        512
    } else {
        1024
    };
    if o.has(b'b') {
        unit = 1;
    }
    match o.last_of(b"hkm") {
        Some(b'h') => unit = 0,
        Some(b'm') => unit = 1024 * 1024,
        Some(_) => unit = 1024,
        None => {}
    }
    // -H and -L: the later one counts. Unlike BusyBox 1.35, -H stays -H below a followed
    // root symlink (BusyBox turns it into -L there).
    let mut follow = match o.last_of(b"HL") {
        Some(b'L') => Follow::Always,
        Some(_) => Follow::Roots,
        None => Follow::Never,
    };
    let mut paths: Vec<&[u8]> = o.args.iter().map(|a| a.as_bytes()).collect();
    if paths.is_empty() {
        paths.push(b".");
        if follow == Follow::Roots {
            follow = Follow::Never;
        }
    }
    let mut du = Du {
        all: o.has(b'a'),
        bytes: o.has(b'b'),
        hardlinks: o.has(b'l'),
        xdev: o.has(b'x'),
        unit,
        max_depth,
        seen: Inodes::new(),
        sums: Vec::new(),
        root_dev: 0,
        total: 0,
        status: 0,
    };
    let mut w = Walker::new(follow);
    for p in paths {
        du.sums.clear();
        w.walk(p, &mut |e| du.visit(cx, e));
    }
    if o.has(b'c') {
        du.print(cx, du.total, b"total");
    }
    Ok(du.status)
}

impl Du {
    fn print(&self, cx: &mut Cx, mut size: u64, name: &[u8]) {
        // BusyBox rounds a fixed unit up (a 1025k file is 2 with -m), with 512-byte blocks
        // in mind; -h rounds to nearest.
        if self.unit != 0 {
            size = size.saturating_add((self.unit - 1) / 1024);
        }
        let block = if self.bytes { 1 } else { 512 };
        cx.out.write(human::human(size, block, self.unit).as_bytes());
        cx.out.byte(b'\t');
        cx.out.line(name);
    }

    /// A message (after stdout, which BusyBox flushes first, so `2>&1` keeps the order);
    /// the exit status becomes 1.
    fn warn(&mut self, cx: &mut Cx, what: &[u8], err: i32) {
        cx.out.flush();
        cx.err_no(what, err);
        self.status = 1;
    }

    /// Adds `n` to the directory the entry is in (or to the grand total at a root).
    fn add(&mut self, n: u64) {
        match self.sums.last_mut() {
            Some(s) => s.0 += n,
            None => self.total += n,
        }
    }

    /// The entry's own size, None when it is not counted (another device, a hard link
    /// already counted, a stat error).
    fn own(&mut self, cx: &mut Cx, e: &mut Entry) -> Option<u64> {
        if e.dangling {
            self.warn(cx, e.path, libc::ENOENT);
            return None;
        }
        let st = match e.stat() {
            Ok(s) => *s,
            Err(err) => {
                self.warn(cx, e.path, err);
                return None;
            }
        };
        if self.xdev {
            if e.depth == 0 {
                self.root_dev = st.st_dev;
            } else if st.st_dev != self.root_dev {
                return None;
            }
        }
        if !self.hardlinks && st.st_nlink > 1 && self.seen.insert(st.st_dev, st.st_ino, 0).is_some() {
            return None;
        }
        Some(if self.bytes {
            st.st_size as u64
        } else {
            st.st_blocks as u64
        })
    }

    fn visit(&mut self, cx: &mut Cx, e: &mut Entry) -> Act {
        match e.kind {
            Kind::File => {
                if let Some(n) = self.own(cx, e) {
                    if (self.all || e.depth == 0) && e.depth <= self.max_depth {
                        self.print(cx, n, e.path);
                    }
                    self.add(n);
                }
            }
            Kind::Pre => match self.own(cx, e) {
                Some(n) => self.sums.push((n, true)),
                None => return Act::Skip,
            },
            Kind::OpenErr => {
                self.warn(cx, &[b"can't open '", e.path, b"'"].concat(), e.err);
                if let Some(s) = self.sums.last_mut() {
                    s.1 = false;
                }
            }
            Kind::Post => {
                let (n, ok) = self.sums.pop().unwrap_or((0, true));
                // An unreadable directory counts for its parent but is not shown.
                if ok && e.depth <= self.max_depth {
                    self.print(cx, n, e.path);
                }
                self.add(n);
            }
            Kind::StatErr => {
                self.warn(cx, e.path, e.err);
            }
            Kind::ReadErr => {}
            Kind::Loop => {
                // Without -l the ancestor is a directory already counted, which BusyBox
                // skips without a word; with -l BusyBox would descend until the path is
                // too long: rbox names the loop.
                if self.hardlinks {
                    cx.out.flush();
                    crate::walk::report_loop(cx, e);
                    self.status = 1;
                }
            }
        }
        Act::Continue
    }
}
