//! applet: cal
//! usage: cal [-jmy] [[MONTH] YEAR]
//! Display a calendar
//!
//! -j  Use julian dates
//! -m  Week starts on Monday
//! -y  Display the entire year

use crate::{time, Cx, Fail, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

const NAMES: [&[u8]; 12] = [
    b"January",
    b"February",
    b"March",
    b"April",
    b"May",
    b"June",
    b"July",
    b"August",
    b"September",
    b"October",
    b"November",
    b"December",
];
const DAYS: [&[u8; 2]; 7] = [b"Su", b"Mo", b"Tu", b"We", b"Th", b"Fr", b"Sa"];
const MDAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/// An empty cell in a month's 6x7 grid.
const SPACE: u32 = 0;
// The Gregorian reform as Britain made it: 3-13 September 1752 never happened.
const FIRST_MISSING_DAY: i64 = 639_799;
const MISSING_DAYS: i64 = 11;
/// BusyBox prints rows into an 80-byte line buffer that starts as spaces: a year row with
/// no day in it comes out as its 79 spaces (trailing spaces are trimmed only after a day).
const LINE: usize = 79;

fn leap(y: i64) -> bool {
    if y <= 1752 {
        y % 4 == 0
    } else {
        (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    }
}

fn mdays(m: usize, y: i64) -> u32 {
    MDAYS[m] + u32::from(m == 1 && leap(y))
}

/// Day of the year of day `d` of month `m` (0-based).
fn yday(d: u32, m: usize, y: i64) -> u32 {
    (0..m).map(|i| mdays(i, y)).sum::<u32>() + d
}

/// 0 = Sunday.
fn weekday(d: u32, m: usize, y: i64) -> u32 {
    let p = y - 1;
    let cent = if p > 1700 { p / 100 - 17 } else { 0 };
    let quad = if p > 1600 { (p - 1600) / 400 } else { 0 };
    let t = p * 365 + (p / 4 - cent + quad) + i64::from(yday(d, m, y));
    let w = if t < FIRST_MISSING_DAY {
        t - 1 + 6
    } else if t >= FIRST_MISSING_DAY + MISSING_DAYS {
        t - 1 + 6 - MISSING_DAYS
    } else {
        4
    };
    w.rem_euclid(7) as u32
}

/// A month as 42 cells (6 weeks), day numbers or day-of-year numbers.
fn grid(m: usize, y: i64, julian: bool, monday: bool) -> [u32; 42] {
    let mut g = [SPACE; 42];
    let first = (weekday(1, m, y) + 7 - u32::from(monday)) % 7;
    let mut at = first as usize;
    let mut put = |d: u32| {
        if let Some(c) = g.get_mut(at) {
            *c = if julian { yday(d, m, y) } else { d };
        }
        at += 1;
    };
    for d in 1..=mdays(m, y) {
        if y == 1752 && m == 8 && (3..=13).contains(&d) {
            continue;
        }
        put(d);
    }
    g
}

/// One week of a grid: each day right-aligned in 2 (3 julian) columns and a space.
fn row(line: &mut Vec<u8>, cells: &[u32], julian: bool) {
    for &d in cells {
        let w = if julian { 3 } else { 2 };
        if d == SPACE {
            line.resize(line.len() + w + 1, b' ');
        } else {
            let s = d.to_string();
            line.resize(line.len() + w.saturating_sub(s.len()), b' ');
            line.extend_from_slice(s.as_bytes());
            line.push(b' ');
        }
    }
}

fn headings(line: &mut Vec<u8>, julian: bool, monday: bool) {
    for i in 0..7 {
        if julian {
            line.push(b' ');
        }
        line.extend_from_slice(DAYS[(i + usize::from(monday)) % 7]);
        line.push(b' ');
    }
}

/// `s` centred in `len` columns, then `sep` more spaces (BusyBox's center()).
fn center(out: &mut Vec<u8>, s: &[u8], len: usize, sep: usize) {
    let pad = len.saturating_sub(s.len());
    out.resize(out.len() + pad / 2, b' ');
    out.extend_from_slice(s);
    out.resize(out.len() + pad / 2 + pad % 2 + sep, b' ');
}

/// Prints `line` without its trailing spaces, unless it is nothing but spaces.
fn emit(cx: &mut Cx, line: &[u8]) {
    let end = line.iter().rposition(|&c| c != b' ').map_or(line.len(), |i| i + 1);
    cx.out.line(&line[..end]);
}

fn number(cx: &Cx, s: &OsStr, max: i64) -> Res<i64> {
    let b = s.as_bytes();
    let n = match std::str::from_utf8(b).ok().and_then(|t| t.parse::<i64>().ok()) {
        Some(n) if !b.starts_with(b"+") && !b.starts_with(b"-") => n,
        _ => return Err(cx.fail(&[b"invalid number '", b, b"'"])),
    };
    if !(1..=max).contains(&n) {
        let msg = format!("number {n} is not in 1..{max} range");
        return Err(cx.fail(&[msg.as_bytes()]));
    }
    Ok(n)
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "jmy", &[])?;
    let (julian, monday) = (o.has(b'j'), o.has(b'm'));
    let mut year_mode = o.has(b'y');
    let (month, year) = match o.args[..] {
        [] => {
            let t = time::local(time::now()).ok_or(Fail(1))?;
            (t.0.tm_mon as usize, t.year())
        }
        [y] => {
            year_mode = true;
            (0, number(cx, y, 9999)?)
        }
        [m, y] => {
            let m = number(cx, m, 12)?;
            (m as usize - 1, number(cx, y, 9999)?)
        }
        _ => return Err(cx.usage()),
    };
    let width = if julian { 28 } else { 21 };
    let mut line = Vec::with_capacity(128);
    if !year_mode {
        let title = format!("{} {year}", String::from_utf8_lossy(NAMES[month]));
        line.resize((width - 1 - title.len()) / 2, b' ');
        line.extend_from_slice(title.as_bytes());
        cx.out.line(&line);
        line.clear();
        headings(&mut line, julian, monday);
        emit(cx, &line);
        let g = grid(month, year, julian, monday);
        for w in g.chunks(7) {
            line.clear();
            row(&mut line, w, julian);
            emit(cx, &line);
        }
        return Ok(0);
    }
    let per = if julian { 2 } else { 3 };
    let total = (width + 1) * per - 2;
    line.clear();
    center(&mut line, year.to_string().as_bytes(), total, 0);
    cx.out.line(&line);
    cx.out.byte(b'\n');
    for first in (0..12).step_by(per) {
        line.clear();
        for m in first..first + per {
            let sep = if m + 1 == first + per { 0 } else { 2 };
            center(&mut line, NAMES[m], width - 1, sep);
        }
        cx.out.line(&line);
        line.clear();
        for _ in 0..per {
            headings(&mut line, julian, monday);
            line.push(b' ');
        }
        emit(cx, &line);
        let grids: Vec<[u32; 42]> = (first..first + per)
            .map(|m| grid(m, year, julian, monday))
            .collect();
        for w in 0..6 {
            line.clear();
            for g in &grids {
                row(&mut line, &g[w * 7..w * 7 + 7], julian);
                line.push(b' ');
            }
            if line.iter().all(|&c| c == b' ') {
                line.resize(LINE, b' ');
            }
            emit(cx, &line);
        }
    }
    Ok(0)
}
