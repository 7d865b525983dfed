//! applet: mpstat
//! usage: mpstat [-A] [-I SUM|CPU|ALL|SCPU] [-u] [-P num|ALL] [INTERVAL [COUNT]]
//! Per-processor statistics
//!
//! -A  		Same as -I ALL -u -P ALL
//! -I SUM|CPU|ALL|SCPU	Report interrupt statistics
//! -P num|ALL		Processor to monitor
//! -u  		Report CPU utilization

// BusyBox's mpstat (sysstat 9's layout). Without INTERVAL one report covers the time since
// boot; with it, a report every INTERVAL seconds (COUNT times, else forever) and then the
// "Average:" lines over the whole run. Rates are over jiffies: the sum of all CPUs' for the
// `all` CPU line, one CPU's for its own line and for interrupt rates.

use crate::procfs::{self, CpuTimes, IrqTable};
use crate::time::{self, Tm};
use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;

const CPU: u8 = 1;
const IRQ_SUM: u8 = 2;
const IRQ_CPU: u8 = 4;
const SOFTIRQS: u8 = 8;

/// BusyBox keeps at most 256 rows of a table (plus 3 spare for rows that appear later) and
/// 15 bytes of a row's name.
const MAX_IRQS: usize = 256;
const SPARE_IRQS: usize = 3;
const NAME_MAX: usize = 15;

/// One table (/proc/interrupts or /proc/softirqs) as read at one time: `n` row slots, the
/// names (empty: no such row now), counts indexed `cpu * n + row`.
#[derive(Clone, Default)]
struct Irqs {
    names: Vec<Vec<u8>>,
    counts: Vec<u32>,
}

/// Everything read at one time.
#[derive(Clone, Default)]
struct Sample {
    tm: Option<Tm>,
    /// Jiffies: the `cpu` line's sum, and one CPU's (cpu0's) when there are several.
    up: u64,
    up1: u64,
    /// Index 0: the total; 1..=ncpu: cpu0...
    cpu: Vec<CpuTimes>,
    /// Interrupts: index 0 from /proc/stat's `intr`, 1.. the per-CPU sums of the numbered
    /// rows of /proc/interrupts.
    irq: Vec<u64>,
    hard: Irqs,
    soft: Irqs,
}

struct St {
    ncpu: usize,
    hz: u64,
    opts: u8,
    /// Bit per line: 0 the total, 1.. each CPU.
    sel: Vec<bool>,
    /// -P or -A given: the per-IRQ tables show only the selected CPUs.
    p_opt: bool,
    interval: bool,
    nhard: usize,
    nsoft: usize,
}

fn busy(c: &CpuTimes) -> u64 {
    // Guest time is already in user time.
    c.user
        .wrapping_add(c.nice)
        .wrapping_add(c.system)
        .wrapping_add(c.idle)
        .wrapping_add(c.iowait)
        .wrapping_add(c.irq)
        .wrapping_add(c.softirq)
        .wrapping_add(c.steal)
}

/// A counter's increase; a counter the kernel keeps in 32 bits may have wrapped.
fn delta(prev: u64, cur: u64) -> u64 {
    let v = cur.wrapping_sub(prev);
    if (v as i64) < 0 && prev <= 0xffff_ffff {
        v.wrapping_add(1 << 32)
    } else {
        v
    }
}

fn pct(prev: u64, cur: u64, itv: u64) -> f64 {
    delta(prev, cur) as f64 / itv as f64 * 100.0
}

fn jiffies(old: u64, new: u64) -> u64 {
    new.wrapping_sub(old).max(1)
}

/// Row slots for a table: its rows now, plus spares.
fn irq_slots(path: &std::ffi::CStr) -> usize {
    match procfs::read_file(path) {
        Ok(t) => {
            let n = t
                .split(|&c| c == b'\n')
                .filter(|l| matches!(crate::bytes::memchr(b':', l), Some(p) if p > 0 && p < 16))
                .take(MAX_IRQS)
                .count();
            n + SPARE_IRQS
        }
        Err(_) => SPARE_IRQS,
    }
}

