//! applet: stat
//! usage: stat [-ltf] [-c FMT] FILE...
//! Display file (default) or filesystem status
//!
//! -c FMT  Use the specified format
//! -f  Display filesystem status
//! -L  Follow links
//! -t  Terse display
//!
//! |FMT sequences for files:
//! | %a	Access rights in octal
//! | %A	Access rights in human readable form
//! | %b	Number of blocks allocated (see %B)
//! | %B	Size in bytes of each block reported by %b
//! | %d	Device number in decimal
//! | %D	Device number in hex
//! | %f	Raw mode in hex
//! | %F	File type
//! | %g	Group ID
//! | %G	Group name
//! | %h	Number of hard links
//! | %i	Inode number
//! | %n	File name
//! | %N	File name, with -> TARGET if symlink
//! | %o	I/O block size
//! | %s	Total size in bytes
//! | %t	Major device type in hex
//! | %T	Minor device type in hex
//! | %u	User ID
//! | %U	User name
//! | %x	Time of last access
//! | %X	Time of last access as seconds since Epoch
//! | %y	Time of last modification
//! | %Y	Time of last modification as seconds since Epoch
//! | %z	Time of last change
//! | %Z	Time of last change as seconds since Epoch
//!
//! |FMT sequences for file systems:
//! | %a	Free blocks available to non-superuser
//! | %b	Total data blocks
//! | %c	Total file nodes
//! | %d	Free file nodes
//! | %f	Free blocks
//! | %i	File System ID in hex
//! | %l	Maximum length of filenames
//! | %n	File name
//! | %s	Block size (for faster transfer)
//! | %S	Fundamental block size (for block counts)
//! | %t	Type in hex
//! | %T	Type in human readable form

use crate::users::Users;
use crate::{paths, sys, time, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

const FILE_FMT: &[u8] = b"  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n\
Device: %Dh/%dd\tInode: %-10i  Links: %h\n\
Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n\
Access: %x\nModify: %y\nChange: %z\n";
const DEV_FMT: &[u8] = b"  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n\
Device: %Dh/%dd\tInode: %-10i  Links: %-5h Device type: %t,%T\n\
Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n\
Access: %x\nModify: %y\nChange: %z\n";
const FILE_TERSE: &[u8] = b"%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %o\n";
const FS_FMT: &[u8] = b"  File: \"%n\"\n    ID: %-8i Namelen: %-7l Type: %T\n\
Block size: %-10s\nBlocks: Total: %-10b Free: %-10f Available: %a\n\
Inodes: Total: %-10c Free: %d\n";
const FS_TERSE: &[u8] = b"%n %i %l %t %s %b %f %a %c %d\n";

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "c:fLtl", &[("format", b'c'), ("dereference", b'L'), ("file-system", b'f'), ("terse", b't')])?;
    if o.args.is_empty() {
        return Err(cx.usage());
    }
    let users = Users::new();
    let custom: Option<&[u8]> = o.val(b'c').map(|c| c.as_bytes());
    let nl = custom.is_some();
    let mut status = 0;
    let mut out = Vec::with_capacity(512);
    for f in &o.args {
        let name = f.as_bytes();
        out.clear();
        if o.has(b'f') {
            let r = sys::cstr(name).ok_or(libc::EINVAL).and_then(|c| {
                // SAFETY: sfs is plain data statfs fills in; c is NUL-terminated.
                unsafe {
                    let mut sfs: libc::statfs = std::mem::zeroed();
                    if libc::statfs(c.as_ptr(), &mut sfs) == 0 {
                        Ok(sfs)
                    } else {
                        Err(sys::errno())
                    }
                }
            });
            let sfs = match r {
                Ok(s) => s,
                Err(e) => {
                    cx.err_path(b"can't read file system information for", name, e);
                    status = 1;
                    continue;
                }
            };
            let fmt = custom.unwrap_or(if o.has(b't') { FS_TERSE } else { FS_FMT });
            format(fmt, nl, &mut out, &mut |c, spec, out| fs_field(c, spec, out, name, &sfs));
        } else {
            let st = match paths::stat(name, o.has(b'L')) {
                Ok(s) => s,
                Err(e) => {
                    cx.err_path(b"can't stat", name, e);
                    status = 1;
                    continue;
                }
            };
            let dev = matches!(st.st_mode & libc::S_IFMT, libc::S_IFCHR | libc::S_IFBLK);
            let fmt = custom.unwrap_or(if o.has(b't') {
                FILE_TERSE
            } else if dev {
                DEV_FMT
            } else {
                FILE_FMT
            });
            format(fmt, nl, &mut out, &mut |c, spec, out| file_field(c, spec, out, name, &st, &users));
        }
        cx.out.write(&out);
    }
    Ok(status)
}

