//! The resolver's configuration: resolv.conf(5) read as glibc reads it, the `LOCALDOMAIN`
//! and `RES_OPTIONS` variables, and the hosts file. Pure parsing; the files are read by
//! `Conf::load` and `Hosts::load`.

use std::net::{IpAddr, Ipv6Addr, SocketAddr, SocketAddrV6};

/// glibc's MAXNS: further `nameserver` lines are ignored.
pub const MAX_NS: usize = 3;

/// A variable of the environment, unless the process runs set-user-ID or with added
/// capabilities (AT_SECURE), where, as glibc does for LOCALDOMAIN and RES_OPTIONS, the
/// caller must not steer the resolver.
fn env(k: &str) -> Option<std::ffi::OsString> {
    // SAFETY: getauxval only reads the auxiliary vector.
    if unsafe { libc::getauxval(libc::AT_SECURE) } != 0 {
        return None;
    }
    std::env::var_os(k)
}

/// Where the files are. `RBOX_RESOLV_CONF` and `RBOX_HOSTS` name other files (for tests,
/// and for running with a private configuration without a mount namespace).
pub fn resolv_path() -> std::ffi::OsString {
    env("RBOX_RESOLV_CONF").unwrap_or_else(|| "/etc/resolv.conf".into())
}

pub fn hosts_path() -> std::ffi::OsString {
    env("RBOX_HOSTS").unwrap_or_else(|| "/etc/hosts".into())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conf {
    /// At most MAX_NS; 127.0.0.1:53 when the file names none.
    pub servers: Vec<SocketAddr>,
    /// The search list (`search`, or `domain` as a one-entry list; the last line wins).
    pub search: Vec<Vec<u8>>,
    pub ndots: u32,
    /// Per try, in milliseconds (resolv.conf counts seconds).
    pub timeout_ms: u32,
    pub attempts: u32,
    pub rotate: bool,
    pub use_vc: bool,
    /// EDNS0 is always offered (musl never does; glibc only with `edns0`): the option is
    /// accepted and changes nothing. A server that answers FORMERR is asked again without.
    pub edns0: bool,
    /// Ask for A and AAAA one after the other: rbox always does, so this only parses.
    pub single_request: bool,
}

impl Default for Conf {
    fn default() -> Conf {
        Conf {
            servers: Vec::new(),
            search: Vec::new(),
            ndots: 1,
            timeout_ms: 5000,
            attempts: 2,
            rotate: false,
            use_vc: false,
            edns0: true,
            single_request: false,
        }
    }
}

fn words(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    line.split(|c| matches!(c, b' ' | b'\t' | b'\r'))
        .filter(|w| !w.is_empty())
}

impl Conf {
    /// Reads the resolv.conf (see `resolv_path`), then the environment; a missing or
    /// unreadable file gives the defaults. `hostname` is the machine's name: with no
    /// `search` or `domain`, glibc searches the domain part of it.
    pub fn load() -> Conf {
        let text = std::fs::read(resolv_path()).unwrap_or_default();
        let env = |k: &str| env(k).map(std::os::unix::ffi::OsStringExt::into_vec);
        Conf::parse(
            &text,
            env("LOCALDOMAIN").as_deref(),
            env("RES_OPTIONS").as_deref(),
            &local_hostname(),
        )
    }

    /// The file's text, `LOCALDOMAIN` and `RES_OPTIONS` values, and the host name.
    pub fn parse(
        text: &[u8],
        localdomain: Option<&[u8]>,
        res_options: Option<&[u8]>,
        hostname: &[u8],
    ) -> Conf {
        let mut c = Conf::default();
        let mut have_search = false;
        for line in text.split(|&b| b == b'\n') {
            let mut w = words(line);
            let Some(key) = w.next() else { continue };
            match key {
                b"nameserver" => {
                    if let Some(a) = w.next().and_then(parse_server) {
                        if c.servers.len() < MAX_NS {
                            c.servers.push(a);
                        }
                    }
                }
                b"domain" => {
                    // glibc: the rest of the line after the word is one domain.
                    c.search.clear();
                    if let Some(d) = w.next() {
                        c.search.push(d.to_vec());
                    }
                    have_search = true;
                }
                b"search" => {
                    c.search = w.map(<[u8]>::to_vec).collect();
                    have_search = true;
                }
                b"options" => c.options(w),
                _ => {} // comments (# and ;), sortlist, unknown keywords
            }
        }
        if let Some(l) = localdomain {
            c.search = words(l).map(<[u8]>::to_vec).collect();
            have_search = true;
        }
        if let Some(o) = res_options {
            c.options(words(o));
        }
        if !have_search {
            if let Some(dot) = hostname.iter().position(|&b| b == b'.') {
                if dot + 1 < hostname.len() {
                    c.search.push(hostname[dot + 1..].to_vec());
                }
            }
        }
        if c.servers.is_empty() {
            c.servers.push(SocketAddr::from(([127, 0, 0, 1], 53)));
        }
        c
    }

    fn options<'a>(&mut self, w: impl Iterator<Item = &'a [u8]>) {
        // glibc's limits: ndots 15, timeout 30 s, attempts 5.
        let num = |v: &[u8], max: u32| -> u32 {
            let n = crate::sys::atoi(v).clamp(0, max as i64);
            n as u32
        };
        for o in w {
            let (k, v) = match o.iter().position(|&b| b == b':') {
                Some(i) => (&o[..i], &o[i + 1..]),
                None => (o, &b""[..]),
            };
            match k {
                b"ndots" => self.ndots = num(v, 15),
                // 0 means "the minimum" to glibc, which is 1.
                b"timeout" => self.timeout_ms = num(v, 30).max(1) * 1000,
                b"attempts" => self.attempts = num(v, 5).max(1),
                b"rotate" => self.rotate = true,
                b"use-vc" => self.use_vc = true,
                b"edns0" => self.edns0 = true,
                b"single-request" | b"single-request-reopen" => self.single_request = true,
                _ => {}
            }
        }
    }
}

