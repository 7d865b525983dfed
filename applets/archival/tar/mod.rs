//! applet: tar
//! dir: bin
//! usage: tar c|x|t [-ZzJjahmvokO] [-f TARFILE] [-C DIR] [-T FILE] [-X FILE] [LONGOPT]... [FILE]...
//! Create, extract, or list files from a tar file
//!
//! |	c	Create
//! |	x	Extract
//! |	t	List
//! |	-f FILE	Name of TARFILE ('-' for stdin/out)
//! |	-C DIR	Change to DIR before operation
//! |	-v	Verbose
//! |	-O	Extract to stdout
//! |	-m	Don't restore mtime
//! |	-o	Don't restore user:group
//! |	-k	Don't replace existing files
//! |	-Z	(De)compress using compress
//! |	-z	(De)compress using gzip
//! |	-J	(De)compress using xz
//! |	-j	(De)compress using bzip2
//! |	--lzma	(De)compress using lzma
//! |	-a	(De)compress based on extension
//! |	-h	Follow symlinks
//! |	-T FILE	File with names to include
//! |	-X FILE	File with glob patterns to exclude
//! |	--exclude PATTERN	Glob pattern to exclude
//! |	--overwrite		Replace existing files
//! |	--strip-components NUM	NUM of leading components to strip
//! |	--no-recursion		Don't descend in directories
//! |	--numeric-owner		Use numeric user:group
//! |	--no-same-permissions	Don't restore access permissions
//! |	--to-command COMMAND	Pipe files to COMMAND

// Reading and writing the format is src/tar.rs (shared with the fuzz target); create.rs
// walks trees into an archive, extract.rs lists and extracts. Compression is a child
// process (spawn::through: the applet in-process when compiled in, else from PATH), as
// BusyBox runs its compressors. GNU sparse members (which BusyBox cannot read) are
// extracted as GNU tar does: holes seeked over, never written.

mod create;
mod extract;

use crate::{spawn, sys, Cx, Res};
use std::ffi::{CString, OsStr};
use std::os::unix::ffi::OsStrExt;

const EXCLUDE: u8 = 1;
const STRIP: u8 = 2;
const NO_RECURSION: u8 = 3;
const NUMERIC: u8 = 4;
const OVERWRITE: u8 = 5;
const NO_SAME_PERMS: u8 = 6;
const LZMA: u8 = 7;
const TO_COMMAND: u8 = 8;

/// Options as the three modes use them.
pub struct Opts {
    pub verbose: usize,
    pub to_stdout: bool,
    pub no_mtime: bool,
    pub no_owner: bool,
    pub keep: bool,
    pub deref: bool,
    pub numeric: bool,
    pub no_recursion: bool,
    pub no_same_perms: bool,
    /// --to-command: each regular member piped to `sh -c CMD`.
    pub to_command: Option<Vec<u8>>,
    pub strip: usize,
    pub dir: Option<Vec<u8>>,
    pub excludes: Vec<CString>,
    /// Operands and -T names.
    pub names: Vec<Vec<u8>>,
    pub utf8: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Gz,
    Bz,
    Xz,
    Lzma,
    Z,
}

impl Codec {
    fn decompress(self) -> &'static [&'static [u8]] {
        match self {
            Codec::Gz => &[b"gunzip", b"-c"],
            Codec::Bz => &[b"bunzip2", b"-c"],
            Codec::Xz => &[b"unxz", b"-c"],
            Codec::Lzma => &[b"unlzma", b"-c"],
            Codec::Z => &[b"uncompress", b"-c"],
        }
    }
    fn compress(self) -> &'static [&'static [u8]] {
        match self {
            Codec::Gz => &[b"gzip", b"-c"],
            Codec::Bz => &[b"bzip2", b"-c"],
            Codec::Xz => &[b"xz", b"-c"],
            Codec::Lzma => &[b"lzma", b"-c"],
            Codec::Z => &[b"compress", b"-c"],
        }
    }
    /// From an archive's first bytes.
    fn sniff(b: &[u8]) -> Option<Codec> {
        if b.starts_with(&[0x1f, 0x8b]) {
            Some(Codec::Gz)
        } else if b.len() >= 10
            && b.starts_with(b"BZh")
            && (b'1'..=b'9').contains(&b[3])
            && (b[4..10] == [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]
                || b[4..10] == [0x17, 0x72, 0x45, 0x38, 0x50, 0x90])
        {
            // The block or end-of-stream magic too: a tar member may be named "BZh9...".
            Some(Codec::Bz)
        } else if b.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
            Some(Codec::Xz)
        } else if b.starts_with(&[0x1f, 0x9d]) {
            Some(Codec::Z)
        } else {
            // lzma has no magic (BusyBox does not detect it either): --lzma says so.
            None
        }
    }
    /// From an archive's name (-a).
    fn by_suffix(name: &[u8]) -> Option<Codec> {
        const T: &[(&[u8], Codec)] = &[
            (b".gz", Codec::Gz),
            (b".tgz", Codec::Gz),
            (b".bz2", Codec::Bz),
            (b".tbz", Codec::Bz),
            (b".tbz2", Codec::Bz),
            (b".xz", Codec::Xz),
            (b".txz", Codec::Xz),
            (b".lzma", Codec::Lzma),
            (b".tlz", Codec::Lzma),
            (b".Z", Codec::Z),
            (b".taZ", Codec::Z),
        ];
        T.iter().find(|t| name.ends_with(t.0)).map(|t| t.1)
    }
}

