//! Path helpers shared by the file applets: stat/lstat without allocation beyond the C
//! string, readlink, and canonical absolute paths in the three strictnesses readlink knows:
//!
//! ```text
//! let st = paths::stat(b"x", true)?;                  // Err is the errno
//! let p = paths::canonical(b"a/../b", Canon::Parent)?; // readlink -f, realpath
//! ```

use crate::sys;

/// How much of a path must exist for `canonical`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Canon {
    /// Every component (`readlink -e`).
    All,
    /// Every component but the last (`readlink -f`, `realpath`).
    Parent,
    /// None (`readlink -m`).
    None,
}

/// stat(2) (`follow`) or lstat(2) of `path`.
pub fn stat(path: &[u8], follow: bool) -> Result<libc::stat, i32> {
    let c = sys::cstr(path).ok_or(libc::EINVAL)?;
    // SAFETY: stat is plain data the kernel fills in; c is NUL-terminated.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        let r = if follow {
            libc::stat(c.as_ptr(), &mut st)
        } else {
            libc::lstat(c.as_ptr(), &mut st)
        };
        if r == 0 {
            Ok(st)
        } else {
            Err(sys::errno())
        }
    }
}

/// fstat(2).
pub fn fstat(fd: i32) -> Result<libc::stat, i32> {
    // SAFETY: as in `stat`.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        if libc::fstat(fd, &mut st) == 0 {
            Ok(st)
        } else {
            Err(sys::errno())
        }
    }
}

pub fn is_dir(st: &libc::stat) -> bool {
    st.st_mode & libc::S_IFMT == libc::S_IFDIR
}

pub fn is_link(st: &libc::stat) -> bool {
    st.st_mode & libc::S_IFMT == libc::S_IFLNK
}

/// Whether `path` is a directory (following symlinks when `follow`).
pub fn dir_exists(path: &[u8], follow: bool) -> bool {
    stat(path, follow).is_ok_and(|s| is_dir(&s))
}

/// The target of the symlink `path`.
pub fn readlink(path: &[u8]) -> Result<Vec<u8>, i32> {
    let c = sys::cstr(path).ok_or(libc::EINVAL)?;
    let mut buf = vec![0u8; 256];
    loop {
        // SAFETY: buf is writable for its length; c is NUL-terminated.
        let n = unsafe { libc::readlink(c.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            return Err(sys::errno());
        }
        let n = n as usize;
        if n < buf.len() {
            buf.truncate(n);
            return Ok(buf);
        }
        buf.resize(buf.len() * 2, 0);
    }
}

/// The current directory.
pub fn getcwd() -> Result<Vec<u8>, i32> {
    let mut buf = vec![0u8; 512];
    loop {
        // SAFETY: buf is writable for its length.
        let p = unsafe { libc::getcwd(buf.as_mut_ptr().cast(), buf.len()) };
        if !p.is_null() {
            let n = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
            buf.truncate(n);
            return Ok(buf);
        }
        let e = sys::errno();
        if e != libc::ERANGE {
            return Err(e);
        }
        buf.resize(buf.len() * 2, 0);
    }
}

/// The absolute path of `path` with `.`, `..`, repeated slashes and symlinks resolved, as
/// much of it having to exist as `mode` says. Err is the errno (ELOOP after 40 links).
pub fn canonical(path: &[u8], mode: Canon) -> Result<Vec<u8>, i32> {
    if path.is_empty() {
        return Err(libc::ENOENT);
    }
    let mut out = if path[0] == b'/' {
        Vec::new()
    } else {
        getcwd()?
    };
    // Components still to do, last first, so a link's target is pushed in front cheaply.
    let mut todo: Vec<Vec<u8>> = Vec::new();
    push_parts(&mut todo, path);
    let mut links = 0;
    // Once a component is missing (Canon::None), nothing after it is looked up.
    let mut missing = false;
    while let Some(part) = todo.pop() {
        match &part[..] {
            b"." => continue,
            b".." => {
                let cut = out.iter().rposition(|&c| c == b'/').unwrap_or(0);
                out.truncate(cut);
                continue;
            }
            _ => {}
        }
        let len = out.len();
        out.push(b'/');
        out.extend_from_slice(&part);
        if missing {
            continue;
        }
        match stat(&out, false) {
            Err(libc::ENOENT)
                if mode == Canon::None || (mode == Canon::Parent && todo.is_empty()) =>
            {
                missing = true;
            }
            Err(e) => return Err(e),
            Ok(st) if is_link(&st) => {
                links += 1;
                if links > 40 {
                    return Err(libc::ELOOP);
                }
                let target = readlink(&out)?;
                out.truncate(len);
                if target.first() == Some(&b'/') {
                    out.clear();
                }
                push_parts(&mut todo, &target);
            }
            Ok(st) if !is_dir(&st) && !todo.is_empty() => {
                if mode == Canon::None {
                    missing = true;
                } else {
                    return Err(libc::ENOTDIR);
                }
            }
            Ok(_) => {}
        }
    }
    if out.is_empty() {
        out.push(b'/');
    }
    Ok(out)
}

fn push_parts(todo: &mut Vec<Vec<u8>>, path: &[u8]) {
    for p in path.split(|&c| c == b'/').rev() {
        if !p.is_empty() {
            todo.push(p.to_vec());
        }
    }
}

/// `dir/name` (no doubled slash), BusyBox's concat_path_file.
pub fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(dir.len() + name.len() + 1);
    v.extend_from_slice(dir);
    if !dir.is_empty() && !dir.ends_with(b"/") {
        v.push(b'/');
    }
    v.extend_from_slice(name.strip_prefix(b"/").unwrap_or(name));
    v
}

/// The last component of `path` with trailing slashes removed (BusyBox's
/// bb_get_last_path_component_strip); "/" stays "/".
pub fn last_component(path: &[u8]) -> &[u8] {
    sys::basename(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_paths() {
        assert_eq!(canonical(b"/", Canon::All).unwrap(), b"/");
        assert_eq!(canonical(b"//usr/./bin/..", Canon::All).unwrap(), b"/usr");
        assert_eq!(
            canonical(b"/nonexistent-rbox", Canon::Parent).unwrap(),
            b"/nonexistent-rbox"
        );
        assert_eq!(
            canonical(b"/nonexistent-rbox/x", Canon::Parent),
            Err(libc::ENOENT)
        );
        assert_eq!(
            canonical(b"/nonexistent-rbox", Canon::All),
            Err(libc::ENOENT)
        );
        assert_eq!(
            canonical(b"/no-rbox/x/../y", Canon::None).unwrap(),
            b"/no-rbox/y"
        );
        assert_eq!(canonical(b"/..", Canon::All).unwrap(), b"/");
    }

    #[test]
    fn joins() {
        assert_eq!(join(b"a", b"b"), b"a/b");
        assert_eq!(join(b"a/", b"b"), b"a/b");
        assert_eq!(join(b"/", b"b"), b"/b");
        assert_eq!(join(b"", b"b"), b"b");
    }
}
