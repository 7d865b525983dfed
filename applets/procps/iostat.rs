//! applet: iostat
//! usage: iostat [-c] [-d] [-t] [-z] [-k|-m] [ALL|BLOCKDEV...] [INTERVAL [COUNT]]
//! Report CPU and I/O statistics
//!
//! -c  Show CPU utilization
//! -d  Show device utilization
//! -t  Print current time
//! -z  Omit devices with no activity
//! -k  Use kb/s
//! -m  Use Mb/s

// BusyBox's iostat (sysstat's layout): the first report covers the time since boot, later
// ones each INTERVAL; rates over jiffies (the sum of the CPUs' for the CPU line, uptime
// times HZ for devices on SMP).

use crate::procfs::{self, CpuTimes, Stat};
use crate::{sys, time, Cx, Res};
use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

#[derive(Clone, Default)]
struct Dev {
    name: Vec<u8>,
    rd_sec: u64,
    wr_sec: u64,
    rd_ops: u64,
    wr_ops: u64,
}

fn pct(prev: u64, cur: u64, itv: u64) -> f64 {
    cur.wrapping_sub(prev) as f64 / itv.max(1) as f64 * 100.0
}

fn is_partition(n: &[u8]) -> bool {
    n.len() > 3 && &n[..3] == b"sda" && n[3].is_ascii_digit()
}

fn diskstats() -> Vec<Dev> {
    let t = std::fs::read("/proc/diskstats").unwrap_or_default();
    let mut v = Vec::new();
    for l in t.split(|&c| c == b'\n') {
        let f: Vec<&[u8]> = l.split(|&c| c == b' ').filter(|s| !s.is_empty()).collect();
        if f.len() < 7 {
            continue;
        }
        let n = |i: usize| f.get(i).and_then(|x| crate::args::parse_u64(x)).unwrap_or(0);
        let d = if f.len() >= 14 {
            Dev { name: f[2].to_vec(), rd_ops: n(3), rd_sec: n(5), wr_ops: n(7), wr_sec: n(9) }
        } else {
            Dev { name: f[2].to_vec(), rd_ops: n(3), rd_sec: n(4), wr_ops: n(5), wr_sec: n(6) }
        };
        v.push(d);
    }
    v
}

