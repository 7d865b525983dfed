//! ls, compared with BusyBox 1.35 run in the very same directory (so inode numbers, block
//! counts and times agree), plus the places where rbox deliberately differs.

use crate::common::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

const OLD: i64 = 1_000_000_000; // 2001-09-09, beyond six months: shown with its year

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn cpath(p: &Path) -> std::ffi::CString {
    std::ffi::CString::new(p.as_os_str().as_bytes()).unwrap()
}

/// Sets atime and mtime of `p` itself (not a link's target).
fn set_time(p: &Path, t: i64) {
    let ts = libc::timespec {
        tv_sec: t as _,
        tv_nsec: 0,
    };
    let r = unsafe {
        libc::utimensat(
            libc::AT_FDCWD,
            cpath(p).as_ptr(),
            [ts, ts].as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        )
    };
    assert_eq!(r, 0, "utimensat {}", p.display());
}

fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn chown(p: &Path, uid: u32, gid: u32) {
    let r = unsafe { libc::lchown(cpath(p).as_ptr(), uid, gid) };
    assert_eq!(r, 0);
}

fn mknod(p: &Path, mode: u32, major: u32, minor: u32) {
    let dev = libc::makedev(major, minor);
    let r = unsafe { libc::mknod(cpath(p).as_ptr(), mode, dev) };
    assert_eq!(r, 0, "mknod {}", p.display());
}

fn symlink(d: &Dir, target: &str, name: &str) {
    std::os::unix::fs::symlink(target, d.join(name)).unwrap();
}

/// rbox's and BusyBox's `ls ARGS` in `cwd` with extra environment: identical status,
/// stdout (byte for byte) and stderr. Skipped without BusyBox.
#[track_caller]
fn both_in(cwd: &Path, args: &[&OsStr], env: &[(&str, &str)]) {
    if !has_busybox() {
        return;
    }
    let go = |mut r: Run| {
        for (k, v) in env {
            if v.is_empty() {
                r.cmd.env_remove(k);
            } else {
                r = r.env(k, v);
            }
        }
        r.dir(cwd).args(args).stdin("").run()
    };
    let a = go(cmd("ls"));
    let b = go(bb("ls"));
    a.same_as(&b);
    assert_eq!(a.stdout, b.stdout, "args {args:?}");
}

#[track_caller]
fn both(cwd: &Path, args: &[&str]) {
    let a: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    both_in(cwd, &a, &[]);
}

#[track_caller]
fn both_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) {
    let a: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    both_in(cwd, &a, env);
}

/// A directory `t` with one of most kinds of file, fixed times (old, recent, in the
/// future), sizes for -h, odd modes, owners with and without names.
fn fixture() -> (Dir, std::path::PathBuf) {
    let d = Dir::new();
    let t = d.mkdir("t");
    let n = now();
    let f = |name: &str, data: &[u8], time: i64| {
        let p = d.write(Path::new("t").join(name), data);
        set_time(&p, time);
        p
    };
    f("a", b"", OLD);
    f("b.txt", b"hello\n", n - 3600);
    f("c.tar.gz", &[7u8; 5000], n - 200 * 86400);
    f("d.gz", &[1u8; 1536], n - 100 * 86400);
    f("future", b"x", n + 3 * 86400);
    f("soon", b"x", n + 5 * 60);
    f(".hidden", b"secret", OLD);
    let run = f("run.sh", b"#!/bin/sh\n", OLD + 60);
    chmod(&run, 0o755);
    let s = f("suid", b"", OLD);
    chmod(&s, 0o4755);
    let s = f("sgid", b"", OLD);
    chmod(&s, 0o2644);
    let s = f("nobody", b"12345", OLD);
    chown(&s, 12345, 54321);
    let s = f("sysnet", b"", OLD);
    chown(&s, 998, 998); // "systemd-network" here: longer than 8 bytes
    for (name, size) in [
        ("big", 3u64 << 30 | 12345),
        ("mid", 243 << 20),
        ("k1", 1024),
    ] {
        let p = d.join(Path::new("t").join(name));
        std::fs::File::create(&p).unwrap().set_len(size).unwrap();
        set_time(&p, OLD);
    }
    d.write("t/dir/x", "x");
    d.write("t/dir/sub/y", "yy");
    d.write("t/dir/.hid", "");
    set_time(&d.join("t/dir/x"), OLD);
    set_time(&d.join("t/dir/sub/y"), OLD);
    set_time(&d.join("t/dir/.hid"), OLD);
    set_time(&d.join("t/dir/sub"), OLD);
    set_time(&d.join("t/dir"), OLD);
    let tmp = d.mkdir("t/tmp");
    chmod(&tmp, 0o1777);
    set_time(&tmp, OLD);
    let e = d.mkdir("t/empty");
    set_time(&e, OLD);
    std::os::unix::fs::symlink("b.txt", t.join("link")).unwrap();
    std::os::unix::fs::symlink("dir", t.join("dlink")).unwrap();
    std::os::unix::fs::symlink("nowhere", t.join("broken")).unwrap();
    for l in ["link", "dlink", "broken"] {
        set_time(&t.join(l), OLD);
    }
    let fifo = t.join("fifo");
    assert_eq!(unsafe { libc::mkfifo(cpath(&fifo).as_ptr(), 0o644) }, 0);
    set_time(&fifo, OLD);
    mknod(&t.join("chr"), libc::S_IFCHR | 0o600, 259, 300000);
    mknod(&t.join("blk"), libc::S_IFBLK | 0o660, 7, 0);
    set_time(&t.join("chr"), OLD);
    set_time(&t.join("blk"), OLD);
    set_time(&t, OLD);
    set_time(&d.path, OLD);
    (d, t)
}

