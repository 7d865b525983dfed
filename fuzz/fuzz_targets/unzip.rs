//! The zip reader on arbitrary bytes (as a file: it seeks): the central directory walk and
//! every member's data (stored or inflated, CRC and length checked) must end in Ok or Err,
//! never a panic, a hang or unbounded memory, whatever the sizes and offsets claim.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rbox::zip;

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
    let fd = scratch(data);
    if let Ok(mut z) = zip::Archive::open(fd) {
        let mut n = 0;
        while let Ok(Some(e)) = z.next_entry() {
            let mut out = 0u64;
            let _ = zip::data(fd, &e, &mut |b| {
                out += b.len() as u64;
                Ok(())
            });
            assert!(out <= e.usize);
            n += 1;
            if n > 10_000 {
                break;
            }
        }
    }
});
