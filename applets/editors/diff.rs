//! applet: diff
//! usage: diff [-abBdiNqrTstw] [-L LABEL] [-S FILE] [-U LINES] FILE1 FILE2
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

// The comparison is GNU diff's (analyze.c and gnulib's diffseq.h, rewritten): the common
// prefix and suffix are trimmed (keeping `context` lines of each, as GNU's horizon), lines
// become equivalence classes (hashed once), lines that occur only on one side are
// discarded by GNU's rules, Myers' O(ND) search splits at the middle snake with GNU's
// cost limit, and change groups are shifted to GNU's boundaries. So hunks are GNU's own.

use crate::{paths, strftime, time, Cx, Res};
use std::ffi::OsStr;
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
}

impl Side {
    fn lines(&self) -> usize {
        self.off.len().saturating_sub(1)
    }
    fn line(&self, i: usize) -> &[u8] {
        match (self.off.get(i), self.off.get(i + 1)) {
            (Some(&a), Some(&b)) => self.data.get(a..b).unwrap_or_default(),
            _ => b"",
        }
    }
    fn split(&mut self) {
        self.off.clear();
        self.off.push(0);
        let mut p = 0;
        for i in memchr::memchr_iter(b'\n', &self.data) {
            p = i + 1;
            self.off.push(p);
        }
        if p < self.data.len() {
            self.off.push(self.data.len());
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

fn hash(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in b {
        h = (h ^ c as u64).wrapping_mul(0x0100_0000_01b3);
    }
    h
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
    let mut reps: Vec<(u64, u8, usize)> = vec![(0, 0, 0)];
    let mut buf = Vec::new();
    let mut buf2 = Vec::new();
    let mut out = [Vec::with_capacity(r0.1 - r0.0), Vec::with_capacity(r1.1 - r1.0)];
    for (s, side, r) in [(0u8, a, r0), (1u8, b, r1)] {
        for i in r.0..r.1 {
            let line = side.line(i);
            let key: &[u8] = if plain {
                line
            } else {
                canon(line, o, &mut buf);
                &buf
            };
            let h = hash(key);
            let mut slot = (h as usize) & mask;
            let class = loop {
                let c = table[slot];
                if c == 0 {
                    reps.push((h, s, i));
                    let c = (reps.len() - 1) as u32;
                    table[slot] = c;
                    break c;
                }
                let (rh, rs, ri) = reps[c as usize];
                if rh == h {
                    let rline = if rs == 0 { a.line(ri) } else { b.line(ri) };
                    let same = if plain {
                        rline == key
                    } else {
                        canon(rline, o, &mut buf2);
                        buf2 == key
                    };
                    if same {
                        break c;
                    }
                }
                slot = (slot + 1) & mask;
            };
            out[s as usize].push(class);
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
    while pre < n0 && pre < n1 && a.line(pre) == b.line(pre) {
        pre += 1;
    }
    let horizon = o.ctx;
    let lo = pre - pre.min(horizon);
    let mut suf = 0;
    let room = n0.min(n1) - lo;
    while suf < room && a.line(n0 - 1 - suf) == b.line(n1 - 1 - suf) {
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

/// One output line: its marker, the text (tabs expanded with -t), and GNU's note for a
/// last line without a newline.
fn put_line(cx: &mut Cx, mark: u8, line: &[u8], o: &Opts) {
    if o.tab {
        // -T: a tab after the marker, except before an empty context line... as GNU: always
        // for +/-, and instead of the space for context.
        if mark == b' ' {
            cx.out.byte(b'\t');
        } else {
            cx.out.byte(mark);
            cx.out.byte(b'\t');
        }
    } else {
        cx.out.byte(mark);
    }
    let body = line.strip_suffix(b"\n");
    let text = body.unwrap_or(line);
    if o.expand {
        let mut col = 0usize;
        for &c in text {
            if c == b'\t' {
                let n = 8 - col % 8;
                for _ in 0..n {
                    cx.out.byte(b' ');
                }
                col += n;
            } else {
                cx.out.byte(c);
                col += 1;
            }
        }
    } else {
        cx.out.write(text);
    }
    cx.out.byte(b'\n');
    if body.is_none() {
        cx.out.write(b"\\ No newline at end of file\n");
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

fn unified(cx: &mut Cx, a: &Side, b: &Side, chs: &[Change], o: &Opts) {
    let ctx = o.ctx;
    let mut k = 0;
    let mut h = Vec::with_capacity(64);
    while k < chs.len() {
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
        h.clear();
        h.extend_from_slice(b"@@ -");
        range(&mut h, first0, last0);
        h.extend_from_slice(b" +");
        range(&mut h, first1, last1);
        h.extend_from_slice(b" @@\n");
        cx.out.write(&h);
        let mut i = first0;
        for c in hunk {
            while i < c.l0 {
                put_line(cx, b' ', a.line(i), o);
                i += 1;
            }
            for x in c.l0..c.l0 + c.del {
                put_line(cx, b'-', a.line(x), o);
            }
            for y in c.l1..c.l1 + c.ins {
                put_line(cx, b'+', b.line(y), o);
            }
            i = c.l0 + c.del;
        }
        while i < last0 {
            put_line(cx, b' ', a.line(i), o);
            i += 1;
        }
    }
}

/// Reads a whole file (`-` = stdin); Err(errno).
fn load(path: &[u8], s: &mut Side) -> Result<(), i32> {
    let mut inp = if path == b"-" {
        crate::io::Input::stdin()
    } else {
        crate::io::Input::open(OsStr::from_bytes(path))?
    };
    let st = paths::fstat(inp.fd())?;
    s.mtime = st.st_mtime;
    s.nsec = st.st_mtime_nsec as u32;
    s.data.clear();
    if st.st_mode & libc::S_IFMT == libc::S_IFREG && st.st_size > 0 {
        s.data.reserve(st.st_size as usize + 1);
    }
    loop {
        if s.data.capacity() - s.data.len() < crate::io::BLOCK {
            s.data.reserve(crate::io::BLOCK);
        }
        let len = s.data.len();
        let cap = s.data.capacity();
        s.data.resize(cap, 0);
        let r = inp.read(&mut s.data[len..]);
        match r {
            Ok(0) => {
                s.data.truncate(len);
                break;
            }
            Ok(n) => s.data.truncate(len + n),
            Err(e) => {
                s.data.truncate(len);
                if e == libc::EISDIR {
                    return Err(e);
                }
                return Err(e);
            }
        }
    }
    Ok(())
}

struct Run<'a> {
    o: &'a Opts,
    status: i32,
    sides: [Side; 2],
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

impl Run<'_> {
    fn trouble(&mut self) {
        self.status = 2;
    }

    fn differ(&mut self) {
        if self.status == 0 {
            self.status = 1;
        }
    }

    /// Compares two files (either may be absent with -N).
    fn files(&mut self, cx: &mut Cx, p: [&[u8]; 2], absent: [bool; 2], in_dir: bool) {
        let o = self.o;
        for f in 0..2 {
            let s = &mut self.sides[f];
            s.absent = absent[f];
            s.data.clear();
            if !absent[f] {
                if let Err(e) = load(p[f], s) {
                    cx.err(&[p[f], b": ", crate::sys::strerror(e)]);
                    self.trouble();
                    return;
                }
            }
        }
        let [a, b] = &mut self.sides;
        let binary = !o.text && [&*a, &*b].iter().any(|s| memchr::memchr(0, s.data.get(..4096).unwrap_or(&s.data)).is_some());
        if binary {
            if a.data != b.data {
                let mut m = Vec::new();
                m.extend_from_slice(if o.brief { b"Files " } else { b"Binary files " });
                m.extend_from_slice(p[0]);
                m.extend_from_slice(b" and ");
                m.extend_from_slice(p[1]);
                m.extend_from_slice(b" differ\n");
                cx.out.write(&m);
                self.differ();
            } else if o.same {
                self.identical(cx, p);
            }
            return;
        }
        a.split();
        b.split();
        let chs = changes(a, b, o);
        if chs.iter().all(|c| c.ignore) {
            if o.same {
                self.identical(cx, p);
            }
            return;
        }
        self.status = self.status.max(1);
        if o.brief {
            let mut m = Vec::new();
            m.extend_from_slice(b"Files ");
            m.extend_from_slice(p[0]);
            m.extend_from_slice(b" and ");
            m.extend_from_slice(p[1]);
            m.extend_from_slice(b" differ\n");
            cx.out.write(&m);
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
        let mut m = b"Files ".to_vec();
        m.extend_from_slice(p[0]);
        m.extend_from_slice(b" and ");
        m.extend_from_slice(p[1]);
        m.extend_from_slice(b" are identical\n");
        cx.out.write(&m);
    }

    fn names(&mut self, cx: &mut Cx, dir: &[u8]) -> Option<Vec<Vec<u8>>> {
        match std::fs::read_dir(OsStr::from_bytes(dir)) {
            Ok(rd) => {
                let mut v: Vec<Vec<u8>> = rd.filter_map(|e| e.ok()).map(|e| e.file_name().as_bytes().to_vec()).collect();
                v.sort();
                Some(v)
            }
            Err(e) => {
                cx.err(&[dir, b": ", crate::sys::strerror(e.raw_os_error().unwrap_or(libc::EIO))]);
                self.trouble();
                None
            }
        }
    }

    /// GNU's diff_dirs: the sorted union of names, each compared.
    fn dirs(&mut self, cx: &mut Cx, d: [&[u8]; 2], top: bool) {
        let (Some(n0), Some(n1)) = (self.names(cx, d[0]), self.names(cx, d[1])) else { return };
        let (mut i, mut j) = (0, 0);
        let start = if top { self.o.start.clone() } else { None };
        while i < n0.len() || j < n1.len() {
            let ord = match (n0.get(i), n1.get(j)) {
                (Some(a), Some(b)) => a.cmp(b),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            let name = match ord {
                std::cmp::Ordering::Greater => &n1[j],
                _ => &n0[i],
            };
            let skip = start.as_ref().is_some_and(|s| name.as_slice() < s.as_slice());
            if !skip {
                let p0 = join(d[0], name);
                let p1 = join(d[1], name);
                match ord {
                    std::cmp::Ordering::Equal => self.entry(cx, [&p0, &p1], [true, true]),
                    std::cmp::Ordering::Less => self.entry(cx, [&p0, &p1], [true, false]),
                    std::cmp::Ordering::Greater => self.entry(cx, [&p0, &p1], [false, true]),
                }
                if cx.out.err != 0 {
                    return;
                }
            }
            match ord {
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                }
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
            }
        }
    }

    /// One name of a directory comparison.
    fn entry(&mut self, cx: &mut Cx, p: [&[u8]; 2], present: [bool; 2]) {
        let o = self.o;
        let st = [
            if present[0] { paths::stat(p[0], true).ok() } else { None },
            if present[1] { paths::stat(p[1], true).ok() } else { None },
        ];
        let isdir = |s: &Option<libc::stat>| s.as_ref().is_some_and(paths::is_dir);
        if !present[0] || !present[1] {
            let f = if present[0] { 0 } else { 1 };
            if o.absent && !isdir(&st[f]) && st[f].is_some() {
                self.files(cx, p, [!present[0], !present[1]], true);
                return;
            }
            if o.absent && isdir(&st[f]) && o.recurse {
                // GNU -N descends into the lone directory, comparing against nothing.
                self.lone_dir(cx, p, f);
                return;
            }
            let (dir, name) = split(p[f]);
            let mut m = b"Only in ".to_vec();
            m.extend_from_slice(dir);
            m.extend_from_slice(b": ");
            m.extend_from_slice(name);
            m.push(b'\n');
            cx.out.write(&m);
            self.differ();
            return;
        }
        let (Some(s0), Some(s1)) = (st[0], st[1]) else {
            for f in 0..2 {
                if st[f].is_none() {
                    let e = crate::sys::errno();
                    cx.err(&[p[f], b": ", crate::sys::strerror(e)]);
                }
            }
            self.trouble();
            return;
        };
        match (paths::is_dir(&s0), paths::is_dir(&s1)) {
            (true, true) => {
                if o.recurse {
                    self.dirs(cx, p, false);
                } else {
                    let mut m = b"Common subdirectories: ".to_vec();
                    m.extend_from_slice(p[0]);
                    m.extend_from_slice(b" and ");
                    m.extend_from_slice(p[1]);
                    m.push(b'\n');
                    cx.out.write(&m);
                }
            }
            (false, false) => {
                let reg = |s: &libc::stat| s.st_mode & libc::S_IFMT == libc::S_IFREG;
                if !reg(&s0) || !reg(&s1) {
                    let mut m = b"File ".to_vec();
                    m.extend_from_slice(p[0]);
                    m.extend_from_slice(b" is a ");
                    m.extend_from_slice(kind(&s0));
                    m.extend_from_slice(b" while file ");
                    m.extend_from_slice(p[1]);
                    m.extend_from_slice(b" is a ");
                    m.extend_from_slice(kind(&s1));
                    m.push(b'\n');
                    if s0.st_mode & libc::S_IFMT != s1.st_mode & libc::S_IFMT || !(s0.st_dev == s1.st_dev && s0.st_ino == s1.st_ino) {
                        if s0.st_mode & libc::S_IFMT == s1.st_mode & libc::S_IFMT && (s0.st_rdev == s1.st_rdev) {
                            return;
                        }
                        cx.out.write(&m);
                        self.differ();
                    }
                    return;
                }
                self.files(cx, p, [false, false], true);
            }
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
    }

    fn lone_dir(&mut self, cx: &mut Cx, p: [&[u8]; 2], f: usize) {
        let Some(names) = self.names(cx, p[f]) else { return };
        for n in names {
            let q0 = join(p[0], &n);
            let q1 = join(p[1], &n);
            let present = if f == 0 { [true, false] } else { [false, true] };
            self.entry(cx, [&q0, &q1], present);
        }
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

fn split(p: &[u8]) -> (&[u8], &[u8]) {
    match p.iter().rposition(|&c| c == b'/') {
        Some(i) => (p.get(..i).unwrap_or_default(), p.get(i + 1..).unwrap_or_default()),
        None => (b".", p),
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "abBdiL:NqrsS:tTuU:w", &[])?;
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
        quote(a.as_bytes(), &mut switches);
        switches.push(b' ');
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
        switches,
    };
    if o.args.len() != 2 {
        return Err(cx.usage());
    }
    let p0 = o.args[0].as_bytes();
    let p1 = o.args[1].as_bytes();
    let mut run = Run { o: &opts, status: 0, sides: [Side::default(), Side::default()] };
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
        run.dirs(cx, [p0, p1], true);
    } else if d0 || d1 {
        // A file and a directory: the file against its namesake in the directory.
        if p0 == b"-" || p1 == b"-" {
            cx.err(&[b"can't compare stdin to a directory"]);
            return Ok(2);
        }
        let (d, f) = if d0 { (p0, p1) } else { (p1, p0) };
        let q = join(d, crate::sys::basename(f));
        let pair: [&[u8]; 2] = if d0 { [&q, p1] } else { [p0, &q] };
        if stat_of(&q).is_none() {
            let e = crate::sys::errno();
            cx.err_no(&[b"can't stat '", &q[..], b"'"].concat(), e);
            return Ok(2);
        }
        run.files(cx, pair, [false, false], false);
    } else {
        run.files(cx, [p0, p1], absent, false);
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
    fn discards_lines_of_one_side_only() {
        let d = discards([&[1, 2, 3], &[1, 4, 3]], 5);
        assert_eq!(d[0], [0, 1, 0]);
        assert_eq!(d[1], [0, 1, 0]);
    }
}
