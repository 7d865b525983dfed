//! Linux namespaces as util-linux and BusyBox name them, for `unshare` and `nsenter`.

/// (option letter, /proc/PID/ns name, clone flag), in the order they are entered: the user
/// namespace first (it grants the rights for the others), the mount namespace last.
pub const KINDS: [(u8, &str, i32); 7] = [
    (b'U', "user", libc::CLONE_NEWUSER),
    (b'C', "cgroup", libc::CLONE_NEWCGROUP),
    (b'i', "ipc", libc::CLONE_NEWIPC),
    (b'u', "uts", libc::CLONE_NEWUTS),
    (b'n', "net", libc::CLONE_NEWNET),
    (b'p', "pid", libc::CLONE_NEWPID),
    (b'm', "mnt", libc::CLONE_NEWNS),
];

/// mount(2) with C strings; Err(errno).
pub fn mount(
    src: &[u8],
    target: &[u8],
    fstype: Option<&[u8]>,
    flags: libc::c_ulong,
) -> Result<(), i32> {
    let c = |b: &[u8]| crate::sys::cstr(b).ok_or(libc::EINVAL);
    let (s, t) = (c(src)?, c(target)?);
    let f = match fstype {
        Some(f) => Some(c(f)?),
        None => None,
    };
    // SAFETY: all strings are NUL-terminated; data is NULL.
    let r = unsafe {
        libc::mount(
            s.as_ptr(),
            t.as_ptr(),
            f.as_ref().map_or(std::ptr::null(), |f| f.as_ptr()),
            flags,
            std::ptr::null(),
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(crate::sys::errno())
    }
}
