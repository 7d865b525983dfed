//! applet: patch
//! usage: patch [-RNEfts] [-p N] [-i DIFF] [-d DIR] [-o OUT] [-F N] [-b] [-z SUFFIX] [ORIGFILE [PATCHFILE]]
//!
//! -p N  Strip N leading components from file names
//! -i DIFF  Read DIFF instead of stdin
//! -R  Reverse patch
//! -N  Ignore already applied patches
//! -E  Remove output files if they become empty
//! -d DIR  Change to DIR first
//! -o OUT  Write the result to OUT
//! -F N  Maximum fuzz (default 2)
//! -f  Don't ask, don't look for reversed patches
//! -t  Don't ask; assume -R for reversed patches
//! -s  Quiet
//! -b  Back up the original as FILE.orig
//! -z SUFFIX  Backup suffix
//! --dry-run  Don't actually change files
//! --no-backup-if-mismatch  No backup when a hunk applies with fuzz or offset

// GNU patch's behaviour (its messages, offsets and fuzz search, reversed-patch detection,
// rejects, a .orig backup on a mismatch) with rbox's safety: a name with `..` or an
// absolute name is refused, the target is reached by openat() one component at a time
// with O_NOFOLLOW (a symlink in the tree is never followed), and each file is written to
// a temporary name beside it and renamed into place only when all of it is written.

use crate::{Cx, Res};
use std::ffi::{CString, OsStr};
use std::os::unix::ffi::OsStrExt;

#[derive(Clone, Copy, PartialEq, Debug)]
enum K {
    Ctx,
    Del,
    Add,
}

/// One hunk: its lines (kind, text with its newline unless the file had none).
struct Hunk<'a> {
    old_start: usize,
    old_len: usize,
    new_start: usize,
    new_len: usize,
    lines: Vec<(K, &'a [u8])>,
    /// The hunk's lines as they stood in the patch, for the .rej file (a context diff's
    /// whole hunk), and what followed the `@@ ... @@` of a unified one.
    raw: &'a [u8],
    tail: Option<&'a [u8]>,
}

impl Hunk<'_> {
    fn first(&self) -> usize {
        if self.old_len == 0 {
            self.old_start + 1
        } else {
            self.old_start
        }
    }
    fn reverse(&mut self) {
        std::mem::swap(&mut self.old_start, &mut self.new_start);
        std::mem::swap(&mut self.old_len, &mut self.new_len);
        for l in &mut self.lines {
            l.0 = match l.0 {
                K::Del => K::Add,
                K::Add => K::Del,
                K::Ctx => K::Ctx,
            };
        }
        // Deleted lines must come before added ones in each run.
        let mut i = 0;
        while i < self.lines.len() {
            if self.lines[i].0 == K::Ctx {
                i += 1;
                continue;
            }
            let s = i;
            while i < self.lines.len() && self.lines[i].0 != K::Ctx {
                i += 1;
            }
            self.lines[s..i].sort_by_key(|l| l.0 == K::Add);
        }
    }
    fn context(&self) -> (usize, usize) {
        let pre = self.lines.iter().take_while(|l| l.0 == K::Ctx).count();
        let suf = self.lines.iter().rev().take_while(|l| l.0 == K::Ctx).count();
        if pre == self.lines.len() {
            (pre, 0)
        } else {
            (pre, suf)
        }
    }
}

#[derive(Default)]
struct FilePatch<'a> {
    old: Option<Vec<u8>>,
    new: Option<Vec<u8>>,
    hunks: Vec<Hunk<'a>>,
    /// The `---`/`+++` lines, for the .rej file.
    head: Vec<u8>,
    /// What followed each name on those lines (the timestamps).
    head_rest: [Vec<u8>; 2],
    /// The text leading up to the hunks, for `can't find file to patch`.
    lead: Vec<u8>,
    lead_line: usize,
    git: bool,
    created: bool,
    deleted: bool,
    rename: bool,
    mode: Option<u32>,
    context_fmt: bool,
}

/// The patch text as lines.
struct Src<'a> {
    text: &'a [u8],
    lines: Vec<&'a [u8]>,
    pos: usize,
}

impl<'a> Src<'a> {
    fn peek(&self, k: usize) -> Option<&'a [u8]> {
        self.lines.get(self.pos + k).copied()
    }
    /// The patch text from line `from` up to the current line: the lines are consecutive
    /// slices of one buffer.
    fn span(&self, from: usize) -> &'a [u8] {
        match (self.lines.get(from), self.pos.checked_sub(1).and_then(|e| self.lines.get(e))) {
            (Some(a), Some(b)) if from < self.pos => {
                let base = self.text.as_ptr() as usize;
                let (s, e) = (a.as_ptr() as usize - base, b.as_ptr() as usize - base + b.len());
                self.text.get(s..e).unwrap_or_default()
            }
            _ => b"",
        }
    }
}

fn unquote(s: &[u8]) -> Vec<u8> {
    // git's C-style quoted names: "a\tb", octal escapes.
    let Some(inner) = s.strip_prefix(b"\"") else { return s.to_vec() };
    let mut out = Vec::new();
    let mut i = 0;
    while i < inner.len() {
        let c = inner[i];
        i += 1;
        if c == b'"' {
            break;
        }
        if c != b'\\' {
            out.push(c);
            continue;
        }
        let Some(&e) = inner.get(i) else { break };
        i += 1;
        match e {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = (e - b'0') as u32;
                for _ in 0..2 {
                    if let Some(&d @ b'0'..=b'7') = inner.get(i) {
                        v = v * 8 + (d - b'0') as u32;
                        i += 1;
                    }
                }
                out.push(v as u8);
            }
            _ => out.push(e),
        }
    }
    out
}

/// The name on a `---`/`+++`/`***` line: up to a tab (the timestamp), else the line.
fn header_name(rest: &[u8]) -> Vec<u8> {
    let rest = rest.strip_suffix(b"\n").unwrap_or(rest);
    let rest = rest.strip_suffix(b"\r").unwrap_or(rest);
    if rest.first() == Some(&b'"') {
        return unquote(rest);
    }
    let end = rest.iter().position(|&c| c == b'\t').unwrap_or(rest.len());
    let mut n = &rest[..end];
    while let Some(x) = n.strip_suffix(b" ") {
        n = x;
    }
    n.to_vec()
}

fn num(s: &[u8], i: &mut usize) -> Option<usize> {
    let st = *i;
    let mut v: usize = 0;
    while let Some(&c @ b'0'..=b'9') = s.get(*i) {
        v = v.checked_mul(10)?.checked_add((c - b'0') as usize)?;
        *i += 1;
    }
    (*i > st).then_some(v)
}

