//! The DNS reply parser on arbitrary bytes: it must return (Ok or Err), never panic, never
//! loop, whatever the lengths and compression pointers say.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rbox::dns::msg;

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = msg::decode(data) {
        // Decoded names are printable ASCII, always.
        for rr in &m.answers {
            assert!(rr.name.iter().all(|c| (b'!'..=b'~').contains(c)));
        }
    }
    let q = msg::query(u16::from_be_bytes([data.first().copied().unwrap_or(0), 0]), b"example.test", msg::A, true);
    if let Ok(q) = q {
        let _ = msg::answers(&q, data);
    }
    let mut n = Vec::new();
    for at in 0..data.len().min(64) {
        n.clear();
        let _ = msg::read_name(data, at, &mut n);
    }
});
