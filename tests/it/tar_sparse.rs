//! tar: GNU sparse members (old GNU `S` with extension headers, pax GNU.sparse.* versions
//! 0.0, 0.1 and 1.0) as GNU tar writes them: extracted byte for byte as GNU tar extracts
//! them, holes left as holes (same st_blocks), listed with the real size and name; and
//! hostile sparse maps, each refused with the member's name and nothing left behind.
//! BusyBox has no sparse support: GNU is the reference.

use crate::common::*;
use crate::tar::{have, sh};

const FORMATS: [&str; 4] = [
    "gnu",
    "pax --sparse-version=0.0",
    "pax --sparse-version=0.1",
    "pax --sparse-version=1.0",
];

/// Sparse files: 100 MB with three data blocks, 60 data regions (more than the old GNU
/// header's 4 and an extension block's 21), data up to the end, all hole, a long name,
/// and a dense file (not sparse at all).
fn sparse_tree(d: &Dir) {
    let long = "x".repeat(150);
    let o = sh(
        d,
        &format!(
            "mkdir s && truncate -s 100M s/big && \
             for at in 4096 50000000 99999000; do printf data | dd of=s/big bs=1 seek=$at conv=notrunc 2>/dev/null; done && \
             truncate -s 20M s/many && \
             for i in $(seq 1 60); do printf \"D$i\" | dd of=s/many bs=1 seek=$((i*300000+i)) conv=notrunc 2>/dev/null; done && \
             truncate -s 1M s/enddata && printf END >> s/enddata && \
             truncate -s 7M s/hole && \
             truncate -s 3M s/{long} && printf Q | dd of=s/{long} bs=1 seek=2000000 conv=notrunc 2>/dev/null && \
             head -c 100000 /dev/urandom > s/dense && touch -d @1000000000 s/*"
        ),
    );
    assert_eq!(o.code, 0, "{}", o.err());
}

#[test]
fn sparse_extracted_as_gnu_extracts() {
    if !have("tar") {
        return;
    }
    let d = Dir::new();
    sparse_tree(&d);
    for fmt in FORMATS {
        // GNU's own extraction is the reference: same bytes, same blocks allocated.
        let o = sh(
            &d,
            &format!(
                "rm -rf a.tar g r && tar --sparse --format={fmt} --sort=name -cf a.tar s && mkdir g r && \
                 tar xf a.tar -C g && $T xf a.tar -C r && \
                 for f in s/*; do cmp g/$f r/$f && echo $(stat -c '%s %b' g/$f) $(stat -c '%s %b' r/$f); done"
            ),
        );
        assert_eq!((fmt, o.code, o.err()), (fmt, 0, String::new()));
        for l in o.out().lines() {
            let v: Vec<&str> = l.split(' ').collect();
            assert_eq!((fmt, v[0], v[1]), (fmt, v[2], v[3]), "size, blocks: {l}");
        }
        assert_eq!(o.out().lines().count(), 6, "{fmt}: {}", o.out());
        // Holes are holes: 100 MB in a few KB of disk.
        let o = sh(&d, "du -k r/s/big | cut -f1");
        let kb: u64 = o.out().trim().parse().unwrap();
        assert!(kb < 1024, "{fmt}: {kb} KiB allocated");
        // Listing: the real size and the real name, as GNU lists them.
        let o = sh(
            &d,
            "tar tvf a.tar | awk '{print $3, $6}' && echo -- && $T tvf a.tar | awk '{print $3, $6}'",
        );
        let out = o.out();
        let (g, r) = out.split_once("--\n").unwrap();
        assert_eq!((fmt, g), (fmt, r));
        assert!(r.contains("104857600 s/big\n"), "{fmt}: {r}");
        // -O: the holes as zeros.
        let o = sh(
            &d,
            "cat s/enddata s/hole > ref && $T xOf a.tar s/many | cmp - s/many && \
             $T xOf a.tar s/hole s/enddata | cmp - ref && echo same",
        );
        assert_eq!(
            (fmt, o.out(), o.err()),
            (fmt, "same\n".into(), String::new())
        );
    }
}

#[test]
fn sparse_with_other_options() {
    // Member selection and --strip-components apply to the real name; -k keeps a file.
    if !have("tar") {
        return;
    }
    let d = Dir::new();
    sparse_tree(&d);
    let o = sh(
        &d,
        "tar --sparse --format=pax -cf a.tar s/big s/enddata && mkdir o && \
         $T xf a.tar -C o --strip-components=1 s/big && ls o && cmp o/big s/big && \
         echo keep > o/enddata && $T xkf a.tar -C o --strip-components=1; echo rc=$?; cat o/enddata",
    );
    assert_eq!(o.out(), "big\nrc=1\nkeep\n", "{}", o.err());
    assert_eq!(
        o.err(),
        "tar: can't open 'big': File exists\ntar: can't open 'enddata': File exists\n"
    );
}