#[test]
fn short_listings() {
    let (_d, t) = fixture();
    for a in [
        &[][..],
        &["-1"],
        &["-a"],
        &["-A"],
        &["-aA"],
        &["-d"],
        &["-d", ".", "dir", "a"],
        &["-F"],
        &["-p"],
        &["-s"],
        &["-sh"],
        &["-i"],
        &["-k"],
        &["-Q"],
        &["-T", "4"],
        &["-1", "-i", "-s", "-F"],
        &["dir", "a", "empty", "link", "dlink"],
        &["-F", "dlink", "link", "broken", "fifo", "run.sh", "tmp"],
        &["-p", "dlink", "link"],
        &["-H", "dlink"],
        &["-L"],
        &["-LF"],
        &["--", "-1"],
    ] {
        both(&t, a);
    }
}

#[test]
fn long_listings() {
    let (_d, t) = fixture();
    for a in [
        &["-l"][..],
        &["-la"],
        &["-lA"],
        &["-ln"],
        &["-n"], // -n implies -l
        &["-g"], // so does -g (no owner column)
        &["-lgn"],
        &["-lh"],
        &["-ls"],
        &["-lsh"],
        &["-li"],
        &["-lF"],
        &["-lp"],
        &["-lQ"],
        &["-lL"],
        &["-lc"],
        &["-lk"],
        &["--full-time"],
        &["-l", "--full-time", "-h"],
        &["--full", "a"],
        &["-l", "dlink", "link", "broken", "dir"],
        &["-lH", "dlink", "link"],
        &["-lL", "dlink", "link"],
        &["-lF", "dlink", "link", "broken"],
        &["-lu", "a", "b.txt", "c.tar.gz"],
        &["-ld", ".", "dir", "tmp"],
        &["-l", "/dev/null", "chr", "blk"],
        &["-1l"],
        &["-l1"],
        &["-Cl"],
        &["-lC"],
        &["-lx"],
        &["-nC"], // -C after -n's implied -l: columns again
        &["-Cn"],
    ] {
        both(&t, a);
    }
}

#[test]
fn dates_follow_tz() {
    let (_d, t) = fixture();
    // POSIX TZ strings carry their DST rules: without them glibc assumes US rules and musl
    // does not, a C library difference that is not ls's business.
    for tz in [
        "UTC0",
        "EST5EDT,M3.2.0,M11.1.0",
        "NZST-12NZDT,M9.5.0,M4.1.0/3",
        "<+0545>-5:45",
        "Asia/Kolkata",
        "America/St_Johns",
        "Europe/Paris",
    ] {
        both_env(&t, &["-l"], &[("TZ", tz)]);
        both_env(&t, &["--full-time"], &[("TZ", tz)]);
    }
}

#[test]
fn sort_orders() {
    let (_d, t) = fixture();
    for a in [
        &["-t"][..],
        &["-tr"],
        &["-lt"],
        &["-ltr"],
        &["-S"],
        &["-Sr"],
        &["-lS"],
        &["-St"], // the later of -S and -t wins
        &["-tS"],
        &["-X"],
        &["-Xr"],
        &["-v"],
        &["-r"],
        &["-c"], // -c and -u without -l sort by that time
        &["-tc"],
        &["--group-directories-first"],
        &["--group-directories-first", "-r"],
        &["--group-directories-first", "-S"],
        &["-a", "-S", "-r"],
    ] {
        both(&t, a);
    }
}

