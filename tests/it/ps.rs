use crate::common::*;
use crate::proc_util::*;
use std::os::unix::ffi::OsStrExt as _;
use std::process::Command;

#[test]
fn every_field_busybox_knows_matches() {
    let k = Kid::sleep();
    let p = [k.pid()];
    for o in [
        "pid,ppid,pgid,sid,user,group,ruser,rgroup,comm,args",
        "pid,nice,tty,vsz,rss,stat",
        "pid,stat",
        "pid,args",
        "pid,comm",
    ] {
        same_rows("ps", &["-o", o], &p);
    }
}

#[test]
fn headers_and_widths_follow_busybox() {
    let k = Kid::sleep();
    let p = [k.pid()];
    // An empty header keeps the default width; a given one sets it (and may cut the value).
    for args in [
        &["-o", "pid=X,user="][..],
        &["-o", "user=,pid"],
        &["-o", "pid,user="],
        &["-o", "pid=", "-o", "user=ZZ"],
        &["-o", "pid,args=A B"],
        &["-o", "pid,comm=C,stat=S"],
        &["-o", "pid,rss=R,vsz=VV"],
        // Only the first six characters of a name count.
        &["-o", "pid,rgroupX"],
        // Every column after args (2048 wide) is past the line's end and dropped.
        &["-o", "pid,args,pid"],
    ] {
        same_rows("ps", args, &p);
    }
    // No header at all when every header is empty.
    let o = run("ps", &["-o", "pid="]);
    assert!(
        o.out().lines().all(|l| l.trim().parse::<u32>().is_ok()),
        "{}",
        o.out()
    );
}

#[test]
fn ignored_options_and_bsd_words() {
    let k = Kid::sleep();
    let p = [k.pid()];
    for args in [
        &["-o", "pid,args", "aux"][..],
        &["-o", "pid,args", "-ef"],
        &["-l", "-o", "pid,args", "-A", "-a", "-d", "-Z"],
    ] {
        same_rows("ps", args, &p);
    }
    // -T lists threads; a single-threaded sleep shows once, under its own pid.
    same_rows("ps", &["-T", "-o", "pid,comm"], &p);
    same("ps", &["-aux"], b"", |_| {});
    same("ps", &["-w"], b"", |_| {});
}

#[test]
fn default_layout_has_time() {
    // BusyBox built with its TIME column (Alpine's): "PID   USER     TIME  COMMAND".
    // Debian's build lacks -o time, so this layout is checked by itself.
    let k = Kid::sleep();
    let o = run("ps", &[]);
    let out = o.out();
    assert_eq!(out.lines().next(), Some("PID   USER     TIME  COMMAND"));
    let row = rows(&out, &[k.pid()]);
    let want = format!("{:>5} {:<8} {:>5} sleep 30\n", k.pid(), "root", " 0:00");
    if unsafe { libc::geteuid() } == 0 {
        assert_eq!(row.lines().nth(1).map(|l| format!("{l}\n")), Some(want));
    }
    let o = run("ps", &["-o", "pid,etime,time"]);
    let row = rows(&o.out(), &[k.pid()]);
    // Elapsed seconds depend on when the second ticks: any small figure will do.
    let ok = (0..3).any(|s| row == format!("PID   ELAPSED TIME\n{:>5}  0:0{s}    0:00\n", k.pid()));
    assert!(ok, "{row}");
}

#[test]
fn pcpu_extension() {
    let k = Kid::sleep();
    let o = run("ps", &["-o", "pid,pcpu"]);
    assert_eq!(
        rows(&o.out(), &[k.pid()]),
        format!("PID   %CPU\n{:>5}  0.0\n", k.pid())
    );
}

#[test]
fn bad_field() {
    // rbox knows etime, time and pcpu too, so its list is longer than Debian's BusyBox's.
    run("ps", &["-o", "pid,bogus"]).fails(
        1,
        "ps: bad -o argument 'bogus', supported arguments: user,group,comm,args,pid,ppid,pgid,etime,nice,rgroup,ruser,pcpu,time,tty,vsz,sid,stat,rss\n",
    );
    run("ps", &["-o", ""]).fails_with(1, "ps: bad -o argument '', supported");
}

#[test]
fn odd_process_names() {
    // A program named with an escape, a newline and an invalid UTF-8 byte, run with a tab
    // and a control character in an argument: each control character shows as '?'.
    // (BusyBox prints comm raw, escape and newline included, and turns control characters in
    // arguments into spaces.)
    let d = Dir::new();
    let name = std::ffi::OsStr::from_bytes(b"a\x1bb\nc\xff");
    let prog = d.join(name);
    std::fs::copy("/bin/sleep", &prog).unwrap();
    let mut c = Command::new(&prog);
    std::os::unix::process::CommandExt::arg0(&mut c, "x\ty\x01z");
    c.arg("30");
    let k = loop {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| Kid::spawn(&mut c))) {
            Ok(k) => break k,
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)), // ETXTBSY
        }
    };
    let o = cmd("ps").args(["-o", "pid,comm,args"]).run();
    let row: Vec<&[u8]> = o
        .stdout
        .split(|&c| c == b'\n')
        .filter(|l| {
            String::from_utf8_lossy(l).split_whitespace().next() == Some(&k.pid().to_string())
        })
        .collect();
    let mut want = format!("{:>5} ", k.pid()).into_bytes();
    want.extend_from_slice(b"a?b?c\xff           ");
    want.extend_from_slice(b"{a?b?c\xff} x?y?z 30");
    assert_eq!(row, [&want[..]]);
}

#[test]
fn no_proc() {
    // No /proc at all, and an empty directory where it should be mounted.
    if let Some(o) = in_empty_root(&[], &["ps"]) {
        o.fails(1, "ps: can't open '/proc': No such file or directory\n");
    }
    // BusyBox prints a header and nothing else here, exiting 0.
    if let Some(o) = in_empty_root(&["proc"], &["ps"]) {
        o.fails(1, "ps: /proc is not mounted\n");
        assert_eq!(o.out(), "");
    }
}

#[test]
fn closed_pipe_ends_quietly() {
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{}{} -o pid,args | head -c 1",
            runner_prefix(),
            applet_path("ps").display()
        ))
        .output()
        .unwrap();
    assert_eq!(
        (o.status.code(), &o.stdout[..], &o.stderr[..]),
        (Some(0), &b"P"[..], &b""[..])
    );
}
