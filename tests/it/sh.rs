//! sh: scripts run by rbox and by BusyBox ash side by side (same status, stdout, stderr),
//! plus the cases where rbox's shell deliberately goes its own way.

use crate::common::*;

/// Each script through `sh -c`, compared with BusyBox ash in a fresh directory.
#[track_caller]
fn ash(scripts: &[&str]) {
    for s in scripts {
        same("sh", &["-c", s], b"", |_| {});
    }
}

#[test]
fn arith() {
    ash(&[
        r#"echo $((1+2)) $((16#ff)) $((0x10)) $((010)) $((2**10)) $((9223372036854775807+1)) $((-9223372036854775808/-1))"#,
        r#"echo $((1?2:3)) $((0||0)) $((a=5,a*2)) $a $((a++)) $a $((--a)) $(( 1 << 65 ))"#,
        r#"echo $((08))"#,
        r#"echo $((1/0))"#,
        r#"x=1+2; echo $((x)); x=abc; abc=5; echo $((x+1)); echo $((z)) $((y=y+1)) $((y+=5)) $((y<<=1)) $y"#,
        r#"echo $((1 > 2 || 3 == 3)) $((~5)) $((!0)) $((7 & 3 | 8 ^ 1)) $((-2**2)) $((2**3**2))"#,
        r#"x=" 12 "; echo $((x*2)); echo $(("1"+2))"#,
        r#"cat <<'E'
$HOME `x` \$
E
cat <<E
$((1+1)) \$ \\ \x
E"#,
        r#"i=0; while :; do i=$((i+1)); if [ $i -gt 5 ]; then break; fi; [ $i = 3 ] && continue; echo $i; done"#,
        r#"echo $(( 5 % 3 )) $(( -5 / 2 )) $(( -5 % 2 ))"#,
        r#"let a=1+2 "b=a*2"; echo $a $b $?; let 0; echo $?"#,
        r#"echo $(( (1+2) * 3 )); x=$((1
+2)); echo $x"#,
        r#"echo $((i++)) $((i++)) $i; echo $((++i))"#,
        r#"a=5; echo $((a > 3 ? a * 2 : 0)) $((a -= 2)) $a"#,
        r#"echo $((1 +)) "#,
        r#"echo $(( 2 147483648 ))"#,
        r#"echo $((0x7fffffffffffffff * 2)) $((1 << 63)) $(( -1 >> 1 ))"#,
        r#"x=010; echo $((x)) $((x + 0))"#,
        r#"echo $(( $(echo 2) * 3 ))"#,
        r#"let "x = 3 + 4"; echo $x; let x++; echo $x"#,
        r#"echo $((1 = 2))"#,
    ]);
}

#[test]
fn params() {
    ash(&[
        r#"x=hello; echo ${#x} ${x%l*} ${x%%l*} ${x#*l} ${x##*l} ${x:1:3} ${x: -2} ${x/l/L} ${x//l/L} ${x/#h/H} ${x/%o/O} ${x:-d} ${y:-d} ${y-d} ${y:=e} $y ${x:+alt} ${z:+alt}"#,
        r#"echo ${zz?}"#,
        r#"echo ${zz:?oops}"#,
        r#"set -- a "b c" d; for i in "$@"; do echo "[$i]"; done; for i in $*; do echo "<$i>"; done; echo "$*"; IFS=:; echo "$*""#,
        r#"set --; for i in "$@"; do echo x; done; echo "${#}" "$#"; set -- "" ""; for i in "$@"; do echo "[$i]"; done"#,
        r#"IFS=: ; x="a::b:"; set -- $x; echo $#; for i; do echo "[$i]"; done"#,
        r#"x="  a  b  "; set -- $x; echo $#; IFS=" :"; y=" a : b :c"; set -- $y; echo $# "$@""#,
        r#"echo ${x-$(echo "a b")}; echo "${x-"q r"}""#,
        r#"echo $# $0; set -- 1 2 3; shift; echo $@; shift 2; echo $#; shift"#,
        r#"echo ${x!}"#,
        r#"echo ${#x:-a}"#,
        r#"echo "${x:-a b}" ${x:-a b}"#,
        r#"v=abcabc; echo ${v/b*/X} ${v//[ab]/_} ${v#"a"} ${v%"c"}"#,
        r#"a=1 b=2; echo $a $b; c=3 echo x; echo ${c-unset}"#,
        r#"while getopts "ab:" o -a -b x -c -b; do echo "$o ${OPTARG-unset} $OPTIND"; done; echo end $OPTIND"#,
        r#"echo ${x:1:z}"#,
        r#"x=abc; echo ${x:1} ${x:0:1} ${x:5} ${x: -1:1}"#,
        r#"f() { echo $#; }; f "$@"; set -- a; f "$@" "$@""#,
        r#"echo "$@x" "x$@"; set -- 1 2; echo "a$@b""#,
        r#"echo ${#}; set -- a b c d e f g h i j k; echo ${10} $10 ${11}"#,
        r#"echo "${x:-$(echo sub)}" ${x:=assigned}; echo $x"#,
        r#"echo ${x:?}"#,
        r#"echo ${1:-one}; set -- ""; echo ${1:-empty} ${1-unset}"#,
        r#"v=/a/b/c.tar.gz; echo ${v##*/} ${v%/*} ${v%%.*} ${v#*.}"#,
        r#"unset x; echo ${x+set}; x=; echo ${x+set} ${x:+nonempty}"#,
        r#"IFS=, read a b c <<E
1,2,3,4
E
echo "$a|$b|$c""#,
        r#"set -- a b; echo $#; set -e -u; echo $-; set +eu; echo $-"#,
        r#"export A=1; sh -c 'echo $A'; B=2 sh -c 'echo $B'; echo ${B-unset}"#,
        r#"echo ${x-a}${y-b}; echo "${x-a}""${y-b}""#,
        r#"echo ${x:-"a b"} "${x:-'a b'}""#,
        r#"x='a b'; y=$x; echo "$y"; set -- $x; echo $#"#,
        r#"x=abc; echo ${x/}; echo ${x/b}; echo ${x//}"#,
        r#"echo ${x:}"#,
    ]);
}

