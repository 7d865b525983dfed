//! mpstat (Debian's BusyBox has none: sysstat 9's layout as BusyBox 1.35 prints it, checked
//! against a musl BusyBox build). Exact figures come from fake /proc files bind-mounted in a
//! private mount namespace; the live /proc is checked for layout and counts only.

use crate::common::*;
use std::path::PathBuf;

/// The CPU count as BusyBox takes it: the highest cpuN in /proc/stat, plus one.
fn ncpu() -> usize {
    let s = std::fs::read_to_string("/proc/stat").unwrap();
    s.lines()
        .filter_map(|l| {
            l.strip_prefix("cpu")?
                .split(' ')
                .next()?
                .parse::<usize>()
                .ok()
        })
        .max()
        .map_or(0, |n| n + 1)
}

/// A BusyBox built with mpstat (RBOX_PEER_BUSYBOX, else `make peers`' musl build), when the
/// binary under test runs natively.
fn peer() -> Option<PathBuf> {
    if under_runner() {
        return None;
    }
    let p = std::env::var_os("RBOX_PEER_BUSYBOX")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/peers/x86_64/musl/busybox")
        });
    (cfg!(target_arch = "x86_64") && p.exists()).then_some(p)
}

/// Times (HH:MM:SS) and figures replaced, blanks squeezed: two runs on a live system
/// compare (figures of another magnitude take other widths; the fake-/proc test checks
/// the exact layout).
fn shape(s: &str) -> String {
    let mut o = String::new();
    for l in s.lines().skip(1) {
        let words: Vec<&str> = l
            .split_whitespace()
            .map(|w| {
                let b = w.as_bytes();
                if b.len() == 8 && b[2] == b':' && b[5] == b':' {
                    "T"
                } else if w.contains('.') && w.parse::<f64>().is_ok() {
                    "N"
                } else {
                    w
                }
            })
            .collect();
        o.push_str(&words.join(" "));
        o.push('\n');
    }
    o
}

#[test]
fn header_and_cpu_lines() {
    let o = run("mpstat", &[]);
    assert_eq!((o.code, o.err().as_str()), (0, ""));
    let out = o.out();
    let l: Vec<&str> = out.lines().collect();
    let u = run("uname", &["-s", "-r", "-n", "-m"]).out();
    let u: Vec<&str> = u.split_whitespace().collect();
    // sysname release (nodename) TAB mm/dd/yy TAB _machine_ TAB (N CPU)
    let h: Vec<&str> = l[0].split('\t').collect();
    assert_eq!(h.len(), 4, "{}", l[0]);
    assert_eq!(h[0], format!("{} {} ({})", u[0], u[2], u[1]));
    assert_eq!(h[1].len(), 8, "{}", h[1]);
    assert_eq!(h[2], format!("_{}_", u[3]));
    assert_eq!(h[3], format!("({} CPU)", ncpu()));
    assert_eq!(l[1], "");
    assert_eq!(
        &l[2][8..],
        "     CPU    %usr   %nice    %sys %iowait    %irq   %soft  %steal  %guest   %idle"
    );
    assert_eq!(l.len(), 4, "{out}");
    assert_eq!(&l[3][8..17], "     all ");
    let nums: Vec<f64> = l[3][17..]
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    assert_eq!(nums.len(), 9);
    // guest is inside user: the rest sums to 100.
    let sum: f64 = nums.iter().sum::<f64>() - nums[7];
    assert!((sum - 100.0).abs() < 1.0, "{}", l[3]);
    assert_eq!(run("mpstat", &["-u"]).out().lines().count(), 4);
}

#[test]
fn processors() {
    let n = ncpu();
    let all = run("mpstat", &["-P", "ALL"]).out();
    let rows: Vec<&str> = all.lines().skip(3).collect();
    assert_eq!(rows.len(), n + 1, "{all}");
    assert_eq!(&rows[0][8..17], "     all ");
    for (i, r) in rows[1..].iter().enumerate() {
        assert_eq!(r[8..16].trim_start(), i.to_string(), "{r}");
        assert_eq!(r.split_whitespace().count(), 11, "{r}");
    }
    // Only the CPUs asked for, without the total.
    let one = run("mpstat", &["-P", "0"]).out();
    let rows: Vec<&str> = one.lines().skip(3).collect();
    assert_eq!(rows.len(), 1, "{one}");
    assert_eq!(&rows[0][8..16], "       0");
    assert_eq!(run("mpstat", &["-P", "0,,0"]).out().lines().count(), 4);
    let big = n.to_string();
    run("mpstat", &["-P", &big]).fails(1, "mpstat: not that many processors\n");
    run("mpstat", &["-P", "0,x"]).fails(1, "mpstat: invalid number 'x'\n");
    run("mpstat", &["-P", "-1"]).fails(1, "mpstat: invalid number '-1'\n");
}

