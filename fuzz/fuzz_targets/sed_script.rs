//! sed's script parser on arbitrary scripts (BRE and ERE): it accepts or reports an error,
//! never panics, never loops. Files named by `w`/`R` are not opened.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rbox::applets::a_sed;

fuzz_target!(|data: &[u8]| {
    let [f, script @ ..] = data else { return };
    let script = &script[..script.len().min(4096)];
    let _ = a_sed::parse_script(script, f & 1 != 0);
});
