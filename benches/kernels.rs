//! Micro-benchmarks of the core's hot kernels (`cargo bench`; `cargo bench -- NAME` for one).
//! Whole-process comparisons with BusyBox are `make bench`. A later kernel (sort's
//! comparators, regex, hashing, shell expansion) adds a function here and a name in the
//! `criterion_group!` list at the end.

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use rbox::cx::Out;
use rbox::io::{Input, Lines};
use rbox::{sys, Cx};
use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::io::IntoRawFd;
use std::path::PathBuf;
use std::time::Duration;

/// A seeded text file of about `size` bytes (lines of 0-120 bytes), made once per run.
fn text_file(size: usize) -> PathBuf {
    let path = std::env::temp_dir().join(format!("rbox-bench-{}-{size}.txt", std::process::id()));
    let words: &[&[u8]] = &[
        b"the", b"quick", b"brown", b"fox", b"1234567", b"jumps", b"over", b"lazy", b"dog,",
        b"busybox", b"x", b"rbox",
    ];
    let mut s: u64 = 0x2545_f491_4f6c_dd1d;
    let mut buf = Vec::with_capacity(size + 200);
    while buf.len() < size {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        for i in 0..(s % 20) {
            buf.extend_from_slice(words[((s >> (i * 3)) % words.len() as u64) as usize]);
            buf.push(b' ');
        }
        buf.push(b'\n');
    }
    let mut f = std::fs::File::create(&path).expect("temp file");
    f.write_all(&buf).expect("temp file");
    path
}

fn dev_null() -> i32 {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/null")
        .expect("/dev/null")
        .into_raw_fd()
}

fn lookup(c: &mut Criterion) {
    let names: Vec<&str> = rbox::applets::APPLETS.iter().map(|a| a.name).collect();
    c.bench_function("lookup/every applet", |b| {
        b.iter(|| {
            for n in &names {
                black_box(rbox::find(black_box(n.as_bytes())));
            }
        })
    });
    c.bench_function("lookup/missing", |b| {
        b.iter(|| rbox::find(black_box(b"no-such-applet")))
    });
}

fn getopt(c: &mut Criterion) {
    let cx = Cx::new("bench", rbox::Help::NONE);
    let argv: Vec<&OsStr> = [
        "ls",
        "-la",
        "--color=never",
        "-w80",
        "dir1",
        "-t",
        "--",
        "-x",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let longs = [("color", 1u8), ("all", b'a'), ("width", b'w')];
    c.bench_function("getopt/ls-like", |b| {
        b.iter(|| {
            cx.getopt(black_box(&argv), "1aAlLtw:\u{1}::", &longs)
                .map(|o| o.args.len())
        })
    });
}

fn writer(c: &mut Criterion) {
    let fd = dev_null();
    let mut g = c.benchmark_group("out");
    const N: u64 = 100_000;
    g.throughput(Throughput::Elements(N));
    g.bench_function("line of 16 bytes", |b| {
        let mut out = Out::new(fd);
        b.iter(|| {
            for _ in 0..N {
                out.line(black_box(b"0123456789abcde"));
            }
            out.flush();
        })
    });
    g.bench_function("number", |b| {
        let mut out = Out::new(fd);
        b.iter(|| {
            for i in 0..N {
                out.num(black_box(i * 7919));
                out.byte(b'\n');
            }
            out.flush();
        })
    });
    g.finish();
}

const FILE_SIZE: usize = 16 << 20;

fn lines(c: &mut Criterion) {
    let path = text_file(FILE_SIZE);
    let mut g = c.benchmark_group("io");
    g.throughput(Throughput::Bytes(FILE_SIZE as u64));
    g.bench_function("Lines (memchr)", |b| {
        b.iter_batched(
            || Input::open(path.as_os_str()).expect("input"),
            |input| {
                let mut l = Lines::new(input);
                let mut n = 0usize;
                while let Ok(Some(line)) = l.next_line() {
                    n += line.len();
                }
                n
            },
            BatchSize::PerIteration,
        )
    });
    let out = dev_null();
    g.bench_function("read/write loop (baseline)", |b| {
        b.iter_batched(
            || Input::open(path.as_os_str()).expect("input"),
            |mut input| copy_loop(&mut input, out),
            BatchSize::PerIteration,
        )
    });
    // cat's own copy kernel (copy_file_range / sendfile / splice, read/write fallback).
    #[cfg(feature = "cat")]
    g.bench_function("cat copy path", |b| {
        b.iter_batched(
            || Input::open(path.as_os_str()).expect("input"),
            |input| rbox::applets::a_cat::copy_fd(input.fd(), out).ok(),
            BatchSize::PerIteration,
        )
    });
    g.finish();
    let _ = std::fs::remove_file(path);
}

/// A plain read/write loop with a 64 KiB buffer: the baseline cat's copy path must beat.
fn copy_loop(input: &mut Input, fd: i32) -> usize {
    let mut buf = vec![0u8; 64 * 1024];
    let mut n = 0;
    while let Ok(k) = input.read(&mut buf) {
        if k == 0 || sys::write_all(fd, &buf[..k]).is_err() {
            break;
        }
        n += k;
    }
    n
}

criterion_group! {
    name = kernels;
    // Short runs: these are for spotting regressions, `make bench` is the headline.
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    targets = lookup, getopt, writer, lines
}
criterion_main!(kernels);
