//! applet: diff
//! usage: diff [-abBdiNqrTstw] [-L LABEL] [-S FILE] [-U LINES] [-x PAT] [-X FILE] FILE1 FILE2
//! Compare files line by line and output the differences between them.
//! This implementation supports unified diffs only.
//!
//! -a  Treat all files as text
//! -b  Ignore changes in the amount of whitespace
//! -B  Ignore changes whose lines are all blank
//! -d  Try hard to find a smaller set of changes
//! -i  Ignore case differences
//! -L  Use LABEL instead of the filename in the unified header
//! -N  Treat absent files as empty
//! -q  Output only whether files differ
//! -r  Recurse
//! -S  Start with FILE when comparing directories
//! -T  Make tabs line up by prefixing a tab when necessary
//! -s  Report when two files are the same
//! -t  Expand tabs to spaces in output
//! -U  Output LINES lines of context
//! -w  Ignore all whitespace
//! -x PAT  Leave out names matching PAT (with -r; GNU's option)
//! -X FILE  Leave out names matching a pattern (a line) of FILE
//! --no-dereference  Compare symlinks (their targets), not what they point to

// The comparison is GNU diff's (analyze.c and gnulib's diffseq.h, rewritten): the common
// prefix and suffix are trimmed (keeping `context` lines of each, as GNU's horizon), lines
// become equivalence classes (hashed once), lines that occur only on one side are
// discarded by GNU's rules, Myers' O(ND) search splits at the middle snake with GNU's
// cost limit, and change groups are shifted to GNU's boundaries. So hunks are GNU's own.

use crate::{paths, strftime, time, Cx, Res};
use std::ffi::{CStr, OsStr};
use std::os::unix::ffi::OsStrExt;

struct Opts {
    text: bool,
    space: u8, // 0, b'b' (-b) or b'w' (-w)
    icase: bool,
    blank: bool,
    minimal: bool,
    absent: bool,
    brief: bool,
    recurse: bool,
    same: bool,
    expand: bool,
    tab: bool,
    ctx: usize,
    labels: [Option<Vec<u8>>; 2],
    start: Option<Vec<u8>>,
    /// --no-dereference: symlinks compared as links (their targets), not followed.
    no_deref: bool,
    /// -x / -X: names (shell patterns) left out of directory comparisons.
    excl: Vec<Vec<u8>>,
    /// The options as given, for `diff -r a/f b/f` lines (GNU's switch string).
    switches: Vec<u8>,
}

/// One side: its bytes and line starts (`off[i]..off[i + 1]` is line i, with its `\n`).
#[derive(Default)]
struct Side {
    data: Vec<u8>,
    off: Vec<usize>,
    mtime: i64,
    nsec: u32,
    absent: bool,
    /// The whole file is in `data`.
    eof: bool,
}

impl Side {
    fn lines(&self) -> usize {
        self.off.len().saturating_sub(1)
    }
    #[inline]
    fn line(&self, i: usize) -> &[u8] {
        match self.off.get(i..i + 2) {
            Some(&[a, b]) => self.data.get(a..b).unwrap_or_default(),
            _ => b"",
        }
    }
    /// The line table: where each line starts, and the end.
    fn split(&mut self) {
        self.off.clear();
        self.off.reserve(crate::text::count_byte(&self.data, b'\n') + 2);
        self.off.push(0);
        newlines(&self.data, &mut self.off);
        let n = self.data.len();
        if self.off.last().is_some_and(|&p| p < n) {
            self.off.push(n);
        }
    }
}

/// Pushes the offset after each `\n` of `data` onto `off`, 16 bytes a step (memchr_iter
/// pays a call per line, a third of reading a file of short lines).
fn newlines(data: &[u8], off: &mut Vec<usize>) {
    let n = data.len();
    let p = data.as_ptr();
    let mut i = 0;
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8};
        // SAFETY: SSE2 is part of x86_64; each 16-byte load is at an offset + 16 <= n.
        unsafe {
            let nl = _mm_set1_epi8(b'\n' as i8);
            while i + 16 <= n {
                let v = _mm_loadu_si128(p.add(i).cast());
                let mut m = _mm_movemask_epi8(_mm_cmpeq_epi8(v, nl)) as u32;
                while m != 0 {
                    off.push(i + m.trailing_zeros() as usize + 1);
                    m &= m - 1;
                }
                i += 16;
            }
        }
    }
    // The rest (all of it elsewhere) 8 bytes a step: exact zero-byte bits of word ^ '\n's.
    const LO: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    while i + 8 <= n {
        // SAFETY: an 8-byte read at an offset + 8 <= n.
        let x = u64::from_le(unsafe { p.add(i).cast::<u64>().read_unaligned() }) ^ 0x0a0a_0a0a_0a0a_0a0a;
        let mut m = !(((x & LO).wrapping_add(LO)) | x | LO);
        while m != 0 {
            off.push(i + (m.trailing_zeros() / 8) as usize + 1);
            m &= m - 1;
        }
        i += 8;
    }
    for (k, &c) in data.iter().enumerate().skip(i) {
        if c == b'\n' {
            off.push(k + 1);
        }
    }
}

/// A run of changes: lines `l0..l0 + del` of file 0 replaced by `l1..l1 + ins` of file 1.
#[derive(Clone, Copy)]
struct Change {
    l0: usize,
    l1: usize,
    del: usize,
    ins: usize,
    ignore: bool,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// The line as the options compare it (GNU's -b/-w/-i rules) into `out`.
fn canon(line: &[u8], o: &Opts, out: &mut Vec<u8>) {
    out.clear();
    let body = line.strip_suffix(b"\n").unwrap_or(line);
    let mut i = 0;
    while i < body.len() {
        let mut c = body[i];
        i += 1;
        if o.space != 0 && is_space(c) {
            while i < body.len() && is_space(body[i]) {
                i += 1;
            }
            if o.space == b'w' || i == body.len() {
                continue;
            }
            c = b' ';
        }
        out.push(if o.icase { c.to_ascii_lowercase() } else { c });
    }
    // Without -b/-w a last line without its newline differs from the same line with one.
    if o.space == 0 && line.last() == Some(&b'\n') {
        out.push(b'\n');
    }
}

/// Whether two slices are equal, 32 bytes a step: `==` on slices calls musl's memcmp,
/// which goes byte by byte (it was most of `diff -r`'s time on identical files), and
/// iterator code stays slow at this crate's opt-level "s".
#[inline]
fn eq(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    // SAFETY: every read is of 8 bytes at an offset + 8 <= n, inside both slices.
    let w = |p: *const u8, i: usize| unsafe { p.add(i).cast::<u64>().read_unaligned() };
    let mut i = 0;
    while i + 32 <= n {
        let d = (w(pa, i) ^ w(pb, i))
            | (w(pa, i + 8) ^ w(pb, i + 8))
            | (w(pa, i + 16) ^ w(pb, i + 16))
            | (w(pa, i + 24) ^ w(pb, i + 24));
        if d != 0 {
            return false;
        }
        i += 32;
    }
    while i + 8 <= n {
        if w(pa, i) != w(pb, i) {
            return false;
        }
        i += 8;
    }
    a.get(i..) == b.get(i..)
}

/// A line's hash, 8 bytes a step (a byte at a time was half of diff's time): unaligned
/// words, the last one overlapping, mixed by multiplication; the length seeds it.
#[inline]
fn hash(b: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let n = b.len();
    let p = b.as_ptr();
    // SAFETY: every 8-byte read is at an offset + 8 <= n.
    let w = |i: usize| unsafe { p.add(i).cast::<u64>().read_unaligned() };
    let mut h = (n as u64).wrapping_mul(K);
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            h = (h.rotate_left(23) ^ w(i)).wrapping_mul(K);
            i += 8;
        }
        h = (h.rotate_left(23) ^ w(n - 8)).wrapping_mul(K);
    } else {
        let mut t = 0u64;
        for &c in b {
            t = t << 8 | c as u64;
        }
        h = (h ^ t).wrapping_mul(K);
    }
    h ^ h >> 31
}

