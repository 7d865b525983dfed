//! applet: nslookup
//! usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]
//! Query DNS about HOST
//!
//! QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any

// BusyBox's output, record by record, from rbox's resolver: EDNS0 and TCP when a reply is
// truncated (BusyBox reads 512 bytes and drops the rest), the search list of resolv.conf for
// names without a trailing dot (BusyBox has none; bind's nslookup has one), and every name
// and text escaped so DNS data cannot drive the terminal (BusyBox prints it raw).
// Also accepted, as BusyBox does: -port=N -retry=N -timeout=N, and unique prefixes of each.

use crate::dns::{self, msg, Error, Reply};
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::time::Instant;

/// Query types in BusyBox's order: with several -type=, the queries go in this order.
const QTYPES: [u16; 10] = [
    msg::SOA,
    msg::NS,
    msg::A,
    msg::AAAA,
    msg::CNAME,
    msg::MX,
    msg::TXT,
    msg::PTR,
    msg::SRV,
    msg::ANY,
];

/// BusyBox's option words; "t" is there so that `-t` is -timeout, not -type.
const OPTS: [&[u8]; 7] = [b"type", b"querytype", b"port", b"retry", b"debug", b"t", b"timeout"];

/// BusyBox's index_in_substrings: an exact match, else a unique prefix.
fn option_index(arg: &[u8]) -> Option<usize> {
    if arg.is_empty() {
        return None;
    }
    if let Some(i) = OPTS.iter().position(|o| *o == arg) {
        return Some(i);
    }
    let mut hits = OPTS.iter().enumerate().filter(|o| o.1.starts_with(arg));
    match (hits.next(), hits.next()) {
        (Some(h), None) => Some(h.0),
        _ => None,
    }
}

/// xatou_range's messages.
fn number(cx: &Cx, v: &[u8], lo: u64, hi: u64) -> Res<u64> {
    let n = crate::args::parse_u64(v).ok_or_else(|| cx.fail(&[b"invalid number '", v, b"'"]))?;
    if n < lo || n > hi {
        let mut m = Vec::new();
        let _ = write!(m, "number {n} is not in {lo}..{hi} range");
        return Err(cx.fail(&[&m]));
    }
    Ok(n)
}

