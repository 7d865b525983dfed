//! applet: stty
//! dir: bin
//! usage: stty [-a|g] [-F DEVICE] [SETTING]...
//! Without arguments, prints baud rate, line discipline,
//! and deviations from stty sane
//!
//! -F DEVICE  Open device instead of stdin
//! -a  	Print all current settings in human-readable form
//! -g  	Print in stty-readable form
//! |	[SETTING]	See manpage

use crate::{sys, Cx, Fail, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

// Which word of the termios a mode lives in; Comb is a combination setting.
const CTL: u8 = 0;
const INP: u8 = 1;
const OUT: u8 = 2;
const LOC: u8 = 3;
const COMB: u8 = 4;
// BusyBox's mode flags: accepts `-NAME`, omitted from listings, set or cleared by `sane`.
const REV: u8 = 1;
const OMIT: u8 = 2;
const SET: u8 = 4;
const UNSET: u8 = 8;

struct Mode {
    name: &'static [u8],
    ty: u8,
    fl: u8,
    bits: u32,
    mask: u32,
}

const fn m(name: &'static [u8], ty: u8, fl: u8, bits: u32, mask: u32) -> Mode {
    Mode { name, ty, fl, bits, mask }
}

use libc as c;
// BusyBox's mode_info, in its order (the listing order).
const MODES: &[Mode] = &[
    m(b"evenp", COMB, REV | OMIT, 0, 0),
    m(b"parity", COMB, REV | OMIT, 0, 0),
    m(b"oddp", COMB, REV | OMIT, 0, 0),
    m(b"nl", COMB, REV | OMIT, 0, 0),
    m(b"ek", COMB, OMIT, 0, 0),
    m(b"sane", COMB, OMIT, 0, 0),
    m(b"cooked", COMB, REV | OMIT, 0, 0),
    m(b"raw", COMB, REV | OMIT, 0, 0),
    m(b"pass8", COMB, REV | OMIT, 0, 0),
    m(b"litout", COMB, REV | OMIT, 0, 0),
    m(b"cbreak", COMB, REV | OMIT, 0, 0),
    m(b"crt", COMB, OMIT, 0, 0),
    m(b"dec", COMB, OMIT, 0, 0),
    m(b"decctlq", COMB, REV | OMIT, 0, 0),
    m(b"tabs", COMB, REV | OMIT, 0, 0),
    m(b"lcase", COMB, REV | OMIT, 0, 0),
    m(b"LCASE", COMB, REV | OMIT, 0, 0),
    m(b"parenb", CTL, REV, c::PARENB, 0),
    m(b"parodd", CTL, REV, c::PARODD, 0),
    m(b"cmspar", CTL, REV, c::CMSPAR, 0),
    m(b"cs5", CTL, 0, c::CS5, c::CSIZE),
    m(b"cs6", CTL, 0, c::CS6, c::CSIZE),
    m(b"cs7", CTL, 0, c::CS7, c::CSIZE),
    m(b"cs8", CTL, 0, c::CS8, c::CSIZE),
    m(b"hupcl", CTL, REV, c::HUPCL, 0),
    m(b"hup", CTL, REV | OMIT, c::HUPCL, 0),
    m(b"cstopb", CTL, REV, c::CSTOPB, 0),
    m(b"cread", CTL, SET | REV, c::CREAD, 0),
    m(b"clocal", CTL, REV, c::CLOCAL, 0),
    m(b"crtscts", CTL, REV, c::CRTSCTS, 0),
    m(b"ignbrk", INP, UNSET | REV, c::IGNBRK, 0),
    m(b"brkint", INP, SET | REV, c::BRKINT, 0),
    m(b"ignpar", INP, REV, c::IGNPAR, 0),
    m(b"parmrk", INP, REV, c::PARMRK, 0),
    m(b"inpck", INP, REV, c::INPCK, 0),
    m(b"istrip", INP, REV, c::ISTRIP, 0),
    m(b"inlcr", INP, UNSET | REV, c::INLCR, 0),
    m(b"igncr", INP, UNSET | REV, c::IGNCR, 0),
    m(b"icrnl", INP, SET | REV, c::ICRNL, 0),
    m(b"ixon", INP, REV, c::IXON, 0),
    m(b"ixoff", INP, UNSET | REV, c::IXOFF, 0),
    m(b"tandem", INP, OMIT | REV, c::IXOFF, 0),
    m(b"iuclc", INP, UNSET | REV, c::IUCLC, 0),
    m(b"ixany", INP, UNSET | REV, c::IXANY, 0),
    m(b"imaxbel", INP, SET | REV, c::IMAXBEL, 0),
    m(b"iutf8", INP, UNSET | REV, c::IUTF8, 0),
    m(b"opost", OUT, SET | REV, c::OPOST, 0),
    m(b"olcuc", OUT, UNSET | REV, c::OLCUC, 0),
    m(b"ocrnl", OUT, UNSET | REV, c::OCRNL, 0),
    m(b"onlcr", OUT, SET | REV, c::ONLCR, 0),
    m(b"onocr", OUT, UNSET | REV, c::ONOCR, 0),
    m(b"onlret", OUT, UNSET | REV, c::ONLRET, 0),
    m(b"ofill", OUT, UNSET | REV, c::OFILL, 0),
    m(b"ofdel", OUT, UNSET | REV, c::OFDEL, 0),
    m(b"nl1", OUT, UNSET, c::NL1 as u32, c::NLDLY as u32),
    m(b"nl0", OUT, SET, c::NL0 as u32, c::NLDLY as u32),
    m(b"cr3", OUT, UNSET, c::CR3 as u32, c::CRDLY as u32),
    m(b"cr2", OUT, UNSET, c::CR2 as u32, c::CRDLY as u32),
    m(b"cr1", OUT, UNSET, c::CR1 as u32, c::CRDLY as u32),
    m(b"cr0", OUT, SET, c::CR0 as u32, c::CRDLY as u32),
    m(b"tab3", OUT, UNSET, c::TAB3 as u32, c::TABDLY as u32),
    m(b"tab2", OUT, UNSET, c::TAB2 as u32, c::TABDLY as u32),
    m(b"tab1", OUT, UNSET, c::TAB1 as u32, c::TABDLY as u32),
    m(b"tab0", OUT, SET, c::TAB0 as u32, c::TABDLY as u32),
    m(b"bs1", OUT, UNSET, c::BS1 as u32, c::BSDLY as u32),
    m(b"bs0", OUT, SET, c::BS0 as u32, c::BSDLY as u32),
    m(b"vt1", OUT, UNSET, c::VT1 as u32, c::VTDLY as u32),
    m(b"vt0", OUT, SET, c::VT0 as u32, c::VTDLY as u32),
    m(b"ff1", OUT, UNSET, c::FF1 as u32, c::FFDLY as u32),
    m(b"ff0", OUT, SET, c::FF0 as u32, c::FFDLY as u32),
    m(b"isig", LOC, SET | REV, c::ISIG, 0),
    m(b"icanon", LOC, SET | REV, c::ICANON, 0),
    m(b"iexten", LOC, SET | REV, c::IEXTEN, 0),
    m(b"echo", LOC, SET | REV, c::ECHO, 0),
    m(b"echoe", LOC, SET | REV, c::ECHOE, 0),
    m(b"crterase", LOC, OMIT | REV, c::ECHOE, 0),
    m(b"echok", LOC, SET | REV, c::ECHOK, 0),
    m(b"echonl", LOC, UNSET | REV, c::ECHONL, 0),
    m(b"noflsh", LOC, UNSET | REV, c::NOFLSH, 0),
    m(b"xcase", LOC, UNSET | REV, c::XCASE, 0),
    m(b"tostop", LOC, UNSET | REV, c::TOSTOP, 0),
    m(b"echoprt", LOC, UNSET | REV, c::ECHOPRT, 0),
    m(b"prterase", LOC, OMIT | REV, c::ECHOPRT, 0),
    m(b"echoctl", LOC, SET | REV, c::ECHOCTL, 0),
    m(b"ctlecho", LOC, OMIT | REV, c::ECHOCTL, 0),
    m(b"echoke", LOC, SET | REV, c::ECHOKE, 0),
    m(b"crtkill", LOC, OMIT | REV, c::ECHOKE, 0),
    m(b"flusho", LOC, UNSET | REV, c::FLUSHO, 0),
    m(b"extproc", LOC, UNSET | REV, c::EXTPROC, 0),
];

// Control characters: name, c_cc slot, value `sane` gives.
const CCHARS: &[(&[u8], usize, u8)] = &[
    (b"intr", c::VINTR, 3),
    (b"quit", c::VQUIT, 0x1c),
    (b"erase", c::VERASE, 0x7f),
    (b"kill", c::VKILL, 0x15),
    (b"eof", c::VEOF, 4),
    (b"eol", c::VEOL, 0),
    (b"eol2", c::VEOL2, 0),
    (b"swtch", c::VSWTC, 0),
    (b"start", c::VSTART, 0x11),
    (b"stop", c::VSTOP, 0x13),
    (b"susp", c::VSUSP, 0x1a),
    (b"rprnt", c::VREPRINT, 0x12),
    (b"werase", c::VWERASE, 0x17),
    (b"lnext", c::VLNEXT, 0x16),
    (b"flush", c::VDISCARD, 0x0f),
    (b"min", c::VMIN, 1),
    (b"time", c::VTIME, 0),
];

const SPEEDS: &[(u32, c::speed_t)] = &[
    (0, c::B0),
    (50, c::B50),
    (75, c::B75),
    (110, c::B110),
    (134, c::B134),
    (150, c::B150),
    (200, c::B200),
    (300, c::B300),
    (600, c::B600),
    (1200, c::B1200),
    (1800, c::B1800),
    (2400, c::B2400),
    (4800, c::B4800),
    (9600, c::B9600),
    (19200, c::B19200),
    (38400, c::B38400),
    (57600, c::B57600),
    (115200, c::B115200),
    (230400, c::B230400),
    (460800, c::B460800),
    (500000, c::B500000),
    (576000, c::B576000),
    (921600, c::B921600),
    (1000000, c::B1000000),
    (1152000, c::B1152000),
    (1500000, c::B1500000),
    (2000000, c::B2000000),
    (2500000, c::B2500000),
    (3000000, c::B3000000),
    (3500000, c::B3500000),
    (4000000, c::B4000000),
];

fn baud_of(v: u64) -> Option<c::speed_t> {
    SPEEDS.iter().find(|s| u64::from(s.0) == v).map(|s| s.1)
}

fn value_of(b: c::speed_t) -> u32 {
    SPEEDS.iter().find(|s| s.1 == b).map_or(0, |s| s.0)
}

fn find_mode(a: &[u8]) -> Option<&'static Mode> {
    MODES.iter().find(|m| m.name == a)
}