/// Hostile sparse archives, written by hand (header blocks with their checksums).
const HOSTILE: &str = r#"
def num(v, n):
    return (b'%0*o' % (n - 1, v)) + b'\0'
def hdr(name, size, typ=b'S', sp=(), ext=False, real=0, magic=b'ustar  \0'):
    h = bytearray(512)
    h[0:len(name)] = name
    h[100:108] = num(0o644, 8); h[108:116] = num(0, 8); h[116:124] = num(0, 8)
    h[124:136] = num(size, 12); h[136:148] = num(1000000000, 12)
    h[156:157] = typ; h[257:265] = magic
    for i, (o, n) in enumerate(sp[:4]):
        h[386 + 24 * i:398 + 24 * i] = num(o, 12)
        h[398 + 24 * i:410 + 24 * i] = num(n, 12)
    h[482] = 1 if ext else 0
    h[483:495] = num(real, 12)
    h[148:156] = b' ' * 8
    h[148:155] = b'%06o\0' % sum(h)
    return bytes(h)
def extb(sp, more=False):
    b = bytearray(512)
    for i, (o, n) in enumerate(sp):
        b[24 * i:24 * i + 12] = num(o, 12); b[24 * i + 12:24 * i + 24] = num(n, 12)
    b[504] = 1 if more else 0
    return bytes(b)
def data(n):
    return b'D' * n + b'\0' * (-n % 512)
def pax(name, recs):
    body = b''
    for k, v in recs:
        r = b' ' + k + b'=' + v + b'\n'
        l = len(r) + 2
        while len(str(l)) + len(r) != l: l += 1
        body += str(l).encode() + r
    h = hdr(b'./PaxHeaders/' + name, len(body), b'x', magic=b'ustar\x0000')
    return h + body + b'\0' * (-len(body) % 512)
def plain(name, size):
    return hdr(name, size, b'0', magic=b'ustar\x0000')
def v1(name, real):
    return pax(name, [(b'GNU.sparse.major', b'1'), (b'GNU.sparse.minor', b'0'), (b'GNU.sparse.name', name), (b'GNU.sparse.realsize', real)])
def v0(name, recs):
    return pax(name, recs)