/// Appends `b` to `v` 8 bytes a step: musl's memcpy starts each copy with `rep movsq`,
/// tens of cycles, more than a whole short line costs this way.
#[inline]
fn append(v: &mut Vec<u8>, b: &[u8]) {
    let n = b.len();
    if n > 256 {
        v.extend_from_slice(b);
        return;
    }
    v.reserve(n + 8);
    let len = v.len();
    let (src, dst) = (b.as_ptr(), v.as_mut_ptr());
    // SAFETY: `reserve` made room for n + 8 bytes after len; every 8-byte read is inside
    // `b` (the last one overlapping), every write below len + n + 8; then the first n
    // bytes are set.
    unsafe {
        let dst = dst.add(len);
        if n >= 8 {
            let mut i = 0;
            while i + 8 < n {
                dst.add(i).cast::<u64>().write_unaligned(src.add(i).cast::<u64>().read_unaligned());
                i += 8;
            }
            dst.add(n - 8).cast::<u64>().write_unaligned(src.add(n - 8).cast::<u64>().read_unaligned());
        } else {
            for i in 0..n {
                *dst.add(i) = *src.add(i);
            }
        }
        v.set_len(len + n);
    }
}

/// Equivalence classes (from 1) for lines `r0` of `a` and `r1` of `b`: equal lines under
/// the options share a class. Open addressing over (hash, class); each line hashed once.
fn classes(
    a: &Side,
    r0: (usize, usize),
    b: &Side,
    r1: (usize, usize),
    o: &Opts,
) -> (Vec<u32>, Vec<u32>, usize) {
    let plain = o.space == 0 && !o.icase;
    let total = (r0.1 - r0.0) + (r1.1 - r1.0);
    let mut cap = 16usize;
    while cap < total * 2 {
        cap *= 2;
    }
    let mask = cap - 1;
    let mut table: Vec<u32> = vec![0; cap];
    // class -> (hash, side, line)
    // class -> (hash, side, the line's start and end in its side's data)
    let mut reps: Vec<(u64, u8, usize, usize)> = vec![(0, 0, 0, 0)];
    let mut buf = Vec::new();
    let mut buf2 = Vec::new();
    let mut out = [Vec::with_capacity(r0.1 - r0.0), Vec::with_capacity(r1.1 - r1.0)];
    let sides = [a, b];
    for (s, side, r) in [(0u8, a, r0), (1u8, b, r1)] {
        let offs = side.off.get(r.0..=r.1).unwrap_or_default();
        let mut start = offs.first().copied().unwrap_or(0);
        for &end in offs.iter().skip(1) {
            let line = side.data.get(start..end).unwrap_or_default();
            let key: &[u8] = if plain {
                line
            } else {
                canon(line, o, &mut buf);
                &buf
            };
            let h = hash(key);
            let mut slot = (h as usize) & mask;
            let class = loop {
                let c = table.get(slot).copied().unwrap_or(0);
                if c == 0 {
                    reps.push((h, s, start, end));
                    let c = (reps.len() - 1) as u32;
                    if let Some(t) = table.get_mut(slot) {
                        *t = c;
                    }
                    break c;
                }
                if let Some(&(rh, rs, rb, re)) = reps.get(c as usize) {
                    if rh == h {
                        let rline = sides[rs as usize].data.get(rb..re).unwrap_or_default();
                        let same = if plain {
                            eq(rline, key)
                        } else {
                            canon(rline, o, &mut buf2);
                            eq(&buf2, key)
                        };
                        if same {
                            break c;
                        }
                    }
                }
                slot = (slot + 1) & mask;
            };
            out[s as usize].push(class);
            start = end;
        }
    }
    let [x, y] = out;
    (x, y, reps.len())
}

/// GNU's discard_confusing_lines: which lines (1 = discard) to leave out of the search.
fn discards(eq: [&[u32]; 2], nclass: usize) -> [Vec<u8>; 2] {
    let mut counts = [vec![0usize; nclass], vec![0usize; nclass]];
    for f in 0..2 {
        for &c in eq[f] {
            counts[f][c as usize] += 1;
        }
    }
    let mut d = [vec![0u8; eq[0].len()], vec![0u8; eq[1].len()]];
    for f in 0..2 {
        let end = eq[f].len();
        let other = &counts[1 - f];
        let mut many = 5usize;
        let mut tem = end / 64;
        loop {
            tem >>= 2;
            if tem == 0 {
                break;
            }
            many *= 2;
        }
        for i in 0..end {
            let n = other[eq[f][i] as usize];
            if n == 0 {
                d[f][i] = 1;
            } else if n > many {
                d[f][i] = 2;
            }
        }
    }
    for ds in d.iter_mut() {
        let end = ds.len();
        let mut i = 0;
        while i < end {
            if ds[i] == 2 {
                ds[i] = 0;
            } else if ds[i] != 0 {
                let mut j = i;
                let mut prov = 0usize;
                while j < end && ds[j] != 0 {
                    if ds[j] == 2 {
                        prov += 1;
                    }
                    j += 1;
                }
                while j > i && ds[j - 1] == 2 {
                    j -= 1;
                    ds[j] = 0;
                    prov -= 1;
                }
                let length = j - i;
                if prov * 4 > length {
                    while j > i {
                        j -= 1;
                        if ds[j] == 2 {
                            ds[j] = 0;
                        }
                    }
                } else {
                    let mut minimum = 1usize;
                    let mut tem = length >> 2;
                    loop {
                        tem >>= 2;
                        if tem == 0 {
                            break;
                        }
                        minimum <<= 1;
                    }
                    minimum += 1;
                    let mut consec = 0usize;
                    let mut k = 0usize;
                    while k < length {
                        if ds[i + k] != 2 {
                            consec = 0;
                        } else {
                            consec += 1;
                            if minimum == consec {
                                k -= consec;
                            } else if minimum < consec {
                                ds[i + k] = 0;
                            }
                        }
                        k += 1;
                    }
                    consec = 0;
                    for k in 0..length {
                        if k >= 8 && ds[i + k] == 1 {
                            break;
                        }
                        if ds[i + k] == 2 {
                            consec = 0;
                            ds[i + k] = 0;
                        } else if ds[i + k] == 0 {
                            consec = 0;
                        } else {
                            consec += 1;
                        }
                        if consec == 3 {
                            break;
                        }
                    }
                    i += length - 1;
                    consec = 0;
                    for k in 0..length {
                        if k >= 8 && ds[i - k] == 1 {
                            break;
                        }
                        if ds[i - k] == 2 {
                            consec = 0;
                            ds[i - k] = 0;
                        } else if ds[i - k] == 0 {
                            consec = 0;
                        } else {
                            consec += 1;
                        }
                        if consec == 3 {
                            break;
                        }
                    }
                }
            }
            i += 1;
        }
    }
    d
}

/// The search state of gnulib's diffseq.h over the undiscarded lines.
struct Ctx<'a> {
    xv: &'a [u32],
    yv: &'a [u32],
    xidx: &'a [usize],
    yidx: &'a [usize],
    fd: Vec<isize>,
    bd: Vec<isize>,
    doff: isize,
    too_expensive: isize,
    ch: [&'a mut [u8]; 2],
}