#[test]
fn quoting() {
    ash(&[
        r#"echo 'single $x' "double $HOME_NO" \$escaped \\ "a\"b" "a\$b" 'it'\''s' $'tab\there\n' "#,
        r#"echo `echo \`echo hi\``; echo $(echo $(echo nested)); echo "$(echo "in quotes")""#,
        r#"x="a b'c"; export x; export y; readonly z=1; export -p | grep -v PWD | grep -v SHLVL | grep -v PATH; readonly -p"#,
        r#"f() { echo "$1"; }; f "a  b"; g() { return 7; }; g; echo $?"#,
        r#"eval 'echo a; echo b'; eval "x=5"; echo $x"#,
        r#"x=$(false); echo $?; x=$(exit 3); echo $?"#,
        r#"printf "a b\\\\ c  d  \n" | { read x y; echo "[$x][$y]"; }; printf " a  b \n" | { read; echo "[$REPLY]"; }; printf "a\\\\\nb" | { read x; echo "$x $?"; }; printf "abc" | { read x; echo "$x $?"; }"#,
        r#"set -x; echo a "b c"; x=1; y=$x echo z"#,
        r#"PS4='[$x] '; x=7; set -x; echo hi"#,
        r#"touch b a c .h; echo *; echo .*; echo [ab]; echo "*"; echo '*'; echo \*; echo nomatch*; x='*'; echo $x "$x""#,
        r#"sh -c 'kill -TERM $$'; echo $?"#,
        r#"echo $(echo a; echo b) "$(echo a; echo b)""#,
        r#"x="a
b"; echo $x; echo "$x""#,
        r#"echo "$(echo "$(echo deep)")" `echo "\`echo x\`"`"#,
        r#"echo "a\\b" 'a\\b' a\\b "\a" "\$""#,
        r#"echo $'\x41\101\n\t|' $'a\'b'"#,
        r#"set -o | grep -E 'errexit|pipefail'; set -o errexit; set -o | grep errexit; set +o | grep errexit"#,
        r#"echo `echo a  b`"#,
        r#"a=x; b=$a$a; c="$b"y; echo $b $c"#,
        r#"echo "$(printf 'a\n\n\n')" end"#,
        r#"echo -n abc; echo; echo -e 'a\tb'; echo -E 'a\tb'; echo -- -n"#,
        r#"test -z "" && echo z; [ -n x ] && echo n; [ ! -e /nonexist ] && echo ne; [ a = a -a b = b ] && echo and"#,
        r#"alias ll='echo aliased'; ll"#,
    ]);
}

#[test]
fn control() {
    ash(&[
        r#"for i in 1 2; do for j in a b; do [ $j = b ] && continue 2; echo $i$j; done; done"#,
        r#"for i in 1 2; do for j in a b; do break 2; done; echo no; done; echo end"#,
        r#"case "a*" in 'a*') echo lit;; *) echo glob;; esac; p='a*'; case abc in $p) echo pat;; esac; case abc in "$p") echo q;; *) echo nq;; esac"#,
        r#"set -e; false || true; echo ok; if false; then :; fi; echo ok2; false; echo no"#,
        r#"set -e; f() { false; echo in; }; f; echo no"#,
        r#"trap 'echo exit trap' EXIT; echo body"#,
        r#"trap 'echo exit $?' EXIT; exit 5"#,
        r#"(trap 'echo sub' EXIT; exit 2); echo $?"#,
        r#"trap "echo t" INT EXIT; trap"#,
        r#"for x do echo $x; done; set -- p q; for x do echo $x; done"#,
        r#"if false; then echo a; elif true; then echo b; else echo c; fi"#,
        r#"until false; do echo once; break; done"#,
        r#"trap 'echo got USR1' USR1; kill -USR1 $$; echo after"#,
        r#"trap 'echo got' TERM; kill $$; echo after; trap - TERM; trap"#,
        r#"for i in 1 2 3; do echo $i; done | while read x; do echo got $x; done"#,
        r#"while false; do :; done; echo $?; for x in; do :; done; echo $?"#,
        r#"if (exit 3); then :; else echo $?; fi"#,
        r#"case a in
  a)
    echo matched
    ;;
esac"#,
        r#"case $x in
esac; echo $?"#,
        r#"for i in a b
do
  echo $i
done"#,
    ]);
}

