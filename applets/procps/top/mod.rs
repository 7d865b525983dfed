//! applet: top
//! usage: top [-bH] [-n COUNT] [-d SECONDS] [-p PID,...]
//! Show a view of process activity in real time.
//! Read the status of all processes from /proc each SECONDS
//! and show a screenful of them.
//! Keys:
//! 	N/M/P/T: sort by pid/mem/cpu/time
//! 	R: reverse sort
//! 	H: toggle threads, 1: toggle SMP
//! 	Q,^C: exit
//! Options:
//! -b  Batch mode
//! -n N	Exit after N iterations
//! -d SEC	Delay between updates
//! -H  Show threads
//! -p PID	Show only these PIDs (a comma list; procps-ng's option)

// BusyBox's top, its layout and arithmetic: the first screen compares two readings 0.1 s
// apart, %CPU is each process's share of the busy ticks between readings, %VSZ its
// virtual size over MemTotal; rows sorted by %CPU, then VSZ, then CPU time. In batch
// mode every process is shown and lines run to 446 columns, as BusyBox's buffer allows.

mod term;

use crate::procfs::{self, CpuTimes, MemInfo, Procs, Stat};
use crate::users::Users;
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

const BATCH_WIDTH: usize = 446;

#[derive(Clone, Copy)]
struct Row {
    pid: u32,
    tgid: u32,
    ppid: u32,
    uid: u32,
    state: [u8; 3],
    vsz: u64,
    ticks: u64,
    pcpu: u32,
    comm: [u8; 16],
    comm_len: u8,
}

#[derive(Clone, Copy, PartialEq)]
enum Sort {
    Pid,
    Mem,
    Cpu,
    Time,
}

struct Top {
    rows: Vec<Row>,
    prev: Vec<(u32, u64)>,
    jif: CpuTimes,
    prev_jif: CpuTimes,
    cpus: Vec<CpuTimes>,
    prev_cpus: Vec<CpuTimes>,
    total_pcpu: u32,
    threads: bool,
    smp: bool,
    sort: Sort,
    reverse: bool,
    only: Vec<u32>,
    users: Users,
    line: Vec<u8>,
}

fn busy(j: &CpuTimes) -> u64 {
    j.total().saturating_sub(j.idle).saturating_sub(j.iowait)
}

impl Top {
    /// One reading of /proc: the process list and the CPU counters, with each process's
    /// ticks since the previous reading.
    fn scan(&mut self, cx: &Cx) -> Res<()> {
        let mut flags = procfs::STAT | procfs::UID;
        if self.threads {
            flags |= procfs::TASKS;
        }
        let mut ps = Procs::open(flags).map_err(|e| e.fail(cx))?;
        self.rows.clear();
        while let Some(p) = ps.next() {
            if !self.only.is_empty() && !self.only.contains(&p.tgid) {
                continue;
            }
            let mut comm = [0u8; 16];
            let c = p.comm();
            comm[..c.len()].copy_from_slice(c);
            self.rows.push(Row {
                pid: p.pid,
                tgid: p.tgid,
                ppid: p.ppid,
                uid: p.uid,
                state: p.stat3(),
                vsz: p.vsz,
                ticks: p.utime + p.stime,
                pcpu: 0,
                comm,
                comm_len: c.len() as u8,
            });
        }
        let st = Stat::read().map_err(|e| cx.fail_no(b"can't read /proc/stat", e))?;
        self.prev_jif = self.jif;
        self.jif = st.cpu;
        self.prev_cpus = std::mem::replace(&mut self.cpus, st.cpus);
        // Ticks since the previous reading, by pid.
        self.total_pcpu = 0;
        for r in self.rows.iter_mut() {
            if let Ok(i) = self.prev.binary_search_by_key(&r.pid, |e| e.0) {
                r.pcpu = r.ticks.saturating_sub(self.prev[i].1) as u32;
                self.total_pcpu = self.total_pcpu.wrapping_add(r.pcpu);
            }
        }
        self.prev.clear();
        self.prev.extend(self.rows.iter().map(|r| (r.pid, r.ticks)));
        self.prev.sort_unstable_by_key(|e| e.0);
        Ok(())
    }

