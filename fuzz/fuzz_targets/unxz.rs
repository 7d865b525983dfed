//! The .xz decoder (lzma-rust2's XzStream under rbox's stream and padding loop), with a 64 MiB memory limit on arbitrary bytes: Ok or Err, never a panic or a hang, and the output
//! bounded (a bomb is streamed: each piece is a block at most).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rbox::compress::Fail;

fuzz_target!(|data: &[u8]| {
    let mut src: &[u8] = data;
    let mut total = 0u64;
    let mut sink = |b: &[u8]| -> Result<(), Fail> {
        assert!(b.len() <= 1 << 17);
        total += b.len() as u64;
        // Stop a long (legitimate) bomb early: time, not correctness, is at stake there.
        if total > 1 << 28 {
            return Err(Fail::Write(0));
        }
        Ok(())
    };
    let _ = rbox::xz::decode_xz(&mut src, &mut sink, 64 << 10);
});
