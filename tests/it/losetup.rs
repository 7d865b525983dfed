//! losetup against BusyBox: every device the test attaches it detaches again.

use crate::common::*;

fn ok() -> bool {
    let runner = std::env::var_os("RBOX_TEST_RUNNER").is_some_and(|r| !r.is_empty());
    if runner
        || unsafe { libc::geteuid() } != 0
        || !std::path::Path::new("/dev/loop-control").exists()
    {
        eprintln!("loop device test skipped");
        return false;
    }
    true
}

#[test]
fn attach_show_detach() {
    if !ok() {
        return;
    }
    let d = Dir::new();
    let img = d.write("img", vec![0u8; 1 << 20]).display().to_string();
    let free = run("losetup", &["-f"]);
    assert!(free.out().starts_with("/dev/loop"), "{free:?}");
    let dev = free.out().trim().to_string();
    if has_busybox() {
        assert_eq!(bb("losetup").arg("-f").run().out(), free.out());
    }
    run("losetup", &["-o", "512", "-r", &dev, &img]).ok("");
    run("losetup", &[&dev]).ok(format!("{dev}: 512 {img}\n"));
    same("losetup", &[&dev], b"", |_| {});
    assert!(run("losetup", &["-a"])
        .out()
        .contains(&format!("{dev}: 512 {img}\n")));
    run("losetup", &["-c", &dev]).ok("");
    run("losetup", &["-d", &dev]).ok("");
    same("losetup", &[&dev], b"", |_| {});
    same("losetup", &["-d", &dev], b"", |_| {});
    // -f FILE: the next free one, silently.
    let next = run("losetup", &["-f"]).out().trim().to_string();
    run("losetup", &["-f", &img]).ok("");
    run("losetup", &[&next]).ok(format!("{next}: 0 {img}\n"));
    run("losetup", &["-d", &next]).ok("");
    same("losetup", &["-f", "/nonexistent-rbox"], b"", |_| {});
    run("losetup", &[]).fails_with(1, "rbox v");
}
