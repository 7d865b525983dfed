//! mkswap on the test's own files; swapon/swapoff only where they fail (a real swapon
//! would change the whole machine).

use crate::common::*;

#[test]
fn mkswap_header() {
    let d = Dir::new();
    let f = d.write("sw", vec![0xffu8; 1 << 20]);
    let o = cmd("mkswap")
        .args(["-L", "rboxlabel", &f.display().to_string()])
        .run();
    let out = o.out();
    let l: Vec<&str> = out.lines().collect();
    assert_eq!(l[0], "Setting up swapspace version 1, size = 1044480 bytes");
    assert!(
        l[1].starts_with("UUID=") && l[1].len() == 41 && &l[1][19..20] == "4",
        "{out}"
    );
    let b = std::fs::read(&f).unwrap();
    assert!(b[..1024].iter().all(|&c| c == 0));
    assert_eq!(&b[1024..1032], &[1, 0, 0, 0, 255, 0, 0, 0]);
    assert_eq!(&b[1052..1062], b"rboxlabel\0");
    assert_eq!(&b[4086..4096], b"SWAPSPACE2");
    // The UUID printed is the one written.
    let hex: String = b[1036..1052].iter().map(|x| format!("{x:02x}")).collect();
    assert_eq!(l[1][5..].replace('-', ""), hex);
    // KBYTES limits the size.
    cmd("mkswap").args([&f.display().to_string(), "512"]).run();
    assert_eq!(&std::fs::read(&f).unwrap()[1028..1032], &[127, 0, 0, 0]);
    same("mkswap", &["/nonexistent-rbox"], b"", |_| {});
    run("mkswap", &[]).fails_with(1, "rbox v");
}

#[test]
fn swapon_swapoff_errors() {
    let setup = |d: &Dir| {
        let f = std::fs::File::create(d.join("sparse")).unwrap();
        f.set_len(1 << 20).unwrap();
        d.write("full", vec![0u8; 1 << 20]);
    };
    for (applet, args) in [
        ("swapon", &["sparse"][..]),
        ("swapon", &["/nonexistent-rbox"]),
        ("swapon", &["-e", "/nonexistent-rbox"]),
        ("swapoff", &["full"]),
        ("swapoff", &["/nonexistent-rbox"]),
    ] {
        same(applet, args, b"", setup);
    }
    run("swapon", &[]).fails_with(1, "rbox v");
    run("swapoff", &[]).fails_with(1, "rbox v");
}