fn find_cc(a: &[u8]) -> Option<usize> {
    CCHARS.iter().position(|c| c.0 == a)
}

fn word(t: &mut c::termios, ty: u8) -> Option<&mut c::tcflag_t> {
    match ty {
        CTL => Some(&mut t.c_cflag),
        INP => Some(&mut t.c_iflag),
        OUT => Some(&mut t.c_oflag),
        LOC => Some(&mut t.c_lflag),
        _ => None,
    }
}

/// BusyBox's xatoul_range_sfx with stty's suffixes (b 512, k and B 1024).
fn num(cx: &Cx, a: &[u8], lo: u64, hi: u64) -> Res<u64> {
    let (digits, mul) = match a.last() {
        Some(b'b') => (&a[..a.len() - 1], 512),
        Some(b'k') | Some(b'B') => (&a[..a.len() - 1], 1024),
        _ => (a, 1),
    };
    let bad = || cx.fail(&[b"invalid number '", a, b"'"]);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(bad());
    }
    let mut v: u64 = 0;
    for &d in digits {
        v = v.checked_mul(10).and_then(|v| v.checked_add(u64::from(d - b'0'))).ok_or_else(bad)?;
    }
    let v = v.checked_mul(mul).ok_or_else(bad)?;
    if v < lo || v > hi {
        let mut b2 = [0u8; 20];
        let mut b3 = [0u8; 20];
        // BusyBox names the number as it was written ("5k"), not its value.
        return Err(cx.fail(&[
            b"number ",
            a,
            b" is not in ",
            crate::cx::fmt_u64(lo, &mut b2),
            b"..",
            crate::cx::fmt_u64(hi, &mut b3),
            b" range",
        ]));
    }
    Ok(v)
}