    fn sort(&mut self) {
        let key = |r: &Row, s: Sort| -> u64 {
            match s {
                Sort::Pid => r.pid as u64,
                Sort::Mem => r.vsz,
                Sort::Cpu => r.pcpu as u64,
                Sort::Time => r.ticks,
            }
        };
        // The chosen field first, then BusyBox's default order for ties; biggest first,
        // except pids, smallest first (as BusyBox's N key).
        let order = [self.sort, Sort::Cpu, Sort::Mem, Sort::Time];
        let rev = self.reverse;
        self.rows.sort_by(|a, b| {
            for s in order {
                let o = if s == Sort::Pid { key(a, s).cmp(&key(b, s)) } else { key(b, s).cmp(&key(a, s)) };
                if o != std::cmp::Ordering::Equal {
                    return if rev { o.reverse() } else { o };
                }
            }
            std::cmp::Ordering::Equal
        });
    }

    /// One screen: the header lines, then up to `lines` rows, each line cut to `width`.
    fn display(&mut self, cx: &mut Cx, ps: &mut Procs, width: usize, mut lines: usize, batch: bool) -> Res<()> {
        let mi = MemInfo::read().map_err(|e| cx.fail_no(b"can't read /proc/meminfo", e))?;
        let g = |n: &[u8]| mi.get(n).unwrap_or(0);
        let total = g(b"MemTotal");
        let head_w = width.min(79);
        let out = &mut self.line;
        out.clear();
        if !batch {
            out.extend_from_slice(b"\x1b[H\x1b[J");
        }
        let mut l = Vec::with_capacity(100);
        let mut b = [0u8; 20];
        let mut put = |l: &mut Vec<u8>, n: u64| l.extend_from_slice(crate::cx::fmt_u64(n, &mut b));
        l.extend_from_slice(b"Mem: ");
        put(&mut l, total.saturating_sub(g(b"MemFree")));
        l.extend_from_slice(b"K used, ");
        put(&mut l, g(b"MemFree"));
        l.extend_from_slice(b"K free, ");
        put(&mut l, g(b"MemShared") + g(b"Shmem"));
        l.extend_from_slice(b"K shrd, ");
        put(&mut l, g(b"Buffers"));
        l.extend_from_slice(b"K buff, ");
        put(&mut l, g(b"Cached"));
        l.extend_from_slice(b"K cached");
        l.truncate(head_w);
        out.extend_from_slice(&l);
        out.push(b'\n');
        lines = lines.saturating_sub(1);
        let n_cpu = if self.smp && !self.cpus.is_empty() { self.cpus.len().min(lines) } else { 1 };
        for i in 0..n_cpu {
            let (j, p) = if self.smp && !self.cpus.is_empty() {
                (self.cpus[i], self.prev_cpus.get(i).copied().unwrap_or_default())
            } else {
                (self.jif, self.prev_jif)
            };
            let td = (j.total().wrapping_sub(p.total()) as u32).max(1);
            l.clear();
            l.extend_from_slice(b"CPU");
            if self.smp && !self.cpus.is_empty() {
                put(&mut l, i as u64);
            }
            l.push(b':');
            for (name, (cur, old)) in [
                (b"usr" as &[u8], (j.user, p.user)),
                (b"sys", (j.system, p.system)),
                (b"nic", (j.nice, p.nice)),
                (b"idle", (j.idle, p.idle)),
                (b"io", (j.iowait, p.iowait)),
                (b"irq", (j.irq, p.irq)),
                (b"sirq", (j.softirq, p.softirq)),
            ] {
                let v = 100u32.wrapping_mul(cur.wrapping_sub(old) as u32) / td;
                pad_num(&mut l, v as u64, 4);
                l.extend_from_slice(b"% ");
                l.extend_from_slice(name);
            }
            l.truncate(head_w);
            out.extend_from_slice(&l);
            out.push(b'\n');
        }
        lines = lines.saturating_sub(n_cpu);
        l.clear();
        l.extend_from_slice(b"Load average: ");
        if let Ok(t) = procfs::read_file(c"/proc/loadavg") {
            let end = t.iter().position(|&c| c == b'\n').unwrap_or(t.len());
            l.extend_from_slice(&t[..end]);
        }
        l.truncate(head_w);
        out.extend_from_slice(&l);
        out.push(b'\n');
        lines = lines.saturating_sub(1);
        let hdr: &[u8] = b"  PID  PPID USER     STAT   VSZ %VSZ %CPU COMMAND";
        if !batch {
            out.extend_from_slice(b"\x1b[7m");
        }
        out.extend_from_slice(&hdr[..hdr.len().min(width)]);
        if !batch {
            out.extend_from_slice(b"\x1b[m");
        }
        lines = lines.saturating_sub(1);

        // %VSZ and %CPU with BusyBox's scaled integer arithmetic, so figures round alike.
        let (mut pmem_shift, mut pmem_scale) = (21u32, (100u64 << 21) / total.max(1));
        while pmem_scale >= 512 {
            pmem_scale /= 4;
            pmem_shift -= 2;
        }
        let pmem_half = (1u64 << pmem_shift) / 2;
        let busy_jifs = busy(&self.jif).wrapping_sub(busy(&self.prev_jif)) as u32;
        let total_pcpu = self.total_pcpu.max(busy_jifs);
        let mut pcpu_shift = 6u32;
        let mut pcpu_scale = (100u32 * 64).wrapping_mul(busy_jifs as u16 as u32);
        if pcpu_scale == 0 {
            pcpu_scale = 1;
        }
        while pcpu_scale < 1 << 30 {
            pcpu_scale *= 4;
            pcpu_shift += 2;
        }
        let tmp = ((self.jif.total().wrapping_sub(self.prev_jif.total())) as u16 as u32).wrapping_mul(total_pcpu);
        if tmp != 0 {
            pcpu_scale /= tmp;
        }
        while pcpu_scale >= 1024 {
            pcpu_scale /= 4;
            pcpu_shift -= 2;
        }
        let pcpu_half = (1u32 << pcpu_shift) / 2;

        let mut row = Vec::with_capacity(width + 8);
        for r in self.rows.iter().take(lines) {
            row.clear();
            ppu(&mut row, r, &self.users);
            row.push(b' ');
            row.extend_from_slice(&r.state);
            row.extend_from_slice(b"  ");
            row.extend_from_slice(&smart5(r.vsz));
            let pmem = (r.vsz.wrapping_mul(pmem_scale) + pmem_half) >> pmem_shift;
            pad_num(&mut row, pmem, 4);
            row.push(b'%');
            let pcpu = (r.pcpu.wrapping_mul(pcpu_scale).wrapping_add(pcpu_half)) >> pcpu_shift;
            pad_num(&mut row, pcpu as u64, 4);
            row.extend_from_slice(b"% ");
            let room = width.saturating_sub(row.len());
            if room > 0 {
                let tid = (r.pid != r.tgid).then_some(r.pid);
                ps.args_of(r.tgid, tid, &r.comm[..r.comm_len as usize], room, &mut row);
            }
            row.truncate(width);
            out.push(b'\n');
            out.extend_from_slice(&row);
        }
        out.push(if batch { b'\n' } else { b'\r' });
        cx.out.write(out);
        cx.out.flush();
        Ok(())
    }
}