/// Children of a compression pipeline, waited for at the end: the compressor (its failure
/// reported), and a feeder (not reported: it dies of SIGPIPE when the compressor failed).
#[derive(Default)]
pub struct Kids(Vec<i32>, Vec<i32>);

impl Kids {
    /// Waits for them all; a failure is reported as GNU tar does, status 1.
    pub fn wait(&mut self, cx: &Cx) -> i32 {
        for pid in self.1.drain(..) {
            let _ = spawn::wait(pid, 0);
        }
        let mut st = 0;
        for pid in self.0.drain(..) {
            let code = match spawn::wait(pid, 0) {
                Ok((_, s)) => spawn::status_code(s),
                Err(_) => 0,
            };
            if code != 0 && st == 0 {
                let mut b = [0u8; 20];
                cx.err(&[b"Child returned status ", crate::cx::fmt_u64(code as u64, &mut b)]);
                st = 1;
            }
        }
        st
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    // Old style: `tar xzf FILE`, the first word without a dash.
    let mut first = Vec::new();
    let mut argv: Vec<&OsStr> = args.to_vec();
    if let Some(a) = args.get(1) {
        let a = a.as_bytes();
        if !a.is_empty() && a[0] != b'-' {
            first.push(b'-');
            first.extend_from_slice(a);
        }
    }
    if !first.is_empty() {
        argv[1] = OsStr::from_bytes(&first);
    }
    let o = cx.getopt(
        &argv,
        "cxtf:C:vOmokpZzJjahT:X:\x01:\x02:\x03\x04\x05\x06\x07\x08:",
        &[
            ("create", b'c'),
            ("extract", b'x'),
            ("get", b'x'),
            ("list", b't'),
            ("file", b'f'),
            ("directory", b'C'),
            ("verbose", b'v'),
            ("to-stdout", b'O'),
            ("touch", b'm'),
            ("no-same-owner", b'o'),
            ("keep-old-files", b'k'),
            ("same-permissions", b'p'),
            ("preserve-permissions", b'p'),
            ("compress", b'Z'),
            ("gzip", b'z'),
            ("xz", b'J'),
            ("bzip2", b'j'),
            ("auto-compress", b'a'),
            ("dereference", b'h'),
            ("files-from", b'T'),
            ("exclude-from", b'X'),
            ("exclude", EXCLUDE),
            ("strip-components", STRIP),
            ("no-recursion", NO_RECURSION),
            ("numeric-owner", NUMERIC),
            ("overwrite", OVERWRITE),
            ("no-same-permissions", NO_SAME_PERMS),
            ("lzma", LZMA),
            ("to-command", TO_COMMAND),
        ],
    )?;
    let modes = [b'c', b'x', b't'].iter().filter(|&&c| o.has(c)).count();
    if modes != 1 {
        return Err(cx.usage());
    }
    let mut opts = Opts {
        verbose: o.count(b'v'),
        to_stdout: o.has(b'O'),
        no_mtime: o.has(b'm'),
        no_owner: o.has(b'o'),
        keep: o.has(b'k') && o.last_of(&[b'k', OVERWRITE]) == Some(b'k'),
        deref: o.has(b'h'),
        numeric: o.has(NUMERIC),
        no_recursion: o.has(NO_RECURSION),
        no_same_perms: o.has(NO_SAME_PERMS),
        to_command: o.val(TO_COMMAND).map(|c| c.as_bytes().to_vec()),
        strip: 0,
        dir: o.val(b'C').map(|d| d.as_bytes().to_vec()),
        excludes: Vec::new(),
        names: o.args.iter().map(|a| a.as_bytes().to_vec()).collect(),
        utf8: crate::text::utf8_locale(),
    };
    if let Some(n) = o.val(STRIP) {
        opts.strip = usize::try_from(cx.num_u64(n)?).unwrap_or(usize::MAX);
    }
    for p in o.vals(EXCLUDE) {
        if let Some(c) = sys::cstr(p.as_bytes()) {
            opts.excludes.push(c);
        }
    }
    for f in o.vals(b'X') {
        for l in read_list(cx, f)? {
            if let Some(c) = sys::cstr(&l) {
                opts.excludes.push(c);
            }
        }
    }
    for f in o.vals(b'T') {
        opts.names.extend(read_list(cx, f)?);
    }
    let file = o.val(b'f').map_or(&b"-"[..], |f| f.as_bytes());
    let mut codec = match o.last_of(b"ZzJj\x07") {
        Some(b'Z') => Some(Codec::Z),
        Some(b'z') => Some(Codec::Gz),
        Some(b'J') => Some(Codec::Xz),
        Some(b'j') => Some(Codec::Bz),
        Some(LZMA) => Some(Codec::Lzma),
        _ => None,
    };
    if codec.is_none() && o.has(b'a') {
        codec = Codec::by_suffix(file);
    }
    if o.has(b'c') {
        create::run(cx, &opts, file, codec)
    } else {
        extract::run(cx, &opts, file, codec, o.has(b't'))
    }
}

/// The lines of a -T/-X file (`-` is stdin), without their newlines; empty ones dropped.
fn read_list(cx: &Cx, f: &OsStr) -> Res<Vec<Vec<u8>>> {
    let Some(input) = cx.open_input(f) else {
        return Err(crate::Fail(1));
    };
    let mut lines = crate::io::Lines::new(input);
    let mut v = Vec::new();
    loop {
        match lines.next_line() {
            Ok(Some(l)) => {
                let l = l.strip_suffix(b"\n").unwrap_or(l);
                if !l.is_empty() {
                    v.push(l.to_vec());
                }
            }
            Ok(None) => return Ok(v),
            Err(e) => return Err(cx.fail_no(f.as_bytes(), e)),
        }
    }
}

/// musl's and glibc's FNM_LEADING_DIR (a match may be followed by `/anything`).
const FNM_LEADING_DIR: i32 = 8;

fn fnmatch(pat: &CString, s: &[u8], flags: i32) -> bool {
    let Some(c) = sys::cstr(s) else {
        return false;
    };
    // SAFETY: two NUL-terminated strings.
    unsafe { libc::fnmatch(pat.as_ptr(), c.as_ptr(), flags) == 0 }
}

/// BusyBox's exclude_file (create): a pattern starting with `/` matches the whole name,
/// others at any component start; either may match a leading directory.
pub fn excluded_create(pats: &[CString], name: &[u8]) -> bool {
    let fl = libc::FNM_PATHNAME | FNM_LEADING_DIR;
    pats.iter().any(|p| {
        if p.as_bytes().first() == Some(&b'/') {
            return fnmatch(p, name, fl);
        }
        (0..name.len()).any(|i| {
            (i == 0 || name[i - 1] == b'/') && name[i] != b'/' && fnmatch(p, &name[i..], fl)
        })
    })
}

/// BusyBox's find_list_entry2 (extract, list): the name cut to as many components as the
/// pattern has, then fnmatch.
pub fn list_match(pat: &CString, name: &[u8]) -> bool {
    let mut slashes = pat.as_bytes().iter().filter(|&&c| c == b'/').count();
    let mut end = name.len();
    for (i, &c) in name.iter().enumerate() {
        if c == b'/' {
            if slashes == 0 {
                end = i;
                break;
            }
            slashes -= 1;
        }
    }
    fnmatch(pat, &name[..end], 0)
}

/// BusyBox's bb_mode_string: `drwxr-xr-x`.
pub fn mode_string(typ: u8, mode: u32, out: &mut Vec<u8>) {
    out.push(match typ {
        crate::tar::DIR => b'd',
        crate::tar::SYMLINK => b'l',
        crate::tar::CHR => b'c',
        crate::tar::BLK => b'b',
        crate::tar::FIFO => b'p',
        _ => b'-',
    });
    let bits = [
        (0o400, b'r'),
        (0o200, b'w'),
        (0o100, b'x'),
        (0o40, b'r'),
        (0o20, b'w'),
        (0o10, b'x'),
        (0o4, b'r'),
        (0o2, b'w'),
        (0o1, b'x'),
    ];
    for (i, &(bit, c)) in bits.iter().enumerate() {
        let special = match i {
            2 => mode & 0o4000 != 0,
            5 => mode & 0o2000 != 0,
            8 => mode & 0o1000 != 0,
            _ => false,
        };
        let on = mode & bit != 0;
        out.push(match (special, on) {
            (false, true) => c,
            (false, false) => b'-',
            (true, true) if i == 8 => b't',
            (true, false) if i == 8 => b'T',
            (true, true) => b's',
            (true, false) => b'S',
        });
    }
}

/// Opens `dir` (for -C), reporting BusyBox's `can't change directory to 'X'`.
pub fn open_target(cx: &Cx, dir: Option<&[u8]>) -> Res<i32> {
    let d = dir.unwrap_or(b".");
    let Some(c) = sys::cstr(d) else {
        return Err(cx.fail(&[b"can't change directory to '", d, b"': Invalid argument"]));
    };
    // SAFETY: a NUL-terminated path.
    let fd = unsafe {
        libc::open(
            c.as_ptr(),
            libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
        )
    };
    if fd < 0 {
        let e = sys::errno();
        return Err(cx.fail(&[b"can't change directory to '", d, b"': ", sys::strerror(e)]));
    }
    Ok(fd)
}
