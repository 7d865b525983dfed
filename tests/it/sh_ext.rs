//! sh: `[[ ]]`, `$'...'`, `hash`/`help`/`times`, and `$(...)` run without a fork, compared
//! with BusyBox ash where ash behaves the same, and with bash's rules where the issue asks
//! for them (ash 1.35's `[[` is its `test` builtin: its words split and glob).

use crate::common::*;

#[track_caller]
fn ash(scripts: &[&str]) {
    for s in scripts {
        same("sh", &["-c", s], b"", |d| {
            d.write("f1", "x");
            d.write("f2", "y");
        });
    }
}

#[track_caller]
fn sh_ok(script: &str, out: &str) {
    let d = Dir::new();
    d.write("f1", "x");
    d.write("f2", "y");
    d.cmd("sh").args(["-c", script]).run().ok(out);
}

/// Where `[[ ]]` agrees with ash: patterns, `&&` `||` `!`, the messages and status 2 of a
/// malformed expression, a missing `]]`, redirections after it.
#[test]
fn cond_like_ash() {
    ash(&[
        r#"[[ -z $y ]] && echo z; [[ ab == a* ]] && echo pat; [[ "a*" == "a*" ]]; echo $?"#,
        r#"[[ ab = a? ]]; echo $?; [[ ab != a? ]]; echo $?; [[ ab == [ab]b ]]; echo $?"#,
        r#"[[ a = a && b = b ]] && echo and; [[ a = b || b = b ]] && echo or"#,
        r#"[[ a = b && b = b ]]; echo $?; [[ ! a = b ]]; echo $?; [[ ! ! a ]]; echo $?"#,
        r#"[[ a = a || ! b ]]; echo $?"#,
        r#"[[ -e f1 && -f f2 && ! -d f1 && -s f1 ]]; echo $?; [[ -e nope ]]; echo $?"#,
        r#"[[ x =~ ^x$ ]] && echo re; [[ abc =~ b ]]; echo $?; [[ abc =~ ^b ]]; echo $?"#,
        r#"[[ a = ]]; echo $?"#,
        r#"[[ a b ]]; echo $?"#,
        r#"[[ a = b = c ]]; echo $?"#,
        r#"[[ a = a && ]]; echo $?"#,
        r#"[[ a =~ ]]; echo $?"#,
        r#"[[ ]]; echo $?; [[ -f ]]; echo $?; [[ -n ]]; echo $?; [[ = ]]; echo $?; [[ ! ]]; echo $?"#,
        r#"[[ "" ]]; echo $?; [[ x ]]; echo $?"#,
        r#"[[ a"#,
        r#"[[ a; echo x"#,
        r#"[[ a && echo hi"#,
        r#"[[ a ]]x; echo $?"#,
        r#"[[ a ]] >out; echo $?; cat out; echo [[ a ]]"#,
        r#"[[ 1 -eq 1 && 2 -gt 1 && 1 -lt 2 && 2 -ge 2 && 2 -le 2 && 1 -ne 2 ]]; echo $?"#,
        r#"[[ f1 -ef f1 ]]; echo $?; [[ f1 -nt nope ]]; echo $?"#,
    ]);
}