/// A name for output: bytes outside printable ASCII as `\DDD`, a backslash doubled.
fn clean(s: &[u8], out: &mut Vec<u8>) {
    for &c in s {
        match c {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b' '..=b'~' => out.push(c),
            _ => {
                let _ = write!(out, "\\{c:03}");
            }
        }
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let (mut port, mut retry, mut timeout, mut debug) = (53u64, 2u64, 5u64, false);
    let mut types = 0u32;
    let mut i = 1;
    loop {
        let Some(a) = args.get(i).map(|a| a.as_bytes()) else {
            return Err(cx.usage());
        };
        let Some(arg) = a.strip_prefix(b"-") else { break };
        i += 1;
        let (key, val) = match arg.iter().position(|&c| c == b'=') {
            Some(e) => (&arg[..e], &arg[e + 1..]),
            None => (arg, &b""[..]),
        };
        match option_index(key) {
            None => return Err(cx.usage()),
            Some(0 | 1) => match QTYPES.iter().position(|&t| msg::type_by_name(val) == Some(t)) {
                Some(t) => types |= 1 << t,
                None => return Err(cx.fail(&[b"invalid query type \"", val, b"\""])),
            },
            Some(2) => port = number(cx, val, 1, 0xffff)?,
            Some(3) => retry = number(cx, val, 1, i32::MAX as u64)?,
            Some(4) => debug = true,
            Some(_) => timeout = number(cx, val, 1, i32::MAX as u64 / 1000)?,
        }
    }
    let host = args[i].as_bytes();
    let server_arg = args.get(i + 1).map(|a| a.as_bytes());
    if args.len() > i + 2 {
        return Err(cx.usage());
    }

    let mut conf = dns::Conf::load();
    // BusyBox's timing: -timeout seconds per server, -retry sends spread over it.
    conf.timeout_ms = ((timeout * 1000) / retry).max(1) as u32;
    conf.attempts = retry.min(u32::MAX as u64) as u32;
    let port = port as u16;
    let server_name: Option<&[u8]> = match server_arg {
        Some(s) => {
            let a = match dns::conf::parse_addr_port(s, port) {
                Some(a) => a,
                None => {
                    let mut r = dns::Resolver::with_conf(conf.clone());
                    match r.lookup(s, dns::Family::Any) {
                        Ok(a) if !a.addrs.is_empty() => std::net::SocketAddr::new(a.addrs[0], port),
                        _ => {
                            let mut m = Vec::new();
                            clean(s, &mut m);
                            return Err(cx.fail(&[b"bad address '", &m, b"'"]));
                        }
                    }
                }
            };
            conf.servers = vec![a];
            Some(s)
        }
        None => {
            if port != 53 {
                for s in &mut conf.servers {
                    s.set_port(port);
                }
            }
            None
        }
    };
    let r = dns::Resolver::with_conf(conf);

    // The queries: PTR for an address, else A and AAAA, or the types asked for.
    let ip = std::str::from_utf8(host).ok().and_then(|s| s.parse::<std::net::IpAddr>().ok());
    let mut queries: Vec<(Vec<u8>, u16)> = Vec::new();
    if types == 0 {
        match ip {
            Some(ip) => queries.push((msg::reverse_name(ip), msg::PTR)),
            None => {
                queries.push((host.to_vec(), msg::A));
                queries.push((host.to_vec(), msg::AAAA));
            }
        }
    } else {
        for (n, &t) in QTYPES.iter().enumerate() {
            if types & (1 << n) != 0 {
                queries.push((host.to_vec(), t));
            }
        }
    }

    let mut results = Vec::with_capacity(queries.len());
    for (name, t) in &queries {
        let start = Instant::now();
        let res = if *t == msg::PTR && ip.is_some() {
            r.query(name, *t)
        } else {
            r.search(name, *t)
        };
        if matches!(res, Err(Error::BadName)) {
            let mut m = Vec::new();
            clean(name, &mut m);
            return Err(cx.fail(&[b"bad name '", &m, b"'"]));
        }
        results.push((res, start.elapsed().as_millis()));
    }

    // The server that answered first, as BusyBox shows it before the first answer.
    let answered = results.iter().find_map(|(r, _)| match r {
        Ok(Reply { server, .. }) => Some(*server),
        Err(Error::Rcode(_, s) | Error::Malformed(s)) => Some(*s),
        _ => None,
    });
    let Some(server) = answered else {
        cx.out.write(b";; connection timed out; no servers could be reached\n\n");
        return Ok(1);
    };
    let mut o = Vec::with_capacity(4096);
    o.extend_from_slice(b"Server:\t\t");
    match server_name {
        Some(n) => clean(n, &mut o),
        None => {
            let _ = write!(o, "{}", server.ip());
        }
    }
    let _ = write!(o, "\nAddress:\t{server}\n\n");

    let mut status = 0;
    let mut unanswered = Vec::new();
    for (n, ((res, ms), (qname, _))) in results.iter().zip(&queries).enumerate() {
        let shown = |o: &mut Vec<u8>| {
            // The name as the user typed it (the PTR name for an address).
            clean(qname, o)
        };
        match res {
            Err(Error::Timeout(_) | Error::Refused(_) | Error::Io(..)) => {
                unanswered.push(n);
                continue;
            }
            _ => {}
        }
        if debug {
            let _ = writeln!(o, "Query #{n} completed in {ms}ms:");
        }
        match res {
            Ok(rep) if rep.msg.rcode() == msg::NOERROR => print_reply(&rep.msg, debug, &mut o),
            Ok(rep) => {
                o.extend_from_slice(b"** server can't find ");
                shown(&mut o);
                let _ = writeln!(o, ": {}", dns::RCODES[(rep.msg.rcode() & 15) as usize]);
                status = 1;
            }
            Err(Error::Rcode(rc, _)) => {
                o.extend_from_slice(b"** server can't find ");
                shown(&mut o);
                let _ = writeln!(o, ": {}", dns::RCODES[(rc & 15) as usize]);
                status = 1;
            }
            Err(_) => {
                o.extend_from_slice(b"*** Can't find ");
                shown(&mut o);
                o.extend_from_slice(b": Parse error\n");
                status = 1;
            }
        }
        o.push(b'\n');
    }
    for &n in &unanswered {
        o.extend_from_slice(b"*** Can't find ");
        clean(&queries[n].0, &mut o);
        o.extend_from_slice(b": No answer\n");
    }
    if !unanswered.is_empty() {
        o.push(b'\n');
    }
    cx.out.write(&o);
    Ok(status)
}

/// One reply's answer section, in BusyBox's layout.
fn print_reply(m: &msg::Msg, debug: bool, o: &mut Vec<u8>) {
    if !m.aa() {
        o.extend_from_slice(b"Non-authoritative answer:\n");
    } else if debug {
        o.extend_from_slice(b"authoritative answer:\n");
    }
    for rr in &m.answers {
        let name = &rr.name;
        match &rr.data {
            msg::Data::A(a) => {
                let _ = writeln!(o, "Name:\t{}\nAddress: {}", Bytes(name), std::net::Ipv4Addr::from(*a));
            }
            msg::Data::Aaaa(a) => {
                let _ = writeln!(o, "Name:\t{}\nAddress: {}", Bytes(name), std::net::Ipv6Addr::from(*a));
            }
            msg::Data::Name(n) => {
                let what = match rr.rtype {
                    msg::NS => "nameserver",
                    msg::CNAME => "canonical name",
                    msg::PTR => "name",
                    _ => continue,
                };
                let _ = writeln!(o, "{}\t{what} = {}", Bytes(name), Bytes(n));
            }
            msg::Data::Mx(pref, n) => {
                let _ = writeln!(o, "{}\tmail exchanger = {pref} {}", Bytes(name), Bytes(n));
            }
            msg::Data::Txt(v) => {
                // BusyBox prints the first string only, and nothing for an empty one; rbox
                // prints every string of the record, each quoted and escaped.
                if v.first().is_none_or(|s| s.is_empty()) && v.len() < 2 {
                    continue;
                }
                let _ = write!(o, "{}\ttext = ", Bytes(name));
                for (i, s) in v.iter().enumerate() {
                    if i > 0 {
                        o.push(b' ');
                    }
                    o.push(b'"');
                    msg::escape_text(s, o);
                    o.push(b'"');
                }
                o.push(b'\n');
            }
            msg::Data::Srv {
                prio,
                weight,
                port,
                target,
            } => {
                let _ = writeln!(o, "{}\tservice = {prio} {weight} {port} {}", Bytes(name), Bytes(target));
            }
            msg::Data::Soa { mname, rname, nums } => {
                let _ = writeln!(
                    o,
                    "{}\n\torigin = {}\n\tmail addr = {}\n\tserial = {}\n\trefresh = {}\n\tretry = {}\n\texpire = {}\n\tminimum = {}",
                    Bytes(name),
                    Bytes(mname),
                    Bytes(rname),
                    nums[0],
                    nums[1],
                    nums[2],
                    nums[3],
                    nums[4]
                );
            }
            msg::Data::Other(_) => {}
        }
    }
}

/// A decoded name (already escaped to printable ASCII by the decoder) for `write!`.
struct Bytes<'a>(&'a [u8]);

impl std::fmt::Display for Bytes<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        // Decoded names hold printable ASCII only; anything else would be a decoder bug,
        // and is dropped rather than printed raw.
        for &c in self.0 {
            if (b' '..=b'~').contains(&c) {
                std::fmt::Write::write_char(f, c as char)?;
            }
        }
        Ok(())
    }
}
