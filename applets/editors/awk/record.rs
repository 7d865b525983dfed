//! Records and fields: readers for RS (newline or one byte, "" paragraphs, a regex), and
//! $0 split lazily, only when a field or NF is used.

use super::value::Val;
use crate::regex::Regex;

/// Appends `s`: short slices (fields, records of a line) by two overlapping moves of a
/// fixed size, as musl's memcpy (`rep movsq`) costs more to start than a short copy takes
/// (measured: 69% of `{$3 = ""; print}` was memcpy).
#[inline(never)]
pub fn push_bytes(out: &mut Vec<u8>, s: &[u8]) {
    let n = s.len();
    if n > 64 {
        return out.extend_from_slice(s);
    }
    out.reserve(n);
    let len = out.len();
    let (p, d) = (s.as_ptr(), out.as_mut_ptr());
    /// Copies K bytes at `from` of p to d, unaligned.
    unsafe fn mv<const K: usize>(p: *const u8, d: *mut u8, from: usize) {
        d.add(from)
            .cast::<[u8; K]>()
            .write_unaligned(p.add(from).cast::<[u8; K]>().read_unaligned());
    }
    // SAFETY: reserve made room for n more bytes after len; every move reads within the
    // n bytes of s and writes within d[len..len + n], all of which are written before
    // set_len (the two moves of a size K <= n overlap in the middle and cover 0..n).
    unsafe {
        let d = d.add(len);
        if n >= 32 {
            mv::<16>(p, d, 0);
            mv::<16>(p, d, 16);
            mv::<16>(p, d, n - 32);
            mv::<16>(p, d, n - 16);
        } else if n >= 16 {
            mv::<16>(p, d, 0);
            mv::<16>(p, d, n - 16);
        } else if n >= 8 {
            mv::<8>(p, d, 0);
            mv::<8>(p, d, n - 8);
        } else if n >= 4 {
            mv::<4>(p, d, 0);
            mv::<4>(p, d, n - 4);
        } else if n > 0 {
            *d = *p;
            *d.add(n / 2) = *p.add(n / 2);
            *d.add(n - 1) = *p.add(n - 1);
        }
        out.set_len(len + n);
    }
}

/// How FS splits.
pub enum Fs {
    /// " ": runs of blanks and newlines, leading and trailing ones ignored.
    Space,
    Byte(u8),
    /// "": every byte a field.
    Each,
    Re(Regex),
}

#[derive(Clone)]
pub enum Field {
    Range(u32, u32),
    Val(Val),
}

/// The record's text: its own copy, or a range of the main input's block, lent to the
/// record while it lies there (a record read is not copied).
#[derive(Default)]
pub struct Text {
    pub own: Vec<u8>,
    /// The main reader's block (while lent: see [`Reader::next_lent`]).
    lent: Vec<u8>,
    in_lent: bool,
    lo: usize,
    hi: usize,
}

impl Text {
    #[inline]
    pub fn get(&self) -> &[u8] {
        if self.in_lent {
            self.lent.get(self.lo..self.hi).unwrap_or_default()
        } else {
            &self.own
        }
    }
}

#[derive(Default)]
pub struct Record {
    pub text: Text,
    pub fields: Vec<Field>,
    /// Every field is split.
    pub split: bool,
    /// `fields` holds the first fields only (blank or one-byte FS); the rest start at
    /// `resume`. A program reading `$2` of wide lines splits no further than it needs.
    pub partial: bool,
    resume: usize,
    spare: Vec<u8>,
    /// A field or NF was assigned: $0 is rebuilt with OFS when read.
    pub dirty: bool,
}

impl Record {
    pub fn set(&mut self, b: &[u8]) {
        self.text.own.clear();
        self.text.own.extend_from_slice(b);
        self.text.in_lent = false;
        self.unsplit();
        self.dirty = false;
    }

    #[inline]
    pub fn line(&self) -> &[u8] {
        self.text.get()
    }

    /// Makes `b` the record, giving back the old one's buffer.
    pub fn swap_own(&mut self, b: &mut Vec<u8>) {
        std::mem::swap(&mut self.text.own, b);
        self.text.in_lent = false;
        self.unsplit();
        self.dirty = false;
    }

    pub fn unsplit(&mut self) {
        self.split = false;
        self.partial = false;
    }

