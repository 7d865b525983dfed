//! The global allocator: small blocks from a 32 KiB bump arena in .bss, the rest from libc.
//!
//! A command's first malloc costs musl five system calls (brk twice, a guard mapping, a
//! group mapping, and the munmap when the last block of the group is freed) and two page
//! faults: `basename /a/b`, `uname -a`, `cat FILE` each made ten to fifteen system calls
//! where BusyBox makes four to seven, for the few small vectors getopt and a path need.
//! Blocks up to 1 KiB now come from a static arena by bumping an offset; freeing the newest
//! block gives its space back (a vector's push-grow-drop pattern reuses it), any other is
//! simply left until exit. The arena is bounded, so a long-running shell or awk that keeps
//! allocating wastes at most its 32 KiB before everything goes to malloc; a block that grows
//! past the arena moves to malloc like any realloc. Lock-free (sort runs threads).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

const SIZE: usize = 32 * 1024;
/// Bigger requests (I/O buffers, tables) go straight to malloc.
const SMALL: usize = 1024;
const ALIGN: usize = 16;

#[repr(C, align(16))]
struct Space(UnsafeCell<[u8; SIZE]>);
// Blocks are handed out once each (the offset moves atomically); the bytes are only
// reached through the pointers given out.
unsafe impl Sync for Space {}

static SPACE: Space = Space(UnsafeCell::new([0; SIZE]));
/// Offset of the first free byte.
static TOP: AtomicUsize = AtomicUsize::new(0);

pub struct Arena;

fn base() -> *mut u8 {
    SPACE.0.get().cast()
}

/// The block's offset in the arena, if it is one of the arena's.
fn offset(p: *mut u8) -> Option<usize> {
    let off = (p as usize).wrapping_sub(base() as usize);
    (off < SIZE).then_some(off)
}

fn bump(size: usize, align: usize) -> *mut u8 {
    let mut cur = TOP.load(Relaxed);
    loop {
        let start = (cur + align - 1) & !(align - 1);
        let end = start + size;
        if end > SIZE {
            return std::ptr::null_mut();
        }
        match TOP.compare_exchange_weak(cur, end, Relaxed, Relaxed) {
            Ok(_) => return unsafe { base().add(start) },
            Err(now) => cur = now,
        }
    }
}

// The bodies are out of line: LTO would otherwise copy them into each of the thousands of
// places that allocate (+54 KB measured).
unsafe impl GlobalAlloc for Arena {
    #[inline]
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        unsafe { alloc(l) }
    }
    #[inline]
    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        unsafe { alloc_zeroed(l) }
    }
    #[inline]
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { dealloc(p, l) }
    }
    #[inline]
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        unsafe { realloc(p, l, new) }
    }
}

#[inline(never)]
unsafe fn alloc(l: Layout) -> *mut u8 {
    if l.size() <= SMALL && l.align() <= ALIGN {
        let p = bump(l.size(), l.align());
        if !p.is_null() {
            return p;
        }
    }
    unsafe { System.alloc(l) }
}

#[inline(never)]
unsafe fn alloc_zeroed(l: Layout) -> *mut u8 {
    if l.size() <= SMALL && l.align() <= ALIGN {
        let p = bump(l.size(), l.align());
        if !p.is_null() {
            // A block given back may be handed out again: not necessarily zero.
            unsafe { p.write_bytes(0, l.size()) };
            return p;
        }
    }
    // calloc: fresh pages from the kernel are not cleared twice.
    unsafe { System.alloc_zeroed(l) }
}

#[inline(never)]
unsafe fn dealloc(p: *mut u8, l: Layout) {
    match offset(p) {
        // Only the newest block goes back; the rest stay until exit.
        Some(off) => {
            let _ = TOP.compare_exchange(off + l.size(), off, Relaxed, Relaxed);
        }
        None => unsafe { System.dealloc(p, l) },
    }
}

#[inline(never)]
unsafe fn realloc(p: *mut u8, l: Layout, new: usize) -> *mut u8 {
    let Some(off) = offset(p) else {
        return unsafe { System.realloc(p, l, new) };
    };
    // The newest block grows or shrinks where it is while the arena has room.
    if off + new <= SIZE
        && TOP
            .compare_exchange(off + l.size(), off + new, Relaxed, Relaxed)
            .is_ok()
    {
        return p;
    }
    if new <= l.size() {
        return p;
    }
    let q = unsafe { alloc(Layout::from_size_align_unchecked(new, l.align())) };
    if !q.is_null() {
        unsafe {
            std::ptr::copy_nonoverlapping(p, q, l.size());
            dealloc(p, l);
        }
    }
    q
}

#[cfg(test)]
mod tests {
    // The unit tests run with this allocator too (lib.rs registers it), so every test
    // exercises it; these check its own rules.
    use super::*;

    #[test]
    fn newest_block_is_reused_and_grows_in_place() {
        let a = Arena;
        unsafe {
            let l = Layout::from_size_align(40, 8).unwrap();
            let p = a.alloc(l);
            if offset(p).is_none() {
                return; // the arena is full (other tests ran first): nothing to check
            }
            p.write_bytes(7, 40);
            let q = a.realloc(p, l, 80);
            assert_eq!(p, q, "the newest block grows where it is");
            assert!(std::slice::from_raw_parts(q, 40).iter().all(|&b| b == 7));
            a.dealloc(q, Layout::from_size_align(80, 8).unwrap());
            let r = a.alloc(l);
            // Other threads may have allocated in between; when not, the space came back.
            if TOP.load(Relaxed) == offset(r).unwrap_or(0) + 40 {
                a.dealloc(r, l);
            }
        }
    }

    #[test]
    fn big_and_overaligned_blocks_go_to_malloc() {
        let a = Arena;
        unsafe {
            let l = Layout::from_size_align(SMALL + 1, 8).unwrap();
            let p = a.alloc(l);
            assert!(offset(p).is_none());
            a.dealloc(p, l);
            let l = Layout::from_size_align(64, 64).unwrap();
            let p = a.alloc(l);
            assert!(offset(p).is_none());
            assert_eq!(p as usize % 64, 0);
            a.dealloc(p, l);
        }
    }

    #[test]
    fn a_block_that_outgrows_the_arena_moves_with_its_bytes() {
        let mut v: Vec<u8> = Vec::with_capacity(8);
        for i in 0..100_000u32 {
            v.push(i as u8);
        }
        assert!(offset(v.as_mut_ptr()).is_none());
        assert!(v.iter().enumerate().all(|(i, &b)| b == i as u8));
        let z = vec![0u8; 512];
        assert!(z.iter().all(|&b| b == 0));
    }

    #[test]
    fn threads_allocate_side_by_side() {
        let hs: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || {
                    let mut keep = Vec::new();
                    for i in 0..2000 {
                        let s = vec![t as u8; 1 + i % 100];
                        keep.push(s);
                    }
                    keep.iter().all(|s| s.iter().all(|&b| b == t as u8))
                })
            })
            .collect();
        for h in hs {
            assert!(h.join().unwrap());
        }
    }
}