fn total(c: &CpuTimes) -> u64 {
    c.user + c.nice + c.system + c.idle + c.iowait + c.irq + c.steal + c.softirq
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "cdtzkm", &[])?;
    if o.has(b'k') && o.has(b'm') {
        return Err(cx.usage());
    }
    let (mut c, mut d) = (o.has(b'c'), o.has(b'd'));
    if !c && !d {
        c = true;
        d = true;
    }
    let unit = if o.has(b'k') { 2.0 } else if o.has(b'm') { 2048.0 } else { 1.0 };
    let mut devs: Vec<Vec<u8>> = Vec::new();
    let mut all = false;
    let mut rest = o.args.iter().map(|a| a.as_bytes()).peekable();
    while let Some(a) = rest.next_if(|a| !a.first().is_some_and(u8::is_ascii_digit)) {
        if a == b"ALL" {
            all = true;
        } else {
            let a = a.strip_prefix(b"/dev/").unwrap_or(a);
            if !devs.iter().any(|x| x == a) {
                devs.push(a.to_vec());
            }
        }
    }
    let mut interval = 0u64;
    let mut count: i64 = 1;
    if let Some(i) = rest.next() {
        interval = cx.num_u64(OsStr::from_bytes(i))?;
        count = if interval != 0 { -1 } else { 1 };
        if let Some(n) = rest.next() {
            count = cx.num_u64(OsStr::from_bytes(n))?.min(i64::MAX as u64) as i64;
        }
    }
    let st0 = Stat::read().map_err(|e| cx.fail_no(b"can't open '/proc/stat'", e))?;
    let cpus = st0.cpus.len().max(1);
    let hz = procfs::clk_tck();
    let u = sys::utsname();
    let mut h = Vec::new();
    h.extend_from_slice(&sys::cfield(&u.sysname));
    h.push(b' ');
    h.extend_from_slice(&sys::cfield(&u.release));
    h.extend_from_slice(b" (");
    h.extend_from_slice(&sys::cfield(&u.nodename));
    h.extend_from_slice(b") \t");
    if let Some(tm) = time::local(time::now()) {
        tm.strftime(b"%x", &mut h);
    }
    h.extend_from_slice(b" \t_");
    h.extend_from_slice(&sys::cfield(&u.machine));
    let _ = write!(h, "_\t({cpus} CPU)\n\n");
    cx.out.write(&h);
    let mut last_cpu = CpuTimes::default();
    let mut last_up = 0u64;
    let mut last_smp = 0u64;
    let mut saved: Vec<Dev> = Vec::new();
    loop {
        let st = Stat::read().map_err(|e| cx.fail_no(b"can't open '/proc/stat'", e))?;
        let cur = st.cpu;
        let up = total(&cur);
        let mut itv = up.wrapping_sub(last_up).max(1);
        let mut out = Vec::new();
        if o.has(b't') {
            if let Some(tm) = time::local(time::now()) {
                tm.strftime(b"%x %X", &mut out);
            }
            out.push(b'\n');
        }
        if c {
            out.extend_from_slice(b"avg-cpu:  %user   %nice %system %iowait  %steal   %idle\n");
            let p = &last_cpu;
            let _ = writeln!(
                out,
                "         {:6.2}  {:6.2}  {:6.2}  {:6.2}  {:6.2}  {:6.2}",
                pct(p.user, cur.user, itv),
                pct(p.nice, cur.nice, itv),
                pct(p.system + p.softirq + p.irq, cur.system + cur.softirq + cur.irq, itv),
                pct(p.iowait, cur.iowait, itv),
                pct(p.steal, cur.steal, itv),
                pct(p.idle, cur.idle, itv)
            );
            if d {
                out.push(b'\n');
            }
        }
        if d {
            if cpus > 1 {
                let (s, h2) = procfs::uptime().unwrap_or((0, 0));
                let _ = h2;
                let smp = s / 100 * hz + (s % 100) * hz / 100;
                itv = smp.wrapping_sub(last_smp).max(1);
                last_smp = smp;
            }
            out.extend_from_slice(b"Device:            tps");
            out.extend_from_slice(if o.has(b'm') {
                &b"    MB_read/s    MB_wrtn/s    MB_read    MB_wrtn\n"[..]
            } else if o.has(b'k') {
                b"    kB_read/s    kB_wrtn/s    kB_read    kB_wrtn\n"
            } else {
                b"   Blk_read/s   Blk_wrtn/s   Blk_read   Blk_wrtn\n"
            });
            let mut i = 0;
            for dv in diskstats() {
                let listed = devs.iter().any(|x| *x == dv.name);
                let show = if devs.is_empty() && !is_partition(&dv.name) { all || dv.rd_ops != 0 || dv.wr_ops != 0 } else { listed };
                if !show {
                    continue;
                }
                if saved.len() <= i {
                    saved.push(Dev::default());
                }
                let p = saved[i].clone();
                if !(o.has(b'z') && p.rd_ops == dv.rd_ops && p.wr_ops == dv.wr_ops) {
                    let mut name = dv.name.clone();
                    name.resize(name.len().max(13), b' ');
                    out.extend_from_slice(&name);
                    let _ = writeln!(
                        out,
                        " {:8.2} {:12.2} {:12.2} {:10} {:10} ",
                        pct(p.rd_ops + p.wr_ops, dv.rd_ops + dv.wr_ops, itv),
                        pct(p.rd_sec, dv.rd_sec, itv) / unit,
                        pct(p.wr_sec, dv.wr_sec, itv) / unit,
                        (dv.rd_sec.wrapping_sub(p.rd_sec) as f64 / unit) as u64,
                        (dv.wr_sec.wrapping_sub(p.wr_sec) as f64 / unit) as u64
                    );
                }
                saved[i] = dv;
                i += 1;
            }
        }
        cx.out.write(&out);
        if count > 0 {
            count -= 1;
            if count == 0 {
                break;
            }
        }
        last_up = up;
        last_cpu = cur;
        cx.out.byte(b'\n');
        cx.out.flush();
        if cx.out.err != 0 {
            return Ok(1);
        }
        std::thread::sleep(std::time::Duration::from_secs(interval));
    }
    cx.out.byte(b'\n');
    Ok(0)
}