/// printf-style flags, width and precision of one `%` sequence.
#[derive(Default)]
struct Spec {
    left: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
}

/// A value for one sequence: a number (printed in `radix`) or text.
enum Val<'a> {
    Num(u64, u32),
    Text(&'a [u8]),
    Owned(Vec<u8>),
}

/// Expands `fmt`, then a newline if `nl`: `%%` is `%`, a sequence `field` does not know is
/// printed as its letter (padded as asked). A lone `%` at the end is printed, and then, as
/// BusyBox does, no newline. `field` is dyn: one copy of the loop serves both kinds.
fn format(fmt: &[u8], nl: bool, out: &mut Vec<u8>, field: &mut dyn FnMut(u8, &Spec, &mut Vec<u8>) -> bool) {
    let mut i = 0;
    while i < fmt.len() {
        let c = fmt[i];
        i += 1;
        if c != b'%' {
            out.push(c);
            continue;
        }
        let mut s = Spec::default();
        while let Some(&f) = fmt.get(i).filter(|f| b"-+ #0'".contains(f)) {
            s.left |= f == b'-';
            s.zero |= f == b'0';
            i += 1;
        }
        while let Some(d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
            s.width = s.width.saturating_mul(10).saturating_add((d - b'0') as usize);
            i += 1;
        }
        if fmt.get(i) == Some(&b'.') {
            i += 1;
            let mut p = 0usize;
            while let Some(d) = fmt.get(i).filter(|d| d.is_ascii_digit()) {
                p = p.saturating_mul(10).saturating_add((d - b'0') as usize);
                i += 1;
            }
            s.prec = Some(p);
        }
        match fmt.get(i) {
            None => {
                out.push(b'%');
                return;
            }
            Some(b'%') => {
                out.push(b'%');
                i += 1;
            }
            Some(&c) => {
                i += 1;
                if !field(c, &s, out) {
                    put(out, &s, Val::Text(&[c]));
                }
            }
        }
    }
    if nl {
        out.push(b'\n');
    }
}

fn put(out: &mut Vec<u8>, s: &Spec, v: Val) {
    let mut digits = [0u8; 24];
    let body: &[u8] = match &v {
        Val::Num(n, radix) => {
            let mut i = digits.len();
            let mut n = *n;
            loop {
                i -= 1;
                digits[i] = b"0123456789abcdef"[(n % *radix as u64) as usize];
                n /= *radix as u64;
                if n == 0 {
                    break;
                }
            }
            // Precision is a minimum digit count for numbers.
            while s.prec.is_some_and(|p| digits.len() - i < p) && i > 0 {
                i -= 1;
                digits[i] = b'0';
            }
            &digits[i..]
        }
        Val::Text(t) => &t[..s.prec.map_or(t.len(), |p| p.min(t.len()))],
        Val::Owned(t) => &t[..s.prec.map_or(t.len(), |p| p.min(t.len()))],
    };
    let pad = s.width.saturating_sub(body.len());
    let numeric = matches!(v, Val::Num(..));
    if !s.left {
        let c = if s.zero && numeric && s.prec.is_none() { b'0' } else { b' ' };
        out.resize(out.len() + pad, c);
    }
    out.extend_from_slice(body);
    if s.left {
        out.resize(out.len() + pad, b' ');
    }
}

