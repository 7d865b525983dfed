//! memcpy, memmove and memcmp for the static x86_64 musl build, and memcmp for aarch64,
//! replacing musl's.
//!
//! musl's x86_64 memcpy is `rep movsq` after a byte loop that aligns the destination, and
//! its memmove copies backwards with `std; rep movsb`, one byte at a time. Both pay tens of
//! cycles per call, and the codecs make millions of short calls: perf put 40% of `unxz`'s
//! time in memcpy (one call per LZ match) and 26% of `bunzip2`'s in the backward memmove
//! (the move-to-front list). These copy up to 32 bytes with two overlapping loads and two
//! stores, up to 2 KiB with a 32-byte SSE2 loop, and above that with `rep movsb` (fast on
//! every x86_64 made since ERMS, 2012). The small paths load everything before they store,
//! so memmove shares them; only a long overlapping copy to a higher address goes backwards.
//!
//! A definition in the program wins over libc.a's member of the same name at link time
//! (archive members are only pulled for undefined symbols), so nothing else changes.
//! Written in assembly so that the compiler cannot turn the copy loop back into a call to
//! memcpy. Tests: the unit tests below compare every length to 300 and every overlap.

#[cfg(all(target_arch = "x86_64", target_env = "musl"))]
core::arch::global_asm!(
    ".text",
    ".p2align 4",
    ".globl memcpy",
    ".type memcpy,@function",
    "memcpy:",
    "mov rax, rdi",
    // memmove joins here when a forward copy is safe.
    "2:",
    "cmp rdx, 32",
    "ja 5f",
    // 0..=32 bytes: all loads before any store (memmove's small case too).
    "3:",
    "cmp edx, 16",
    "jb 4f",
    "movups xmm0, [rsi]",
    "movups xmm1, [rsi + rdx - 16]",
    "movups [rdi], xmm0",
    "movups [rdi + rdx - 16], xmm1",
    "ret",
    "4:",
    "cmp edx, 8",
    "jb 41f",
    "mov rcx, [rsi]",
    "mov r8, [rsi + rdx - 8]",
    "mov [rdi], rcx",
    "mov [rdi + rdx - 8], r8",
    "ret",
    "41:",
    "cmp edx, 4",
    "jb 42f",
    "mov ecx, [rsi]",
    "mov r8d, [rsi + rdx - 4]",
    "mov [rdi], ecx",
    "mov [rdi + rdx - 4], r8d",
    "ret",
    "42:",
    "test edx, edx",
    "jz 43f",
    // 1..=3 bytes: the first, the middle and the last (some are the same byte).
    "movzx ecx, byte ptr [rsi]",
    "movzx r8d, byte ptr [rsi + rdx - 1]",
    "mov r9, rdx",
    "shr r9, 1",
    "movzx r10d, byte ptr [rsi + r9]",
    "mov [rdi], cl",
    "mov [rdi + r9], r10b",
    "mov [rdi + rdx - 1], r8b",
    "43:",
    "ret",
    // 33 bytes and more, forwards.
    "5:",
    "cmp rdx, 2048",
    "jae 7f",
    // The last 32 bytes are loaded first and stored last: the loop's stores never reach
    // source bytes it has still to read when the destination is below the source.
    "movups xmm2, [rsi + rdx - 32]",
    "movups xmm3, [rsi + rdx - 16]",
    "lea r8, [rdx - 32]",
    "xor ecx, ecx",
    "6:",
    "movups xmm0, [rsi + rcx]",
    "movups xmm1, [rsi + rcx + 16]",
    "movups [rdi + rcx], xmm0",
    "movups [rdi + rcx + 16], xmm1",
    "add rcx, 32",
    "cmp rcx, r8",
    "jb 6b",
    "movups [rdi + rdx - 32], xmm2",
    "movups [rdi + rdx - 16], xmm3",
    "ret",
    // rep movsb runs forwards byte by byte as far as the result goes: right for memmove
    // when the destination is below the source.
    "7:",
    "mov rcx, rdx",
    "rep movsb",
    "ret",
    ".size memcpy, . - memcpy",
    "",
    ".p2align 4",
    ".globl memmove",
    ".type memmove,@function",
    "memmove:",
    "mov rax, rdi",
    // dst - src >= n (unsigned): the destination is below the source or past its end.
    "mov rcx, rdi",
    "sub rcx, rsi",
    "cmp rcx, rdx",
    "jae 2b",
    "cmp rdx, 32",
    "jbe 3b",
    // Overlapping, destination above the source: 32 bytes at a time from the end; the
    // first 32 are loaded before the loop and stored after it.
    "movups xmm2, [rsi]",
    "movups xmm3, [rsi + 16]",
    "lea rcx, [rdx - 32]",
    "8:",
    "movups xmm0, [rsi + rcx]",
    "movups xmm1, [rsi + rcx + 16]",
    "movups [rdi + rcx], xmm0",
    "movups [rdi + rcx + 16], xmm1",
    "sub rcx, 32",
    "ja 8b",
    "movups [rdi], xmm2",
    "movups [rdi + 16], xmm3",
    "ret",
    ".size memmove, . - memmove",
    "",
    // memcmp: 16 bytes at a time (musl's is a byte loop; every slice `==` and `Ord` of
    // bytes, sort's and uniq's line compares and awk's keys come here). It never reads
    // outside [0, n) of either side: the last 16 are compared overlapping.
    ".p2align 4",
    ".globl memcmp",
    ".type memcmp,@function",
    ".globl bcmp",
    ".type bcmp,@function",
    "memcmp:",
    "bcmp:",
    "xor ecx, ecx",
    "cmp rdx, 16",
    "jb 14f",
    "lea r8, [rdx - 16]",
    "10:",
    "movdqu xmm0, [rdi + rcx]",
    "movdqu xmm1, [rsi + rcx]",
    "pcmpeqb xmm0, xmm1",
    "pmovmskb eax, xmm0",
    "xor eax, 0xffff",
    "jnz 12f",
    "add rcx, 16",
    "cmp rcx, r8",
    "jb 10b",
    // The last 16 bytes (overlapping what matched, or exactly the next 16).
    "cmp rcx, rdx",
    "je 13f",
    "mov rcx, r8",
    "movdqu xmm0, [rdi + rcx]",
    "movdqu xmm1, [rsi + rcx]",
    "pcmpeqb xmm0, xmm1",
    "pmovmskb eax, xmm0",
    "xor eax, 0xffff",
    "jnz 12f",
    "13:",
    "xor eax, eax",
    "ret",
    // The first differing byte decides.
    "12:",
    "bsf eax, eax",
    "add rcx, rax",
    "movzx eax, byte ptr [rdi + rcx]",
    "movzx edx, byte ptr [rsi + rcx]",
    "sub eax, edx",
    "ret",
    // Under 16 bytes: 8 at a time while 8 are left, then bytes.
    "14:",
    "cmp rdx, 8",
    "jb 16f",
    "mov rax, [rdi]",
    "mov r8, [rsi]",
    "xor rax, r8",
    "jnz 15f",
    "lea rcx, [rdx - 8]",
    "mov rax, [rdi + rcx]",
    "mov r8, [rsi + rcx]",
    "xor rax, r8",
    "jz 13b",
    "15:",
    "bsf rax, rax",
    "shr eax, 3",
    "add rcx, rax",
    "movzx eax, byte ptr [rdi + rcx]",
    "movzx edx, byte ptr [rsi + rcx]",
    "sub eax, edx",
    "ret",
    "16:",
    "cmp rcx, rdx",
    "je 13b",
    "movzx eax, byte ptr [rdi + rcx]",
    "movzx r8d, byte ptr [rsi + rcx]",
    "inc rcx",
    "sub eax, r8d",
    "jz 16b",
    "ret",
    ".size memcmp, . - memcmp",
    ".size bcmp, . - bcmp",
);

