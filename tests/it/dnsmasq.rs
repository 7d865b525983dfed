//! A private network (and host name) namespace for the calling test thread, with a real
//! dnsmasq and small fake DNS servers on its loopback. Nothing leaves the namespace: every
//! server a test names is a loopback address inside it.
//!
//! Linux keeps namespaces per thread: `unshare(CLONE_NEWNET)` here moves only this test's
//! thread (and the processes and threads it starts) into the new namespace; `Drop` moves the
//! thread back. Needs root (CI runs as root) and dnsmasq (Debian `dnsmasq-base`): without
//! them `Net::new` returns None and the test says it was skipped.

use crate::common::*;
use std::net::UdpSocket;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub fn dnsmasq_bin() -> Option<PathBuf> {
    ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq", "/sbin/dnsmasq"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

pub struct Net {
    pub dir: Dir,
    old_net: i32,
    old_uts: i32,
    dnsmasq: Vec<Child>,
    stop: Arc<AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
    pub v6: bool,
}

fn open_ns(p: &str) -> i32 {
    let c = std::ffi::CString::new(p).unwrap();
    // SAFETY: a valid path; the descriptor is closed in Drop.
    unsafe { libc::open(c.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) }
}

impl Net {
    /// A fresh namespace with `lo` up, or None (with a message) when that is impossible.
    pub fn new(test: &str) -> Option<Net> {
        if dnsmasq_bin().is_none() {
            eprintln!("{test}: skipped: dnsmasq is not installed (Debian package dnsmasq-base)");
            return None;
        }
        let (old_net, old_uts) = (
            open_ns("/proc/thread-self/ns/net"),
            open_ns("/proc/thread-self/ns/uts"),
        );
        // SAFETY: unshare affects only this thread's namespaces.
        if old_net < 0
            || old_uts < 0
            || unsafe { libc::unshare(libc::CLONE_NEWNET | libc::CLONE_NEWUTS) } != 0
        {
            eprintln!(
                "{test}: skipped: cannot make a private network namespace (unshare -n needs root)"
            );
            // SAFETY: closing descriptors we opened (or -1, harmless).
            unsafe {
                libc::close(old_net);
                libc::close(old_uts);
            }
            return None;
        }
        let mut n = Net {
            dir: Dir::new(),
            old_net,
            old_uts,
            dnsmasq: Vec::new(),
            stop: Arc::new(AtomicBool::new(false)),
            threads: Vec::new(),
            v6: false,
        };
        let ok = Command::new("ip")
            .args(["link", "set", "lo", "up"])
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("{test}: skipped: `ip link set lo up` failed in the namespace");
            return None;
        }
        n.set_hostname("box");
        n.v6 = UdpSocket::bind("[::1]:0").is_ok();
        Some(n)
    }

    /// Sets the namespace's host name (this thread's UTS namespace).
    pub fn set_hostname(&self, name: &str) {
        // SAFETY: a valid buffer.
        assert_eq!(
            unsafe { libc::sethostname(name.as_ptr().cast(), name.len()) },
            0
        );
    }

    /// Writes `resolv.conf` in the test's directory and returns its path.
    pub fn resolv(&self, text: &str) -> PathBuf {
        self.dir.write("resolv.conf", text)
    }

    /// Starts dnsmasq on 127.0.0.1:53 (and [::1]:53 when IPv6 works) serving `hosts` (a
    /// hosts file) and the extra `conf` lines, answering NXDOMAIN for unknown names under
    /// .test and the reverse zones, and REFUSED for anything else (it has no upstream).
    pub fn dnsmasq(&mut self, hosts: &str, conf: &str) {
        let n = self.dnsmasq.len();
        let hf = self.dir.write(format!("hosts{n}"), hosts);
        let mut c = String::new();
        c.push_str("no-resolv\nno-hosts\nbind-interfaces\nlisten-address=127.0.0.1\n");
        if self.v6 {
            c.push_str("listen-address=::1\n");
        }
        c.push_str("local=/test/\nlocal=/in-addr.arpa/\nlocal=/ip6.arpa/\nuser=root\n");
        c.push_str(&format!("addn-hosts={}\n", hf.display()));
        c.push_str(conf);
        let cf = self.dir.write(format!("dnsmasq{n}.conf"), c);
        let child = Command::new(dnsmasq_bin().unwrap())
            .arg("--keep-in-foreground")
            .arg(format!("--conf-file={}", cf.display()))
            .arg(format!("--log-facility={}", self.dir.join("log").display()))
            .arg("--pid-file=")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start dnsmasq");
        self.dnsmasq.push(child);
        // Ready when it accepts TCP on port 53.
        let t = Instant::now();
        while std::net::TcpStream::connect("127.0.0.1:53").is_err() {
            assert!(
                t.elapsed() < Duration::from_secs(10),
                "dnsmasq did not start"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// A fake UDP server on `addr`: `answer(query) -> replies` is called for every datagram,
    /// and each reply is sent from the socket bound to its address (None: the server's own).
    pub fn fake(
        &mut self,
        addr: &str,
        answer: impl Fn(&[u8]) -> Vec<(Option<String>, Vec<u8>)> + Send + 'static,
    ) {
        let s = UdpSocket::bind(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
        let stop = self.stop.clone();
        self.threads.push(std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while !stop.load(Ordering::Relaxed) {
                let Ok((n, from)) = s.recv_from(&mut buf) else {
                    continue;
                };
                for (via, r) in answer(&buf[..n]) {
                    match via {
                        None => {
                            let _ = s.send_to(&r, from);
                        }
                        Some(a) => {
                            let o = UdpSocket::bind(a.as_str()).unwrap();
                            let _ = o.send_to(&r, from);
                        }
                    }
                }
            }
        }));
    }

    /// A server socket that never answers (a black hole, unlike a closed port).
    pub fn silent(&mut self, addr: &str) {
        self.fake(addr, |_| Vec::new());
    }

    /// rbox's `applet` with this test's resolv.conf and hosts file.
    pub fn cmd(&self, applet: &str) -> Run {
        let hosts = self.dir.join("etc-hosts");
        if !hosts.exists() {
            self.dir.write("etc-hosts", "127.0.0.1 localhost\n");
        }
        let mut r = cmd(applet)
            .env("RBOX_RESOLV_CONF", self.dir.join("resolv.conf"))
            .env("RBOX_HOSTS", hosts);
        r.cmd.env_remove("LOCALDOMAIN").env_remove("RES_OPTIONS");
        r
    }
}

impl Drop for Net {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
        for mut c in self.dnsmasq.drain(..) {
            let _ = c.kill();
            let _ = c.wait();
        }
        // SAFETY: back to the namespaces this thread started in; the fds are ours.
        unsafe {
            libc::setns(self.old_net, libc::CLONE_NEWNET);
            libc::setns(self.old_uts, libc::CLONE_NEWUTS);
            libc::close(self.old_net);
            libc::close(self.old_uts);
        }
    }
}

/// A reply to `query` (its id and question kept): `flags` ORed in (QR always set), `an`
/// answers, then `rest` (the answer records, raw).
pub fn reply(query: &[u8], flags: u16, an: u16, rest: &[u8]) -> Vec<u8> {
    // Header and question only: the end of the question is after the name and 4 bytes.
    let mut p = 12;
    while p < query.len() && query[p] != 0 {
        p += 1 + query[p] as usize;
    }
    let end = (p + 5).min(query.len());
    let mut m = query[..end].to_vec();
    let f = u16::from_be_bytes([m[2], m[3]]) | 0x8000 | 0x0080 | flags;
    m[2..4].copy_from_slice(&f.to_be_bytes());
    m[6..8].copy_from_slice(&an.to_be_bytes());
    m[8..12].copy_from_slice(&[0, 0, 0, 0]);
    m.extend_from_slice(rest);
    m
}

/// The query's name (lowercase, dotted) and type.
pub fn qname(query: &[u8]) -> (String, u16) {
    let mut p = 12;
    let mut n = String::new();
    while p < query.len() && query[p] != 0 {
        let l = query[p] as usize;
        if !n.is_empty() {
            n.push('.');
        }
        n.push_str(
            &String::from_utf8_lossy(&query[p + 1..(p + 1 + l).min(query.len())]).to_lowercase(),
        );
        p += 1 + l;
    }
    let t = query
        .get(p + 1..p + 3)
        .map_or(0, |b| u16::from_be_bytes([b[0], b[1]]));
    (n, t)
}

/// An answer record owned by the question's name (a pointer to offset 12).
pub fn rr(rtype: u16, data: &[u8]) -> Vec<u8> {
    let mut v = vec![0xc0, 12];
    v.extend_from_slice(&rtype.to_be_bytes());
    v.extend_from_slice(&[0, 1, 0, 0, 0, 60]);
    v.extend_from_slice(&(data.len() as u16).to_be_bytes());
    v.extend_from_slice(data);
    v
}
