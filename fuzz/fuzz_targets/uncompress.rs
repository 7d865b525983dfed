//! The LZW (.Z) decoder on arbitrary bytes: Ok or Err, never a panic or a hang; output is
//! bounded by what LZW can expand (a 16-bit code stands for at most 64 Ki bytes).
#![no_main]

use libfuzzer_sys::fuzz_target;

/// One unlinked scratch file per process, refilled with each input: the readers take a
/// descriptor (zip seeks), and the fuzz crate has no libc of its own for a memfd.
fn scratch(data: &[u8]) -> i32 {
    use std::io::{Seek, SeekFrom, Write};
    use std::os::fd::AsRawFd;
    static F: std::sync::OnceLock<std::fs::File> = std::sync::OnceLock::new();
    let f = F.get_or_init(|| {
        let p = std::env::temp_dir().join(format!("rbox-fuzz-{}", std::process::id()));
        let f = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(true).open(&p).unwrap();
        let _ = std::fs::remove_file(&p);
        f
    });
    let mut w = f;
    w.set_len(0).unwrap();
    w.seek(SeekFrom::Start(0)).unwrap();
    w.write_all(data).unwrap();
    w.seek(SeekFrom::Start(0)).unwrap();
    f.as_raw_fd()
}

fuzz_target!(|data: &[u8]| {
    let mut z = vec![0x1f, 0x9d];
    z.extend_from_slice(data);
    let fd = scratch(&z);
    let mut out = 0u64;
    let _ = rbox::lzw::decode(fd, &mut |b| {
        out += b.len() as u64;
        Ok(())
    });
    assert!(out <= (data.len() as u64 * 8 / 9 + 1) * 65536);
});
