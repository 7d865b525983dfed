//! The AST to a Thompson NFA: byte tests, splits and jumps, zero-width assertions. Groups
//! compile to nothing: the simulation finds the overall match, and sub-matches are found
//! afterwards (pike.rs). A program can be compiled reversed, for matching right to left.

use super::parse::{Look, Node, Set, E_SIZE};

#[derive(Clone, Copy, Debug)]
pub enum Inst {
    Byte(u8),
    /// Index into `Prog::sets`.
    Set(u32),
    Look(Look),
    Split(u32, u32),
    Jmp(u32),
    Match,
}

pub struct Prog {
    pub insts: Vec<Inst>,
    pub sets: Vec<Set>,
}

/// Bigger programs are refused ("Regular expression too big"), as `a{32767}{32767}` must be.
const MAX_INSTS: usize = 1 << 20;

pub fn compile(nodes: &[Node], reverse: bool) -> Result<Prog, &'static str> {
    let mut c = Prog {
        insts: Vec::new(),
        sets: Vec::new(),
    };
    c.seq(nodes, reverse)?;
    if c.insts.len() > MAX_INSTS {
        return Err(E_SIZE);
    }
    c.insts.push(Inst::Match);
    Ok(c)
}

impl Prog {
    fn push(&mut self, i: Inst) -> u32 {
        self.insts.push(i);
        (self.insts.len() - 1) as u32
    }
    fn pc(&self) -> u32 {
        self.insts.len() as u32
    }
    fn seq(&mut self, v: &[Node], rev: bool) -> Result<(), &'static str> {
        if rev {
            for n in v.iter().rev() {
                self.node(n, rev)?;
            }
        } else {
            for n in v {
                self.node(n, rev)?;
            }
        }
        Ok(())
    }
    fn node(&mut self, n: &Node, rev: bool) -> Result<(), &'static str> {
        // The bound is checked per node, not per push (the pushes between two checks are
        // few), and once more at the end: the same programs are refused as with a check at
        // every push, with less code.
        if self.insts.len() > MAX_INSTS {
            return Err(E_SIZE);
        }
        match n {
            Node::Empty | Node::Backref(_) => {}
            Node::Byte(b) => {
                self.push(Inst::Byte(*b));
            }
            Node::Set(s) => {
                let i = match self.sets.iter().position(|x| x == s) {
                    Some(i) => i,
                    None => {
                        self.sets.push(*s);
                        self.sets.len() - 1
                    }
                };
                self.push(Inst::Set(i as u32));
            }
            Node::Look(l) => {
                self.push(Inst::Look(*l));
            }
            Node::Group(_, b) => self.node(b, rev)?,
            Node::Concat(v) => self.seq(v, rev)?,
            Node::Alt(v) => {
                let mut jumps = Vec::new();
                for (k, x) in v.iter().enumerate() {
                    if k + 1 < v.len() {
                        let sp = self.push(Inst::Split(self.pc() + 1, 0));
                        self.node(x, rev)?;
                        jumps.push(self.push(Inst::Jmp(0)));
                        let here = self.pc();
                        self.insts[sp as usize] = Inst::Split(sp + 1, here);
                    } else {
                        self.node(x, rev)?;
                    }
                }
                let end = self.pc();
                for j in jumps {
                    self.insts[j as usize] = Inst::Jmp(end);
                }
            }
            Node::Repeat(x, min, max) => {
                for _ in 0..*min {
                    self.node(x, rev)?;
                }
                match max {
                    None => {
                        let sp = self.push(Inst::Split(0, 0));
                        self.node(x, rev)?;
                        self.push(Inst::Jmp(sp));
                        let end = self.pc();
                        self.insts[sp as usize] = Inst::Split(sp + 1, end);
                    }
                    Some(m) => {
                        let mut splits = Vec::new();
                        for _ in *min..*m {
                            splits.push(self.push(Inst::Split(0, 0)));
                            self.node(x, rev)?;
                        }
                        let end = self.pc();
                        for sp in splits {
                            self.insts[sp as usize] = Inst::Split(sp + 1, end);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}
