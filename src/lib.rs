//! rbox's shared core (BusyBox's libbb): everything two applets need lives here.

#[cfg(feature = "ar")]
pub mod ar;
pub mod arena;
pub mod args;
pub mod base64;
pub mod bytes;
#[cfg(any(feature = "bunzip2", feature = "bzcat", feature = "bzip2"))]
pub mod bz;
#[cfg(any(
    feature = "bunzip2",
    feature = "bzcat",
    feature = "bzip2",
    feature = "gunzip",
    feature = "gzip",
    feature = "lzcat",
    feature = "lzma",
    feature = "rpm2cpio",
    feature = "unlzma",
    feature = "unxz",
    feature = "unzip",
    feature = "xz",
    feature = "xzcat",
    feature = "zcat"
))]
pub mod compress;
pub mod concat;
pub mod copy;
#[cfg(feature = "cpio")]
pub mod cpio;
pub mod crc;
pub mod crcfast;
pub mod cx;
pub mod datespec;
pub mod dns;
pub mod dump;
#[cfg(any(
    feature = "ar",
    feature = "cpio",
    feature = "rpm2cpio",
    feature = "tar",
    feature = "uncompress",
    feature = "unzip"
))]
pub mod extract;
#[cfg(any(
    feature = "gunzip",
    feature = "gzip",
    feature = "rpm2cpio",
    feature = "unzip",
    feature = "zcat"
))]
pub mod gz;
pub mod hashsum;
pub mod help;
pub mod human;
pub mod inodes;
pub mod io;
pub mod lineedit;
#[cfg(feature = "uncompress")]
pub mod lzw;
mod memfast;
pub mod mode;
pub mod mounts;
pub mod multi;
pub mod ns;
pub mod owner;
pub mod paths;
pub mod printf;
pub mod procfs;
pub mod regex;
pub mod signals;
pub mod spawn;
pub mod strftime;
pub mod suffix;
pub mod sys;
#[cfg(feature = "tar")]
pub mod tar;
pub mod text;
pub mod time;
pub mod users;
pub mod utmp;
pub mod walk;

#[global_allocator]
static GLOBAL: arena::Arena = arena::Arena;
#[cfg(any(
    feature = "lzcat",
    feature = "lzma",
    feature = "unlzma",
    feature = "unxz",
    feature = "xz",
    feature = "xzcat"
))]
pub mod xz;
#[cfg(feature = "unzip")]
pub mod zip;

pub use cx::{Cx, Fail, Res};
pub use help::Help;

use std::ffi::OsStr;

/// An applet's entry point: `args[0]` is the name it was called by. It returns its exit
/// status, or `Err(Fail)` once it has reported a fatal error. It never exits the process and
/// keeps no global state, so a shell may later run it in-process.
pub type Main = fn(&mut Cx, &[&OsStr]) -> Res;

/// One row of the applet table that build.rs generates from the applet headers.
pub struct Applet {
    pub name: &'static str,
    pub main: Main,
    /// "Usage: ...\n\nsummary\n[\ndetails]", packed (`help::Help::text`).
    pub help: Help,
    /// bits 0-1: install dir (bin, sbin, usr/bin, usr/sbin); bit 2: `--help` is not special.
    pub flags: u8,
}

impl Applet {
    pub fn dir(&self) -> &'static str {
        ["bin", "sbin", "usr/bin", "usr/sbin"][(self.flags & 3) as usize]
    }
}

#[allow(clippy::all)]
pub mod applets {
    #[allow(unused_imports)]
    use crate::*;
    include!(concat!(env!("OUT_DIR"), "/applets.rs"));
}

/// Finds an applet by name.
pub fn find(name: &[u8]) -> Option<&'static Applet> {
    let t = applets::APPLETS;
    t.binary_search_by(|a| a.name.as_bytes().cmp(name))
        .ok()
        .map(|i| &t[i])
}
