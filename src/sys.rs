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

/// Reads `fd` to its end, appending to `v` straight into its spare capacity (no bounce
/// buffer, so a whole-file reader copies each byte once). Give `v` the file's size plus a
/// page of capacity first to read a regular file without growing.
pub fn read_to_end(fd: i32, v: &mut Vec<u8>) -> Result<(), i32> {
    loop {
        if v.capacity() - v.len() < 4096 {
            v.reserve(v.len().clamp(128 * 1024, 64 << 20));
        }
        let spare = v.spare_capacity_mut();
        // SAFETY: read(2) writes at most spare.len() bytes into the vector's spare capacity.
        let n = unsafe { libc::read(fd, spare.as_mut_ptr().cast(), spare.len()) };
        if n == 0 {
            return Ok(());
        }
        if n < 0 {
            let e = errno();
            if e != libc::EINTR {
                return Err(e);
            }
            continue;
        }
        // SAFETY: the read initialised n more bytes.
        unsafe { v.set_len(v.len() + n as usize) };
    }
}

/// open(2) read-only and close-on-exec, EINTR retried, as std's File::open does (without
/// std's OpenOptions, whose checks pull in boxed string errors). Err is the errno (EINVAL
/// for a path holding a NUL byte).
pub fn open_read(path: &[u8]) -> Result<i32, i32> {
    let c = cstr(path).ok_or(libc::EINVAL)?;
    loop {
        // SAFETY: c is NUL-terminated.
        let fd = unsafe { libc::open(c.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
        if fd >= 0 {
            return Ok(fd);
        }
        let e = errno();
        if e != libc::EINTR {
            return Err(e);
        }
    }
}

/// The whole of file `path`, as std::fs::read reads it. Err is the errno.
pub fn read_file(path: &[u8]) -> Result<Vec<u8>, i32> {
    let fd = open_read(path)?;
    let mut v = Vec::new();
    let r = read_to_end(fd, &mut v);
    // SAFETY: fd was opened above and is closed once.
    unsafe { libc::close(fd) };
    r.map(|()| v)
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

/// getenv(3), copied out: what std::env::var_os gives, without its lock and OsString
/// wrappers (their bytes were repeated at each applet's use).
pub fn getenv(name: &CStr) -> Option<Vec<u8>> {
    // SAFETY: name is NUL-terminated; the value is copied before anything can change it.
    unsafe {
        let p = libc::getenv(name.as_ptr());
        (!p.is_null()).then(|| CStr::from_ptr(p).to_bytes().to_vec())
    }
}

/// A NUL-terminated copy of `s` for a C call; None if `s` holds a NUL byte.
pub fn cstr(s: &[u8]) -> Option<std::ffi::CString> {
    std::ffi::CString::new(s).ok()
}

/// Output width as BusyBox's get_terminal_width computes it: $COLUMNS when set (read as
/// atoi does, and it wins over the terminal so a user can force a width), else the
/// terminal's width, else 80; a value outside 2..29999 gives 80.
pub fn term_cols(fd: i32) -> usize {
    let v = match getenv(c"COLUMNS") {
        Some(s) => atoi(&s),
        None => term_width(fd).map_or(0, |w| w as i64),
    };
    if v <= 1 || v >= 30000 {
        80
    } else {
        v as usize
    }
}

/// C's atoi: leading white space, an optional sign, then digits up to the first non-digit;
/// 0 when there are none. Saturates instead of overflowing.
pub fn atoi(s: &[u8]) -> i64 {
    let mut i = 0;
    while s.get(i).is_some_and(|c| matches!(c, b' ' | b'\t'..=b'\r')) {
        i += 1;
    }
    let neg = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let mut n: i64 = 0;
    while let Some(d) = s.get(i).filter(|c| c.is_ascii_digit()) {
        n = n.saturating_mul(10).saturating_add((d - b'0') as i64);
        i += 1;
    }
    if neg {
        -n
    } else {
        n
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

extern "C" {
    #[link_name = "environ"]
    static C_ENVIRON: *const *const libc::c_char;
}

/// The process environment, its `NAME=VALUE` entries in order, copied (a later `setenv`
/// may free what `environ` points to).
pub fn environ() -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    // SAFETY: environ is the C library's NULL-terminated array of NUL-terminated strings (or
    // NULL after clearenv); nothing changes it while we copy.
    unsafe {
        let mut p = C_ENVIRON;
        while !p.is_null() && !(*p).is_null() {
            v.push(CStr::from_ptr(*p).to_bytes().to_vec());
            p = p.add(1);
        }
    }
    v
}

/// execvp(3) with an explicit environment, as glibc's execvpe does it: a `file` without `/`
/// is searched for in the PATH of `envp` (glibc's `/bin:/usr/bin` when there is none; an
/// empty element is the current directory); a permission error is remembered while the
/// search goes on; a file the kernel cannot execute (ENOEXEC) is run by `/bin/sh`. Returns
/// only on failure, with the errno to report.
pub fn execvpe(file: &[u8], argv: &[&[u8]], envp: &[Vec<u8>]) -> i32 {
    // Every string NUL-terminated in one buffer, and one pointer array laid out as
    // [/bin/sh, argv..., NULL, (NULL when argv is empty), envp..., NULL]: `&ptrs[1..]` is
    // execve's argv, and the ENOEXEC retry runs `ptrs` from slot 0 with argv[0] replaced by
    // the file name. One allocation each, not a CString per string.
    let mut text = Vec::new();
    let mut at = Vec::with_capacity(argv.len() + envp.len());
    for s in argv.iter().copied().chain(envp.iter().map(Vec::as_slice)) {
        if s.contains(&0) {
            return libc::EINVAL;
        }
        at.push(text.len());
        text.extend_from_slice(s);
        text.push(0);
    }
    let null = std::ptr::null::<libc::c_char>();
    let mut ptrs = Vec::with_capacity(at.len() + 4);
    ptrs.push(c"/bin/sh".as_ptr());
    for (i, &o) in at.iter().enumerate() {
        if i == argv.len() {
            ptrs.push(null);
            if argv.is_empty() {
                ptrs.push(null);
            }
        }
        // SAFETY: o is inside text, which is not changed after this.
        ptrs.push(unsafe { text.as_ptr().add(o) }.cast());
    }
    if envp.is_empty() {
        ptrs.push(null);
        if argv.is_empty() {
            ptrs.push(null);
        }
    }
    ptrs.push(null);
    let env = argv.len().max(1) + 2;
    let mut try_exec = |path: &[u8]| -> i32 {
        let Some(p) = cstr(path) else {
            return libc::EINVAL;
        };
        // SAFETY: p and the arrays are NUL-terminated and NULL-terminated as execve requires.
        unsafe { libc::execve(p.as_ptr(), ptrs[1..].as_ptr(), ptrs[env..].as_ptr()) };
        let e = errno();
        if e == libc::ENOEXEC {
            // A script without `#!`: the shell runs it, argv[0] becoming the file name.
            let a0 = std::mem::replace(&mut ptrs[1], p.as_ptr());
            // SAFETY: as above.
            unsafe { libc::execve(ptrs[0], ptrs.as_ptr(), ptrs[env..].as_ptr()) };
            ptrs[1] = a0;
            return errno();
        }
        e
    };
    if file.is_empty() {
        return libc::ENOENT;
    }
    if file.contains(&b'/') {
        return try_exec(file);
    }
    let path = envp
        .iter()
        .find_map(|e| e.strip_prefix(b"PATH="))
        .unwrap_or(b"/bin:/usr/bin");
    let mut eacces = false;
    let mut buf = Vec::with_capacity(path.len() + file.len() + 2);
    for dir in path.split(|&c| c == b':') {
        buf.clear();
        if !dir.is_empty() {
            buf.extend_from_slice(dir);
            buf.push(b'/');
        }
        buf.extend_from_slice(file);
        match try_exec(&buf) {
            libc::EACCES => eacces = true,
            libc::ENOENT | libc::ESTALE | libc::ENOTDIR | libc::ENODEV | libc::ETIMEDOUT => {}
            e => return e,
        }
    }
    if eacces {
        libc::EACCES
    } else {
        libc::ENOENT
    }
}

/// uname(2): cannot fail with a valid buffer.
pub fn utsname() -> libc::utsname {
    // SAFETY: utsname is plain data that uname(2) fills in.
    unsafe {
        let mut u: libc::utsname = std::mem::zeroed();
        libc::uname(&mut u);
        u
    }
}

/// The bytes of a NUL-terminated C char array field (utsname's), without the NUL.
pub fn cfield(s: &[libc::c_char]) -> &[u8] {
    // SAFETY: c_char and u8 have the same size and alignment; the length is s's own.
    let b = unsafe { std::slice::from_raw_parts(s.as_ptr().cast::<u8>(), s.len()) };
    &b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())]
}

/// BusyBox's bb_ask_y_confirmation: reads one line from stdin (byte by byte, so the rest
/// stays for the next question); yes when its first non-blank character is `y` or `Y`.
pub fn ask_yes() -> bool {
    let mut first = 0u8;
    let mut c = [0u8; 1];
    while let Ok(1) = read(0, &mut c) {
        if c[0] == b'\n' {
            break;
        }
        if first == 0 && c[0] != b' ' && c[0] != b'\t' {
            first = c[0] | 0x20;
        }
    }
    first == b'y'
}
