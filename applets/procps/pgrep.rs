//! applet: pgrep
//! usage: pgrep [-flanovx] [-s SID|-P PPID|-u USER|-g PGID|PATTERN]
//! Display process(es) selected by regex PATTERN
//!
//! -l  Show command name too
//! -a  Show command line too
//! -f  Match against entire command line
//! -n  Show the newest process only
//! -o  Show the oldest process only
//! -v  Negate the match
//! -x  Match whole name (not substring)
//! -s SID	Match session ID (0 for current)
//! -P PPID	Match parent process ID
//! -u USER	Match effective user (name or number; a comma list)
//! -g PGID	Match process group (0 for current; a comma list)

// Patterns are POSIX extended regular expressions (procps and BusyBox use regcomp with
// REG_EXTENDED) on rbox's own engine; -x wants a match of the whole name.

use crate::procfs::{self, Procs};
use crate::regex::{self, Flags};
use crate::users::Users;
use crate::{signals, Cx, Res};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    run(cx, args, false)
}

/// pgrep and pkill (`kill`: send `sig` instead of printing).
pub fn run(cx: &mut Cx, args: &[&OsStr], kill: bool) -> Res {
    let mut args = args.to_vec();
    let mut sig = libc::SIGTERM;
    // pkill -SIGNAL comes first, before the options.
    if kill {
        if let Some(n) = args
            .get(1)
            .and_then(|a| a.as_bytes().strip_prefix(b"-"))
            .and_then(signals::number)
        {
            sig = n;
            args.remove(1);
        }
    }
    let o = cx.getopt(&args, "vlafxons:P:u:g:", &[])?;
    if kill && o.has(b'l') {
        let mut out = Vec::new();
        signals::list(&mut out);
        cx.out.write(&out);
        return Ok(0);
    }
    // SAFETY: these only return values.
    let (me, my_sid, my_pgid) = unsafe { (libc::getpid() as u32, libc::getsid(0) as u32, libc::getpgrp() as u32) };
    let num = |cx: &Cx, v: &OsStr| -> Res<u32> {
        let n = cx.num_u64(v)?;
        u32::try_from(n).map_err(|_| cx.fail(&[b"invalid number '", v.as_bytes(), b"'"]))
    };
    let sid = match o.val(b's') {
        Some(v) => Some(match num(cx, v)? {
            0 => my_sid,
            n => n,
        }),
        None => None,
    };
    let ppid = o.val(b'P').map(|v| num(cx, v)).transpose()?;
    let users = Users::new();
    let mut uids: Vec<u32> = Vec::new();
    if let Some(v) = o.val(b'u') {
        for u in v.as_bytes().split(|&c| c == b',') {
            match users.uid(u).or_else(|| crate::args::parse_u64(u).and_then(|n| u32::try_from(n).ok())) {
                Some(id) => uids.push(id),
                None => return Err(cx.fail(&[b"unknown user ", u])),
            }
        }
    }
    let mut pgids: Vec<u32> = Vec::new();
    if let Some(v) = o.val(b'g') {
        for g in v.as_bytes().split(|&c| c == b',') {
            pgids.push(match num(cx, OsStr::from_bytes(g))? {
                0 => my_pgid,
                n => n,
            });
        }
    }
    let filtered = sid.is_some() || ppid.is_some() || !uids.is_empty() || !pgids.is_empty();
    if o.args.len() > 1 || (o.args.is_empty() && !filtered) {
        return Err(cx.usage());
    }
    let mut rf = Flags::ERE | Flags::NOSUB;
    if o.has(b'x') {
        rf = rf | Flags::WHOLE;
    }
    let re = match o.args.first() {
        Some(p) => Some(
            regex::compile(p.as_bytes(), rf)
                .map_err(|e| cx.fail(&[b"bad regex '", p.as_bytes(), b"': ", e.as_bytes()]))?,
        ),
        None => None,
    };
    let (full, show_name, show_cmd) = (o.has(b'f'), o.has(b'l'), o.has(b'a'));
    let mut flags = procfs::STAT;
    if !uids.is_empty() {
        flags |= procfs::UID;
    }
    let mut ps = Procs::open(flags).map_err(|e| e.fail(cx))?;
    // (start time, pid, text) of the one kept for -n / -o.
    let mut pick: Option<(u64, u32, Vec<u8>)> = None;
    let mut matched = false;
    let mut text = Vec::new();
    while let Some(p) = ps.next() {
        if p.pid == me
            || ppid.is_some_and(|x| x != p.ppid)
            || sid.is_some_and(|x| x != p.sid)
            || (!uids.is_empty() && !uids.contains(&p.uid))
            || (!pgids.is_empty() && !pgids.contains(&p.pgid))
        {
            continue;
        }
        // The name is comm; with -f, the command line (arguments joined by spaces).
        text.clear();
        if full {
            let c = p.cmdline(64 * 1024);
            text.extend(c.iter().map(|&b| if b < b' ' { b' ' } else { b }));
        }
        if text.is_empty() {
            text.extend_from_slice(p.comm());
        }
        let hit = re.as_ref().is_none_or(|r| r.is_match(&text)) != o.has(b'v');
        if !hit {
            continue;
        }
        if show_cmd && !full {
            text.clear();
            let c = p.cmdline(64 * 1024);
            text.extend(c.iter().map(|&b| if b < b' ' { b' ' } else { b }));
            if text.is_empty() {
                text.extend_from_slice(p.comm());
            }
        }
        if o.has(b'n') || o.has(b'o') {
            let better = match &pick {
                None => true,
                Some((st, pid, _)) if o.has(b'n') => (p.start, p.pid) > (*st, *pid),
                Some((st, pid, _)) => (p.start, p.pid) < (*st, *pid),
            };
            if better {
                pick = Some((p.start, p.pid, text.clone()));
            }
            continue;
        }
        matched = true;
        act(cx, kill, sig, p.pid, &text, show_name || show_cmd);
    }
    if let Some((_, pid, t)) = pick {
        matched = true;
        act(cx, kill, sig, pid, &t, show_name || show_cmd);
    }
    Ok(!matched as i32)
}

fn act(cx: &mut Cx, kill: bool, sig: i32, pid: u32, text: &[u8], show: bool) {
    if kill {
        // SAFETY: kill only sends a signal.
        unsafe { libc::kill(pid as i32, sig) };
        return;
    }
    cx.out.num(pid as u64);
    if show {
        cx.out.byte(b' ');
        let mut v = Vec::new();
        procfs::push_safe(&mut v, text);
        cx.out.write(&v);
    }
    cx.out.byte(b'\n');
}
