//! Mount tables (/proc/mounts, /etc/fstab) in getmntent's format, bytes throughout:
//! `FSNAME DIR TYPE OPTS FREQ PASSNO` with `\040`-style octal escapes decoded.

/// One table line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ent {
    pub fsname: Vec<u8>,
    pub dir: Vec<u8>,
    pub fstype: Vec<u8>,
    pub opts: Vec<u8>,
    pub freq: u32,
    pub passno: u32,
}

/// `\NNN` octal escapes turned back into bytes.
pub fn unescape(s: &[u8]) -> Vec<u8> {
    let mut o = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\'
            && i + 3 < s.len()
            && s[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c))
        {
            let v = (s[i + 1] - b'0') as u32 * 64
                + (s[i + 2] - b'0') as u32 * 8
                + (s[i + 3] - b'0') as u32;
            o.push(v as u8);
            i += 4;
        } else {
            o.push(s[i]);
            i += 1;
        }
    }
    o
}

/// The entries of a table's text (comments and short lines skipped).
pub fn parse(text: &[u8]) -> Vec<Ent> {
    let mut v = Vec::new();
    for l in text.split(|&c| c == b'\n') {
        let mut f = l
            .split(|&c| c == b' ' || c == b'\t')
            .filter(|s| !s.is_empty());
        let Some(first) = f.next() else { continue };
        if first.starts_with(b"#") {
            continue;
        }
        let (Some(dir), Some(fstype)) = (f.next(), f.next()) else {
            continue;
        };
        let opts = f.next().unwrap_or(b"defaults");
        let n = |x: Option<&[u8]>| x.and_then(crate::args::parse_u64).unwrap_or(0) as u32;
        let freq = n(f.next());
        let passno = n(f.next());
        v.push(Ent {
            fsname: unescape(first),
            dir: unescape(dir),
            fstype: unescape(fstype),
            opts: unescape(opts),
            freq,
            passno,
        });
    }
    v
}

/// /proc/mounts (Err: the errno).
pub fn mounted() -> Result<Vec<Ent>, i32> {
    std::fs::read("/proc/mounts")
        .map(|t| parse(&t))
        .map_err(|e| crate::sys::errno_of(&e))
}

/// Whether `list` (`a,b,noc`: "no" negates) admits `fstype`, as BusyBox's fstype_matches.
pub fn type_matches(fstype: &[u8], list: &[u8]) -> bool {
    let (neg, list) = match list.strip_prefix(b"no") {
        Some(l) => (true, l),
        None => (false, list),
    };
    list.split(|&c| c == b',').any(|t| t == fstype) != neg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables() {
        let t =
            b"# c\n/dev/sda1 / ext4 rw,relatime 0 1\nnone /a\\040b tmpfs rw 0 0\nshort line\n\n";
        let e = parse(t);
        assert_eq!(e.len(), 2);
        assert_eq!(e[1].dir, b"/a b");
        assert_eq!((e[0].freq, e[0].passno), (0, 1));
        assert!(type_matches(b"tmpfs", b"ext4,tmpfs"));
        assert!(!type_matches(b"tmpfs", b"notmpfs"));
        assert!(type_matches(b"ext4", b"notmpfs,proc"));
        assert_eq!(unescape(b"a\\011b\\"), b"a\tb\\");
    }
}
