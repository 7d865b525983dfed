//! DNS messages (RFC 1035): building a query and decoding a reply, with every length and
//! compression pointer checked against the buffer. Nothing here touches the network.
//!
//! Names are kept in presentation form: labels joined by `.`, where a `.` or `\` inside a
//! label is written `\.` / `\\`, and any byte outside `!`..`~` as `\DDD`. A decoded name is
//! therefore always printable ASCII and safe to show on a terminal.

pub const A: u16 = 1;
pub const NS: u16 = 2;
pub const CNAME: u16 = 5;
pub const SOA: u16 = 6;
pub const PTR: u16 = 12;
pub const MX: u16 = 15;
pub const TXT: u16 = 16;
pub const AAAA: u16 = 28;
pub const SRV: u16 = 33;
pub const OPT: u16 = 41;
pub const ANY: u16 = 255;

pub const NOERROR: u8 = 0;
pub const FORMERR: u8 = 1;
pub const SERVFAIL: u8 = 2;
pub const NXDOMAIN: u8 = 3;

/// The EDNS0 UDP payload size we offer.
pub const EDNS_SIZE: u16 = 4096;

/// Why a message could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bad {
    /// A length or count runs past the end of the message.
    Truncated,
    /// A compression pointer that does not point strictly backwards (a loop, or forwards).
    Pointer,
    /// A label length with the reserved bits 01 or 10 (that is, over 63).
    Label,
    /// A name over 255 bytes.
    Long,
    /// Record data of the wrong size for its type.
    Rdata,
}

/// A name to put in a query could not be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadName;

/// Record data, decoded for the types rbox shows; the raw bytes for the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    A([u8; 4]),
    Aaaa([u8; 16]),
    /// NS, CNAME, PTR: one name.
    Name(Vec<u8>),
    Mx(u16, Vec<u8>),
    /// The character-strings, raw bytes (sanitise before printing: see `escape_text`).
    Txt(Vec<Vec<u8>>),
    Srv {
        prio: u16,
        weight: u16,
        port: u16,
        target: Vec<u8>,
    },
    Soa {
        mname: Vec<u8>,
        rname: Vec<u8>,
        /// serial, refresh, retry, expire, minimum.
        nums: [u32; 5],
    },
    Other(Vec<u8>),
}

/// One resource record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rr {
    pub name: Vec<u8>,
    pub rtype: u16,
    pub class: u16,
    pub ttl: u32,
    pub data: Data,
}

/// A decoded reply: the header fields, the question, and the answer section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub id: u16,
    pub flags: u16,
    pub qname: Vec<u8>,
    pub qtype: u16,
    pub answers: Vec<Rr>,
}

impl Msg {
    pub fn rcode(&self) -> u8 {
        (self.flags & 0xf) as u8
    }
    /// Authoritative answer.
    pub fn aa(&self) -> bool {
        self.flags & 0x0400 != 0
    }
}

/// The 12-byte header, read without looking further.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub id: u16,
    pub flags: u16,
    pub qd: u16,
    pub an: u16,
}

impl Header {
    pub fn read(m: &[u8]) -> Result<Header, Bad> {
        Ok(Header {
            id: be16(m, 0)?,
            flags: be16(m, 2)?,
            qd: be16(m, 4)?,
            an: be16(m, 6)?,
        })
    }
    pub fn qr(&self) -> bool {
        self.flags & 0x8000 != 0
    }
    pub fn tc(&self) -> bool {
        self.flags & 0x0200 != 0
    }
    pub fn rcode(&self) -> u8 {
        (self.flags & 0xf) as u8
    }
}

fn be16(m: &[u8], at: usize) -> Result<u16, Bad> {
    match m.get(at..at.checked_add(2).ok_or(Bad::Truncated)?) {
        Some(b) => Ok(u16::from_be_bytes([b[0], b[1]])),
        None => Err(Bad::Truncated),
    }
}

fn be32(m: &[u8], at: usize) -> Result<u32, Bad> {
    match m.get(at..at.checked_add(4).ok_or(Bad::Truncated)?) {
        Some(b) => Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]])),
        None => Err(Bad::Truncated),
    }
}