/// `@@ -a[,b] +c[,d] @@`
fn unified_head(l: &[u8]) -> Option<(usize, usize, usize, usize)> {
    let mut i = 4;
    if !l.starts_with(b"@@ -") {
        return None;
    }
    let a = num(l, &mut i)?;
    let b = if l.get(i) == Some(&b',') {
        i += 1;
        num(l, &mut i)?
    } else {
        1
    };
    if l.get(i..i + 2) != Some(b" +") {
        return None;
    }
    i += 2;
    let c = num(l, &mut i)?;
    let d = if l.get(i) == Some(&b',') {
        i += 1;
        num(l, &mut i)?
    } else {
        1
    };
    Some((a, b, c, d))
}

fn parse_unified<'a>(src: &mut Src<'a>, fp: &mut FilePatch<'a>) -> Result<(), usize> {
    while let Some(l) = src.peek(0) {
        let Some((a, b, c, d)) = unified_head(l) else { break };
        let tail = l.get(4..).and_then(|r| r.windows(2).position(|w| w == b"@@").map(|i| &r[i + 2..]));
        // One allocation a hunk: with musl's allocator a vector growing through the size
        // classes mapped and unmapped a page group for about every fifth hunk.
        let lines = Vec::with_capacity(b.saturating_add(d).min(1024));
        let mut h = Hunk { old_start: a, old_len: b, new_start: c, new_len: d, lines, raw: b"", tail: Some(tail.unwrap_or(b"\n")) };
        src.pos += 1;
        let first = src.pos;
        let (mut o, mut n) = (0, 0);
        while o < b || n < d {
            let Some(l) = src.peek(0) else { return Err(src.pos) };
            let (k, text) = match l.first() {
                Some(b' ') => (K::Ctx, &l[1..]),
                Some(b'\n') => (K::Ctx, l),
                Some(b'-') => (K::Del, &l[1..]),
                Some(b'+') => (K::Add, &l[1..]),
                Some(b'\\') => {
                    src.pos += 1;
                    if let Some(last) = h.lines.last_mut() {
                        if let Some(t) = last.1.strip_suffix(b"\n") {
                            last.1 = t;
                        }
                    }
                    continue;
                }
                _ => return Err(src.pos + 1),
            };
            if k != K::Add {
                o += 1;
            }
            if k != K::Del {
                n += 1;
            }
            if o > b || n > d {
                return Err(src.pos + 1);
            }
            h.lines.push((k, text));
            src.pos += 1;
        }
        if let Some(l) = src.peek(0) {
            if l.starts_with(b"\\") {
                src.pos += 1;
                if let Some(last) = h.lines.last_mut() {
                    if let Some(t) = last.1.strip_suffix(b"\n") {
                        last.1 = t;
                    }
                }
            }
        }
        h.raw = src.span(first);
        fp.hunks.push(h);
    }
    Ok(())
}

/// `*** a,b ****` or `--- a,b ----`: (start, end)
fn ctx_range(l: &[u8], lead: &[u8]) -> Option<(usize, usize)> {
    let mut i = lead.len();
    if !l.starts_with(lead) {
        return None;
    }
    let a = num(l, &mut i)?;
    let b = if l.get(i) == Some(&b',') {
        i += 1;
        num(l, &mut i)?
    } else {
        a
    };
    Some((a, b))
}

fn parse_context<'a>(src: &mut Src<'a>, fp: &mut FilePatch<'a>) -> Result<(), usize> {
    while src.peek(0).is_some_and(|l| l.starts_with(b"***************")) {
        let first = src.pos;
        src.pos += 1;
        let l = src.peek(0).ok_or(src.pos)?;
        let (oa, ob) = ctx_range(l, b"*** ").ok_or(src.pos + 1)?;
        src.pos += 1;
        let olen = if oa == 0 && ob == 0 { 0 } else { ob + 1 - oa.min(ob + 1) };
        let mut old: Vec<(u8, &[u8])> = Vec::new();
        while let Some(l) = src.peek(0) {
            if l.starts_with(b"--- ") && ctx_range(l, b"--- ").is_some() {
                break;
            }
            if l.starts_with(b"\\") {
                if let Some(x) = old.last_mut() {
                    if let Some(t) = x.1.strip_suffix(b"\n") {
                        x.1 = t;
                    }
                }
            } else if l.len() >= 2 && b" -!+".contains(&l[0]) && (l[1] == b' ' || l[1] == b'\t') {
                old.push((l[0], &l[2..]));
            } else {
                return Err(src.pos + 1);
            }
            src.pos += 1;
        }
        let l = src.peek(0).ok_or(src.pos)?;
        let (na, nb) = ctx_range(l, b"--- ").ok_or(src.pos + 1)?;
        src.pos += 1;
        let nlen = if na == 0 && nb == 0 { 0 } else { nb + 1 - na.min(nb + 1) };
        let mut new: Vec<(u8, &[u8])> = Vec::new();
        while let Some(l) = src.peek(0) {
            if l.starts_with(b"\\") {
                if let Some(x) = new.last_mut() {
                    if let Some(t) = x.1.strip_suffix(b"\n") {
                        x.1 = t;
                    }
                }
            } else if l.len() >= 2 && b" -!+".contains(&l[0]) && (l[1] == b' ' || l[1] == b'\t') && new.len() < nlen {
                new.push((l[0], &l[2..]));
            } else {
                break;
            }
            src.pos += 1;
        }
        // An omitted side is the other's context.
        if old.is_empty() && olen > 0 {
            old = new.iter().filter(|x| x.0 == b' ').cloned().collect();
        }
        if new.is_empty() && nlen > 0 {
            new = old.iter().filter(|x| x.0 == b' ').cloned().collect();
        }
        let mut lines = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < old.len() || j < new.len() {
            if i < old.len() && old[i].0 != b' ' {
                lines.push((K::Del, old[i].1));
                i += 1;
            } else if j < new.len() && new[j].0 != b' ' {
                lines.push((K::Add, new[j].1));
                j += 1;
            } else if i < old.len() {
                lines.push((K::Ctx, old[i].1));
                i += 1;
                j += 1;
            } else {
                return Err(src.pos);
            }
        }
        fp.hunks.push(Hunk {
            old_start: if olen == 0 { oa } else { oa },
            old_len: olen,
            new_start: na,
            new_len: nlen,
            lines,
            raw: src.span(first),
            tail: None,
        });
        // unified's convention for an empty side: the line before it.
        if let Some(h) = fp.hunks.last_mut() {
            if h.old_len == 0 && h.old_start > 0 && oa == ob && oa != 0 {
                h.old_start = oa;
            }
        }
    }
    Ok(())
}

