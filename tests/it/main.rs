//! Integration tests: one module per applet (or core area), all in one test binary so the
//! suite links once.

mod common;

mod base64;
mod basename;
mod cat;
mod cmp;
mod core;
mod crc;
mod dirname;
mod dos2unix;
mod echo;
mod env;
mod factor;
mod features;
mod hashsum;
mod hexdump;
mod link;
mod logname;
mod ls;
mod make;
mod nproc;
mod od;
mod printenv;
mod printf;
mod pwd;
mod rootfs;
mod seq;
mod sleep;
mod strings;
mod sync;
mod test;
mod truefalse;
mod tty;
mod uname;
mod unlink;
mod usleep;
mod uuencode;
mod whoami;
mod xxd;
mod yes;
