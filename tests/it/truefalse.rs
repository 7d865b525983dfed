use crate::common::*;

#[test]
fn true_and_false_ignore_arguments() {
    run("true", &["-x", "--nosuch", "a"]).ok("");
    run("false", &["-x", "a"]).fails(1, "");
    same("true", &["a"], b"", |_| {});
    same("false", &["a"], b"", |_| {});
}