impl Ctx<'_> {
    #[inline]
    fn eq(&self, x: isize, y: isize) -> bool {
        self.xv.get(x as usize) == self.yv.get(y as usize)
    }

    /// The middle snake (or GNU's best guess past the cost limit): (xmid, ymid, lo_min, hi_min).
    fn diag(&mut self, xoff: isize, xlim: isize, yoff: isize, ylim: isize, minimal: bool) -> (isize, isize, bool, bool) {
        let o = self.doff;
        // Local borrows: the loops keep the vectors in registers.
        let (xv, yv) = (self.xv, self.yv);
        let too_expensive = self.too_expensive;
        let fdv = &mut self.fd;
        let bdv = &mut self.bd;
        let eq = |x: isize, y: isize| xv.get(x as usize).is_some_and(|a| yv.get(y as usize) == Some(a));
        let dmin = xoff - ylim;
        let dmax = xlim - yoff;
        let fmid = xoff - yoff;
        let bmid = xlim - ylim;
        let (mut fmin, mut fmax, mut bmin, mut bmax) = (fmid, fmid, bmid, bmid);
        let odd = (fmid - bmid) & 1 != 0;
        fdv[(fmid + o) as usize] = xoff;
        bdv[(bmid + o) as usize] = xlim;
        let mut c: isize = 1;
        loop {
            if fmin > dmin {
                fmin -= 1;
                fdv[(fmin - 1 + o) as usize] = -1;
            } else {
                fmin += 1;
            }
            if fmax < dmax {
                fmax += 1;
                fdv[(fmax + 1 + o) as usize] = -1;
            } else {
                fmax -= 1;
            }
            let mut d = fmax;
            while d >= fmin {
                let tlo = fdv[(d - 1 + o) as usize];
                let thi = fdv[(d + 1 + o) as usize];
                let x0 = if tlo < thi { thi } else { tlo + 1 };
                let mut x = x0;
                let mut y = x0 - d;
                while x < xlim && y < ylim && eq(x, y) {
                    x += 1;
                    y += 1;
                }
                fdv[(d + o) as usize] = x;
                if odd && bmin <= d && d <= bmax && bdv[(d + o) as usize] <= x {
                    return (x, y, true, true);
                }
                d -= 2;
            }
            if bmin > dmin {
                bmin -= 1;
                bdv[(bmin - 1 + o) as usize] = isize::MAX;
            } else {
                bmin += 1;
            }
            if bmax < dmax {
                bmax += 1;
                bdv[(bmax + 1 + o) as usize] = isize::MAX;
            } else {
                bmax -= 1;
            }
            let mut d = bmax;
            while d >= bmin {
                let tlo = bdv[(d - 1 + o) as usize];
                let thi = bdv[(d + 1 + o) as usize];
                let x0 = if tlo < thi { tlo } else { thi - 1 };
                let mut x = x0;
                let mut y = x0 - d;
                while xoff < x && yoff < y && eq(x - 1, y - 1) {
                    x -= 1;
                    y -= 1;
                }
                bdv[(d + o) as usize] = x;
                if !odd && fmin <= d && d <= fmax && x <= fdv[(d + o) as usize] {
                    return (x, y, true, true);
                }
                d -= 2;
            }
            if !minimal && c >= too_expensive {
                // Gone well beyond the call of duty: halfway between the best results.
                let (mut fxybest, mut fxbest) = (-1isize, 0isize);
                let mut d = fmax;
                while d >= fmin {
                    let mut x = fdv[(d + o) as usize].min(xlim);
                    let mut y = x - d;
                    if ylim < y {
                        x = ylim + d;
                        y = ylim;
                    }
                    if fxybest < x + y {
                        fxybest = x + y;
                        fxbest = x;
                    }
                    d -= 2;
                }
                let (mut bxybest, mut bxbest) = (isize::MAX, 0isize);
                let mut d = bmax;
                while d >= bmin {
                    let mut x = bdv[(d + o) as usize].max(xoff);
                    let mut y = x - d;
                    if y < yoff {
                        x = yoff + d;
                        y = yoff;
                    }
                    if x + y < bxybest {
                        bxybest = x + y;
                        bxbest = x;
                    }
                    d -= 2;
                }
                return if (xlim + ylim) - bxybest < fxybest - (xoff + yoff) {
                    (fxbest, fxybest - fxbest, true, false)
                } else {
                    (bxbest, bxybest - bxbest, false, true)
                };
            }
            c += 1;
        }
    }

    fn compare(&mut self, mut xoff: isize, mut xlim: isize, mut yoff: isize, mut ylim: isize, minimal: bool) {
        while xoff < xlim && yoff < ylim && self.eq(xoff, yoff) {
            xoff += 1;
            yoff += 1;
        }
        while xoff < xlim && yoff < ylim && self.eq(xlim - 1, ylim - 1) {
            xlim -= 1;
            ylim -= 1;
        }
        if xoff == xlim {
            for y in yoff..ylim {
                let r = self.yidx[y as usize];
                self.ch[1][r + 1] = 1;
            }
        } else if yoff == ylim {
            for x in xoff..xlim {
                let r = self.xidx[x as usize];
                self.ch[0][r + 1] = 1;
            }
        } else {
            let (xm, ym, lo, hi) = self.diag(xoff, xlim, yoff, ylim, minimal);
            self.compare(xoff, xm, yoff, ym, lo);
            self.compare(xm, xlim, ym, ylim, hi);
        }
    }
}

/// GNU's shift_boundaries: slide each run of changes to where GNU puts it (merging with
/// neighbours, then as far down as possible, then back to a run in the other file).
/// `ch` arrays carry a 0 sentinel at each end (index 0 and len + 1).
fn shift(ch: &mut [Vec<u8>; 2], eq: [&[u32]; 2]) {
    for f in 0..2 {
        let (a, b) = ch.split_at_mut(1);
        let (changed, other) = if f == 0 { (&mut a[0], &b[0]) } else { (&mut b[0], &a[0]) };
        let equivs = eq[f];
        let i_end = equivs.len() as isize;
        // Indices are line numbers; the arrays are offset by one for the sentinels.
        let c = |v: &Vec<u8>, i: isize| v[(i + 1) as usize] != 0;
        let mut i: isize = 0;
        let mut j: isize = 0;
        loop {
            while i < i_end && !c(changed, i) {
                while c(other, j) {
                    j += 1;
                }
                j += 1;
                i += 1;
            }
            if i == i_end {
                break;
            }
            let mut start = i;
            i += 1;
            while c(changed, i) {
                i += 1;
            }
            while c(other, j) {
                j += 1;
            }
            let mut corresponding;
            loop {
                let runlength = i - start;
                while start > 0 && equivs[(start - 1) as usize] == equivs[(i - 1) as usize] {
                    start -= 1;
                    changed[(start + 1) as usize] = 1;
                    i -= 1;
                    changed[(i + 1) as usize] = 0;
                    while c(changed, start - 1) {
                        start -= 1;
                    }
                    j -= 1;
                    while c(other, j) {
                        j -= 1;
                    }
                }
                corresponding = if c(other, j - 1) { i } else { i_end };
                while i != i_end && equivs[start as usize] == equivs[i as usize] {
                    changed[(start + 1) as usize] = 0;
                    start += 1;
                    changed[(i + 1) as usize] = 1;
                    i += 1;
                    while c(changed, i) {
                        i += 1;
                    }
                    j += 1;
                    while c(other, j) {
                        j += 1;
                        corresponding = i;
                    }
                }
                if runlength == i - start {
                    break;
                }
            }
            while corresponding < i {
                start -= 1;
                changed[(start + 1) as usize] = 1;
                i -= 1;
                changed[(i + 1) as usize] = 0;
                j -= 1;
                while c(other, j) {
                    j -= 1;
                }
            }
        }
    }
}

fn blank_line(line: &[u8], o: &Opts) -> bool {
    let body = line.strip_suffix(b"\n").unwrap_or(line);
    if o.space != 0 {
        body.iter().all(|&c| is_space(c))
    } else {
        body.is_empty()
    }
}