    /// Splits at least the first `want` fields (all of them when FS is a regex, "" or
    /// splits on newlines too). The FS given must be the one the split began with.
    pub fn split_upto(&mut self, fs: &Fs, para: bool, want: usize) {
        let s = self.text.get();
        let n = s.len();
        if !self.partial {
            match fs {
                Fs::Space => {}
                Fs::Byte(c) if !para || *c == b'\n' => {}
                _ => return self.split_with(fs, para),
            }
            self.fields.clear();
            self.resume = 0;
            self.partial = true;
            if n == 0 {
                self.partial = false;
                self.split = true;
                return;
            }
        }
        let f = &mut self.fields;
        let mut i = self.resume;
        match fs {
            Fs::Space => {
                let blank = |c: u8| c <= b' ' && (c == b' ' || c == b'\t' || c == b'\n');
                let mut done = false;
                while f.len() < want {
                    while i < n && blank(s[i]) {
                        i += 1;
                    }
                    if i >= n {
                        done = true;
                        break;
                    }
                    let st = i;
                    i += 1;
                    while i < n && !blank(s[i]) {
                        i += 1;
                    }
                    f.push(Field::Range(st as u32, i as u32));
                }
                // Stopped at `want`: the rest waits, even if it is only blanks.
                self.resume = i;
                if done {
                    self.partial = false;
                    self.split = true;
                }
            }
            Fs::Byte(c) => {
                while f.len() < want {
                    match crate::bytes::memchr(*c, s.get(i..).unwrap_or_default()) {
                        Some(k) => {
                            f.push(Field::Range(i as u32, (i + k) as u32));
                            i += k + 1;
                        }
                        None => {
                            f.push(Field::Range(i as u32, n as u32));
                            self.partial = false;
                            self.split = true;
                            return;
                        }
                    }
                }
                self.resume = i;
            }
            _ => {}
        }
    }

    /// Splits `line` by `fs` into ranges; `para`: newline separates too (RS="").
    pub fn split_with(&mut self, fs: &Fs, para: bool) {
        // Blanks and a single byte (without RS="" newlines): split_upto's loops, to the end.
        if matches!(fs, Fs::Space) || matches!(fs, Fs::Byte(c) if !para || *c == b'\n') {
            self.unsplit();
            return self.split_upto(fs, para, usize::MAX);
        }
        self.fields.clear();
        self.split = true;
        self.partial = false;
        let s = self.text.get();
        let n = s.len();
        if n == 0 {
            return;
        }
        let f = &mut self.fields;
        match fs {
            Fs::Space => {} // split_upto's, above
            Fs::Byte(c) => {
                // RS="": newlines separate fields too.
                let mut st = 0;
                for (i, &b) in s.iter().enumerate() {
                    if b == *c || b == b'\n' {
                        f.push(Field::Range(st as u32, i as u32));
                        st = i + 1;
                    }
                }
                f.push(Field::Range(st as u32, n as u32));
            }
            Fs::Each => {
                for i in 0..n {
                    f.push(Field::Range(i as u32, i as u32 + 1));
                }
            }
            Fs::Re(re) => {
                let mut st = 0;
                let mut pos = 0;
                while pos <= n {
                    let Some(m) = re.find_at(s, pos, false) else {
                        break;
                    };
                    let (ms, me) = (m.start(), m.end());
                    if me == ms {
                        // An empty match separates nothing: look further.
                        pos = ms + 1;
                        continue;
                    }
                    f.push(Field::Range(st as u32, ms as u32));
                    st = me;
                    pos = me;
                }
                f.push(Field::Range(st as u32, n as u32));
                if para {
                    // Newlines separate too: split each field again on them.
                    let old = std::mem::take(f);
                    for fl in old {
                        if let Field::Range(a, b) = fl {
                            let mut st = a as usize;
                            for i in a as usize..b as usize {
                                if s[i] == b'\n' {
                                    f.push(Field::Range(st as u32, i as u32));
                                    st = i + 1;
                                }
                            }
                            f.push(Field::Range(st as u32, b));
                        }
                    }
                }
            }
        }
    }

    pub fn field_bytes(&self, i: usize) -> &[u8] {
        match self.fields.get(i) {
            Some(Field::Range(a, b)) => self.line().get(*a as usize..*b as usize).unwrap_or_default(),
            Some(Field::Val(Val::Str(s) | Val::StrNum(s))) => s,
            _ => b"",
        }
    }

