//! Integration tests: one module per applet (or core area), all in one test binary so the
//! suite links once.

mod common;

mod core;
mod echo;
mod env;
mod nproc;
mod printenv;
mod test;
mod truefalse;
mod uname;
mod yes;