/// The changes between `a` and `b`, in order, with absolute line numbers.
fn changes(a: &Side, b: &Side, o: &Opts) -> Vec<Change> {
    let (n0, n1) = (a.lines(), b.lines());
    let mut pre = 0;
    while pre < n0 && pre < n1 && eq(a.line(pre), b.line(pre)) {
        pre += 1;
    }
    let horizon = o.ctx;
    let lo = pre - pre.min(horizon);
    let mut suf = 0;
    let room = n0.min(n1) - lo;
    while suf < room && eq(a.line(n0 - 1 - suf), b.line(n1 - 1 - suf)) {
        suf += 1;
    }
    let keep = suf.min(horizon);
    let (e0, e1) = (n0 - suf + keep, n1 - suf + keep);
    let mut out = Vec::new();
    if pre == n0 && pre == n1 {
        return out;
    }
    let (eq0, eq1, nclass) = classes(a, (lo, e0), b, (lo, e1), o);
    let d = discards([&eq0, &eq1], nclass);
    let mut ch = [vec![0u8; eq0.len() + 2], vec![0u8; eq1.len() + 2]];
    let mut und = [Vec::new(), Vec::new()];
    let mut idx = [Vec::new(), Vec::new()];
    for (f, eq) in [&eq0, &eq1].into_iter().enumerate() {
        for (i, &c) in eq.iter().enumerate() {
            if o.minimal || d[f][i] == 0 {
                und[f].push(c);
                idx[f].push(i);
            } else {
                ch[f][i + 1] = 1;
            }
        }
    }
    let (nx, ny) = (und[0].len(), und[1].len());
    let mut diags = nx + ny + 3;
    let mut te: isize = 1;
    while diags != 0 {
        diags >>= 2;
        te = te.saturating_mul(2);
    }
    {
        let [c0, c1] = &mut ch;
        let mut cx = Ctx {
            xv: &und[0],
            yv: &und[1],
            xidx: &idx[0],
            yidx: &idx[1],
            fd: vec![0; nx + ny + 3],
            bd: vec![0; nx + ny + 3],
            doff: ny as isize + 1,
            too_expensive: te.max(4096),
            ch: [c0, c1],
        };
        cx.compare(0, nx as isize, 0, ny as isize, o.minimal);
    }
    shift(&mut ch, [&eq0, &eq1]);
    // The script, forwards.
    let (l0, l1) = (eq0.len(), eq1.len());
    let (mut i, mut j) = (0usize, 0usize);
    while i < l0 || j < l1 {
        if ch[0][i + 1] != 0 || ch[1][j + 1] != 0 {
            let (si, sj) = (i, j);
            while i < l0 && ch[0][i + 1] != 0 {
                i += 1;
            }
            while j < l1 && ch[1][j + 1] != 0 {
                j += 1;
            }
            let mut c = Change { l0: lo + si, l1: lo + sj, del: i - si, ins: j - sj, ignore: false };
            if o.blank {
                c.ignore = (c.l0..c.l0 + c.del).all(|k| blank_line(a.line(k), o))
                    && (c.l1..c.l1 + c.ins).all(|k| blank_line(b.line(k), o));
            }
            out.push(c);
        } else {
            i += 1;
            j += 1;
        }
    }
    out
}

/// GNU's quoting of a name in headers (`"a b"`, C escapes) when it needs it.
fn quote(name: &[u8], out: &mut Vec<u8>) {
    let needs = name
        .iter()
        .any(|&c| c <= b' ' || c >= 0x7f || c == b'"' || c == b'\\' || c == b'\'' || c == b'$' || c == b'`');
    if !needs {
        out.extend_from_slice(name);
        return;
    }
    out.push(b'"');
    for &c in name {
        let e = match c {
            b'"' => b'"',
            b'\\' => b'\\',
            7 => b'a',
            8 => b'b',
            0x0c => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0x0b => b'v',
            _ => 0,
        };
        if e != 0 {
            out.push(b'\\');
            out.push(e);
        } else if c < b' ' || c >= 0x7f {
            out.extend_from_slice(&[b'\\', b'0' + (c >> 6), b'0' + ((c >> 3) & 7), b'0' + (c & 7)]);
        } else {
            out.push(c);
        }
    }
    out.push(b'"');
}

/// An option in the `diff -r` line as GNU quotes it for a shell (gnulib's shell quoting
/// style): bare when safe, else in single quotes, or double quotes around a `'`.
fn shell_quote(arg: &[u8], out: &mut Vec<u8>) {
    let special = |c: u8| c < b' ' || c == 0x7f || b" \"$\\`|&;<>()*?[!^'=".contains(&c);
    let needs = match arg {
        [] => true,
        [c] if b"{}".contains(c) => true,
        [c, ..] if b"#~".contains(c) => true,
        _ => arg.iter().any(|&c| special(c)),
    };
    if !needs {
        out.extend_from_slice(arg);
    } else if arg.contains(&b'\'') && !arg.iter().any(|c| b"\"$`\\!".contains(c)) {
        out.push(b'"');
        out.extend_from_slice(arg);
        out.push(b'"');
    } else {
        out.push(b'\'');
        for &c in arg {
            if c == b'\'' {
                out.extend_from_slice(b"'\\''");
            } else {
                out.push(c);
            }
        }
        out.push(b'\'');
    }
}

fn header(cx: &mut Cx, mark: &[u8], name: &[u8], label: &Option<Vec<u8>>, s: &Side) {
    let mut h = Vec::with_capacity(80);
    h.extend_from_slice(mark);
    match label {
        Some(l) => h.extend_from_slice(l),
        None => {
            quote(name, &mut h);
            h.push(b'\t');
            let (t, ns) = if s.absent { (0, 0) } else { (s.mtime, s.nsec) };
            if let Some(tm) = time::local(t) {
                strftime::format(&tm, t, ns, b"%Y-%m-%d %H:%M:%S.%N %z", &mut h);
            }
        }
    }
    h.push(b'\n');
    cx.out.write(&h);
}

/// One output line into `out`: its marker, the text (tabs expanded with -t), and GNU's
/// note for a last line without a newline.
#[inline(always)]
fn put_line(out: &mut Vec<u8>, mark: u8, line: &[u8], o: &Opts) {
    if !o.tab && !o.expand && line.last() == Some(&b'\n') {
        out.push(mark);
        append(out, line);
    } else {
        put_odd(out, mark, line, o);
    }
}

/// put_line for -T, -t, and a last line without its newline.
#[inline(never)]
fn put_odd(out: &mut Vec<u8>, mark: u8, line: &[u8], o: &Opts) {
    if o.tab {
        // -T: a tab after the marker, except before an empty context line... as GNU: always
        // for +/-, and instead of the space for context.
        if mark != b' ' {
            out.push(mark);
        }
        out.push(b'\t');
    } else {
        out.push(mark);
    }
    let body = line.strip_suffix(b"\n");
    let text = body.unwrap_or(line);
    if o.expand {
        let mut col = 0usize;
        for &c in text {
            if c == b'\t' {
                let n = 8 - col % 8;
                out.extend_from_slice(&b"        "[..n]);
                col += n;
            } else {
                out.push(c);
                col += 1;
            }
        }
    } else {
        append(out, text);
    }
    out.push(b'\n');
    if body.is_none() {
        out.extend_from_slice(b"\\ No newline at end of file\n");
    }
}

fn range(n: &mut Vec<u8>, first: usize, last_excl: usize) {
    // GNU's print_unidiff_number_range: an empty range names the line before it.
    let mut b = [0u8; 20];
    let len = last_excl - first;
    if len == 0 {
        n.extend_from_slice(crate::cx::fmt_u64(first as u64, &mut b));
        n.extend_from_slice(b",0");
    } else {
        n.extend_from_slice(crate::cx::fmt_u64(first as u64 + 1, &mut b));
        if len > 1 {
            n.push(b',');
            n.extend_from_slice(crate::cx::fmt_u64(len as u64, &mut b));
        }
    }
}

const SPILL: usize = 64 * 1024;

fn unified(cx: &mut Cx, a: &Side, b: &Side, chs: &[Change], o: &Opts) {
    let ctx = o.ctx;
    let mut k = 0;
    // The hunks are built in 64 KiB and handed to cx.out whole.
    let mut h = Vec::with_capacity(SPILL + 4096);
    let spill = |cx: &mut Cx, h: &mut Vec<u8>| {
        if h.len() >= SPILL {
            cx.out.write(h);
            h.clear();
        }
    };
    while k < chs.len() && cx.out.err == 0 {
        // GNU's find_hunk: the next change joins while the gap is under 2*ctx+1 (ctx+1...
        // for an ignorable one).
        let mut e = k;
        while e + 1 < chs.len() {
            let top0 = chs[e].l0 + chs[e].del;
            let thresh = if chs[e + 1].ignore { ctx } else { 2 * ctx + 1 };
            if chs[e + 1].l0 - top0 < thresh {
                e += 1;
            } else {
                break;
            }
        }
        let hunk = &chs[k..=e];
        k = e + 1;
        if hunk.iter().all(|c| c.ignore) {
            continue;
        }
        let (f, l) = (hunk[0], hunk[hunk.len() - 1]);
        let first0 = f.l0.saturating_sub(ctx);
        let first1 = f.l1.saturating_sub(ctx);
        let last0 = (l.l0 + l.del + ctx).min(a.lines());
        let last1 = (l.l1 + l.ins + ctx).min(b.lines());
        h.extend_from_slice(b"@@ -");
        range(&mut h, first0, last0);
        h.extend_from_slice(b" +");
        range(&mut h, first1, last1);
        h.extend_from_slice(b" @@\n");
        let mut i = first0;
        for c in hunk {
            while i < c.l0 {
                put_line(&mut h, b' ', a.line(i), o);
                spill(cx, &mut h);
                i += 1;
            }
            for x in c.l0..c.l0 + c.del {
                put_line(&mut h, b'-', a.line(x), o);
                spill(cx, &mut h);
            }
            for y in c.l1..c.l1 + c.ins {
                put_line(&mut h, b'+', b.line(y), o);
                spill(cx, &mut h);
            }
            i = c.l0 + c.del;
        }
        while i < last0 {
            put_line(&mut h, b' ', a.line(i), o);
            spill(cx, &mut h);
            i += 1;
        }
    }
    cx.out.write(&h);
}

