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
    crate::sys::read_file(b"/proc/mounts").map(|t| parse(&t))
}

/// Whether `list` (`a,b,noc`: "no" negates) admits `fstype`, as BusyBox's fstype_matches.
pub fn type_matches(fstype: &[u8], list: &[u8]) -> bool {
    let (neg, list) = match list.strip_prefix(b"no") {
        Some(l) => (true, l),
        None => (false, list),
    };
    list.split(|&c| c == b',').any(|t| t == fstype) != neg
}

const LOOP_SET_FD: u64 = 0x4C00;
const LOOP_CLR_FD: u64 = 0x4C01;
const LOOP_SET_STATUS64: u64 = 0x4C04;
const LOOP_GET_STATUS64: u64 = 0x4C05;
const LOOP_CTL_GET_FREE: u64 = 0x4C82;

/// The number of a free loop device (/dev/loop-control).
pub fn loop_free() -> Result<u32, i32> {
    // SAFETY: an ioctl on a descriptor opened here.
    unsafe {
        let ctl = libc::open(
            c"/dev/loop-control".as_ptr(),
            libc::O_RDWR | libc::O_CLOEXEC,
        );
        if ctl < 0 {
            return Err(crate::sys::errno());
        }
        let n = libc::ioctl(ctl, LOOP_CTL_GET_FREE as _);
        let e = crate::sys::errno();
        libc::close(ctl);
        if n < 0 {
            Err(e)
        } else {
            Ok(n as u32)
        }
    }
}

/// Attaches `file` (from byte `offset`) to loop device `dev` (a free one when None): the
/// device's path and an open descriptor of it. With `autoclear` the kernel frees the
/// device at its last close once unmounted, so the descriptor is to be closed only when
/// a mount holds the device.
pub fn loop_attach(
    file: &[u8],
    dev: Option<&[u8]>,
    offset: u64,
    ro: bool,
    autoclear: bool,
) -> Result<(Vec<u8>, i32), i32> {
    let dev = match dev {
        Some(d) => d.to_vec(),
        None => format!("/dev/loop{}", loop_free()?).into_bytes(),
    };
    let mode = if ro { libc::O_RDONLY } else { libc::O_RDWR };
    let f = crate::sys::cstr(file).ok_or(libc::EINVAL)?;
    let d = crate::sys::cstr(&dev).ok_or(libc::EINVAL)?;
    // SAFETY: ioctls on descriptors opened here; info is the kernel's loop_info64 (232 bytes).
    unsafe {
        let ffd = libc::open(f.as_ptr(), mode | libc::O_CLOEXEC);
        if ffd < 0 {
            return Err(crate::sys::errno());
        }
        let dfd = libc::open(d.as_ptr(), mode | libc::O_CLOEXEC);
        if dfd < 0 {
            let e = crate::sys::errno();
            libc::close(ffd);
            return Err(e);
        }
        let mut r = libc::ioctl(dfd, LOOP_SET_FD as _, ffd);
        if r == 0 {
            let mut info = [0u8; 232];
            info[24..32].copy_from_slice(&offset.to_ne_bytes());
            // lo_flags: LO_FLAGS_READ_ONLY 1, LO_FLAGS_AUTOCLEAR 4.
            let fl: u32 = if autoclear { 4 } else { 0 } | ro as u32;
            info[52..56].copy_from_slice(&fl.to_ne_bytes());
            let name = file.get(..63).unwrap_or(file);
            info[56..56 + name.len()].copy_from_slice(name);
            r = libc::ioctl(dfd, LOOP_SET_STATUS64 as _, info.as_ptr());
            if r != 0 {
                libc::ioctl(dfd, LOOP_CLR_FD as _, 0);
            }
        }
        let e = crate::sys::errno();
        libc::close(ffd);
        if r != 0 {
            libc::close(dfd);
            return Err(e);
        }
        Ok((dev, dfd))
    }
}

/// `OFFSET FILE` of an attached loop device, as BusyBox's losetup shows it.
pub fn loop_query(dev: &[u8]) -> Result<Vec<u8>, i32> {
    let d = crate::sys::cstr(dev).ok_or(libc::EINVAL)?;
    // SAFETY: as above.
    unsafe {
        let fd = libc::open(d.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return Err(crate::sys::errno());
        }
        let mut info = [0u8; 232];
        let r = libc::ioctl(fd, LOOP_GET_STATUS64 as _, info.as_mut_ptr());
        let e = crate::sys::errno();
        libc::close(fd);
        if r != 0 {
            return Err(e);
        }
        let mut off = [0u8; 8];
        off.copy_from_slice(&info[24..32]);
        let name = &info[56..120];
        let name = &name[..name.iter().position(|&c| c == 0).unwrap_or(64)];
        let mut o = u64::from_ne_bytes(off).to_string().into_bytes();
        o.push(b' ');
        o.extend_from_slice(name);
        Ok(o)
    }
}

/// Detaches a loop device.
pub fn loop_detach(dev: &[u8]) -> Result<(), i32> {
    let d = crate::sys::cstr(dev).ok_or(libc::EINVAL)?;
    // SAFETY: as above.
    unsafe {
        let fd = libc::open(d.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return Err(crate::sys::errno());
        }
        let r = libc::ioctl(fd, LOOP_CLR_FD as _, 0);
        let e = crate::sys::errno();
        libc::close(fd);
        if r != 0 {
            Err(e)
        } else {
            Ok(())
        }
    }
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