fn file_field(c: u8, s: &Spec, out: &mut Vec<u8>, name: &[u8], st: &libc::stat, users: &Users) -> bool {
    let v = match c {
        b'a' => Val::Num((st.st_mode & 0o7777) as u64, 8),
        b'A' => Val::Owned(mode_string(st.st_mode)),
        b'b' => Val::Num(st.st_blocks as u64, 10),
        b'B' => Val::Num(512, 10),
        b'd' => Val::Num(st.st_dev, 10),
        b'D' => Val::Num(st.st_dev, 16),
        b'f' => Val::Num(st.st_mode as u64, 16),
        b'F' => Val::Text(file_type(st)),
        b'g' => Val::Num(st.st_gid as u64, 10),
        b'G' => Val::Owned(users.group_name(st.st_gid).unwrap_or(b"UNKNOWN").to_vec()),
        b'h' => Val::Num(st.st_nlink as u64, 10),
        b'i' => Val::Num(st.st_ino, 10),
        b'n' => Val::Text(name),
        b'N' => {
            if st.st_mode & libc::S_IFMT == libc::S_IFLNK {
                let t = paths::readlink(name).unwrap_or_default();
                Val::Owned([b"'", name, b"' -> '", &t, b"'"].concat())
            } else {
                Val::Text(name)
            }
        }
        b'o' => Val::Num(st.st_blksize as u64, 10),
        b's' => Val::Num(st.st_size as u64, 10),
        b't' => Val::Num(libc::major(st.st_rdev) as u64, 16),
        b'T' => Val::Num(libc::minor(st.st_rdev) as u64, 16),
        b'u' => Val::Num(st.st_uid as u64, 10),
        b'U' => Val::Owned(users.user_name(st.st_uid).unwrap_or(b"UNKNOWN").to_vec()),
        b'x' => Val::Owned(when(st.st_atime, st.st_atime_nsec)),
        b'X' => Val::Num(st.st_atime as u64, 10),
        b'y' => Val::Owned(when(st.st_mtime, st.st_mtime_nsec)),
        b'Y' => Val::Num(st.st_mtime as u64, 10),
        b'z' => Val::Owned(when(st.st_ctime, st.st_ctime_nsec)),
        b'Z' => Val::Num(st.st_ctime as u64, 10),
        _ => return false,
    };
    put(out, s, v);
    true
}

fn fs_field(c: u8, s: &Spec, out: &mut Vec<u8>, name: &[u8], f: &libc::statfs) -> bool {
    let v = match c {
        b'a' => Val::Num(f.f_bavail, 10),
        b'b' => Val::Num(f.f_blocks, 10),
        b'c' => Val::Num(f.f_files, 10),
        b'd' => Val::Num(f.f_ffree, 10),
        b'f' => Val::Num(f.f_bfree, 10),
        b'i' => {
            // SAFETY: fsid_t is two ints; its fields are private in the libc crate.
            let v: [u32; 2] = unsafe { std::mem::transmute(f.f_fsid) };
            Val::Num((v[0] as u64) << 32 | v[1] as u64, 16)
        }
        b'l' => Val::Num(f.f_namelen as u64, 10),
        b'n' => Val::Text(name),
        b's' => Val::Num(f.f_bsize as u64, 10),
        b'S' => Val::Num(f.f_frsize as u64, 10),
        b't' => Val::Num(f.f_type as u64 & 0xffff_ffff, 16),
        b'T' => Val::Text(fs_type(f.f_type as u64 & 0xffff_ffff)),
        _ => return false,
    };
    put(out, s, v);
    true
}

