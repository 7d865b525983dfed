//! applet: wc
//! usage: wc [-cmlwL] [FILE]...
//! Count lines, words, and bytes for FILEs (or stdin)
//!
//! -c  Count bytes
//! -m  Count characters
//! -l  Count newlines
//! -w  Count words
//! -L  Print longest line length

use crate::io::{Input, BLOCK};
use crate::{text, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

// Columns in BusyBox's order.
const LINES: usize = 0;
const WORDS: usize = 1;
const CHARS: usize = 2;
const BYTES: usize = 3;
const LONGEST: usize = 4;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "lwmcL", &[])?;
    let mut want = [
        o.has(b'l'),
        o.has(b'w'),
        o.has(b'm'),
        o.has(b'c'),
        o.has(b'L'),
    ];
    if !want.iter().any(|&w| w) {
        want = [true, true, false, true, false];
    }
    let utf8 = want[CHARS] && text::utf8_locale() || want[LONGEST] && text::utf8_locale();
    let named = !o.args.is_empty();
    let dash: [&OsStr; 1] = [OsStr::new("-")];
    let files: &[&OsStr] = if named { &o.args } else { &dash };
    // One column for one input is printed bare; anything else in %9u columns.
    let bare = files.len() == 1 && want.iter().filter(|&&w| w).count() == 1;
    let mut total = [0u64; 5];
    let mut st = 0;
    let mut buf = vec![0u8; BLOCK];
    for f in files {
        let Ok(mut inp) = Input::open(f).map_err(|e| {
            cx.err_no(f.as_bytes(), e);
            st = 1;
        }) else {
            continue;
        };
        let mut c = [0u64; 5];
        if let Err(e) = count(&mut inp, &mut buf, &want, utf8, &mut c) {
            cx.err_no(f.as_bytes(), e);
            st = 1;
        }
        for i in 0..LONGEST {
            total[i] += c[i];
        }
        total[LONGEST] = total[LONGEST].max(c[LONGEST]);
        print(cx, &want, &c, bare, named.then_some(f.as_bytes()));
    }
    if files.len() > 1 {
        print(cx, &want, &total, false, Some(b"total"));
    }
    Ok(st)
}

fn print(cx: &mut Cx, want: &[bool; 5], c: &[u64; 5], bare: bool, name: Option<&[u8]>) {
    let mut first = true;
    for i in 0..5 {
        if !want[i] {
            continue;
        }
        if !first {
            cx.out.byte(b' ');
        }
        first = false;
        let mut b = [0u8; 20];
        let d = crate::cx::fmt_u64(c[i], &mut b);
        if !bare {
            for _ in d.len()..9 {
                cx.out.byte(b' ');
            }
        }
        cx.out.write(d);
    }
    if let Some(n) = name {
        cx.out.byte(b' ');
        cx.out.write(n);
    }
    cx.out.byte(b'\n');
}

// Byte classes for the word and column counts, as BusyBox's C-locale wc sees bytes.
const PRINT: u8 = 0; // printable, not a space: in a word, one column
const SPACE: u8 = 1; // ' ': ends a word, one column
const TAB: u8 = 2; // ends a word, to the next multiple of 8
const NL: u8 = 3; // ends a word and a line
const CR: u8 = 4; // \r \f: end a word, back to column 0
const VT: u8 = 5; // \v: ends a word, no column
const OTHER: u8 = 6; // control or high byte: neither in nor out of a word, no column

const fn classes() -> [u8; 256] {
    let mut t = [OTHER; 256];
    let mut c = 0x21;
    while c < 0x7f {
        t[c] = PRINT;
        c += 1;
    }
    t[b' ' as usize] = SPACE;
    t[b'\t' as usize] = TAB;
    t[b'\n' as usize] = NL;
    t[b'\r' as usize] = CR;
    t[0x0c] = CR;
    t[0x0b] = VT;
    t
}
static CLASS: [u8; 256] = classes();

