//! rbox's shared core (BusyBox's libbb): everything two applets need lives here.

pub mod args;
pub mod cx;
pub mod human;
pub mod io;
pub mod mounts;
pub mod multi;
pub mod ns;
pub mod procfs;
pub mod signals;
pub mod spawn;
pub mod sys;
pub mod time;
pub mod users;
pub mod utmp;

pub use cx::{Cx, Fail, Res};

use std::ffi::OsStr;

/// An applet's entry point: `args[0]` is the name it was called by. It returns its exit
/// status, or `Err(Fail)` once it has reported a fatal error. It never exits the process and
/// keeps no global state, so a shell may later run it in-process.
pub type Main = fn(&mut Cx, &[&OsStr]) -> Res;

/// One row of the applet table that build.rs generates from the applet headers.
pub struct Applet {
    pub name: &'static str,
    pub main: Main,
    /// "Usage: ...\n\nsummary\n[\ndetails]"
    pub help: &'static str,
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
