//! Integration tests: one module per applet (or core area), all in one test binary so the
//! suite links once.

mod common;

mod basename;
mod cat;
mod core;
mod dirname;
mod echo;
mod env;
mod features;
mod grep;
mod link;
mod logname;
mod ls;
mod make;
mod nproc;
mod printenv;
mod printf;
mod proc_util;
mod ps;
mod pwd;
mod rootfs;
mod sed;
mod sleep;
mod sync;
mod test;
mod truefalse;
mod tty;
mod uname;
mod unlink;
mod usleep;
mod whoami;
mod yes;