/// xatou: a plain unsigned number (for a bare speed).
fn plain_num(cx: &Cx, a: &[u8]) -> Res<u64> {
    let bad = || cx.fail(&[b"invalid number '", a, b"'"]);
    if a.is_empty() || !a.iter().all(u8::is_ascii_digit) {
        return Err(bad());
    }
    let mut v: u64 = 0;
    for &d in a {
        v = v.checked_mul(10).and_then(|v| v.checked_add(u64::from(d - b'0'))).filter(|&v| v <= u64::from(u32::MAX)).ok_or_else(bad)?;
    }
    Ok(v)
}

fn cc_value(cx: &Cx, i: usize, a: &[u8]) -> Res<u8> {
    if CCHARS.get(i).is_some_and(|c| c.1 == c::VMIN || c.1 == c::VTIME) && i >= 15 {
        return Ok(num(cx, a, 0, 255)? as u8);
    }
    Ok(match a {
        [] => 0,
        [x] => *x,
        b"^-" | b"undef" => 0,
        [b'^', b'?', ..] => 127,
        [b'^', x, ..] => x & 0x1f,
        _ => num(cx, a, 0, 255)? as u8,
    })
}

fn speed_of(cx: &Cx, a: &[u8]) -> Res<c::speed_t> {
    let v = plain_num(cx, a)?;
    baud_of(v).ok_or_else(|| cx.fail(&[b"invalid argument '", a, b"'"]))
}

