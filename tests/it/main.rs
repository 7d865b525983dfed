//! Integration tests: one module per applet (or core area), all in one test binary so the
//! suite links once.

mod common;

mod basename;
mod cat;
mod core;
mod dirname;
mod echo;
mod link;
mod pwd;
mod sleep;
mod sync;
mod truefalse;
mod tty;
mod unlink;
mod usleep;
mod yes;
