//! The cpio reader (newc, crc, odc, old binary) on arbitrary bytes: headers and data must
//! end in Ok or Err, never a panic or a hang, whatever the sizes and name lengths say.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rbox::cpio::Reader;

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
    let mut r = Reader::new(fd);
    while let Ok(Some(h)) = r.next_header() {
        assert!(!h.name.contains(&0));
        if r.data(&h, &mut |_| Ok(())).is_err() {
            break;
        }
    }
    // Every cleaned name is safe below a target.
    for n in data.split(|&b| b == 0).take(16) {
        let rest = &n[rbox::extract::unsafe_prefix(n)..];
        assert!(!rest.starts_with(b"/"));
        assert!(!rest.split(|&b| b == b'/').any(|c| c == b".."));
    }
});
