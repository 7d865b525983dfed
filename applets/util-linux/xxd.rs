//! applet: xxd
//! usage: xxd [-pri] [-g N] [-c N] [-n LEN] [-s OFS] [-o OFS] [FILE]
//! Hex dump FILE (or stdin)
//!
//! -g N  	Bytes per group
//! -c N  	Bytes per line
//! -p  	Show only hex bytes, assumes -c30
//! -i  	C include file style
//! -l LENGTH	Show only first LENGTH bytes
//! -s OFFSET	Skip OFFSET bytes
//! -o OFFSET	Add OFFSET to displayed offset
//! -r  	Reverse (with -p, assumes no offsets in input)

// BusyBox 1.35's usage line says -n LEN, its option is -l: both copied as they are.

use crate::concat::Concat;
use crate::dump::Dumper;
use crate::io::{Input, Lines};
use crate::{printf, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::fmt::Write as _;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "l:s:apirg:c:o:", &[])?;
    if o.args.len() > 1 {
        return Err(cx.usage());
    }
    let file = o.args.first().copied();
    let num = |cx: &Cx, c: u8| -> Res<Option<u64>> {
        match o.val(c) {
            None => Ok(None),
            Some(v) => printf::parse_uint_base0(v.as_bytes())
                .map(Some)
                .ok_or_else(|| cx.fail(&[b"invalid number '", v.as_bytes(), b"'"])),
        }
    };
    let length = num(cx, b'l')?;
    if length.is_some_and(|l| l > i32::MAX as u64) {
        return Err(cx.fail(&[b"invalid number '", o.val(b'l').unwrap_or_default().as_bytes(), b"'"]));
    }
    let skip = num(cx, b's')?.unwrap_or(0);
    if o.has(b'r') {
        return reverse(cx, file, o.has(b'p'));
    }
    let mut bytes = num(cx, b'g')?.unwrap_or(2).min(1 << 20) as usize;
    let mut cols = num(cx, b'c')?.unwrap_or(0).min(1 << 20) as usize;
    let mut d = Dumper::default();
    if let Some(v) = o.val(b'o') {
        // -o takes negative numbers too (shown as 64-bit two's complement).
        d.display_off = printf::parse_int(v.as_bytes())
            .map(|n| n as u64)
            .or_else(|| printf::parse_uint(v.as_bytes()))
            .ok_or_else(|| cx.fail(&[b"invalid number '", v.as_bytes(), b"'"]))?;
    }
    let (p, i) = (o.has(b'p'), o.has(b'i'));
    if p {
        if cols == 0 {
            cols = 30;
        }
        bytes = cols;
    } else {
        if cols == 0 {
            cols = if i { 12 } else { 16 };
        }
        if i {
            bytes = 1;
            d.add(cx, b"\" \"")?;
        } else {
            d.add(cx, b"\"%08.8_ax: \"")?;
        }
    }
    let mut f = String::new();
    if bytes < 1 || bytes >= cols {
        let _ = write!(f, "{cols}/1 \"%02x\"");
    } else if bytes == 1 {
        let _ = write!(f, "{cols}/1 \"{}%02x{}\"", if i { " 0x" } else { "" }, if i { "," } else { " " });
    } else {
        for k in 1..=cols {
            f.push_str(if k == cols || k % bytes != 0 { "/1 \"%02x\"" } else { "/1 \"%02x \"" });
        }
    }
    d.add(cx, f.as_bytes())?;
    if !(p || i) {
        d.add(cx, format!("\"  \"{cols}/1 \"%_p\"\"\\n\"").as_bytes())?;
    } else {
        d.add(cx, b"\"\\n\"")?;
        d.eof = Some(b"\n");
    }
    let c_name = |hdr: &str, name: &OsStr, out: &mut crate::cx::Out| {
        let n = name.as_bytes();
        out.write(hdr.as_bytes());
        if n.first().is_some_and(|c| c.is_ascii_digit()) {
            out.write(b"__");
        }
        for &c in n {
            out.byte(if c.is_ascii_alphanumeric() { c } else { b'_' });
        }
    };
    if let (true, Some(name)) = (i, file) {
        c_name("unsigned char ", name, &mut cx.out);
        cx.out.write(b"[] = {\n");
    }
    let files: Vec<&OsStr> = file.into_iter().collect();
    let mut input = Concat::new(&files);
    let left = input.skip(cx, skip);
    let end = d.run(cx, &mut input, skip - left, length, true);
    if input.status == 0 {
        if let (true, Some(name)) = (i, file) {
            c_name("};\nunsigned int ", name, &mut cx.out);
            cx.out.write(b"_len = ");
            cx.out.num(end - (skip - left));
            cx.out.write(b";\n");
        }
    }
    Ok(input.status)
}

/// -r: hex digits back to bytes, as BusyBox 1.35 reads them: unless -p, a line's leading
/// hex number is skipped as its address (not sought to; only when the line starts with it,
/// as bb_strtoull wants); white space is skipped, other non-hex characters too; a digit
/// followed by a non-hex character is dropped; a byte's two digits may be split by a
/// newline.
fn reverse(cx: &mut Cx, file: Option<&OsStr>, plain: bool) -> Res {
    let name = file.unwrap_or(OsStr::new("-"));
    let inp = Input::open(name).map_err(|e| {
        cx.err_open(name, e);
        crate::Fail(1)
    })?;
    let mut lines = Lines::new(inp);
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut half: Option<u8> = None;
    loop {
        let line = match lines.next_line() {
            Ok(Some(l)) => l.strip_suffix(b"\n").unwrap_or(l),
            Ok(None) => break,
            Err(e) => return Err(cx.fail_no(b"read error", e)),
        };
        let mut k = 0;
        if half.is_none() && !plain && line.first().is_some_and(|c| c.is_ascii_alphanumeric()) {
            while line.get(k).is_some_and(|&c| hex(c).is_some()) {
                k += 1;
            }
        }
        while k < line.len() {
            let c = line[k];
            k += 1;
            if c.is_ascii_whitespace() {
                continue;
            }
            match (half, hex(c)) {
                (None, Some(v)) => half = Some(v << 4),
                (None, None) => {}
                (Some(h), Some(v)) => {
                    cx.out.byte(h | v);
                    half = None;
                }
                (Some(_), None) => half = None,
            }
        }
    }
    Ok(0)
}