/// The `-g` form read back: four hex flag words then NCCS hex characters.
fn recover(a: &[u8], t: &mut c::termios) -> bool {
    let mut parts = a.split(|&b| b == b':');
    let mut hex = |lim: u64| -> Option<u64> {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 16 {
            return None;
        }
        let mut v: u64 = 0;
        for &d in p {
            v = v * 16 + u64::from((d as char).to_digit(16)?);
        }
        (v <= lim).then_some(v)
    };
    let mut n = *t;
    let lim = u64::from(u32::MAX);
    let (Some(i), Some(o), Some(cf), Some(l)) = (hex(lim), hex(lim), hex(lim), hex(lim)) else {
        return false;
    };
    n.c_iflag = i as c::tcflag_t;
    n.c_oflag = o as c::tcflag_t;
    n.c_cflag = cf as c::tcflag_t;
    n.c_lflag = l as c::tcflag_t;
    for k in 0..n.c_cc.len() {
        match hex(lim) {
            Some(v) => n.c_cc[k] = v as c::cc_t,
            None => return false,
        }
    }
    if parts.next().is_some() {
        return false;
    }
    *t = n;
    true
}

fn set_mode(m: &Mode, rev: bool, t: &mut c::termios) {
    if let Some(w) = word(t, m.ty) {
        let v = *w & !m.mask;
        *w = if rev { v & !m.bits } else { v | m.bits };
        return;
    }
    match (m.name, rev) {
        (b"evenp" | b"parity" | b"oddp", true) => t.c_cflag = (t.c_cflag & !c::PARENB & !c::CSIZE) | c::CS8,
        (b"evenp" | b"parity", false) => t.c_cflag = (t.c_cflag & !c::PARODD & !c::CSIZE) | c::PARENB | c::CS7,
        (b"oddp", false) => t.c_cflag = (t.c_cflag & !c::CSIZE) | c::CS7 | c::PARODD | c::PARENB,
        (b"nl", true) => {
            t.c_iflag = (t.c_iflag | c::ICRNL) & !c::INLCR & !c::IGNCR;
            t.c_oflag = (t.c_oflag | c::ONLCR) & !c::OCRNL & !c::ONLRET;
        }
        (b"nl", false) => {
            t.c_iflag &= !c::ICRNL;
            t.c_oflag &= !c::ONLCR;
        }
        (b"ek", _) => {
            t.c_cc[c::VERASE] = 0x7f;
            t.c_cc[c::VKILL] = 0x15;
        }
        (b"sane", _) => sane(t),
        (b"cbreak", r) => {
            if r {
                t.c_lflag |= c::ICANON
            } else {
                t.c_lflag &= !c::ICANON
            }
        }
        (b"pass8" | b"litout", true) => {
            t.c_cflag = (t.c_cflag & !c::CSIZE) | c::CS7 | c::PARENB;
            t.c_iflag |= c::ISTRIP;
            if m.name == b"litout" {
                t.c_oflag |= c::OPOST;
            }
        }
        (b"pass8" | b"litout", false) => {
            t.c_cflag = (t.c_cflag & !c::PARENB & !c::CSIZE) | c::CS8;
            t.c_iflag &= !c::ISTRIP;
            if m.name == b"litout" {
                t.c_oflag &= !c::OPOST;
            }
        }
        (b"raw", false) | (b"cooked", true) => {
            t.c_iflag = 0;
            t.c_oflag &= !c::OPOST;
            t.c_lflag &= !(c::ISIG | c::ICANON | c::XCASE);
            t.c_cc[c::VMIN] = 1;
            t.c_cc[c::VTIME] = 0;
        }
        (b"raw", true) | (b"cooked", false) => {
            t.c_iflag |= c::BRKINT | c::IGNPAR | c::ISTRIP | c::ICRNL | c::IXON;
            t.c_oflag |= c::OPOST;
            t.c_lflag |= c::ISIG | c::ICANON;
        }
        (b"decctlq", r) => {
            if r {
                t.c_iflag |= c::IXANY
            } else {
                t.c_iflag &= !c::IXANY
            }
        }
        (b"tabs", r) => t.c_oflag = (t.c_oflag & !(c::TABDLY as u32)) | if r { c::TAB3 as u32 } else { c::TAB0 as u32 },
        (b"lcase" | b"LCASE", true) => {
            t.c_lflag &= !c::XCASE;
            t.c_iflag &= !c::IUCLC;
            t.c_oflag &= !c::OLCUC;
        }
        (b"lcase" | b"LCASE", false) => {
            t.c_lflag |= c::XCASE;
            t.c_iflag |= c::IUCLC;
            t.c_oflag |= c::OLCUC;
        }
        (b"crt", _) => t.c_lflag |= c::ECHOE | c::ECHOCTL | c::ECHOKE,
        (b"dec", _) => {
            t.c_cc[c::VINTR] = 3;
            t.c_cc[c::VERASE] = 127;
            t.c_cc[c::VKILL] = 21;
            t.c_lflag |= c::ECHOE | c::ECHOCTL | c::ECHOKE;
            t.c_iflag &= !c::IXANY;
        }
        _ => {}
    }
}