// aarch64: musl has assembly memcpy/memset there, but memcmp is the C byte loop. This one
// compares 16 bytes at a time with paired loads, then 8, then bytes; it reads nothing
// past n. The first differing byte of a word is its lowest set byte of a ^ b (little-endian).
#[cfg(all(target_arch = "aarch64", target_env = "musl"))]
core::arch::global_asm!(
    ".text",
    ".p2align 4",
    ".globl memcmp",
    ".type memcmp,%function",
    ".globl bcmp",
    ".type bcmp,%function",
    "memcmp:",
    "bcmp:",
    "cmp x2, #16",
    "b.lo 3f",
    "1:",
    "ldp x3, x4, [x0], #16",
    "ldp x5, x6, [x1], #16",
    "cmp x3, x5",
    "b.ne 5f",
    "cmp x4, x6",
    "b.ne 6f",
    "sub x2, x2, #16",
    "cmp x2, #16",
    "b.hs 1b",
    "3:",
    "cmp x2, #8",
    "b.lo 4f",
    "ldr x3, [x0], #8",
    "ldr x5, [x1], #8",
    "cmp x3, x5",
    "b.ne 5f",
    "sub x2, x2, #8",
    "4:",
    "cbz x2, 7f",
    "41:",
    "ldrb w3, [x0], #1",
    "ldrb w5, [x1], #1",
    // x0 is still the pointer here: the difference goes to w4 first.
    "subs w4, w3, w5",
    "b.ne 8f",
    "subs x2, x2, #1",
    "b.ne 41b",
    "7:",
    "mov w0, #0",
    "ret",
    "8:",
    "mov w0, w4",
    "ret",
    "6:",
    "mov x3, x4",
    "mov x5, x6",
    "5:",
    "eor x7, x3, x5",
    "rbit x7, x7",
    "clz x7, x7",
    "and x7, x7, #0xfffffffffffffff8",
    "lsr x3, x3, x7",
    "lsr x5, x5, x7",
    "and w3, w3, #0xff",
    "and w5, w5, #0xff",
    "sub w0, w3, w5",
    "ret",
    ".size memcmp, . - memcmp",
    ".size bcmp, . - bcmp",
);