/// A `nameserver` value: an IPv4 or IPv6 address as glibc and musl take it (IPv6 with a
/// `%scope` as a name or number), and, as rbox's extension, `ADDR:PORT` or `[ADDR]:PORT`.
pub fn parse_server(s: &[u8]) -> Option<SocketAddr> {
    parse_addr_port(s, 53)
}

/// An address with an optional port (`1.2.3.4`, `1.2.3.4:53`, `::1`, `[::1]:53`,
/// `fe80::1%eth0`), as BusyBox's nslookup takes its SERVER argument.
pub fn parse_addr_port(s: &[u8], port: u16) -> Option<SocketAddr> {
    let s = std::str::from_utf8(s).ok()?;
    if let Some(rest) = s.strip_prefix('[') {
        let (a, p) = rest.split_once(']')?;
        let port = match p {
            "" => port,
            _ => p.strip_prefix(':')?.parse().ok()?,
        };
        return v6(a, port);
    }
    if let Ok(a) = s.parse::<std::net::Ipv4Addr>() {
        return Some(SocketAddr::from((a, port)));
    }
    if let Some((a, p)) = s.split_once(':') {
        if let (Ok(a), Ok(p)) = (a.parse::<std::net::Ipv4Addr>(), p.parse::<u16>()) {
            return Some(SocketAddr::from((a, p)));
        }
    }
    v6(s, port)
}

fn v6(s: &str, port: u16) -> Option<SocketAddr> {
    let (a, scope) = match s.split_once('%') {
        Some((a, sc)) => (a, Some(sc)),
        None => (s, None),
    };
    let a: Ipv6Addr = a.parse().ok()?;
    let scope = match scope {
        None => 0,
        Some(sc) => match sc.parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                let c = crate::sys::cstr(sc.as_bytes())?;
                // SAFETY: c is a NUL-terminated string.
                match unsafe { libc::if_nametoindex(c.as_ptr()) } {
                    0 => return None,
                    n => n,
                }
            }
        },
    };
    Some(SocketAddr::V6(SocketAddrV6::new(a, port, 0, scope)))
}

/// gethostname(2), as bytes.
pub fn local_hostname() -> Vec<u8> {
    crate::sys::cfield(&crate::sys::utsname().nodename).to_vec()
}

/// The hosts file, kept as text and searched line by line (it is small and read once).
pub struct Hosts {
    text: Vec<u8>,
}

impl Hosts {
    pub fn load() -> Hosts {
        Hosts::new(std::fs::read(hosts_path()).unwrap_or_default())
    }

    pub fn new(text: Vec<u8>) -> Hosts {
        Hosts { text }
    }

    /// Each `(address, names)` line, comments dropped, bad addresses skipped.
    fn entries(&self) -> impl Iterator<Item = (IpAddr, &[u8])> {
        self.text.split(|&b| b == b'\n').filter_map(|l| {
            let l = match l.iter().position(|&b| b == b'#') {
                Some(i) => &l[..i],
                None => l,
            };
            let mut w = words(l);
            let a = w.next()?;
            Some((parse_host_addr(a)?, names_after_first(l)))
        })
    }

    /// Addresses of `name` (case-insensitive, a trailing dot ignored), in file order, and
    /// the canonical name: the first name of the first line that matched.
    pub fn lookup(&self, name: &[u8]) -> Option<(Vec<u8>, Vec<IpAddr>)> {
        let mut canon = None;
        let mut addrs = Vec::new();
        for (a, names) in self.entries() {
            if words(names).any(|n| super::msg::same_name(n, name)) {
                if canon.is_none() {
                    canon = words(names).next().map(<[u8]>::to_vec);
                }
                if !addrs.contains(&a) {
                    addrs.push(a);
                }
            }
        }
        canon.map(|c| (c, addrs))
    }

    /// The first name given for `addr`.
    pub fn name_of(&self, addr: IpAddr) -> Option<Vec<u8>> {
        self.entries()
            .find(|e| e.0 == addr)
            .and_then(|e| words(e.1).next().map(<[u8]>::to_vec))
    }
}