/// Every file's patch in the text; Err(line) for a malformed hunk.
fn parse(text: &[u8]) -> Result<Vec<FilePatch<'_>>, usize> {
    let lines: Vec<&[u8]> = text.split_inclusive(|&c| c == b'\n').collect();
    let mut src = Src { text, lines, pos: 0 };
    let mut out = Vec::new();
    let mut lead_start = 0;
    let mut fp = FilePatch::default();
    while let Some(l) = src.peek(0) {
        if l.starts_with(b"diff --git ") {
            if fp.git && fp.hunks.is_empty() && (fp.rename || fp.mode.is_some() || fp.created || fp.deleted) {
                out.push(std::mem::take(&mut fp));
            }
            fp = FilePatch { git: true, ..Default::default() };
            lead_start = src.pos;
            // The names from `diff --git a/X b/Y` (used when no ---/+++ follow).
            let rest = header_name(&l[11..]);
            if let Some(sp) = rest.windows(3).position(|w| w == b" b/") {
                fp.old = Some(rest[..sp].to_vec());
                fp.new = Some(rest[sp + 1..].to_vec());
            }
            src.pos += 1;
            while let Some(x) = src.peek(0) {
                let v = header_name(x);
                if let Some(r) = x.strip_prefix(b"new file mode ") {
                    fp.created = true;
                    fp.mode = mode_of(r);
                } else if let Some(r) = x.strip_prefix(b"deleted file mode ") {
                    fp.deleted = true;
                    let _ = r;
                } else if let Some(r) = x.strip_prefix(b"new mode ") {
                    fp.mode = mode_of(r);
                } else if x.starts_with(b"old mode ") || x.starts_with(b"index ") || x.starts_with(b"similarity index") || x.starts_with(b"dissimilarity index") {
                } else if x.starts_with(b"rename from ") || x.starts_with(b"copy from ") {
                    let n = v.splitn(3, |&c| c == b' ').nth(2).unwrap_or_default();
                    fp.old = Some([b"a/", n].concat());
                    fp.rename = x.starts_with(b"rename");
                } else if x.starts_with(b"rename to ") || x.starts_with(b"copy to ") {
                    let n = v.splitn(3, |&c| c == b' ').nth(2).unwrap_or_default();
                    fp.new = Some([b"b/", n].concat());
                } else {
                    break;
                }
                src.pos += 1;
            }
            if !src.peek(0).is_some_and(|x| x.starts_with(b"--- ")) {
                continue;
            }
        }
        let l = src.peek(0).unwrap_or_default();
        let next = src.peek(1).unwrap_or_default();
        let third = src.peek(2).unwrap_or_default();
        let uni = l.starts_with(b"--- ") && next.starts_with(b"+++ ") && unified_head(third).is_some();
        let ctx = l.starts_with(b"*** ") && next.starts_with(b"--- ") && third.starts_with(b"***************");
        if !uni && !ctx {
            src.pos += 1;
            continue;
        }
        if !fp.git {
            fp = FilePatch::default();
        }
        fp.lead = src.lines[lead_start..src.pos + 2].concat();
        fp.lead_line = src.pos + 3;
        fp.head = [l, next].concat();
        for (k, x) in [l, next].into_iter().enumerate() {
            let r = x.get(4..).unwrap_or_default();
            fp.head_rest[k] = match r.iter().position(|&c| c == b'\t') {
                Some(t) if r.first() != Some(&b'"') => r[t..].to_vec(),
                _ => b"\n".to_vec(),
            };
        }
        let on = header_name(&l[4..]);
        let nn = header_name(&next[4..]);
        if on == b"/dev/null" {
            fp.created = true;
        } else {
            fp.old = Some(on);
        }
        if nn == b"/dev/null" {
            fp.deleted = true;
        } else {
            fp.new = Some(nn);
        }
        src.pos += 2;
        if uni {
            parse_unified(&mut src, &mut fp)?;
        } else {
            fp.context_fmt = true;
            parse_context(&mut src, &mut fp)?;
        }
        out.push(std::mem::take(&mut fp));
        lead_start = src.pos;
    }
    if fp.git && (fp.rename || fp.mode.is_some() || fp.created || fp.deleted) {
        out.push(fp);
    }
    Ok(out)
}

fn mode_of(r: &[u8]) -> Option<u32> {
    let r = r.strip_suffix(b"\n").unwrap_or(r);
    let mut v: u32 = 0;
    for &c in r {
        if !(b'0'..=b'7').contains(&c) {
            return None;
        }
        v = v.checked_mul(8)?.checked_add((c - b'0') as u32)?;
    }
    Some(v & 0o7777)
}

/// Strips `p` leading components (None: all but the last, as GNU without -p).
fn strip(name: &[u8], p: Option<usize>) -> Option<Vec<u8>> {
    match p {
        None => Some(name.rsplit(|&c| c == b'/').next().unwrap_or_default().to_vec()),
        Some(n) => {
            let mut rest = name;
            for _ in 0..n {
                let i = rest.iter().position(|&c| c == b'/')?;
                rest = &rest[i + 1..];
                while let Some(r) = rest.strip_prefix(b"/") {
                    rest = r;
                }
            }
            Some(rest.to_vec())
        }
    }
}

fn dangerous(name: &[u8]) -> bool {
    name.first() == Some(&b'/') || name.split(|&c| c == b'/').any(|c| c == b"..")
}

/// Opens the directory holding `path` below `base` one component at a time, never
/// following a symlink; `create` makes missing directories. (dir fd, last component).
fn open_parent(base: i32, path: &[u8], create: bool) -> Result<(i32, Vec<u8>), i32> {
    let comps: Vec<&[u8]> = path.split(|&c| c == b'/').filter(|c| !c.is_empty() && *c != b".").collect();
    let Some((last, dirs)) = comps.split_last() else { return Err(libc::EINVAL) };
    let mut fd = if base == libc::AT_FDCWD {
        unsafe { libc::open(c".".as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC) }
    } else {
        unsafe { libc::dup(base) }
    };
    if fd < 0 {
        return Err(crate::sys::errno());
    }
    for d in dirs {
        let c = CString::new(*d).map_err(|_| libc::EINVAL)?;
        let mut n = unsafe { libc::openat(fd, c.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC) };
        if n < 0 && create && crate::sys::errno() == libc::ENOENT {
            unsafe { libc::mkdirat(fd, c.as_ptr(), 0o777) };
            n = unsafe { libc::openat(fd, c.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC) };
        }
        let e = crate::sys::errno();
        unsafe { libc::close(fd) };
        if n < 0 {
            return Err(if e == libc::ENOTDIR { libc::ELOOP } else { e });
        }
        fd = n;
    }
    Ok((fd, last.to_vec()))
}

