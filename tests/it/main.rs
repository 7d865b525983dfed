//! Integration tests: one module per applet (or core area), all in one test binary so the
//! suite links once.

mod common;

mod basename;
mod cat;
mod core;
mod dirname;
mod echo;
mod env;
mod envsubst;
mod features;
mod free;
mod fuser;
mod getconf;
mod kill;
mod link;
mod logname;
mod ls;
mod make;
mod mount;
mod nproc;
mod ns;
mod pgrep;
mod printenv;
mod proc_util;
mod procrun;
mod ps;
mod pstree;
mod pwd;
mod rootfs;
mod runners;
mod sched;
mod sleep;
mod sync;
mod sysinfo;
mod test;
mod time;
mod top;
mod truefalse;
mod tty;
mod uname;
mod unlink;
mod usleep;
mod who;
mod whoami;
mod yes;