fn read_irqs(path: &std::ffi::CStr, n: usize, ncpu: usize, sums: &mut [u64]) -> Irqs {
    let mut r = Irqs {
        names: vec![Vec::new(); n],
        counts: vec![0; n * ncpu],
    };
    let Ok(text) = procfs::read_file(path) else {
        return r;
    };
    let t = IrqTable::parse(&text);
    let cols = t.cpus.len().min(ncpu);
    for (j, row) in t.rows.iter().take(n).enumerate() {
        let name = &row.name[..row.name.len().min(NAME_MAX)];
        r.names[j] = name.to_vec();
        // Only numbered interrupts count in a CPU's total.
        let numbered = row.name.last().is_some_and(u8::is_ascii_digit);
        for (k, &c) in row.counts.iter().take(cols).enumerate() {
            let cpu = t.cpus[k] as usize;
            if cpu >= ncpu {
                continue;
            }
            r.counts[cpu * n + j] = c;
            if numbered {
                if let Some(s) = sums.get_mut(cpu + 1) {
                    *s = s.wrapping_add(c as u64);
                }
            }
        }
    }
    r
}

fn sample(cx: &Cx, st: &St) -> Res<Sample> {
    let mut s = Sample {
        tm: time::local(time::now()),
        cpu: vec![CpuTimes::default(); st.ncpu + 1],
        irq: vec![0; st.ncpu + 1],
        ..Sample::default()
    };
    if st.ncpu > 1 {
        if let Ok((h, _)) = procfs::uptime() {
            s.up1 = h / 100 * st.hz + (h % 100) * st.hz / 100;
        }
    }
    let text = procfs::read_file(c"/proc/stat").map_err(|e| cx.fail_no(b"can't open '/proc/stat'", e))?;
    for (num, mut t) in procfs::cpu_lines(&text) {
        // BusyBox reads nine fields: no guest_nice.
        t.guest_nice = 0;
        let i = match num {
            None => {
                s.up = busy(&t);
                0
            }
            Some(n) if (n as usize) < st.ncpu => {
                if n == 0 && s.up1 != 0 {
                    s.up1 = busy(&t);
                }
                n as usize + 1
            }
            Some(_) => continue,
        };
        s.cpu[i] = t;
    }
    if st.opts & IRQ_SUM != 0 {
        let intr = text.split(|&c| c == b'\n').find_map(|l| l.strip_prefix(b"intr "));
        if let Some(l) = intr {
            let d = l.iter().take_while(|c| c.is_ascii_digit()).count();
            s.irq[0] = crate::args::parse_u64(&l[..d]).unwrap_or(0);
        }
    }
    if st.opts & (IRQ_SUM | IRQ_CPU) != 0 {
        s.hard = read_irqs(c"/proc/interrupts", st.nhard, st.ncpu, &mut s.irq);
    }
    if st.opts & SOFTIRQS != 0 {
        s.soft = read_irqs(c"/proc/softirqs", st.nsoft, st.ncpu, &mut []);
    }
    Ok(s)
}

/// The time column: HH:MM:SS (or "Average:") padded to 11.
fn stamp(tm: &Option<Tm>, out: &mut Vec<u8>) {
    let start = out.len();
    if let Some(t) = tm {
        t.strftime(b"%X", out);
    }
    while out.len() < start + 11 {
        out.push(b' ');
    }
}

fn label(o: &mut Vec<u8>, s: &[u8], cpu: usize) {
    o.extend_from_slice(s);
    if cpu == 0 {
        o.extend_from_slice(b"  all");
    } else {
        let _ = write!(o, " {:4}", cpu - 1);
    }
}

fn zeros(o: &mut Vec<u8>, idle: f64) {
    for _ in 0..8 {
        o.extend_from_slice(b"    0.00");
    }
    let _ = writeln!(o, " {idle:7.2}");
}

fn irq_table(o: &mut Vec<u8>, st: &St, prev: &Irqs, cur: &Irqs, itv: u64, ps: &[u8], cs: &[u8]) {
    let n = cur.names.len();
    o.push(b'\n');
    o.extend_from_slice(ps);
    o.extend_from_slice(b"  CPU");
    // A name wider than its 10 columns is paid back by the next ones.
    let (mut want, mut got) = (0usize, 0usize);
    for name in cur.names.iter().filter(|n| !n.is_empty()) {
        let name = &name[name.iter().take_while(|c| c.is_ascii_whitespace()).count()..];
        let w = (7 + want).saturating_sub(got);
        let start = o.len();
        o.push(b' ');
        for _ in name.len()..w {
            o.push(b' ');
        }
        o.extend_from_slice(name);
        o.extend_from_slice(b"/s");
        got += o.len() - start;
        want += 10;
    }
    o.push(b'\n');
    for cpu in 1..=st.ncpu {
        if st.p_opt && !st.sel[cpu] {
            continue;
        }
        label(o, cs, cpu);
        for j in 0..n {
            let name = &cur.names[j];
            if name.is_empty() {
                continue;
            }
            // A row that moved since the last report is looked for one slot either side.
            let mut off = j;
            if st.interval && prev.names.get(j) != Some(name) {
                if j > 0 {
                    off = j - 1;
                }
                if prev.names.get(off) != Some(name) && j + 1 < n {
                    off = j + 1;
                }
            }
            if prev.names.get(off) == Some(name) || !st.interval {
                let p = prev.counts.get((cpu - 1) * n + off).copied().unwrap_or(0);
                let c = cur.counts.get((cpu - 1) * n + j).copied().unwrap_or(0);
                let v = c.wrapping_sub(p) as f64 / itv as f64 * st.hz as f64;
                let _ = write!(o, "{v:10.2}");
            } else {
                o.extend_from_slice(b"        N/A");
            }
        }
        o.push(b'\n');
    }
}

