//! Integration tests: one module per applet (or core area), all in one test binary so the
//! suite links once.

mod common;

mod basename;
mod cat;
mod comm_join;
mod core;
mod cut;
mod dirname;
mod echo;
mod env;
mod expand_tee;
mod features;
mod head;
mod lines_misc;
mod link;
mod logname;
mod ls;
mod make;
mod nproc;
mod printenv;
mod pwd;
mod rootfs;
mod shuf_split;
mod sleep;
mod sort;
mod sync;
mod tail;
mod test;
mod textfiles;
mod tr;
mod truefalse;
mod tty;
mod uname;
mod uniq;
mod unlink;
mod usleep;
mod wc;
mod whoami;
mod yes;