struct Fd(i32);
impl Drop for Fd {
    fn drop(&mut self) {
        if self.0 >= 0 {
            unsafe { libc::close(self.0) };
        }
    }
}

fn read_at(dir: i32, name: &CString) -> Result<(Vec<u8>, libc::stat), i32> {
    let fd = unsafe { libc::openat(dir, name.as_ptr(), libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK) };
    if fd < 0 {
        return Err(crate::sys::errno());
    }
    let f = Fd(fd);
    let st = crate::paths::fstat(f.0)?;
    if st.st_mode & libc::S_IFMT != libc::S_IFREG {
        return Err(libc::EINVAL);
    }
    let mut data = Vec::with_capacity((st.st_size.max(0) as usize).saturating_add(4096));
    crate::sys::read_to_end(f.0, &mut data)?;
    Ok((data, st))
}

/// Writes `data` to a temporary beside `name` in `dir`, then renames it over `name`. No
/// fsync (as GNU patch, sed -i, cp): the rename keeps an error from leaving half a file,
/// and waiting for the disk cost a 10 MB patch 4x its time.
fn write_at(dir: i32, name: &[u8], data: &[u8], mode: u32) -> Result<(), i32> {
    let mut tmp = b".".to_vec();
    tmp.extend_from_slice(name);
    tmp.extend_from_slice(b".rbox-patch-");
    let pid = unsafe { libc::getpid() } as u64;
    let mut b = [0u8; 20];
    tmp.extend_from_slice(crate::cx::fmt_u64(pid, &mut b));
    let ct = CString::new(tmp).map_err(|_| libc::EINVAL)?;
    let cn = CString::new(name).map_err(|_| libc::EINVAL)?;
    let fd = unsafe { libc::openat(dir, ct.as_ptr(), libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_CLOEXEC, 0o600) };
    if fd < 0 {
        return Err(crate::sys::errno());
    }
    let f = Fd(fd);
    let mut r = crate::sys::write_all(f.0, data);
    if r.is_ok() && unsafe { libc::fchmod(f.0, mode & 0o7777) } < 0 {
        r = Err(crate::sys::errno());
    }
    drop(f);
    if r.is_ok() && unsafe { libc::renameat(dir, ct.as_ptr(), dir, cn.as_ptr()) } < 0 {
        r = Err(crate::sys::errno());
    }
    if r.is_err() {
        unsafe { libc::unlinkat(dir, ct.as_ptr(), 0) };
    }
    r
}

struct Opts {
    strip: Option<usize>,
    reverse: bool,
    forward: bool,
    remove_empty: bool,
    /// -o: every patched file's text goes there, one after another (`-`: stdout).
    out: Option<Vec<u8>>,
    dry: bool,
    silent: bool,
    force: bool,
    batch: bool,
    backup: bool,
    suffix: Vec<u8>,
    fuzz: usize,
    mismatch_backup: bool,
}

fn lines_of(data: &[u8]) -> Vec<&[u8]> {
    data.split_inclusive(|&c| c == b'\n').collect()
}

// Exact, newline included: a line marked "\ No newline" matches only a last line.
fn same_line(a: &[u8], b: &[u8]) -> bool {
    a == b
}

/// Whether the hunk's old lines match at `at` (0-based), skipping `pf`/`sf` context lines.
fn matches(h: &Hunk, file: &[&[u8]], at: usize, pf: usize, sf: usize) -> bool {
    let old = || h.lines.iter().filter(|l| l.0 != K::Add).map(|l| l.1);
    let n = old().count();
    if at + n > file.len() {
        return false;
    }
    let end = n.saturating_sub(sf);
    old().enumerate().take(end).skip(pf).all(|(k, l)| same_line(l, file[at + k]))
}

/// GNU's locate_hunk: where (0-based) the hunk applies with this fuzz, near `guess`.
fn locate(h: &Hunk, file: &[&[u8]], guess: isize, frozen: usize, fuzz: usize) -> Option<usize> {
    let pat = h.lines.iter().filter(|l| l.0 != K::Add).count();
    let (pre, suf) = h.context();
    let context = pre.max(suf) as isize;
    let pf = fuzz as isize + pre as isize - context;
    let sf = fuzz as isize + suf as isize - context;
    let n = file.len() as isize;
    let guess = guess.max(0);
    if pf < 0 && h.first() <= 1 {
        // Only the start of the file will do.
        if sf < 0 && pat as isize != n {
            return None;
        }
        return (frozen == 0 && matches(h, file, 0, 0, sf.max(0) as usize)).then_some(0);
    }
    let pf = pf.max(0) as usize;
    if sf < 0 {
        let at = n - pat as isize;
        return (at >= frozen as isize && matches(h, file, at as usize, pf, 0)).then_some(at as usize);
    }
    let sf = sf as usize;
    let max_pos = n - guess - pat as isize;
    let max_neg = guess - frozen as isize;
    let mut off = 0isize;
    while off <= max_pos || off <= max_neg {
        if off <= max_pos && matches(h, file, (guess + off) as usize, pf, sf) {
            return Some((guess + off) as usize);
        }
        if off > 0 && off <= max_neg && matches(h, file, (guess - off) as usize, pf, sf) {
            return Some((guess - off) as usize);
        }
        off += 1;
    }
    None
}

fn say(cx: &mut Cx, o: &Opts, parts: &[&[u8]]) {
    if !o.silent {
        shout(cx, o, parts);
    }
}

/// What GNU prints even with -s: questions and the rejects summary.
/// With `-o -` the patched text is standard output, so messages go to stderr (GNU).
fn shout(cx: &mut Cx, o: &Opts, parts: &[&[u8]]) {
    if o.out.as_deref() == Some(b"-") {
        let _ = crate::sys::write_all(2, &parts.concat());
        return;
    }
    for p in parts {
        cx.out.write(p);
    }
}

fn plural(n: usize) -> &'static [u8] {
    if n == 1 {
        b""
    } else {
        b"s"
    }
}

fn itoa(n: i64) -> Vec<u8> {
    let mut b = [0u8; 20];
    let mut v = Vec::new();
    if n < 0 {
        v.push(b'-');
    }
    v.extend_from_slice(crate::cx::fmt_u64(n.unsigned_abs(), &mut b));
    v
}

/// Applies the hunks to `data`: the result and which hunks failed; None if reversed
/// detection said skip (all hunks then count as ignored).
enum Outcome {
    Done(Vec<u8>, Vec<(usize, isize)>, bool),
    Skip,
}

