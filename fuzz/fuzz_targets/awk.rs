//! awk's lexer and parser on arbitrary programs: Ok or a syntax error, never a panic, never
//! a hang (nesting is bounded). Programs that cannot loop, recurse, touch files, pipes or
//! commands, or name huge numbers are also run, on a tiny input with output to /dev/null:
//! their work is bounded by their size.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rbox::applets::a_awk;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::sync::OnceLock;

/// Words that could loop, recurse or reach outside (files, commands, ARGV).
const UNSAFE: &[&[u8]] = &[
    b"while", b"for", b"do", b"func", b"getline", b"system", b"close", b"fflush", b"ARGV",
    b"ARGC", b"ENVIRON", b">", b"|", b"\\",
];

fn input() -> &'static (std::path::PathBuf, i32) {
    static I: OnceLock<(std::path::PathBuf, i32)> = OnceLock::new();
    I.get_or_init(|| {
        let p = std::env::temp_dir().join(format!("rbox-fuzz-awk-{}", std::process::id()));
        std::fs::write(&p, b"a b c\n1 2 3\n\nx:y,z\n\xff\x00 tail").unwrap();
        let fd = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .map_or(-1, std::os::fd::IntoRawFd::into_raw_fd);
        (p, fd)
    })
}

fuzz_target!(|data: &[u8]| {
    let data = &data[..data.len().min(4096)];
    if a_awk::parse_program(data).is_err() {
        return;
    }
    let runnable = data.len() <= 512
        && !UNSAFE.iter().any(|w| data.windows(w.len()).any(|x| x == *w))
        && !data.windows(5).any(|w| w.iter().all(u8::is_ascii_digit));
    if !runnable {
        return;
    }
    let (path, fd) = input();
    if *fd < 0 {
        return;
    }
    let mut cx = rbox::Cx::new("awk", rbox::Help(0, 0));
    cx.out = rbox::cx::Out::new(*fd);
    let args = [OsStr::new("awk"), OsStr::new("-e"), OsStr::from_bytes(data), path.as_os_str()];
    let _ = a_awk::main(&mut cx, &args);
    cx.out.flush();
});
