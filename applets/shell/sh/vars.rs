//! Shell variables: values, the export and readonly flags, and `local`'s saved values
//! (ash's dynamic scoping: a function's locals are restored when it returns).

/// FxHash's multiply-rotate step: names are short, and SipHash's start-up cost, then
/// FNV's multiply per byte, showed in every variable access.
fn mix(h: u64, w: u64) -> u64 {
    (h.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95)
}

fn le(b: &[u8], at: usize) -> u64 {
    match b.get(at..at + 8) {
        Some(c) => u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]),
        None => 0,
    }
}

fn le4(b: &[u8], at: usize) -> u64 {
    match b.get(at..at + 4) {
        Some(c) => u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as u64,
        None => 0,
    }
}

/// A name's hash, from its length and whole words (a short name's first and last bytes
/// read overlapping, no byte loop). Its high 32 bits (the best mixed) pick the home slot
/// and are kept in the slot, so the table grows and deletes without hashing a name again.
#[inline(always)]
fn hash(name: &[u8]) -> u64 {
    let n = name.len();
    let mut h = mix(0, n as u64);
    let w = if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            h = mix(h, le(name, i));
            i += 8;
        }
        le(name, n - 8)
    } else if n >= 4 {
        le4(name, 0) | le4(name, n - 4) << 32
    } else if n > 0 {
        name[0] as u64 | (name[n / 2] as u64) << 8 | (name[n - 1] as u64) << 16
    } else {
        0
    };
    h = mix(h, w);
    (h ^ h >> 29) >> 32 << 32
}

/// The names of a map and where each is: an open-addressing table of entry numbers
/// (linear probing, at most a quarter full: a variable's lookup is the shell's hottest path, and a cluster of a few slots showed in it), the names in entry order. Not generic, so the
/// shell's four maps (variables, functions, aliases, commands) share one copy of the
/// table code: std's HashMap is compiled once per value type.
#[derive(Clone, Default)]
pub struct Names {
    /// 0: empty; else the name's hash (high 32 bits), the entry number plus one below.
    slots: Vec<u64>,
    keys: Vec<Vec<u8>>,
}

impl Names {
    fn home(&self, v: u64) -> usize {
        (v >> 32) as usize & self.slots.len().wrapping_sub(1)
    }

    fn next(&self, s: usize) -> usize {
        (s + 1) & self.slots.len().wrapping_sub(1)
    }

    /// The entry of `name` and its slot, or the empty slot where it would go (Err).
    #[inline]
    fn find(&self, name: &[u8], h: u64) -> Result<(usize, usize), usize> {
        if self.slots.is_empty() {
            return Err(0);
        }
        let mut s = self.home(h);
        loop {
            let v = self.slots[s];
            if v == 0 {
                return Err(s);
            }
            let i = (v as u32 - 1) as usize;
            if v >> 32 << 32 == h && self.keys.get(i).is_some_and(|k| k[..] == *name) {
                return Ok((i, s));
            }
            s = self.next(s);
        }
    }

    #[inline(never)]
    fn index(&self, name: &[u8]) -> Option<usize> {
        self.index_hot(name)
    }

    /// `index` inlined: for the variable lookup alone, which every expansion makes.
    #[inline(always)]
    fn index_hot(&self, name: &[u8]) -> Option<usize> {
        self.find(name, hash(name)).ok().map(|(i, _)| i)
    }

    /// Adds a name known to be absent, `free` the slot `find` gave; its entry number (the
    /// last).
    #[inline(never)]
    fn add(&mut self, name: Vec<u8>, h: u64, mut free: usize) -> usize {
        if (self.keys.len() + 1) * 4 > self.slots.len() {
            let n = (self.slots.len() * 2).max(16);
            let old = std::mem::replace(&mut self.slots, vec![0; n]);
            for v in old.into_iter().filter(|&v| v != 0) {
                let s = self.free_slot(v);
                self.slots[s] = v;
            }
            free = self.free_slot(h);
        }
        self.keys.push(name);
        self.slots[free] = h | self.keys.len() as u64;
        self.keys.len() - 1
    }

    fn free_slot(&self, h: u64) -> usize {
        let mut s = self.home(h);
        while self.slots[s] != 0 {
            s = self.next(s);
        }
        s
    }