/// Reads `fd` into `s.data` until it holds `want` bytes or the file ends. `size` (a regular
/// file's st_size) sizes the buffer and lets a short read at that size end the file without
/// one more read; no byte of the buffer is written twice (no zeroing).
fn fill(fd: i32, s: &mut Side, size: Option<usize>, want: usize) -> Result<(), i32> {
    while !s.eof && s.data.len() < want {
        let len = s.data.len();
        let room = match size {
            Some(z) if len <= z => z + 1 - len,
            _ => crate::io::BLOCK,
        };
        // The first read of a pair is one block: enough to tell a binary file.
        let ask = if want == usize::MAX { room } else { room.min(crate::io::BLOCK) };
        s.data.reserve(ask);
        let spare = s.data.spare_capacity_mut();
        let ask = ask.min(spare.len());
        // SAFETY: read writes at most `ask` bytes into the vector's spare capacity.
        let n = unsafe { libc::read(fd, spare.as_mut_ptr().cast(), ask) };
        if n < 0 {
            let e = crate::sys::errno();
            if e == libc::EINTR {
                continue;
            }
            return Err(e);
        }
        if n == 0 {
            s.eof = true;
            break;
        }
        // SAFETY: the kernel initialised these `n` bytes.
        unsafe { s.data.set_len(len + n as usize) };
        if size.is_some_and(|z| (n as usize) < ask && len + n as usize >= z) {
            s.eof = true;
        }
    }
    Ok(())
}

/// Opens `name` in `dir` (AT_FDCWD: a path) for reading: openat, not open, because musl's
/// open adds an fcntl for O_CLOEXEC.
fn open_at(dir: i32, name: &CStr, nofollow: bool) -> Result<i32, i32> {
    let mut fl = libc::O_RDONLY | libc::O_CLOEXEC | libc::O_NOCTTY;
    if nofollow {
        fl |= libc::O_NOFOLLOW;
    }
    // SAFETY: name is NUL-terminated.
    let fd = unsafe { libc::openat(dir, name.as_ptr(), fl) };
    if fd < 0 {
        Err(crate::sys::errno())
    } else {
        Ok(fd)
    }
}

fn close(fd: i32) {
    if fd >= 0 && fd != libc::AT_FDCWD {
        // SAFETY: a descriptor this applet opened and no longer uses.
        unsafe { libc::close(fd) };
    }
}

/// A symlink's target into `buf`; Err(errno).
fn link_at<'b>(dir: i32, name: &CStr, buf: &'b mut [u8; 4096]) -> Result<&'b [u8], i32> {
    // SAFETY: readlinkat writes at most buf.len() bytes; name is NUL-terminated.
    let n = unsafe { libc::readlinkat(dir, name.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        return Err(crate::sys::errno());
    }
    Ok(buf.get(..n as usize).unwrap_or_default())
}

/// Below this depth entries are looked up from their directory's descriptor; deeper, from
/// their whole path (two descriptors a level would run out on a deep tree).
const DEEP: usize = 64;

/// The (directory, name) for *at calls on an entry: the parent's descriptor and the name,
/// or AT_FDCWD and the whole `path` (copied into `buf`) below DEEP levels.
fn at<'n>(dir: i32, name: &'n CStr, path: &[u8], buf: &'n mut Vec<u8>) -> (i32, &'n CStr) {
    if dir != libc::AT_FDCWD {
        return (dir, name);
    }
    buf.clear();
    buf.extend_from_slice(path);
    buf.push(0);
    match CStr::from_bytes_until_nul(buf) {
        Ok(c) => (dir, c),
        Err(_) => (dir, name),
    }
}

struct Run<'a> {
    o: &'a Opts,
    status: i32,
    sides: [Side; 2],
    /// Directory entries of the levels being compared (walk::read_entries' layout), and
    /// each level's sorted names (ranges into `arena`) after those of the levels above.
    arena: Vec<u8>,
    names: Vec<(usize, usize)>,
    dents: Vec<u8>,
    /// The two paths being compared, grown and cut back as the walk goes.
    path: [Vec<u8>; 2],
    /// (st_dev, st_ino) of the directories being compared, for GNU's loop check.
    anc: [Vec<(u64, u64)>; 2],
}

fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut p = dir.to_vec();
    if !p.ends_with(b"/") {
        p.push(b'/');
    }
    p.extend_from_slice(name);
    p
}

fn stat_of(p: &[u8]) -> Option<libc::stat> {
    if p == b"-" {
        return paths::fstat(0).ok();
    }
    paths::stat(p, true).ok()
}

fn is_reg(s: &libc::stat) -> bool {
    s.st_mode & libc::S_IFMT == libc::S_IFREG
}

fn two(cx: &mut Cx, a: &[u8], p0: &[u8], b: &[u8], p1: &[u8], c: &[u8]) {
    let mut m = Vec::with_capacity(a.len() + p0.len() + b.len() + p1.len() + c.len());
    for part in [a, p0, b, p1, c] {
        m.extend_from_slice(part);
    }
    cx.out.write(&m);
}

