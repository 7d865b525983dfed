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
    if under_runner() {
        return; // the emulator's own descriptors are in the listing too
    }
    let script_fd = out.lines().find(|l| l.ends_with("/s.sh")).unwrap_or("");
    assert!(
        script_fd.split(' ').next().unwrap().parse::<u32>().unwrap() >= 10,
        "{out}"
    );
}

use crate::pty::{self, Term, CTRL_C, CTRL_D, DEL, HOME, LEFT, RIGHT, TAB, UP};

const ALT_B: &str = "\x1bb";
const ALT_F: &str = "\x1bf";
const ALT_D: &str = "\x1bd";

/// rbox sh on a fresh 80x24 pty, at its first prompt ("$ ").
fn start(d: &Dir) -> Term {
    let mut t = pty::sh(d).start();
    t.expect("$ ");
    t
}

/// Types a line and waits for the output that follows it and the next prompt.
#[track_caller]
fn line(t: &mut Term, keys: &str, want: &str) {
    t.send(keys);
    t.send("\r");
    t.expect(&format!("\r\n{want}"));
    t.expect("$ ");
}

#[test]
fn prompt_command_and_exit() {
    let d = Dir::new();
    let mut t = start(&d);
    line(&mut t, "echo $((6*7)) $-", "42 ");
    line(
        &mut t,
        "case $- in *i*) echo interactive;; esac",
        "interactive\r\n",
    );
    // PS2 for the rest of a command, then it runs whole.
    t.send("if true\r");
    t.expect("\r\n> ");
    t.send("then echo yes; fi\r");
    t.expect("yes\r\n$ ");
    t.send("exit 3\r");
    assert_eq!(t.wait(), Some(3));
    // Ctrl-D on an empty line ends the shell with the last status.
    let mut t = start(&d);
    line(&mut t, "false", "");
    t.send(CTRL_D);
    assert_eq!(t.wait(), Some(1));
}

#[test]
fn errors_do_not_end_an_interactive_shell() {
    let d = Dir::new();
    let mut t = start(&d);
    line(&mut t, "fi", "sh: syntax error: unexpected \"fi\"\r\n");
    line(
        &mut t,
        "echo ${x?is unset}; echo not here",
        "sh: x: is unset\r\n",
    );
    line(&mut t, "echo $?", "2\r\n");
    line(&mut t, "echo alive", "alive\r\n");
    // Messages name no line number in an interactive shell, as ash's.
    line(
        &mut t,
        ". ./missing",
        "sh: .: can't open './missing': No such file or directory\r\n",
    );
    // An error `let` made harmless does not keep a later `exit` from ending the shell.
    t.send("let 'x=1/0'; exit 5\r");
    t.expect("divide by zero");
    assert_eq!(t.wait(), Some(5));
    let mut t = start(&d);
    // `set -o ignoreeof`: Ctrl-D is refused, as ash says.
    line(&mut t, "set -o ignoreeof", "");
    t.send(CTRL_D);
    t.expect("Use \"exit\" to leave shell.");
    t.expect("$ ");
    t.send("exit\r");
    assert_eq!(t.wait(), Some(0));
}

#[test]
fn emacs_editing_keys() {
    let d = Dir::new();
    let mut t = start(&d);
    // Insert in the middle, Ctrl-A / Ctrl-E, arrows.
    line(
        &mut t,
        &format!("cho wrld\x01e\x05{LEFT}{LEFT}{LEFT}o"),
        "world\r\n",
    );
    // Alt-B twice and Ctrl-K: the end of the line goes.
    line(
        &mut t,
        &format!("echo one two three{ALT_B}{ALT_B}\x0b"),
        "one\r\n",
    );
    // Ctrl-U kills to the start, Ctrl-W the word before the cursor.
    line(&mut t, "rubbish\x15echo a bb\x17c", "a c\r\n");
    // Ctrl-Y puts back what was killed last.
    line(&mut t, "echo 12\x1734 \x19", "34 12\r\n");
    // Ctrl-T swaps the last two characters; Ctrl-B / Ctrl-F move by one.
    line(&mut t, "echo ab\x14", "ba\r\n");
    line(&mut t, "echo xz\x02y\x06!", "xyz!\r\n");
    // Alt-F / Alt-D: forward over a word, delete the next one.
    line(
        &mut t,
        &format!("echo aaa bbb ccc\x01{ALT_F}{ALT_F}{ALT_D}"),
        "aaa ccc\r\n",
    );
    // Alt-Backspace deletes the word before; Ctrl-H and Backspace the character.
    line(
        &mut t,
        "echo keep drop\x1b\x7fnew\x08w\x7fW",
        "keep neW\r\n",
    );
    // Home, Delete, End (xterm sequences), Ctrl-D inside the line deletes.
    line(
        &mut t,
        &format!("echo Zxy{HOME}{RIGHT}{RIGHT}{RIGHT}{RIGHT}{RIGHT}{DEL}\x1b[F!"),
        "xy!\r\n",
    );
    line(&mut t, "echo abc\x02\x02\x04", "ac\r\n");
    // Ctrl-L clears the screen and draws the line again.
    t.send("echo cleared\x0c");
    t.expect("\x1b[2J");
    line(&mut t, "", "cleared\r\n");
    // Multi-byte characters move and delete as one.
    line(
        &mut t,
        &format!("echo é中x{LEFT}{LEFT}Y\x08\x08Z"),
        "Z中x\r\n",
    );
}