#[cfg(test)]
mod tests {
    // Through black_box'd pointers so the compiler cannot expand the calls inline.
    extern "C" {
        fn memcpy(d: *mut u8, s: *const u8, n: usize) -> *mut u8;
        fn memmove(d: *mut u8, s: *const u8, n: usize) -> *mut u8;
        fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32;
        fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32;
    }

    /// Two pages, the second inaccessible: a slice ending at the first page's end faults on
    /// any read past its end.
    struct Guarded(*mut u8);
    impl Guarded {
        fn new() -> Guarded {
            unsafe {
                let p = libc::mmap(
                    std::ptr::null_mut(),
                    8192,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                );
                assert_ne!(p, libc::MAP_FAILED);
                libc::mprotect((p as *mut u8).add(4096).cast(), 4096, libc::PROT_NONE);
                Guarded(p.cast())
            }
        }
        /// The last n bytes before the guard page, filled from `v`.
        fn tail(&self, v: &[u8]) -> *mut u8 {
            let p = unsafe { self.0.add(4096 - v.len()) };
            for (i, &b) in v.iter().enumerate() {
                unsafe { *p.add(i) = std::hint::black_box(b) };
            }
            p
        }
    }
    impl Drop for Guarded {
        fn drop(&mut self) {
            unsafe { libc::munmap(self.0.cast(), 8192) };
        }
    }