#[test]
fn interrupts() {
    let n = ncpu();
    let s = run("mpstat", &["-I", "SUM"]).out();
    let l: Vec<&str> = s.lines().collect();
    // -I alone drops the CPU lines.
    assert_eq!(&l[2][8..], "     CPU    intr/s", "{s}");
    assert_eq!(l.len(), 4, "{s}");
    assert_eq!(&l[3][8..17], "     all ");
    let c = run("mpstat", &["-I", "CPU"]).out();
    let l: Vec<&str> = c.lines().collect();
    // Without -P every CPU has a row.
    assert_eq!(l.len(), 3 + n, "{c}");
    let cols = l[2].split_whitespace().count();
    assert!(l[2].ends_with("/s") && cols > 3, "{}", l[2]);
    for r in &l[3..] {
        assert_eq!(r.split_whitespace().count(), cols, "{r}");
    }
    let sc = run("mpstat", &["-I", "SCPU", "-P", "0"]).out();
    let l: Vec<&str> = sc.lines().collect();
    assert_eq!(l.len(), 4, "{sc}");
    if std::path::Path::new("/proc/softirqs").exists() {
        assert!(l[2].contains(" TIMER/s"), "{}", l[2]);
    }
    // ALL: the sum, then both tables; -A adds the CPU lines and every CPU.
    let a = run("mpstat", &["-I", "ALL"]).out();
    assert_eq!(a.matches("CPU    intr/s").count(), 1);
    assert_eq!(a.split("\n\n").count(), 4, "{a}");
    let a = run("mpstat", &["-A"]).out();
    assert_eq!(a.split("\n\n").count(), 5, "{a}");
    assert!(a.contains("%usr") && a.contains("intr/s"));
    for bad in ["sum", "", "FOO"] {
        run("mpstat", &["-I", bad]).fails_with(1, "rbox v");
    }
}

#[test]
fn arguments() {
    run("mpstat", &["x"]).fails(1, "mpstat: invalid number 'x'\n");
    run("mpstat", &["1", "x"]).fails(1, "mpstat: invalid number 'x'\n");
    run("mpstat", &["99999999999"]).fails(1, "mpstat: invalid number '99999999999'\n");
    // INTERVAL 0 is "since boot", and takes no COUNT.
    assert_eq!(run("mpstat", &["0"]).out().lines().count(), 4);
    run("mpstat", &["0", "3"]).fails_with(1, "rbox v");
    run("mpstat", &["-Z"]).fails_with(1, "mpstat: invalid option -- 'Z'\n");
    // A closed pipe ends quietly.
    let o = cmd("mpstat").args(["-A"]).stdout_file("/dev/full").run();
    assert_eq!(o.code, 1);
}

#[test]
fn interval_and_count() {
    let o = run("mpstat", &["-P", "ALL", "-I", "SUM", "1", "1"]);
    assert_eq!((o.code, o.err().as_str()), (0, ""));
    let out = o.out();
    let blocks: Vec<&str> = out.split("\n\n").collect();
    // The header, one report, the averages (-I alone: no CPU lines).
    assert_eq!(blocks.len(), 3, "{out}");
    for b in &blocks[2..] {
        for l in b.lines() {
            assert!(l.starts_with("Average:   "), "{l}");
        }
    }
    assert!(
        blocks[1]
            .lines()
            .all(|l| l.as_bytes().get(2) == Some(&b':')),
        "{out}"
    );
    if let Some(p) = peer() {
        let b = std::process::Command::new(p)
            .args(["mpstat", "-P", "ALL", "-I", "SUM", "1", "1"])
            .output()
            .unwrap();
        assert_eq!(shape(&out), shape(&String::from_utf8_lossy(&b.stdout)));
    }
}

#[test]
fn same_layout_as_busybox() {
    let Some(p) = peer() else {
        eprintln!("no BusyBox with mpstat (make peers): comparison skipped");
        return;
    };
    for a in [
        &[][..],
        &["-A"],
        &["-P", "ALL"],
        &["-I", "ALL", "-P", "0"],
        &["-I", "SCPU"],
    ] {
        let r = run("mpstat", a).out();
        let b = std::process::Command::new(&p)
            .arg("mpstat")
            .args(a)
            .output()
            .unwrap();
        assert_eq!(
            shape(&r),
            shape(&String::from_utf8_lossy(&b.stdout)),
            "{a:?}"
        );
    }
}