/// Builds a query for `name` (presentation form; a trailing dot is allowed) with recursion
/// desired, and an EDNS0 OPT record offering `EDNS_SIZE` bytes when `edns`.
pub fn query(id: u16, name: &[u8], qtype: u16, edns: bool) -> Result<Vec<u8>, BadName> {
    let mut q = Vec::with_capacity(name.len() + 2 + 16 + 11);
    q.extend_from_slice(&id.to_be_bytes());
    q.extend_from_slice(&[1, 0, 0, 1, 0, 0, 0, 0, 0, edns as u8]);
    encode_name(name, &mut q)?;
    q.extend_from_slice(&qtype.to_be_bytes());
    q.extend_from_slice(&[0, 1]);
    if edns {
        // Root name, type OPT, class = payload size, TTL 0 (no extended rcode, no DO), no data.
        q.extend_from_slice(&[0, 0, 41]);
        q.extend_from_slice(&EDNS_SIZE.to_be_bytes());
        q.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    }
    Ok(q)
}

/// Appends `name` in wire form. `\.`, `\\` and `\DDD` escapes are understood; an empty
/// label, a label over 63 bytes or a name over 255 bytes is refused. "." is the root.
pub fn encode_name(name: &[u8], out: &mut Vec<u8>) -> Result<(), BadName> {
    let start = out.len();
    let name = match name {
        b"." => &b""[..],
        _ => name.strip_suffix(b".").unwrap_or(name),
    };
    if !name.is_empty() {
        let mut i = 0;
        loop {
            let len_at = out.len();
            out.push(0);
            while i < name.len() && name[i] != b'.' {
                let mut c = name[i];
                i += 1;
                if c == b'\\' {
                    match name.get(i..i + 3) {
                        Some(d) if d.iter().all(u8::is_ascii_digit) => {
                            let v = d.iter().fold(0u32, |a, &x| a * 10 + (x - b'0') as u32);
                            c = u8::try_from(v).map_err(|_| BadName)?;
                            i += 3;
                        }
                        _ => {
                            c = *name.get(i).ok_or(BadName)?;
                            i += 1;
                        }
                    }
                }
                out.push(c);
            }
            let len = out.len() - len_at - 1;
            if len == 0 || len > 63 {
                return Err(BadName);
            }
            out[len_at] = len as u8;
            if i >= name.len() {
                break;
            }
            i += 1; // the dot
            if i >= name.len() {
                return Err(BadName); // "a.." ends in an empty label
            }
        }
    }
    out.push(0);
    if out.len() - start > 255 {
        return Err(BadName);
    }
    Ok(())
}

/// Reads the name at `at`, following compression pointers, and appends its presentation
/// form to `out` ("." for the root). Returns the offset just after the name where it
/// appeared (not after where pointers led). A pointer must point strictly before the start
/// of the run of labels that holds it (the name itself, or the previous pointer's target):
/// the targets only ever decrease, so a loop is impossible and the walk always ends.
pub fn read_name(m: &[u8], at: usize, out: &mut Vec<u8>) -> Result<usize, Bad> {
    let mut pos = at;
    let mut seg = at;
    let mut end = None;
    let mut wire = 1usize; // the final zero
    let first = out.len();
    loop {
        let len = *m.get(pos).ok_or(Bad::Truncated)? as usize;
        match len & 0xc0 {
            0xc0 => {
                let target = (be16(m, pos)? & 0x3fff) as usize;
                if target >= seg {
                    return Err(Bad::Pointer);
                }
                end.get_or_insert(pos + 2);
                pos = target;
                seg = target;
            }
            0 if len == 0 => break,
            0 => {
                let label = m.get(pos + 1..pos + 1 + len).ok_or(Bad::Truncated)?;
                wire += len + 1;
                if wire > 255 {
                    return Err(Bad::Long);
                }
                if out.len() > first {
                    out.push(b'.');
                }
                escape_label(label, out);
                pos += 1 + len;
            }
            _ => return Err(Bad::Label),
        }
    }
    if out.len() == first {
        out.push(b'.');
    }
    Ok(end.unwrap_or(pos + 1))
}