/// `[[ ]]` as bash has it, where ash's test builtin differs: no field splitting or
/// globbing of its words, `( )` grouping, `<` and `>` compare strings (ash redirects),
/// `-eq` takes arithmetic (ash: "bad number"), `=~` with `( | )` in the expression and
/// quoted parts literal, `set -e` applies.
#[test]
fn cond_bash_rules() {
    sh_ok(
        r#"x="a b"; [[ $x = "a b" ]] && echo yes; [[ $x == a\ * ]] && echo pat"#,
        "yes\npat\n",
    );
    sh_ok(
        r#"[[ * == f1 ]]; echo $?; [[ * == '*' ]]; echo $?; [[ f* == f\* ]]; echo $?"#,
        "1\n0\n0\n",
    );
    sh_ok(
        r#"x=; [[ $x = "" ]]; echo $?; [[ $x ]]; echo $?; [[ -z $x ]]; echo $?"#,
        "0\n1\n0\n",
    );
    sh_ok(
        r#"set -- "a b" c; [[ $@ == "a b c" ]]; echo $?; [[ $* == "a b c" ]]; echo $?"#,
        "0\n0\n",
    );
    sh_ok(
        r#"[[ ( a = a ) && ( b = c || d = d ) ]]; echo $?; [[ ! ( a = a ) ]]; echo $?"#,
        "0\n1\n",
    );
    sh_ok(
        r#"[[ a < b ]]; echo $?; [[ b < a ]]; echo $?; [[ b > a ]]; echo $?; ls"#,
        "0\n1\n0\nf1\nf2\n",
    );
    sh_ok(
        r#"[[ 1 -eq 1+0 ]]; echo $?; x=3; [[ x -eq 3 && x*2 -gt 5 ]]; echo $?"#,
        "0\n0\n",
    );
    sh_ok(
        r#"[[ x =~ ^(x|y)$ ]]; echo $?; [[ "x." =~ ^x"."$ ]]; echo $?; [[ xy =~ ^x"."$ ]]; echo $?"#,
        "0\n0\n1\n",
    );
    sh_ok(
        r#"re='^a.c$'; [[ abc =~ $re ]]; echo $?; [[ abc =~ "$re" ]]; echo $?"#,
        "0\n1\n",
    );
    sh_ok(
        r#"op=-f; [[ $op ]]; echo $?; [[ "-f" ]]; echo $?"#,
        "0\n0\n",
    );
    sh_ok(r#"[[ 1<2 ]]; echo $?; [[ a =~ ( ]]; echo $?"#, "0\n2\n");
    sh_ok(
        r#"[[ -n $y ]] || echo empty; [[ ab == "a*" ]]; echo $?; [[ ab == "a"* ]]; echo $?"#,
        "empty\n1\n0\n",
    );
    sh_ok(
        r#"x='a\b'; [[ $x == 'a\b' ]]; echo $?; [[ a == \a ]]; echo $?; unset x; [[ x -eq 1 ]]; echo $?"#,
        "0\n0\n1\n",
    );
    sh_ok(r#"while [[ $i != xxx ]]; do i=x$i; done; echo $i"#, "xxx\n");
    // A stray operand is named as expanded (ash's test prints it even when empty).
    let o = cmd("sh")
        .args([
            "-c",
            r#"x=b; [[ a $x ]]; echo $?; x=; [[ a "$x" ]]; [[ a = b "c d" ]]"#,
        ])
        .run();
    assert_eq!(o.out(), "2\n");
    assert_eq!(
        o.err(),
        "sh: b: unknown operand\nsh: : unknown operand\nsh: c d: unknown operand\n"
    );
    let o = cmd("sh").args(["-c", r#"[[ 1+ -eq 1 ]]; echo $?"#]).run();
    assert_eq!(o.out(), "2\n");
    assert!(o.err().contains("arithmetic syntax error"), "{}", o.err());
    cmd("sh")
        .args(["-c", "set -e; [[ a = b ]]; echo no"])
        .run()
        .code(1);
    cmd("sh")
        .args(["-c", "set -e; [[ a = b ]] || echo ok"])
        .run()
        .ok("ok\n");
    cmd("sh")
        .args(["-c", "[[ ( a ]]; echo $?"])
        .run()
        .fails_with(0, "sh: closing paren expected");
    // `[[` from an expansion is the test builtin, as in ash.
    sh_ok(r#"t='[['; $t a = a ]]; echo $?"#, "0\n");
    // The parser never hangs or crashes on broken `[[` input.
    for s in [
        "[[",
        "[[ (",
        "[[ ( ( ]]",
        "[[ =~",
        "[[ a =~ ]]",
        "[[ a =~ (((",
        "[[ ! ! ! ]]",
        "[[ ) ]]",
        "[[ && ]]",
        "[[ a =~ b)",
    ] {
        let o = cmd("sh").args(["-c", s]).run();
        assert!(o.code == 0 || o.code == 1 || o.code == 2, "{s}: {}", o.code);
    }
}

/// `$'...'`: the C escapes ash has, octal and hex, unknown escapes kept, NUL dropped (ash),
/// not special inside double quotes.
#[test]
fn dollar_quote_like_ash() {
    ash(&[
        r#"printf '%s' $'\a\b\f\n\r\t\v\\\'\"' | od -An -c"#,
        r#"printf '%s|' $'\101\1011\7\08' $'\x41\x4g\x414' $'\q\z' $'a\0b' $'\x00c' | od -An -c"#,
        r#"echo "$'a\tb'" $'it''s' x$'\n'y"#,
        r#"x=$'a\nb'; echo "$x"; case $'\t' in $'\t') echo tab;; esac"#,
        r#"printf '%s\n' $'\xff\xfe' | od -An -tx1"#,
    ]);
}

/// `\e`, `\E`, `\u`, `\U` (to UTF-8) and `\cX`, which ash 1.35 leaves as written: as bash
/// has them;
/// `\?` is `?` (ash keeps the backslash). Without digits `\x` and `\u` stay as written.
#[test]
fn dollar_quote_unicode_and_control() {
    sh_ok(
        r#"printf '%s|' $'\u00e9' $'\U0001F600' $'\u20ac1' $'\cA\ca\c[\c?' $'\?' $'\x' $'\u' $'\uZ' | od -An -tx1"#,
        " c3 a9 7c f0 9f 98 80 7c e2 82 ac 31 7c 01 01 1b\n 7f 7c 3f 7c 5c 78 7c 5c 75 7c 5c 75 5a 7c\n",
    );
    sh_ok(r#"printf '%s' $'\e\E' | od -An -tx1"#, " 1b 1b\n");
}

/// `hash` as ash prints and checks it. The programs are ones BusyBox has no applet for
/// (ash runs its applets without remembering them; rbox's own in-process applets are not
/// listed either).
#[test]
fn hash_like_ash() {
    if under_runner() {
        eprintln!("skipped under RBOX_TEST_RUNNER: the script runs the binary by its path, which needs binfmt for an aarch64 ELF");
        return;
    }
    ash(&[
        r#"hash; bash -c :; perl -e 1; hash; hash -r; hash; echo $?"#,
        r#"hash bash; hash; hash -r bash; hash; hash bash nosuch perl; echo $?; hash"#,
        r#"hash -v; echo $?; hash -- bash; echo $?; hash"#,
        r#"f() { :; }; hash f echo /bin/nope; echo $?; hash; hash getent apt bash perl; hash"#,
        r#"PATH=/nowhere; hash bash; echo $?"#,
    ]);
    // In-process applets and applets without a link are not remembered programs.
    sh_ok(
        "basename /a/b >/dev/null; PATH=/nowhere; md5sum </dev/null >/dev/null; hash",
        "",
    );
}

/// `times`: two lines of `NmS.FFFs NmS.FFFs` (the shell, then its children), arguments
/// ignored, as ash prints them.
#[test]
fn times_format() {
    let o = run(
        "sh",
        &[
            "-c",
            "i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done; times x; echo $?",
        ],
    );
    let out = o.out();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(lines[2], "0");
    let time = |t: &str| {
        let (m, s) = t.split_once('m').unwrap_or(("", ""));
        let s = s.strip_suffix('s').unwrap_or("");
        let (sec, frac) = s.split_once('.').unwrap_or(("", ""));
        !m.is_empty()
            && m.bytes().all(|c| c.is_ascii_digit())
            && !sec.is_empty()
            && sec.bytes().all(|c| c.is_ascii_digit())
            && sec.parse::<u32>().is_ok_and(|v| v < 60)
            && frac.len() == 3
            && frac.bytes().all(|c| c.is_ascii_digit())
    };
    for l in &lines[..2] {
        let f: Vec<&str> = l.split(' ').collect();
        assert!(f.len() == 2 && time(f[0]) && time(f[1]), "{l:?}");
    }
    // Same shape as ash's.
    if has_busybox() {
        let b = bb("sh").args(["-c", "times"]).run();
        let ok = b.out().lines().count() == 2 && b.out().lines().all(|l| l.split(' ').all(time));
        assert!(ok, "{}", b.out());
    }
}

/// `help`: ash's layout (a header, tab-led lines of names broken after column 60), the
/// builtins first, then every applet, status 0 whatever the arguments.
#[test]
fn help_layout() {
    let o = run("sh", &["-c", "help x y"]);
    o.code(0);
    let out = o.out();
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("Built-in commands:"));
    assert_eq!(lines.next(), Some("------------------"));
    let body: Vec<&str> = lines.collect();
    assert!(
        body.iter().all(|l| l.starts_with('\t') || l.is_empty()),
        "{out}"
    );
    for l in &body {
        // A line breaks as soon as it passes 60 columns (the tab counted as one).
        let init = l.rsplit_once(' ').map_or("", |x| x.0);
        assert!(init.len() <= 60, "{l:?}");
    }
    let names: Vec<&str> = body.iter().flat_map(|l| l.split_whitespace()).collect();
    for n in [
        ".", ":", "[[", "cd", "trap", "wait", "basename", "sh", "test",
    ] {
        assert!(names.contains(&n), "{n} missing from {out}");
    }
    let first_applet = names.iter().position(|&n| n == "basename").unwrap_or(0);
    let wait = names
        .iter()
        .position(|&n| n == "wait")
        .unwrap_or(usize::MAX);
    assert!(wait < first_applet, "builtins come first: {out}");
}

/// `$(...)` whose command is a side-effect-free builtin or an in-process applet runs
/// without a fork, also with redirections, here-documents and `NAME=value` prefixes: the
/// output, status and messages are ash's (which forks for each).
#[test]
fn subst_in_process_like_ash() {
    ash(&[
        r#"set -e; echo "[$(false)]"; echo survived"#,
        r#"x=$(echo a >&2); echo "[$x]"; x=$(echo b 2>&1 >/dev/null); echo "[$x]""#,
        r#"x=$(y=1 echo a); echo $x ${y-unset}; x=$(IFS=: printf '%s\n' a b); echo "$x" $IFS"#,
        r#"x=$(echo hi >out); echo "[$x]"; cat out; x=`echo ho >>out`; cat out"#,
        r#"x=$(echo a >/nonexist/x); echo "[$x] $?"; x=$(: >/nonexist/y); echo "[$x] $?"; echo ok"#,
        "x=$(cat <<E\nhere $((1+2))\nE\n); echo \"$x\"; x=$(printf '%s-' <<E\nignored\nE\n); echo $x",
        r#"readonly r=1; x=$(r=2 echo a); echo $x $?"#,
        r#"x=$(command -v echo); echo $x; x=$(type echo); echo $x; x=$(umask); echo $x; x=$(true); echo $?; x=$(false); echo $?"#,
        r#"x=$(test 1 -eq x 2>&1); echo "$x $?"; x=$([ a = a ]); echo $?"#,
        r#"x=$(echo a; echo b); echo $x; x=$(echo a | tr a b); echo $x"#,
        r#"x=$(printf '%s\n\n\n' a); echo "[$x]"; x=$(printf 'a\0b'); echo "$x" | od -An -c"#,
        r#"f() { echo fn; }; x=$(f); echo $x; x=$(pwd); [ "$x" = "$PWD" ] && echo pwd"#,
    ]);
    // In-process applets (PATH reaching no other program of that name).
    ash(&[
        r#"PATH=/nowhere; x=$(basename /a/b.c .c 2>/dev/null); y=`dirname /a/b </dev/null`; echo $x $y"#,
        r#"PATH=/nowhere; x=$(basename 2>/dev/null); echo "[$x] $?""#,
    ]);
}

/// Counts the processes a script starts: it runs in a new pid namespace, where pids are
/// handed out one after the other to its own processes only; `: &` before and after
/// marks them. None where pid namespaces are not available.
fn forks(script: &str) -> Option<i64> {
    if under_runner() {
        return None;
    }
    let full = format!("PATH=/nowhere; : & a=$!; {script}; : & b=$!; wait; echo $((b-a-1))");
    let o = std::process::Command::new("unshare")
        .args(["-pf"])
        .arg(applet_path("sh"))
        .args(["-c", &full])
        .output()
        .ok()?;
    if !o.status.success() {
        eprintln!(
            "unshare -pf not available: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        return None;
    }
    String::from_utf8_lossy(&o.stdout).trim().parse().ok()
}

/// No fork for `$(builtin)` or `$(applet)`, with redirections and prefixes; a fork for
/// anything that could change the shell, and the subshell's isolation kept either way.
#[test]
fn subst_without_fork() {
    let none = [
        "x=$(echo a 2>/dev/null)",
        "x=$(basename /a/b 2>/dev/null)",
        "x=`dirname /x/y </dev/null`",
        "x=$(LC_ALL=C printf %s x)",
        "x=$(command -v ls)",
        "x=$(true)",
        "x=$([ -n a ])",
        "x=$(echo $HOME ${x:-d} \"$#\")",
        "x=$(echo a <<E\nbody\nE\n)",
    ];
    for s in none {
        let Some(n) = forks(&format!("{s}; {s}")) else {
            return;
        };
        assert_eq!(n, 0, "{s}");
    }
    let some = [
        "x=$(echo a; echo b)",
        "x=$(echo $((y=1)))",
        "x=$(cd /)",
        "x=$(f)",
        "x=$(echo a | cat)",
        "x=$(: >/dev/null)",
        "x=$(exit 3)",
        "x=$(echo $(echo nested))",
        "x=$(cat </dev/null)",
    ];
    for s in some {
        let Some(n) = forks(&format!("f() {{ :; }}; {s}")) else {
            return;
        };
        assert!(n >= 1, "{s}: {n}");
    }
    // What ran inside the shell left it as a subshell would have.
    let o = cmd("sh")
        .args(["-c", "x=$(y=1 echo a 2>/dev/null >&2); echo \"[$x]\" ${y-unset}; x=$(echo $((z=2))); echo ${z-unset}; x=$(cd /); pwd >/dev/null; echo ok"])
        .run();
    o.ok("[] unset\nunset\nok\n");
}

/// The outputs rewritten without `format!` (and `read -t` without float parsing) are
/// still ash's.
#[test]
fn outputs_without_format() {
    ash(&[
        "read -t abc x; echo $?; read -t -1 x; echo $?; read -t 1e3 x; echo $?; read -t .5 y <<E\nyo\nE\necho $y",
        "read -t 2.5 x <<E\nhi\nE\necho $? $x; read -t 5. z <<E\nzz\nE\necho $z; read -t 0 q </dev/null; echo $?",
        "read -n abc x; echo $?; read -u abc x; echo $?; read -n -1 x </dev/null; echo $?",
        "set -o; set +o; set -o | wc -l",
        "umask 027; umask; umask -S; umask 0; umask; umask -S",
        "ulimit -n; ulimit -a | head -5; ulimit -H -n",
        "alias b=2 a='x y' c=\"it's\"; alias; alias a",
        "x=5; echo ${#x} $# $? $LINENO; false; echo $?; set -- a b c; echo $#",
    ]);
}

/// Pathname expansion with quoted and unquoted parts mixed in one word (the pattern form
/// is now built only once an unquoted glob character shows up), IFS changes seen at once.
#[test]
fn glob_and_ifs_after_speedups() {
    same(
        "sh",
        &[
            "-c",
            r#"v='a*'; echo "a*"*; echo a"*"x; echo "$v"*; echo $v; echo a\*?; echo 'a'*y; echo "a"'*'; echo *"x"; echo "["*; echo [ab]*x"#,
        ],
        b"",
        |d| {
            for f in ["a*x", "a*y", "abx", "aby", "[q", "b"] {
                d.write(f, "");
            }
        },
    );
    ash(&[
        r#"x="a:b c"; set -- $x; echo $#; IFS=:; set -- $x; echo $#; unset IFS; set -- $x; echo $#; IFS=; set -- $x; echo $#"#,
        r#"f() { local IFS=:; x="1:2"; set -- $x; echo $#; }; x="1:2 3"; f; set -- $x; echo $#"#,
        r#"x=/a/b/c.d; echo ${#x} ${x##*/} ${x%/*} ${x#*/} ${x%%/*}x ${x##*.} ${x%.*}"#,
        r#"echo $((1+2*3)) $((x=4, x+=2, x*=3, x<<=1, x)) $((7 & 3 == 3)) $((1 ? 2 : 3)) $((-3 % 2)) $((2**10))"#,
        r#"i=5; echo $((i++ + ++i)) $i $((i-- - --i)) $i $((!i)) $((~i)) $((i<=7)) $((i>=7)) $((i!=1))"#,
    ]);
}

/// Assigning PATH its own value keeps the remembered commands; a changed PATH forgets them.
/// (BusyBox ash, dash and bash forget them on any PATH assignment: rbox keeps the lookups
/// a script's `PATH=$PATH` or `export PATH` of the same value would repeat.)
#[test]
fn path_unchanged_keeps_hash() {
    let d = Dir::new();
    let f = d.write("bin/mycmd", "#!/bin/sh\necho hi\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o755)).unwrap();
    let o = d
        .cmd("sh")
        .args([
            "-c",
            "PATH=$PWD/bin:$PATH; mycmd; hash; echo 1; PATH=$PATH; hash; echo 2; \
             export PATH=$PATH; hash; echo 3; PATH=$PATH true; hash; echo 4; \
             PATH=$PATH command -v mycmd >/dev/null; hash; echo 5; \
             PATH=/nowhere:$PATH; hash; echo 6; mycmd; PATH=/x true; hash; echo 7; \
             mycmd; export PATH=/y:$PATH; hash; echo 8; mycmd; unset PATH; hash; echo 9",
        ])
        .run();
    let p = format!("{}/bin/mycmd\n", d.path.display());
    assert_eq!(
        o.out(),
        format!("hi\n{p}1\n{p}2\n{p}3\n{p}4\n{p}5\n6\nhi\n7\nhi\n8\nhi\n9\n")
    );
}

/// `[[ ]]` over several lines: breaks after `[[`, around `&&` / `||`, and before `]]` (as
/// bash); a break between an operator and its operand leaves the expression unfinished.
#[test]
fn cond_newlines() {
    sh_ok("[[\n-n a\n&&\n-n b\n]] && echo yes", "yes\n");
    sh_ok("[[ a = b ||\n  ( c = c &&\n    d = d ) ]]; echo $?", "0\n");
    sh_ok(
        "if [[ -f f1 &&\n      ! -d f1 ]]\nthen echo file; fi",
        "file\n",
    );
    sh_ok("[[ ! \n a ]]; echo $?", "1\n");
    // In a loop body and a function, read line by line from stdin too.
    let d = Dir::new();
    d.cmd("sh")
        .stdin("f() {\n  [[ $1 == a* ||\n     $1 == b* ]]\n}\nf abc && echo A; f xyz || echo X\n")
        .run()
        .ok("A\nX\n");
    let o = cmd("sh").args(["-c", "[[ a ==\nb ]]; echo $?"]).run();
    assert!(o.err().contains("missing ]]"), "{}", o.err());
    let o = cmd("sh").args(["-c", "[[ -n\na ]]"]).run();
    assert!(o.err().contains("missing ]]"), "{}", o.err());
    cmd("sh")
        .args(["-c", "[[ a\n"])
        .run()
        .fails(2, "sh: missing ]]\n");
}

/// `set -x` traces each test of `[[ ]]` as it runs, as bash does: `+ [[ -n word ]]`, the
/// operands expanded (quoted as the shell's trace quotes words, a pattern shown as the
/// pattern), `!` when the test is negated; tests skipped by `&&` / `||` are not shown.
#[test]
fn cond_xtrace() {
    let o = cmd("sh")
        .args([
            "-c",
            r#"x="a b"; set -x; [[ $x ]]; [[ -n $x && a == b* || $y =~ ^a ]]; [[ a < b ]]
               [[ ! -f /nonexistent ]]; [[ ! ( a && "" ) ]]; [[ ! ! a ]]; [[ $x == "a "* ]]
               [[ 1 -eq 1 ]]; [[ a = a || b = b ]]"#,
        ])
        .run();
    assert_eq!(o.code, 0);
    assert_eq!(
        o.err(),
        "+ [[ -n 'a b' ]]\n+ [[ -n 'a b' ]]\n+ [[ a == b* ]]\n+ [[ '' =~ ^a ]]\n+ [[ a < b ]]\n\
         + [[ ! -f /nonexistent ]]\n+ [[ -n a ]]\n+ [[ -n '' ]]\n+ [[ -n a ]]\n\
         + [[ 'a b' == a\\ * ]]\n+ [[ 1 -eq 1 ]]\n+ [[ a = a ]]\n"
    );
    // PS4 is expanded as for other commands.
    let o = cmd("sh")
        .args(["-c", r#"PS4='>$x '; x=1; set -x; [[ a ]]"#])
        .run();
    assert_eq!(o.err(), ">1 [[ -n a ]]\n");
}
