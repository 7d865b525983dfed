use crate::common::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

fn setup(d: &Dir) {
    d.write("f", "0123456789");
    d.write("empty", "");
    d.mkdir("dir");
    std::os::unix::fs::symlink("f", d.join("sl")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.join("dang")).unwrap();
    std::fs::write(d.join(OsStr::from_bytes(b"sp ace\n\xff")), "x").unwrap();
}

/// The same files, the same moment: rbox and BusyBox print the same (inodes and times
/// included), default formats too.
#[test]
fn same_output_same_files() {
    if !has_busybox() {
        return;
    }
    let d = Dir::new();
    setup(&d);
    let odd = OsStr::from_bytes(b"sp ace\n\xff");
    for args in [
        &[OsStr::new("f"), OsStr::new("empty"), OsStr::new("dir"), OsStr::new("sl"), OsStr::new("/dev/null"), odd][..],
        &[OsStr::new("-L"), OsStr::new("sl"), OsStr::new("dang")],
        &[OsStr::new("-t"), OsStr::new("f"), OsStr::new("sl"), OsStr::new("/dev/null")],
        // Not ".": its free blocks may change between the two runs.
        &[OsStr::new("-f"), OsStr::new("/proc"), OsStr::new("/sys")],
        &[OsStr::new("-ft"), OsStr::new("/proc")],
        &[OsStr::new("-c"), OsStr::new("%a|%A|%b|%B|%d|%D|%f|%F|%g|%G|%h|%i|%n|%N|%o|%s|%t|%T|%u|%U|%x|%X|%y|%Y|%z|%Z|%%|%q|%"), OsStr::new("sl"), OsStr::new("/dev/null")],
        &[OsStr::new("-c"), OsStr::new("%5s|%-5s|%05s|%+5s|%.2s|%#o|%10a|%-12n|%08i|%.3n|%5q|%-3q|"), OsStr::new("f"), OsStr::new("dir")],
        &[OsStr::new("-c"), OsStr::new("x\\ny\\t%n\\"), OsStr::new("f")],
        &[OsStr::new("-f"), OsStr::new("-c"), OsStr::new("%l|%n|%t|%T|%q|%S"), OsStr::new("/proc"), OsStr::new("/sys")],
        &[OsStr::new("nope"), OsStr::new("f")],
        &[OsStr::new("-f"), OsStr::new("nope")],
    ] {
        // Reading a link may touch its atime once (relatime): a first run settles it.
        d.cmd("stat").args(args).run();
        let b = d.bb("stat").args(args).env("TZ", "UTC0").run();
        let a = d.cmd("stat").args(args).env("TZ", "UTC0").run();
        a.same_as(&b);
    }
}

#[test]
fn usage() {
    let d = Dir::new();
    // The usage, FMT tables included, is BusyBox's.
    same("stat", &[], b"", |_| {});
    d.cmd("stat")
        .args(["-x", "f"])
        .run()
        .fails_with(1, "stat: invalid option -- 'x'");
    setup(&d);
    d.cmd("stat")
        .args(["-c", "%F", "empty", "dir", "dang"])
        .run()
        .ok("regular empty file\ndirectory\nsymbolic link\n");
}

/// %x/%y/%z are formatted by rbox itself (as musl's strftime would): a year past 9999 in
/// full, one before 1000 padded to four digits (glibc's BusyBox prints `999`: not compared).
#[test]
fn dates_outside_four_digit_years() {
    let d = Dir::new();
    let f = d.write("f", "");
    for (t, want) in [
        (253_402_300_800i64, "10000-01-01 00:00:00.000000000 +0000\n"),
        (-30_610_224_001, "0999-12-31 23:59:59.000000000 +0000\n"),
        (0, "1970-01-01 00:00:00.000000000 +0000\n"),
    ] {
        let c = std::ffi::CString::new(f.as_os_str().as_bytes()).unwrap();
        let ts = [libc::timespec {
            tv_sec: t as _,
            tv_nsec: 0,
        }; 2];
        // SAFETY: c is NUL-terminated, ts two valid timespecs.
        if unsafe { libc::utimensat(libc::AT_FDCWD, c.as_ptr(), ts.as_ptr(), 0) } != 0 {
            continue; // a filesystem that cannot keep this time
        }
        use std::os::unix::fs::MetadataExt;
        if std::fs::metadata(&f).map(|m| m.mtime()).ok() != Some(t) {
            continue; // clamped (ext4 stops at 2446)
        }
        d.cmd("stat")
            .args(["-c", "%y"])
            .arg(&f)
            .env("TZ", "UTC0")
            .run()
            .ok(want);
    }
}
