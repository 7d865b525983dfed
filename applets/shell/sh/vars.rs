//! Shell variables: values, the export and readonly flags, and `local`'s saved values
//! (ash's dynamic scoping: a function's locals are restored when it returns).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A multiply-rotate hash over 8 bytes at a time (FxHash's step): names are short, and
/// SipHash's start-up cost, then FNV's multiply per byte, showed in every variable access.
#[derive(Default)]
pub struct NameHash(u64);

const K: u64 = 0x517c_c1b7_2722_0a95;

impl NameHash {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
    }
}

impl Hasher for NameHash {
    fn finish(&self) -> u64 {
        // The table's bucket comes from the low bits: fold the well-mixed high ones in.
        self.0 ^ (self.0 >> 29)
    }
    fn write(&mut self, b: &[u8]) {
        let mut it = b.chunks_exact(8);
        for c in &mut it {
            self.add(c.iter().rev().fold(0, |w, &x| w << 8 | x as u64));
        }
        let r = it.remainder();
        if !r.is_empty() {
            self.add(r.iter().rev().fold(0, |w, &x| w << 8 | x as u64));
        }
    }
    /// The length `Hash for [u8]` writes first: one step, not eight bytes' worth.
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

/// A map keyed by names, with NameHash.
pub type Map<V> = HashMap<Vec<u8>, V, BuildHasherDefault<NameHash>>;

/// Sorts names bytewise: the shell's one sort (globs, `set`, `alias`, `hash`), so one
/// instantiation of the sort code serves them all.
#[inline(never)]
pub fn sort(v: &mut [Vec<u8>]) {
    v.sort_unstable();
}

#[derive(Debug, Clone, Default)]
pub struct Var {
    /// None: declared (`export x`, `local x`) but unset.
    pub val: Option<Vec<u8>>,
    pub exp: bool,
    pub ro: bool,
}

#[derive(Default)]
pub struct Vars {
    map: Map<Var>,
    /// One frame per running function: the names made local and what they were before.
    frames: Vec<Vec<(Vec<u8>, Option<Var>)>>,
    /// Bumped whenever the exported set changes, so the environment is rebuilt only then.
    pub gen: u64,
    /// IFS as a byte set for word splitting, kept until IFS changes (every command's
    /// expansion wants it).
    ifs: std::cell::Cell<Option<[u64; 4]>>,
}

impl Vars {
    pub fn get(&self, name: &[u8]) -> Option<&[u8]> {
        self.map.get(name).and_then(|v| v.val.as_deref())
    }

    pub fn var(&self, name: &[u8]) -> Option<&Var> {
        self.map.get(name)
    }

    /// IFS as a byte set (`make` builds it from the value, unset: None).
    pub fn ifs(&self, make: fn(Option<&[u8]>) -> [u64; 4]) -> [u64; 4] {
        if let Some(m) = self.ifs.get() {
            return m;
        }
        let m = make(self.get(b"IFS"));
        self.ifs.set(Some(m));
        m
    }

    fn touch(&self, name: &[u8]) {
        if name == b"IFS" {
            self.ifs.set(None);
        }
    }

    /// Sets a value; Err when the variable is read-only.
    pub fn set(&mut self, name: &[u8], val: &[u8]) -> Result<(), ()> {
        self.touch(name);
        match self.map.get_mut(name) {
            Some(v) => {
                if v.ro {
                    return Err(());
                }
                if v.exp {
                    self.gen += 1;
                }
                match &mut v.val {
                    Some(b) => {
                        b.clear();
                        b.extend_from_slice(val);
                    }
                    None => v.val = Some(val.to_vec()),
                }
            }
            None => {
                self.map.insert(
                    name.to_vec(),
                    Var {
                        val: Some(val.to_vec()),
                        ..Var::default()
                    },
                );
            }
        }
        Ok(())
    }

    pub fn unset(&mut self, name: &[u8]) -> Result<(), ()> {
        self.touch(name);
        if let Some(v) = self.map.get(name) {
            if v.ro {
                return Err(());
            }
            if v.exp {
                self.gen += 1;
            }
            // A local keeps its place in the frame (so the outer value comes back).
            if self.frames.last().is_some_and(|f| f.iter().any(|(n, _)| n == name)) {
                if let Some(v) = self.map.get_mut(name) {
                    v.val = None;
                    v.exp = false;
                }
            } else {
                self.map.remove(name);
            }
        }
        Ok(())
    }

    pub fn flag(&mut self, name: &[u8], exp: bool, ro: bool) {
        let v = self.map.entry(name.to_vec()).or_default();
        v.exp |= exp;
        v.ro |= ro;
        self.gen += 1;
    }

    pub fn unexport(&mut self, name: &[u8]) {
        if let Some(v) = self.map.get_mut(name) {
            v.exp = false;
            self.gen += 1;
        }
    }

    /// The `NAME=VALUE` strings of the exported, set variables.
    pub fn environ(&self) -> Vec<Vec<u8>> {
        let mut e = Vec::new();
        for (k, v) in &self.map {
            if let (true, Some(val)) = (v.exp, &v.val) {
                let mut s = Vec::with_capacity(k.len() + 1 + val.len());
                s.extend_from_slice(k);
                s.push(b'=');
                s.extend_from_slice(val);
                e.push(s);
            }
        }
        e
    }

    /// All variables, sorted by name.
    pub fn sorted(&self) -> Vec<(&Vec<u8>, &Var)> {
        let mut names: Vec<Vec<u8>> = self.map.keys().cloned().collect();
        sort(&mut names);
        names
            .iter()
            .filter_map(|n| self.map.get_key_value(n))
            .collect()
    }

    pub fn push_frame(&mut self) {
        self.frames.push(Vec::new());
    }

    pub fn pop_frame(&mut self) {
        if let Some(f) = self.frames.pop() {
            for (name, old) in f.into_iter().rev() {
                self.gen += 1;
                self.touch(&name);
                match old {
                    Some(v) => {
                        self.map.insert(name, v);
                    }
                    None => {
                        self.map.remove(&name);
                    }
                }
            }
        }
    }

    pub fn in_function(&self) -> bool {
        !self.frames.is_empty()
    }

    /// `local name`: remembers the current value for the function's return. Err if
    /// read-only.
    pub fn make_local(&mut self, name: &[u8]) -> Result<(), ()> {
        let old = self.map.get(name).cloned();
        if old.as_ref().is_some_and(|v| v.ro) {
            return Err(());
        }
        if let Some(f) = self.frames.last_mut() {
            if !f.iter().any(|(n, _)| n == name) {
                f.push((name.to_vec(), old));
            }
        }
        Ok(())
    }
}