#[test]
fn ties_sort_by_name() {
    let d = Dir::new();
    let n = now();
    for (name, size, time) in [
        ("b", 10, n - 100),
        ("a", 10, n - 100),
        ("C", 10, n - 50),
        ("_", 3, n - 100),
        ("a0", 3, n - 50),
        ("A", 0, OLD),
    ] {
        let p = d.write(name, vec![0u8; size]);
        set_time(&p, time);
    }
    for a in [
        &["-t"][..],
        &["-tr"],
        &["-S"],
        &["-Sr"],
        &["-ltr"],
        &["-lS"],
    ] {
        both(&d.path, a);
    }
    // Larger first; equal sizes by name (bytes: upper case first).
    d.cmd("ls").arg("-S").run().ok("C\na\nb\n_\na0\nA\n");
}

#[test]
fn version_and_extension_sort() {
    let d = Dir::new();
    for n in [
        "a10", "a2", "a1", "a01", "a001", "a0", "a00", "b1.10", "b1.9", "b1.009", "x.tar.gz",
        "y.gz", "z", ".h", "noext", "a 2", "v1.2.10", "v1.2.9", "v1.10.0", "00", "0", "09", "9",
    ] {
        d.write(n, "");
    }
    for a in [&["-v"][..], &["-vr"], &["-Av"], &["-X"], &["-AX"], &["-Xr"]] {
        both(&d.path, a);
    }
    d.cmd("ls")
        .args(["-v", "a1", "a10", "a2", "a01"])
        .run()
        .ok("a01\na1\na2\na10\n");
}

#[test]
fn recursion_and_operands() {
    let (d, t) = fixture();
    for a in [
        &["-R"][..],
        &["-Ra"],
        &["-RA"],
        &["-lR"],
        &["-R", "dir"],
        &["-R", "dir/"],
        &["-R", "./dir//"],
        &["-dR", "dir"],
        &["-Rr"],
        &["-Rt"],
        &["-RL"],
        &["-RC"],
        &["-R", "dir", "empty", "a", "b.txt"],
        &["-Rs", "dir"],
        &["-R", "dlink"],
        &["-lR", "dlink"],
        &["dir", "empty"],
        &["-l", "dir", "empty"],
        &["-s", "empty"],
        &["a", "b.txt"],
        &["b.txt", "a", "dir"],
        &["."],
        &["..", "."],
    ] {
        both(&t, a);
    }
    // Absolute paths in headers.
    let abs = t.to_str().unwrap();
    both(&d.path, &["-R", abs]);
}

#[test]
fn missing_and_bad_operands() {
    let (_d, t) = fixture();
    for a in [
        &["nope"][..],
        &["nope", "a"],
        &["a", "nope", "dir", "nope2"],
        &["-l", "nope"],
        &["a/x"], // not a directory
        &[""],
        &["broken"], // followed without -l: the target is missing
        &["-l", "broken"],
        &["-L", "broken"],
        &["-lL", "broken"],
        &["-L", "-1"], // a broken link inside is reported and skipped
    ] {
        both(&t, a);
    }
    run("ls", &["/nonexistent"]).fails(1, "ls: /nonexistent: No such file or directory\n");
}

#[test]
fn unreadable_directory() {
    // Root reads any directory, so list as another user (which needs root).
    use std::os::unix::process::CommandExt;
    if unsafe { libc::geteuid() } != 0 {
        return;
    }
    let d = Dir::new();
    chmod(&d.path, 0o755);
    let p = d.mkdir("locked");
    d.write("locked/f", "");
    d.write("open/f", "");
    chmod(&p, 0o700);
    for args in [&["locked"][..], &["-l", "open", "locked"], &["-R", "."]] {
        let mut a = d.cmd("ls").args(args);
        a.cmd.uid(12345);
        let a = a.run();
        assert_eq!(a.code, 1, "{}", a.err());
        assert!(a.err().contains("ls: can't open '"), "{}", a.err());
        assert!(
            a.err().contains("locked': Permission denied\n"),
            "{}",
            a.err()
        );
        if has_busybox() {
            let mut b = d.bb("ls").args(args);
            b.cmd.uid(12345);
            a.same_as(&b.run());
        }
    }
}

