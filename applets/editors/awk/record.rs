//! Records and fields: readers for RS (newline or one byte, "" paragraphs, a regex), and
//! $0 split lazily, only when a field or NF is used.

use super::value::Val;
use crate::regex::Regex;

/// Appends `s`: short slices (fields, records of a line) in words and bytes, as musl's
/// memcpy (`rep movsq`) costs more to start than a short copy takes (measured: 69% of
/// `{$3 = ""; print}` was memcpy).
#[inline]
pub fn push_bytes(out: &mut Vec<u8>, s: &[u8]) {
    if s.len() <= 64 {
        out.reserve(s.len());
        // Eight bytes a move, then bytes.
        let mut w = s.chunks_exact(8);
        for c in &mut w {
            let mut a = [0u8; 8];
            a.copy_from_slice(c);
            out.extend_from_slice(&a);
        }
        for &c in w.remainder() {
            out.push(c);
        }
    } else {
        out.extend_from_slice(s);
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

#[derive(Default)]
pub struct Record {
    pub line: Vec<u8>,
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
        self.line.clear();
        self.line.extend_from_slice(b);
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
        let s = &self.line;
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
                    match memchr::memchr(*c, s.get(i..).unwrap_or_default()) {
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
        let s = &self.line;
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
            Some(Field::Range(a, b)) => self.line.get(*a as usize..*b as usize).unwrap_or_default(),
            Some(Field::Val(Val::Str(s) | Val::StrNum(s))) => s,
            _ => b"",
        }
    }

    /// Rebuilds $0 from the fields with `ofs`; the fields become values.
    pub fn rebuild(&mut self, ofs: &[u8], convfmt: &[u8]) {
        // Buffers are reused: no allocation per record once they have grown.
        let mut out = std::mem::take(&mut self.spare);
        out.clear();
        out.reserve(self.line.len() + self.fields.len() * ofs.len() + 16);
        for (k, f) in self.fields.iter_mut().enumerate() {
            if k > 0 {
                push_bytes(&mut out, ofs);
            }
            let st = out.len();
            match &*f {
                Field::Range(a, b) => push_bytes(
                    &mut out,
                    self.line.get(*a as usize..*b as usize).unwrap_or_default(),
                ),
                Field::Val(v) => v.put(&mut out, convfmt),
            }
            *f = Field::Range(st as u32, out.len() as u32);
        }
        self.spare = std::mem::replace(&mut self.line, out);
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
}

impl Reader {
    pub fn new(fd: i32) -> Reader {
        Reader {
            fd,
            buf: Vec::new(),
            start: 0,
            end: 0,
            eof: false,
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

    /// The next record into `out`; false at the end.
    pub fn read(&mut self, rs: &Rs, out: &mut Vec<u8>) -> Result<bool, i32> {
        match rs {
            Rs::Byte(c) => {
                let mut scanned = self.start;
                loop {
                    if let Some(i) = memchr::memchr(*c, &self.buf[scanned..self.end]) {
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
                    if let Some(i) = memchr::memmem::find(&self.buf[scanned..self.end], b"\n\n") {
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
