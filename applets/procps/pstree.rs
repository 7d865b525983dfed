//! applet: pstree
//! usage: pstree [-p] [PID|USER]
//! Display process tree, optionally start from USER or PID
//!
//! -p  Show pids

// BusyBox's (psmisc's) ASCII tree: children sorted by name, identical sibling subtrees
// folded into `N*[name]`, threads as `{name}`, lines cut at the terminal's width (80
// off a terminal) with a `+` in the last column.

use crate::procfs::{self, Procs};
use crate::users::Users;
use crate::{Cx, Res};
use std::collections::HashMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

struct Node {
    comm: Vec<u8>,
    pid: u32,
    uid: u32,
    children: Vec<usize>,
}

struct Tree {
    nodes: Vec<Node>,
    index: HashMap<u32, usize>,
    show_pid: bool,
    out: Vec<u8>,
    cur_x: usize,
    width_limit: usize,
    width: Vec<usize>,
    more: Vec<bool>,
}

impl Tree {
    fn find_or_new(&mut self, pid: u32, comm: &[u8], uid: u32) -> usize {
        if let Some(&i) = self.index.get(&pid) {
            return i;
        }
        self.nodes.push(Node { comm: comm.to_vec(), pid, uid, children: Vec::new() });
        self.index.insert(pid, self.nodes.len() - 1);
        self.nodes.len() - 1
    }

    fn add(&mut self, comm: &[u8], pid: u32, ppid: u32, uid: u32) {
        let me = self.find_or_new(pid, comm, uid);
        self.nodes[me].comm = comm.to_vec();
        self.nodes[me].uid = uid;
        let ppid = if pid == ppid { 0 } else { ppid };
        let parent = self.find_or_new(ppid, b"?", 0);
        // Sorted by name, then uid; a later equal one goes after the earlier.
        let pos = self.nodes[parent]
            .children
            .iter()
            .position(|&c| {
                let n = &self.nodes[c];
                n.comm.as_slice() > comm || (n.comm == comm && n.uid > uid)
            })
            .unwrap_or(self.nodes[parent].children.len());
        self.nodes[parent].children.insert(pos, me);
    }

    fn equal(&self, a: usize, b: usize) -> bool {
        let (x, y) = (&self.nodes[a], &self.nodes[b]);
        x.comm == y.comm
            && (!self.show_pid || x.pid == y.pid)
            && x.children.len() == y.children.len()
            && x.children.iter().zip(&y.children).all(|(&p, &q)| self.equal(p, q))
    }

    fn ch(&mut self, c: u8) {
        self.cur_x += 1;
        if self.cur_x > self.width_limit {
            return;
        }
        self.out.push(if self.cur_x == self.width_limit { b'+' } else { c });
    }

    fn s(&mut self, s: &[u8]) {
        for &c in s {
            self.ch(c);
        }
    }

    fn nl(&mut self) {
        self.out.push(b'\n');
        self.cur_x = 0;
    }

    /// The name with `\` doubled and bytes outside printable ASCII as `\ooo`.
    fn name(&mut self, s: &[u8]) -> usize {
        let mut n = 0;
        for &c in s {
            if c == b'\\' {
                self.s(b"\\\\");
                n += 2;
            } else if (b' '..0x7f).contains(&c) {
                self.ch(c);
                n += 1;
            } else {
                let t = [b'\\', b'0' + (c >> 6), b'0' + (c >> 3 & 7), b'0' + (c & 7)];
                self.s(&t);
                n += 4;
            }
        }
        n
    }