/// "%5u %5u %-8.8s", shrunk to 20 columns when a pid is longer than five digits.
fn ppu(row: &mut Vec<u8>, r: &Row, users: &Users) {
    let mut b = [0u8; 20];
    let mut s = Vec::with_capacity(32);
    pad_num(&mut s, r.pid as u64, 5);
    s.push(b' ');
    pad_num(&mut s, r.ppid as u64, 5);
    s.push(b' ');
    let name = users.user_name(r.uid).map(|n| n.to_vec()).unwrap_or_else(|| crate::cx::fmt_u64(r.uid as u64, &mut b).to_vec());
    let name = &name[..name.len().min(8)];
    s.extend_from_slice(name);
    s.resize(s.len() + 8 - name.len(), b' ');
    let mut excess = s.len().saturating_sub(20);
    // Drop the pid's padding, then the ppid's, then cut the user name.
    while excess > 0 && s.first() == Some(&b' ') {
        s.remove(0);
        excess -= 1;
    }
    if excess > 0 {
        if let Some(sp) = s.iter().position(|&c| c == b' ') {
            while excess > 0 && s.get(sp + 1) == Some(&b' ') {
                s.remove(sp + 1);
                excess -= 1;
            }
        }
    }
    s.truncate(20);
    row.extend_from_slice(&s);
}

