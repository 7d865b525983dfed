//! Transport: one query to one server over UDP or TCP, with a deadline. A reply counts only
//! if it comes from the server asked (the UDP socket is connected, so the kernel drops
//! datagrams from any other address or port) and `msg::answers` the query (same id, same
//! question); anything else is ignored while the deadline lasts.

use super::msg;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

/// Why a server gave no usable reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetErr {
    /// Nothing that answered the query before the deadline.
    Timeout,
    /// The server's port is closed (ICMP port unreachable, TCP RST).
    Refused,
    /// Any other socket error (errno).
    Io(i32),
}

fn io_err(e: std::io::Error) -> NetErr {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => NetErr::Refused,
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => NetErr::Timeout,
        _ => NetErr::Io(crate::sys::errno_of(&e)),
    }
}

/// Random bytes from getrandom(2) (falling back to the clock and pid, which only a broken
/// kernel would make us use).
pub fn random_u32() -> u32 {
    let mut b = [0u8; 4];
    // SAFETY: b is a valid 4-byte buffer.
    let n = unsafe { libc::getrandom(b.as_mut_ptr().cast(), 4, 0) };
    if n == 4 {
        return u32::from_ne_bytes(b);
    }
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    t ^ std::process::id().rotate_left(16)
}

/// A UDP socket bound to a random port (getrandom) above 1024, for `server`'s family;
/// after a few ports in use, whatever the kernel picks.
fn udp_socket(server: &SocketAddr) -> Result<UdpSocket, NetErr> {
    let any: SocketAddr = match server {
        SocketAddr::V4(_) => (std::net::Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (std::net::Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    for _ in 0..8 {
        let port = 1025 + (random_u32() % (65535 - 1025)) as u16;
        let mut a = any;
        a.set_port(port);
        if let Ok(s) = UdpSocket::bind(a) {
            return Ok(s);
        }
    }
    UdpSocket::bind(any).map_err(io_err)
}

/// Sends `query` to `server` over UDP and waits until `deadline` for a reply to it.
pub fn udp(server: &SocketAddr, query: &[u8], deadline: Instant) -> Result<Vec<u8>, NetErr> {
    let s = udp_socket(server)?;
    s.connect(server).map_err(io_err)?;
    s.send(query).map_err(io_err)?;
    // Room for any datagram: a server that ignores the EDNS0 size must not have its reply
    // cut short by the kernel (that would look malformed rather than truncated).
    let mut buf = vec![0u8; 65536];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(NetErr::Timeout);
        }
        s.set_read_timeout(Some(left)).map_err(io_err)?;
        let n = match s.recv(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_err(e)),
        };
        if let Some(r) = buf.get(..n).filter(|r| msg::answers(query, r)) {
            return Ok(r.to_vec());
        }
    }
}

/// The same over TCP: a two-byte length before the query and before the reply.
pub fn tcp(server: &SocketAddr, query: &[u8], deadline: Instant) -> Result<Vec<u8>, NetErr> {
    let left = |d: Instant| {
        let l = d.saturating_duration_since(Instant::now());
        if l.is_zero() {
            Err(NetErr::Timeout)
        } else {
            Ok(l)
        }
    };
    let mut s = TcpStream::connect_timeout(server, left(deadline)?).map_err(io_err)?;
    s.set_write_timeout(Some(left(deadline)?)).map_err(io_err)?;
    let len = u16::try_from(query.len()).map_err(|_| NetErr::Io(libc::EMSGSIZE))?;
    let mut out = Vec::with_capacity(query.len() + 2);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(query);
    s.write_all(&out).map_err(io_err)?;
    let mut read = |buf: &mut [u8]| -> Result<(), NetErr> {
        let mut got = 0;
        while got < buf.len() {
            s.set_read_timeout(Some(left(deadline)?)).map_err(io_err)?;
            match s.read(&mut buf[got..]) {
                Ok(0) => return Err(NetErr::Io(libc::ECONNRESET)),
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_err(e)),
            }
        }
        Ok(())
    };
    let mut l = [0u8; 2];
    read(&mut l)?;
    let mut r = vec![0u8; u16::from_be_bytes(l) as usize];
    read(&mut r)?;
    // One query per connection: a reply that does not answer it ends the exchange.
    if msg::answers(query, &r) {
        Ok(r)
    } else {
        Err(NetErr::Timeout)
    }
}

/// A deadline `ms` milliseconds from now.
pub fn after(ms: u32) -> Instant {
    Instant::now() + Duration::from_millis(ms as u64)
}
