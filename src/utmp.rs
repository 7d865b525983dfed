//! The login records in /var/run/utmp, read directly: musl's getutxent reads nothing, so
//! `uptime`, `who` and `w` parse the glibc layout themselves (the same on x86_64 and
//! aarch64: 384-byte records).

pub const PATH: &str = "/var/run/utmp";
const SIZE: usize = 384;
pub const USER_PROCESS: i16 = 7;

/// One record, borrowed from the file's bytes.
pub struct Entry<'a> {
    pub kind: i16,
    pub pid: i32,
    pub line: &'a [u8],
    pub id: &'a [u8],
    pub user: &'a [u8],
    pub host: &'a [u8],
    pub session: i32,
    /// Login time, seconds since the epoch.
    pub time: i64,
}

fn cstr(b: &[u8]) -> &[u8] {
    &b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())]
}

fn i32_at(b: &[u8], at: usize) -> i32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[at..at + 4]);
    i32::from_ne_bytes(a)
}

/// The records in `data` (a trailing partial record is ignored).
pub fn entries(data: &[u8]) -> impl Iterator<Item = Entry<'_>> {
    data.chunks_exact(SIZE).map(|r| Entry {
        kind: i16::from_ne_bytes([r[0], r[1]]),
        pid: i32_at(r, 4),
        line: cstr(&r[8..40]),
        id: cstr(&r[40..44]),
        user: cstr(&r[44..76]),
        host: cstr(&r[76..332]),
        session: i32_at(r, 336),
        time: i32_at(r, 340) as u32 as i64,
    })
}

/// The contents of /var/run/utmp (empty when there is none).
pub fn read() -> Vec<u8> {
    crate::sys::read_file(PATH.as_bytes()).unwrap_or_default()
}

/// Logged-in users: USER_PROCESS records with a name.
pub fn users(data: &[u8]) -> impl Iterator<Item = Entry<'_>> {
    entries(data).filter(|e| e.kind == USER_PROCESS && !e.user.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_records() {
        let mut rec = vec![0u8; SIZE * 2 + 10];
        rec[0..2].copy_from_slice(&USER_PROCESS.to_ne_bytes());
        rec[4..8].copy_from_slice(&1234i32.to_ne_bytes());
        rec[8..13].copy_from_slice(b"pts/0");
        rec[44..48].copy_from_slice(b"root");
        rec[76..85].copy_from_slice(b"10.0.0.1:");
        rec[340..344].copy_from_slice(&1_000_000_000i32.to_ne_bytes());
        rec[SIZE..SIZE + 2].copy_from_slice(&8i16.to_ne_bytes()); // DEAD_PROCESS
        let all: Vec<_> = entries(&rec).collect();
        assert_eq!(all.len(), 2);
        let u: Vec<_> = users(&rec).collect();
        assert_eq!(u.len(), 1);
        assert_eq!(
            (u[0].pid, u[0].line, u[0].user, u[0].time),
            (1234, &b"pts/0"[..], &b"root"[..], 1_000_000_000)
        );
        assert_eq!(u[0].host, b"10.0.0.1:");
        assert_eq!(users(&[]).count(), 0);
    }
}
