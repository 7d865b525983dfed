//! date: +FORMAT with glibc's conversions and flags (as BusyBox shows them), -d in
//! BusyBox's input forms, -D, -u, -R, -I, -r, setting (refused without CAP_SYS_TIME), and
//! the messages; compared with busybox-static under fixed TZ values.

use crate::common::*;

/// rbox and BusyBox `date ARGS` under `TZ=tz`: same status, stdout and stderr.
#[track_caller]
fn both(tz: &str, args: &[&str]) {
    if !has_busybox() {
        return;
    }
    let a = cmd("date").env("TZ", tz).args(args).run();
    let b = bb("date").env("TZ", tz).args(args).run();
    a.same_as(&b);
}

const T: &str = "@1000000000";

#[test]
fn formats_match_busybox() {
    for f in [
        "%a %b %e %H:%M:%S %Z %Y",
        "%-d|%_H|%05d|%^a|%#a|%#Z|%^B|%10A|%-j|%_5M|%Ey|%Od",
        "%:z|%e|%-e|%0e|%k|%-k|%l|%I|%p|%P|%^p|%#p",
        "%c|%x|%X|%r|%R|%D|%h|%C|%g|%G|%V",
        "%U|%W|%u|%w|%s|%y|%10s|%-s|%_y|%E|%|%Q|%n%t%%|%F|%T|%z",
        "",
        "plain text",
    ] {
        let f = format!("+{f}");
        for tz in ["UTC0", "EST5EDT,M3.2.0,M11.1.0", "IST-5:30"] {
            both(tz, &["-d", T, &f]);
            both(tz, &["-u", "-d", T, &f]);
        }
    }
    // Year boundaries for the ISO week fields.
    for t in ["@1609459200", "@1735516800", "@0", "@-2", "@951782400"] {
        both("UTC0", &["-d", t, "+%G %g %V %U %W %j %u %w"]);
    }
}

#[test]
fn layouts_match_busybox() {
    for args in [
        &["-d", T][..],
        &["-R", "-d", T],
        &["-u", "-R", "-d", T],
        &["--rfc-2822", "-d", T],
        &["-I", "-d", T],
        &["-Idate", "-d", T],
        &["-Ihours", "-d", T],
        &["-Iminutes", "-d", T],
        &["-Iseconds", "-d", T],
        &["-Ins", "-d", T],
        &["-Ihours", "-Iseconds", "-d", T],
        &["--utc", "--date=@5"],
        &["-d", "@-5", "+%F %T"],
    ] {
        both("UTC0", args);
        both("IST-5:30", args);
    }
}

#[test]
fn input_forms_match_busybox() {
    // Forms that give a whole date do not depend on today.
    for d in [
        "2020.12.25-10:00:01",
        "202001020304",
        "0102030420",
        "2020-01-02 03:04",
        "2020-01-02 03:04:05",
        "2020-01-02",
        "2020-02-30",
        "25:00",
        "x",
        "Jan 2 2020",
        "",
        "2020-13-01",
        "@x",
        "1999-12-31 23:59:60",
    ] {
        both("UTC0", &["-d", d, "+%F %T %s"]);
        both("EST5EDT,M3.2.0,M11.1.0", &["-d", d, "+%F %T %s"]);
        both("UTC0", &["-u", "-d", d, "+%F %T %s"]);
    }
    both("UTC0", &["-D", "%d/%m/%Y", "-d", "02/01/2020", "+%F %T"]);
    both("UTC0", &["-D", "%Y", "-d", "x"]);
    // Partial forms take the rest from today: compare the parts they set.
    for (d, f) in [
        ("10:00", "+%T"),
        ("12.25-10:00", "+%m-%d %T"),
        ("01020304.05", "+%m-%d %T"),
        ("0102", "+%T"),
    ] {
        both("UTC0", &["-d", d, f]);
    }
}