fn pad_num(v: &mut Vec<u8>, n: u64, w: usize) {
    let mut b = [0u8; 20];
    let d = crate::cx::fmt_u64(n, &mut b);
    v.resize(v.len() + w.saturating_sub(d.len()), b' ');
    v.extend_from_slice(d);
}

/// BusyBox's smart_ulltoa5: five characters, "12345", " 445m", "92.1g" (KiB units).
pub fn smart5(ul: u64) -> [u8; 5] {
    const SCALE: &[u8] = b" mgtpezy";
    const DIG: &[u8; 10] = b"0123456789";
    const SP: &[u8; 10] = b" 123456789";
    let mut ul = ul;
    let mut idx = 0usize;
    if ul > 99999 {
        ul = ul.saturating_mul(10);
        loop {
            ul /= 1024;
            idx += 1;
            if ul < 100000 {
                break;
            }
        }
    }
    let v = ul as usize;
    let (mut u, mut r) = (v / 10, v % 10);
    let mut buf = [b' '; 5];
    let mut fmt = SP;
    let put = |i: usize, c: u8, buf: &mut [u8; 5], fmt: &mut &[u8; 10]| {
        buf[i] = c;
        if c != b' ' {
            *fmt = DIG;
        }
    };
    if idx == 0 {
        put(0, SP[u / 1000 % 10], &mut buf, &mut fmt);
        put(1, fmt[u / 100 % 10], &mut buf, &mut fmt);
        put(2, fmt[u / 10 % 10], &mut buf, &mut fmt);
        buf[3] = fmt[u % 10];
        buf[4] = DIG[r];
    } else {
        if u >= 100 {
            put(0, SP[u / 1000 % 10], &mut buf, &mut fmt);
            put(1, fmt[u / 100 % 10], &mut buf, &mut fmt);
            r = u % 10;
            u /= 10;
            buf[2] = fmt[u % 10];
        } else {
            put(0, SP[u / 10 % 10], &mut buf, &mut fmt);
            buf[1] = fmt[u % 10];
            buf[2] = b'.';
        }
        buf[3] = DIG[r];
        buf[4] = *SCALE.get(idx).unwrap_or(&b'?');
    }
    buf
}