#[test]
fn columns_fit_the_width() {
    let sets: &[&[&str]] = &[
        &["a", "b", "c"],
        &[
            "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        ],
        &[
            "a-rather-long-file-name",
            "x",
            "y",
            "zz",
            "another_long_name.txt",
            "q",
        ],
        &["this-name-is-much-wider-than-forty-columns-all-alone", "b"],
    ];
    for set in sets {
        let d = Dir::new();
        for n in *set {
            d.write(n, "");
        }
        for i in 0..23 {
            d.write(format!("f{}", "0".repeat(i % 7) + &i.to_string()), "");
        }
        for cols in ["20", "40", "80", "200", "1", "abc", " 50x", "30000"] {
            for a in [&["-C"][..], &["-x"], &["-Cs"], &["-Ci"], &["-CF"], &["-CQ"]] {
                both_env(&d.path, a, &[("COLUMNS", cols)]);
            }
        }
        for w in ["0", "1", "10", "33", "79", "300"] {
            both(&d.path, &["-C", "-w", w]);
            both(&d.path, &["-x", "-w", w]);
        }
    }
    // The width is COLUMNS - 1 (or -w N exactly): three 10-column entries need 31.
    let d = Dir::new();
    for n in ["aaaaaaaa", "bbbbbbbb", "cccccccc"] {
        d.write(n, "");
    }
    let out = |r: Run| r.run().out();
    assert_eq!(
        out(d.cmd("ls").arg("-C").env("COLUMNS", "31")),
        "aaaaaaaa  bbbbbbbb  cccccccc\n"
    );
    assert_eq!(
        out(d.cmd("ls").arg("-C").env("COLUMNS", "30")),
        "aaaaaaaa  cccccccc\nbbbbbbbb\n"
    );
    assert_eq!(
        out(d.cmd("ls").args(["-C", "-w", "30"])),
        "aaaaaaaa  bbbbbbbb  cccccccc\n"
    );
    assert_eq!(
        out(d.cmd("ls").args(["-x", "-w", "20"])),
        "aaaaaaaa  bbbbbbbb\ncccccccc\n"
    );
}

#[test]
fn width_option_errors() {
    let d = Dir::new();
    for w in [
        "abc",
        "-1",
        "+5",
        " 5",
        "",
        "010",
        "0x10",
        "1k",
        "2147483647",
        "2147483648",
        "4294967295",
        "4294967296",
        "99999999999",
    ] {
        both(&d.path, &["-w", w]);
    }
    run("ls", &["-w", "x"]).fails(1, "ls: invalid number 'x'\n");
    run("ls", &["-w", "3000000000"])
        .fails(1, "ls: number 3000000000 is not in 0..2147483647 range\n");
    both(&d.path, &["-w"]);
}

#[test]
fn names_that_are_not_printable() {
    let d = Dir::new();
    let names: &[&[u8]] = &[
        b"plain",
        b"tab\there",
        b"nl\nx",
        b"esc\x1b[31m",
        b"del\x7f",
        b"latin1-\xe9",
        b"utf8-\xc3\xa9",
        b"c1-\xc2\x85",
        b"cjk-\xe4\xb8\xad",
        b"combining-e\xcc\x81",
        b"max-\xcb\xbf",
        b"nbsp-\xc2\xa0",
        b"trunc-\xc3",
        b"bad-\xc3z",
        b"overlong-\xc0\xaf",
        b"overlong3-\xe0\x83\xa9",
        b"surrogate-\xed\xa0\x80",
        b"six-\xfc\x84\x80\x80\x80\x80",
        b"ff-\xff",
        b"quote\"and\\back",
        b"emoji-\xf0\x9f\x98\x80",
    ];
    for n in names {
        std::fs::write(d.path.join(OsStr::from_bytes(n)), "").unwrap();
    }
    std::os::unix::fs::symlink(OsStr::from_bytes(b"to-\xff\x01"), d.join("link")).unwrap();
    let utf8 = [("LC_ALL", ""), ("LANG", "C.UTF-8")];
    let envs: [&[(&str, &str)]; 6] = [
        &[],
        &utf8,
        &[("LC_ALL", "en_US.utf8")],
        &[("LC_ALL", ""), ("LC_CTYPE", "C"), ("LANG", "C.UTF-8")], // LC_CTYPE decides
        &[("LC_ALL", ""), ("LANG", "UTF-8")],                      // needs ".utf"
        &[("LC_ALL", "")],
    ];
    for env in envs {
        for a in [
            &["-1"][..],
            &["-C"],
            &["-x"],
            &["-l"],
            &["-Q"],
            &["-lQ"],
            &["-CQ"],
            &["-R"],
        ] {
            both_env(&d.path, a, env);
        }
    }
    // Operands and -R headers are printed as given, not made printable.
    let sub = d.path.join(OsStr::from_bytes(b"dir\xff"));
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join(OsStr::from_bytes(b"in\x01")), "").unwrap();
    both_in(&d.path, &[OsStr::new("-R"), OsStr::new(".")], &[]);
    both_in(
        &d.path,
        &[OsStr::from_bytes(b"dir\xff"), OsStr::from_bytes(b"ff-\xff")],
        &[],
    );
    d.cmd("ls")
        .arg(OsStr::from_bytes(b"dir\xff"))
        .run()
        .ok(b"in?\n");
}