fn sane(t: &mut c::termios) {
    for cc in CCHARS {
        t.c_cc[cc.1] = cc.2;
    }
    for m in MODES {
        let fl = m.fl;
        if let Some(w) = word(t, m.ty) {
            let v = *w & !m.mask;
            if fl & SET != 0 {
                *w = v | m.bits;
            } else if fl & UNSET != 0 {
                *w = v & !m.bits;
            }
        }
    }
}

/// BusyBox's wrapf: items separated by a space, a new line before one that would reach
/// the width.
struct Wrap<'a> {
    cx: &'a mut Cx,
    col: usize,
    max: usize,
}

impl Wrap<'_> {
    fn item(&mut self, parts: &[&[u8]]) {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let nl_first = parts.first().and_then(|p| p.first()) == Some(&b'\n');
        if self.col > 0 {
            self.col += 1;
            if !nl_first {
                if self.col + len >= self.max {
                    self.col = 0;
                    self.cx.out.byte(b'\n');
                } else {
                    self.cx.out.byte(b' ');
                }
            }
        }
        for p in parts {
            self.cx.out.write(p);
        }
        self.col += len;
        if parts.last().and_then(|p| p.last()) == Some(&b'\n') {
            self.col = 0;
        }
    }
    fn newline(&mut self) {
        if self.col != 0 {
            self.cx.out.byte(b'\n');
            self.col = 0;
        }
    }
}

fn visible(ch: u8, buf: &mut [u8; 4]) -> &[u8] {
    if ch == 0 {
        return b"<undef>";
    }
    let mut n = 0;
    let mut ch = ch;
    if ch >= 128 {
        buf[0] = b'M';
        buf[1] = b'-';
        n = 2;
        ch -= 128;
    }
    if ch < 32 {
        buf[n] = b'^';
        buf[n + 1] = ch + 64;
        n += 2;
    } else if ch < 127 {
        buf[n] = ch;
        n += 1;
    } else {
        buf[n] = b'^';
        buf[n + 1] = b'?';
        n += 2;
    }
    &buf[..n]
}