#[test]
fn ctrl_c_clears_the_line() {
    let d = Dir::new();
    let mut t = start(&d);
    t.send("echo never");
    t.send(CTRL_C);
    // As BusyBox: ^C, a new line, a new prompt; $? is 130.
    t.expect("^C\r\n$ ");
    line(&mut t, "echo $?", "130\r\n");
    // On a running command: the command ends, the shell goes on.
    t.send("sleep 30\r");
    t.expect("sleep 30\r\n");
    // Once the command runs (before, the key would reach only the shell).
    wait_for_child(t.pid(), "sleep");
    t.send(CTRL_C);
    t.expect("$ ");
    line(&mut t, "echo $?", "130\r\n");
}

/// Polls until a child of `pid` runs a command line holding `name`.
fn wait_for_child(pid: i32, name: &str) {
    for _ in 0..500 {
        let kids =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        for k in kids.split_whitespace() {
            let cmd = std::fs::read(format!("/proc/{k}/cmdline")).unwrap_or_default();
            if String::from_utf8_lossy(&cmd).contains(name) {
                return;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("no child of {pid} runs {name}");
}

#[test]
fn history_across_sessions() {
    let d = Dir::new();
    let mut t = start(&d);
    line(&mut t, "echo first", "first\r\n");
    line(&mut t, "echo second", "second\r\n");
    line(&mut t, "echo second", "second\r\n");
    line(&mut t, "", "");
    // Numbered from 0 as ash prints it; an empty line and a repeat are not kept.
    line(
        &mut t,
        "history",
        "   0 echo first\r\n   1 echo second\r\n   2 history\r\n",
    );
    // Up and down: the earlier line comes back to be edited; down returns to the typed one.
    line(&mut t, &format!("{UP}{UP}\x08\x08\x08nd!"), "secnd!\r\n");
    t.send("exit\r");
    assert_eq!(t.wait(), Some(0));
    // BusyBox's format: one line each, in ~/.ash_history by default.
    let h = std::fs::read_to_string(d.join(".ash_history")).unwrap();
    assert_eq!(h, "echo first\necho second\nhistory\necho secnd!\nexit\n");
    // The next session starts with it.
    let mut t = start(&d);
    line(&mut t, &format!("{UP}{UP}"), "secnd!\r\n");
    t.send(CTRL_D);
    assert_eq!(t.wait(), Some(0));
    // Two shells at once: each adds its own lines to what the file has when it exits.
    let mut a = start(&d);
    let mut b = start(&d);
    line(&mut a, "echo from a", "from a\r\n");
    line(&mut b, "echo from b", "from b\r\n");
    b.send(CTRL_D);
    assert_eq!(b.wait(), Some(0));
    a.send(CTRL_D);
    assert_eq!(a.wait(), Some(0));
    let h = std::fs::read_to_string(d.join(".ash_history")).unwrap();
    assert!(
        h.ends_with("exit\necho secnd!\necho from b\necho from a\n"),
        "{h}"
    );
    // HISTFILE and HISTFILESIZE.
    let mut t = pty::sh(&d)
        .env("HISTFILE", &d.join("h2").to_string_lossy())
        .env("HISTFILESIZE", "2")
        .start();
    t.expect("$ ");
    for i in 0..4 {
        line(&mut t, &format!("echo {i}"), &format!("{i}\r\n"));
    }
    t.send(CTRL_D);
    assert_eq!(t.wait(), Some(0));
    assert_eq!(
        std::fs::read_to_string(d.join("h2")).unwrap(),
        "echo 2\necho 3\n"
    );
}

#[test]
fn reverse_search() {
    let d = Dir::new();
    d.write(
        ".ash_history",
        "echo needle1\necho other\necho needle2 more\n",
    );
    let mut t = start(&d);
    t.send("\x12need");
    t.expect("(reverse-i-search)`need': echo needle2 more");
    // Ctrl-R again: the older match; Enter runs it.
    t.send("\x12");
    t.expect("echo needle1");
    t.send("\r");
    t.expect("\r\nneedle1\r\n$ ");
    // Another key leaves the search with the match to edit; Ctrl-G gives the line back.
    t.send("\x12oth\x05!\r");
    t.expect("\r\nother!\r\n$ ");
    t.send("echo kept\x12zzz\x07\r");
    t.expect("\r\nkept\r\n$ ");
}

#[test]
fn tab_completion() {
    let d = Dir::new();
    d.write("my file.txt", "spaced\n");
    d.write("alpha1", "");
    d.write("alpha2", "");
    d.write("alpha3", "");
    d.mkdir("subdir");
    d.write("subdir/inner", "in\n");
    let mut t = start(&d);
    // A name with a space is completed with a backslash before it, and a space after.
    t.send(format!("cat my{TAB}"));
    t.expect("cat my\\ file.txt ");
    line(&mut t, "", "spaced\r\n");
    // A directory gets a slash and no space; then the file inside it.
    line(&mut t, &format!("cat sub{TAB}in{TAB}"), "in\r\n");
    // Several: the common part, then a second Tab lists them in columns.
    t.send(format!("echo alp{TAB}"));
    t.expect("alpha");
    t.send(TAB);
    t.expect("alpha1  alpha2  alpha3\r\n");
    line(&mut t, "2", "alpha2\r\n");
    // Commands: functions, builtins, applets; and $VARIABLES.
    line(&mut t, "zz_my_func() { echo from func; }", "");
    line(&mut t, &format!("zz_my_f{TAB}"), "from func\r\n");
    t.send(format!("histor{TAB}| tail -n 1\r"));
    t.expect(" history | tail -n 1\r\n$ ");
    line(&mut t, "ZZ_SOME_VAR=42", "");
    line(&mut t, &format!("echo $ZZ_SOME_V{TAB}"), "42\r\n");
    // Nothing matches: a bell, the line unchanged.
    t.send(format!("echo nomatch_zz{TAB}"));
    t.expect("\x07");
    line(&mut t, "", "nomatch_zz\r\n");
}

#[test]
fn colour_prompt_and_long_lines() {
    let d = Dir::new();
    // 30 columns, a prompt of 6 visible characters inside colour escapes.
    let mut t = pty::sh(&d)
        .size(30, 10)
        .env("PS1", "\\[\\e[1;32m\\]rbox> \\[\\e[0m\\]")
        .start();
    t.expect("rbox> \x1b[0m");
    let arg = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    // Typed to the end, then edited across the wrap: a character inserted near the start.
    t.send(format!("echo {arg}"));
    t.send("\x01\x06\x06\x06\x06\x06_");
    t.send("\r");
    t.expect(&format!("\r\n_{arg}\r\n"));
    t.expect("rbox> ");
    let s = t.screen_text();
    // 6 + 5 + 1 + 62 = 74 characters: three rows of 30, and nothing else on them.
    let i = s
        .iter()
        .position(|r| r.starts_with("rbox> echo _abc"))
        .expect("the command on screen");
    assert_eq!(s[i], format!("rbox> echo _{}", &arg[..18]), "{s:#?}");
    assert_eq!(s[i + 1], arg[18..48]);
    assert_eq!(s[i + 2], arg[48..]);
    assert_eq!(s[i + 3], format!("_{}", &arg[..29]));
    // A line that ends exactly at the margin, then more: the cursor wraps where it should.
    t.send(format!("echo {}", &"x".repeat(19)));
    t.send("yz\r");
    t.expect(&format!("\r\n{}yz\r\n", "x".repeat(19)));
}

#[test]
fn dumb_terminal_gets_no_escapes() {
    let d = Dir::new();
    let mut t = pty::sh(&d).env("TERM", "dumb").start();
    t.expect("$ ");
    t.send("echo plain\n");
    t.expect("plain\r\n$ ");
    t.send("exit\n");
    assert_eq!(t.wait(), Some(0));
    assert!(!t.out.contains(&0x1b), "{}", pty::show(&t.out));
}

#[test]
fn vi_mode() {
    let d = Dir::new();
    let mut t = start(&d);
    line(
        &mut t,
        "set -o vi; set -o | grep '^vi'",
        "vi              on\r\n",
    );
    // Insert mode first; ESC for commands: 0 w cw, then A to append.
    line(&mut t, "echo abc def\x1b0wcwXY\x1bAZ", "XY defZ\r\n");
    // b dw x i, and $ with a.
    line(
        &mut t,
        "echo 123 456 789\x1bbdw0xie\x1b$a!",
        "123 456 !\r\n",
    );
    // k brings back the last line, j goes forward again; dd empties the line.
    line(&mut t, "\x1bkk", "XY defZ\r\n");
    line(&mut t, "echo gone\x1bddiecho new", "new\r\n");
    // h l e x, I.
    line(&mut t, "cho abcd\x1bhhxIe", "acd\r\n");
}

/// The prompt a shell prints after a command, up to the escape that follows it (rbox
/// clears the rest of the screen there, BusyBox asks where the cursor is).
fn prompt_after(t: &mut Term) -> String {
    t.send("echo @@\r");
    t.expect("\r\n@@\r\n");
    let p = t.expect("\x1b[");
    p.trim_end_matches("\x1b[").to_string()
}

#[test]
fn prompt_escapes_as_busybox() {
    if !has_busybox() {
        eprintln!("busybox-static not installed: comparison skipped");
        return;
    }
    let d = Dir::new();
    d.mkdir("sub dir");
    for ps1 in [
        "[\\u@\\h \\W]\\$ ",
        "\\H:\\w \\q \\$((1+2)) $((3+4))> ",
        "x\\101\\n\\e[1m> ",
    ] {
        let get = |bb: bool| {
            let s = if bb { pty::bb_sh(&d) } else { pty::sh(&d) };
            let mut t = s.env("PS1", ps1).start();
            t.send("cd 'sub dir'\r");
            prompt_after(&mut t)
        };
        assert_eq!(get(false), get(true), "PS1={ps1}");
    }
}

#[test]
fn wide_characters_wrap_as_the_terminal_does() {
    let d = Dir::new();
    let mut t = pty::sh(&d).size(20, 8).start();
    t.expect("$ ");
    // "$ echo " is 7 columns; 中 takes two: the seventh does not fit in the last column
    // and goes to the next row, as xterm puts it. Ctrl-A then Ctrl-E redraw and move over
    // the gap; the `!` must land after the last one.
    let wide = "中".repeat(9);
    t.send(format!("echo {wide}\x01\x05!"));
    t.expect("!");
    t.send("\r");
    t.expect(&format!("\r\n{wide}!\r\n$ "));
    let s = t.screen_text();
    let i = s
        .iter()
        .position(|r| r.starts_with("$ echo 中"))
        .expect("command on screen");
    assert_eq!(s[i], format!("$ echo {}", "中".repeat(6)), "{s:#?}");
    assert_eq!(s[i + 1], format!("{}!", "中".repeat(3)), "{s:#?}");
    // One column more before them: now six fill the row exactly.
    t.send(format!("echo {wide}{}x\r", LEFT.repeat(9)));
    t.expect(&format!("\r\nx{wide}\r\n$ "));
    let s = t.screen_text();
    let i = s
        .iter()
        .position(|r| r.starts_with("$ echo x"))
        .expect("command on screen");
    assert_eq!(s[i], format!("$ echo x{}", "中".repeat(6)), "{s:#?}");
    assert_eq!(s[i + 1], "中".repeat(3), "{s:#?}");
}

#[test]
fn window_size_change_is_followed() {
    let d = Dir::new();
    let mut t = pty::sh(&d).size(40, 10).start();
    t.expect("$ ");
    t.send("echo 0123456789012345678901234567890123456789");
    t.expect("6789");
    t.resize(20, 10);
    // The redraw after the change works in the new width: the whole command still runs.
    t.send("\x01\x06\x06\x06\x06\x06-\r");
    t.expect("\r\n-0123456789012345678901234567890123456789\r\n$ ");
}

#[test]
fn interactive_without_a_terminal() {
    // `sh -i` on a pipe: prompts on stderr (no escapes), errors do not end it.
    let d = Dir::new();
    let o = d
        .cmd("sh")
        .arg("-i")
        .env("PS1", "P1 ")
        .env("PS2", "P2 ")
        .stdin("echo a\nfi\nif true\nthen echo b; fi\n")
        .run();
    assert_eq!(o.out(), "a\nb\n");
    // Without a controlling terminal `-i` turns job control on and fails, saying so as ash
    // does (with one, it takes the terminal); the rest is the same either way.
    let err = o
        .err()
        .replace("sh: can't access tty; job control turned off\n", "");
    assert_eq!(err, "P1 P1 sh: syntax error: unexpected \"fi\"\nP1 P2 P1 ");
    assert_eq!(o.code, 0);
}

/// `read -e` (bash's): the line editor reads the line on a terminal, with the prompt of
/// `-p`, the starting text of `-i`, file name completion, and the interactive shell's
/// history; what it returns goes through read's backslash and IFS rules.
#[test]
fn read_e_edits_the_line() {
    let d = Dir::new();
    d.write("my file.txt", "");
    // A script on the terminal: keys edit the line before Enter.
    // Each read has a prompt to wait for: keys typed before the editor has the terminal
    // would meet the terminal's own line discipline (^D, ^C).
    let script = r#"read -e -p 'name? ' x; echo "[$x]"; read -e -i abc y; echo "[$y]"
        read -e -p 3: z; echo "[$z]"; read -e -r -p 4: z; echo "[$z]"; read -e -p 5: a b
        echo "[$a|$b]""#;
    let mut t = pty::sh(&d).args(&["-c", script]).start();
    t.expect("name? ");
    t.send(format!("helo{LEFT}l\x01>{}", pty::ctrl('e')));
    t.send("!\r");
    t.expect("[>hello!]\r\n");
    // -i: the line starts with the text, the cursor after it.
    t.expect("abc");
    t.send(format!("d{HOME}_\r"));
    t.expect("[_abcd]\r\n");
    t.expect("3:");
    // Tab completes a file name, quoted; read takes the backslash away unless -r.
    t.send(format!("my{TAB}"));
    t.expect("my\\ file.txt");
    t.send("\r");
    t.expect("[my file.txt]\r\n");
    t.expect("4:");
    t.send(format!("my{TAB}\r"));
    t.expect("[my\\ file.txt]\r\n");
    t.expect("5:");
    t.send("  one   two  three \r");
    t.expect("[one|two  three]\r\n");
    assert_eq!(t.wait(), Some(0));
    // Ctrl-D on an empty line: end of input, status 1.
    let mut t = pty::sh(&d)
        .args(&["-c", "read -e -p '> ' x; echo st=$?"])
        .start();
    t.expect("> ");
    t.send(CTRL_D);
    t.expect("st=1\r\n");
    assert_eq!(t.wait(), Some(0));
    // Ctrl-C: the interrupt a plain read would get (a script ends by it, as in bash).
    let mut t = pty::sh(&d)
        .args(&["-c", "read -e -p '> ' x; echo not reached"])
        .start();
    t.expect("> ");
    t.send(format!("abc{CTRL_C}"));
    assert_eq!(t.wait(), Some(130));
    assert!(!String::from_utf8_lossy(&t.out).contains("not reached"));
}

#[test]
fn read_e_in_the_interactive_shell() {
    let d = Dir::new();
    let mut t = start(&d);
    line(&mut t, "echo earlier line", "earlier line\r\n");
    // Up brings back the shell's history; the line read is not added to it.
    // The prompt written so that its text is not in the echoed command.
    t.send("read -e -p $'R\\x3e ' x; echo \"<$x>\"\r");
    t.expect("R> ");
    t.send(format!("{UP}{UP}"));
    t.expect("earlier line");
    t.send("\r");
    t.expect("<echo earlier line>\r\n$ ");
    line(
        &mut t,
        "history | tail -n 2",
        "   1 read -e -p $'R\\x3e ' x; echo \"<$x>\"\r\n   2 history | tail -n 2\r\n",
    );
    t.send(CTRL_D);
    assert_eq!(t.wait(), Some(0));
}

#[test]
fn read_e_without_a_terminal_reads_plainly() {
    let d = Dir::new();
    d.cmd("sh")
        .args([
            "-c",
            r#"read -e -p 'P ' x y; echo "[$x|$y]"; read -e -r z; echo "$z""#,
        ])
        .stdin("a\\ b c\nd\\e\n")
        .run()
        .ok("[a b|c]\nd\\e\n");
    // TERM=dumb on a terminal: no escape codes, the prompt still shown.
    let mut t = pty::sh(&d)
        .env("TERM", "dumb")
        .args(&["-c", r#"read -e -p 'P> ' x; echo "[$x]""#])
        .start();
    t.expect("P> ");
    t.send("plain\r");
    t.expect("[plain]");
    assert_eq!(t.wait(), Some(0));
    assert!(!t.out.contains(&0x1b), "{}", pty::show(&t.out));
}
