//! A table of files by identity, (st_dev, st_ino), each with a small value: the hard links
//! `du` and `cp` have met, the directories `cp` made.
//!
//! ```ignore
//! let mut seen = Inodes::new();
//! assert_eq!(seen.insert(st.st_dev, st.st_ino, 7), None);    // new
//! assert_eq!(seen.insert(st.st_dev, st.st_ino, 9), Some(7)); // already there, kept
//! ```
//! One plain type instead of std's HashSet/BTreeMap: those cost about 5 KB of code per key
//! and value type in the size build (and HashSet's SipHash seeds from getrandom), for keys
//! that need no protection from chosen collisions (inode numbers are not picked by users).
//! Open addressing with linear probing, Fibonacci hashing, grown at half full.

pub struct Inodes {
    /// (dev, ino, value + 1); 0 in the last field marks an empty slot.
    slots: Vec<(u64, u64, u32)>,
    len: usize,
}

impl Default for Inodes {
    fn default() -> Self {
        Self::new()
    }
}

impl Inodes {
    pub const fn new() -> Inodes {
        Inodes {
            slots: Vec::new(),
            len: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The slot of (dev, ino), or the empty one where it would go. The table is not empty.
    fn find(&self, dev: u64, ino: u64) -> usize {
        let mask = self.slots.len() - 1;
        let h = (ino ^ dev.rotate_left(32)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let mut i = (h >> 32) as usize & mask;
        loop {
            match self.slots.get(i) {
                Some(&(d, n, v)) if v != 0 && (d != dev || n != ino) => i = (i + 1) & mask,
                _ => return i,
            }
        }
    }

    /// The value stored for (dev, ino).
    pub fn get(&self, dev: u64, ino: u64) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        match self.slots.get(self.find(dev, ino)) {
            Some(&(_, _, v)) if v != 0 => Some(v - 1),
            _ => None,
        }
    }

    /// Adds (dev, ino) with `val` (below u32::MAX) if it is not there; returns the value
    /// already stored, None when it was added.
    pub fn insert(&mut self, dev: u64, ino: u64, val: u32) -> Option<u32> {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let i = self.find(dev, ino);
        let slot = self.slots.get_mut(i)?;
        if slot.2 != 0 {
            return Some(slot.2 - 1);
        }
        *slot = (dev, ino, val.saturating_add(1));
        self.len += 1;
        None
    }

    #[cold]
    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(64);
        let old = std::mem::replace(&mut self.slots, vec![(0, 0, 0); n]);
        for s in old {
            if s.2 != 0 {
                let i = self.find(s.0, s.1);
                if let Some(d) = self.slots.get_mut(i) {
                    *d = s;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_get_grow() {
        let mut t = Inodes::new();
        assert_eq!(t.get(1, 2), None);
        for i in 0..10_000u64 {
            assert_eq!(t.insert(i % 3, i, i as u32), None);
        }
        assert_eq!(t.len(), 10_000);
        for i in 0..10_000u64 {
            assert_eq!(t.get(i % 3, i), Some(i as u32));
            assert_eq!(t.insert(i % 3, i, 0), Some(i as u32));
        }
        assert_eq!(t.get(5, 5), None);
        assert_eq!(t.insert(7, 0, 0), None);
        assert_eq!(t.get(7, 0), Some(0));
        assert_eq!(t.len(), 10_001);
    }
}