const STAT: &str = "cpu  400 100 200 1000 50 10 20 30 40 0\ncpu0 200 50 100 500 25 5 10 15 20 0\n\
cpu2 200 50 100 500 25 5 10 15 20 0\nintr 12345 1 2 3\nctxt 1\n";
const INTERRUPTS: &str = "           CPU0       CPU2\n  0:         10          20   IO-APIC   2-edge      timer\n  \
1:          5           0   IO-APIC   1-edge      i8042\nNMI:          3           4   Non-maskable interrupts\n\
ERR:          0\n";
const SOFTIRQS: &str = "                    CPU0       CPU2\n          HI:          1          2\n       \
TIMER:        100        200\nNET_RX_LONGNAME_X:     7          9\n      SCHED:        3         4\n";

/// The figures BusyBox prints for the files above: cpu1 offline (zeros), rates over cpu0's
/// 905 jiffies at 100 Hz, numbered IRQs only in a CPU's intr/s, a name cut at 15 bytes and
/// the columns after it narrowed to pay back the width.
const BOOT: &str = "
T     CPU    %usr   %nice    %sys %iowait    %irq   %soft  %steal  %guest   %idle
T     all   19.89    5.52   11.05    2.76    0.55    1.10    1.66    2.21   55.25
T       0   19.89    5.52   11.05    2.76    0.55    1.10    1.66    2.21   55.25
T       1    0.00    0.00    0.00    0.00    0.00    0.00    0.00    0.00    0.00
T       2   19.89    5.52   11.05    2.76    0.55    1.10    1.66    2.21   55.25

T     CPU    intr/s
T     all   1364.09
T       0      1.66
T       1      0.00
T       2      2.21

T     CPU       0/s       1/s     NMI/s     ERR/s
T       0      1.10      0.55      0.33      0.00
T       1      0.00      0.00      0.00      0.00
T       2      2.21      0.00      0.44      0.00

T     CPU      HI/s   TIMER/s NET_RX_LONGNAME/s SCHED/s
T       0      0.11     11.05      0.77      0.33
T       1      0.00      0.00      0.00      0.00
T       2      0.22     22.10      0.99      0.44
";

/// Runs `mpstat ARGS` with the fake files over /proc's; None without a private mount
/// namespace.
fn fake(args: &str) -> Option<(String, String)> {
    let d = Dir::new();
    d.write("stat", STAT);
    d.write("uptime", "9.05 5.00\n");
    d.write("interrupts", INTERRUPTS);
    d.write("softirqs", SOFTIRQS);
    let script = format!(
        "for f in stat uptime interrupts softirqs; do mount --bind ./$f /proc/$f || exit 99; done; \
         {}'{}' {args}",
        runner_prefix(),
        applet_path("mpstat").display()
    );
    let o = std::process::Command::new("unshare")
        .args(["-m", "sh", "-c", &script])
        .current_dir(&d.path)
        .output()
        .ok()?;
    if o.status.code() == Some(99) || !o.stderr.is_empty() && o.stdout.is_empty() {
        eprintln!(
            "no private mount namespace: skipped ({})",
            String::from_utf8_lossy(&o.stderr)
        );
        return None;
    }
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let mut t = String::new();
    for l in out.lines().skip(1) {
        let time = l.len() >= 8 && l.as_bytes()[2] == b':';
        t.push_str(if time { &l[..0] } else { l });
        if time {
            t.push('T');
            t.push_str(&l[8..]);
        }
        t.push('\n');
    }
    Some((out.lines().next().unwrap_or("").to_string(), t))
}

#[test]
fn figures_from_fake_proc() {
    let Some((head, body)) = fake("-A") else {
        return;
    };
    assert!(head.ends_with("\t(3 CPU)"), "{head}");
    assert_eq!(body, BOOT);
    // -P picks rows in every section, the total only with ALL (-A would select every CPU).
    let (_, p) = fake("-u -I ALL -P 2").unwrap();
    assert!(!p.contains(" all ") && !p.contains("T       0 "), "{p}");
    assert_eq!(p.matches("T       2 ").count(), 4, "{p}");
    // One interval over unchanged files: nothing happened; an idle CPU shows 100% idle,
    // an offline one zeros; then the averages.
    let (_, i) = fake("-P ALL 1 1").unwrap();
    let want = "
T     CPU    %usr   %nice    %sys %iowait    %irq   %soft  %steal  %guest   %idle
T     all    0.00    0.00    0.00    0.00    0.00    0.00    0.00    0.00    0.00
T       0    0.00    0.00    0.00    0.00    0.00    0.00    0.00    0.00  100.00
T       1    0.00    0.00    0.00    0.00    0.00    0.00    0.00    0.00    0.00
T       2    0.00    0.00    0.00    0.00    0.00    0.00    0.00    0.00  100.00
";
    let avg = want.replace("\nT", "\nAverage:");
    assert_eq!(i, format!("{want}{avg}"));
}
