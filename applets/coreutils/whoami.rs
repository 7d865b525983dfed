//! applet: whoami
//! usage: whoami
//! Print the user name associated with the current effective user id

use crate::users::Users;
use crate::{Cx, Res};
use std::ffi::OsStr;

pub fn main(cx: &mut Cx, args: &[&OsStr]) -> Res {
    if args.len() > 1 {
        return Err(cx.usage());
    }
    // SAFETY: geteuid cannot fail.
    let uid = unsafe { libc::geteuid() };
    match Users::new().user_name(uid) {
        Some(name) => {
            cx.out.line(name);
            Ok(0)
        }
        None => Err(cx.fail(&[b"unknown uid ", uid.to_string().as_bytes()])),
    }
}