#[test]
fn redir() {
    ash(&[
        r#"a=$(cat <<E
hi
E
); echo $a"#,
        r#"cat <<A; cat <<-B
a
A
		b
	B"#,
        r#"cat < /nonexist; echo $?"#,
        r#": > /nonexist/x; echo $?"#,
        r#"echo > /nonexist/x; echo $?"#,
        r#"exec 3>&9; echo $?"#,
        r#"echo a >&9; echo $?"#,
        r#"echo a; echo b >&2; echo c 2>&1 >/dev/null"#,
        r#"{ echo out; echo err >&2; } 2>&1 | cat"#,
        r#"echo a > f; echo b >> f; cat f; cat < f; cat 0<f; exec 3<f; read l <&3; echo $l; exec 3<&-; cat <&3"#,
        r#"echo x >f; set -C; echo y > f; echo $?; echo z >| f; cat f; echo w > /dev/null; echo $?"#,
        r#"echo a 1>&2 2>/dev/null; echo b 2>/dev/null 1>&2"#,
        r#"{ echo a; echo b; } > f; cat f; while read l; do echo "[$l]"; done < f"#,
        r#"echo rw <> f; cat f"#,
        r#"read -r x <<'E'
a\b
E
echo $x"#,
        r#"read -n 3 x <<E
abcdef
E
echo $x"#,
        r#"read -d : x <<E
ab:cd
E
echo $x"#,
        r#"times >/dev/null; echo $?"#,
        r#"x=$(cat <<'A'
one
A
); echo "$x""#,
        r#"cat <<E1; cat <<E2
first
E1
second
E2"#,
        r#"export -n PATH 2>&1; echo $?"#,
    ]);
}

#[test]
fn builtins() {
    ash(&[
        r#"set -u; echo $zz; echo no"#,
        r#"echo a | { read x; echo got $x; }; echo $x"#,
        r#"false | true; echo $?; true | false; echo $?; set -o pipefail; false | true; echo $?"#,
        r#"set -f; echo /e*; set +f; echo /et*"#,
        r#"getopts ab: o -a -b x -c; echo $o $OPTIND"#,
        r#"umask 0222; umask; umask u+w,g=rx; umask; umask -S"#,
        r#"kill -l 9 TERM; kill -s nosuch 1; kill -9; echo $?"#,
        r#"[ 1 -eq a ]; echo $?; test a b; echo $?; [ a"#,
        r#"cd /; pwd; cd /tmp; pwd; cd -; cd /nonexist; echo $?"#,
        r#"cd /usr/../etc; pwd; echo $PWD; cd -P /usr/../etc; pwd"#,
        r#"mkdir -p a/b; ln -s a/b l; cd l; pwd; pwd -P; cd ..; pwd"#,
        r#"sleep 0.01 & wait $!; echo $?; (exit 3) & wait $!; echo $?"#,
        r#"command echo hi; command -v cd; command -V cd; command nosuch; echo $?"#,
        r#"type nosuch; echo $?"#,
        r#"f() { echo func; }; command f; echo $?"#,
        r#"echo a | (read x; echo $x)"#,
        r#"x=1 export x; env | grep ^x="#,
        r#"hash; hash -r; echo ok"#,
        r#"wait; echo $?"#,
        r#"ulimit -n; ulimit -S -n"#,
        r#"umask 077; umask; umask -S; umask a=rwx; umask"#,
    ]);
}

#[test]
fn errors() {
    ash(&[
        r#"nosuch"#,
        r#"/etc/passwd; echo $?"#,
        r#"readonly a=1; a=2; echo no"#,
        r#"unset 1a; echo $?"#,
        r#"unset -f f; f() { echo f; }; unset -f f; f"#,
        r#"readonly r=1; unset r; echo $?"#,
        r#"eval 'if'"#,
        r#". /nonexist; echo no"#,
        r#"echo 'unterminated"#,
    ]);
}

#[test]
fn misc() {
    ash(&[
        r#"f() { local x=1; echo in $x; }; x=0; f; echo out $x"#,
        r#"! true; echo $?; ! false; echo $?; true && echo a || echo b; false && echo a || echo b"#,
        r#"(exit 3); echo $?; (echo sub; exit 4); echo $?; { echo grp; }; echo $?"#,
        r#"x=1; (x=2); echo $x; { x=3; }; echo $x"#,
        r#"echo ~ ~/x; HOME=/h; echo ~ ~/a; x=~:~/b; echo $x"#,
        r#"mkdir -p d/e; touch d/e/f d/g; echo */*; echo d/*/f; echo */; echo d/e/*"#,
        r#"exec echo replaced; echo no"#,
        r#"f() { return; }; false; f; echo $?"#,
        r#"x=1; f() { x=2; }; f; echo $x"#,
        r#"f() { local x; x=in; g; }; g() { echo $x; }; x=out; f; echo $x"#,
        r#"f() { echo $0 $1; }; f x"#,
        r#"echo 1 \
2"#,
        r#"echo a;;"#,
        r#"echo a # comment; echo b"#,
        r#"echo a#b #c"#,
        r#"f()
{
  echo body
}
f"#,
        r#"{ echo a
echo b; }"#,
        r#"exit 300"#,
        r#"exit -1"#,
        r#"false; exit"#,
        r#"f() { local r; }; readonly r=1; f; echo $?"#,
    ]);
}

/// A script file with arguments, and errors that name its lines.
#[test]
fn script_files() {
    let script =
        "echo \"$0 $# $1 $2\"\nshift\necho \"$@\"\nnosuch\necho ${x?unset here}\necho never\n";
    same("sh", &["t.sh", "a", "b c"], b"", |d| {
        d.write("t.sh", script);
    });
    same("sh", &["t.sh"], b"", |d| {
        d.write("t.sh", "echo a\n\nif true; then\n  fi\n");
    });
    same("sh", &["missing.sh"], b"", |_| {});
    // stdin as the script, and -s with arguments.
    same("sh", &[], b"echo from stdin; echo $#\n", |_| {});
    same("sh", &["-s", "x", "y"], b"echo \"$@\" $#\n", |_| {});
    // `sh -c CMD NAME ARGS`: NAME is $0 and prefixes the messages.
    same(
        "sh",
        &["-c", "echo $0 $1 $2; nosuch", "myname", "p1", "p2"],
        b"",
        |_| {},
    );
    same("sh", &["-c", "echo $- ; set -e; echo $-"], b"", |_| {});
}

