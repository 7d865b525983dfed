//! Byte searches: memchr, memrchr, memchr2/3, their iterators and memmem.
//!
//! ```text
//! let nl = bytes::memchr(b'\n', buf);              // Option<usize>
//! let at = bytes::memmem::find(hay, b"/../");      // Option<usize>
//! let f = bytes::memmem::Finder::new(b"CPU");      // owns its needle; f.find(hay)
//! ```
//! The stable tier is the `memchr` crate (SIMD, chosen at run time). The tiny tier
//! (`--cfg rbox_tiny`) has the same functions with the same results, small: libc's memchr
//! and memrchr (musl's, linked anyway), a byte loop for memchr2/3, and musl's memmem
//! (0.9 KB, linear time). That leaves the crate's ~8 KB of searchers (a dispatch on
//! first use, SSE2 and Two-Way kernels) out of the tiny binary.

#[cfg(not(rbox_tiny))]
pub use memchr::{memchr, memchr2, memchr3, memchr_iter, memrchr, memrchr_iter};

#[cfg(rbox_tiny)]
pub use tiny::*;

#[cfg(rbox_tiny)]
mod tiny {
    /// The first `c` in `h`.
    pub fn memchr(c: u8, h: &[u8]) -> Option<usize> {
        // SAFETY: musl reads at most h.len() bytes from h's start.
        let p = unsafe { libc::memchr(h.as_ptr().cast(), c.into(), h.len()) };
        (!p.is_null()).then(|| p as usize - h.as_ptr() as usize)
    }

    /// The last `c` in `h`.
    pub fn memrchr(c: u8, h: &[u8]) -> Option<usize> {
        // SAFETY: as memchr.
        let p = unsafe { libc::memrchr(h.as_ptr().cast(), c.into(), h.len()) };
        (!p.is_null()).then(|| p as usize - h.as_ptr() as usize)
    }

    pub fn memchr2(a: u8, b: u8, h: &[u8]) -> Option<usize> {
        h.iter().position(|&x| x == a || x == b)
    }

    pub fn memchr3(a: u8, b: u8, c: u8, h: &[u8]) -> Option<usize> {
        h.iter().position(|&x| x == a || x == b || x == c)
    }

    /// The positions of `c` in `h`, first to last.
    pub fn memchr_iter(c: u8, h: &[u8]) -> Iter<'_> {
        Iter { c, h, at: 0 }
    }

    /// The positions of `c` in `h`, last to first.
    pub fn memrchr_iter(c: u8, h: &[u8]) -> RIter<'_> {
        RIter { c, h, end: h.len() }
    }

    pub struct Iter<'h> {
        c: u8,
        h: &'h [u8],
        /// Where the search goes on.
        at: usize,
    }

    impl Iterator for Iter<'_> {
        type Item = usize;
        fn next(&mut self) -> Option<usize> {
            let p = self.at + memchr(self.c, self.h.get(self.at..)?)?;
            self.at = p + 1;
            Some(p)
        }
    }

    pub struct RIter<'h> {
        c: u8,
        h: &'h [u8],
        /// The search goes on before this.
        end: usize,
    }

    impl Iterator for RIter<'_> {
        type Item = usize;
        fn next(&mut self) -> Option<usize> {
            let p = memrchr(self.c, self.h.get(..self.end)?)?;
            self.end = p;
            Some(p)
        }
    }
}

pub mod memmem {
    /// The first occurrence of `n` in `h` (an empty needle is found at 0).
    #[cfg(not(rbox_tiny))]
    pub fn find(h: &[u8], n: &[u8]) -> Option<usize> {
        memchr::memmem::find(h, n)
    }

    /// The first occurrence of `n` in `h` (an empty needle is found at 0).
    #[cfg(rbox_tiny)]
    pub fn find(h: &[u8], n: &[u8]) -> Option<usize> {
        // musl's memmem (two-way for long needles): linear time whatever the input, where a
        // first-byte scan and compare is quadratic on `aaa...b` against `aaa...`.
        // SAFETY: musl reads within h[..h.len()] and n[..n.len()].
        let p = unsafe { libc::memmem(h.as_ptr().cast(), h.len(), n.as_ptr().cast(), n.len()) };
        (!p.is_null()).then(|| p as usize - h.as_ptr() as usize)
    }

    /// A needle searched for many times (the stable tier builds its searcher once).
    pub struct Finder {
        #[cfg(not(rbox_tiny))]
        f: memchr::memmem::Finder<'static>,
        #[cfg(rbox_tiny)]
        n: Vec<u8>,
    }

    impl Finder {
        pub fn new(n: &[u8]) -> Finder {
            Finder {
                #[cfg(not(rbox_tiny))]
                f: memchr::memmem::Finder::new(n).into_owned(),
                #[cfg(rbox_tiny)]
                n: n.to_vec(),
            }
        }

        #[inline]
        pub fn find(&self, h: &[u8]) -> Option<usize> {
            #[cfg(not(rbox_tiny))]
            return self.f.find(h);
            #[cfg(rbox_tiny)]
            find(h, &self.n)
        }

        pub fn needle(&self) -> &[u8] {
            #[cfg(not(rbox_tiny))]
            return self.f.needle();
            #[cfg(rbox_tiny)]
            &self.n
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches() {
        let h = b"ab\ncd\nef";
        assert_eq!(memchr(b'\n', h), Some(2));
        assert_eq!(memrchr(b'\n', h), Some(5));
        assert_eq!(memchr(b'z', h), None);
        assert_eq!(memchr2(b'z', b'd', h), Some(4));
        assert_eq!(memchr3(b'z', b'y', b'f', h), Some(7));
        assert_eq!(memchr_iter(b'\n', h).collect::<Vec<_>>(), [2, 5]);
        assert_eq!(memrchr_iter(b'\n', h).collect::<Vec<_>>(), [5, 2]);
        assert_eq!(memchr_iter(b'\n', b"").count(), 0);
        assert_eq!(memmem::find(b"aaab", b"ab"), Some(2));
        assert_eq!(memmem::find(b"ab", b"ab"), Some(0));
        assert_eq!(memmem::find(b"a", b"ab"), None);
        assert_eq!(memmem::find(b"abc", b""), Some(0));
        assert_eq!(memmem::find(b"", b""), Some(0));
        assert_eq!(memmem::find(b"xabxab", b"b"), Some(2));
        let f = memmem::Finder::new(b"/../");
        assert_eq!(f.find(b"a/b/../c"), Some(3));
        assert_eq!(f.needle(), b"/../");
    }
}
