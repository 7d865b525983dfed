//! Integration tests: one module per applet (or core area), all in one test binary so the
//! suite links once.

mod common;

mod basename;
mod cat;
mod core;
mod cp;
mod dd;
mod dirname;
mod echo;
mod env;
mod features;
mod idwhich;
mod install;
mod link;
mod ln;
mod logname;
mod ls;
mod make;
mod mknod;
mod mktemp;
mod mv;
mod nproc;
mod printenv;
mod pwd;
mod readlink;
mod rootfs;
mod sleep;
mod stat;
mod sync;
mod test;
mod touch;
mod truefalse;
mod truncate;
mod tty;
mod uname;
mod unlink;
mod usleep;
mod whoami;
mod yes;