fn apply(cx: &mut Cx, o: &Opts, fp: &mut FilePatch, data: &[u8], reversed_ok: &mut bool) -> Outcome {
    let file = lines_of(data);
    let mut out: Vec<u8> = Vec::with_capacity(data.len() + 1024);
    let mut frozen = 0usize; // lines of `file` already copied or consumed
    let mut in_off: isize = 0;
    let mut failed = Vec::new();
    let mut mismatch = false;
    let mut delta: isize = 0;
    let nh = fp.hunks.len();
    let mut k = 0;
    while k < nh {
        let guess = fp.hunks[k].first() as isize - 1 + in_off;
        let maxfuzz = {
            let (p, s) = fp.hunks[k].context();
            o.fuzz.min(p.max(s))
        };
        let mut found = None;
        for fz in 0..=maxfuzz {
            if let Some(at) = locate(&fp.hunks[k], &file, guess, frozen, fz) {
                found = Some((at, fz));
                break;
            }
            if fz == 0 && k == 0 && !o.force && *reversed_ok {
                // GNU's reversed-patch check: does the first hunk apply the other way?
                fp.hunks[k].reverse();
                let rev = locate(&fp.hunks[k], &file, guess, frozen, 0);
                fp.hunks[k].reverse();
                if rev.is_some() {
                    *reversed_ok = false;
                    let what: &[u8] = if o.reverse { b"Unreversed" } else { b"Reversed (or previously applied)" };
                    if o.forward {
                        shout(cx, o, &[what, b" patch detected!  Skipping patch.\n"]);
                        return Outcome::Skip;
                    }
                    if o.batch {
                        let assume: &[u8] = if o.reverse { b"Ignoring -R.\n" } else { b"Assuming -R.\n" };
                        shout(cx, o, &[what, b" patch detected!  ", assume]);
                        for h in fp.hunks.iter_mut() {
                            h.reverse();
                        }
                        // GNU counts an assumed -R as a mismatch (a .orig is kept).
                        return match apply(cx, o, fp, data, reversed_ok) {
                            Outcome::Done(r, f, _) => Outcome::Done(r, f, true),
                            x => x,
                        };
                    }
                    let ask: &[u8] = if o.reverse { b"Ignore -R? [n] " } else { b"Assume -R? [n] " };
                    shout(cx, o, &[what, b" patch detected!  ", ask]);
                    if yes(cx) {
                        for h in fp.hunks.iter_mut() {
                            h.reverse();
                        }
                        return match apply(cx, o, fp, data, reversed_ok) {
                            Outcome::Done(r, f, _) => Outcome::Done(r, f, true),
                            x => x,
                        };
                    }
                    shout(cx, o, &[b"Apply anyway? [n] "]);
                    if !yes(cx) {
                        say(cx, o, &[b"Skipping patch.\n"]);
                        return Outcome::Skip;
                    }
                }
            }
        }
        let h = &fp.hunks[k];
        match found {
            Some((at, fz)) => {
                put_run(&mut out, data, &file, frozen, at);
                let mut cur = at;
                for (kind, text) in &h.lines {
                    match kind {
                        K::Ctx => {
                            // The file's own line (fuzz may have let it differ).
                            if let Some(l) = file.get(cur) {
                                put(&mut out, l);
                            }
                            cur += 1;
                        }
                        K::Del => cur += 1,
                        K::Add => put(&mut out, text),
                    }
                }
                // A last context line that had no newline in the file, followed by more
                // output, needs one.
                frozen = cur;
                let out_line = at as i64 + 1 + delta as i64;
                delta += h.new_len as isize - h.old_len as isize;
                let off = at as isize - (h.first() as isize - 1);
                in_off = off;
                if fz > 0 || off != 0 {
                    mismatch = true;
                    let where_ = out_line;
                    let mut m = b"Hunk #".to_vec();
                    m.extend_from_slice(&itoa(k as i64 + 1));
                    m.extend_from_slice(b" succeeded at ");
                    m.extend_from_slice(&itoa(where_));
                    if fz > 0 {
                        m.extend_from_slice(b" with fuzz ");
                        m.extend_from_slice(&itoa(fz as i64));
                    }
                    if off != 0 {
                        m.extend_from_slice(b" (offset ");
                        m.extend_from_slice(&itoa(off as i64));
                        m.extend_from_slice(b" line");
                        // GNU: "1 line", but "-1 lines".
                        m.extend_from_slice(if off == 1 { b"" } else { b"s" });
                        m.push(b')');
                    }
                    m.extend_from_slice(b".\n");
                    say(cx, o, &[&m]);
                }
            }
            None => {
                let mut m = b"Hunk #".to_vec();
                m.extend_from_slice(&itoa(k as i64 + 1));
                m.extend_from_slice(b" FAILED at ");
                m.extend_from_slice(&itoa(h.first() as i64 + delta as i64));
                m.extend_from_slice(b".\n");
                say(cx, o, &[&m]);
                failed.push((k, delta));
            }
        }
        k += 1;
    }
    put_run(&mut out, data, &file, frozen, file.len());
    Outcome::Done(out, failed, mismatch)
}