#[test]
fn colours() {
    let (_d, t) = fixture();
    for a in [
        &["--color"][..],
        &["--color=always"],
        &["--color=always", "-l"],
        &["--color=always", "-lL"],
        &["--color=always", "-L"],
        &["--color=always", "-lF"],
        &["--color=always", "-C"],
        &["--color=always", "-l", "/dev/null", "broken", "dlink"],
        &["--color=yes"],
        &["--color=force"],
        &["--color=never"],
        &["--color=no"],
        &["--color=none"],
        &["--color=nonsense"], // starts with 'n': off
        &["--color=auto"],     // stdout is a pipe: off
        &["--color=tty"],
        &["--color=if-tty"],
        &["--color=bogus"], // unknown: left as it was (off)
        &["--color="],
        &["--color=always", "--color=never"],
        &["--color=never", "--color"], // a bare --color keeps the earlier word
        &["--col=always"],
    ] {
        both(&t, a);
    }
    let d = Dir::new();
    d.write("f", "");
    d.cmd("ls")
        .args(["--color", "f"])
        .run()
        .ok("\x1b[0;0mf\x1b[m\n");
}

#[test]
fn bad_options_print_usage() {
    let d = Dir::new();
    // BusyBox 1.35 has no -q, -f or -U either (-e and -o: see extra_e_and_o).
    for o in ["-q", "-f", "-U", "-Z", "--nosuch", "--full-time=1", "-T"] {
        both(&d.path, &[o]);
    }
    let o = run("ls", &["-q"]);
    o.code(1);
    assert!(
        o.err().starts_with("ls: invalid option -- 'q'\n"),
        "{}",
        o.err()
    );
    assert!(o
        .err()
        .contains("Usage: ls [-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]..."));
}

#[test]
fn help() {
    let o = run("ls", &["--help"]);
    o.code(0);
    if has_busybox() {
        o.same_as(&bb("ls").arg("--help").run());
    }
}

#[test]
fn owners_without_names_are_numbers() {
    let d = Dir::new();
    let p = d.write("f", "");
    chown(&p, 12345, 54321);
    set_time(&p, OLD);
    d.cmd("ls")
        .arg("-l")
        .run()
        .ok("total 0\n-rw-r--r--    1 12345    54321            0 Sep  9  2001 f\n");
    d.cmd("ls")
        .arg("-g")
        .run()
        .ok("total 0\n-rw-r--r--    1 54321            0 Sep  9  2001 f\n");
    // Ids longer than the 8-column field are cut, as BusyBox's "%-8.8s" does.
    chown(&p, 4_000_000_000, 4_000_000_001);
    d.cmd("ls")
        .arg("-l")
        .run()
        .ok("total 0\n-rw-r--r--    1 40000000 40000000         0 Sep  9  2001 f\n");
    d.cmd("ls")
        .arg("-n")
        .run()
        .ok("total 0\n-rw-r--r--    1 4000000000 4000000001         0 Sep  9  2001 f\n");
    both(&d.path, &["-l"]);
    both(&d.path, &["-ln"]);
}

