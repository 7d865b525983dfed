//! The rbox executable: a C `main` so that start-up skips std's runtime wrapper (about 7,000
//! instructions per exec, paid by every `find -exec` and shell script). std is still used
//! everywhere else; argc/argv come from here because `std::env::args()` is empty under
//! `no_main` on musl.
#![no_main]

#[no_mangle]
#[allow(clippy::not_unsafe_ptr_arg_deref)] // the C runtime is the only caller
pub extern "C" fn main(argc: libc::c_int, argv: *const *const libc::c_char) -> libc::c_int {
    // SAFETY: the C runtime hands us argc valid NUL-terminated strings that live until exit.
    unsafe { rbox::multi::start(argc, argv) }
}
