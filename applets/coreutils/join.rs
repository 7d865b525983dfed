//! applet: join
//! usage: join [-i] [-t CHAR] [-a 1|2] [-v 1|2] [-e STRING] [-o LIST] [-1 FIELD] [-2 FIELD] [-j FIELD] FILE1 FILE2
//! Join lines of two sorted files on a common field
//!
//! -a N  Also print unpairable lines from file N
//! -v N  Print only unpairable lines from file N
//! -e STRING  Replace missing output fields with STRING
//! -i  Ignore case of the join field
//! -o LIST  Output fields by LIST: 0 (the join field) or N.M, separated by , or blanks
//! -t CHAR  Field separator (default: runs of blanks)
//! -1 N  Join on field N of file 1
//! -2 N  Join on field N of file 2
//! -j N  Join on field N of both files

use crate::io::Input;
use crate::{text, Cx, Res};
use std::cmp::Ordering;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

struct Cfg {
    sep: Option<u8>,
    key: [usize; 2],
    icase: bool,
    empty: Option<Vec<u8>>,
    /// (file 0 or 1, field) with file 2 meaning the join field ("0").
    out: Option<Vec<(usize, usize)>>,
}

/// The fields of a line: split on `sep`, or on runs of blanks with leading ones dropped.
fn fields<'a>(l: &'a [u8], sep: Option<u8>, v: &mut Vec<&'a [u8]>) {
    v.clear();
    match sep {
        Some(c) => v.extend(l.split(|&b| b == c)),
        None => v.extend(
            l.split(|&b| b == b' ' || b == b'\t')
                .filter(|f| !f.is_empty()),
        ),
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // BusyBox 1.35 has no join: this is POSIX's, checked against GNU's. Unsorted input is
    // not diagnosed (GNU warns); the files are read whole.
    let o = cx.getopt(args, "a:v:e:io:t:1:2:j:", &[])?;
    let field_no = |v: &OsStr| -> Res<usize> {
        match cx.num_u64(v)? {
            0 => Err(cx.fail(&[b"invalid field number: '", v.as_bytes(), b"'"])),
            n => Ok((n - 1).min(u32::MAX as u64) as usize),
        }
    };
    let file_no = |v: &OsStr| -> Res<usize> {
        match v.as_bytes() {
            b"1" => Ok(0),
            b"2" => Ok(1),
            b => Err(cx.fail(&[b"invalid field number: '", b, b"'"])),
        }
    };
    let mut key = [0usize; 2];
    if let Some(j) = o.val(b'j') {
        key = [field_no(j)?; 2];
    }
    if let Some(v) = o.val(b'1') {
        key[0] = field_no(v)?;
    }
    if let Some(v) = o.val(b'2') {
        key[1] = field_no(v)?;
    }
    let mut also = [false; 2];
    let mut only = [false; 2];
    for v in o.vals(b'a') {
        also[file_no(v)?] = true;
    }
    for v in o.vals(b'v') {
        only[file_no(v)?] = true;
    }
    let sep = match o.val(b't') {
        None => None,
        Some(t) if t.len() == 1 => Some(t.as_bytes()[0]),
        Some(t) => return Err(cx.fail(&[b"multi-character tab '", t.as_bytes(), b"'"])),
    };
    let mut out_list = None;
    if let Some(list) = o.val(b'o') {
        let mut v = Vec::new();
        for item in list
            .as_bytes()
            .split(|&c| c == b',' || c == b' ' || c == b'\t')
            .filter(|i| !i.is_empty())
        {
            if item == b"0" {
                v.push((2, 0));
                continue;
            }
            let bad = || cx.fail(&[b"invalid field specifier: '", item, b"'"]);
            let (f, n) = match item {
                [f @ (b'1' | b'2'), b'.', n @ ..] => (*f, n),
                [_, b'.', ..] => {
                    return Err(cx.fail(&[b"invalid file number in field spec: '", item, b"'"]))
                }
                _ => return Err(bad()),
            };
            let n = crate::args::parse_u64(n).filter(|&n| n > 0).ok_or_else(bad)?;
            v.push(((f - b'1') as usize, (n - 1).min(u32::MAX as u64) as usize));
        }
        out_list = Some(v);
    }
    let cfg = Cfg {
        sep,
        key,
        icase: o.has(b'i'),
        empty: o.val(b'e').map(|e| e.as_bytes().to_vec()),
        out: out_list,
    };
    let [n1, n2] = o.args[..] else {
        return Err(cx.usage());
    };
    let mut data: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
    for (k, f) in [n1, n2].into_iter().enumerate() {
        let mut inp = match Input::open(f) {
            Ok(i) => i,
            Err(e) => {
                cx.err_no(f.as_bytes(), e);
                return Ok(1);
            }
        };
        if let Err(e) = text::read_all(&mut inp, &mut data[k]) {
            cx.err_no(f.as_bytes(), e);
            return Ok(1);
        }
    }
    let a: Vec<&[u8]> = text::records(&data[0], b'\n').collect();
    let b: Vec<&[u8]> = text::records(&data[1], b'\n').collect();
    let print_pairs = !only[0] && !only[1];
    let unpaired = [also[0] || only[0], also[1] || only[1]];

    let (mut fa, mut fb) = (Vec::new(), Vec::new());
    let key_of = |l: &[u8], k: usize, v: &mut Vec<u8>| {
        let mut f = Vec::new();
        fields(l, cfg.sep, &mut f);
        v.clear();
        v.extend_from_slice(f.get(cfg.key[k]).copied().unwrap_or_default());
    };
    let cmp = |x: &[u8], y: &[u8]| {
        if cfg.icase {
            x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase())
        } else {
            x.cmp(y)
        }
    };
    let (mut i, mut j) = (0, 0);
    let (mut ka, mut kb) = (Vec::new(), Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() {
            key_of(a[i], 0, &mut ka);
        }
        if j < b.len() {
            key_of(b[j], 1, &mut kb);
        }
        let ord = if i >= a.len() {
            Ordering::Greater
        } else if j >= b.len() {
            Ordering::Less
        } else {
            cmp(&ka, &kb)
        };
        match ord {
            Ordering::Less => {
                if unpaired[0] {
                    line(cx, &cfg, Some(a[i]), None, &mut fa, &mut fb);
                }
                i += 1;
            }
            Ordering::Greater => {
                if unpaired[1] {
                    line(cx, &cfg, None, Some(b[j]), &mut fa, &mut fb);
                }
                j += 1;
            }
            Ordering::Equal => {
                // The groups with this key in both files: every pair.
                let mut i2 = i + 1;
                let mut k2 = Vec::new();
                while i2 < a.len() {
                    key_of(a[i2], 0, &mut k2);
                    if cmp(&k2, &ka) != Ordering::Equal {
                        break;
                    }
                    i2 += 1;
                }
                let mut j2 = j + 1;
                while j2 < b.len() {
                    key_of(b[j2], 1, &mut k2);
                    if cmp(&k2, &kb) != Ordering::Equal {
                        break;
                    }
                    j2 += 1;
                }
                if print_pairs {
                    for x in &a[i..i2] {
                        for y in &b[j..j2] {
                            line(cx, &cfg, Some(x), Some(y), &mut fa, &mut fb);
                        }
                    }
                }
                i = i2;
                j = j2;
            }
        }
        if cx.out.err != 0 {
            return Ok(1);
        }
    }
    Ok(0)
}