/// One report of `cur` against `prev`; `ps`/`cs` are their time columns.
fn report(o: &mut Vec<u8>, st: &St, prev: &Sample, cur: &mut Sample, ps: &[u8], cs: &[u8]) {
    let global = jiffies(prev.up, cur.up);
    let itv = if st.ncpu > 1 { jiffies(prev.up1, cur.up1) } else { global };
    if st.opts & CPU != 0 {
        o.push(b'\n');
        o.extend_from_slice(ps);
        o.extend_from_slice(
            b"  CPU    %usr   %nice    %sys %iowait    %irq   %soft  %steal  %guest   %idle\n",
        );
        for i in 0..=st.ncpu {
            if !st.sel[i] {
                continue;
            }
            label(o, cs, i);
            let p = prev.cpu[i];
            let mut t = global;
            if i > 0 {
                if busy(&cur.cpu[i]) == 0 {
                    // Offline: keep the old figures so the next report does not jump.
                    cur.cpu[i] = p;
                    zeros(o, 0.0);
                    continue;
                }
                t = busy(&cur.cpu[i]).wrapping_sub(busy(&p));
                if t == 0 {
                    // A tickless CPU that did nothing.
                    zeros(o, 100.0);
                    continue;
                }
            }
            let c = cur.cpu[i];
            let _ = writeln!(
                o,
                " {:7.2} {:7.2} {:7.2} {:7.2} {:7.2} {:7.2} {:7.2} {:7.2} {:7.2}",
                pct(p.user.wrapping_sub(p.guest), c.user.wrapping_sub(c.guest), t),
                pct(p.nice, c.nice, t),
                pct(p.system, c.system, t),
                pct(p.iowait, c.iowait, t),
                pct(p.irq, c.irq, t),
                pct(p.softirq, c.softirq, t),
                pct(p.steal, c.steal, t),
                pct(p.guest, c.guest, t),
                pct(p.idle, c.idle, t)
            );
        }
    }
    if st.opts & IRQ_SUM != 0 {
        o.push(b'\n');
        o.extend_from_slice(ps);
        o.extend_from_slice(b"  CPU    intr/s\n");
        for i in 0..=st.ncpu {
            if !st.sel[i] {
                continue;
            }
            label(o, cs, i);
            let mut t = itv;
            if i > 0 {
                t = busy(&cur.cpu[i]).wrapping_sub(busy(&prev.cpu[i]));
                if t == 0 {
                    o.extend_from_slice(b"      0.00\n");
                    continue;
                }
            }
            let v = delta(prev.irq[i], cur.irq[i]) as f64 / t as f64 * st.hz as f64;
            let _ = writeln!(o, " {v:9.2}");
        }
    }
    if st.opts & IRQ_CPU != 0 {
        irq_table(o, st, &prev.hard, &cur.hard, itv, ps, cs);
    }
    if st.opts & SOFTIRQS != 0 {
        irq_table(o, st, &prev.soft, &cur.soft, itv, ps, cs);
    }
}

