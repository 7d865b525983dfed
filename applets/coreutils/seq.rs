//! applet: seq
//! usage: seq [-w] [-s SEP] [-f FMT] [FIRST [INC]] LAST
//! Print numbers from FIRST to LAST, in steps of INC.
//! FIRST, INC default to 1.
//!
//! -w  Pad to last with leading zeros
//! -s SEP	String separator
//! -f FMT	printf-style floating point format (as GNU's)

use crate::{printf, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // `+`: a negative number after the options is an operand only after `--`, as BusyBox.
    let o = cx.getopt(args, "+ws:f:", &[])?;
    let sep = o.val(b's').map_or(&b"\n"[..], |s| s.as_bytes());
    let ops: Vec<&[u8]> = o.args.iter().map(|a| a.as_bytes()).collect();
    let num = |s: &[u8]| printf::strtod(s).ok();
    let (first, inc, last) = match ops[..] {
        [l] => (Some(1.0), Some(1.0), num(l)),
        [f, l] => (num(f), Some(1.0), num(l)),
        [f, i, l] => (num(f), num(i), num(l)),
        _ => return Err(cx.usage()),
    };
    let (Some(first), Some(inc), Some(last)) = (first, inc, last) else {
        return Err(cx.usage());
    };
    // Width and decimals as coreutils 6.10 (and BusyBox) take them from the operands: the
    // widest integer part of any; the most decimals of any but LAST.
    let mut width = 0usize;
    let mut frac = 0usize;
    for (k, a) in ops.iter().enumerate() {
        let dot = a.iter().position(|&c| c == b'.').unwrap_or(a.len());
        width = width.max(dot);
        if k + 1 < ops.len() {
            frac = frac.max(a.len() - dot);
        }
    }
    if frac > 0 {
        frac -= 1;
        if frac > 0 {
            width += frac + 1;
        }
    }
    if !o.has(b'w') {
        width = 0;
    }
    let (width, frac) = (width.min(1 << 20) as i32, frac.min(1 << 20) as i32);
    // Integers that a double holds exactly: counted in i64, the same values BusyBox's
    // doubles take, without float formatting.
    const EXACT: f64 = 9.0e15;
    let int = |x: f64| x.fract() == 0.0 && x.abs() < EXACT;
    if o.val(b'f').is_none() && frac == 0 && int(first) && int(inc) && int(last) {
        let (f, i) = (first as i64, inc as i64);
        let l = last as i64;
        if !(first == 0.0 && first.is_sign_negative()) {
            integers(cx, f, i, l, width as usize, sep);
            return Ok(0);
        }
    }
    let mut v = first;
    let mut n: u64 = 0;
    let mut buf = Vec::with_capacity(64);
    while if inc >= 0.0 { v <= last } else { v >= last } {
        if n > 0 {
            cx.out.write(sep);
        }
        buf.clear();
        match o.val(b'f') {
            Some(f) => {
                let mut one = One(v);
                let mut bad = false;
                printf::once(f.as_bytes(), &mut one, &mut buf, &mut |m| cx.err(m), true, &mut bad);
            }
            None => fmt_fixed(&mut buf, v, width, frac),
        }
        cx.out.write(&buf);
        if cx.out.err != 0 {
            break;
        }
        n += 1;
        // first + n * inc, not a running sum: no accumulated rounding error.
        v = first + n as f64 * inc;
    }
    if n > 0 {
        cx.out.byte(b'\n');
    }
    Ok(0)
}

/// FIRST, FIRST+INC, ... up to LAST, all integers; counting up by one in a decimal
/// string when that is the step.
fn integers(cx: &mut Cx, first: i64, inc: i64, last: i64, width: usize, sep: &[u8]) {
    let mut v = first;
    let mut buf = Vec::with_capacity(64);
    let mut n = 0u64;
    if inc == 1 && first >= 0 && sep == b"\n" && width <= 20 {
        // The digits of v end at d[20], a newline follows; everything before them is '0',
        // so -w padding is just an earlier start. Each line is one fixed-size copy.
        let mut d = [b'0'; 48];
        d[20] = b'\n';
        let mut t = [0u8; 20];
        let digits = crate::cx::fmt_u64(v as u64, &mut t);
        let mut s = 20 - digits.len();
        d[s..20].copy_from_slice(digits);
        const CHUNK: usize = 64 * 1024;
        let mut line = vec![0u8; CHUNK + 32];
        let mut p = 0;
        while v <= last {
            let start = s.min(20 - width);
            line[p..p + 24].copy_from_slice(&d[start..start + 24]);
            p += 21 - start;
            if p > CHUNK {
                cx.out.write(&line[..p]);
                p = 0;
                if cx.out.err != 0 {
                    return;
                }
            }
            v += 1;
            let mut k = 19;
            loop {
                if d[k] != b'9' {
                    d[k] += 1;
                    break;
                }
                d[k] = b'0';
                if k == s {
                    s -= 1;
                    d[s] = b'1';
                    break;
                }
                k -= 1;
            }
        }
        cx.out.write(&line[..p]);
        return;
    }
    while if inc >= 0 { v <= last } else { v >= last } {
        if n > 0 {
            cx.out.write(sep);
        }
        buf.clear();
        fmt_fixed(&mut buf, v as f64, width as i32, 0);
        cx.out.write(&buf);
        if cx.out.err != 0 {
            return;
        }
        n += 1;
        match (n as i64).checked_mul(inc).and_then(|x| x.checked_add(first)) {
            Some(x) => v = x,
            None => break,
        }
    }
    if n > 0 {
        cx.out.byte(b'\n');
    }
}

/// printf("%0*.*f", width, frac, v), with integers done here (the common case, and
/// snprintf's float path is slow).
fn fmt_fixed(buf: &mut Vec<u8>, v: f64, width: i32, frac: i32) {
    if frac == 0 && v.fract() == 0.0 && v.abs() < 9.0e15 && !(v == 0.0 && v.is_sign_negative()) {
        let mut d = [0u8; 20];
        let digits = crate::cx::fmt_u64(v.abs() as u64, &mut d);
        let neg = v < 0.0;
        if neg {
            buf.push(b'-');
        }
        let len = digits.len() + neg as usize;
        buf.resize(buf.len() + (width.max(0) as usize).saturating_sub(len), b'0');
        buf.extend_from_slice(digits);
        return;
    }
    printf::float_c(buf, b"0", width, frac, b'f', v);
}

/// The one value a `-f` format gets, for every directive.
struct One(f64);

impl printf::Args for One {
    fn left(&self) -> usize {
        1
    }
    fn text(&mut self) -> Option<&[u8]> {
        None
    }
    fn int(&mut self) -> Result<i64, printf::Bad<i64>> {
        Ok(self.0 as i64)
    }
    fn uint(&mut self) -> Result<u64, printf::Bad<u64>> {
        Ok(self.0 as u64)
    }
    fn float(&mut self) -> Result<f64, printf::Bad<f64>> {
        Ok(self.0)
    }
    fn star(&mut self) -> Result<i32, printf::Bad<i32>> {
        Ok(0)
    }
}
