//! applet: reset
//! usage: reset
//! Reset the screen

// BusyBox's reset: on a terminal, the console codes for reset, US character set, plain
// attributes, clearing and a visible cursor, then what `stty sane` sets (done here
// directly, so reset does not need stty).

use crate::{sys, Cx, Res};
use std::ffi::OsStr;

/// `stty sane` on `fd`: the modes and control characters of a fresh terminal.
pub fn sane(fd: i32) -> Result<(), i32> {
    // SAFETY: termios is plain data read and written by the kernel.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(fd, &mut t) != 0 {
            return Err(sys::errno());
        }
        t.c_iflag &= !(libc::IGNBRK | libc::INLCR | libc::IGNCR | libc::IUCLC | libc::IXANY | libc::IXOFF | libc::PARMRK | libc::ISTRIP);
        t.c_iflag |= libc::BRKINT | libc::ICRNL | libc::IMAXBEL | libc::IXON;
        t.c_oflag &= !(libc::OLCUC | libc::OCRNL | libc::ONOCR | libc::ONLRET | libc::OFILL | libc::OFDEL);
        t.c_oflag &= !(libc::NLDLY | libc::CRDLY | libc::TABDLY | libc::BSDLY | libc::VTDLY | libc::FFDLY);
        t.c_oflag |= libc::OPOST | libc::ONLCR;
        t.c_cflag |= libc::CREAD;
        t.c_lflag &= !(libc::ECHONL | libc::NOFLSH | libc::XCASE | libc::TOSTOP | libc::ECHOPRT);
        t.c_lflag |= libc::ISIG | libc::ICANON | libc::IEXTEN | libc::ECHO | libc::ECHOE | libc::ECHOK | libc::ECHOCTL | libc::ECHOKE;
        let cc = &mut t.c_cc;
        cc[libc::VINTR] = 3;
        cc[libc::VQUIT] = 0x1c;
        cc[libc::VERASE] = 0x7f;
        cc[libc::VKILL] = 0x15;
        cc[libc::VEOF] = 4;
        cc[libc::VSTART] = 0x11;
        cc[libc::VSTOP] = 0x13;
        cc[libc::VSUSP] = 0x1a;
        cc[libc::VREPRINT] = 0x12;
        cc[libc::VDISCARD] = 0x0f;
        cc[libc::VWERASE] = 0x17;
        cc[libc::VLNEXT] = 0x16;
        cc[libc::VEOL] = 0;
        cc[libc::VEOL2] = 0;
        cc[libc::VMIN] = 1;
        cc[libc::VTIME] = 0;
        if libc::tcsetattr(fd, libc::TCSADRAIN, &t) != 0 {
            return Err(sys::errno());
        }
    }
    Ok(())
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let _ = args;
    if sys::isatty(1) {
        cx.out.write(b"\x1bc\x1b(B\x1b[m\x1b[J\x1b[?25h");
        cx.out.flush();
        if let Err(e) = sane(0) {
            return Err(cx.fail_no(b"standard input", e));
        }
    }
    Ok(0)
}