    /// Removes entry `i` (in slot `hole`) as `Vec::swap_remove` does: the last entry takes
    /// its number.
    #[inline(never)]
    fn remove(&mut self, i: usize, mut hole: usize) {
        // Backward-shift deletion: pull later entries of the run into the hole when their
        // home slot does not lie between the hole and where they are.
        let m = self.slots.len().wrapping_sub(1);
        let mut j = hole;
        loop {
            j = self.next(j);
            let v = self.slots[j];
            if v == 0 {
                break;
            }
            let home = self.home(v);
            if (j.wrapping_sub(home) & m) >= (j.wrapping_sub(hole) & m) {
                self.slots[hole] = v;
                hole = j;
            }
        }
        self.slots[hole] = 0;
        let last = self.keys.len() - 1;
        if i != last {
            if let Ok((_, s)) = self.find(&self.keys[last], hash(&self.keys[last])) {
                self.slots[s] = self.slots[s] >> 32 << 32 | (i as u64 + 1);
            }
        }
        self.keys.swap_remove(i);
    }

    fn clear(&mut self) {
        self.slots.clear();
        self.keys.clear();
    }
}

/// A map keyed by names: the values in entry order beside `Names`.
#[derive(Clone)]
pub struct Map<V> {
    names: Names,
    vals: Vec<V>,
}

impl<V> Default for Map<V> {
    fn default() -> Self {
        Map {
            names: Names::default(),
            vals: Vec::new(),
        }
    }
}

impl<V> Map<V> {
    pub fn get(&self, name: &[u8]) -> Option<&V> {
        self.names.index(name).and_then(|i| self.vals.get(i))
    }
    #[inline(always)]
    fn get_hot(&self, name: &[u8]) -> Option<&V> {
        self.names.index_hot(name).and_then(|i| self.vals.get(i))
    }
    pub fn get_mut(&mut self, name: &[u8]) -> Option<&mut V> {
        self.names.index(name).and_then(|i| self.vals.get_mut(i))
    }
    pub fn contains_key(&self, name: &[u8]) -> bool {
        self.names.index(name).is_some()
    }
    /// The value of `name`, made by `new` when it has none.
    pub fn get_or(&mut self, name: &[u8], new: impl FnOnce() -> V) -> &mut V {
        let h = hash(name);
        let i = match self.names.find(name, h) {
            Ok((i, _)) => i,
            Err(free) => {
                self.vals.push(new());
                self.names.add(name.to_vec(), h, free)
            }
        };
        &mut self.vals[i]
    }
    pub fn insert(&mut self, name: Vec<u8>, v: V) {
        let h = hash(&name);
        match self.names.find(&name, h) {
            Ok((i, _)) => self.vals[i] = v,
            Err(free) => {
                self.names.add(name, h, free);
                self.vals.push(v);
            }
        }
    }
    pub fn remove(&mut self, name: &[u8]) -> Option<V> {
        let (i, s) = self.names.find(name, hash(name)).ok()?;
        self.names.remove(i, s);
        Some(self.vals.swap_remove(i))
    }
    pub fn clear(&mut self) {
        self.names.clear();
        self.vals.clear();
    }
    pub fn is_empty(&self) -> bool {
        self.vals.is_empty()
    }
    pub fn keys(&self) -> std::slice::Iter<'_, Vec<u8>> {
        self.names.keys.iter()
    }
    pub fn get_key_value(&self, name: &[u8]) -> Option<(&Vec<u8>, &V)> {
        let i = self.names.index(name)?;
        Some((self.names.keys.get(i)?, self.vals.get(i)?))
    }
    pub fn iter(&self) -> impl Iterator<Item = (&Vec<u8>, &V)> {
        self.names.keys.iter().zip(&self.vals)
    }
}

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
    #[inline(never)]
    pub fn get(&self, name: &[u8]) -> Option<&[u8]> {
        self.map.get_hot(name).and_then(|v| v.val.as_deref())
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
        let v = self.map.get_or(name, Var::default);
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
        let v = self.map.get_or(name, Var::default);
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
        for (k, v) in self.map.iter() {
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