impl Run<'_> {
    fn trouble(&mut self) {
        self.status = 2;
    }

    fn differ(&mut self) {
        if self.status == 0 {
            self.status = 1;
        }
    }

    /// `diff: PATH: WHY` after what stdout holds (GNU flushes it first, so `2>&1` keeps the
    /// order), and status 2.
    fn complain(&mut self, cx: &mut Cx, path: &[u8], why: &[u8]) {
        cx.out.flush();
        cx.err(&[path, b": ", why]);
        self.trouble();
    }

    /// Compares two files: each side's open descriptor and stat, None when absent (-N).
    /// The caller closes the descriptors.
    fn files(&mut self, cx: &mut Cx, p: [&[u8]; 2], src: [Option<(i32, &libc::stat)>; 2], in_dir: bool) {
        let o = self.o;
        for (s, f) in self.sides.iter_mut().zip(src) {
            s.absent = f.is_none();
            s.eof = s.absent;
            s.data.clear();
            (s.mtime, s.nsec) = f.map_or((0, 0), |(_, st)| (st.st_mtime, st.st_mtime_nsec as u32));
        }
        let size = |f: usize| src[f].and_then(|(_, st)| if is_reg(st) && st.st_size > 0 { Some(st.st_size as usize) } else { None });
        let regs = match src {
            [Some((_, a)), Some((_, b))] if is_reg(a) && is_reg(b) => Some((a, b)),
            _ => None,
        };
        if let Some((a, b)) = regs {
            // One file under two names: identical without reading (GNU's same_file).
            if a.st_dev == b.st_dev && a.st_ino == b.st_ino {
                if o.same {
                    self.identical(cx, p);
                }
                return;
            }
            // -q needs no bytes when the sizes differ and no option can make them equal.
            if o.brief && a.st_size != b.st_size && o.space == 0 && !o.icase && !o.blank {
                two(cx, b"Files ", p[0], b" and ", p[1], b" differ\n");
                self.differ();
                return;
            }
        }
        let sized = regs.is_some_and(|(a, b)| a.st_size != b.st_size);
        // The first block of each, then (unless that settles it) the rest.
        let head = |s: &Side| crate::bytes::memchr(0, s.data.get(..4096).unwrap_or(&s.data)).is_some();
        for want in [4096, usize::MAX] {
            for f in 0..2 {
                if let Some((fd, _)) = src[f] {
                    if let Err(e) = fill(fd, &mut self.sides[f], size(f), want) {
                        self.complain(cx, p[f], crate::sys::strerror(e));
                        return;
                    }
                }
            }
            // Sizes that differ: a binary file is settled by its first block. (Equal
            // sizes are read whole first: equal bytes need no look for NULs.)
            if want != usize::MAX && sized && !o.text && self.sides.iter().any(head) {
                break;
            }
        }
        let [a, b] = &self.sides;
        if a.eof && b.eof && eq(&a.data, &b.data) {
            if o.same {
                self.identical(cx, p);
            }
            return;
        }
        if !o.text && self.sides.iter().any(head) {
            two(cx, if o.brief { b"Files " } else { b"Binary files " }, p[0], b" and ", p[1], b" differ\n");
            self.differ();
            return;
        }
        let [a, b] = &mut self.sides;
        a.split();
        b.split();
        let chs = changes(a, b, o);
        if chs.iter().all(|c| c.ignore) {
            if o.same {
                self.identical(cx, p);
            }
            return;
        }
        self.differ();
        if o.brief {
            two(cx, b"Files ", p[0], b" and ", p[1], b" differ\n");
            return;
        }
        if in_dir {
            let mut m = b"diff ".to_vec();
            m.extend_from_slice(&o.switches);
            quote(p[0], &mut m);
            m.push(b' ');
            quote(p[1], &mut m);
            m.push(b'\n');
            cx.out.write(&m);
        }
        let [a, b] = &self.sides;
        header(cx, b"--- ", p[0], &o.labels[0], a);
        header(cx, b"+++ ", p[1], &o.labels[1], b);
        unified(cx, a, b, &chs, o);
    }

    fn identical(&mut self, cx: &mut Cx, p: [&[u8]; 2]) {
        two(cx, b"Files ", p[0], b" and ", p[1], b" are identical\n");
    }

    /// Opens and compares two named files (`-` is stdin) at the top level.
    fn top_files(&mut self, cx: &mut Cx, p: [&[u8]; 2], st: [Option<libc::stat>; 2]) {
        let mut fds = [-1, -1];
        for f in 0..2 {
            if st[f].is_none() {
                continue;
            }
            if p[f] == b"-" {
                fds[f] = 0;
                continue;
            }
            let opened = crate::sys::cstr(p[f]).ok_or(libc::EINVAL).and_then(|c| open_at(libc::AT_FDCWD, &c, false));
            match opened {
                Ok(fd) => fds[f] = fd,
                Err(e) => {
                    self.complain(cx, p[f], crate::sys::strerror(e));
                    close(if fds[0] > 0 { fds[0] } else { -1 });
                    return;
                }
            }
        }
        let src = [0, 1].map(|f| st[f].as_ref().map(|s| (fds[f], s)));
        self.files(cx, p, src, false);
        for fd in fds {
            if fd > 0 {
                close(fd);
            }
        }
    }

    /// GNU's diff_dirs on two open directories (-1: the side is absent, -N): the sorted
    /// union of their names (less -x's), each compared, depth first. Closes the descriptors.
    fn dirs(&mut self, cx: &mut Cx, mut fd: [i32; 2], st: [Option<libc::stat>; 2], depth: usize) {
        // GNU's loop check: each side is one of its own ancestors (or absent).
        let looped = |f: usize| st[f].is_none_or(|s| self.anc[f].contains(&(s.st_dev, s.st_ino)));
        if looped(0) && looped(1) {
            let f = usize::from(st[0].is_none());
            let p = std::mem::take(&mut self.path[f]);
            self.complain(cx, &p, b"recursive directory loop");
            self.path[f] = p;
            fd.into_iter().for_each(close);
            return;
        }
        let (abase, nbase) = (self.arena.len(), self.names.len());
        let mut count = [0usize; 2];
        let mut ok = true;
        for f in 0..2 {
            if fd[f] < 0 {
                continue;
            }
            let from = self.arena.len();
            let e = crate::walk::read_entries(fd[f], &mut self.dents, &mut self.arena);
            if e != 0 {
                let p = std::mem::take(&mut self.path[f]);
                self.complain(cx, &p, crate::sys::strerror(e));
                self.path[f] = p;
                ok = false;
                continue;
            }
            // Each entry: its type byte, the name, a NUL.
            let mut at = from;
            while let Some(i) = self.arena.get(at + 1..).and_then(|r| crate::bytes::memchr(0, r)) {
                let r = (at + 1, at + 1 + i);
                at = r.1 + 1;
                let name = self.arena.get(r.0..r.1).unwrap_or_default();
                if !self.o.excl.iter().any(|pat| crate::applets::a_test::glob(pat, name)) {
                    self.names.push(r);
                    count[f] += 1;
                }
            }
            let arena = &self.arena;
            let key = |r: &(usize, usize)| arena.get(r.0..r.1).unwrap_or_default();
            if let Some(v) = self.names.get_mut(nbase + count[0] * f..) {
                v.sort_unstable_by(|x, y| crate::text::cmp_bytes(key(x), key(y)));
            }
        }
        if depth >= DEEP {
            // Deep down, entries are reached by path: keep no descriptor.
            for d in fd.iter_mut() {
                if *d >= 0 {
                    close(*d);
                    *d = libc::AT_FDCWD;
                }
            }
        }
        for f in 0..2 {
            if let Some(s) = st[f] {
                self.anc[f].push((s.st_dev, s.st_ino));
            }
        }
        let (mut i, mut j) = (nbase, nbase + count[0]);
        let (iend, jend) = (j, j + count[1]);
        let mut nb = [0u8; 256];
        while ok && (i < iend || j < jend) {
            let name_of = |k: usize| self.names.get(k).and_then(|r| self.arena.get(r.0..r.1));
            let (x, y) = (if i < iend { name_of(i) } else { None }, if j < jend { name_of(j) } else { None });
            let ord = match (x, y) {
                (Some(a), Some(b)) => crate::text::cmp_bytes(a, b),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            let name = if ord == std::cmp::Ordering::Greater { y } else { x }.unwrap_or_default();
            let present = [ord != std::cmp::Ordering::Greater, ord != std::cmp::Ordering::Less];
            let dtype = |k: usize| self.names.get(k).and_then(|r| self.arena.get(r.0.wrapping_sub(1))).copied();
            let regs = ord == std::cmp::Ordering::Equal && dtype(i) == Some(libc::DT_REG) && dtype(j) == Some(libc::DT_REG);
            match ord {
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                }
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
            }
            // -S: the top level starts at that name.
            if depth == 0 && self.o.start.as_ref().is_some_and(|s| name < s.as_slice()) {
                continue;
            }
            let Some(dst) = nb.get_mut(..name.len()) else { continue };
            dst.copy_from_slice(name);
            nb[name.len()] = 0;
            let Ok(cname) = CStr::from_bytes_until_nul(&nb) else { continue };
            let plen = [self.path[0].len(), self.path[1].len()];
            for p in self.path.iter_mut() {
                if !p.ends_with(b"/") {
                    p.push(b'/');
                }
                p.extend_from_slice(cname.to_bytes());
            }
            self.entry(cx, fd, cname, present, depth, plen, regs);
            for (p, l) in self.path.iter_mut().zip(plen) {
                p.truncate(l);
            }
            if cx.out.err != 0 {
                break;
            }
        }
        for f in 0..2 {
            if st[f].is_some() {
                self.anc[f].pop();
            }
        }
        self.arena.truncate(abase);
        self.names.truncate(nbase);
        fd.into_iter().for_each(close);
    }

    /// `Only in DIR: NAME`: the entry `path[f]` whose directory's path is `plen` long.
    fn only_in(&mut self, cx: &mut Cx, f: usize, plen: usize, name: &CStr) {
        let dir = self.path[f].get(..plen).unwrap_or_default();
        two(cx, b"Only in ", dir, b": ", name.to_bytes(), b"\n");
        self.differ();
    }

    /// One name of a directory comparison (GNU's compare_files below the top): `path[f]`
    /// is its path on each side, `dir[f]` the directory descriptor to look it up in.
    #[allow(clippy::too_many_arguments)]
    fn entry(&mut self, cx: &mut Cx, dir: [i32; 2], name: &CStr, present: [bool; 2], depth: usize, plen: [usize; 2], regs: bool) {
        let o = self.o;
        let follow = !o.no_deref;
        let mut bufs = [Vec::new(), Vec::new()];
        let [b0, b1] = &mut bufs;
        let ats = [at(dir[0], name, &self.path[0], b0), at(dir[1], name, &self.path[1], b1)];
        if regs {
            // Both directory entries say regular file: open and fstat, no lookup by name
            // for a stat first. Anything unexpected (a race, an error) goes the long way.
            let a = open_at(ats[0].0, ats[0].1, true);
            let b = open_at(ats[1].0, ats[1].1, true);
            if let (Ok(x), Ok(y)) = (a, b) {
                if let (Ok(s0), Ok(s1)) = (paths::fstat(x), paths::fstat(y)) {
                    if is_reg(&s0) && is_reg(&s1) {
                        let [p0, p1] = std::mem::take(&mut self.path);
                        self.files(cx, [&p0, &p1], [Some((x, &s0)), Some((y, &s1))], true);
                        self.path = [p0, p1];
                        close(x);
                        close(y);
                        return;
                    }
                }
            }
            for d in [a, b].into_iter().flatten() {
                close(d);
            }
        }
        let mut st: [Option<libc::stat>; 2] = [None, None];
        for f in 0..2 {
            // A name on one side only needs no stat unless -N compares it with nothing.
            if present[f] && (o.absent || present[1 - f]) {
                match crate::walk::stat_at(ats[f].0, ats[f].1, follow) {
                    Ok(s) => st[f] = Some(s),
                    Err(e) => {
                        let p = std::mem::take(&mut self.path[f]);
                        self.complain(cx, &p, crate::sys::strerror(e));
                        self.path[f] = p;
                    }
                }
            }
        }
        if present[0] != present[1] {
            let f = usize::from(present[1]);
            if !o.absent {
                self.only_in(cx, f, plen[f], name);
                return;
            }
            let Some(s) = st[f] else { return };
            if paths::is_dir(&s) && o.recurse {
                // GNU -N descends into the lone directory, comparing it with nothing.
                match crate::walk::open_dir(ats[f].0, ats[f].1, follow) {
                    Ok(d) => {
                        let mut fds = [-1, -1];
                        fds[f] = d;
                        let mut sts = [None, None];
                        sts[f] = Some(s);
                        self.dirs(cx, fds, sts, depth + 1);
                    }
                    Err(e) => {
                        let p = std::mem::take(&mut self.path[f]);
                        self.complain(cx, &p, crate::sys::strerror(e));
                        self.path[f] = p;
                    }
                }
            } else if is_reg(&s) {
                match open_at(ats[f].0, ats[f].1, !follow) {
                    Ok(d) => {
                        let mut src = [None, None];
                        src[f] = Some((d, &s));
                        let [p0, p1] = std::mem::take(&mut self.path);
                        self.files(cx, [&p0, &p1], src, true);
                        self.path = [p0, p1];
                        close(d);
                    }
                    Err(e) => {
                        let p = std::mem::take(&mut self.path[f]);
                        self.complain(cx, &p, crate::sys::strerror(e));
                        self.path[f] = p;
                    }
                }
            } else {
                self.only_in(cx, f, plen[f], name);
            }
            return;
        }
        let (Some(s0), Some(s1)) = (st[0], st[1]) else { return };
        let [p0, p1] = std::mem::take(&mut self.path);
        let p = [p0.as_slice(), p1.as_slice()];
        let t = |s: &libc::stat| s.st_mode & libc::S_IFMT;
        match (paths::is_dir(&s0), paths::is_dir(&s1)) {
            (true, true) if !o.recurse => {
                two(cx, b"Common subdirectories: ", p[0], b" and ", p[1], b"\n");
            }
            (true, true) => {
                let d0 = crate::walk::open_dir(ats[0].0, ats[0].1, follow);
                let d1 = crate::walk::open_dir(ats[1].0, ats[1].1, follow);
                match (d0, d1) {
                    (Ok(a), Ok(b)) => {
                        self.path = [p0, p1];
                        self.dirs(cx, [a, b], [Some(s0), Some(s1)], depth + 1);
                        return;
                    }
                    (a, b) => {
                        for (f, r) in [a, b].into_iter().enumerate() {
                            match r {
                                Ok(d) => close(d),
                                Err(e) => self.complain(cx, p[f], crate::sys::strerror(e)),
                            }
                        }
                    }
                }
            }
            (false, false) if is_reg(&s0) && is_reg(&s1) => {
                let a = open_at(ats[0].0, ats[0].1, !follow);
                let b = open_at(ats[1].0, ats[1].1, !follow);
                if let (Ok(x), Ok(y)) = (&a, &b) {
                    self.files(cx, p, [Some((*x, &s0)), Some((*y, &s1))], true);
                } else {
                    for (f, r) in [&a, &b].into_iter().enumerate() {
                        if let Err(e) = r {
                            self.complain(cx, p[f], crate::sys::strerror(*e));
                        }
                    }
                }
                for d in [a, b].into_iter().flatten() {
                    close(d);
                }
            }
            (false, false) if t(&s0) == libc::S_IFLNK && t(&s1) == libc::S_IFLNK => {
                // --no-dereference: links are equal when their targets are.
                let (mut l0, mut l1) = ([0u8; 4096], [0u8; 4096]);
                match (link_at(ats[0].0, ats[0].1, &mut l0), link_at(ats[1].0, ats[1].1, &mut l1)) {
                    (Ok(a), Ok(b)) => {
                        if a != b {
                            two(cx, b"Symbolic links ", p[0], b" and ", p[1], b" differ\n");
                            self.differ();
                        }
                    }
                    (a, b) => {
                        for (f, r) in [a, b].iter().enumerate() {
                            if let Err(e) = r {
                                self.complain(cx, p[f], crate::sys::strerror(*e));
                            }
                        }
                    }
                }
            }
            (false, false)
                if t(&s0) == t(&s1)
                    && (s0.st_dev == s1.st_dev && s0.st_ino == s1.st_ino
                        || matches!(t(&s0), libc::S_IFCHR | libc::S_IFBLK) && s0.st_rdev == s1.st_rdev) => {}
            _ => {
                let mut m = b"File ".to_vec();
                m.extend_from_slice(p[0]);
                m.extend_from_slice(b" is a ");
                m.extend_from_slice(kind(&s0));
                m.extend_from_slice(b" while file ");
                m.extend_from_slice(p[1]);
                m.extend_from_slice(b" is a ");
                m.extend_from_slice(kind(&s1));
                m.push(b'\n');
                cx.out.write(&m);
                self.differ();
            }
        }
        self.path = [p0, p1];
    }
}