    /// Rebuilds $0 from the fields with `ofs`; the fields become values.
    pub fn rebuild(&mut self, ofs: &[u8], convfmt: &[u8]) {
        // Buffers are reused: no allocation per record once they have grown.
        let mut out = std::mem::take(&mut self.spare);
        out.clear();
        let line = self.text.get();
        out.reserve(line.len() + self.fields.len() * ofs.len() + 16);
        // Fields still in the line that were separated by exactly OFS go out as one span
        // (`{$3 = ""}` on blank-separated lines: three copies a record, not one per field).
        // `span`: line[ps..pe] is pending, to land at out[so..].
        let mut span: Option<(usize, usize, usize)> = None;
        let flush = |out: &mut Vec<u8>, span: &mut Option<(usize, usize, usize)>| {
            if let Some((ps, pe, _)) = span.take() {
                push_bytes(out, line.get(ps..pe).unwrap_or_default());
            }
        };
        for (k, f) in self.fields.iter_mut().enumerate() {
            if let Field::Range(a, b) = *f {
                let (a, b) = (a as usize, b as usize);
                if let Some((ps, pe, so)) = span {
                    if pe <= a && line.get(pe..a) == Some(ofs) {
                        span = Some((ps, b, so));
                        *f = Field::Range((so + a - ps) as u32, (so + b - ps) as u32);
                        continue;
                    }
                }
                flush(&mut out, &mut span);
                if k > 0 {
                    push_bytes(&mut out, ofs);
                }
                let so = out.len();
                span = Some((a, b, so));
                *f = Field::Range(so as u32, (so + b - a) as u32);
                continue;
            }
            flush(&mut out, &mut span);
            if k > 0 {
                // The usual one-byte OFS without a call (room is reserved above).
                match ofs {
                    [c] => out.push(*c),
                    _ => push_bytes(&mut out, ofs),
                }
            }
            let st = out.len();
            if let Field::Val(v) = &*f {
                v.put(&mut out, convfmt);
            }
            *f = Field::Range(st as u32, out.len() as u32);
        }
        flush(&mut out, &mut span);
        self.spare = std::mem::replace(&mut self.text.own, out);
        self.text.in_lent = false;
        self.dirty = false;
    }
}

/// How RS separates records.
pub enum Rs {
    Byte(u8),
    Para,
    Re(Regex),
}

/// Bytes read at a time: 32 KiB keeps the peak memory of a streaming run low (128 KiB
/// blocks were a quarter of it) for a few thousand more reads per 100 MB (~1 ms).
const READ: usize = 32 * 1024;

/// A buffered reader of records.
pub struct Reader {
    pub fd: i32,
    /// Data is `buf[start..end]`; the rest of `buf` is room to read into (zeroed once, when
    /// it grows, not on every read).
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// `buf` is lent to the record (`Text::lent`).
    lent: bool,
}

impl Reader {
    pub fn new(fd: i32) -> Reader {
        Reader {
            fd,
            buf: Vec::new(),
            start: 0,
            end: 0,
            eof: false,
            lent: false,
        }
    }

    fn data(&self) -> &[u8] {
        self.buf.get(self.start..self.end).unwrap_or_default()
    }

    fn fill(&mut self) -> Result<bool, i32> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 && (self.start >= self.end / 2 || self.end > (1 << 20)) {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        let want = READ.max(self.end / 2);
        if self.buf.len() - self.end < want {
            self.buf.resize(self.end + want, 0);
        }
        let r = crate::sys::read(self.fd, &mut self.buf[self.end..]);
        match r {
            Ok(0) => {
                self.eof = true;
                Ok(false)
            }
            Ok(k) => {
                self.end += k;
                Ok(true)
            }
            Err(e) => {
                self.eof = true;
                Err(e)
            }
        }
    }

    /// Takes back the block lent to `t` (the record's bytes stay where they are until the
    /// next read into the block); true if it was lent.
    pub fn reclaim(&mut self, t: &mut Text) -> bool {
        if !self.lent {
            return false;
        }
        self.buf = std::mem::take(&mut t.lent);
        self.lent = false;
        true
    }

    /// The next record ended by `c` if it lies whole in the block: the block is lent to
    /// `t` with the record in it, no copy made. False: the block must be read into first
    /// (by `read`), which moves its bytes, so `t`'s record becomes its own copy (END may
    /// still read it). `gave`: `reclaim` took the block back from `t` just before.
    pub fn next_lent(&mut self, c: u8, t: &mut Text, gave: bool) -> bool {
        let d = self.buf.get(self.start..self.end).unwrap_or_default();
        if let Some(i) = crate::bytes::memchr(c, d) {
            t.lo = self.start;
            t.hi = self.start + i;
            self.start += i + 1;
            t.lent = std::mem::take(&mut self.buf);
            t.in_lent = true;
            self.lent = true;
            return true;
        }
        self.keep(t, gave);
        false
    }

    /// Before a read into the block: a record lying in it becomes its own copy.
    pub fn keep(&self, t: &mut Text, gave: bool) {
        if t.in_lent {
            let src = if gave { &self.buf } else { &t.lent };
            t.own.clear();
            push_bytes(&mut t.own, src.get(t.lo..t.hi).unwrap_or_default());
            t.in_lent = false;
        }
    }