/// `sh -n` parses without running: syntax errors still show.
#[test]
fn noexec() {
    same("sh", &["-n", "-c", "echo no; nosuch"], b"", |_| {});
    same("sh", &["-n", "-c", "echo no; fi"], b"", |_| {});
    same("sh", &["-n", "t.sh"], b"", |d| {
        d.write("t.sh", "echo a\nwhile :; do\n");
    });
    same("sh", &["-v", "-c", "echo a\necho b"], b"", |_| {});
}

/// ash 1.35 has no `;&`; the issue asks for it (bash and mksh have it): the next arm's
/// body runs too.
#[test]
fn case_fallthrough() {
    run(
        "sh",
        &[
            "-c",
            "case ab in a) echo 1;; ab) echo 2;& c) echo 3;; d) echo 4;; esac",
        ],
    )
    .ok("2\n3\n");
}

/// Runaway recursion ends with an error instead of a stack overflow (ash segfaults).
#[test]
fn deep_recursion() {
    let o = run("sh", &["-c", "f() { f; }; f; echo not reached"]);
    o.fails(2, "sh: f: function nesting too deep\n");
    run("sh", &["-c", "f() { g; }; g() { f; }; f"]).code(2);
    run("sh", &["-c", "f() { eval f; }; f"]).code(2);
    // Deep but finite recursion works.
    run(
        "sh",
        &[
            "-c",
            "f() { [ $1 -gt 0 ] && f $(($1-1)); echo $1; }; f 200 | wc -l",
        ],
    )
    .ok("201\n");
    // Deeply nested input is a syntax error, not a crash.
    let deep = format!("{}echo hi{}", "(".repeat(20000), ")".repeat(20000));
    let o = run("sh", &["-c", &deep]);
    assert_eq!(o.code, 2, "{}", o.err());
    let deep = format!("echo {}hi{}", "$(echo ".repeat(5000), ")".repeat(5000));
    run("sh", &["-c", &deep]).code(2);
    let deep = format!("echo ${{x:-{}hi{}", "${x:-".repeat(5000), "}".repeat(5001));
    run("sh", &["-c", &deep]).code(2);
    let deep = format!("echo $(({}1{}))", "(".repeat(5000), ")".repeat(5000));
    run("sh", &["-c", &deep]).code(2);
}