/// The window size as BusyBox's get_terminal_width_height gives it: $LINES and $COLUMNS
/// win over the kernel's (and make a zero size count as known), odd values become 24x80.
fn winsize(fd: i32) -> Option<(u64, u64)> {
    // SAFETY: winsize is plain data filled by the kernel.
    let mut ws: c::winsize = unsafe { std::mem::zeroed() };
    let mut ok = unsafe { c::ioctl(fd, c::TIOCGWINSZ, &mut ws) } == 0 && ws.ws_row != 0;
    let mut get = |v: u16, def: u64, env: &str| {
        let mut v = i64::from(v);
        if let Some(e) = std::env::var_os(env) {
            v = sys::atoi(e.as_bytes());
            ok = true;
        }
        if v <= 1 || v >= 30000 {
            def
        } else {
            v as u64
        }
    };
    let r = get(ws.ws_row, 24, "LINES");
    let cl = get(ws.ws_col, 80, "COLUMNS");
    ok.then_some((r, cl))
}

fn speeds(t: &c::termios) -> (u32, u32) {
    // SAFETY: reading our own termios copy.
    let (i, o) = unsafe { (c::cfgetispeed(t), c::cfgetospeed(t)) };
    (value_of(i), value_of(o))
}

fn display(cx: &mut Cx, t: &c::termios, all: bool, fd: i32, dev: &[u8]) {
    let max = sys::term_cols(1);
    let mut buf = [0u8; 20];
    let mut b2 = [0u8; 20];
    let (is, os) = speeds(t);
    let ws = if all { winsize(fd) } else { None };
    if all && ws.is_none() {
        // BusyBox reports the failed window-size query with a stale errno and goes on.
        cx.err(&[dev, b": ", sys::strerror(c::ENOTTY)]);
    }
    let mut w = Wrap { cx, col: 0, max };
    if is == 0 || is == os {
        w.item(&[b"speed ", crate::cx::fmt_u64(u64::from(os), &mut buf), b" baud;"]);
    } else {
        w.item(&[b"ispeed ", crate::cx::fmt_u64(u64::from(is), &mut buf), b" baud; ospeed ", crate::cx::fmt_u64(u64::from(os), &mut b2), b" baud;"]);
    }
    if let Some((r, col)) = ws {
        w.item(&[b"rows ", crate::cx::fmt_u64(r, &mut buf), b"; columns ", crate::cx::fmt_u64(col, &mut b2), b";"]);
    }
    w.item(&[b"line = ", crate::cx::fmt_u64(u64::from(t.c_line), &mut buf), b";\n"]);
    let mut vb = [0u8; 4];
    for cc in CCHARS.iter().take(15) {
        let v = visible(t.c_cc[cc.1], &mut vb);
        w.item(&[cc.0, b" = ", v, b";"]);
    }
    w.item(&[b"min = ", crate::cx::fmt_u64(u64::from(t.c_cc[c::VMIN]), &mut buf), b"; time = ", crate::cx::fmt_u64(u64::from(t.c_cc[c::VTIME]), &mut b2), b";"]);
    w.newline();
    let mut tc = *t;
    let mut prev = CTL;
    for m in MODES {
        if m.fl & OMIT != 0 {
            continue;
        }
        if m.ty != prev {
            if all {
                w.newline();
            }
            prev = m.ty;
        }
        let Some(bits) = word(&mut tc, m.ty) else { continue };
        let mask = if m.mask != 0 { m.mask } else { m.bits };
        let on = *bits & mask == m.bits;
        if all {
            if on {
                w.item(&[m.name]);
            } else if m.fl & REV != 0 {
                w.item(&[b"-", m.name]);
            }
        } else if on {
            if m.fl & UNSET != 0 {
                w.item(&[m.name]);
            }
        } else if m.fl & (SET | REV) == SET | REV {
            w.item(&[b"-", m.name]);
        }
    }
    w.newline();
}

fn set_winsize(fd: i32, rows: Option<u16>, cols: Option<u16>) -> Result<(), i32> {
    // SAFETY: winsize is plain data; the ioctls act on the device the user named.
    unsafe {
        let mut ws: c::winsize = std::mem::zeroed();
        if c::ioctl(fd, c::TIOCGWINSZ, &mut ws) != 0 {
            let e = sys::errno();
            if e != c::EINVAL {
                return Err(e);
            }
            ws = std::mem::zeroed();
        }
        if let Some(r) = rows {
            ws.ws_row = r;
        }
        if let Some(cl) = cols {
            ws.ws_col = cl;
        }
        if c::ioctl(fd, c::TIOCSWINSZ, &ws) != 0 {
            return Err(sys::errno());
        }
    }
    Ok(())
}

