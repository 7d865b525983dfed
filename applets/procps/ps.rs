//! applet: ps
//! dir: bin
//! usage: ps [-o COL1,COL2=HEADER] [-T]
//! Show list of processes
//!
//! -o COL1,COL2=HEADER	Select columns for display
//! -T			Show threads

// BusyBox's "desktop" ps: -a -A -d -e -f -l -Z are accepted and ignored (every process is
// listed, as by BusyBox), and BSD words such as `aux` are operands it ignores too.

use crate::procfs::{self, Proc, Procs};
use crate::users::Users;
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// The line length limit when not on a terminal (BusyBox's MAX_WIDTH).
const MAX_WIDTH: usize = 2048;

#[derive(Clone, Copy, PartialEq, Eq)]
enum F {
    User,
    Group,
    Comm,
    Args,
    Pid,
    Ppid,
    Pgid,
    Etime,
    Nice,
    Rgroup,
    Ruser,
    Pcpu,
    Time,
    Tty,
    Vsz,
    Sid,
    Stat,
    Rss,
}

/// name, header, default width, field; in BusyBox's order (its error message lists them so).
/// `pcpu` is rbox's: BusyBox has it commented out.
const SPECS: [(&str, &str, usize, F); 18] = [
    ("user", "USER", 8, F::User),
    ("group", "GROUP", 8, F::Group),
    ("comm", "COMMAND", 16, F::Comm),
    ("args", "COMMAND", MAX_WIDTH, F::Args),
    ("pid", "PID", 5, F::Pid),
    ("ppid", "PPID", 5, F::Ppid),
    ("pgid", "PGID", 5, F::Pgid),
    ("etime", "ELAPSED", 7, F::Etime),
    ("nice", "NI", 5, F::Nice),
    ("rgroup", "RGROUP", 8, F::Rgroup),
    ("ruser", "RUSER", 8, F::Ruser),
    ("pcpu", "%CPU", 4, F::Pcpu),
    ("time", "TIME", 5, F::Time),
    ("tty", "TT", 6, F::Tty),
    ("vsz", "VSZ", 4, F::Vsz),
    ("sid", "SID", 5, F::Sid),
    ("stat", "STAT", 4, F::Stat),
    ("rss", "RSS", 4, F::Rss),
];

struct Col<'a> {
    f: F,
    width: usize,
    header: &'a [u8],
}

/// BusyBox's find_out_spec: the first six characters decide (`rgroupX` is `rgroup`).
fn spec(cx: &Cx, name: &[u8]) -> Res<(usize, F, &'static str)> {
    for (n, h, w, f) in SPECS {
        let n = n.as_bytes();
        let hit = if name.len() >= 6 { &name[..6] == n } else { name == n };
        if hit {
            return Ok((w, f, h));
        }
    }
    let mut list = Vec::new();
    for (i, s) in SPECS.iter().enumerate() {
        if i > 0 {
            list.push(b',');
        }
        list.extend_from_slice(s.0.as_bytes());
    }
    Err(cx.fail(&[b"bad -o argument '", name, b"', supported arguments: ", &list]))
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "Zo:aAdeflT", &[])?;
    let mut cols: Vec<Col> = Vec::new();
    let mut header = false;
    let default = OsStr::new("pid,user,time,args");
    let lists: Vec<&OsStr> = if o.has(b'o') { o.vals(b'o').collect() } else { vec![default] };
    for l in lists {
        for item in l.as_bytes().split(|&c| c == b',') {
            let (name, h) = match item.iter().position(|&c| c == b'=') {
                Some(i) => (&item[..i], Some(&item[i + 1..])),
                None => (item, None),
            };
            let (mut width, f, dflt) = spec(cx, name)?;
            let hdr: &[u8] = match h {
                Some(h) => {
                    if !h.is_empty() {
                        width = h.len();
                    }
                    h
                }
                None => dflt.as_bytes(),
            };
            header |= !hdr.is_empty();
            cols.push(Col { f, width, header: hdr });
        }
    }
    let tw = if crate::sys::isatty(1) {
        crate::sys::term_cols(0).saturating_sub(1).min(MAX_WIDTH)
    } else {
        MAX_WIDTH
    };
    // Columns past the screen's width are dropped (the one that crosses it stays).
    let mut total = 0usize;
    for i in 0..cols.len() {
        total += cols[i].width + 1;
        if total > tw {
            cols.truncate(i + 1);
            break;
        }
    }
    let has = |f: F| cols.iter().any(|c| c.f == f);
    let mut flags = procfs::STAT;
    if has(F::User) || has(F::Group) {
        flags |= procfs::UID;
    }
    if o.has(b'T') {
        flags |= procfs::TASKS;
    }
    let mut ps = Procs::open(flags).map_err(|e| e.fail(cx))?;
    let mut line: Vec<u8> = Vec::with_capacity(256);
    if header {
        for (i, c) in cols.iter().enumerate() {
            line.extend_from_slice(c.header);
            if i + 1 < cols.len() {
                pad(&mut line, c.width as isize + 1 - c.header.len() as isize);
            }
        }
        emit(cx, &mut line, tw);
    }
    let ctx = Ctx {
        users: Users::new(),
        hz: procfs::clk_tck(),
        up: uptime_secs(),
    };
    let mut val: Vec<u8> = Vec::with_capacity(64);
    while let Some(p) = ps.next() {
        for (i, c) in cols.iter().enumerate() {
            val.clear();
            ctx.field(c.f, c.width, p, &mut val);
            if val.is_empty() {
                val.push(b'-');
            }
            line.extend_from_slice(&val);
            if i + 1 < cols.len() {
                pad(&mut line, c.width as isize + 1 - val.len() as isize);
            }
        }
        emit(cx, &mut line, tw);
        if cx.out.err != 0 {
            break;
        }
    }
    Ok(0)
}