/// rbox's applets run in-process where PATH reaches nothing or rbox itself; a program of
/// the same name earlier in PATH wins (BusyBox runs its own applet there).
#[test]
fn applets_in_process_and_path() {
    let d = Dir::new();
    d.cmd("sh")
        .args(["-c", "PATH=/nonexistent; basename /a/b.c .c; dirname /a/b; [ -d / ] && echo dir; true; echo $?"])
        .run()
        .ok("b\n/a\ndir\n0\n");
    d.write("bin/basename", "#!/bin/sh\necho mine\n");
    std::fs::set_permissions(
        d.join("bin/basename"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let p = format!(
        "PATH={}:/nonexistent; basename /a/b",
        d.join("bin").display()
    );
    d.cmd("sh").args(["-c", &p]).run().ok("mine\n");
    // Redirections and $? as if exec'd.
    d.cmd("sh")
        .args(["-c", "PATH=; dirname /x/y >out; cat <out 2>/dev/null || read l <out; echo ${l:-$(cat out 2>/dev/null)}; basename; echo $?"])
        .run()
        .code(0);
    // A missing applet is still "not found".
    d.cmd("sh")
        .args(["-c", "PATH=/nonexistent; nosuchapplet"])
        .run()
        .fails(127, "sh: nosuchapplet: not found\n");
}

/// A binary whose ELF interpreter is missing: the message says so.
#[test]
fn missing_elf_interpreter() {
    let Ok(mut data) = std::fs::read("/bin/true") else {
        eprintln!("no /bin/true: skipped");
        return;
    };
    // Point PT_INTERP at a name that does not exist: change the last character of the
    // loader's path (the same length keeps the file valid).
    let Some(i) = data
        .windows(8)
        .position(|w| w == b"/lib64/l" || w == b"/lib/ld-")
    else {
        eprintln!("/bin/true has no interpreter: skipped");
        return;
    };
    let end = i + data[i..].iter().position(|&c| c == 0).unwrap();
    data[end - 1] = b'Q';
    let interp = String::from_utf8_lossy(&data[i..end]).into_owned();
    let d = Dir::new();
    d.write("a.out", &data);
    std::fs::set_permissions(
        d.join("a.out"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    d.cmd("sh").args(["-c", "./a.out"]).run().fails(
        127,
        &format!("sh: ./a.out: cannot execute: ELF interpreter {interp} not found\n"),
    );
}

/// Exit statuses: 126 for a file that cannot run, 127 for none, 128+N for signals.
#[test]
fn statuses() {
    ash(&[
        "/etc/passwd; echo $?",
        "/nonexist; echo $?",
        "./nonexist; echo $?",
        "/; echo $?",
        "sh -c 'kill -USR1 $$'; echo $?",
        "sh -c 'kill -PIPE $$'; echo $?",
        "sh -c 'exit 300'; echo $?",
        "(exit 255); echo $?",
    ]);
}

/// Traps on signals, EXIT, in subshells, and `exit` inside traps.
#[test]
fn traps() {
    ash(&[
        "trap 'echo usr1' USR1; kill -USR1 $$; echo after",
        "trap 'echo term; exit 7' TERM; kill $$; echo not here",
        "trap 'echo exit; exit 4' EXIT; exit 1",
        "trap '' INT; trap; trap - INT; trap",
        "trap 'echo in sub' EXIT; (echo sub); echo main",
        "(trap 'echo sub exit' EXIT; exit 3); echo $?",
        "trap 'echo a' 1 2 15; trap",
        "trap 'echo x' NOSUCH; echo $?",
    ]);
    // trap -p (bash's; ash 1.35 lacks it) lists the traps as trap does.
    run("sh", &["-c", "trap 'echo t' INT; trap -p INT"]).ok("trap -- 'echo t' INT\n");
}

/// Here-documents: several on a line, quoted delimiters, tabs stripped, inside $( ).
#[test]
fn heredocs() {
    ash(&[
        "cat <<A <<B\na\nA\nb\nB",
        "cat <<\"E\"; echo after\n$x `y`\nE",
        "x=1; cat <<E | tr a-z A-Z\nval $x $(echo sub)\nE",
        "f() { cat <<E\nin func $1\nE\n}; f arg",
        "cat <<E\nno end",
        "cat <<-E\n\t\tindented\n\tE\necho done",
        "echo $(cat <<E\ninside\nE\n) out",
        "cat << 'E O'\nx\nE O",
    ]);
}

#[test]
fn builtins_more() {
    ash(&[
        r#"exec 3>f; echo hi >&3; echo there >&3; exec 3>&-; cat f"#,
        r#"cd /tmp; mkdir -p cdp/sub; CDPATH=/tmp/cdp; cd sub; pwd; cd -; echo $OLDPWD"#,
        r#"cd; echo $?; pwd | grep -c /"#,
        r#"set -a; x=1; env | grep '^x='; set +a"#,
        r#"set -f; echo *; set +f"#,
        r#"set -x; f() { echo in; }; f a; x=$(echo sub); echo "$x" >/dev/null"#,
        r#"set -x; for i in 1; do :; done; case a in a) :;; esac; [ 1 = 1 ]; x=1 y=2"#,
        r#"echo $LINENO; echo $LINENO"#,
        r#"f() { echo $#; }; f; f a b"#,
        r#"x=5; readonly x; readonly -p | grep x; export x; export -p | grep ' x='"#,
        r#"export -p | grep -c export >/dev/null; echo $?"#,
        r#"command -p echo hi; command -v -p echo"#,
        r#"type type; type true; type local; type export"#,
        r#"read -t 0 x < /dev/null; echo $?"#,
        r#"echo abc | { read -n 1 a; read b; echo "$a|$b"; }"#,
        r#"echo "a b c" | { read -r; echo "$REPLY"; }"#,
        r#"printf 'x\ny\n' | { read a; read b; echo "$b$a"; }"#,
        r#"echo 'a:b' | { IFS=: read x y; echo "$y $x"; }"#,
        r#"echo 1 > f; read x < f; echo $x; read -u 0 y < f; echo $y"#,
        r#"wait 1; echo $?"#,
        r#"sleep 0.01 & p=$!; wait $p; echo $?; kill -0 $$; echo $?"#,
        r#"kill -l 137; kill -l 0; kill -l; echo $?"#,
        r#"kill -s TERM 999999; echo $?"#,
        r#"x=$(trap); echo "[$x]"; trap 'echo a' EXIT; y=$(trap); echo "[$y]""#,
        r#"unset x; echo ${x?is unset} 2>&1; echo next"#,
        r#"f() { return 300; }; f; echo $?"#,
        r#"f() { echo a; return; echo b; }; f; echo $?"#,
        r#". ./nonexist 2>&1; echo $?"#,
        r#"echo 'echo sourced $1; x=9; return 3; echo no' > s.sh; . ./s.sh arg; echo $? $x"#,
        r#"echo 'echo sourced' > s.sh; PATH=.:$PATH; . s.sh"#,
        r#"eval; echo $?; eval ''; echo $?; false; eval; echo $?"#,
        r#"shift 0; echo $?; set -- a b c; shift 3; echo $# $?"#,
        r#"set -- a b; set --; echo $#"#,
        r#"set -- -x y; echo "$1" $#"#,
        r#"set a b c; echo $# $1"#,
        r#"set -o noglob; echo *; set +o noglob; set -o nounset; echo ${u-ok}; set +o nounset"#,
        r#"set -v; echo verbose 2>&1"#,
        r#"getopts "a:" o -a; echo "$? $o ${OPTARG-unset}""#,
        r#"OPTIND=1; getopts "xy" o -xy; echo $o $OPTIND; getopts "xy" o -xy; echo $o $OPTIND; getopts "xy" o -xy; echo $? $o $OPTIND"#,
        r#"f() { local OPTIND=1 o; while getopts "ab" o "$@"; do echo "f:$o"; done; }; f -a -b; f -b"#,
        r#"alias ls='echo lsalias'; unalias ls; unalias nosuch; echo $?"#,
        r#"umask 022; umask g-r; umask; umask o=; umask; umask a+rwx; umask"#,
        r#"umask u=rwx,g=rx,o=; umask -S; umask 0; umask -S"#,
        r#"ulimit -c; ulimit -a | head -2"#,
    ]);
}

#[test]
fn expansion_more() {
    ash(&[
        r#"true; echo $?; false; echo $?; ! false; echo $?"#,
        r#"let; echo $?"#,
        r#"let 1/0; echo $?"#,
        r#"x=3; let "y = x * 2" z=y+1; echo $y $z"#,
        r#"echo $((3 ** -1))"#,
        r#"hash ls 2>&1 | head -1; hash nosuch_cmd; echo $?"#,
        r#"echo ${#@} ${#*}; set -- a bb; echo ${#@} ${#1} ${#2}"#,
        r#"echo "${@:-def}"; set -- x; echo "${@:-def}" "${*:+alt}""#,
        r#"IFS=; x="a b"; set -- $x; echo $#; unset IFS; set -- $x; echo $#"#,
        r#"x='a  b'; echo "$x" $x; IFS=' '; echo $x"#,
        r#"a="*"; b=[x]; echo $a "$a" $b"#,
        r#"mkdir sd; touch sd/.hid sd/vis; echo sd/*; echo sd/.*"#,
        r#"touch 'a b'; echo a*; for f in a*; do echo "[$f]"; done"#,
        r#"echo [a; echo a]; echo [!x]; touch x; echo [!y]"#,
        r#"echo \$HOME '\n' "\n" "\\n""#,
        r#"echo "a'b" 'a"b' "a\`b" "\"""#,
        r#"x=abc; echo "${x}def" "$x"def ${x}"def""#,
        r#"echo "$(echo '"quoted"')" "$(echo "it's")""#,
        r#"echo `echo '\\'` "`echo '\\\\'`""#,
        r#"echo $(echo a)$(echo b) "$(echo a) $(echo b)""#,
        r#"x=$(echo a; exit 3); echo $? $x"#,
        r#"false; x=$(true); echo $?; false; x=1; echo $?"#,
        r#"echo $(case a in a) echo ca;; esac)"#,
        r#"echo $( (echo sub) )"#,
        r#"echo $(echo $((1+1)))"#,
        r#"(cd /; pwd); pwd | grep -c /"#,
        r#"{ x=1; } ; echo $x; ( y=1 ); echo ${y-unset}"#,
        r#"f() ( echo subshell func; x=2 ); x=1; f; echo $x"#,
        r#"f() { echo "$@"; } ; f "a b" c"#,
        r#"while read a b; do echo "$b-$a"; done <<E
1 2
3 4
E"#,
        r#"i=0; until [ $i -ge 3 ]; do echo $i; i=$((i+1)); done"#,
        r#"for i in 1 2 3; do case $i in 2) continue;; esac; echo $i; done"#,
        r#"if ! false; then echo neg; fi"#,
        r#"[ -f /etc/passwd ] && [ -r /etc/passwd ] && echo both"#,
        r#"test 1 -eq 1 -a 2 -gt 1; echo $?; test "(" 1 = 1 ")"; echo $?"#,
        r#"[ ] ; echo $?; [ "" ]; echo $?; [ x ]; echo $?"#,
        r#"echo a >/dev/full; echo $?"#,
        r#"{ echo a; } >/dev/full; echo $?"#,
        r#"cat /nonexist 2>/dev/null; echo $?; ls /nonexist 2>&1 >/dev/null | wc -l"#,
        r#"x=$(nosuch 2>&1); echo "$x""#,
        r#"nosuch 2>/dev/null; echo $?"#,
        r#""" ; echo $?"#,
        r#"echo ok >&-; echo $?"#,
        r#"exec 9</nonexist; echo $?"#,
        r#"echo hi 2>&1 1>&- ; echo $?"#,
    ]);
}

/// `wait` returns 128+N when a trapped signal arrives, after running its trap.
#[test]
fn wait_and_signals() {
    ash(&[
        // The child signals until the parent is seen to react, so the test does not depend
        // on when `wait` is reached.
        "trap 'n=1' USR1; (while kill -USR1 $$ 2>/dev/null; do sleep 0.01; done) & p=$!; wait; echo after wait $?; kill $p",
        "sleep 0.01 & p=$!; wait $p; echo $?; wait $p; echo $?",
        "(exit 5) & (exit 6) & wait; echo $?",
        "(exit 5) & p=$!; sleep 0.05; wait $p; echo $?",
    ]);
}

/// The parser on random token soup: never a crash or a hang, only status 0 or 2 (`-n`:
/// nothing runs).
#[test]
fn parser_fuzz() {
    const TOKS: &[&str] = &[
        "if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while", "until", "case",
        "esac", "{", "}", "(", ")", ";", ";;", ";&", "&", "&&", "||", "|", "!", "\n", "<", ">",
        ">>", "<<", "<<-", "<&", ">&", "2>", "E", "x", "a=b", "$(", "`", "'", "\"", "$((", "))",
        "${", "${x:-", "${#", "}", "$", "\\", "#c", "f()", "$'", "1+", "*", "[",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let d = Dir::new();
    let mut script = String::new();
    for i in 0..300 {
        script.clear();
        let n = 1 + (next() % 30) as usize;
        for _ in 0..n {
            script.push_str(TOKS[(next() % TOKS.len() as u64) as usize]);
            if next() % 3 > 0 {
                script.push(' ');
            }
        }
        let o = d.cmd("sh").args(["-n", "-c", &script]).run();
        assert!(
            o.code == 0 || o.code == 2,
            "input {i}: {script:?}: status {} {}",
            o.code,
            o.err()
        );
    }
}

/// printf is a builtin on the shared format engine.
#[test]
fn printf_builtin() {
    ash(&[
        r#"printf "%d\n" abc; echo $?; printf; echo $?; printf "%s-" a b; echo; printf "%q"; echo $?"#,
        r#"printf "%5.2f|%x|%c|%b\n" 3.14159 255 hello "a\tb"; x=$(printf "%03d" 7); echo $x"#,
        r#"printf '%s\n' "$@"; set -- a "b c"; printf '[%s]' "$@"; echo"#,
        r#"printf 'no newline'; printf '\n%s %s\n' 1"#,
    ]);
}

#[test]
fn errors_and_set_e() {
    ash(&[
        r#": > /nonexist/x; echo after"#,
        r#"export x=1 > /nonexist/y; echo after $?"#,
        r#"cd /nonexist; echo $?"#,
        r#"local x; echo $?"#,
        r#"return 3; echo no"#,
        r#"f() { break; echo in; }; for i in 1 2; do f; echo $i; done"#,
        r#"set -u; echo $1"#,
        r#"set -u; echo "$@" $# ${1-d}; echo ok"#,
        r#"set -u; x=${y:-def}; echo $x; echo ${#z}"#,
        r#"(echo ${x?oops}); echo status $?"#,
        r#"(exit 4) || echo failed $?"#,
        r#"set -e; (false); echo no"#,
        r#"set -e; ! true; echo yes"#,
        r#"set -e; false | true; echo pipe"#,
        r#"set -e; x=$(false); echo no"#,
        r#"set -e; f() { return 1; }; if f; then :; fi; f && echo no; echo yes"#,
        r#"set -e; while false; do :; done; until true; do :; done; echo loops"#,
        r#"set -e; { false; echo no; } || echo caught"#,
        r#"set -e; trap 'echo trapped $?' EXIT; false"#,
        r#"trap 'echo err; exit 3' EXIT; (exit 2); echo $?"#,
        r#"trap 'echo in trap; false' EXIT; exit 0"#,
        r#"trap 'exit 9' USR1; kill -USR1 $$; echo no"#,
        r#"f() { trap 'echo fexit' EXIT; }; f; echo after f"#,
        r#"x=$(exit 7; echo not); echo $?"#,
        r#"cat <<E
$(echo "a)b")
E"#,
        r#"cat <<'E' | cat
a
E"#,
        r#"cat <<E >f; cat f
to file
E"#,
        r#"f() {
cat <<E
$1
E
}
f one; f two"#,
        r#"x=$(cat <<EOF
a $((1+1))"#,
    ]);
}

#[test]
fn words_and_redirections() {
    ash(&[
        r#"x=hello; echo ${x:1:-1} ${x: -3:2} ${x:(-2)} ${x:1:0} ${x:10:2}"#,
        r#"x=hello; echo ${x/l/} ${x/*/all} ${x//?/.} ${x/#/pre} ${x/%/suf} ${x/[le]/_}"#,
        r#"x='a/b/c'; echo ${x//\//-} "${x//'/'/:}""#,
        r#"x=aaa; echo ${x/a/b} ${x//a/b} ${x/aa/b}"#,
        r#"set -- abc; echo ${1#a} ${1%c} ${#1}"#,
        r#"x="*.c"; y=main.c; case $y in $x) echo glob;; esac; case $y in "$x") echo q;; *) echo nq;; esac"#,
        r#"echo ${x-'a  b'} "${x-'a  b'}""#,
        r#"v=abc; echo ${v:+"$v x"} ${v:+'$v'}"#,
        r#"x='$y'; y=1; echo $x; eval echo $x"#,
        r#"x="a
b"; set -- $x; echo $#"#,
        r#"IFS=": "; x="a: b:c"; set -- $x; echo $# "$1" "$2" "$3""#,
        r#"IFS=x; set -- axbxxc; for i in $1; do echo "[$i]"; done"#,
        r#"set -- a b c; IFS=-; echo "$*" $*; x="$@"; echo "$x""#,
        r#"set -- a b; x=$@; echo "$x"; y=$*; echo "$y""#,
        r#"echo "${1+"$@"}"; set -- "x y"; for a in ${1+"$@"}; do echo "[$a]"; done"#,
        r#"f() { echo $#; }; set -- "" ""; f $@; f "$@"; f $*; f "$*""#,
        r#"echo $(( $# + 1 )); set -- 1 2 3; echo $(( $# * 2 ))"#,
        r#"echo "$$" | grep -c '^[0-9]*$'; echo $PPID | grep -c '^[0-9]*$'"#,
        r#"sleep 0 & echo ${!:+bg}"#,
        r#"echo $- | grep -c c"#,
        r#"x=5; y=$((x+=1)); echo $x $y"#,
        r#"unset PATH; echo $PATH; cd /; pwd"#,
        r#"echo a > f; chmod 644 f; ./f; echo $?"#,
        r#"mkdir d; ./d; echo $?"#,
        r#"printf '#!/bin/sh\necho script $1\n' > s; chmod +x s; ./s arg; PATH=.:$PATH; s two"#,
        r#"printf 'echo noshebang $1\n' > t; chmod +x t; ./t x"#,
        r#"echo 'exit 3' > e.sh; sh e.sh; echo $?"#,
        r#"x=1; { x=2; echo $x; } | cat; echo $x"#,
        r#"echo a | read x; echo "[$x]""#,
        r#"echo hi | tee f >/dev/null; cat f"#,
        r#"ls nonexist 2>&1 | wc -l"#,
        r#"exec 5>f; echo five >&5; exec 5>&-; cat f; exec 6<f; cat <&6"#,
        r#"{ echo out; echo err >&2; } 2>/dev/null"#,
        r#"echo x 1>f 2>&1; cat f"#,
        r#"echo a >f >g; cat f; echo; cat g"#,
        r#"cat <f 2>/dev/null; echo $?; cat <nonexist; echo $?"#,
        r#"echo 3>&1 >/dev/null hi"#,
        r#"true >f; [ -e f ] && echo created"#,
        r#">f; [ -e f ] && echo made"#,
        r#"x=1 >f; echo $x"#,
        r#"2>f; echo $?"#,
    ]);
}

/// Every applet answers to its name with no link installed (PATH reaching nothing), as
/// BusyBox's own do; `type` says `NAME is NAME` for them, as BusyBox's ash.
#[test]
fn applets_without_links() {
    // They run as rbox itself, which an emulated binary cannot exec (no binfmt_misc here).
    if under_runner() {
        return;
    }
    ash(&[
        "PATH=/nonexist; ls -d /; echo $?",
        "PATH=/nonexist; type basename cat; command -v cat",
        "PATH=/nonexist; echo abc | cat",
    ]);
    // SECONDS (bash, mksh; ash 1.35 lacks it) counts from the shell's start.
    run("sh", &["-c", "echo $SECONDS"]).ok("0\n");
}

#[test]
fn builtin_edges() {
    ash(&[
        r#"echo x | { read -p "P> " v; echo $v; }"#,
        r#"shift a; echo $?"#,
        r#"set -- 1 2; shift 5; echo $? $#"#,
        r#"exit 3 4"#,
        r#"break 0"#,
        r#"f() { local -; set -x; }; f; echo ok"#,
        r#"readonly; echo $?"#,
        r#"export -p x 2>&1 | head -1; echo $?"#,
        r#"unset -v; unset; echo $?"#,
        r#"set -o pipefail; set -o | grep pipefail; set +o pipefail"#,
        r#"set +o | head -3"#,
        r#"trap - EXIT INT; trap '' HUP; trap"#,
        r#"trap 'echo $1' EXIT; set -- a b; exit"#,
        r#"command -v nosuch; echo $?; command -V nosuch; echo $?"#,
        r#"kill -0 $$; echo $?; kill -s 0 $$; echo $?"#,
        r#"kill -l 2 15 64"#,
        r#"umask -p 2>&1; echo $?"#,
        r#"echo -n; echo -e '\0101\x42\c' more; echo"#,
        r#"echo 'a\nb'; echo -e 'a\nb'"#,
        r#"test; echo $?; test -n; echo $?; [ -z ]; echo $?"#,
        r#"[ 1 -lt ]; echo $?"#,
        r#"[ a \< b ]; echo $?"#,
        r#"let x=5 y=x+2; echo $x $y; let 'x>3' && echo gt"#,
        r#"x=010; let y=x; echo $y"#,
        r#"getopts ":a:" o -a; echo "$o [$OPTARG]""#,
        r#"getopts ":a" o -b; echo "$o [$OPTARG]""#,
        r#"f() { echo $FUNCNAME; }; f"#,
        r#"echo $((RANDOM >= 0 && RANDOM < 32768))"#,
        r#"x=1; unset x; echo ${x-gone}; f() { :; }; unset -f f; f 2>&1"#,
        r#"times | wc -l"#,
        r#"wait %1 2>&1; echo $?"#,
    ]);
}

/// Odd input: NUL bytes (dropped, as ash does), invalid UTF-8, a big here-document, a
/// closed stdout, a script without a trailing newline.
#[test]
fn odd_input() {
    same("sh", &["t.sh"], b"", |d| {
        d.write(
            "t.sh",
            b"echo a\0b\necho \xff\xfe ok\nx='\x80'; echo ${#x}\necho last",
        );
    });
    let big = "a".repeat(100_000);
    same(
        "sh",
        &["-c", &format!("cat <<E | wc -c\n{big}\nE\necho done")],
        b"",
        |_| {},
    );
    same("sh", &["-c", "echo hi >&-; echo $?"], b"", |_| {});
    same(
        "sh",
        &["-c", "x=$(yes | head -c 300000); echo ${#x}"],
        b"",
        |_| {},
    );
    same("sh", &[], b"echo from stdin without newline", |_| {});
}

/// Aliases apply from the next line on; one ending in a blank makes the next word a
/// candidate too.
#[test]
fn aliases() {
    ash(&[
        r#"alias ll="echo aliased" a=a e="echo "
ll x; a; e ll"#,
        r#"alias q='echo q'
q; alias q='echo r'
q"#,
        r#"alias x='for i in 1 2; do echo $i; done'
x"#,
        r#"alias s='echo one;'
s echo two"#,
    ]);
}

#[test]
fn substitutions_and_listings() {
    ash(&[
        r#"x=1; y='a b'; set | grep -E '^(x|y)='"#,
        r#"export z=plain; export -p | grep ' z'; readonly r=2; readonly -p | grep ' r'"#,
        r#"f() { echo f; }; set | grep -c '^f'"#,
        r#"x=1; unset x; set | grep -c '^x='"#,
        r#"echo ${x:-$((1+2))} ${x:-`echo bq`}"#,
        r#"x=$(echo a | tr a b); echo $x"#,
        r#"echo $(( $(echo 3) + $(echo 4) ))"#,
        r#"echo "$( echo "nested \"quotes\"" )""#,
        r#"echo $(echo "(paren)")"#,
        r#"echo $(echo ')')"#,
        r#"echo $(case x in x) echo ok ;; esac)"#,
        r#"echo `echo \$HOME | tr -d /` "#,
        r#"x=`echo a\`echo b\`c`; echo $x"#,
        r#"echo "`echo "a b"`""#,
    ]);
}

/// The last command of `sh -c` or a script replaces the shell (no fork), as ash does when
/// no trap needs the shell afterwards: the program's parent is the shell's parent.
#[test]
fn last_command_is_execd() {
    let o = run("sh", &["-c", "echo $PPID; /bin/sh -c 'echo $PPID'"]);
    let out = o.out();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(lines[0], lines[1]);
    // With an EXIT trap the shell stays to run it.
    run(
        "sh",
        &["-c", "trap 'echo trap' EXIT; /bin/sh -c 'echo cmd'"],
    )
    .ok("cmd\ntrap\n");
    ash(&["false", "(exit 3)", "nosuch", "x=1; /bin/sh -c 'exit 4'"]);
}