/// BusyBox's xatoi_positive: 0..=INT_MAX.
fn positive(cx: &Cx, s: &OsStr) -> Res<u64> {
    match crate::args::parse_u64(s.as_bytes()) {
        Some(n) if n <= i32::MAX as u64 => Ok(n),
        _ => Err(cx.fail(&[b"invalid number '", s.as_bytes(), b"'"])),
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let text = procfs::read_file(c"/proc/stat").map_err(|e| cx.fail_no(b"can't open '/proc/stat'", e))?;
    // BusyBox's CPU count: the highest cpuN, plus one.
    let ncpu = procfs::cpu_lines(&text)
        .iter()
        .filter_map(|c| c.0)
        .max()
        .map_or(0, |n| n as usize + 1);
    let o = cx.getopt(args, "AI:P:u", &[])?;
    let mut interval = None;
    let mut count: Option<u64> = None;
    if let Some(a) = o.args.first() {
        let i = positive(cx, a)?;
        if let Some(c) = o.args.get(1) {
            if i == 0 {
                return Err(cx.usage());
            }
            // COUNT 0 is forever, as no COUNT.
            count = Some(positive(cx, c)?).filter(|&n| n > 0);
        }
        if i > 0 {
            interval = Some(i);
        }
    }
    let mut st = St {
        ncpu,
        hz: procfs::clk_tck().max(1),
        opts: 0,
        sel: vec![false; ncpu + 1],
        p_opt: false,
        interval: interval.is_some(),
        nhard: irq_slots(c"/proc/interrupts"),
        nsoft: irq_slots(c"/proc/softirqs"),
    };
    if o.has(b'A') {
        st.p_opt = true;
        st.opts |= CPU | IRQ_SUM | IRQ_CPU | SOFTIRQS;
        st.sel.fill(true);
    }
    if let Some(v) = o.val(b'I') {
        st.opts |= match v.as_bytes() {
            b"CPU" => IRQ_CPU,
            b"SUM" => IRQ_SUM,
            b"SCPU" => SOFTIRQS,
            b"ALL" => IRQ_SUM | IRQ_CPU | SOFTIRQS,
            _ => return Err(cx.usage()),
        };
    }
    if o.has(b'u') || st.opts == 0 {
        st.opts |= CPU;
    }
    if let Some(v) = o.val(b'P') {
        st.p_opt = true;
        for t in v.as_bytes().split(|&c| c == b',').filter(|t| !t.is_empty()) {
            if t == b"ALL" {
                st.sel.fill(true);
                continue;
            }
            let n = positive(cx, OsStr::from_bytes(t))? as usize;
            if n >= ncpu {
                return Err(cx.fail(&[b"not that many processors"]));
            }
            st.sel[n + 1] = true;
        }
    }
    if !st.p_opt {
        st.sel[0] = true;
    }

    let first = sample(cx, &st)?;
    let u = sys::utsname();
    let mut h = Vec::new();
    h.extend_from_slice(sys::cfield(&u.sysname));
    h.push(b' ');
    h.extend_from_slice(&sys::cfield(&u.release));
    h.extend_from_slice(b" (");
    h.extend_from_slice(&sys::cfield(&u.nodename));
    h.extend_from_slice(b")\t");
    if let Some(tm) = &first.tm {
        tm.strftime(b"%x", &mut h);
    }
    h.extend_from_slice(b"\t_");
    h.extend_from_slice(&sys::cfield(&u.machine));
    let _ = writeln!(h, "_\t({ncpu} CPU)");
    cx.out.write(&h);

    let mut out = Vec::new();
    let Some(secs) = interval else {
        // Since boot: against zeros.
        let prev = Sample {
            tm: first.tm.clone(),
            cpu: vec![CpuTimes::default(); ncpu + 1],
            irq: vec![0; ncpu + 1],
            hard: Irqs { names: Vec::new(), counts: Vec::new() },
            ..Sample::default()
        };
        let mut cur = first;
        let mut ts = Vec::new();
        stamp(&cur.tm, &mut ts);
        report(&mut out, &st, &prev, &mut cur, &ts, &ts);
        cx.out.write(&out);
        return Ok(if cx.out.err != 0 { 1 } else { 0 });
    };
    let start = std::time::Instant::now();
    let mut prev = first.clone();
    let mut left = count;
    let mut k: u64 = 0;
    loop {
        k = k.saturating_add(1);
        // Reports keep to the INTERVAL grid from the start, as BusyBox's alarm does.
        let due = std::time::Duration::from_secs(secs.saturating_mul(k));
        if let Some(wait) = due.checked_sub(start.elapsed()) {
            std::thread::sleep(wait);
        }
        let mut cur = sample(cx, &st)?;
        let (mut ps, mut cs) = (Vec::new(), Vec::new());
        stamp(&prev.tm, &mut ps);
        stamp(&cur.tm, &mut cs);
        out.clear();
        report(&mut out, &st, &prev, &mut cur, &ps, &cs);
        cx.out.write(&out);
        cx.out.flush();
        if cx.out.err != 0 {
            return Ok(1);
        }
        prev = cur;
        if let Some(c) = left.as_mut() {
            *c = c.saturating_sub(1);
            if *c == 0 {
                break;
            }
        }
    }
    let mut avg = Vec::new();
    avg.extend_from_slice(b"Average:   ");
    out.clear();
    let mut last = prev;
    report(&mut out, &st, &first, &mut last, &avg, &avg);
    cx.out.write(&out);
    Ok(if cx.out.err != 0 { 1 } else { 0 })
}
