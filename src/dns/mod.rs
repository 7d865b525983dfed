//! rbox's resolver: names to addresses for every network applet, without libc's.
//!
//! ```text
//! let mut r = dns::Resolver::new();              // resolv.conf, LOCALDOMAIN, RES_OPTIONS
//! match r.lookup(b"example.com", dns::Family::Any) {
//!     Ok(a) => for ip in &a.addrs { ... },       // a.name: the canonical name
//!     Err(e) => cx.err(&[b"bad address '", name, b"': ", &e.text()]),
//! }
//! r.reverse(ip)                                   // PTR (or /etc/hosts) for an address
//! r.search(name, msg::MX)                         // any type, with the search list
//! r.query(name, msg::TXT)                         // any type, exactly this name
//! ```
//!
//! Layers, each tested alone: `msg` (encode and decode, no I/O), `conf` (resolv.conf and
//! hosts parsing), `net` (one query to one server over UDP or TCP), and the policy here:
//! /etc/hosts first, the search list and ndots as glibc applies them, servers in order
//! (or rotated), attempts, SERVFAIL and dead servers skipped, TC answered over TCP.

pub mod conf;
pub mod msg;
pub mod net;

pub use conf::{Conf, Hosts};
use net::NetErr;
use std::net::{IpAddr, SocketAddr};

/// Which addresses `lookup` wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// IPv4 then IPv6 addresses.
    Any,
    V4,
    V6,
}

/// Why a lookup failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The name does not exist.
    NxDomain,
    /// The name exists but has no record of the type asked.
    NoAnswer,
    /// The last server asked answered with this error rcode (SERVFAIL, REFUSED...).
    Rcode(u8, SocketAddr),
    /// The last server asked did not answer in time.
    Timeout(SocketAddr),
    /// The last server asked refused the connection (nothing listening).
    Refused(SocketAddr),
    /// The last server asked sent a reply that could not be decoded.
    Malformed(SocketAddr),
    /// The name cannot be put in a query (empty label, label over 63, over 255 bytes).
    BadName,
    /// A socket error talking to that server.
    Io(i32, SocketAddr),
}

/// Names of the rcodes, as BusyBox's nslookup prints them.
pub const RCODES: [&str; 16] = [
    "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET",
    "NXRRSET", "NOTAUTH", "NOTZONE", "11", "12", "13", "14", "15",
];

impl Error {
    /// The reason in words, with the server where one was involved.
    pub fn text(&self) -> Vec<u8> {
        use std::io::Write;
        let mut v = Vec::new();
        let _ = match self {
            Error::NxDomain => write!(v, "NXDOMAIN"),
            Error::NoAnswer => write!(v, "no answer"),
            Error::Rcode(r, s) => write!(v, "{} from {s}", RCODES[(*r & 15) as usize]),
            Error::Timeout(s) => write!(v, "timed out waiting for {s}"),
            Error::Refused(s) => write!(v, "connection refused by {s}"),
            Error::Malformed(s) => write!(v, "malformed reply from {s}"),
            Error::BadName => write!(v, "bad name"),
            Error::Io(e, s) => {
                v.extend_from_slice(crate::sys::strerror(*e));
                write!(v, " ({s})")
            }
        };
        v
    }
}

/// A decoded reply and the server that sent it.
#[derive(Debug, Clone)]
pub struct Reply {
    pub server: SocketAddr,
    pub msg: msg::Msg,
}

impl Reply {
    /// NOERROR with at least one record of the type asked (any record for ANY).
    pub fn positive(&self) -> bool {
        let m = &self.msg;
        m.rcode() == msg::NOERROR
            && m.answers
                .iter()
                .any(|a| m.qtype == msg::ANY || a.rtype == m.qtype)
    }
}

/// What `lookup` found: the canonical name (after CNAMEs, or the hosts file's first name)
/// and the addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addrs {
    pub name: Vec<u8>,
    pub addrs: Vec<IpAddr>,
}

pub struct Resolver {
    pub conf: Conf,
    hosts: Option<Hosts>,
}

impl Default for Resolver {
    fn default() -> Self {
        Self::new()
    }
}

