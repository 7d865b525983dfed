//! applet: pidof
//! dir: bin
//! usage: pidof [OPTIONS] [NAME]...
//! List PIDs of all processes with names that match NAMEs
//!
//! -s  Show only one PID
//! -o PID	Omit given pid
//! 	Use %PPID to omit pid of pidof's parent

use crate::procfs::{self, Procs};
use crate::{Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "so:", &[])?;
    let mut omit: Vec<u64> = Vec::new();
    for v in o.vals(b'o') {
        for item in v.as_bytes().split(|&c| c == b',') {
            if item == b"%PPID" {
                // SAFETY: getppid only returns a value.
                omit.push(unsafe { libc::getppid() } as u64);
            } else {
                omit.push(cx.num_u64(OsStr::from_bytes(item))?);
            }
        }
    }
    let mut first = true;
    let mut pids: Vec<u32> = Vec::new();
    for name in &o.args {
        pids.clear();
        let mut ps = Procs::open(procfs::STAT).map_err(|e| e.fail(cx))?;
        while let Some(p) = ps.next() {
            if p.name_matches(name.as_bytes()) {
                pids.push(p.pid);
            }
        }
        // Newest first, as GNU pidof (and BusyBox, which reverses its scan) print them.
        for &pid in pids.iter().rev() {
            if omit.contains(&(pid as u64)) {
                continue;
            }
            if !first {
                cx.out.byte(b' ');
            }
            cx.out.num(pid as u64);
            first = false;
            if o.has(b's') {
                break;
            }
        }
    }
    if !first {
        cx.out.byte(b'\n');
    }
    Ok(first as i32)
}
