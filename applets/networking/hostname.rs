//! applet: hostname dnsdomainname
//! dir: bin
//! usage: hostname [-sidf] [HOSTNAME | -F FILE]
//! Show or set hostname or DNS domain name
//!
//! -s  Short
//! -i  Addresses for the hostname
//! -d  DNS domain name
//! -f  Fully qualified domain name
//! -F FILE  Use FILE's content as hostname

// -f -d -i look the name up as BusyBox's gethostbyname does (IPv4), through rbox's
// resolver: the hosts file, then DNS with the search list.

use crate::dns::{self, Error};
use crate::{sys, Cx, Res};
use std::ffi::OsStr;
use std::net::IpAddr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "dfisF:v", &[("domain", b'd'), ("fqdn", b'f'), ("file", b'F')])?;
    let mut name = dns::conf::local_hostname();
    if name.is_empty() {
        name = b"?".to_vec(); // BusyBox's safe_gethostname
    }
    let (d, f, i, s) = if cx.name == "dnsdomainname" {
        (true, false, false, false)
    } else {
        (o.has(b'd'), o.has(b'f'), o.has(b'i'), o.has(b's'))
    };
    if d || f || i {
        let mut r = dns::Resolver::new();
        let a = match r.lookup(&name, dns::Family::V4) {
            Ok(a) => a,
            Err(e) => {
                // glibc's hstrerror texts, as BusyBox's bb_herror_msg prints them.
                let why: &[u8] = match e {
                    Error::NxDomain => b"Unknown host",
                    Error::NoAnswer => b"No address associated with name",
                    _ => b"Host name lookup failure",
                };
                return Err(cx.fail(&[&name, b": ", why]));
            }
        };
        let full = &a.name;
        let dot = full.iter().position(|&c| c == b'.');
        if f {
            cx.out.line(full);
        } else if s {
            cx.out.line(&full[..dot.unwrap_or(full.len())]);
        } else if d {
            if let Some(p) = dot {
                cx.out.line(&full[p + 1..]);
            }
        } else {
            let mut line = Vec::new();
            for ip in a.addrs.iter().filter(|a| a.is_ipv4()) {
                if !line.is_empty() {
                    line.push(b' ');
                }
                if let IpAddr::V4(v) = ip {
                    let _ = std::io::Write::write_fmt(&mut line, format_args!("{v}"));
                }
            }
            cx.out.line(&line);
        }
    } else if s {
        let end = name.iter().position(|&c| c == b'.').unwrap_or(name.len());
        cx.out.line(&name[..end]);
    } else if let Some(file) = o.val(b'F') {
        // Every line's first word (comments skipped) is set in turn: the last one stays.
        let text = match std::fs::read(file) {
            Ok(t) => t,
            Err(e) => {
                cx.err_open(file, sys::errno_of(&e));
                return Err(crate::Fail(1));
            }
        };
        for l in text.split(|&c| c == b'\n') {
            // A `#` anywhere starts a comment, as in BusyBox's config parser.
            let l = l.split(|&c| c == b'#').next().unwrap_or_default();
            if let Some(w) = l.split(|c| matches!(c, b' ' | b'\t')).find(|w| !w.is_empty()) {
                set(cx, w)?;
            }
        }
    } else if let Some(n) = o.args.first() {
        set(cx, n.as_bytes())?;
    } else {
        cx.out.line(&name);
    }
    Ok(0)
}

fn set(cx: &Cx, name: &[u8]) -> Res<()> {
    // SAFETY: name is a valid buffer of name.len() bytes.
    if unsafe { libc::sethostname(name.as_ptr().cast(), name.len()) } != 0 {
        return Err(cx.fail_no(b"sethostname", sys::errno()));
    }
    Ok(())
}
