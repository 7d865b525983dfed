//! sh's input layer (commands read one at a time from a script, a pipe or a file on
//! stdin) and the interactive shell on a pty: prompts, line editing, history, completion.

use crate::common::*;

/// rbox sh with stdin from a file (seekable), not a pipe.
fn sh_stdin_file(d: &Dir, script: &str, args: &[&str]) -> Out {
    let f = d.write("stdin.sh", script);
    let mut r = d.cmd("sh").args(args);
    r.cmd.stdin(std::fs::File::open(f).unwrap());
    let o = output_retrying(&mut r.cmd);
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: o.stdout,
        stderr: o.stderr,
    }
}

#[test]
fn stdin_commands_see_the_rest_of_the_input() {
    // POSIX: a command reading the shell's stdin gets the input just after itself. (ash and
    // dash read ahead in blocks, so there `read` sees end of file: rbox does as bash.)
    let d = Dir::new();
    let s = "read x\nhello world\necho \"got $x\"\nread y\nnext line\necho $y end\n";
    let want = "got hello world\nnext line end\n";
    d.cmd("sh").stdin(s).run().ok(want);
    sh_stdin_file(&d, s, &[]).ok(want);
    sh_stdin_file(&d, s, &["-s", "a"]).ok(want);
    // From a file, `head` (which puts the offset back after its line) leaves the rest; a
    // pipe cannot be put back, so there head takes the block it read.
    sh_stdin_file(&d, "head -n1\nnext line\necho end\n", &[]).ok("next line\nend\n");
    // A command that reads everything leaves nothing for the shell.
    let s = "cat\necho not run\n";
    d.cmd("sh").stdin(s).run().ok("echo not run\n");
    sh_stdin_file(&d, s, &[]).ok("echo not run\n");
    // A multi-line command is read whole before it runs; what follows is still input.
    let s = "if true; then\n  read y\nfi\nline two\necho \"[$y]\"\n";
    d.cmd("sh").stdin(s).run().ok("[line two]\n");
    sh_stdin_file(&d, s, &[]).ok("[line two]\n");
}

#[test]
fn stdin_odd_input() {
    let d = Dir::new();
    // No trailing newline, NUL bytes (dropped, as ash does), CRs kept in words.
    d.cmd("sh").stdin("echo a\necho b").run().ok("a\nb\n");
    d.cmd("sh").stdin("echo a\0b\n").run().ok("ab\n");
    d.cmd("sh").stdin("").run().ok("");
    sh_stdin_file(&d, "echo a\0b\necho c", &[]).ok("ab\nc\n");
    // Here-documents and quotes across lines, from a pipe.
    d.cmd("sh")
        .stdin("cat <<E\nx $((1+1))\nE\necho \"a\nb\"\n")
        .run()
        .ok("x 2\na\nb\n");
}

#[test]
fn syntax_errors_after_earlier_commands_ran() {
    let d = Dir::new();
    // The first lines run before the error further down is read; its line number is right.
    let s = "echo one\n\necho two\nif true; then\n  echo three\nfi fi\necho never\n";
    d.write("s.sh", s);
    d.cmd("sh")
        .arg("s.sh")
        .run()
        .fails(2, "s.sh: line 6: syntax error: unexpected \"fi\"\n");
    d.cmd("sh")
        .stdin(s)
        .run()
        .fails(2, "sh: syntax error: unexpected \"fi\"\n");
    same("sh", &["s.sh"], b"", |d| {
        d.write("s.sh", s);
    });
    let e = "echo a\n\necho \"abc\n\n";
    same("sh", &["e.sh"], b"", |d| {
        d.write("e.sh", e);
    });
}

#[test]
fn big_script_read_in_blocks() {
    // Commands, a function and a here-document straddling the 16 KiB read blocks.
    let d = Dir::new();
    let mut s = String::new();
    let mut want = String::new();
    for i in 0..3000 {
        if i % 500 == 7 {
            s.push_str("f() {\n  echo \"in f $1\"\n}\ncat <<EOF\nhere\ndoc\nEOF\nf ");
            s.push_str(&i.to_string());
            s.push('\n');
            want.push_str(&format!("here\ndoc\nin f {i}\n"));
        }
        s.push_str(&format!("echo line{i}\n"));
        want.push_str(&format!("line{i}\n"));
    }
    d.write("big.sh", &s);
    d.cmd("sh").arg("big.sh").run().ok(&want);
    d.cmd("sh").stdin(&s).run().ok(&want);
    sh_stdin_file(&d, &s, &[]).ok(&want);
}

#[test]
fn script_file_descriptor_is_out_of_the_way() {
    // The script's own descriptor is 10 or above, so the script may redirect 0-9 freely,
    // and close-on-exec, so the commands it runs do not inherit it.
    let d = Dir::new();
    d.write(
        "s.sh",
        "exec 3</dev/null 4</dev/null 5</dev/null 0</dev/null\ncd /proc/self/fd && for f in *; do echo \"$f $(readlink $f)\"; done\n/bin/ls -l /proc/self/fd | grep -c s.sh\necho after\n",
    );
    let o = d.cmd("sh").arg("s.sh").run();
    assert_eq!(o.code, 0, "{}", o.err());
    let out = o.out();
    assert!(out.ends_with("after\n"), "{out}");
    assert!(
        out.contains("\n5 /dev/null\n") && out.ends_with("\n0\nafter\n"),
        "{out}"
    );
    let script_fd = out.lines().find(|l| l.ends_with("/s.sh")).unwrap_or("");
    assert!(
        script_fd.split(' ').next().unwrap().parse::<u32>().unwrap() >= 10,
        "{out}"
    );
}