/// One output line: a pair, or an unpaired line of one file.
fn line<'a>(
    cx: &mut Cx,
    cfg: &Cfg,
    x: Option<&'a [u8]>,
    y: Option<&'a [u8]>,
    fa: &mut Vec<&'a [u8]>,
    fb: &mut Vec<&'a [u8]>,
) {
    fields(x.unwrap_or_default(), cfg.sep, fa);
    fields(y.unwrap_or_default(), cfg.sep, fb);
    if x.is_none() {
        fa.clear();
    }
    if y.is_none() {
        fb.clear();
    }
    let osep = cfg.sep.unwrap_or(b' ');
    let join_field = if x.is_some() {
        fa.get(cfg.key[0]).copied()
    } else {
        fb.get(cfg.key[1]).copied()
    };
    let mut first = true;
    let mut put = |cx: &mut Cx, f: Option<&[u8]>| {
        if !first {
            cx.out.byte(osep);
        }
        first = false;
        match f {
            Some(f) if !f.is_empty() || cfg.empty.is_none() => cx.out.write(f),
            _ => cx.out.write(cfg.empty.as_deref().unwrap_or_default()),
        }
    };
    match &cfg.out {
        Some(list) => {
            for &(file, n) in list {
                let f = match file {
                    2 => join_field,
                    0 => fa.get(n).copied(),
                    _ => fb.get(n).copied(),
                };
                put(cx, f);
            }
        }
        None => {
            put(cx, join_field);
            for (k, f) in fa.iter().enumerate() {
                if k != cfg.key[0] {
                    put(cx, Some(f));
                }
            }
            for (k, f) in fb.iter().enumerate() {
                if k != cfg.key[1] {
                    put(cx, Some(f));
                }
            }
        }
    }
    cx.out.byte(b'\n');
}