/// The names to try for `name`, in order, as glibc's res_search tries them: a trailing dot
/// means only the name itself; with at least `ndots` dots the name comes first, then each
/// search suffix; with fewer, the suffixes first and the name last.
pub fn candidates(name: &[u8], search: &[Vec<u8>], ndots: u32) -> Vec<Vec<u8>> {
    if name.ends_with(b".") && !name.ends_with(b"\\.") {
        return vec![name.to_vec()];
    }
    let dots = name.iter().filter(|&&c| c == b'.').count();
    let mut v: Vec<Vec<u8>> = Vec::with_capacity(search.len() + 1);
    for d in search {
        let d = d.strip_suffix(b".").unwrap_or(d);
        if d.is_empty() {
            continue; // "search ." adds the name itself, which is tried anyway
        }
        let mut n = Vec::with_capacity(name.len() + 1 + d.len());
        n.extend_from_slice(name);
        n.push(b'.');
        n.extend_from_slice(d);
        if !v.contains(&n) {
            v.push(n);
        }
    }
    if dots as u64 >= ndots as u64 {
        v.insert(0, name.to_vec());
    } else {
        v.push(name.to_vec());
    }
    v
}

impl Resolver {
    /// A resolver configured from resolv.conf and the environment (see `Conf::load`).
    pub fn new() -> Resolver {
        Resolver::with_conf(Conf::load())
    }

    pub fn with_conf(conf: Conf) -> Resolver {
        Resolver { conf, hosts: None }
    }

    /// The hosts file, read on first use.
    pub fn hosts(&mut self) -> &Hosts {
        self.hosts.get_or_insert_with(Hosts::load)
    }

    /// Asks for exactly `name` (no search list, no hosts file). Ok for a NOERROR or
    /// NXDOMAIN reply; any other rcode moves on to the next server, and the last failure is
    /// the error.
    pub fn query(&self, name: &[u8], qtype: u16) -> Result<Reply, Error> {
        let s = &self.conf.servers;
        let n = s.len();
        if n == 0 {
            return Err(Error::Timeout(SocketAddr::from(([127, 0, 0, 1], 53))));
        }
        let start = if self.conf.rotate {
            net::random_u32() as usize % n
        } else {
            0
        };
        let mut last = Error::Timeout(s[start]);
        for _ in 0..self.conf.attempts.max(1) {
            for i in 0..n {
                let server = s[(start + i) % n];
                match self.ask(&server, name, qtype) {
                    Ok(r) if matches!(r.msg.rcode(), msg::NOERROR | msg::NXDOMAIN) => return Ok(r),
                    Ok(r) => last = Error::Rcode(r.msg.rcode(), server),
                    Err(Error::BadName) => return Err(Error::BadName),
                    Err(e) => last = e,
                }
            }
        }
        Err(last)
    }

    /// One exchange with one server: UDP with EDNS0 (TCP with `use-vc`), TCP again when
    /// the answer is truncated, without EDNS0 when the server does not understand it.
    fn ask(&self, server: &SocketAddr, name: &[u8], qtype: u16) -> Result<Reply, Error> {
        let mut edns = true;
        loop {
            let id = net::random_u32() as u16;
            let q = msg::query(id, name, qtype, edns).map_err(|_| Error::BadName)?;
            let t = self.conf.timeout_ms;
            let mut r = if self.conf.use_vc {
                net::tcp(server, &q, net::after(t))
            } else {
                net::udp(server, &q, net::after(t))
            };
            if let Ok(raw) = &r {
                if msg::Header::read(raw).is_ok_and(|h| h.tc()) && !self.conf.use_vc {
                    // The whole answer over TCP; if the server has no TCP, what came is
                    // better than nothing.
                    if let Ok(full) = net::tcp(server, &q, net::after(t)) {
                        r = Ok(full);
                    }
                }
            }
            let raw = r.map_err(|e| match e {
                NetErr::Timeout => Error::Timeout(*server),
                NetErr::Refused => Error::Refused(*server),
                NetErr::Io(e) => Error::Io(e, *server),
            })?;
            let m = msg::decode(&raw).map_err(|_| Error::Malformed(*server))?;
            if edns && m.rcode() == msg::FORMERR {
                edns = false;
                continue;
            }
            return Ok(Reply {
                server: *server,
                msg: m,
            });
        }
    }

