//! A bounded backtracker, used only for patterns with back-references (which no automaton
//! can match). It tries every way the pattern can match from one start, keeps the best by
//! POSIX's order (longest, then each sub-expression leftmost, then longest, in turn) and
//! stops with an error once its work bound is spent, rather than run for hours.

use super::parse::Node;
use super::pike::Ctx;

pub type Caps = Vec<Option<(usize, usize)>>;

/// Steps one start position may take before the search gives up.
const STEPS: usize = 1 << 22;
/// Nesting depth (recursion) before it gives up: keeps the stack bounded.
const DEPTH: usize = 4000;

pub struct Bt<'a, 'h> {
    pub cx: &'a Ctx<'h>,
    pub icase: bool,
    pub earliest: bool,
    pub steps: usize,
    depth: usize,
    pub over: bool,
    pub best: Option<Caps>,
}

type K<'k, 'a, 'h> = &'k mut dyn FnMut(&mut Bt<'a, 'h>, usize, &mut Caps) -> bool;

fn better(a: &Caps, b: &Caps) -> bool {
    for (x, y) in a.iter().zip(b.iter()) {
        match (x, y) {
            (Some(x), Some(y)) if x != y => {
                return if x.0 != y.0 { x.0 < y.0 } else { x.1 > y.1 };
            }
            (Some(_), None) => return true,
            (None, Some(_)) => return false,
            _ => {}
        }
    }
    false
}

impl<'a, 'h> Bt<'a, 'h> {
    pub fn new(cx: &'a Ctx<'h>, icase: bool, earliest: bool) -> Self {
        Bt {
            cx,
            icase,
            earliest,
            steps: 0,
            depth: 0,
            over: false,
            best: None,
        }
    }

    /// Every match of `n` from `start`; the best is left in `self.best`.
    pub fn run(&mut self, n: &Node, start: usize, ngroups: usize) {
        let mut caps: Caps = vec![None; ngroups + 1];
        self.steps = 0;
        self.m(n, start, &mut caps, &mut |bt, q, caps| {
            caps[0] = Some((start, q));
            if bt.best.as_ref().is_none_or(|b| better(caps, b)) {
                bt.best = Some(caps.clone());
            }
            bt.earliest
        });
    }

    fn single(&self, n: &Node, p: usize) -> Option<bool> {
        let b = self.cx.hay.get(p).copied();
        match n {
            Node::Byte(c) => Some(b == Some(*c)),
            Node::Set(s) => Some(b.is_some_and(|b| s.has(b))),
            _ => None,
        }
    }

    fn m(&mut self, n: &Node, p: usize, caps: &mut Caps, k: K<'_, 'a, 'h>) -> bool {
        self.steps += 1;
        if self.steps > STEPS || self.depth > DEPTH {
            self.over = true;
            return true;
        }
        self.depth += 1;
        let r = self.m2(n, p, caps, k);
        self.depth -= 1;
        r
    }

    fn m2(&mut self, n: &Node, p: usize, caps: &mut Caps, k: K<'_, 'a, 'h>) -> bool {
        match n {
            Node::Empty => k(self, p, caps),
            Node::Byte(_) | Node::Set(_) => {
                if self.single(n, p) == Some(true) {
                    k(self, p + 1, caps)
                } else {
                    false
                }
            }
            Node::Look(l) => self.cx.look(*l, p) && k(self, p, caps),
            Node::Group(g, b) => {
                let g = *g;
                let old = caps.get(g).copied().flatten();
                let r = self.m(b, p, caps, &mut |bt, q, caps| {
                    let o2 = caps[g];
                    caps[g] = Some((p, q));
                    let r = k(bt, q, caps);
                    caps[g] = o2;
                    r
                });
                if let Some(c) = caps.get_mut(g) {
                    *c = old;
                }
                r
            }
            Node::Concat(v) => self.seq(v, p, caps, k),
            Node::Alt(v) => {
                for x in v {
                    if self.m(x, p, caps, &mut *k) {
                        return true;
                    }
                }
                false
            }
            Node::Repeat(x, min, max) => {
                if self.single(x, p).is_some() {
                    // A repeated single byte: count the run, then try lengths longest first,
                    // without a level of recursion per byte.
                    let mut r = 0usize;
                    while max.is_none_or(|m| r < m as usize) && self.single(x, p + r) == Some(true)
                    {
                        r += 1;
                    }
                    let mut c = r;
                    while c >= *min as usize {
                        self.steps += 1;
                        if k(self, p + c, caps) {
                            return true;
                        }
                        if c == 0 {
                            break;
                        }
                        c -= 1;
                    }
                    return false;
                }
                self.rep(x, *min, *max, 0, p, caps, k)
            }
            Node::Backref(g) => {
                let Some(Some((a, b))) = caps.get(*g).copied() else {
                    return false;
                };
                let hay = self.cx.hay;
                let len = b - a;
                let Some(t) = hay.get(p..p + len) else {
                    return false;
                };
                let s = &hay[a..b];
                let eq = if self.icase {
                    t.eq_ignore_ascii_case(s)
                } else {
                    t == s
                };
                eq && k(self, p + len, caps)
            }
        }
    }

    fn seq(&mut self, v: &[Node], p: usize, caps: &mut Caps, k: K<'_, 'a, 'h>) -> bool {
        match v.split_first() {
            None => k(self, p, caps),
            Some((x, rest)) => self.m(x, p, caps, &mut |bt, q, caps| {
                bt.seq(rest, q, caps, &mut *k)
            }),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn rep(
        &mut self,
        x: &Node,
        min: u32,
        max: Option<u32>,
        c: u32,
        p: usize,
        caps: &mut Caps,
        k: K<'_, 'a, 'h>,
    ) -> bool {
        if max.is_none_or(|m| c < m) {
            let r = self.m(x, p, caps, &mut |bt, q, caps| {
                // An empty iteration past the minimum makes no progress: not a new path.
                if q == p && c >= min {
                    return false;
                }
                bt.rep(x, min, max, c + 1, q, caps, &mut *k)
            });
            if r {
                return true;
            }
        }
        c >= min && k(self, p, caps)
    }
}