fn escape_label(label: &[u8], out: &mut Vec<u8>) {
    for &c in label {
        match c {
            b'.' | b'\\' => out.extend_from_slice(&[b'\\', c]),
            b'!'..=b'~' => out.push(c),
            _ => push_ddd(c, out),
        }
    }
}

fn push_ddd(c: u8, out: &mut Vec<u8>) {
    out.extend_from_slice(&[b'\\', b'0' + c / 100, b'0' + c / 10 % 10, b'0' + c % 10]);
}

/// Text from DNS data made safe for a terminal: `"` and `\` escaped with a backslash, and
/// control characters, DEL and every byte over 0x7e (C1 controls such as 0x9b would start a
/// terminal escape) as `\DDD`. Printable ASCII and spaces pass unchanged.
pub fn escape_text(s: &[u8], out: &mut Vec<u8>) {
    for &c in s {
        match c {
            b'"' | b'\\' => out.extend_from_slice(&[b'\\', c]),
            b' '..=b'~' => out.push(c),
            _ => push_ddd(c, out),
        }
    }
}

/// Compares two presentation-form names, ASCII case-insensitively, ignoring a trailing dot.
pub fn same_name(a: &[u8], b: &[u8]) -> bool {
    let t = |n: &[u8]| -> usize {
        // A trailing unescaped dot; "\." at the end is part of a label.
        if n.len() > 1 && n.ends_with(b".") && !n.ends_with(b"\\.") {
            n.len() - 1
        } else {
            n.len()
        }
    };
    a[..t(a)].eq_ignore_ascii_case(&b[..t(b)])
}

/// Reads the header and question of `m`: (header, qname, qtype, qclass, offset after).
pub fn question(m: &[u8]) -> Result<(Header, Vec<u8>, u16, u16, usize), Bad> {
    let h = Header::read(m)?;
    let mut name = Vec::new();
    if h.qd == 0 {
        return Ok((h, name, 0, 0, 12));
    }
    let p = read_name(m, 12, &mut name)?;
    let qtype = be16(m, p)?;
    let qclass = be16(m, p + 2)?;
    Ok((h, name, qtype, qclass, p + 4))
}

/// Whether `reply` answers `query`: a response, with the same id and the same question
/// (the name compared case-insensitively). A FORMERR, SERVFAIL, NOTIMP or REFUSED reply may
/// leave the question out, as some servers do.
pub fn answers(query: &[u8], reply: &[u8]) -> bool {
    let (Ok(q), Ok(r)) = (question(query), question(reply)) else {
        return false;
    };
    if !r.0.qr() || r.0.id != q.0.id {
        return false;
    }
    if r.0.qd == 0 {
        return (1..=5).contains(&r.0.rcode()) && r.0.rcode() != NXDOMAIN;
    }
    r.0.qd == 1 && r.2 == q.2 && r.3 == q.3 && same_name(&r.1, &q.1)
}

/// Decodes a whole reply: header, question, answer section. The authority and additional
/// sections are not read (nothing here needs them).
pub fn decode(m: &[u8]) -> Result<Msg, Bad> {
    let (h, qname, qtype, _, mut p) = question(m)?;
    if h.qd > 1 {
        return Err(Bad::Truncated);
    }
    // Each record takes at least 11 bytes: a count beyond that is a lie, not a reason to
    // reserve memory.
    let mut answers = Vec::with_capacity((h.an as usize).min(m.len() / 11));
    for _ in 0..h.an {
        let (rr, next) = read_rr(m, p)?;
        answers.push(rr);
        p = next;
    }
    Ok(Msg {
        id: h.id,
        flags: h.flags,
        qname,
        qtype,
        answers,
    })
}

