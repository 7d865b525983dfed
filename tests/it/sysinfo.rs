//! pwdx, pmap, hostid, sysctl, dmesg.

use crate::common::*;
use crate::proc_util::*;
use std::process::Command;

#[test]
fn pwdx_paths() {
    let d = Dir::new();
    let k = Kid::spawn(Command::new("sleep").arg("30").current_dir(&d.path));
    let p = k.pid().to_string();
    let dir = std::fs::canonicalize(&d.path)
        .unwrap()
        .display()
        .to_string();
    run("pwdx", &[&p, &format!("/proc/{p}"), "999999999"]).ok(format!(
        "{p}: {dir}\n/proc/{p}: {dir}\n999999999: No such process\n"
    ));
    run("pwdx", &["x"]).fails(1, "pwdx: invalid process id: 'x'\n");
    run("pwdx", &[]).fails_with(1, "rbox v");
}

#[test]
fn pmap_layout() {
    let k = Kid::sleep();
    let p = k.pid().to_string();
    let o = run("pmap", &[&p]);
    assert_eq!(o.code, 0, "{}", o.err());
    let out = o.out();
    let l: Vec<&str> = out.lines().collect();
    assert_eq!(l[0], format!("{p}: sleep 30"));
    let mut sum = 0u64;
    for row in &l[1..l.len() - 1] {
        // 16 hex digits, the size in 7 columns and K, the 4-letter mode, the name.
        assert_eq!(row.as_bytes()[16], b' ', "{row}");
        assert!(u64::from_str_radix(&row[..16], 16).is_ok(), "{row}");
        assert_eq!(&row[24..25], "K", "{row}");
        sum += row[17..24].trim().parse::<u64>().unwrap();
        assert_eq!(&row[30..32], "  ", "{row}");
    }
    assert!(
        out.contains("/usr/bin/sleep\n") || out.contains("/bin/sleep\n"),
        "{out}"
    );
    assert_eq!(*l.last().unwrap(), format!("mapped: {sum}K"));
    let x = run("pmap", &["-x", &p]).out();
    let xl: Vec<&str> = x.lines().collect();
    assert_eq!(
        xl[1],
        "Address\t\t  Kbytes     PSS   Dirty    Swap  Mode  Mapping"
    );
    assert_eq!(
        xl[xl.len() - 2],
        "----------------  ------  ------  ------  ------"
    );
    assert!(
        xl[xl.len() - 1].starts_with(&format!("total\t\t {sum:7} ")),
        "{x}"
    );
    let q = run("pmap", &["-xq", &p]).out();
    assert_eq!(q.lines().count(), xl.len() - 3);
    run("pmap", &["999999999"]).fails(42, "");
    assert_eq!(run("pmap", &["999999999"]).out(), "999999999: [?]\n");
    run("pmap", &["x"]).fails(1, "pmap: invalid number 'x'\n");
}

#[test]
fn hostid_like_busybox() {
    same("hostid", &[], b"", |_| {});
    same("hostid", &["x"], b"", |_| {});
}

#[test]
fn sysctl_reads_like_busybox() {
    for args in [
        &["kernel.ostype"][..],
        &["kernel/ostype"],
        &["-n", "kernel.ostype", "kernel.osrelease"],
        &["kernel.nosuch"],
        &["-e", "kernel.nosuch"],
        &["-n", "kernel.nosuch", "kernel.ostype"],
        &["kernel.random.poolsize"],
        &["-q", "kernel.ostype"],
        &["-w", "kernel.ostype"],
        &["=x"],
        &[],
    ] {
        same("sysctl", args, b"", |_| {});
    }
    // (BusyBox's usage text has spaces, not a tab, before "Quiet"; rbox's has a tab.)
    run("sysctl", &["-x"]).fails_with(1, "sysctl: invalid option -- 'x'\n");
    // A directory lists what is under it.
    let a = run("sysctl", &["kernel.random"]).out();
    assert!(a.contains("kernel.random.poolsize = "), "{a}");
    let all = run("sysctl", &["-a"]).out();
    assert!(all.lines().any(|l| l.starts_with("kernel.ostype = ")));
    assert!(all.lines().count() > 100);
}

#[test]
fn sysctl_writes() {
    // A read-only entry.
    same("sysctl", &["-w", "kernel.version=x"], b"", |_| {});
    same("sysctl", &["kernel.ostype=Linux"], b"", |_| {});
    // Real writes only inside a network namespace of our own, where net.* is private.
    let runner = std::env::var_os("RBOX_TEST_RUNNER").is_some_and(|r| !r.is_empty());
    if runner
        || unsafe { libc::geteuid() } != 0
        || !std::path::Path::new("/usr/bin/unshare").exists()
    {
        eprintln!("namespace test skipped");
        return;
    }
    let d = Dir::new();
    d.write("conf", "# comment\n; other\nnet.ipv4.ip_forward = 1\n  net.ipv4.conf.lo.forwarding=1  \nnet.nosuch = 2\n");
    let s = applet_path("sysctl").display().to_string();
    let script = format!(
        "{s} -w net.ipv4.ip_forward=1; {s} -n net.ipv4.ip_forward; {s} -q net.ipv4.ip_forward=0; \
         {s} net.ipv4.ip_forward; {s} -p conf; echo rc=$?; {s} -n net.ipv4.ip_forward net.ipv4.conf.lo.forwarding"
    );
    let o = Command::new("unshare")
        .args(["-n", "sh", "-c", &script])
        .current_dir(&d.path)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "net.ipv4.ip_forward = 1\n1\nnet.ipv4.ip_forward = 0\nnet.ipv4.ip_forward = 1\nnet.ipv4.conf.lo.forwarding = 1\nrc=0\n1\n1\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "sysctl: error: 'net.nosuch' is an unknown key\n"
    );
}

#[test]
fn dmesg_like_busybox() {
    if !has_busybox() {
        return;
    }
    // The log may grow between the two runs: try a few times.
    for args in [&[][..], &["-r"], &["-s", "100"]] {
        let ok = (0..5).any(|_| {
            let a = run("dmesg", args);
            let b = bb("dmesg").args(args).run();
            a == b
        });
        assert!(ok, "dmesg {args:?}");
    }
    // Setting the console level to what it is already changes nothing.
    let printk = std::fs::read_to_string("/proc/sys/kernel/printk").unwrap();
    let level = printk.split_whitespace().next().unwrap().to_string();
    if unsafe { libc::geteuid() } == 0 {
        run("dmesg", &["-n", &level]).ok("");
        assert_eq!(
            std::fs::read_to_string("/proc/sys/kernel/printk").unwrap(),
            printk
        );
    }
    run("dmesg", &["-n", "x"]).fails(1, "dmesg: invalid number 'x'\n");
    run("dmesg", &["-x"]).fails_with(1, "dmesg: invalid option -- 'x'");
}