    fn dump(&mut self, cur: usize, level: usize, rep: usize, leaf: bool, last: bool, closing: usize) {
        if !leaf {
            for lvl in 0..level {
                for _ in 0..self.width[lvl] + 1 {
                    self.ch(b' ');
                }
                if lvl == level - 1 {
                    self.s(if last { b"`-" } else { b"|-" });
                } else {
                    let m = self.more.get(lvl + 1).copied().unwrap_or(false);
                    self.s(if m { b"| " } else { b"  " });
                }
            }
        }
        let mut add = 0;
        if rep > 1 {
            let t = format!("{rep}*[");
            add = t.len();
            self.s(t.as_bytes());
        }
        let comm = self.nodes[cur].comm.clone();
        let mut comm_len = self.name(&comm);
        if self.show_pid {
            let t = format!("({})", self.nodes[cur].pid);
            comm_len += t.len();
            self.s(t.as_bytes());
        }
        let offset = self.cur_x;
        let mut children = self.nodes[cur].children.clone();
        if children.is_empty() {
            for _ in 0..closing {
                self.ch(b']');
            }
            self.nl();
        }
        if self.more.len() <= level {
            self.more.resize(level + 1, false);
            self.width.resize(level + 1, 0);
        }
        self.more[level] = !last;
        self.width[level] = (comm_len + self.cur_x + add).saturating_sub(offset);
        if self.cur_x >= self.width_limit {
            self.nl();
            return;
        }
        let mut first = true;
        let mut i = 0;
        while i < children.len() {
            let c = children[i];
            // Fold the later siblings equal to this one.
            let mut count = 0;
            let mut j = i + 1;
            while j < children.len() {
                if self.equal(c, children[j]) {
                    children.remove(j);
                    count += 1;
                } else {
                    j += 1;
                }
            }
            let is_last = i + 1 == children.len();
            if first {
                self.s(if is_last { b"---" } else { b"-+-" });
                first = false;
            }
            self.dump(c, level + 1, count + 1, i == 0, is_last, closing + (count > 0) as usize);
            i += 1;
        }
    }

    fn by_user(&mut self, cur: usize, uid: u32, dumped: &mut bool) {
        if self.nodes[cur].uid == uid {
            if *dumped {
                self.out.push(b'\n');
            }
            self.dump(cur, 0, 1, true, true, 0);
            *dumped = true;
            return;
        }
        for c in self.nodes[cur].children.clone() {
            self.by_user(c, uid, dumped);
        }
    }
}

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "p", &[])?;
    if o.args.len() > 1 {
        return Err(cx.usage());
    }
    let mut start = 1u32;
    let mut user = None;
    if let Some(a) = o.args.first() {
        let a = a.as_bytes();
        if a.first().is_some_and(u8::is_ascii_digit) {
            start = crate::args::parse_u64(a).and_then(|n| u32::try_from(n).ok()).ok_or_else(|| cx.fail(&[b"invalid number '", a, b"'"]))?;
        } else {
            let users = Users::new();
            user = Some(users.uid(a).ok_or_else(|| cx.fail(&[b"unknown user ", a]))?);
        }
    }
    let mut t = Tree {
        nodes: Vec::new(),
        index: HashMap::new(),
        show_pid: o.has(b'p'),
        out: Vec::new(),
        cur_x: 0,
        width_limit: crate::sys::term_cols(0),
        width: Vec::new(),
        more: Vec::new(),
    };
    let mut ps = Procs::open(procfs::STAT | procfs::UID | procfs::TASKS).map_err(|e| e.fail(cx))?;
    while let Some(p) = ps.next() {
        if p.pid != p.tgid {
            let mut name = b"{".to_vec();
            name.extend_from_slice(p.comm());
            name.push(b'}');
            t.add(&name, p.pid, p.tgid, p.uid);
        } else {
            let c = p.comm().to_vec();
            t.add(&c, p.pid, p.ppid, p.uid);
        }
    }
    match user {
        // uid 0 is "no user", as in BusyBox: `pstree root` is the whole tree.
        Some(uid) if uid != 0 => {
            let mut dumped = false;
            if let Some(&root) = t.index.get(&1) {
                t.by_user(root, uid, &mut dumped);
            }
            if !dumped {
                return Err(cx.fail(&[b"no processes found"]));
            }
        }
        _ => {
            if let Some(&i) = t.index.get(&start) {
                t.dump(i, 0, 1, true, true, 0);
            }
        }
    }
    cx.out.write(&t.out);
    Ok(0)
}