/// BusyBox pads with `%*s` of `width - len + 1`: a negative count pads that many spaces
/// too (C's left-justify), and exactly zero leaves no separator at all.
fn pad(line: &mut Vec<u8>, n: isize) {
    line.resize(line.len() + n.unsigned_abs(), b' ');
}

fn emit(cx: &mut Cx, line: &mut Vec<u8>, tw: usize) {
    line.truncate(tw);
    line.push(b'\n');
    cx.out.write(line);
    line.clear();
}

fn uptime_secs() -> u64 {
    // SAFETY: sysinfo is plain data filled by the kernel.
    unsafe {
        let mut si: libc::sysinfo = std::mem::zeroed();
        if libc::sysinfo(&mut si) == 0 {
            si.uptime.max(0) as u64
        } else {
            0
        }
    }
}

struct Ctx {
    users: Users,
    hz: u64,
    up: u64,
}

impl Ctx {
    fn field(&self, f: F, w: usize, p: &mut Proc, v: &mut Vec<u8>) {
        let mut b = [0u8; 20];
        match f {
            F::User | F::Ruser | F::Group | F::Rgroup => {
                let id = match f {
                    F::User => p.uid,
                    F::Group => p.gid,
                    _ => {
                        let (ru, rg) = p.real_ids().unwrap_or((0, 0));
                        if f == F::Ruser {
                            ru
                        } else {
                            rg
                        }
                    }
                };
                let name = if matches!(f, F::User | F::Ruser) {
                    self.users.user_name(id)
                } else {
                    self.users.group_name(id)
                };
                match name {
                    Some(n) => v.extend_from_slice(n),
                    None => v.extend_from_slice(crate::cx::fmt_u64(id as u64, &mut b)),
                }
                v.truncate(w);
            }
            F::Comm => {
                procfs::push_safe(v, p.comm());
                v.truncate(w);
            }
            F::Args => {
                p.args(w, v);
                v.truncate(w);
            }
            F::Pid => rnum(v, p.pid as i64, w),
            F::Ppid => rnum(v, p.ppid as i64, w),
            F::Pgid => rnum(v, p.pgid as i64, w),
            F::Sid => rnum(v, p.sid as i64, w),
            F::Nice => rnum(v, p.nice, w),
            F::Etime => {
                let s = self.up.saturating_sub(p.start / self.hz.max(1));
                mmss(v, s, w);
            }
            F::Time => mmss(v, (p.utime + p.stime) / self.hz.max(1), w),
            F::Pcpu => {
                // CPU time over elapsed time, in tenths of a percent, as procps-ng.
                let el = (self.up * self.hz).saturating_sub(p.start);
                let t = (p.utime + p.stime) * 1000;
                let pc = t.checked_div(el).unwrap_or(0);
                let mut s = Vec::new();
                s.extend_from_slice(crate::cx::fmt_u64(pc / 10, &mut b));
                s.push(b'.');
                s.push(b'0' + (pc % 10) as u8);
                v.resize(w.saturating_sub(s.len()), b' ');
                v.extend_from_slice(&s);
                v.truncate(w);
            }
            F::Tty => {
                let (maj, min) = p.tty_nr();
                if p.tty == 0 {
                    v.push(b'?');
                } else {
                    v.extend_from_slice(crate::cx::fmt_u64(maj as u64, &mut b));
                    v.push(b',');
                    v.extend_from_slice(crate::cx::fmt_u64(min as u64, &mut b));
                }
                v.truncate(w);
            }
            F::Vsz | F::Rss => {
                let n = if f == F::Vsz { p.vsz } else { p.rss };
                v.extend_from_slice(&smart4(n));
                v.truncate(w);
            }
            F::Stat => {
                v.extend_from_slice(&p.stat3());
                v.truncate(w);
            }
        }
    }
}

