//! applet: hostid
//! usage: hostid
//! Print out a unique 32-bit identifier for the machine

// musl's gethostid() answers 0; glibc's (which Debian's BusyBox prints) reads /etc/hostid,
// else takes the host name's IPv4 address with its halves swapped. That is done here,
// with /etc/hosts for the address (no DNS).

use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::io::Write;

fn from_hosts(name: &[u8]) -> Option<u32> {
    let hosts = std::fs::read("/etc/hosts").ok()?;
    for l in hosts.split(|&c| c == b'\n') {
        let l = &l[..l.iter().position(|&c| c == b'#').unwrap_or(l.len())];
        let mut f = l.split(|c| c.is_ascii_whitespace()).filter(|s| !s.is_empty());
        let Some(addr) = f.next() else { continue };
        if !f.any(|n| n == name) {
            continue;
        }
        let mut oct = [0u8; 4];
        let mut parts = addr.split(|&c| c == b'.');
        let ok = oct.iter_mut().all(|o| {
            parts.next().and_then(crate::args::parse_u64).filter(|&n| n < 256).map(|n| *o = n as u8).is_some()
        });
        if ok && parts.next().is_none() {
            // The address in network order, read as a native word.
            return Some(u32::from_ne_bytes(oct));
        }
    }
    None
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "", &[])?;
    if !o.args.is_empty() {
        return Err(cx.usage());
    }
    let id = match std::fs::read("/etc/hostid") {
        Ok(b) if b.len() >= 4 => u32::from_ne_bytes([b[0], b[1], b[2], b[3]]),
        _ => {
            let u = sys::utsname();
            from_hosts(sys::cfield(&u.nodename)).map_or(0, |a| a.rotate_left(16))
        }
    };
    let _ = writeln!(cx.out, "{id:08x}");
    Ok(0)
}