fn read_rr(m: &[u8], at: usize) -> Result<(Rr, usize), Bad> {
    let mut name = Vec::new();
    let p = read_name(m, at, &mut name)?;
    let rtype = be16(m, p)?;
    let class = be16(m, p + 2)?;
    let ttl = be32(m, p + 4)?;
    let len = be16(m, p + 8)? as usize;
    let start = p + 10;
    let end = start + len;
    let rd = m.get(start..end).ok_or(Bad::Truncated)?;
    // A name inside the data must end inside it too.
    let name_in = |at: usize| -> Result<(Vec<u8>, usize), Bad> {
        let mut n = Vec::new();
        let e = read_name(m, at, &mut n)?;
        if e > end {
            return Err(Bad::Rdata);
        }
        Ok((n, e))
    };
    let data = match rtype {
        A => Data::A(rd.try_into().map_err(|_| Bad::Rdata)?),
        AAAA => Data::Aaaa(rd.try_into().map_err(|_| Bad::Rdata)?),
        NS | CNAME | PTR => Data::Name(name_in(start)?.0),
        MX => {
            let pref = be16(rd, 0).map_err(|_| Bad::Rdata)?;
            Data::Mx(pref, name_in(start + 2)?.0)
        }
        SRV => {
            let (prio, weight, port) = match (be16(rd, 0), be16(rd, 2), be16(rd, 4)) {
                (Ok(a), Ok(b), Ok(c)) => (a, b, c),
                _ => return Err(Bad::Rdata),
            };
            let target = name_in(start + 6)?.0;
            Data::Srv {
                prio,
                weight,
                port,
                target,
            }
        }
        SOA => {
            let (mname, e) = name_in(start)?;
            let (rname, e) = name_in(e)?;
            let mut nums = [0u32; 5];
            for (i, n) in nums.iter_mut().enumerate() {
                let at = e + 4 * i;
                if at + 4 > end {
                    return Err(Bad::Rdata);
                }
                *n = be32(m, at)?;
            }
            Data::Soa { mname, rname, nums }
        }
        TXT => {
            let mut v = Vec::new();
            let mut i = 0;
            while i < rd.len() {
                let n = rd[i] as usize;
                v.push(rd.get(i + 1..i + 1 + n).ok_or(Bad::Rdata)?.to_vec());
                i += 1 + n;
            }
            Data::Txt(v)
        }
        _ => Data::Other(rd.to_vec()),
    };
    Ok((
        Rr {
            name,
            rtype,
            class,
            ttl,
            data,
        },
        end,
    ))
}

/// The reverse-lookup name of an address: `4.3.2.1.in-addr.arpa` for 1.2.3.4, the 32
/// nibbles then `ip6.arpa` for IPv6 (an IPv4-mapped address is reversed as IPv4).
pub fn reverse_name(ip: std::net::IpAddr) -> Vec<u8> {
    use std::io::Write;
    let mut v = Vec::with_capacity(72);
    let v4 = match ip {
        std::net::IpAddr::V4(a) => Some(a),
        std::net::IpAddr::V6(a) => a.to_ipv4_mapped(),
    };
    if let Some(a) = v4 {
        let o = a.octets();
        let _ = write!(v, "{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0]);
    } else if let std::net::IpAddr::V6(a) = ip {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for b in a.octets().iter().rev() {
            v.extend_from_slice(&[HEX[(b & 15) as usize], b'.', HEX[(b >> 4) as usize], b'.']);
        }
        v.extend_from_slice(b"ip6.arpa");
    }
    v
}

/// The name of a record type for messages, or None for one rbox does not name.
pub fn type_name(t: u16) -> Option<&'static str> {
    TYPES.iter().find(|x| x.1 == t).map(|x| x.0)
}

/// A record type by name, case-insensitively.
pub fn type_by_name(n: &[u8]) -> Option<u16> {
    TYPES
        .iter()
        .find(|x| x.0.as_bytes().eq_ignore_ascii_case(n))
        .map(|x| x.1)
}

