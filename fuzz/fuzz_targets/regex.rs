//! The regex engine on an arbitrary pattern and haystack: compiling returns Ok or Err, and
//! every way of asking for a match agrees (lazy DFA, anchored DFA, Pike VM, backtracker),
//! with positions inside the haystack. Never a panic, never unbounded work.
//!
//! Input: one byte of flags, one byte of pattern length, the pattern, the haystack.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rbox::regex::{self, Flags};

fuzz_target!(|data: &[u8]| {
    let [f, n, rest @ ..] = data else { return };
    let n = (*n as usize).min(rest.len());
    let (pat, hay) = rest.split_at(n);
    let hay = &hay[..hay.len().min(512)];
    // ERE, ICASE, NEWLINE, NOSUB, LINES, WHOLE, WORD.
    let flags = Flags(f & 0x7f);
    let Ok(re) = regex::compile(pat, flags) else { return };
    let any = re.is_match(hay);
    let m = re.find_at(hay, 0, false);
    if re.error().is_some() {
        return; // a back-reference search ran out of its bound: "no match", reported
    }
    assert_eq!(any, m.is_some(), "is_match and find_at disagree");
    let span = re.find_span(hay, 0, false);
    if re.error().is_some() {
        return;
    }
    assert_eq!(span, m.and_then(|m| m.get(0)), "find_span and find_at disagree");
    if let Some(m) = m {
        let (s, e) = m.get(0).expect("a match has a span");
        assert!(s <= e && e <= hay.len());
        for i in 1..10 {
            if let Some((a, b)) = m.get(i) {
                assert!(a <= b && b <= hay.len(), "group {i} out of the haystack");
            }
        }
        // Searching again from inside the text never panics, with either start flag.
        for start in [s, e, e.saturating_add(1).min(hay.len())] {
            let _ = re.find_at(hay, start, true);
            let _ = re.find_span(hay, start, start > 0);
            let _ = re.find_any_at(hay, start);
        }
    }
});