fn count(inp: &mut Input, buf: &mut [u8], want: &[bool; 5], utf8: bool, c: &mut [u64; 5]) -> Result<(), i32> {
    let only_bytes = !want[LINES] && !want[WORDS] && !want[LONGEST] && !(want[CHARS] && utf8);
    if only_bytes {
        if let Some(n) = regular_size_left(inp.fd()) {
            c[BYTES] = n;
            c[CHARS] = n;
            return Ok(());
        }
    }
    let (mut in_word, mut col) = (false, 0u64);
    loop {
        let len = inp.read(buf)?;
        if len == 0 {
            break;
        }
        let data = &buf[..len];
        c[BYTES] += len as u64;
        if want[CHARS] && utf8 {
            c[CHARS] += data.iter().filter(|&&b| b & 0xc0 != 0x80).count() as u64;
        } else {
            c[CHARS] += len as u64;
        }
        if want[LONGEST] {
            words(data, utf8, &mut in_word, &mut col, c);
            continue;
        }
        if want[LINES] {
            c[LINES] += text::count_byte(data, b'\n') as u64;
        }
        if want[WORDS] {
            c[WORDS] += words_only(data, &mut in_word);
        }
    }
    c[WORDS] += in_word as u64;
    c[LONGEST] = c[LONGEST].max(col);
    Ok(())
}

// For words_only: bit 0 a word byte, bit 1 a separator, bit 2 neither (no effect).
const fn word_bits() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = match CLASS[i] {
            PRINT => 1,
            OTHER => 4,
            _ => 2,
        };
        i += 1;
    }
    t
}
static WORD_BITS: [u8; 256] = word_bits();

/// Words in a block, without branches: a word ends at each separator after word bytes.
fn words_only(data: &[u8], in_word: &mut bool) -> u64 {
    let mut iw = *in_word as u32;
    let mut w = 0u64;
    for &b in data {
        let k = WORD_BITS[b as usize] as u32;
        w += (iw & (k >> 1)) as u64;
        iw = (k & 1) | (iw & (k >> 2));
    }
    *in_word = iw != 0;
    w
}

/// Lines, words and the longest line in one pass over a block; the word and column state
/// carries over to the next block.
fn words(data: &[u8], utf8: bool, in_word: &mut bool, col: &mut u64, c: &mut [u64; 5]) {
    let (mut w, mut lines, mut longest) = (0u64, 0u64, c[LONGEST]);
    let (mut iw, mut cl) = (*in_word, *col);
    for &b in data {
        match CLASS[b as usize] {
            PRINT => {
                iw = true;
                cl += 1;
            }
            SPACE => {
                w += iw as u64;
                iw = false;
                cl += 1;
            }
            OTHER => {
                // A character's first byte is one column where the locale is UTF-8.
                if utf8 && b >= 0xc0 {
                    cl += 1;
                }
            }
            TAB => {
                w += iw as u64;
                iw = false;
                cl = (cl | 7) + 1;
            }
            VT => {
                w += iw as u64;
                iw = false;
            }
            k => {
                w += iw as u64;
                iw = false;
                longest = longest.max(cl);
                cl = 0;
                lines += (k == NL) as u64;
            }
        }
    }
    *in_word = iw;
    *col = cl;
    c[WORDS] += w;
    c[LINES] += lines;
    c[LONGEST] = longest;
}

/// For a regular file, the bytes from the current offset to the end (0 past the end):
/// `wc -c` need not read it.
fn regular_size_left(fd: i32) -> Option<u64> {
    // SAFETY: fstat fills a plain struct; lseek only queries the offset.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(fd, &mut st) != 0 || st.st_mode & libc::S_IFMT != libc::S_IFREG {
            return None;
        }
        // /proc and /sys files say 0 or one page whatever they hold: read those.
        let size = st.st_size as u64;
        if size == 0 || (size % 4096 == 0 && size < 1 << 20) {
            return None;
        }
        let pos = libc::lseek(fd, 0, libc::SEEK_CUR);
        if pos < 0 {
            return None;
        }
        let n = size.saturating_sub(pos as u64);
        // Leave the offset at the end, as reading would.
        libc::lseek(fd, 0, libc::SEEK_END);
        Some(n)
    }
}
