//! The tar reader on arbitrary bytes: headers (checksums, octal and base-256 numbers, ustar
//! prefixes), GNU long names/links, pax records and GNU sparse maps (old `S` headers and
//! their extension blocks, pax GNU.sparse.* 0.0/0.1/1.0) must give members or an error,
//! never a panic, a hang or unbounded memory (long names and pax headers are capped at
//! MAX_META, sparse maps at MAX_SPARSE entries).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rbox::tar::{self, Member, Reader};

fuzz_target!(|data: &[u8]| {
    let mut r = Reader::new(data);
    let mut m = Member::default();
    let mut out = Vec::new();
    for _ in 0..10_000 {
        match r.next(&mut m) {
            Ok(true) => {}
            _ => break,
        }
        assert!(m.name.len() as u64 <= tar::MAX_META && m.link.len() as u64 <= tar::MAX_META);
        out.clear();
        tar::escape(&mut out, &m.name, true);
        assert!(out.iter().all(|&c| c >= 0x20 && c != 0x7f));
        // Pieces in order, inside the (real) size: a sparse map is checked before use.
        let (mut got, mut end) = (0u64, 0u64);
        while let Ok(Some((at, d))) = r.data_at() {
            assert!(at >= end && !d.is_empty());
            end = at + d.len() as u64;
            assert!(end <= m.size);
            got += d.len() as u64;
        }
        assert!(got <= m.size);
        // What was read writes back and reads again the same.
        let mut w = Vec::new();
        tar::write_header(&mut w, &m);
        w.resize(w.len() + 1024 + m.size.min(1 << 16) as usize, 0);
        let mut back = Member::default();
        let plain = !m.name.contains(&0) && !m.link.contains(&0) && m.name.last() != Some(&b'/');
        if plain && m.size <= 1 << 16 && Reader::new(&w[..]).next(&mut back) == Ok(true) {
            assert_eq!((&back.name, &back.link, back.size), (&m.name, &m.link, m.size));
        }
    }
    let mut have = tar::Have::default();
    let _ = tar::parse_pax(data, &mut m, &mut have);
});