    /// The next record into `out`; false at the end.
    pub fn read(&mut self, rs: &Rs, out: &mut Vec<u8>) -> Result<bool, i32> {
        if self.lent {
            // The block is the record's (`reclaim` first): never read into it.
            return Err(libc::EINVAL);
        }
        match rs {
            Rs::Byte(c) => {
                let mut scanned = self.start;
                loop {
                    if let Some(i) = crate::bytes::memchr(*c, &self.buf[scanned..self.end]) {
                        let e = scanned + i;
                        out.clear();
                        push_bytes(out, &self.buf[self.start..e]);
                        self.start = e + 1;
                        return Ok(true);
                    }
                    let off = self.end - self.start;
                    if !self.fill()? {
                        return Ok(self.rest(out));
                    }
                    scanned = self.start + off;
                }
            }
            Rs::Para => {
                // Skip leading newlines, then end at a run of two or more.
                loop {
                    while self.start < self.end && self.buf[self.start] == b'\n' {
                        self.start += 1;
                    }
                    if self.start < self.end || !self.fill()? {
                        break;
                    }
                }
                let mut scanned = self.start;
                loop {
                    if let Some(i) = crate::bytes::memmem::find(&self.buf[scanned..self.end], b"\n\n") {
                        let e = scanned + i;
                        let mut j = e;
                        while j < self.end && self.buf[j] == b'\n' {
                            j += 1;
                        }
                        let (oe, oj) = (e - self.start, j - self.start);
                        if j == self.end && !self.eof && self.fill()? {
                            scanned = self.start + oe;
                            continue;
                        }
                        // fill() may have moved the data to the front.
                        out.clear();
                        out.extend_from_slice(&self.buf[self.start..self.start + oe]);
                        self.start += oj;
                        return Ok(true);
                    }
                    let off = (self.end - self.start).saturating_sub(1);
                    if !self.fill()? {
                        if self.start < self.end && self.buf.get(self.end - 1) == Some(&b'\n') {
                            self.end -= 1;
                        }
                        return Ok(self.rest(out));
                    }
                    scanned = self.start + off;
                }
            }
            Rs::Re(re) => loop {
                let hay = self.data();
                if let Some(m) = re.find_at(hay, 0, false) {
                    if m.end() > m.start() && (m.end() < hay.len() || self.eof) {
                        out.clear();
                        out.extend_from_slice(&hay[..m.start()]);
                        self.start += m.end();
                        return Ok(true);
                    }
                }
                if !self.fill()? {
                    if let Some(m) = re.find_at(self.data(), 0, false) {
                        if m.end() > m.start() {
                            let hay = self.data();
                            out.clear();
                            out.extend_from_slice(&hay[..m.start()]);
                            self.start += m.end();
                            return Ok(true);
                        }
                    }
                    return Ok(self.rest(out));
                }
            },
        }
    }

    /// Passes over the whole records (ended by `c`) in the buffer that do not contain
    /// `lit` (which has no `c`), and returns how many: the program's one pattern needs it,
    /// so they would not match. The last whole record in the buffer is never passed over,
    /// so the one read last before the end is still read (END sees it as $0).
    pub fn skip_without(&mut self, c: u8, lit: &crate::bytes::memmem::Finder) -> usize {
        let d = self.data();
        let upto = match lit.find(d) {
            // Up to the start of the record the literal is in.
            Some(p) => crate::bytes::memrchr(c, &d[..p]).map_or(0, |i| i + 1),
            None => {
                // All but the last whole record.
                let Some(last) = crate::bytes::memrchr(c, d) else {
                    return 0;
                };
                crate::bytes::memrchr(c, &d[..last]).map_or(0, |i| i + 1)
            }
        };
        let n = crate::text::count_byte(&d[..upto], c);
        self.start += upto;
        n
    }

    fn rest(&mut self, out: &mut Vec<u8>) -> bool {
        if self.start >= self.end {
            return false;
        }
        out.clear();
        out.extend_from_slice(self.data());
        self.start = self.end;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_bytes_every_length() {
        let src: Vec<u8> = (0..100u8).collect();
        for pre in [0, 3] {
            for n in 0..=src.len() {
                let mut v = vec![7u8; pre];
                push_bytes(&mut v, &src[..n]);
                assert_eq!(&v[..pre], &[7u8; 3][..pre]);
                assert_eq!(&v[pre..], &src[..n], "length {n}");
            }
        }
    }
}
