//! applet: tsort
//! usage: tsort [FILE]
//! Topological sort

use crate::io::Input;
use crate::{Cx, Res};
use std::collections::{BTreeMap, VecDeque};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

// The order is GNU's (BusyBox 1.35 has no tsort): nodes with no predecessor start in byte
// order, each node's successors are visited newest first, a freed node joins the end of
// the queue.
pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    let o = cx.getopt(args, "", &[])?;
    let name = match o.args[..] {
        [] => OsStr::new("-"),
        [f] => f,
        _ => return Err(cx.usage()),
    };
    let mut inp = Input::open(name).map_err(|e| cx.fail_no(name.as_bytes(), e))?;
    let mut data = Vec::new();
    if let Err(e) = std::io::Read::read_to_end(&mut inp, &mut data) {
        return Err(cx.fail_no(name.as_bytes(), crate::sys::errno_of(&e)));
    }
    let toks: Vec<&[u8]> = data.split(|c| c.is_ascii_whitespace()).filter(|t| !t.is_empty()).collect();
    if toks.len() % 2 == 1 {
        return Err(cx.fail(&[name.as_bytes(), b": input contains an odd number of tokens"]));
    }
    let mut ids: BTreeMap<&[u8], usize> = BTreeMap::new();
    let mut names: Vec<&[u8]> = Vec::new();
    let mut succ: Vec<Vec<usize>> = Vec::new();
    let mut count: Vec<usize> = Vec::new();
    for pair in toks.chunks(2) {
        let mut get = |t| {
            *ids.entry(t).or_insert_with(|| {
                names.push(t);
                succ.push(Vec::new());
                count.push(0);
                names.len() - 1
            })
        };
        let (a, b) = (get(pair[0]), get(pair[1]));
        if a != b {
            succ[a].push(b);
            count[b] += 1;
        }
    }
    let mut left = names.len();
    let mut done = vec![false; names.len()];
    let mut queue: VecDeque<usize> = ids.values().copied().filter(|&i| count[i] == 0).collect();
    let mut status = 0;
    while left > 0 {
        while let Some(n) = queue.pop_front() {
            cx.out.line(names[n]);
            done[n] = true;
            left -= 1;
            for &s in succ[n].iter().rev() {
                count[s] -= 1;
                if count[s] == 0 {
                    queue.push_back(s);
                }
            }
        }
        if left == 0 {
            break;
        }
        // A loop: from the first node left (in byte order), follow live edges until a node
        // repeats; report the cycle and break its last edge.
        status = 1;
        let Some(start) = ids.values().copied().find(|&i| !done[i]) else { break };
        let mut path = vec![start];
        let mut seen = vec![usize::MAX; names.len()];
        seen[start] = 0;
        let mut cur = start;
        let cycle_at = loop {
            let Some(&nx) = succ[cur].iter().rev().find(|&&s| !done[s]) else { break None };
            if seen[nx] != usize::MAX {
                break Some((seen[nx], nx));
            }
            seen[nx] = path.len();
            path.push(nx);
            cur = nx;
        };
        cx.out.flush();
        cx.err(&[name.as_bytes(), b": input contains a loop:"]);
        match cycle_at {
            Some((k, head)) => {
                for &n in &path[k..] {
                    cx.err(&[names[n]]);
                }
                let last = *path.last().unwrap_or(&head);
                if let Some(p) = succ[last].iter().rposition(|&s| s == head) {
                    succ[last].remove(p);
                }
                count[head] -= 1;
                if count[head] == 0 {
                    queue.push_back(head);
                }
            }
            None => {
                // Cannot happen (a stuck node always has a live predecessor); stop safely.
                break;
            }
        }
    }
    Ok(status)
}