    #[test]
    fn memcmp_every_length_and_difference() {
        // Each difference at each position, both signs, against a byte-by-byte answer; both
        // sides end at a guard page, so a read past n faults.
        let (ga, gb) = (Guarded::new(), Guarded::new());
        for n in (0..70).chain([127, 128, 129, 1000]) {
            let a = pattern(n);
            let pa = ga.tail(&a);
            for pos in (0..n)
                .step_by(if n > 70 { 7 } else { 1 })
                .chain([usize::MAX])
            {
                for delta in [1u8, 0x80, 0xff] {
                    let mut b = pattern(n);
                    if let Some(x) = b.get_mut(pos) {
                        *x = x.wrapping_add(delta);
                    }
                    let pb = gb.tail(&b);
                    let want = a
                        .iter()
                        .zip(&b)
                        .find(|(x, y)| x != y)
                        .map_or(0, |(&x, &y)| x as i32 - y as i32);
                    let n = std::hint::black_box(n);
                    let got = unsafe { memcmp(pa, pb, n) };
                    assert_eq!(got, want, "n {n} pos {pos} delta {delta}");
                    let got = unsafe { bcmp(pb, pa, n) };
                    assert_eq!(got != 0, want != 0, "bcmp n {n} pos {pos}");
                }
            }
        }
    }

    #[test]
    fn memcpy_reads_and_writes_only_n_bytes() {
        let (gs, gd) = (Guarded::new(), Guarded::new());
        for n in (0..300).chain([2047, 2048, 2049, 4000, 4096]) {
            let src = pattern(n);
            let ps = gs.tail(&src);
            let pd = gd.tail(&vec![0; n]);
            unsafe { memcpy(pd, ps, std::hint::black_box(n)) };
            assert!(
                unsafe { std::slice::from_raw_parts(pd, n) } == &src[..],
                "n {n}"
            );
            unsafe { memmove(pd, ps, std::hint::black_box(n)) };
            assert!(
                unsafe { std::slice::from_raw_parts(pd, n) } == &src[..],
                "n {n}"
            );
        }
    }

    fn pattern(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * 7 + i / 251) as u8).collect()
    }

    #[test]
    fn memcpy_every_length_and_alignment() {
        let src = pattern(4200);
        for n in (0..300).chain([511, 512, 513, 2047, 2048, 2049, 4000]) {
            for (so, dof) in [(0, 0), (1, 0), (0, 3), (5, 7), (15, 1)] {
                let mut dst = vec![0xAAu8; n + 40];
                let r = unsafe {
                    memcpy(
                        std::hint::black_box(dst.as_mut_ptr().add(dof)),
                        src.as_ptr().add(so),
                        std::hint::black_box(n),
                    )
                };
                assert_eq!(r, unsafe { dst.as_mut_ptr().add(dof) });
                assert_eq!(&dst[dof..dof + n], &src[so..so + n], "n {n}");
                assert!(dst[..dof].iter().all(|&b| b == 0xAA), "n {n} before");
                assert!(dst[dof + n..].iter().all(|&b| b == 0xAA), "n {n} after");
            }
        }
    }

    #[test]
    fn memmove_every_overlap() {
        let base = pattern(5000);
        for n in (0..100).chain([127, 128, 129, 300, 2047, 2048, 2100, 4000]) {
            for shift in [0usize, 1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 64, 100, 1000] {
                for up in [false, true] {
                    let mut buf = pattern(5000);
                    let (s, d) = if up {
                        (200, 200 + shift)
                    } else {
                        (200 + shift, 200)
                    };
                    if d + n > buf.len() || s + n > buf.len() {
                        continue;
                    }
                    // Built without memcpy or memmove (black_box stops the loop becoming one).
                    let mut want = pattern(5000);
                    for i in 0..n {
                        want[d + i] = std::hint::black_box(base[s + i]);
                    }
                    let p = buf.as_mut_ptr();
                    let r = unsafe {
                        memmove(
                            std::hint::black_box(p.add(d)),
                            p.add(s),
                            std::hint::black_box(n),
                        )
                    };
                    assert_eq!(r, unsafe { p.add(d) });
                    assert!(buf == want, "n {n} shift {shift} up {up}");
                }
            }
        }
    }
}
