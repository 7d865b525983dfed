//! envsubst against gettext's (Debian's gettext-base), when installed.

use crate::common::*;
use std::io::Write;
use std::process::{Command, Stdio};

const TEXT: &[u8] = b"a $FOO ${BAR} $BAZ ${FOO:-x} $ $$ ${ ${FOO $1 ${_x} ${FOO}x$FOO.\n\
$FOO$BAR\n\xff$FOO\xfe\n\0$BAR\0\nlast $FOO";

fn gnu(args: &[&str], input: &[u8]) -> Option<Out> {
    if !std::path::Path::new("/usr/bin/envsubst").exists() {
        eprintln!("gettext-base's envsubst missing: comparison skipped");
        return None;
    }
    let mut c = Command::new("/usr/bin/envsubst")
        .args(args)
        .env("FOO", "foo")
        .env("BAR", "b a r")
        .env_remove("BAZ")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Some runs (-v, --help) end without reading their input.
    let _ = c.stdin.take().unwrap().write_all(input);
    let o = c.wait_with_output().unwrap();
    Some(Out {
        code: o.status.code().unwrap_or(-1),
        stdout: o.stdout,
        stderr: o.stderr,
    })
}

fn ours(args: &[&str], input: &[u8]) -> Out {
    cmd("envsubst")
        .args(args)
        .env("FOO", "foo")
        .env("BAR", "b a r")
        .stdin(input)
        .run()
}

#[test]
fn substitutes_like_gettext() {
    for args in [
        &[][..],
        &["$BAR"],
        &["${FOO} and $BAR"],
        &["abc"],
        &[""],
        &["$FOO $FOO"],
        &["-v", "$B $A ${B} $C_1x ${D"],
        &["--variables", "$X"],
    ] {
        let a = ours(args, TEXT);
        if let Some(b) = gnu(args, TEXT) {
            assert_eq!(
                (a.code, &a.stdout, a.err()),
                (b.code, &b.stdout, b.err()),
                "{args:?}"
            );
        }
    }
    ours(&[], TEXT).ok(&b"a foo b a r  ${FOO:-x} $ $$ ${ ${FOO $1  fooxfoo.\nfoob a r\n\xfffoo\xfe\n\0b a r\0\nlast foo"[..]);
    ours(&["$BAR"], b"$FOO ${BAR}").ok("$FOO b a r");
    ours(&[], b"").ok("");
}

#[test]
fn errors() {
    ours(&["-v"], b"").fails(1, "envsubst: missing arguments\n");
    ours(&["a", "b"], b"").fails(1, "envsubst: too many arguments\n");
    ours(&["-x"], b"").fails_with(1, "envsubst: invalid option -- 'x'");
}
