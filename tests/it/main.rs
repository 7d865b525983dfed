//! Integration tests: one module per applet (or core area), all in one test binary so the
//! suite links once.

mod common;

mod basename;
mod cal;
mod cat;
mod chmod;
mod chown;
mod core;
mod dirname;
mod echo;
mod env;
mod features;
mod kill;
mod link;
mod ln;
mod logname;
mod ls;
mod make;
mod mkdir;
mod mknod;
mod mktemp;
mod nproc;
mod pgrep;
mod printenv;
mod printf;
mod proc_util;
mod ps;
mod pwd;
mod readlink;
mod rm;
mod rmdir;
mod rootfs;
mod seq;
mod sleep;
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
