use crate::common::*;

fn tree(d: &Dir) {
    d.write("d/f", vec![7u8; 5000]);
    d.write("d/e/g", vec![1u8; 100]);
    d.write("d/x/big", vec![2u8; 300_000]);
    d.write("d/empty", "");
    d.write("d/sp ace", "x");
    std::fs::hard_link(d.join("d/f"), d.join("d/hard")).unwrap();
    let f = std::fs::File::create(d.join("d/sparse")).unwrap();
    f.set_len(10 << 20).unwrap();
    std::os::unix::fs::symlink("e", d.join("d/le")).unwrap();
    std::os::unix::fs::symlink("nowhere", d.join("d/dang")).unwrap();
    std::os::unix::fs::symlink("d", d.join("ld")).unwrap();
}

#[test]
fn like_busybox() {
    let args: &[&[&str]] = &[
        &[],
        &["d"],
        &["-a", "d"],
        &["-b", "d"],
        &["-ab", "d"],
        &["-hb", "d"],
        &["-a", "-l", "d"],
        &["-m", "d"],
        &["-k", "d"],
        &["-h", "-c", "d", "d"],
        &["-c", "d/f", "d/hard"],
        &["-cl", "d/f", "d/hard"],
        &["-d", "0", "d"],
        &["-d", "1", "-a", "d"],
        &["-s", "-d", "1", "d"],
        &["-d", "1", "-s", "d"],
        &["-k", "d/f", "nope"],
        &["-bk", "d"],
        &["-bm", "d"],
        &["-mh", "d"],
        &["-hm", "d"],
        &["-x", "d"],
        &["-L", "d"],
        &["-La", "d"],
        &["ld"],
        &["-L", "ld"],
        &["-d", "x", "d"],
        &["-z"],
        &["-sh", "d", "d/x"],
        &["-a", "d/"],
        &["-ah", "d"],
        &["d/empty", "d/sparse"],
    ];
    for a in args {
        same("du", a, b"", tree);
    }
}

#[test]
fn h_follows_only_the_named_link() {
    // BusyBox 1.35 turns -H into -L below a followed root symlink (so it reports ld/dang);
    // rbox follows only the named link, as POSIX and GNU do.
    let d = Dir::new();
    tree(&d);
    let o = d.cmd("du").args(["-H", "ld"]).run();
    assert_eq!((o.code, o.err().as_str()), (0, ""));
    let names: Vec<&str> = o
        .out()
        .leak()
        .lines()
        .filter_map(|l| l.split('\t').nth(1))
        .collect();
    assert_eq!(names, ["ld/x", "ld/e", "ld"]);
}

#[test]
fn loops_under_l() {
    let d = Dir::new();
    d.mkdir("L/b");
    std::os::unix::fs::symlink("..", d.join("L/b/up")).unwrap();
    // Without -l the loop's target is a directory already counted: BusyBox and rbox skip
    // it silently.
    same("du", &["-L", "L"], b"", |d| {
        d.mkdir("L/b");
        std::os::unix::fs::symlink("..", d.join("L/b/up")).unwrap();
    });
    // With -l BusyBox descends until the path is too long (dozens of lines); rbox reports
    // the loop once.
    let o = d.cmd("du").args(["-Ll", "L"]).run();
    assert_eq!(o.code, 1);
    assert_eq!(
        o.err(),
        "du: File system loop detected; 'L/b/up' is part of the same file system loop as 'L'.\n"
    );
    assert_eq!(o.out().lines().count(), 2);
}
