//! applet: pmap
//! usage: pmap [-xq] PID...
//! Display process memory usage
//!
//! -x  Show details
//! -q  Quiet

// BusyBox's pmap: mappings from /proc/PID/smaps (a name is cut at its first blank, an
// anonymous one shows as `[ anon ]`), sizes in KiB; status 42 when a pid cannot be read,
// as GNU pmap gives.

use crate::procfs::{self, Procs};
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::io::Write;

#[derive(Default)]
struct Rec {
    start: u64,
    size: u64,
    pss: u64,
    dirty: u64,
    swap: u64,
    mode: [u8; 4],
    name: Vec<u8>,
}

fn kb_field(l: &[u8], name: &[u8]) -> Option<u64> {
    let r = l.strip_prefix(name)?;
    let r = &r[r.iter().position(|c| !c.is_ascii_whitespace())?..];
    let end = r.iter().position(|c| !c.is_ascii_digit()).unwrap_or(r.len());
    crate::args::parse_u64(&r[..end])
}

fn hex(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 16 {
        return None;
    }
    s.iter().try_fold(0u64, |n, &c| Some(n << 4 | (c as char).to_digit(16)? as u64))
}

fn print(out: &mut Vec<u8>, r: &Rec, x: bool) {
    let _ = write!(out, "{:016x} ", r.start);
    if x {
        let _ = write!(out, "{:7} {:7} {:7} {:7} ", r.size, r.pss, r.dirty, r.swap);
    } else {
        let _ = write!(out, "{:7}K", r.size);
    }
    out.push(b' ');
    out.extend_from_slice(&r.mode);
    out.extend_from_slice(b"  ");
    out.extend_from_slice(&r.name);
    out.push(b'\n');
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "xq", &[])?;
    let (x, q) = (o.has(b'x'), o.has(b'q'));
    let mut status = 0;
    let mut ps = Procs::open(0).map_err(|e| e.fail(cx))?;
    for a in &o.args {
        let n = cx.num_u64(a)?;
        let pid = u32::try_from(n).map_err(|_| cx.fail(&[b"invalid number '", std::os::unix::ffi::OsStrExt::as_bytes(*a), b"'"]))?;
        let mut out = Vec::new();
        let _ = write!(out, "{pid}: ");
        let mut smaps = Err(libc::ESRCH);
        if let Some(p) = ps.get(pid) {
            let c = p.cmdline(255);
            if c.is_empty() {
                out.extend_from_slice(b"[?]");
            } else {
                let v: Vec<u8> = c.iter().map(|&b| if b == 0 { b' ' } else { b }).collect();
                procfs::push_safe(&mut out, &v);
            }
            smaps = p.read(b"smaps", 64 << 20).map(|s| s.to_vec());
        } else {
            out.extend_from_slice(b"[?]");
        }
        out.push(b'\n');
        let Ok(smaps) = smaps else {
            cx.out.write(&out);
            status = 42;
            continue;
        };
        if x && !q {
            out.extend_from_slice(b"Address\t\t  Kbytes     PSS   Dirty    Swap  Mode  Mapping\n");
        }
        let mut total = Rec::default();
        let mut cur: Option<Rec> = None;
        for l in smaps.split(|&c| c == b'\n') {
            if let Some(r) = cur.as_mut() {
                if let Some(v) = kb_field(l, b"Pss:") {
                    r.pss = v;
                    total.pss += v;
                    continue;
                }
                if let Some(v) = kb_field(l, b"Swap:") {
                    r.swap = v;
                    total.swap += v;
                    continue;
                }
                if let Some(v) = kb_field(l, b"Private_Dirty:") {
                    r.dirty = v;
                    total.dirty += v;
                    continue;
                }
            }
            // A mapping's first line: START-END MODE OFFSET DEV INODE [NAME].
            let Some(dash) = l.iter().position(|&c| c == b'-') else { continue };
            let mut f = l.split(|&c| c == b' ').filter(|s| !s.is_empty());
            let Some(range) = f.next() else { continue };
            let (Some(start), Some(end)) = (hex(&range[..dash.min(range.len())]), range.get(dash + 1..).and_then(hex)) else {
                continue;
            };
            if let Some(r) = cur.take() {
                if r.size != 0 {
                    print(&mut out, &r, x);
                }
            }
            let mut r = Rec { start, size: end.saturating_sub(start) >> 10, ..Rec::default() };
            if let Some(m) = f.next() {
                let n = m.len().min(4);
                r.mode[..n].copy_from_slice(&m[..n]);
            }
            r.name = f.nth(3).map_or(b"  [ anon ]".to_vec(), |n| n.to_vec());
            total.size += r.size;
            cur = Some(r);
        }
        if let Some(r) = cur.take() {
            if r.size != 0 {
                print(&mut out, &r, x);
            }
        }
        if !q {
            if x {
                let _ = write!(
                    out,
                    "----------------  ------  ------  ------  ------\ntotal\t\t {:7} {:7} {:7} {:7}\n",
                    total.size, total.pss, total.dirty, total.swap
                );
            } else {
                let _ = writeln!(out, "mapped: {}K", total.size);
            }
        }
        cx.out.write(&out);
    }
    Ok(status)
}
