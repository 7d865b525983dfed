//! Numbers with unit suffixes, as BusyBox's xatoull_sfx reads them:
//!
//! ```text
//! suffix::parse(b"4k", suffix::KMG)        // Some(4096)
//! suffix::parse(b"2b", suffix::DD)         // Some(1024)
//! ```
//! Decimal digits, then at most one suffix from the table; overflow is None.

/// truncate's units (BusyBox's kmg_i_suffixes).
pub const KMG: &[(&[u8], u64)] = &[
    (b"k", 1 << 10),
    (b"K", 1 << 10),
    (b"kB", 1000),
    (b"KB", 1000),
    (b"M", 1 << 20),
    (b"MB", 1_000_000),
    (b"G", 1 << 30),
    (b"GB", 1_000_000_000),
];

/// fallocate's and shred's units: KMG with lower-case m and g and the -iB forms.
pub const KMGI: &[(&[u8], u64)] = &[
    (b"k", 1 << 10),
    (b"K", 1 << 10),
    (b"KiB", 1 << 10),
    (b"kB", 1000),
    (b"KB", 1000),
    (b"m", 1 << 20),
    (b"M", 1 << 20),
    (b"MiB", 1 << 20),
    (b"MB", 1_000_000),
    (b"g", 1 << 30),
    (b"G", 1 << 30),
    (b"GiB", 1 << 30),
    (b"GB", 1_000_000_000),
];

/// dd's units (BusyBox's dd_suffixes).
pub const DD: &[(&[u8], u64)] = &[
    (b"c", 1),
    (b"w", 2),
    (b"b", 512),
    (b"kB", 1000),
    (b"kD", 1000),
    (b"k", 1 << 10),
    (b"K", 1 << 10),
    (b"MB", 1_000_000),
    (b"MD", 1_000_000),
    (b"M", 1 << 20),
    (b"GB", 1_000_000_000),
    (b"GD", 1_000_000_000),
    (b"G", 1 << 30),
];

/// `digits[suffix]` scaled by the suffix's factor.
pub fn parse(s: &[u8], table: &[(&[u8], u64)]) -> Option<u64> {
    let d = s
        .iter()
        .position(|c| !c.is_ascii_digit())
        .unwrap_or(s.len());
    let n = crate::args::parse_u64(&s[..d])?;
    let rest = &s[d..];
    if rest.is_empty() {
        return Some(n);
    }
    let m = table.iter().find(|t| t.0 == rest)?.1;
    n.checked_mul(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes() {
        assert_eq!(parse(b"10", KMG), Some(10));
        assert_eq!(parse(b"1k", KMG), Some(1024));
        assert_eq!(parse(b"1kB", KMG), Some(1000));
        assert_eq!(parse(b"1m", KMG), None);
        assert_eq!(parse(b"1m", KMGI), Some(1 << 20));
        assert_eq!(parse(b"3b", DD), Some(1536));
        assert_eq!(parse(b"b", DD), None);
        assert_eq!(parse(b"", DD), None);
        assert_eq!(parse(b"99999999999999G", DD), None);
    }
}