/// GNU's questions: the answer is read from /dev/tty; without one the default (no), and
/// the prompt's line ended as GNU ends it.
fn yes(cx: &mut Cx) -> bool {
    cx.out.flush();
    let fd = unsafe { libc::open(c"/dev/tty".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
    if fd < 0 {
        cx.out.write(b"\n");
        return false;
    }
    let f = Fd(fd);
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    while let Ok(1) = crate::sys::read(f.0, &mut b) {
        if b[0] == b'\n' {
            break;
        }
        line.push(b[0]);
    }
    matches!(line.iter().find(|c| !c.is_ascii_whitespace()), Some(b'y' | b'Y'))
}

/// Appends a line; a line before it that had no newline gets one (it is no longer last).
/// Lines a..b of `file` (slices of `data`, one after another): every one but the file's
/// last ends in a newline, so past the first they go out as one copy.
fn put_run(out: &mut Vec<u8>, data: &[u8], file: &[&[u8]], a: usize, b: usize) {
    let (Some(first), Some(last)) = (file.get(a), b.checked_sub(1).and_then(|e| file.get(e))) else {
        return;
    };
    if a >= b {
        return;
    }
    put(out, first);
    let base = data.as_ptr() as usize;
    let s = first.as_ptr() as usize - base + first.len();
    let e = last.as_ptr() as usize - base + last.len();
    out.extend_from_slice(data.get(s..e).unwrap_or_default());
}

fn put(out: &mut Vec<u8>, l: &[u8]) {
    if out.last().is_some_and(|&c| c != b'\n') && !l.is_empty() {
        out.push(b'\n');
    }
    out.extend_from_slice(l);
}

fn rej_range(out: &mut Vec<u8>, start: usize, len: usize, d: isize) {
    let s = if start == 0 { 0 } else { (start as i64 + d as i64).max(0) };
    out.extend_from_slice(&itoa(s));
    if len != 1 {
        out.push(b',');
        out.extend_from_slice(&itoa(len as i64));
    }
}

struct Pt<'a> {
    o: &'a Opts,
    base: i32,
    status: i32,
    /// With -o: the patched texts and rejects so far, written once at the end.
    out_text: Vec<u8>,
    out_rej: Vec<u8>,
    out_used: bool,
}

impl Pt<'_> {
    fn rejects(&mut self, cx: &mut Cx, dir: i32, name: &[u8], fp: &FilePatch, which: &[(usize, isize)], shown: &[u8], word: &[u8]) {
        let n = fp.hunks.len();
        let mut m = itoa(which.len() as i64);
        m.extend_from_slice(b" out of ");
        m.extend_from_slice(&itoa(n as i64));
        m.extend_from_slice(b" hunk");
        m.extend_from_slice(plural(n));
        m.push(b' ');
        m.extend_from_slice(word);
        if self.o.dry {
            m.push(b'\n');
        } else {
            m.extend_from_slice(b" -- saving rejects to file ");
            m.extend_from_slice(shown);
            m.extend_from_slice(b".rej\n");
            // GNU's .rej: the stripped names, the hunks renumbered by what was applied.
            let mut rej = Vec::new();
            if fp.context_fmt {
                rej.extend_from_slice(&fp.head);
            } else {
                for (k, mark) in [(0, b"--- "), (1, b"+++ ")] {
                    let n = if k == 0 { &fp.old } else { &fp.new };
                    rej.extend_from_slice(mark);
                    match n.as_ref().and_then(|n| strip(n, self.o.strip)) {
                        Some(n) => rej.extend_from_slice(&n),
                        None => rej.extend_from_slice(b"/dev/null"),
                    }
                    rej.extend_from_slice(&fp.head_rest[k]);
                }
            }
            for &(k, d) in which {
                let Some(h) = fp.hunks.get(k) else { continue };
                if let Some(tail) = &h.tail {
                    rej.extend_from_slice(b"@@ -");
                    rej_range(&mut rej, h.old_start, h.old_len, d);
                    rej.extend_from_slice(b" +");
                    rej_range(&mut rej, h.new_start, h.new_len, d);
                    rej.extend_from_slice(b" @@");
                    rej.extend_from_slice(tail);
                    // From the hunk as applied (reversed under -R), as GNU writes it.
                    for (kind, text) in &h.lines {
                        rej.push(match kind {
                            K::Ctx => b' ',
                            K::Del => b'-',
                            K::Add => b'+',
                        });
                        rej.extend_from_slice(text);
                        if text.last() != Some(&b'\n') {
                            rej.extend_from_slice(b"\n\\ No newline at end of file\n");
                        }
                    }
                } else {
                    rej.extend_from_slice(h.raw);
                }
            }
            let rn = [name, b".rej"].concat();
            let r = match &self.o.out {
                Some(_) => {
                    self.out_rej.extend_from_slice(&rej);
                    Ok(())
                }
                None => write_at(dir, &rn, &rej, 0o644),
            };
            if let Err(e) = r {
                cx.err_no(&[b"can't write '", &rn[..], b"'"].concat(), e);
                self.status = 2;
            }
        }
        shout(cx, self.o, &[&m]);
        self.status = self.status.max(1);
    }

    /// -o: the patched texts, one after another, to OUT (relative to -d, as GNU, through a
    /// temporary renamed over it) or stdout; the rejects to OUT.rej.
    fn write_out(&mut self, cx: &mut Cx, out: &[u8]) {
        if out == b"-" {
            cx.out.write(&self.out_text);
            return;
        }
        let rej = std::mem::take(&mut self.out_rej);
        let text = std::mem::take(&mut self.out_text);
        let rname = [out, b".rej"].concat();
        for (name, data) in [(out, text), (&rname[..], rej)] {
            if data.is_empty() && name != out {
                continue;
            }
            let (dir, last) = match name.iter().rposition(|&c| c == b'/') {
                Some(0) => (&b"/"[..], name.get(1..).unwrap_or_default()),
                Some(i) => (&name[..i], name.get(i + 1..).unwrap_or_default()),
                None => (&b"."[..], name),
            };
            let fd = CString::new(dir).map_or(-1, |c| unsafe { libc::openat(self.base, c.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC) });
            let r = if fd < 0 { Err(crate::sys::errno()) } else { write_at(fd, last, &data, 0o666 & !crate::mode::umask()) };
            if fd >= 0 {
                drop(Fd(fd));
            }
            if let Err(e) = r {
                cx.err_no(&[b"can't write '", name, b"'"].concat(), e);
                self.status = 2;
            }
        }
    }

    fn one(&mut self, cx: &mut Cx, mut fp: FilePatch, forced: Option<&[u8]>) {
        let o = self.o;
        if o.reverse {
            for h in fp.hunks.iter_mut() {
                h.reverse();
            }
            std::mem::swap(&mut fp.old, &mut fp.new);
            std::mem::swap(&mut fp.created, &mut fp.deleted);
        }
        // Choose the file: the named one, else the first of old/new that exists.
        let mut cands: Vec<Vec<u8>> = Vec::new();
        for n in [&fp.old, &fp.new].into_iter().flatten() {
            if let Some(s) = strip(n, o.strip) {
                if !s.is_empty() {
                    cands.push(s);
                }
            }
        }
        if let Some(f) = forced {
            cands = vec![f.to_vec()];
        }
        let mut safe: Vec<Vec<u8>> = Vec::new();
        let mut bad: Vec<Vec<u8>> = Vec::new();
        for c in cands {
            if dangerous(&c) && forced.is_none() {
                if !bad.contains(&c) {
                    say(cx, o, &[b"Ignoring potentially dangerous file name ", &c, b"\n"]);
                    bad.push(c);
                }
            } else if !safe.contains(&c) {
                safe.push(c);
            }
        }
        let exists = |n: &[u8]| -> bool {
            match open_parent(self.base, n, false) {
                Ok((d, last)) => {
                    let d = Fd(d);
                    let c = CString::new(last).unwrap_or_default();
                    crate::walk::stat_at(d.0, &c, false).is_ok()
                }
                Err(_) => false,
            }
        };
        let creating = fp.created || fp.hunks.first().is_some_and(|h| h.old_len == 0 && h.old_start == 0);
        let target = safe
            .iter()
            .find(|n| exists(n))
            .cloned()
            .or_else(|| if creating { fp.new.as_ref().and_then(|n| strip(n, o.strip)).filter(|n| safe.contains(n)).or_else(|| safe.last().cloned()) } else { None });
        let Some(target) = target else {
            let mut m = b"can't find file to patch at input line ".to_vec();
            m.extend_from_slice(&itoa(fp.lead_line as i64));
            m.extend_from_slice(b"\nPerhaps you used the wrong -p or --strip option?\nThe text leading up to this was:\n--------------------------\n");
            for l in fp.lead.split_inclusive(|&c| c == b'\n') {
                m.push(b'|');
                m.extend_from_slice(l);
            }
            m.extend_from_slice(b"--------------------------\nNo file to patch.  Skipping patch.\n");
            say(cx, o, &[&m]);
            let n = fp.hunks.len();
            if n > 0 {
                let mut m = itoa(n as i64);
                m.extend_from_slice(b" out of ");
                m.extend_from_slice(&itoa(n as i64));
                m.extend_from_slice(b" hunk");
                m.extend_from_slice(plural(n));
                m.extend_from_slice(b" ignored\n");
                say(cx, o, &[&m]);
            }
            self.status = self.status.max(1);
            return;
        };
        let (dir, last) = match open_parent(self.base, &target, !o.dry) {
            Ok(x) => x,
            Err(e) => {
                cx.err_no(&[b"can't open '", &target[..], b"'"].concat(), e);
                self.status = 2;
                return;
            }
        };
        let dir = Fd(dir);
        let cname = CString::new(last.clone()).unwrap_or_default();
        let (data, mode, present) = match read_at(dir.0, &cname) {
            Ok((d, st)) => (d, st.st_mode & 0o7777, true),
            Err(libc::ENOENT) => (Vec::new(), 0o666 & !crate::mode::umask(), false),
            Err(e) => {
                let e = if e == libc::EINVAL { libc::ELOOP } else { e };
                cx.err_no(&[b"can't open '", &target[..], b"'"].concat(), e);
                self.status = 2;
                return;
            }
        };
        if present && fp.created && !fp.git && fp.hunks.first().is_some_and(|h| h.old_len == 0) && !data.is_empty() {
            // GNU: the patch would create a file that exists: a reversed patch.
            let mut rev = true;
            if !o.force {
                if o.batch {
                    say(cx, o, &[b"The next patch would create the file ", &target, b",\nwhich already exists!  Assuming -R.\n"]);
                    for h in fp.hunks.iter_mut() {
                        h.reverse();
                    }
                    rev = false;
                } else if o.forward {
                    say(cx, o, &[b"The next patch would create the file ", &target, b",\nwhich already exists!  Skipping patch.\n"]);
                } else {
                    say(cx, o, &[b"The next patch would create the file ", &target, b",\nwhich already exists!  Assume -R? [n] \nApply anyway? [n] \nSkipping patch.\n"]);
                }
                if rev {
                    let n = fp.hunks.len();
                    let mut m = itoa(n as i64);
                    m.extend_from_slice(b" out of ");
                    m.extend_from_slice(&itoa(n as i64));
                    m.extend_from_slice(b" hunk");
                    m.extend_from_slice(plural(n));
                    m.extend_from_slice(b" ignored\n");
                    shout(cx, o, &[&m]);
                    self.status = self.status.max(1);
                    return;
                }
            }
        }
        let mut shown = target.clone();
        let verb: &[u8] = if o.dry { b"checking file " } else { b"patching file " };
        if fp.rename && !o.reverse {
            let from = fp.old.as_ref().and_then(|n| strip(n, o.strip)).unwrap_or_default();
            let to = fp.new.as_ref().and_then(|n| strip(n, o.strip)).unwrap_or_default();
            if dangerous(&to) {
                say(cx, o, &[b"Ignoring potentially dangerous file name ", &to, b"\n"]);
                self.status = self.status.max(1);
                return;
            }
            say(cx, o, &[verb, &to, b" (renamed from ", &from, b")\n"]);
            shown = to;
        } else if let Some(out) = &o.out {
            say(cx, o, &[verb, out, b" (read from ", &target, b")\n"]);
            shown = out.clone();
        } else {
            say(cx, o, &[verb, &target, b"\n"]);
        }
        let mut rev_ok = present && !data.is_empty();
        let (result, failed, mism) = match apply(cx, o, &mut fp, &data, &mut rev_ok) {
            Outcome::Done(r, f, m) => (r, f, m),
            Outcome::Skip => {
                if o.out.is_some() && !o.dry {
                    self.out_used = true;
                }
                let all: Vec<(usize, isize)> = (0..fp.hunks.len()).map(|k| (k, 0)).collect();
                self.rejects(cx, dir.0, &last, &fp, &all, &shown, b"ignored");
                return;
            }
        };
        let mismatch = !failed.is_empty() || mism;
        if !failed.is_empty() {
            self.rejects(cx, dir.0, &last, &fp, &failed, &shown, b"FAILED");
        }
        if o.dry {
            return;
        }
        let remove = (fp.deleted && result.is_empty()) || (o.remove_empty && result.is_empty());
        if o.out.is_some() {
            // GNU: each file's text after the last one's.
            self.out_text.extend_from_slice(&result);
            self.out_used = true;
            return;
        }
        // Backup: -b, or GNU's backup when a hunk did not apply cleanly.
        if present && (o.backup || (o.mismatch_backup && mismatch)) {
            let bn = CString::new([&last[..], &o.suffix].concat()).unwrap_or_default();
            unsafe { libc::unlinkat(dir.0, bn.as_ptr(), 0) };
            if unsafe { libc::linkat(dir.0, cname.as_ptr(), dir.0, bn.as_ptr(), 0) } < 0 {
                let _ = write_at(dir.0, bn.as_bytes(), &data, mode);
            }
        }
        let mode = fp.mode.unwrap_or(mode);
        if remove {
            if present && unsafe { libc::unlinkat(dir.0, cname.as_ptr(), 0) } < 0 {
                cx.err_no(&[b"can't remove '", &target[..], b"'"].concat(), crate::sys::errno());
                self.status = 2;
            }
            return;
        }
        let dest = if fp.rename && !o.reverse { shown.clone() } else { target.clone() };
        let (ddir, dlast) = if dest != target {
            match open_parent(self.base, &dest, true) {
                Ok((d, l)) => (Fd(d), l),
                Err(e) => {
                    cx.err_no(&[b"can't open '", &dest[..], b"'"].concat(), e);
                    self.status = 2;
                    return;
                }
            }
        } else {
            (Fd(unsafe { libc::dup(dir.0) }), last.clone())
        };
        if let Err(e) = write_at(ddir.0, &dlast, &result, mode) {
            cx.err_no(&[b"can't write '", &dest[..], b"'"].concat(), e);
            self.status = 2;
            return;
        }
        if dest != target && present {
            unsafe { libc::unlinkat(dir.0, cname.as_ptr(), 0) };
        }
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(
        args,
        "p:i:RNEo:d:sftbz:F:u",
        &[("dry-run", 0x01), ("no-backup-if-mismatch", 0x02), ("strip", b'p'), ("input", b'i'), ("reverse", b'R'), ("forward", b'N'), ("quiet", b's'), ("silent", b's'), ("force", b'f'), ("batch", b't'), ("backup", b'b'), ("suffix", b'z'), ("fuzz", b'F'), ("directory", b'd'), ("output", b'o'), ("remove-empty-files", b'E'), ("unified", b'u')],
    )?;
    let strip = match o.val(b'p') {
        Some(v) => Some(usize::try_from(cx.num_u64(v)?).unwrap_or(usize::MAX)),
        None => None,
    };
    let fuzz = match o.val(b'F') {
        Some(v) => usize::try_from(cx.num_u64(v)?).unwrap_or(usize::MAX),
        None => 2,
    };
    let opts = Opts {
        strip,
        reverse: o.has(b'R'),
        forward: o.has(b'N'),
        remove_empty: o.has(b'E'),
        out: o.val(b'o').map(|v| v.as_bytes().to_vec()),
        dry: o.has(0x01),
        silent: o.has(b's'),
        force: o.has(b'f'),
        batch: o.has(b't') || o.has(b'f'),
        backup: o.has(b'b') || o.has(b'z'),
        suffix: o.val(b'z').map_or(b".orig".to_vec(), |v| v.as_bytes().to_vec()),
        fuzz,
        mismatch_backup: !o.has(0x02),
    };
    let mut input = o.val(b'i').map(|v| v.as_bytes().to_vec());
    let forced = o.args.first().map(|a| a.as_bytes().to_vec());
    if let Some(p) = o.args.get(1) {
        input = Some(p.as_bytes().to_vec());
    }
    if o.args.len() > 2 {
        return Err(cx.usage());
    }
    // Read the patch before any -d (it is named relative to where we started).
    let mut text = Vec::new();
    {
        let inp = match &input {
            Some(p) if p != b"-" => match crate::io::Input::open(OsStr::from_bytes(p)) {
                Ok(i) => i,
                Err(e) => return Err(cx.fail_no(&[b"can't open '", &p[..], b"'"].concat(), e)),
            },
            _ => crate::io::Input::stdin(),
        };
        if let Err(e) = crate::sys::read_to_end(inp.fd(), &mut text) {
            return Err(cx.fail_no(b"read error", e));
        }
    }
    let base = match o.val(b'd') {
        Some(d) => {
            let c = CString::new(d.as_bytes()).map_err(|_| cx.fail(&[b"bad directory"]))?;
            let fd = unsafe { libc::open(c.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC) };
            if fd < 0 {
                return Err(cx.fail_no(&[b"can't change directory to '", d.as_bytes(), b"'"].concat(), crate::sys::errno()));
            }
            fd
        }
        None => libc::AT_FDCWD,
    };
    let base_fd = Fd(if base == libc::AT_FDCWD { -1 } else { base });
    let patches = match parse(&text) {
        Ok(p) => p,
        Err(line) => {
            let mut m = b"malformed patch at line ".to_vec();
            m.extend_from_slice(&itoa(line as i64));
            return Err(cx.fail(&[&m]));
        }
    };
    let mut pt = Pt { o: &opts, base, status: 0, out_text: Vec::new(), out_rej: Vec::new(), out_used: false };
    if patches.is_empty() && !text.is_empty() {
        cx.err(&[b"**** Only garbage was found in the patch input."]);
        return Ok(2);
    }
    let mut first = true;
    for fp in patches {
        let f = if first { forced.as_deref() } else { None };
        first = false;
        pt.one(cx, fp, f);
    }
    if let (Some(out), true) = (&opts.out, pt.out_used) {
        pt.write_out(cx, out);
    }
    drop(base_fd);
    Ok(pt.status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(strip(b"a/b/c", Some(1)), Some(b"b/c".to_vec()));
        assert_eq!(strip(b"a//b/c", Some(2)), Some(b"c".to_vec()));
        assert_eq!(strip(b"a/b/c", None), Some(b"c".to_vec()));
        assert_eq!(strip(b"c", Some(1)), None);
        assert!(dangerous(b"../x") && dangerous(b"a/../x") && dangerous(b"/etc/x"));
        assert!(!dangerous(b"a/..b/x"));
        assert_eq!(header_name(b"a/f\t2026-12-01 10:00:00 +0000\n"), b"a/f");
        assert_eq!(header_name(b"\"a/sp ace\\t\"\n"), b"a/sp ace\t");
    }

    #[test]
    fn hunk_headers() {
        assert_eq!(unified_head(b"@@ -1,2 +3 @@ fn x\n"), Some((1, 2, 3, 1)));
        assert_eq!(unified_head(b"@@ -0,0 +1,5 @@\n"), Some((0, 0, 1, 5)));
        assert_eq!(unified_head(b"@@ -x +1 @@\n"), None);
        assert_eq!(unified_head(b"@@ -99999999999999999999999 +1 @@\n"), None);
    }

    #[test]
    fn parse_and_locate() {
        let p = b"junk\n--- a/f\n+++ b/f\n@@ -2,3 +2,3 @@\n 2\n-3\n+three\n 4\n\\ No newline at end of file\n";
        let mut fps = parse(p).unwrap_or_default();
        assert_eq!(fps.len(), 1);
        let fp = &mut fps[0];
        assert_eq!(fp.old.as_deref(), Some(&b"a/f"[..]));
        let h = &fp.hunks[0];
        assert_eq!(h.lines.len(), 4);
        assert_eq!(h.lines[3].1, b"4");
        // Shifted by one line: found with an offset.
        let data = b"0\n1\n2\n3\n4";
        let file = lines_of(data);
        assert_eq!(locate(h, &file, 1, 0, 0), Some(2));
        fp.hunks[0].reverse();
        assert_eq!(fp.hunks[0].lines[1], (K::Del, &b"three\n"[..]));
        assert_eq!(locate(&fp.hunks[0], &file, 1, 0, 0), None);
        assert!(parse(b"--- a\n+++ b\n@@ -1 +1 @@\n?bad\n").is_err());
    }
}