#[test]
fn nanoseconds_and_iso_t_beyond_busybox() {
    // %N is GNU date's nanoseconds, which scripts use; BusyBox 1.35 prints "%N" as is.
    let o = run("date", &["+%s.%N"]);
    let out = o.out();
    let (s, n) = out.trim().split_once('.').unwrap();
    assert!(
        s.parse::<u64>().is_ok() && n.len() == 9 && n.parse::<u32>().is_ok(),
        "{out}"
    );
    cmd("date")
        .env("TZ", "UTC0")
        .args(["-d", "@5", "+%3N|%N"])
        .run()
        .ok("000|000000000\n");
    // One second before the epoch is a time like any other; BusyBox takes mktime's -1
    // for an error and says "invalid date '@-1'".
    cmd("date")
        .env("TZ", "UTC0")
        .args(["-d", "@-1", "+%F %T"])
        .run()
        .ok("1969-12-31 23:59:59\n");
    // `YYYY-MM-DDThh:mm[:ss]`, which BusyBox 1.35 rejects and ISO 8601 writers produce.
    cmd("date")
        .env("TZ", "UTC0")
        .args(["-d", "2020-01-02T03:04:05", "+%s"])
        .run()
        .ok("1577934245\n");
}

#[test]
fn reference_file() {
    let d = Dir::new();
    let f = d.write("f", "x");
    let c = std::ffi::CString::new(f.to_str().unwrap()).unwrap();
    let ts = [
        libc_timespec(1_000_000_000, 5),
        libc_timespec(1_000_000_000, 5),
    ];
    // SAFETY: test-only utimensat on our own file.
    unsafe { utimensat(-100, c.as_ptr(), ts.as_ptr(), 0) };
    let p = f.to_str().unwrap();
    cmd("date")
        .env("TZ", "UTC0")
        .args(["-r", p, "+%s %N"])
        .run()
        .ok("1000000000 000000005\n");
    cmd("date")
        .env("TZ", "UTC0")
        .args(["--reference", p, "-u"])
        .run()
        .ok("Sun Sep  9 01:46:40 UTC 2001\n");
    both("UTC0", &["-r", "/nonexistent/x"]);
    run("date", &["-r", "/nonexistent/x"]).fails(
        1,
        "date: can't stat '/nonexistent/x': No such file or directory\n",
    );
}

#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}
fn libc_timespec(sec: i64, nsec: i64) -> Timespec {
    Timespec { sec, nsec }
}
extern "C" {
    fn utimensat(dirfd: i32, path: *const std::ffi::c_char, ts: *const Timespec, flags: i32)
        -> i32;
}

#[test]
fn bad_usage_matches_busybox() {
    for args in [
        &["-Ix", "-d", T][..],
        &["-I", "-R"],
        &["-d"],
        &["-r"],
        &["-s"],
        &["1", "2"],
        &["+%s", "+%d"],
        &["+%Y", "x"],
        &["-d", T, "x"],
        &["-d", T, "+%s", "x"],
        &["-q"],
        &["-d", T, "-s", "0102030420"],
    ] {
        both("UTC0", args);
    }
    run("date", &["-d", "x"]).fails(1, "date: invalid date 'x'\n");
}

/// Setting the clock is tried for real, inside a user namespace where it must fail with
/// EPERM (the machine's clock is never touched): the parse happens first, the date is
/// still printed, the status is 0, as BusyBox does.
#[test]
fn setting_is_refused_without_privilege() {
    if !std::path::Path::new("/usr/bin/unshare").exists() || !has_busybox() {
        return;
    }
    let probe = std::process::Command::new("unshare")
        .args(["-U", "true"])
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        eprintln!("unshare -U not permitted: skipped");
        return;
    }
    let bin = applet_path("date");
    let runner = runner_prefix();
    for a in [
        "010203042020",
        "0102030420",
        "01020304",
        "01020304.05",
        "0102030420.05",
        "1",
        "0102",
        "-s 0102030420",
        "-s 2020-01-01",
    ] {
        let sh = |tool: &str| {
            let o = std::process::Command::new("unshare")
                .args([
                    "-U",
                    "sh",
                    "-c",
                    &format!("TZ=UTC0 {tool} +%F_%T {a}; echo rc=$?"),
                ])
                .output()
                .unwrap();
            (
                String::from_utf8_lossy(&o.stdout).into_owned(),
                String::from_utf8_lossy(&o.stderr).into_owned(),
            )
        };
        let ours = sh(&format!("{runner}{}", bin.display()));
        let theirs = sh("busybox date");
        assert_eq!(ours, theirs, "date {a}");
    }
}