/// `%*d`: right-aligned in `w`, never cut.
fn rnum(v: &mut Vec<u8>, n: i64, w: usize) {
    let mut b = [0u8; 20];
    let d = crate::cx::fmt_u64(n.unsigned_abs(), &mut b);
    let len = d.len() + (n < 0) as usize;
    v.resize(v.len() + w.saturating_sub(len), b' ');
    if n < 0 {
        v.push(b'-');
    }
    v.extend_from_slice(d);
}

/// BusyBox's format_time for a 5-column TIME: "mm:ss", then "hhHmm", "ddDhh", "dddd" +
/// "d" as the figure grows; cut to `w`.
fn mmss(v: &mut Vec<u8>, s: u64, w: usize) {
    let two = |v: &mut Vec<u8>, n: u64, pad: u8| {
        let mut b = [0u8; 20];
        let d = crate::cx::fmt_u64(n, &mut b);
        if d.len() < 2 {
            v.push(pad);
        }
        v.extend_from_slice(d);
    };
    let start = v.len();
    let (m, sec) = (s / 60, s % 60);
    let (h, min) = (m / 60, m % 60);
    let (d, hr) = (h / 24, h % 24);
    if m < 60 {
        two(v, m, b' ');
        v.push(b':');
        two(v, sec, b'0');
    } else if h < 24 {
        two(v, h, b' ');
        v.push(b'h');
        two(v, min, b'0');
    } else if d < 100 {
        two(v, d, b' ');
        v.push(b'd');
        two(v, hr, b'0');
    } else {
        let mut b = [0u8; 20];
        let t = crate::cx::fmt_u64(d, &mut b);
        v.resize(v.len() + 4usize.saturating_sub(t.len()), b' ');
        v.extend_from_slice(t);
        v.push(b'd');
    }
    v.truncate(start + w);
}

/// BusyBox's smart_ulltoa4: four characters, "1234", " 12m", "9.7m" (KiB scaled by 1024,
/// units " mgtpezy").
pub fn smart4(ul: u64) -> [u8; 4] {
    const SCALE: &[u8] = b" mgtpezy";
    const DIG: &[u8; 10] = b"0123456789";
    const SP: &[u8; 10] = b" 123456789";
    let mut ul = ul;
    let mut idx = 0usize;
    if ul > 9999 {
        ul = ul.saturating_mul(10);
        loop {
            ul /= 1024;
            idx += 1;
            if ul < 10000 {
                break;
            }
        }
    }
    let v = ul as usize;
    let (mut u, mut r) = (v / 10, v % 10);
    let mut buf = [b' '; 4];
    let mut fmt = SP;
    if idx == 0 {
        buf[0] = SP[u / 100 % 10];
        if buf[0] != b' ' {
            fmt = DIG;
        }
        buf[1] = fmt[u / 10 % 10];
        if buf[1] != b' ' {
            fmt = DIG;
        }
        buf[2] = fmt[u % 10];
        buf[3] = DIG[r];
    } else {
        if u >= 10 {
            buf[0] = SP[u / 100 % 10];
            if buf[0] != b' ' {
                fmt = DIG;
            }
            r = u % 10;
            u /= 10;
            buf[1] = fmt[u % 10];
        } else {
            buf[0] = DIG[u % 10];
            buf[1] = b'.';
        }
        buf[2] = DIG[r];
        buf[3] = *SCALE.get(idx).unwrap_or(&b'?');
    }
    buf
}

#[cfg(test)]
mod tests {
    #[test]
    fn times() {
        let s = |n| {
            let mut v = Vec::new();
            super::mmss(&mut v, n, 5);
            String::from_utf8(v).unwrap()
        };
        assert_eq!(s(0), " 0:00");
        assert_eq!(s(61), " 1:01");
        assert_eq!(s(3599), "59:59");
        assert_eq!(s(3600 + 120), " 1h02");
        assert_eq!(s(86400 * 3 + 7200), " 3d02");
        assert_eq!(s(86400 * 1234), "1234d");
    }

    #[test]
    fn smart4() {
        let s = |n| String::from_utf8(super::smart4(n).to_vec()).unwrap();
        assert_eq!(s(0), "   0");
        assert_eq!(s(5), "   5");
        assert_eq!(s(1234), "1234");
        assert_eq!(s(9999), "9999");
        assert_eq!(s(10000), "9.7m");
        assert_eq!(s(42000), " 41m");
        assert_eq!(s(1_000_000), "976m");
        assert_eq!(s(u64::MAX), "1.5z");
    }
}
