//! top's terminal: raw keys without echo, the window size, and the terminal put back as
//! it was on every way out (q, ^C, SIGINT/SIGTERM/SIGHUP from elsewhere). Signals are
//! taken through a signalfd, so no handler and no global state are needed: the terminal
//! is restored, then the signal is raised again with its default action.

pub enum Key {
    None,
    Quit,
    Sort(u8),
    Reverse,
    Threads,
    Smp,
}

pub struct Term {
    saved: libc::termios,
    sigfd: i32,
    old_mask: libc::sigset_t,
}

const SIGS: [i32; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGWINCH];

impl Term {
    /// Raw mode on stdin when it is a terminal; None otherwise (top then just redraws).
    pub fn open() -> Option<Term> {
        // SAFETY: termios and sigset_t are plain data; the calls only change our own
        // terminal settings and signal mask.
        unsafe {
            let mut saved: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(0, &mut saved) != 0 {
                return None;
            }
            let mut set: libc::sigset_t = std::mem::zeroed();
            let mut old_mask: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for s in SIGS {
                libc::sigaddset(&mut set, s);
            }
            libc::sigprocmask(libc::SIG_BLOCK, &set, &mut old_mask);
            let sigfd = libc::signalfd(-1, &set, libc::SFD_CLOEXEC);
            let mut raw = saved;
            raw.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ISIG);
            raw.c_cc[libc::VMIN] = 1;
            raw.c_cc[libc::VTIME] = 0;
            libc::tcsetattr(0, libc::TCSANOW, &raw);
            Some(Term { saved, sigfd, old_mask })
        }
    }

    /// (columns, rows) of `fd`'s terminal; 80x24 when unknown.
    pub fn size_of(fd: i32) -> (usize, usize) {
        // SAFETY: winsize is plain data filled by the kernel.
        unsafe {
            let mut ws: libc::winsize = std::mem::zeroed();
            if libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0 {
                (ws.ws_col as usize, ws.ws_row as usize)
            } else {
                (80, 24)
            }
        }
    }

    /// The width (one column short of the screen, at most 446) and height to draw.
    pub fn size(&self) -> (usize, usize) {
        let (w, h) = Term::size_of(0);
        (w.saturating_sub(1).clamp(10, 446), h.max(5))
    }

    /// Waits up to `us` microseconds for a key (or a resize); a terminating signal
    /// restores the terminal and ends the process with that signal.
    pub fn wait_key(&mut self, us: u64) -> Key {
        let mut fds = [
            libc::pollfd { fd: 0, events: libc::POLLIN, revents: 0 },
            libc::pollfd { fd: self.sigfd, events: libc::POLLIN, revents: 0 },
        ];
        let ms = (us / 1000).min(i32::MAX as u64) as i32;
        // SAFETY: fds is a valid array of two pollfd.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, ms) };
        if n <= 0 {
            return Key::None;
        }
        if fds[1].revents & libc::POLLIN != 0 {
            // SAFETY: info is plain data read from our signalfd.
            let mut info: libc::signalfd_siginfo = unsafe { std::mem::zeroed() };
            let sz = std::mem::size_of::<libc::signalfd_siginfo>();
            let r = unsafe { libc::read(self.sigfd, (&mut info as *mut libc::signalfd_siginfo).cast(), sz) };
            if r as usize == sz && info.ssi_signo as i32 != libc::SIGWINCH {
                self.restore();
                // SAFETY: back to the default action, then raised: the process ends by
                // the signal, as BusyBox's sig_catcher does.
                unsafe {
                    let s = info.ssi_signo as i32;
                    libc::signal(s, libc::SIG_DFL);
                    libc::sigprocmask(libc::SIG_SETMASK, &self.old_mask, std::ptr::null_mut());
                    libc::raise(s);
                }
            }
            return Key::None;
        }
        let mut c = [0u8; 1];
        // SAFETY: one byte into c.
        let r = unsafe { libc::read(0, c.as_mut_ptr().cast(), 1) };
        if r <= 0 {
            return Key::Quit;
        }
        match c[0] {
            b'q' | b'Q' | 3 => Key::Quit,
            b'N' | b'n' => Key::Sort(b'N'),
            b'M' | b'm' => Key::Sort(b'M'),
            b'P' | b'p' => Key::Sort(b'P'),
            b'T' | b't' => Key::Sort(b'T'),
            b'R' | b'r' => Key::Reverse,
            b'H' | b'h' => Key::Threads,
            b'1' => Key::Smp,
            _ => Key::None,
        }
    }

    fn restore(&mut self) {
        // SAFETY: puts back the settings read in `open`.
        unsafe { libc::tcsetattr(0, libc::TCSANOW, &self.saved) };
        let _ = crate::sys::write_all(1, b"\n");
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        self.restore();
        // SAFETY: our descriptor and our own signal mask.
        unsafe {
            libc::close(self.sigfd);
            libc::sigprocmask(libc::SIG_SETMASK, &self.old_mask, std::ptr::null_mut());
        }
    }
}