/// SECS[.FRAC] as microseconds (BusyBox's duration: fractions allowed).
fn delay(s: &[u8]) -> Option<u64> {
    let (int, frac) = match s.iter().position(|&c| c == b'.') {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, &b""[..]),
    };
    if (int.is_empty() && frac.is_empty()) || !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let i = if int.is_empty() { 0 } else { crate::args::parse_u64(int)? };
    let mut us = 0u64;
    let mut scale = 100_000u64;
    for &d in frac.iter().take(6) {
        us += (d - b'0') as u64 * scale;
        scale /= 10;
    }
    i.checked_mul(1_000_000)?.checked_add(us)
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "d:n:bHmp:", &[])?;
    let batch = o.has(b'b');
    let mut interval = 5_000_000u64;
    if let Some(d) = o.val(b'd') {
        interval = delay(d.as_bytes()).ok_or_else(|| cx.fail(&[b"invalid number '", d.as_bytes(), b"'"]))?;
    }
    let mut iterations = match o.val(b'n') {
        Some(n) => cx.num_u64(n)?,
        None => 0,
    };
    let mut only = Vec::new();
    for v in o.vals(b'p') {
        for p in v.as_bytes().split(|&c| c == b',') {
            let n = cx.num_u64(OsStr::from_bytes(p))?;
            only.push(u32::try_from(n).map_err(|_| cx.fail(&[b"invalid number '", p, b"'"]))?);
        }
    }
    let mut t = Top {
        rows: Vec::new(),
        prev: Vec::new(),
        jif: CpuTimes::default(),
        prev_jif: CpuTimes::default(),
        cpus: Vec::new(),
        prev_cpus: Vec::new(),
        total_pcpu: 0,
        threads: o.has(b'H'),
        smp: false,
        sort: Sort::Cpu,
        reverse: false,
        only,
        users: Users::new(),
        line: Vec::new(),
    };
    let mut ps = Procs::open(procfs::STAT).map_err(|e| e.fail(cx))?;
    let mut term = if batch { None } else { term::Term::open() };
    let mut first = true;
    loop {
        t.scan(cx)?;
        if first {
            // The first screen compares with a reading 0.1 s earlier.
            first = false;
            sleep_us(100_000);
            t.scan(cx)?;
        }
        if t.rows.is_empty() && t.only.is_empty() {
            return Err(cx.fail(&[b"no process info in /proc"]));
        }
        t.sort();
        let (width, lines) = match &term {
            Some(tm) => tm.size(),
            None if batch => (BATCH_WIDTH, usize::MAX),
            None => {
                let (w, h) = term::Term::size_of(1);
                (w.saturating_sub(1), h)
            }
        };
        let r = t.display(cx, &mut ps, width, lines, batch);
        if r.is_err() || cx.out.err != 0 {
            return r.map(|_| 0);
        }
        if iterations > 0 {
            iterations -= 1;
            if iterations == 0 {
                break;
            }
        }
        match &mut term {
            Some(tm) => {
                use term::Key;
                match tm.wait_key(interval) {
                    Key::Quit => break,
                    Key::Sort(s) => {
                        t.sort = match s {
                            b'N' => Sort::Pid,
                            b'M' => Sort::Mem,
                            b'T' => Sort::Time,
                            _ => Sort::Cpu,
                        };
                    }
                    Key::Reverse => t.reverse = !t.reverse,
                    Key::Threads => t.threads = !t.threads,
                    Key::Smp => t.smp = !t.smp,
                    Key::None => {}
                }
            }
            None => sleep_us(interval),
        }
    }
    drop(term);
    Ok(0)
}

fn sleep_us(us: u64) {
    std::thread::sleep(std::time::Duration::from_micros(us));
}

#[cfg(test)]
mod tests {
    #[test]
    fn smart5() {
        let s = |n| String::from_utf8(super::smart5(n).to_vec()).unwrap();
        assert_eq!(s(0), "    0");
        assert_eq!(s(44520), "44520");
        assert_eq!(s(99999), "99999");
        assert_eq!(s(455680), " 445m");
        assert_eq!(s(100000), "97.6m");
        assert_eq!(s(24683584), "23.5g");
    }

    #[test]
    fn delays() {
        assert_eq!(super::delay(b"0.1"), Some(100_000));
        assert_eq!(super::delay(b"2"), Some(2_000_000));
        assert_eq!(super::delay(b"x"), None);
        assert_eq!(super::delay(b"1s"), None);
    }
}
