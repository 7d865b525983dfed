//! applet: uname
//! dir: bin
//! usage: uname [-amnrspvio]
//! Print system information
//!
//! -a  Print all
//! -m  Machine (hardware) type
//! -n  Hostname
//! -r  Kernel release
//! -s  Kernel name (default)
//! -p  Processor type
//! -v  Kernel version
//! -i  Hardware platform
//! -o  OS name

use crate::{sys, Cx, Res};
use std::ffi::OsStr;

/// What `-o` prints: BusyBox's default CONFIG_UNAME_OSNAME.
const OS_NAME: &[u8] = b"GNU/Linux";

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let u = sys::utsname();
    let o = cx.getopt(
        args,
        "snrvmpioa",
        &[
            ("all", b'a'),
            ("kernel-name", b's'),
            ("nodename", b'n'),
            ("kernel-release", b'r'),
            ("release", b'r'),
            ("kernel-version", b'v'),
            ("machine", b'm'),
            ("processor", b'p'),
            ("hardware-platform", b'i'),
            ("operating-system", b'o'),
        ],
    )?;
    if !o.args.is_empty() {
        return Err(cx.usage());
    }
    // -a prints every field but leaves out the unknown ones (-p, -i).
    let all = o.has(b'a');
    let unknown: &[u8] = if all { b"" } else { b"unknown" };
    let fields: [(u8, &[u8]); 8] = [
        (b's', sys::cfield(&u.sysname)),
        (b'n', sys::cfield(&u.nodename)),
        (b'r', sys::cfield(&u.release)),
        (b'v', sys::cfield(&u.version)),
        (b'm', sys::cfield(&u.machine)),
        (b'p', unknown),
        (b'i', unknown),
        (b'o', OS_NAME),
    ];
    let none = !b"snrvmpio".iter().any(|&c| o.has(c));
    let mut first = true;
    for (c, v) in fields {
        let on = all || o.has(c) || (none && c == b's');
        if on && !v.is_empty() {
            if !first {
                cx.out.byte(b' ');
            }
            cx.out.write(v);
            first = false;
        }
    }
    cx.out.byte(b'\n');
    Ok(0)
}