/// The text after the first word of a line.
fn names_after_first(l: &[u8]) -> &[u8] {
    let l = match l.iter().position(|c| !matches!(c, b' ' | b'\t')) {
        Some(i) => &l[i..],
        None => return b"",
    };
    match l.iter().position(|c| matches!(c, b' ' | b'\t')) {
        Some(i) => &l[i..],
        None => b"",
    }
}

/// An address in a hosts file: IPv4 in dotted quad, or IPv6 (a `%scope` is dropped).
fn parse_host_addr(a: &[u8]) -> Option<IpAddr> {
    let s = std::str::from_utf8(a).ok()?;
    let s = s.split_once('%').map_or(s, |x| x.0);
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sa(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    #[test]
    fn defaults() {
        let c = Conf::parse(b"", None, None, b"box");
        assert_eq!(c.servers, [sa("127.0.0.1:53")]);
        assert!(c.search.is_empty());
        assert_eq!((c.ndots, c.timeout_ms, c.attempts), (1, 5000, 2));
        assert!(!c.rotate && !c.use_vc);
    }

    #[test]
    fn nameservers() {
        let t = b"# comment\n; also\nnameserver 10.0.0.1\nnameserver\t::1\n\
                  nameserver bogus\nnameserver [fd00::2]:5353\nnameserver 10.0.0.9\n";
        let c = Conf::parse(t, None, None, b"");
        assert_eq!(
            c.servers,
            [sa("10.0.0.1:53"), sa("[::1]:53"), sa("[fd00::2]:5353")]
        );
        let c = Conf::parse(
            b"nameserver 127.0.0.2:5300\r\nnameserver fe80::1%1\n",
            None,
            None,
            b"",
        );
        assert_eq!(c.servers[0], sa("127.0.0.2:5300"));
        match c.servers[1] {
            SocketAddr::V6(a) => assert_eq!((a.scope_id(), a.port()), (1, 53)),
            _ => panic!(),
        }
        // Indented keywords are still keywords; "#nameserver" is a comment.
        let c = Conf::parse(
            b"#nameserver 1.1.1.1\n  nameserver 1.2.3.4\n",
            None,
            None,
            b"",
        );
        assert_eq!(c.servers, [sa("1.2.3.4:53")]);
    }

    #[test]
    fn search_and_domain_last_wins() {
        let c = Conf::parse(
            b"search a.test b.test\ndomain c.test\n",
            None,
            None,
            b"h.x.y",
        );
        assert_eq!(c.search, [b"c.test".to_vec()]);
        let c = Conf::parse(b"domain c.test\nsearch a.test  b.test\n", None, None, b"");
        assert_eq!(c.search, [b"a.test".to_vec(), b"b.test".to_vec()]);
        // No search line: the host name's domain, as glibc does.
        let c = Conf::parse(b"", None, None, b"h.x.y");
        assert_eq!(c.search, [b"x.y".to_vec()]);
        // LOCALDOMAIN overrides the file.
        let c = Conf::parse(b"search a.test\n", Some(b"e1 e2"), None, b"");
        assert_eq!(c.search, [b"e1".to_vec(), b"e2".to_vec()]);
    }

    #[test]
    fn options() {
        let c = Conf::parse(
            b"options ndots:5 timeout:2 attempts:3 rotate use-vc edns0 single-request bogus\n",
            None,
            None,
            b"",
        );
        assert_eq!((c.ndots, c.timeout_ms, c.attempts), (5, 2000, 3));
        assert!(c.rotate && c.use_vc && c.edns0 && c.single_request);
        // Capped as glibc caps them; RES_OPTIONS comes after the file.
        let c = Conf::parse(
            b"options ndots:99 timeout:99 attempts:99\n",
            None,
            Some(b"ndots:2"),
            b"",
        );
        assert_eq!((c.ndots, c.timeout_ms, c.attempts), (2, 30000, 5));
        let c = Conf::parse(b"options timeout:0 attempts:0 ndots:-1\n", None, None, b"");
        assert_eq!((c.ndots, c.timeout_ms, c.attempts), (0, 1000, 1));
    }

    #[test]
    fn hosts() {
        let h = Hosts::new(
            b"127.0.0.1 localhost\n# x\n10.0.0.1\tFoo.test foo  # c\n::1 localhost ip6-localhost\n\
              bad foo\n10.0.0.2 foo\n"
                .to_vec(),
        );
        let (c, a) = h.lookup(b"foo.").unwrap();
        assert_eq!(c, b"Foo.test");
        assert_eq!(
            a,
            [
                "10.0.0.1".parse::<IpAddr>().unwrap(),
                "10.0.0.2".parse().unwrap()
            ]
        );
        let (c, a) = h.lookup(b"LOCALHOST").unwrap();
        assert_eq!(c, b"localhost");
        assert_eq!(a.len(), 2);
        assert!(h.lookup(b"nope").is_none());
        assert!(h.lookup(b"x").is_none());
        assert_eq!(h.name_of("::1".parse().unwrap()).unwrap(), b"localhost");
    }
}
