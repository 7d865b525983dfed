//! Thin, allocation-free wrappers over the system calls the core needs.

use std::ffi::CStr;
use std::io;

/// The `errno` of the last failed call.
pub fn errno() -> i32 {
    io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// The errno inside an `io::Error` (EIO when it came from Rust code, not the kernel).
pub fn errno_of(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(match e.kind() {
        io::ErrorKind::NotFound => libc::ENOENT,
        io::ErrorKind::PermissionDenied => libc::EACCES,
        io::ErrorKind::InvalidInput => libc::EINVAL,
        io::ErrorKind::UnexpectedEof => libc::EIO,
        _ => libc::EIO,
    })
}

/// The C library's text for an errno ("No such file or directory"), as BusyBox prints it.
pub fn strerror(errno: i32) -> &'static [u8] {
    // SAFETY: strerror returns a pointer to a static string on musl and glibc alike.
    unsafe {
        let p = libc::strerror(errno);
        if p.is_null() {
            return b"Unknown error";
        }
        CStr::from_ptr(p).to_bytes()
    }
}

/// write(2) until all of `buf` is written; EINTR is retried. Returns the errno on failure.
pub fn write_all(fd: i32, mut buf: &[u8]) -> Result<(), i32> {
    while !buf.is_empty() {
        // SAFETY: buf is a valid readable slice.
        let n = unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) };
        if n < 0 {
            let e = errno();
            if e == libc::EINTR {
                continue;
            }
            return Err(e);
        }
        if n == 0 {
            return Err(libc::EIO);
        }
        buf = &buf[n as usize..];
    }
    Ok(())
}

/// read(2) with EINTR retried. Ok(0) is end of file.
pub fn read(fd: i32, buf: &mut [u8]) -> Result<usize, i32> {
    loop {
        // SAFETY: buf is a valid writable slice.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = errno();
        if e != libc::EINTR {
            return Err(e);
        }
    }
}

pub fn isatty(fd: i32) -> bool {
    // SAFETY: isatty only inspects the descriptor.
    unsafe { libc::isatty(fd) == 1 }
}

/// The terminal width of `fd` (TIOCGWINSZ), if it is a terminal.
pub fn term_width(fd: i32) -> Option<usize> {
    // SAFETY: winsize is plain data, filled by the kernel.
    unsafe {
        let mut ws: libc::winsize = std::mem::zeroed();
        if libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) == 0 && ws.ws_col > 0 {
            Some(ws.ws_col as usize)
        } else {
            None
        }
    }
}

/// A NUL-terminated copy of `s` for a C call; None if `s` holds a NUL byte.
pub fn cstr(s: &[u8]) -> Option<std::ffi::CString> {
    std::ffi::CString::new(s).ok()
}

/// Output width as BusyBox computes it: the terminal's width, else $COLUMNS, else 80.
pub fn term_cols(fd: i32) -> usize {
    if let Some(w) = term_width(fd) {
        return w;
    }
    match std::env::var_os("COLUMNS")
        .and_then(|v| crate::args::parse_u64(std::os::unix::ffi::OsStrExt::as_bytes(v.as_os_str())))
    {
        Some(n) if n > 1 && n < 30000 => n as usize,
        _ => 80,
    }
}

/// The part of a path after its last `/` (trailing slashes ignored), as basename(3).
pub fn basename(p: &[u8]) -> &[u8] {
    let mut end = p.len();
    while end > 1 && p[end - 1] == b'/' {
        end -= 1;
    }
    let p = &p[..end];
    // A plain loop, not memchr: argv[0] is short, and memchr's first call detects the CPU
    // with cpuid, which a VM traps (tens of µs here), on every exec of every applet.
    match p.iter().rposition(|&c| c == b'/') {
        Some(i) if p.len() > 1 => &p[i + 1..],
        _ => p,
    }
}