    /// Asks for `name` with the search list (see `candidates`). Returns the first positive
    /// reply; else the first NODATA reply (NOERROR, nothing of that type), else the last
    /// NXDOMAIN reply, else the last failure. A SERVFAIL (or REFUSED, or a malformed reply)
    /// for one candidate moves on to the next, as glibc does for SERVFAIL; a timeout or a
    /// dead server list stops the walk.
    pub fn search(&self, name: &[u8], qtype: u16) -> Result<Reply, Error> {
        let mut nodata = None;
        let mut nx = None;
        let mut fail = None;
        for c in candidates(name, &self.conf.search, self.conf.ndots) {
            match self.query(&c, qtype) {
                Ok(r) if r.positive() => return Ok(r),
                Ok(r) if r.msg.rcode() == msg::NOERROR => {
                    nodata.get_or_insert(r);
                }
                Ok(r) => nx = Some(r),
                Err(e @ (Error::Rcode(..) | Error::Malformed(_))) => fail = Some(e),
                Err(Error::BadName) => {}
                Err(e) => return Err(e),
            }
        }
        match (nodata, nx, fail) {
            (Some(r), _, _) | (None, Some(r), _) => Ok(r),
            (None, None, Some(e)) => Err(e),
            (None, None, None) => Err(Error::BadName),
        }
    }

    /// Addresses of `name`: an address literal as it is, else the hosts file, else DNS
    /// (A, then AAAA, with the search list, CNAME chains followed). Errors: NxDomain,
    /// NoAnswer, or the failure of the last server asked.
    pub fn lookup(&mut self, name: &[u8], fam: Family) -> Result<Addrs, Error> {
        let want = |a: &IpAddr| match fam {
            Family::Any => true,
            Family::V4 => a.is_ipv4(),
            Family::V6 => a.is_ipv6(),
        };
        if let Some(a) = std::str::from_utf8(name)
            .ok()
            .and_then(|s| s.parse::<IpAddr>().ok())
        {
            return if want(&a) {
                Ok(Addrs {
                    name: name.to_vec(),
                    addrs: vec![a],
                })
            } else {
                Err(Error::NoAnswer)
            };
        }
        if let Some((canon, mut addrs)) = self.hosts().lookup(name) {
            addrs.retain(want);
            if !addrs.is_empty() {
                return Ok(Addrs { name: canon, addrs });
            }
        }
        let types: &[u16] = match fam {
            Family::Any => &[msg::A, msg::AAAA],
            Family::V4 => &[msg::A],
            Family::V6 => &[msg::AAAA],
        };
        let mut out = Addrs {
            name: Vec::new(),
            addrs: Vec::new(),
        };
        let mut err = None;
        for &t in types {
            match self.addresses(name, t, &mut out) {
                Ok(()) => {}
                // The name does not exist: no need to ask for the other family.
                Err(Error::NxDomain) if out.addrs.is_empty() => return Err(Error::NxDomain),
                // Every server timed out or is dead: asking again would only wait again.
                Err(e @ (Error::Timeout(_) | Error::Refused(_) | Error::Io(..)))
                    if out.addrs.is_empty() =>
                {
                    return Err(e)
                }
                Err(e) => {
                    err.get_or_insert(e);
                }
            }
        }
        if !out.addrs.is_empty() {
            return Ok(out);
        }
        Err(err.unwrap_or(Error::NoAnswer))
    }

    /// Adds the addresses of type `t` for `name` to `out`, following CNAMEs (asking again
    /// for the target when a server left the chain unfinished).
    fn addresses(&self, name: &[u8], t: u16, out: &mut Addrs) -> Result<(), Error> {
        let mut r = self.search(name, t)?;
        for _ in 0..8 {
            if r.msg.rcode() == msg::NXDOMAIN {
                return Err(Error::NxDomain);
            }
            let (end, found) = follow(&r.msg, t, &mut out.addrs);
            if out.name.is_empty() {
                out.name = end.clone();
            }
            if found || same(&end, &r.msg.qname) {
                return if found { Ok(()) } else { Err(Error::NoAnswer) };
            }
            r = self.query(&end, t)?;
        }
        Err(Error::NoAnswer)
    }

    /// The name of `ip`: the hosts file, else a PTR query. Errors as for `lookup`.
    pub fn reverse(&mut self, ip: IpAddr) -> Result<Vec<u8>, Error> {
        if let Some(n) = self.hosts().name_of(ip) {
            return Ok(n);
        }
        let r = self.query(&msg::reverse_name(ip), msg::PTR)?;
        if r.msg.rcode() == msg::NXDOMAIN {
            return Err(Error::NxDomain);
        }
        let mut cur = r.msg.qname.clone();
        for _ in 0..r.msg.answers.len() + 1 {
            let mut next = None;
            for a in r.msg.answers.iter().filter(|a| same(&a.name, &cur)) {
                match &a.data {
                    msg::Data::Name(n) if a.rtype == msg::PTR => return Ok(n.clone()),
                    msg::Data::Name(n) if a.rtype == msg::CNAME => next = Some(n.clone()),
                    _ => {}
                }
            }
            match next {
                Some(n) => cur = n,
                None => break,
            }
        }
        Err(Error::NoAnswer)
    }
}