fn kind(s: &libc::stat) -> &'static [u8] {
    match s.st_mode & libc::S_IFMT {
        libc::S_IFDIR => b"directory",
        libc::S_IFREG => {
            if s.st_size == 0 {
                b"regular empty file"
            } else {
                b"regular file"
            }
        }
        libc::S_IFLNK => b"symbolic link",
        libc::S_IFCHR => b"character special file",
        libc::S_IFBLK => b"block special file",
        libc::S_IFIFO => b"fifo",
        libc::S_IFSOCK => b"socket",
        _ => b"weird file",
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "abBdiL:NqrsS:tTuU:wx:X:\x01", &[("no-dereference", 1)])?;
    let mut ctx = 3usize;
    if let Some(u) = o.val(b'U') {
        ctx = usize::try_from(cx.num_u64(u)?).unwrap_or(usize::MAX / 8).min(usize::MAX / 8);
    }
    let mut labels = o.vals(b'L').map(|l| l.as_bytes().to_vec());
    let labels = [labels.next(), labels.next()];
    // GNU's switch string: the arguments before the operands, as typed.
    let mut switches = Vec::new();
    let nopt = args.len().saturating_sub(1 + o.args.len());
    for a in args.iter().skip(1).take(nopt) {
        shell_quote(a.as_bytes(), &mut switches);
        switches.push(b' ');
    }
    // -x PATTERN and -X FILE (a pattern a line), in the order given.
    let mut excl = Vec::new();
    for (c, v) in o.seen.iter() {
        let Some(v) = v else { continue };
        if *c == b'x' {
            excl.push(v.as_bytes().to_vec());
        } else if *c == b'X' {
            let mut data = Vec::new();
            let read = crate::io::Input::open(v).and_then(|mut i| crate::text::read_all(&mut i, &mut data));
            if let Err(e) = read {
                cx.err(&[v.as_bytes(), b": ", crate::sys::strerror(e)]);
                return Ok(2);
            }
            excl.extend(data.split(|&c| c == b'\n').filter(|l| !l.is_empty()).map(<[u8]>::to_vec));
        }
    }
    let opts = Opts {
        text: o.has(b'a'),
        space: if o.has(b'w') {
            b'w'
        } else if o.has(b'b') {
            b'b'
        } else {
            0
        },
        icase: o.has(b'i'),
        blank: o.has(b'B'),
        minimal: o.has(b'd'),
        absent: o.has(b'N'),
        brief: o.has(b'q'),
        recurse: o.has(b'r'),
        same: o.has(b's'),
        expand: o.has(b't'),
        tab: o.has(b'T'),
        ctx,
        labels,
        start: o.val(b'S').map(|s| s.as_bytes().to_vec()),
        no_deref: o.has(1),
        excl,
        switches,
    };
    if o.args.len() != 2 {
        return Err(cx.usage());
    }
    let p0 = o.args[0].as_bytes();
    let p1 = o.args[1].as_bytes();
    let mut run = Run {
        o: &opts,
        status: 0,
        sides: [Side::default(), Side::default()],
        arena: Vec::new(),
        names: Vec::new(),
        dents: Vec::new(),
        path: [Vec::new(), Vec::new()],
        anc: [Vec::new(), Vec::new()],
    };
    let s0 = stat_of(p0);
    let e0 = crate::sys::errno();
    let s1 = stat_of(p1);
    let e1 = crate::sys::errno();
    let absent = [s0.is_none(), s1.is_none()];
    for (f, (p, e)) in [(p0, e0), (p1, e1)].into_iter().enumerate() {
        if absent[f] && (!opts.absent || absent[1 - f]) {
            cx.err_no(&[b"can't stat '", p, b"'"].concat(), e);
            return Ok(2);
        }
    }
    let d0 = s0.as_ref().is_some_and(paths::is_dir);
    let d1 = s1.as_ref().is_some_and(paths::is_dir);
    if d0 && d1 {
        if let (Some(a), Some(b)) = (&s0, &s1) {
            if a.st_dev == b.st_dev && a.st_ino == b.st_ino {
                return Ok(0);
            }
        }
        let mut fds = [-1, -1];
        for (f, p) in [p0, p1].into_iter().enumerate() {
            let d = crate::sys::cstr(p).ok_or(libc::EINVAL).and_then(|c| crate::walk::open_dir(libc::AT_FDCWD, &c, true));
            match d {
                Ok(d) => fds[f] = d,
                Err(e) => {
                    cx.err(&[p, b": ", crate::sys::strerror(e)]);
                    close(fds[0]);
                    return Ok(2);
                }
            }
        }
        run.path = [p0.to_vec(), p1.to_vec()];
        run.dirs(cx, fds, [s0, s1], 0);
    } else if d0 || d1 {
        // A file and a directory: the file against its namesake in the directory.
        if p0 == b"-" || p1 == b"-" {
            cx.err(&[b"can't compare stdin to a directory"]);
            return Ok(2);
        }
        let (d, f) = if d0 { (p0, p1) } else { (p1, p0) };
        let q = join(d, crate::sys::basename(f));
        let pair: [&[u8]; 2] = if d0 { [&q, p1] } else { [p0, &q] };
        let Some(sq) = stat_of(&q) else {
            let e = crate::sys::errno();
            cx.err_no(&[b"can't stat '", &q[..], b"'"].concat(), e);
            return Ok(2);
        };
        let st = if d0 { [Some(sq), s1] } else { [s0, Some(sq)] };
        run.top_files(cx, pair, st);
    } else {
        run.top_files(cx, [p0, p1], [s0, s1]);
    }
    Ok(run.status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> Opts {
        Opts {
            text: false,
            space: 0,
            icase: false,
            blank: false,
            minimal: false,
            absent: false,
            brief: false,
            recurse: false,
            same: false,
            expand: false,
            tab: false,
            ctx: 3,
            labels: [None, None],
            start: None,
            no_deref: false,
            excl: Vec::new(),
            switches: Vec::new(),
        }
    }

    fn side(s: &[u8]) -> Side {
        let mut x = Side { data: s.to_vec(), ..Default::default() };
        x.split();
        x
    }

    fn ch(a: &[u8], b: &[u8], o: &Opts) -> Vec<(usize, usize, usize, usize)> {
        changes(&side(a), &side(b), o).iter().map(|c| (c.l0, c.del, c.l1, c.ins)).collect()
    }

    #[test]
    fn ranges_as_gnu() {
        let mut v = Vec::new();
        range(&mut v, 4, 4);
        v.push(b' ');
        range(&mut v, 0, 1);
        v.push(b' ');
        range(&mut v, 2, 7);
        assert_eq!(v, b"4,0 1 3,5");
    }

    #[test]
    fn quoting_as_gnu() {
        let mut v = Vec::new();
        quote(b"plain/name", &mut v);
        v.push(b'|');
        quote(b"a b\t\"\x01", &mut v);
        assert_eq!(v, b"plain/name|\"a b\\t\\\"\\001\"");
    }

    #[test]
    fn lines_split_with_and_without_newline() {
        let s = side(b"a\nb");
        assert_eq!((s.lines(), s.line(0), s.line(1), s.line(2)), (2, &b"a\n"[..], &b"b"[..], &b""[..]));
        assert_eq!(side(b"").lines(), 0);
    }

    #[test]
    fn changes_and_shifted_boundaries() {
        let o = opts();
        assert_eq!(ch(b"a\nb\nc\n", b"a\nc\n", &o), [(1, 1, 1, 0)]);
        assert_eq!(ch(b"", b"x\n", &o), [(0, 0, 0, 1)]);
        assert_eq!(ch(b"x", b"x\n", &o), [(0, 1, 0, 1)]);
        // A duplicated line is reported where GNU puts it: as late as it can slide.
        assert_eq!(ch(b"a\nb\nc\n", b"a\nb\nb\nc\n", &o), [(2, 0, 2, 1)]);
        assert_eq!(ch(b"}\n\n}\n", b"}\n\n}\n\n}\n", &o), [(3, 0, 3, 2)]);
    }

    #[test]
    fn whitespace_and_case_options() {
        let mut o = opts();
        o.space = b'b';
        assert!(ch(b"a  b \n", b"a b\n", &o).is_empty());
        assert_eq!(ch(b"ab\n", b"a b\n", &o).len(), 1);
        o.space = b'w';
        assert!(ch(b"ab\n", b" a\tb\n", &o).is_empty());
        o.space = 0;
        o.icase = true;
        assert!(ch(b"ABC\n", b"abc\n", &o).is_empty());
        o.icase = false;
        o.blank = true;
        assert!(changes(&side(b"a\n\nb\n"), &side(b"a\nb\n"), &o).iter().all(|c| c.ignore));
    }

    #[test]
    fn newlines_found_by_every_path() {
        // Long enough for the 16-byte steps, the 8-byte steps and the tail; bytes that
        // differ from '\n' in one bit, and high bytes, must not count.
        let mut g = 7u64;
        for len in [0usize, 1, 7, 8, 9, 15, 16, 17, 31, 40, 100, 257] {
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    g = g.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    [b'\n', 0x8a, 0x0b, 0x08, 0xff, 0, b'a'][(g >> 33) as usize % 7]
                })
                .collect();
            let mut off = Vec::new();
            newlines(&data, &mut off);
            let want: Vec<usize> = data.iter().enumerate().filter(|c| *c.1 == b'\n').map(|c| c.0 + 1).collect();
            assert_eq!(off, want, "{data:?}");
            let (mut x, y) = (data.clone(), data.clone());
            assert!(eq(&x, &y));
            if let Some(c) = x.last_mut() {
                *c ^= 1;
                assert!(!eq(&x, &y));
            }
            let mut v = b"x".to_vec();
            append(&mut v, &data);
            assert_eq!(&v[1..], &data[..]);
        }
    }

    #[test]
    fn discards_lines_of_one_side_only() {
        let d = discards([&[1, 2, 3], &[1, 4, 3]], 5);
        assert_eq!(d[0], [0, 1, 0]);
        assert_eq!(d[1], [0, 1, 0]);
    }
}
