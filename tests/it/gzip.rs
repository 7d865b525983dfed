//! gzip, gunzip, zcat: round trips with GNU gzip, several members, trailing garbage,
//! truncated and corrupt input, the original kept until the output is complete.

use crate::common::*;
use std::process::Command;

/// Varied, compressible text with invalid UTF-8 and NULs.
fn text() -> Vec<u8> {
    let mut v = Vec::new();
    let mut x: u32 = 12345;
    for i in 0..20000u32 {
        x = x.wrapping_mul(1103515245).wrapping_add(12345);
        v.extend_from_slice(format!("line {i} {}\n", x >> 20).as_bytes());
        if i % 1000 == 0 {
            v.extend_from_slice(b"\xff\xfe\x00\x01\n");
        }
    }
    v
}

fn has_gzip() -> bool {
    Command::new("gzip").arg("--version").output().is_ok()
}

fn gnu_gz(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut c = Command::new("gzip")
        .arg("-c")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut si = c.stdin.take().unwrap();
    let d = data.to_vec();
    let t = std::thread::spawn(move || si.write_all(&d));
    let o = c.wait_with_output().unwrap();
    t.join().unwrap().unwrap();
    o.stdout
}

#[test]
fn round_trip_with_gnu_both_ways() {
    if !has_gzip() {
        eprintln!("GNU gzip not installed: skipped");
        return;
    }
    let t = text();
    let d = Dir::new();
    for lvl in ["-1", "-6", "-9"] {
        let z = d.cmd("gzip").args([lvl, "-c"]).stdin(&t).run();
        assert_eq!(z.code, 0);
        let p = d.write("r.gz", &z.stdout);
        let o = Command::new("gzip").arg("-dc").arg(&p).output().unwrap();
        assert!(o.status.success());
        assert_eq!(o.stdout, t);
    }
    // -9 is smaller than -1.
    let z1 = d.cmd("gzip").arg("-1").stdin(&t).run().stdout;
    let z9 = d.cmd("gzip").arg("-9").stdin(&t).run().stdout;
    assert!(z9.len() < z1.len());
    d.cmd("gunzip").arg("-c").stdin(gnu_gz(&t)).run().ok(&t);
    d.cmd("zcat").stdin(gnu_gz(&t)).run().ok(&t);
    d.cmd("gzip").arg("-dc").stdin(gnu_gz(b"")).run().ok(b"");
}

#[test]
fn files_replaced_kept_and_refused() {
    let d = Dir::new();
    let t = text();
    d.write("a b\nc", &t);
    d.cmd("gzip").arg("a b\nc").run().ok("");
    assert!(!d.join("a b\nc").exists());
    d.cmd("gunzip").arg("a b\nc.gz").run().ok("");
    assert_eq!(std::fs::read(d.join("a b\nc")).unwrap(), t);
    assert!(!d.join("a b\nc.gz").exists());
    // -k keeps the input; an existing output is refused without -f, replaced with it.
    d.cmd("gzip").args(["-k", "a b\nc"]).run().ok("");
    assert!(d.join("a b\nc").exists());
    d.cmd("gzip")
        .arg("a b\nc")
        .run()
        .fails(1, "gzip: can't open 'a b\nc.gz': File exists\n");
    assert!(d.join("a b\nc").exists());
    d.cmd("gzip").args(["-f", "a b\nc"]).run().ok("");
    d.cmd("gunzip").args(["-t", "a b\nc.gz"]).run().ok("");
    d.cmd("gunzip").args(["-c", "a b\nc.gz"]).run().ok(&t);
    // .tgz becomes .tar; other names are ignored.
    d.write("x.tgz", gnu_or_rbox(&d, b"tar"));
    d.cmd("gunzip").arg("x.tgz").run().ok("");
    assert_eq!(std::fs::read(d.join("x.tar")).unwrap(), b"tar");
    d.write("plain", "p");
    d.cmd("gunzip")
        .arg("plain")
        .run()
        .fails(1, "gunzip: plain: unknown suffix - ignored\n");
    d.cmd("gzip")
        .arg("nothere")
        .run()
        .fails(1, "gzip: nothere: No such file or directory\n");
    // The mode and mtime of the input go to the output.
    use std::os::unix::fs::PermissionsExt;
    let p = d.write("m", "mode");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    d.cmd("gzip").arg("m").run().ok("");
    let md = std::fs::metadata(d.join("m.gz")).unwrap();
    assert_eq!(md.permissions().mode() & 0o777, 0o640);
    // No temporary left beside them.
    let names: Vec<_> = std::fs::read_dir(&d.path)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        names.iter().all(|n| !n.to_string_lossy().starts_with('.')),
        "{names:?}"
    );
}