const TYPES: &[(&str, u16)] = &[
    ("A", A),
    ("NS", NS),
    ("CNAME", CNAME),
    ("SOA", SOA),
    ("PTR", PTR),
    ("MX", MX),
    ("TXT", TXT),
    ("AAAA", AAAA),
    ("SRV", SRV),
    ("ANY", ANY),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(q: &[u8], an: u16, rest: &[u8]) -> Vec<u8> {
        let mut m = q.to_vec();
        m[2] |= 0x80; // QR
        m[6..8].copy_from_slice(&an.to_be_bytes());
        m[10..12].copy_from_slice(&[0, 0]);
        // Drop the OPT record the query carried.
        let (_, _, _, _, end) = question(q).unwrap();
        m.truncate(end);
        m.extend_from_slice(rest);
        m
    }

    #[test]
    fn query_layout() {
        let q = query(0x1234, b"www.example.com", A, true).unwrap();
        assert_eq!(&q[..12], &[0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
        assert_eq!(&q[12..29], b"\x03www\x07example\x03com\x00");
        assert_eq!(&q[29..33], &[0, 1, 0, 1]);
        assert_eq!(&q[33..], &[0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0]);
        let q = query(1, b"a.b.", AAAA, false).unwrap();
        assert_eq!(&q[11..], b"\x00\x01a\x01b\x00\x00\x1c\x00\x01");
        assert_eq!(query(1, b".", NS, false).unwrap()[12], 0);
    }

    #[test]
    fn bad_names_refused() {
        let mut v = Vec::new();
        assert_eq!(encode_name(b"a..b", &mut v), Err(BadName));
        assert_eq!(encode_name(b".a", &mut v), Err(BadName));
        assert_eq!(encode_name(b"a..", &mut v), Err(BadName));
        assert_eq!(encode_name(&[b'x'; 64], &mut v), Err(BadName));
        assert!(encode_name(&[b'x'; 63], &mut Vec::new()).is_ok());
        // 4 labels of 63 = 256 wire bytes with lengths and the root: one too many.
        let l = [b'x'; 63];
        let long = [&l[..], &l[..], &l[..], &l[..]].join(&b'.');
        assert_eq!(encode_name(&long, &mut v), Err(BadName));
        let ok = [&l[..], &l[..], &l[..], &l[..61]].join(&b'.');
        assert!(encode_name(&ok, &mut Vec::new()).is_ok());
        assert_eq!(encode_name(b"a\\", &mut v), Err(BadName));
        assert_eq!(encode_name(b"a\\300", &mut v), Err(BadName));
        let mut v = Vec::new();
        encode_name(b"a\\.b\\065.c", &mut v).unwrap();
        assert_eq!(v, b"\x04a.bA\x01c\x00");
    }

    #[test]
    fn names_round_trip_escaped() {
        let m = b"\x04a.b\\\x03\x1b[m\x00";
        let mut n = Vec::new();
        assert_eq!(read_name(m, 0, &mut n), Ok(m.len()));
        assert_eq!(n, b"a\\.b\\\\.\\027[m");
        let mut w = Vec::new();
        encode_name(&n, &mut w).unwrap();
        assert_eq!(w, m);
        let mut n = Vec::new();
        assert_eq!(read_name(b"\x00", 0, &mut n), Ok(1));
        assert_eq!(n, b".");
    }

    #[test]
    fn compression() {
        // "foo" at 0, then "www" + pointer to 0.
        let m = b"\x03foo\x00\x03www\xc0\x00";
        let mut n = Vec::new();
        assert_eq!(read_name(m, 5, &mut n), Ok(m.len()));
        assert_eq!(n, b"www.foo");
    }

    #[test]
    fn pointer_loops_and_forward_pointers_are_errors() {
        let mut n = Vec::new();
        assert_eq!(read_name(b"\xc0\x00", 0, &mut n), Err(Bad::Pointer));
        assert_eq!(read_name(b"\x01a\xc0\x00", 0, &mut n), Err(Bad::Pointer));
        assert_eq!(read_name(b"\xc0\x02\x00", 0, &mut n), Err(Bad::Pointer));
        // Two pointers pointing at each other.
        assert_eq!(read_name(b"\xc0\x02\xc0\x00", 2, &mut n), Err(Bad::Pointer));
        assert_eq!(read_name(b"\xc0", 0, &mut n), Err(Bad::Truncated));
    }

    #[test]
    fn label_and_length_limits() {
        let mut n = Vec::new();
        assert_eq!(read_name(b"\x40", 0, &mut n), Err(Bad::Label));
        assert_eq!(read_name(b"\x80", 0, &mut n), Err(Bad::Label));
        assert_eq!(read_name(b"\x05ab", 0, &mut n), Err(Bad::Truncated));
        assert_eq!(read_name(b"\x01a", 0, &mut n), Err(Bad::Truncated));
        assert_eq!(read_name(b"", 0, &mut n), Err(Bad::Truncated));
        // A name of 5 x 63-byte labels is over 255.
        let mut m = Vec::new();
        for _ in 0..5 {
            m.push(63);
            m.extend_from_slice(&[b'a'; 63]);
        }
        m.push(0);
        assert_eq!(read_name(&m, 0, &mut n), Err(Bad::Long));
        // Pointers cannot make a long name either: each hop adds to the count.
        let chain = |hops: u16| {
            let mut m = vec![63];
            m.extend_from_slice(&[b'a'; 63]);
            m.push(0);
            let mut prev = 0u16;
            for _ in 0..hops {
                let here = m.len();
                m.push(63);
                m.extend_from_slice(&[b'b'; 63]);
                m.extend_from_slice(&(0xc000 | prev).to_be_bytes());
                prev = here as u16;
            }
            (m, prev as usize)
        };
        let (m, last) = chain(2);
        assert_eq!(read_name(&m, last, &mut n), Ok(m.len()));
        let (m, last) = chain(4);
        assert_eq!(read_name(&m, last, &mut n), Err(Bad::Long));
    }

    #[test]
    fn decode_answers() {
        let q = query(7, b"x.test", A, true).unwrap();
        let mut rest = Vec::new();
        // A 10.0.0.1, TTL 60, name as a pointer to the question.
        rest.extend_from_slice(b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x0a\x00\x00\x01");
        // CNAME x.test -> y.test (compressed target).
        rest.extend_from_slice(b"\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x3c\x00\x04\x01y\xc0\x0e");
        // MX 10 m.test
        rest.extend_from_slice(
            b"\xc0\x0c\x00\x0f\x00\x01\x00\x00\x00\x3c\x00\x06\x00\x0a\x01m\xc0\x0e",
        );
        // TXT "hi" "\x1b"
        rest.extend_from_slice(b"\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x3c\x00\x05\x02hi\x01\x1b");
        // SRV 1 2 80 s.test
        rest.extend_from_slice(b"\xc0\x0c\x00\x21\x00\x01\x00\x00\x00\x3c\x00\x0a\x00\x01\x00\x02\x00\x50\x01s\xc0\x0e");
        // AAAA ::1
        rest.extend_from_slice(b"\xc0\x0c\x00\x1c\x00\x01\x00\x00\x00\x3c\x00\x10");
        rest.extend_from_slice(&[0; 15]);
        rest.push(1);
        // SOA
        rest.extend_from_slice(
            b"\xc0\x0e\x00\x06\x00\x01\x00\x00\x00\x3c\x00\x1c\x01n\xc0\x0e\x01h\xc0\x0e",
        );
        rest.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5]);
        let r = reply(&q, 7, &rest);
        assert!(answers(&q, &r));
        let m = decode(&r).unwrap();
        assert_eq!(m.qname, b"x.test");
        assert_eq!(m.rcode(), NOERROR);
        let d: Vec<_> = m.answers.iter().map(|a| a.data.clone()).collect();
        assert_eq!(
            d,
            [
                Data::A([10, 0, 0, 1]),
                Data::Name(b"y.test".to_vec()),
                Data::Mx(10, b"m.test".to_vec()),
                Data::Txt(vec![b"hi".to_vec(), b"\x1b".to_vec()]),
                Data::Srv {
                    prio: 1,
                    weight: 2,
                    port: 80,
                    target: b"s.test".to_vec()
                },
                Data::Aaaa(std::net::Ipv6Addr::LOCALHOST.octets()),
                Data::Soa {
                    mname: b"n.test".to_vec(),
                    rname: b"h.test".to_vec(),
                    nums: [1, 2, 3, 4, 5]
                },
            ]
        );
        assert_eq!(m.answers[6].name, b"test");
        // Every truncation of the reply is an error, never a panic.
        for n in 0..r.len() {
            assert!(decode(&r[..n]).is_err(), "{n}");
        }
    }

    #[test]
    fn bad_rdata() {
        let q = query(7, b"x.test", A, false).unwrap();
        let rr = |t: u8, data: &[u8]| {
            let mut v = b"\xc0\x0c\x00".to_vec();
            v.push(t);
            v.extend_from_slice(b"\x00\x01\x00\x00\x00\x3c\x00");
            v.push(data.len() as u8);
            v.extend_from_slice(data);
            reply(&q, 1, &v)
        };
        assert_eq!(decode(&rr(1, &[1, 2, 3])), Err(Bad::Rdata));
        assert_eq!(decode(&rr(28, &[1, 2, 3, 4])), Err(Bad::Rdata));
        assert_eq!(decode(&rr(16, b"\x05ab")), Err(Bad::Rdata));
        assert_eq!(decode(&rr(15, b"\x00")), Err(Bad::Rdata));
        assert_eq!(decode(&rr(33, b"\x00\x01\x00")), Err(Bad::Rdata));
        // A CNAME whose name runs past its rdata length.
        assert_eq!(decode(&rr(5, b"\x03abc")), Err(Bad::Truncated));
        assert_eq!(decode(&rr(5, b"\x01a")), Err(Bad::Truncated));
        let mut m = rr(5, b"\x01a");
        m.extend_from_slice(b"\x00");
        assert_eq!(decode(&m), Err(Bad::Rdata));
        assert_eq!(decode(&rr(6, b"\x00\x00\x00\x00")), Err(Bad::Rdata));
        // An answer count far beyond the data.
        let mut m = reply(&q, 0, b"");
        m[6] = 0xff;
        assert_eq!(decode(&m), Err(Bad::Truncated));
        // A compression loop in an answer's name.
        let mut m = reply(&q, 1, b"\xc0\x00");
        let at = m.len() - 2;
        m[at + 1] = at as u8;
        assert_eq!(decode(&m), Err(Bad::Pointer));
    }

    #[test]
    fn reply_must_match_query() {
        let q = query(7, b"x.test", A, false).unwrap();
        let ok = reply(&q, 0, b"");
        assert!(answers(&q, &ok));
        let mut upper = ok.clone();
        upper[13] = b'X';
        assert!(answers(&q, &upper));
        let mut m = ok.clone();
        m[1] = 8;
        assert!(!answers(&q, &m), "id");
        let mut m = ok.clone();
        m[2] &= 0x7f;
        assert!(!answers(&q, &m), "not a response");
        let mut m = ok.clone();
        m[13] = b'z';
        assert!(!answers(&q, &m), "name");
        let mut m = ok.clone();
        let l = m.len();
        m[l - 3] = 28;
        assert!(!answers(&q, &m), "type");
        assert!(!answers(&q, &ok[..5]));
        // No question: only for error replies.
        let mut m = ok[..12].to_vec();
        m[5] = 0;
        assert!(!answers(&q, &m));
        m[3] |= SERVFAIL;
        assert!(answers(&q, &m));
    }

    #[test]
    fn reverse_names() {
        assert_eq!(
            reverse_name("10.0.0.5".parse().unwrap()),
            b"5.0.0.10.in-addr.arpa"
        );
        assert_eq!(
            reverse_name("2001:db8::1".parse().unwrap()),
            b"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa".as_slice()
        );
        assert_eq!(
            reverse_name("::ffff:1.2.3.4".parse().unwrap()),
            b"4.3.2.1.in-addr.arpa"
        );
    }

    #[test]
    fn text_escaping() {
        let mut o = Vec::new();
        escape_text(b"a \"q\" \\ \x1b[31m\x7f\x9b\xff", &mut o);
        assert_eq!(o, b"a \\\"q\\\" \\\\ \\027[31m\\127\\155\\255".as_slice());
    }

    /// The fuzz corpus (fuzz/corpus/dns_reply): real dnsmasq replies decode, the crafted
    /// bad ones are errors, none panics.
    #[test]
    fn fuzz_corpus() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/dns_reply");
        let mut n = 0;
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let data = std::fs::read(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let r = decode(&data);
            assert_eq!(r.is_ok(), !name.starts_with("bad-"), "{name}: {r:?}");
            n += 1;
        }
        assert!(n >= 20);
    }

    #[test]
    fn names_compare() {
        assert!(same_name(b"A.test.", b"a.TEST"));
        assert!(!same_name(b"a\\.", b"a"));
        assert!(!same_name(b"a.b", b"a.c"));
    }
}
