//! mount and umount: listings against BusyBox; mounting only inside a private mount
//! namespace (`unshare -m`), on the test's own directories.

use crate::common::*;
use std::process::Command;

fn ns_ok() -> bool {
    let runner = std::env::var_os("RBOX_TEST_RUNNER").is_some_and(|r| !r.is_empty());
    if runner
        || unsafe { libc::geteuid() } != 0
        || !std::path::Path::new("/usr/bin/unshare").exists()
    {
        eprintln!("mount namespace test skipped");
        return false;
    }
    true
}

/// `script` in a private mount namespace, with $M and $U set to rbox's (or BusyBox's)
/// mount and umount and $D to a fresh directory.
fn in_ns(d: &Dir, busybox: bool, script: &str) -> Out {
    let (m, u) = if busybox {
        ("busybox mount".to_string(), "busybox umount".to_string())
    } else {
        (
            applet_path("mount").display().to_string(),
            applet_path("umount").display().to_string(),
        )
    };
    let o = Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c", script])
        .env("M", m)
        .env("U", u)
        .env("D", &d.path)
        .current_dir(&d.path)
        .output()
        .unwrap();
    let fix = |b: Vec<u8>| {
        String::from_utf8_lossy(&b)
            .replace(&d.path.display().to_string(), "DIR")
            .into_bytes()
    };
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: fix(o.stdout),
        stderr: fix(o.stderr),
    }
}

#[test]
fn listing_like_busybox() {
    same("mount", &[], b"", |_| {});
    same("mount", &["-t", "proc"], b"", |_| {});
    same("mount", &["-t", "proc,sysfs"], b"", |_| {});
}

#[test]
fn mounts_in_a_namespace() {
    if !ns_ok() {
        return;
    }
    let script = "mkdir -p a b; \
        $M -t tmpfs -o size=1m,mode=700,noexec,nosuid none $D/a && grep \" $D/a \" /proc/mounts; \
        $M -o remount,ro $D/a && grep \" $D/a \" /proc/mounts; \
        $M -t tmpfs | grep -c \" $D/a \"; \
        $U $D/a; echo u1=$?; $U $D/a; echo u2=$?; \
        $M -o bind /etc $D/b && test -f $D/b/passwd && echo bound; $U -l $D/b; \
        $M -f -t tmpfs none $D/a; echo f=$?; grep -c \" $D/a \" /proc/mounts; \
        $M -t rbox-bogusfs none $D/a; echo bogus=$?; \
        $M -t tmpfs none $D/nonexistent; echo missing=$?; \
        $M -t tmpfs -o ro,mode=0755 tmpfsname $D/a && $M | grep \"on $D/a \"; $U $D/a";
    let d1 = Dir::new();
    let a = in_ns(&d1, false, script);
    assert_eq!(
        a.out(),
        "none DIR/a tmpfs rw,nosuid,noexec,relatime,size=1024k,mode=700 0 0\n\
         none DIR/a tmpfs ro,nosuid,noexec,relatime,size=1024k,mode=700 0 0\n1\nu1=0\nu2=1\nbound\nf=0\n0\nbogus=255\nmissing=255\n\
         tmpfsname on DIR/a type tmpfs (ro,relatime,mode=755)\n"
    );
    assert_eq!(
        a.err(),
        "umount: can't unmount DIR/a: Invalid argument\nmount: mounting none on DIR/a failed: No such device\n\
         mount: mounting none on DIR/nonexistent failed: No such file or directory\n"
    );
    if has_busybox() {
        let d2 = Dir::new();
        let b = in_ns(&d2, true, script);
        assert_eq!((a.code, a.out(), a.err()), (b.code, b.out(), b.err()));
    }
}

#[test]
fn fstab_and_all() {
    if !ns_ok() {
        return;
    }
    let d = Dir::new();
    d.mkdir("a");
    d.mkdir("b");
    d.mkdir("c");
    let p = d.path.display();
    d.write(
        "fstab",
        format!(
            "# comment\nt1 {p}/a tmpfs size=2m 0 0\nt2 {p}/b tmpfs noauto,mode=711 0 0\nt3 {p}/c tmpfs rw,mode=700 0 0\n/dev/none none swap sw 0 0\n"
        ),
    );
    let script = "$M -a -T $D/fstab; echo a=$?; $M | grep \"on $D/\" | sort; \
        $M -T $D/fstab $D/b && $M | grep \"on $D/b \"; $M -T $D/fstab $D/zzz; echo nf=$?; \
        $U -a -t tmpfs 2>/dev/null; grep -c \" $D/\" /proc/mounts; \
        $M -a -T $D/fstab -O mode=700; $M | grep -c \"on $D/\"";
    let o = in_ns(&d, false, script);
    assert_eq!(
        o.out(),
        "a=0\nt1 on DIR/a type tmpfs (rw,relatime,size=2048k)\nt3 on DIR/c type tmpfs (rw,relatime,mode=700)\n\
         t2 on DIR/b type tmpfs (rw,relatime,mode=711)\nnf=255\n0\n1\n"
    );
    assert_eq!(o.err(), "mount: can't find DIR/zzz in DIR/fstab\n");
}

#[test]
fn loop_files() {
    if !ns_ok() || !std::path::Path::new("/sbin/mkfs.ext2").exists() {
        eprintln!("loop test skipped (needs mkfs.ext2)");
        return;
    }
    let d = Dir::new();
    let img = d.join("img");
    std::fs::File::create(&img)
        .unwrap()
        .set_len(4 << 20)
        .unwrap();
    let ok = Command::new("/sbin/mkfs.ext2")
        .arg("-q")
        .arg(&img)
        .status()
        .unwrap()
        .success();
    assert!(ok);
    let script = "mkdir m; $M $D/img $D/m && grep -c \"^/dev/loop[0-9]* $D/m ext2 rw\" /proc/mounts; touch m/f && test -f m/f && echo 1; \
        $U -d $D/m; echo u=$?; $M -o loop,ro $D/img $D/m && grep -c \" $D/m ext2 ro\" /proc/mounts; $U -d $D/m";
    in_ns(&d, false, script).ok("1\n1\nu=0\n1\n");
}

#[test]
fn usage_errors() {
    run("mount", &["a", "b", "c"]).fails_with(1, "rbox v");
    run("umount", &[]).fails_with(1, "rbox v");
    run("mount", &["-x"]).fails_with(1, "mount: invalid option -- 'x'");
}