#[test]
fn empty_root_has_no_names() {
    // In a root without /etc/passwd and /etc/group every owner is a number.
    let runner = std::env::var_os("RBOX_TEST_RUNNER").is_some_and(|r| !r.is_empty());
    if runner || unsafe { libc::geteuid() } != 0 || !Path::new("/usr/sbin/chroot").exists() {
        return;
    }
    let d = Dir::new();
    std::fs::copy(bin(), d.join("rbox")).unwrap();
    let f = d.write("f", "");
    set_time(&f, OLD);
    let o = output_retrying(
        std::process::Command::new("/usr/sbin/chroot")
            .arg(&d.path)
            .args(["/rbox", "ls", "-l", "/f"])
            .env("LC_ALL", "C")
            .env("TZ", "UTC0"),
    );
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "-rw-r--r--    1 0        0                0 Sep  9  2001 /f\n"
    );
    let o = output_retrying(
        std::process::Command::new("/usr/sbin/chroot")
            .arg(&d.path)
            .args(["/rbox", "whoami"]),
    );
    assert_eq!(
        (o.status.code(), String::from_utf8_lossy(&o.stderr).as_ref()),
        (Some(1), "whoami: unknown uid 0\n")
    );
}

#[test]
fn full_disk() {
    // Deliberate difference: BusyBox's ls ignores the failed write and exits 0; rbox says
    // so and exits 1, like every rbox applet (a silent truncated listing helps no one).
    let d = Dir::new();
    d.write("f", "");
    d.cmd("ls")
        .stdout_file("/dev/full")
        .run()
        .fails(1, "ls: write error: No space left on device\n");
}

#[test]
fn symlink_loop_message() {
    // BusyBox on glibc says "Too many levels of symbolic links"; rbox prints musl's
    // strerror text for ELOOP, as BusyBox built on musl does.
    let d = Dir::new();
    symlink(&d, "l2", "l1");
    symlink(&d, "l1", "l2");
    let o = d.cmd("ls").arg("l1").run();
    o.code(1);
    assert!(o.err().starts_with("ls: l1: "), "{}", o.err());
    d.cmd("ls").args(["-l", "l1"]).run().code(0);
}

/// Runs `CMD` on a pseudo-terminal through script(1), which is where ls defaults to
/// columns; None when script is not installed.
fn on_tty(cmdline: &str) -> Option<Vec<u8>> {
    let o = std::process::Command::new("script")
        .args(["-qec", cmdline, "/dev/null"])
        .env("LC_ALL", "C")
        .env_remove("COLUMNS")
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    Some(o.stdout)
}

#[test]
fn terminal_defaults() {
    if !has_busybox() {
        return;
    }
    let d = Dir::new();
    for i in 0..30 {
        d.write(format!("file{i}"), "");
    }
    let dir = d.path.to_str().unwrap();
    let ls = applet_path("ls");
    let ls = ls.to_str().unwrap();
    for args in [
        "",
        "--color=auto",
        "--color=tty -1",
        "-w 50",
        "-l --color=never",
    ] {
        for cols in ["", "COLUMNS=40 "] {
            let a = on_tty(&format!("cd {dir} && {cols}{}{ls} {args}", runner_prefix()));
            let b = on_tty(&format!("cd {dir} && {cols}busybox ls {args}"));
            let (Some(a), Some(b)) = (a, b) else { return };
            assert_eq!(
                String::from_utf8_lossy(&a),
                String::from_utf8_lossy(&b),
                "{cols}ls {args}"
            );
        }
    }
}

/// -e and -o are rbox additions (BusyBox 1.35 rejects both): -e is older BusyBox's "list
/// full date and time", the same as --full-time; -o is GNU's long format without the group.
#[test]
fn extra_e_and_o() {
    let d = Dir::new();
    let f = d.write("f", "12345");
    let t = std::fs::File::options().write(true).open(&f).unwrap();
    t.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000))
        .unwrap();
    std::os::unix::fs::chown(&f, Some(0), Some(12345)).unwrap();
    let full = d
        .cmd("ls")
        .args(["--full-time", "f"])
        .env("TZ", "UTC0")
        .run();
    d.cmd("ls")
        .args(["-e", "f"])
        .env("TZ", "UTC0")
        .run()
        .ok(full.out());
    assert!(
        full.out().contains("2001-09-09 01:46:40 +0000"),
        "{}",
        full.out()
    );
    let l = d.cmd("ls").args(["-l", "f"]).env("TZ", "UTC0").run().out();
    let o = d.cmd("ls").args(["-o", "f"]).env("TZ", "UTC0").run();
    // The same line with the group column (12345, padded to 8 and a space) taken out.
    o.ok(l.replacen("12345    ", "", 1));
    let on = d.cmd("ls").args(["-on", "f"]).env("TZ", "UTC0").run();
    assert!(
        on.out().starts_with("-rw-r--r--    1 0        "),
        "{}",
        on.out()
    );
    assert!(!on.out().contains("12345 "), "{}", on.out());
}