struct Fd(i32);
impl Drop for Fd {
    fn drop(&mut self) {
        if self.0 > 2 {
            // SAFETY: our own descriptor, closed once.
            unsafe { c::close(self.0) };
        }
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let mut file: Option<&[u8]> = None;
    let (mut all, mut rec) = (false, false);
    let mut sets: Vec<&[u8]> = Vec::new();
    // SAFETY: termios is plain data; this copy only checks `-g` forms.
    let mut scratch: c::termios = unsafe { std::mem::zeroed() };
    // First pass: check everything before touching the terminal, as BusyBox does.
    let mut k = 1;
    while let Some(a) = args.get(k).map(|a| a.as_bytes()) {
        k += 1;
        let next = args.get(k).map(|a| a.as_bytes());
        if let Some(rest) = a.strip_prefix(b"-") {
            if let Some(m) = find_mode(rest) {
                if m.fl & REV == 0 {
                    return Err(cx.fail(&[b"invalid argument '", a, b"'"]));
                }
                sets.push(a);
                continue;
            }
            let mut i = 0;
            while let Some(&ch) = rest.get(i) {
                i += 1;
                match ch {
                    b'a' => all = true,
                    b'g' => rec = true,
                    b'F' => {
                        if file.is_some() {
                            return Err(cx.fail(&[b"only one device may be specified"]));
                        }
                        let f = &rest[i..];
                        file = Some(if f.is_empty() {
                            k += 1;
                            next.ok_or_else(|| cx.fail(&[b"-F requires an argument"]))?
                        } else {
                            f
                        });
                        break;
                    }
                    _ => return Err(cx.fail(&[b"invalid argument '", a, b"'"])),
                }
            }
            continue;
        }
        sets.push(a);
        if find_mode(a).is_some() {
            continue;
        }
        let need = |cx: &Cx| next.ok_or_else(|| cx.fail(&[a, b" requires an argument"]));
        if let Some(i) = find_cc(a) {
            cc_value(cx, i, need(cx)?)?;
            sets.push(next.unwrap_or_default());
            k += 1;
            continue;
        }
        match a {
            b"line" | b"rows" | b"cols" | b"columns" => {
                let v = need(cx)?;
                if a != b"line" {
                    num(cx, v, 1, i32::MAX as u64)?;
                } else {
                    num(cx, v, 0, 255)?;
                }
                sets.push(v);
                k += 1;
            }
            b"ispeed" | b"ospeed" => {
                // Only a number is required: BusyBox leaves an unknown speed alone.
                plain_num(cx, need(cx)?)?;
                sets.push(next.unwrap_or_default());
                k += 1;
            }
            b"size" | b"speed" => {}
            _ => {
                if !recover(a, &mut scratch) {
                    speed_of(cx, a)?;
                }
            }
        }
    }
    if all && rec {
        return Err(cx.fail(&[b"-a and -g are mutually exclusive"]));
    }
    if (all || rec) && !sets.is_empty() {
        return Err(cx.fail(&[b"modes may not be set when -a or -g is used"]));
    }
    let (fd, dev): (Fd, &[u8]) = match file {
        Some(f) => {
            let Some(p) = sys::cstr(f) else {
                return Err(cx.fail(&[b"can't open '", f, b"': ", sys::strerror(c::ENOENT)]));
            };
            // SAFETY: a plain open of the named device; O_NONBLOCK so a modem line
            // without carrier does not hang, then cleared as BusyBox does.
            let fd = unsafe { c::open(p.as_ptr(), c::O_RDONLY | c::O_NONBLOCK | c::O_CLOEXEC) };
            if fd < 0 {
                cx.err_open(OsStr::from_bytes(f), sys::errno());
                return Err(Fail(1));
            }
            // SAFETY: our fd.
            unsafe {
                let fl = c::fcntl(fd, c::F_GETFL);
                c::fcntl(fd, c::F_SETFL, fl & !c::O_NONBLOCK);
            }
            (Fd(fd), f)
        }
        None => (Fd(0), b"standard input"),
    };
    // SAFETY: termios is plain data filled by tcgetattr.
    let mut t: c::termios = unsafe { std::mem::zeroed() };
    if unsafe { c::tcgetattr(fd.0, &mut t) } != 0 {
        return Err(cx.fail_no(dev, sys::errno()));
    }
    if rec {
        let mut buf = [0u8; 20];
        let mut hex = |v: u64, cx: &mut Cx| {
            let mut n = 0;
            let mut x = v;
            loop {
                buf[19 - n] = b"0123456789abcdef"[(x & 15) as usize];
                n += 1;
                x >>= 4;
                if x == 0 {
                    break;
                }
            }
            cx.out.write(&buf[20 - n..]);
        };
        for (i, v) in [t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag].into_iter().enumerate() {
            if i > 0 {
                cx.out.byte(b':');
            }
            hex(u64::from(v), cx);
        }
        for &ch in t.c_cc.iter() {
            cx.out.byte(b':');
            hex(u64::from(ch), cx);
        }
        cx.out.byte(b'\n');
        return Ok(0);
    }
    if all || sets.is_empty() {
        display(cx, &t, all, fd.0, dev);
        return Ok(0);
    }
    // Second pass: apply, in order.
    let mut set_attr = false;
    let mut i = 0;
    while let Some(&a) = sets.get(i) {
        i += 1;
        let next = sets.get(i).copied().unwrap_or_default();
        if let Some(rest) = a.strip_prefix(b"-") {
            if let Some(m) = find_mode(rest) {
                set_mode(m, true, &mut t);
                set_attr = true;
            }
            continue;
        }
        if let Some(m) = find_mode(a) {
            set_mode(m, false, &mut t);
            set_attr = true;
            continue;
        }
        if let Some(ci) = find_cc(a) {
            i += 1;
            t.c_cc[CCHARS[ci].1] = cc_value(cx, ci, next)?;
            set_attr = true;
            continue;
        }
        match a {
            b"line" => {
                i += 1;
                t.c_line = num(cx, next, 0, 255)? as c::cc_t;
                set_attr = true;
            }
            b"rows" | b"cols" | b"columns" => {
                i += 1;
                let v = num(cx, next, 1, i32::MAX as u64)? as u16;
                let r = if a == b"rows" { set_winsize(fd.0, Some(v), None) } else { set_winsize(fd.0, None, Some(v)) };
                if let Err(e) = r {
                    return Err(cx.fail_no(dev, e));
                }
            }
            b"size" => match winsize(fd.0) {
                Some((r, col)) => {
                    cx.out.num(r);
                    cx.out.byte(b' ');
                    cx.out.num(col);
                    cx.out.byte(b'\n');
                }
                // BusyBox prints the device name with a stale (zero) errno and goes on.
                None => cx.err(&[dev]),
            },
            b"speed" => {
                let (is, os) = speeds(&t);
                if is == 0 || is == os {
                    cx.out.num(u64::from(os));
                } else {
                    cx.out.num(u64::from(is));
                    cx.out.byte(b' ');
                    cx.out.num(u64::from(os));
                }
                cx.out.byte(b'\n');
            }
            b"ispeed" | b"ospeed" => {
                i += 1;
                let Some(s) = baud_of(plain_num(cx, next)?) else { continue };
                // SAFETY: our termios copy.
                unsafe {
                    if a == b"ispeed" {
                        c::cfsetispeed(&mut t, s);
                    } else {
                        c::cfsetospeed(&mut t, s);
                    }
                }
                set_attr = true;
            }
            _ => {
                if !recover(a, &mut t) {
                    let s = speed_of(cx, a)?;
                    // SAFETY: our termios copy.
                    unsafe {
                        c::cfsetispeed(&mut t, s);
                        c::cfsetospeed(&mut t, s);
                    }
                }
                set_attr = true;
            }
        }
    }
    if set_attr {
        // SAFETY: termios is plain data; the device is the one the user named.
        unsafe {
            if c::tcsetattr(fd.0, c::TCSADRAIN, &t) != 0 {
                return Err(cx.fail_no(dev, sys::errno()));
            }
            let mut n: c::termios = std::mem::zeroed();
            if c::tcgetattr(fd.0, &mut n) != 0 {
                return Err(cx.fail_no(dev, sys::errno()));
            }
            // tcsetattr succeeds when it did any of it: compare what the kernel kept.
            if (n.c_iflag, n.c_oflag, n.c_cflag, n.c_lflag, n.c_line, n.c_cc) != (t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag, t.c_line, t.c_cc) {
                return Err(cx.fail(&[dev, b": cannot perform all requested operations"]));
            }
        }
    }
    Ok(0)
}