fn same(a: &[u8], b: &[u8]) -> bool {
    msg::same_name(a, b)
}

/// Walks the CNAME chain from the question's name through the answer section, adding the
/// addresses of type `t` owned by names on it. Returns the chain's last name and whether
/// any address was found.
fn follow(m: &msg::Msg, t: u16, out: &mut Vec<IpAddr>) -> (Vec<u8>, bool) {
    let mut cur = m.qname.clone();
    let mut found = false;
    // Each step must use a new CNAME, so a CNAME loop ends.
    for _ in 0..m.answers.len() + 1 {
        let mut next = None;
        for a in m.answers.iter().filter(|a| same(&a.name, &cur)) {
            let ip = match (&a.data, t) {
                (msg::Data::A(b), msg::A) => Some(IpAddr::from(*b)),
                (msg::Data::Aaaa(b), msg::AAAA) => Some(IpAddr::from(*b)),
                (msg::Data::Name(n), _) if a.rtype == msg::CNAME => {
                    next = Some(n.clone());
                    None
                }
                _ => None,
            };
            if let Some(ip) = ip {
                found = true;
                if !out.contains(&ip) {
                    out.push(ip);
                }
            }
        }
        match next {
            Some(n) if !found => cur = n,
            _ => break,
        }
    }
    (cur, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(l: &[&str]) -> Vec<Vec<u8>> {
        l.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    #[test]
    fn search_order() {
        let s = v(&["a.test", "b.test"]);
        // Fewer dots than ndots: suffixes first, the name last.
        assert_eq!(
            candidates(b"web", &s, 1),
            v(&["web.a.test", "web.b.test", "web"])
        );
        assert_eq!(
            candidates(b"x.y", &s, 5),
            v(&["x.y.a.test", "x.y.b.test", "x.y"])
        );
        // At least ndots dots: the name first.
        assert_eq!(
            candidates(b"x.y", &s, 1),
            v(&["x.y", "x.y.a.test", "x.y.b.test"])
        );
        assert_eq!(
            candidates(b"web", &s, 0),
            v(&["web", "web.a.test", "web.b.test"])
        );
        // A trailing dot means absolute.
        assert_eq!(candidates(b"web.", &s, 5), v(&["web."]));
        // "." and duplicates in the list add nothing.
        assert_eq!(candidates(b"w", &v(&[".", "a.", "a"]), 1), v(&["w.a", "w"]));
        assert_eq!(candidates(b"w", &[], 1), v(&["w"]));
    }

    fn rr(name: &str, t: u16, data: msg::Data) -> msg::Rr {
        msg::Rr {
            name: name.as_bytes().to_vec(),
            rtype: t,
            class: 1,
            ttl: 0,
            data,
        }
    }

    #[test]
    fn cname_chains() {
        let m = msg::Msg {
            id: 0,
            flags: 0x8180,
            qname: b"a.test".to_vec(),
            qtype: msg::A,
            answers: vec![
                rr("a.test", msg::CNAME, msg::Data::Name(b"B.test".to_vec())),
                rr("x.test", msg::A, msg::Data::A([9, 9, 9, 9])),
                rr("b.test", msg::CNAME, msg::Data::Name(b"c.test".to_vec())),
                rr("c.test", msg::A, msg::Data::A([1, 2, 3, 4])),
                rr("c.test", msg::A, msg::Data::A([1, 2, 3, 5])),
            ],
        };
        let mut out = Vec::new();
        let (end, found) = follow(&m, msg::A, &mut out);
        assert_eq!((end.as_slice(), found), (&b"c.test"[..], true));
        assert_eq!(
            out,
            [
                "1.2.3.4".parse::<IpAddr>().unwrap(),
                "1.2.3.5".parse().unwrap()
            ]
        );
        // A loop ends.
        let m = msg::Msg {
            answers: vec![
                rr("a.test", msg::CNAME, msg::Data::Name(b"b.test".to_vec())),
                rr("b.test", msg::CNAME, msg::Data::Name(b"a.test".to_vec())),
            ],
            ..m
        };
        let mut out = Vec::new();
        assert!(!follow(&m, msg::A, &mut out).1);
    }

    #[test]
    fn error_text() {
        let s: SocketAddr = "127.0.0.1:53".parse().unwrap();
        assert_eq!(Error::Rcode(2, s).text(), b"SERVFAIL from 127.0.0.1:53");
        assert_eq!(Error::NxDomain.text(), b"NXDOMAIN");
    }
}