fn gnu_or_rbox(d: &Dir, data: &[u8]) -> Vec<u8> {
    d.cmd("gzip").arg("-c").stdin(data).run().stdout
}

#[test]
fn members_and_trailing_garbage() {
    let d = Dir::new();
    let mut z = gnu_or_rbox(&d, b"one\n");
    z.extend(gnu_or_rbox(&d, b"two\n"));
    d.cmd("zcat").stdin(&z).run().ok("one\ntwo\n");
    // BusyBox ignores what follows a complete member, silently and with status 0.
    z.extend_from_slice(b"garbage\n");
    d.cmd("gunzip").arg("-c").stdin(&z).run().ok("one\ntwo\n");
    same("gunzip", &["-c"], &z, |_| {});
}

#[test]
fn bad_input_reported_and_original_kept() {
    let d = Dir::new();
    let t = text();
    let z = gnu_or_rbox(&d, &t);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "trunc.gz",
            z[..z.len() / 2].to_vec(),
            "gunzip: unexpected end of file\n",
        ),
        ("short.gz", z[..5].to_vec(), "gunzip: corrupted data\n"),
        (
            "magic.gz",
            b"not gzip at all".to_vec(),
            "gunzip: invalid magic\n",
        ),
        ("empty.gz", Vec::new(), "gunzip: invalid magic\n"),
        (
            "crc.gz",
            {
                let mut v = z.clone();
                let n = v.len();
                v[n - 8] ^= 1;
                v
            },
            "gunzip: crc error\n",
        ),
        (
            "len.gz",
            {
                let mut v = z.clone();
                let n = v.len();
                v[n - 2] ^= 1;
                v
            },
            "gunzip: incorrect length\n",
        ),
    ];
    for (name, data, msg) in &cases {
        d.write(name, data);
        d.cmd("gunzip").arg(name).run().fails(1, msg);
        assert!(d.join(name).exists(), "{name} removed");
        assert!(
            !d.join(name.trim_end_matches(".gz")).exists(),
            "{name}: output left"
        );
        // BusyBox's message and status (how much partial output precedes it differs).
        if has_busybox() {
            let b = d.bb("gunzip").args(["-c", name]).run();
            assert_eq!((b.code, b.err()), (1, msg.to_string()), "{name}");
        }
    }
    let names: Vec<_> = std::fs::read_dir(&d.path)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), cases.len(), "{names:?}");
    // A corrupt deflate stream.
    let mut v = z.clone();
    for b in &mut v[20..60] {
        *b ^= 0x55;
    }
    let o = d.cmd("gunzip").arg("-t").stdin(&v).run();
    assert_eq!(o.code, 1);
}

#[test]
fn list_and_verbose() {
    if !has_gzip() {
        eprintln!("GNU gzip not installed: skipped");
        return;
    }
    let d = Dir::new();
    d.write("f", text());
    d.cmd("gzip").args(["-k", "f"]).run().ok("");
    let o = d.cmd("gzip").args(["-l", "f.gz"]).run();
    assert_eq!(o.code, 0);
    let g = Command::new("gzip")
        .args(["-l", "f.gz"])
        .current_dir(&d.path)
        .output()
        .unwrap();
    // The sizes and name match GNU's; the ratio may differ in the last tenth (rounding).
    let col = |s: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(s)
            .lines()
            .nth(1)
            .unwrap()
            .split_whitespace()
            .map(String::from)
            .collect()
    };
    let (a, b) = (col(&o.stdout), col(&g.stdout));
    assert_eq!((&a[0], &a[1], &a[3]), (&b[0], &b[1], &b[3]));
    assert_eq!(
        o.out().lines().next(),
        String::from_utf8_lossy(&g.stdout).lines().next()
    );
    d.cmd("gunzip").args(["-tv", "f.gz"]).run().ok("");
    same("gunzip", &["-tv", "f.gz"], b"", |dd| {
        dd.write("f.gz", gnu_or_rbox(dd, b"x\n"));
    });
}

#[test]
fn full_disk_and_closed_pipe() {
    let d = Dir::new();
    let z = gnu_or_rbox(&d, &text());
    let o = d.cmd("zcat").stdin(&z).stdout_file("/dev/full").run();
    assert_eq!(o.code, 1);
    assert!(o.err().starts_with("zcat: write error"), "{}", o.err());
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{}{} -c < /dev/zero | head -c 10 >/dev/null",
            runner_prefix(),
            applet_path("gzip").display()
        ))
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(o.stderr, b"");
}