END = b'\0' * 1024
cases = {
 'past_size': hdr(b'past', 512, sp=[(4096, 512)], real=1000) + data(512),
 'overlap': hdr(b'overlap', 1024, sp=[(0, 512), (256, 512)], real=4096) + data(1024),
 'unsorted': hdr(b'unsorted', 1024, sp=[(2048, 512), (0, 512)], real=4096) + data(1024),
 'sum': hdr(b'sum', 1024, sp=[(0, 512)], real=4096) + data(1024),
 'ext_unsorted': hdr(b'extuns', 1024, sp=[(2048, 512)], ext=True, real=8192) + extb([(0, 512)]) + data(1024),
 'ext_cut': hdr(b'extcut', 512, sp=[(0, 512)], ext=True, real=4096),
 'ext_endless': hdr(b'endless', 0, sp=[(0, 0)], ext=True, real=4096) + extb([(0, 0)] * 21, True) * 13000,
 'ext_overflow': hdr(b'extover', 0, sp=[(0o77777777777, 0o77777777777)], real=0o77777777777),
 'v1_huge_count': v1(b'huge', b'4096') + plain(b'GNUSparseFile.1/huge', 1024) + b'99999999999999999\n0\n512\n'.ljust(512, b'\0') + data(512),
 'v1_cut': v1(b'cut', b'4096') + plain(b'GNUSparseFile.1/cut', 20) + b'3\n0\n512\n1024\n'.ljust(512, b'\0'),
 'v1_digits': v1(b'dig', b'4096') + plain(b'GNUSparseFile.1/dig', 1024) + (b'1\n' + b'9' * 30 + b'\n512\n').ljust(512, b'\0') + data(512),
 'v1_garbage': v1(b'garb', b'4096') + plain(b'GNUSparseFile.1/garb', 1024) + b'1\n0x\n512\n'.ljust(512, b'\0') + data(512),
 'v1_past': v1(b'v1past', b'100') + plain(b'GNUSparseFile.1/v1past', 1024) + b'1\n0\n512\n'.ljust(512, b'\0') + data(512),
 'v1_input_cut': v1(b'icut', b'4096') + plain(b'GNUSparseFile.1/icut', 1024) + b'1\n0\n5',
 'v01_odd': v0(b'odd', [(b'GNU.sparse.size', b'4096'), (b'GNU.sparse.numblocks', b'1'), (b'GNU.sparse.map', b'0,512,1024')]) + plain(b'odd', 512) + data(512),
 'v01_count': v0(b'cnt', [(b'GNU.sparse.size', b'4096'), (b'GNU.sparse.numblocks', b'1000000000'), (b'GNU.sparse.map', b'0,512')]) + plain(b'cnt', 512) + data(512),
 'v01_overlap': v0(b'ov1', [(b'GNU.sparse.size', b'4096'), (b'GNU.sparse.numblocks', b'2'), (b'GNU.sparse.map', b'0,512,511,1')]) + plain(b'ov1', 513) + data(513),
 'v00_order': v0(b'ord', [(b'GNU.sparse.size', b'4096'), (b'GNU.sparse.numblocks', b'1'), (b'GNU.sparse.numbytes', b'512'), (b'GNU.sparse.offset', b'0')]) + plain(b'ord', 512) + data(512),
 'v00_past': v0(b'p0', [(b'GNU.sparse.size', b'100'), (b'GNU.sparse.numblocks', b'1'), (b'GNU.sparse.offset', b'0'), (b'GNU.sparse.numbytes', b'512')]) + plain(b'p0', 512) + data(512),
 'v00_nosize': v0(b'nosz', [(b'GNU.sparse.numblocks', b'1'), (b'GNU.sparse.offset', b'0'), (b'GNU.sparse.numbytes', b'512')]) + plain(b'nosz', 512) + data(512),
}
import sys
for k, v in cases.items():
    # Archives cut short end there; the others have their end blocks.
    open(sys.argv[1] + '/' + k + '.tar', 'wb').write(v if k.endswith('_cut') else v + END)
"#;

/// Each hostile archive's member name and message.
const EXPECT: &[(&str, &str, &str)] = &[
    ("past_size", "past", "invalid sparse archive member"),
    ("overlap", "overlap", "invalid sparse archive member"),
    ("unsorted", "unsorted", "invalid sparse archive member"),
    ("sum", "sum", "invalid sparse archive member"),
    ("ext_unsorted", "extuns", "invalid sparse archive member"),
    ("ext_cut", "extcut", "short read"),
    ("ext_endless", "endless", "invalid sparse archive member"),
    ("ext_overflow", "extover", "invalid sparse archive member"),
    ("v1_huge_count", "huge", "invalid sparse archive member"),
    ("v1_cut", "cut", "invalid sparse archive member"),
    ("v1_digits", "dig", "invalid sparse archive member"),
    ("v1_garbage", "garb", "invalid sparse archive member"),
    ("v1_past", "v1past", "invalid sparse archive member"),
    ("v1_input_cut", "icut", "short read"),
    ("v01_odd", "odd", "invalid sparse archive member"),
    ("v01_count", "cnt", "invalid sparse archive member"),
    ("v01_overlap", "ov1", "invalid sparse archive member"),
    ("v00_order", "ord", "invalid sparse archive member"),
    ("v00_past", "p0", "invalid sparse archive member"),
    ("v00_nosize", "nosz", "invalid sparse archive member"),
];

#[test]
fn hostile_sparse_maps_refused_with_the_member_name() {
    // Offsets past the size, overlapping or unsorted pieces, counts in the billions,
    // numbers too long, maps cut short or not matching the data: an error naming the
    // member, status 1, no panic, no big allocation, and nothing left in the target.
    if !have("python3") {
        return;
    }
    let d = Dir::new();
    d.mkdir("h");
    let o = std::process::Command::new("python3")
        .args(["-c", HOSTILE, "h"])
        .current_dir(&d.path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (file, name, msg) in EXPECT {
        for mode in ["xf", "tf", "xOf"] {
            let o = sh(
                &d,
                &format!(
                    "rm -rf o && mkdir o && cd o && $T {mode} ../h/{file}.tar; echo rc=$?; ls -A"
                ),
            );
            assert_eq!(
                (file, mode, o.out(), o.err()),
                (file, mode, "rc=1\n".into(), format!("tar: {name}: {msg}\n"))
            );
        }
    }
}