/// `2026-12-01 11:31:43.969525154 +0000`.
fn when(t: i64, ns: i64) -> Vec<u8> {
    let mut v = Vec::with_capacity(36);
    match time::local(t) {
        Some(tm) => {
            // musl's `%Y-%m-%d %H:%M:%S` by hand: strftime would link musl's printf
            // machinery (7 KB) for this one line. %Y is `%04lld` (so `-005` for year -5).
            let y = tm.year();
            time::num(&mut v, y, if y < 0 { 3 } else { 4 });
            v.push(b'-');
            time::num(&mut v, tm.0.tm_mon as i64 + 1, 2);
            v.push(b'-');
            time::num(&mut v, tm.0.tm_mday as i64, 2);
            v.push(b' ');
            tm.hms(&mut v);
            v.push(b'.');
            time::num(&mut v, ns, 9);
            v.push(b' ');
            tm.zone_offset(&mut v);
        }
        None => v.extend_from_slice(b"?"),
    }
    v
}

fn file_type(st: &libc::stat) -> &'static [u8] {
    match st.st_mode & libc::S_IFMT {
        libc::S_IFREG if st.st_size == 0 => b"regular empty file",
        libc::S_IFREG => b"regular file",
        libc::S_IFDIR => b"directory",
        libc::S_IFBLK => b"block special file",
        libc::S_IFCHR => b"character special file",
        libc::S_IFIFO => b"fifo",
        libc::S_IFLNK => b"symbolic link",
        libc::S_IFSOCK => b"socket",
        _ => b"weird file",
    }
}

/// `drwxr-xr-x`, with s/S, t/T for the special bits.
fn mode_string(m: u32) -> Vec<u8> {
    let t = match m & libc::S_IFMT {
        libc::S_IFDIR => b'd',
        libc::S_IFLNK => b'l',
        libc::S_IFCHR => b'c',
        libc::S_IFBLK => b'b',
        libc::S_IFIFO => b'p',
        libc::S_IFSOCK => b's',
        libc::S_IFREG => b'-',
        _ => b'?',
    };
    let mut v = vec![t];
    for (shift, special, lo, hi) in [(6, libc::S_ISUID, b's', b'S'), (3, libc::S_ISGID, b's', b'S'), (0, libc::S_ISVTX, b't', b'T')] {
        let bits = (m >> shift) & 7;
        v.push(if bits & 4 != 0 { b'r' } else { b'-' });
        v.push(if bits & 2 != 0 { b'w' } else { b'-' });
        v.push(match (bits & 1 != 0, m & special != 0) {
            (true, true) => lo,
            (false, true) => hi,
            (true, false) => b'x',
            (false, false) => b'-',
        });
    }
    v
}

/// BusyBox's names for filesystem magic numbers.
fn fs_type(t: u64) -> &'static [u8] {
    const T: &[(u64, &[u8])] = &[
        (0xADFF, b"affs"),
        (0x1Cd1, b"devpts"),
        (0x137D, b"ext"),
        (0xEF51, b"ext2"),
        (0xEF53, b"ext2/ext3"),
        (0x3153464a, b"jfs"),
        (0x58465342, b"xfs"),
        (0xF995E849, b"hpfs"),
        (0x9660, b"isofs"),
        (0x4000, b"isofs"),
        (0x4004, b"isofs"),
        (0x137F, b"minix"),
        (0x138F, b"minix (30 char.)"),
        (0x2468, b"minix v2"),
        (0x2478, b"minix v2 (30 char.)"),
        (0x4d44, b"msdos"),
        (0x4006, b"fat"),
        (0x564c, b"novell"),
        (0x6969, b"nfs"),
        (0x9fa0, b"proc"),
        (0x517B, b"smb"),
        (0x012FF7B4, b"xenix"),
        (0x012FF7B5, b"sysv4"),
        (0x012FF7B6, b"sysv2"),
        (0x012FF7B7, b"coh"),
        (0x00011954, b"ufs"),
        (0x012FD16D, b"xia"),
        (0x5346544e, b"ntfs"),
        (0x1021994, b"tmpfs"),
        (0x52654973, b"reiserfs"),
        (0x28cd3d45, b"cramfs"),
        (0x7275, b"romfs"),
        (0x858458f6, b"romfs"),
        (0x73717368, b"squashfs"),
        (0x62656572, b"sysfs"),
    ];
    T.iter().find(|e| e.0 == t).map_or(b"UNKNOWN", |e| e.1)
}
