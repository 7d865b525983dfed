use crate::common::*;

const INPUT: &[u8] = b"a b c\n1 2 3\nfoo bar baz\n  lead  trail  \n";

fn files(d: &Dir) {
    d.write("in", INPUT);
    d.write("csv", "1,x,10\n2,y,20\n3,x,30\n");
    d.write("prog.awk", "{ n++ }\nEND { print n }\n");
    d.write("f2.awk", "function dbl(x) { return 2 * x }\n");
    d.write("para", "a b\nc\n\n\nd e\nf\n\n");
}

/// Each case is one program (plus options) run on INPUT, compared with BusyBox.
fn run_same(cases: &[&[&str]]) {
    for c in cases {
        same("awk", c, INPUT, files);
    }
}

#[test]
fn fields_and_records() {
    run_same(&[
        &["{print $2}"],
        &["{print $NF, $(NF-1), NF}"],
        &["{s += $2} END {print s, NR}"],
        &["-F,", "{print $2}", "csv"],
        &["-F", ",", "-v", "OFS=:", "{$1 = $1; print}", "csv"],
        &["{$3 = \"\"; print; print NF}"],
        &["{$5 = \"x\"; print; print NF}"],
        &["{NF = 2; print}"],
        &["{$0 = \"q w\"; print $2, NF}"],
        &["BEGIN {FS = \"\"} {print $1, NF}"],
        &["BEGIN {FS = \"[ ]\"} {print $2 \"|\"}"],
        &["-Ft", "{print $1}"],
        &["END {print $0, NF}"],
        &["{print length(), length}"],
        &["NR == 1, NR == 2 {print \"r\", $0}"],
        &["/foo/, /nomatch/"],
        &["FNR == 1 {print FILENAME}", "in", "csv"],
        &["{print}", "-", "csv"],
        &["{print x, $0}", "x=1", "csv", "x=2", "csv"],
        &["-v", "x=a\\tb", "BEGIN {print x}"],
        &["BEGIN {ARGV[1] = \"csv\"} {print}", "nothing"],
        &["BEGIN {print ARGC, ARGV[1]}", "a", "b"],
        &["BEGIN {print ENVIRON[\"LC_ALL\"]}"],
    ]);
}

/// Fields are split only as far as a program reads them: reads past the split, NF,
/// assignments, FS changed mid-record and $0 replaced must all see every field.
#[test]
fn partial_field_split() {
    run_same(&[
        &["{print $1; print NF; print $3}"],
        &["{x = $2; print $1, x, $NF}"],
        &["{print $1; $2 = \"Z\"; print; print NF}"],
        &["{print $1; FS = \",\"; print $2, NF}"],
        &["{print $2; $0 = \"p q r s\"; print $4, NF}"],
        &["{print $7 \"|\" NF}"],
        &["{a[$1] = $2} END {for (k in a) n++; print n}"],
        &["{printf \"%s-%s\\n\", $2, $1}"],
        &["{print $1 + $2}"],
        &["-F,", "{print $1; print NF; print $3 \"|\"}", "csv"],
        &["-F,", "{print $2; $1 = \"k\"; print}", "csv"],
        &["-F,", "{print $4 \"|\" NF}", "csv"],
        &["-Fx", "{print $1 \"|\" $2 \"|\" NF}"],
        &["{print $1; getline; print $2, NF}"],
        &["{print $1} END {print $1, NF}"],
    ]);
    // Rebuilding $0 copies runs of fields that OFS already separated as one span: runs
    // broken by other blanks, by a new value, at the start and the end, with a longer OFS.
    let words = |x: &Dir| {
        x.write(
            "w",
            "a b c d e\nx  y   z w v\n  lead trail  \none\n\t t\tu v w\n",
        );
    };
    for p in [
        "{$3 = \"\"; print; print $1 \"|\" $2 \"|\" $4 \"|\" $5}",
        "{$1 = \"F\"; print; $5 = \"L\"; print; print $4}",
        "{$2 = $2; print; $7 = \"s\"; print; print NF}",
        "BEGIN {OFS = \"  \"} {$3 = \"m\"; print; print $4}",
        "BEGIN {OFS = \"\"} {$1 = $1; print; print $2}",
    ] {
        same("awk", &[p, "w"], b"", words);
    }
    // A trailing separator ends in an empty field; leading and trailing blanks are no
    // fields under the default FS.
    let d = Dir::new();
    d.write("t", "a,b,\n  x  \n,\n");
    d.cmd("awk")
        .args(["-F,", "{print $1 \"|\" $3 \"|\" NF}", "t"])
        .run()
        .ok("a||3\n  x  ||1\n||2\n");
    d.cmd("awk")
        .args(["{print $1 \"|\" $2 \"|\" NF}", "t"])
        .run()
        .ok("a,b,||1\nx||1\n,||1\n");
}

#[test]
fn paragraph_mode() {
    // BusyBox keeps the file's last newline in the last paragraph; POSIX: newlines at the
    // end are not part of the record.
    let d = Dir::new();
    files(&d);
    d.cmd("awk")
        .args([
            "BEGIN {RS = \"\"} {print NR \": \" $1 \"|\" $NF \"|\" NF}",
            "para",
        ])
        .run()
        .ok("1: a|c|3\n2: d|f|3\n");
    d.cmd("awk")
        .args(["BEGIN {RS = \"x+\"} {print NR, $0}"])
        .stdin("1x2xx3")
        .run()
        .ok("1 1\n2 2\n3 3\n");
    d.cmd("awk")
        .args(["BEGIN {RS = \";\"} {print}"])
        .stdin("a;b;")
        .run()
        .ok("a\nb\n");
}

#[test]
fn expressions() {
    run_same(&[
        &["BEGIN {x = 1; x += 2; x *= 3; print x, x % 4, -x, !x, 1e3, 100000000000000000000}"],
        &["BEGIN {i = 5; print i++ + ++i, i--, i}"],
        &["BEGIN {print 1 \" \" 2, 3 4; print -1 \" \" -2}"],
        &["BEGIN {print 011, 0x1F, 1e2, .5}"],
        &["BEGIN {print index(\"abc\", \"\"), 1 == 1.0, \"a\" < \"b\", 2 < 10, \"2\" < \"10\"}"],
        &["{print ($1 < $2), ($2 == 2)}"],
        &["BEGIN {a = \"10\"; b = 9; print (a > b)}"],
        &["BEGIN {x; print length(x), x + 0, x \"\"}"],
        &["BEGIN {CONVFMT = \"%.2g\"; a = 3.14159; b = a \"\"; print b; OFMT = \"%.3f\"; print a, 17}"],
        &["BEGIN {x = (1 == 1) ? \"y\" : \"n\"; print x, (1 && 0), (1 || 0), !y}"],
        &["$2 ~ /^[0-9]+$/ {print \"num\", $2} $2 !~ \"^[0-9]\" {print \"not\", $2}"],
        &["BEGIN {r = \"^a\"; print (\"abc\" ~ r), (\"xbc\" ~ r)}"],
        &["{print $1 ~ \"o\" ? \"o\" : \"-\"}"],
        &["BEGIN {print length(12345), length(1/4), 1/4}"],
        &["BEGIN {printf \"%d %d\\n\", \"12abc\", -3.9}"],
    ]);
}

#[test]
fn statements() {
    run_same(&[
        &["BEGIN {while (i < 3) {i++; if (i == 2) continue; print i}; do {j++} while (j < 5); print j}"],
        &["BEGIN {for (i = 0; i < 10; i++) {if (i == 3) break; print i}}"],
        &["BEGIN {for (;;) {n++; if (n > 4) break}; print n}"],
        &["NR == 2 {next} {print} END {print \"end\"}"],
        &["{print; exit 3} END {print \"e\"}"],
        &["BEGIN {exit} END {print \"end ran\"}"],
        &["BEGIN {exit 4}"],
        &["{print FILENAME; nextfile}", "in", "csv"],
        &["BEGIN {if (1) print \"a\"; else print \"b\"\nif (0)\nprint \"c\"\nelse\nprint \"d\"}"],
        &["BEGIN {x[1]; delete x; print length(x)}"],
        &["BEGIN {getline; print \"got\", $0; getline x; print x, NR}"],
        &["-f", "prog.awk"],
        &["-f", "f2.awk", "-e", "BEGIN {print dbl(21)}"],
        &["-e", "BEGIN {print 1}", "-e", "BEGIN {print 2}"],
        &["--", "{print $1}"],
    ]);
}

#[test]
fn arrays_and_functions() {
    run_same(&[
        &["BEGIN {x[\"a\"] = 1; x[\"b\"] = 2; for (k in x) s += x[k]; print s, length(x); delete x[\"a\"]; print (\"a\" in x), (\"b\" in x)}"],
        &["BEGIN {a[\"x\", 1] = 5; for (k in a) {split(k, p, SUBSEP); print p[1], p[2]}; if ((\"x\", 1) in a) print \"in\"}"],
        &["function f(n) {return n <= 1 ? 1 : n * f(n - 1)} BEGIN {print f(10)}"],
        &["function g(a) {a[\"k\"] = 1} BEGIN {g(arr); print arr[\"k\"]}"],
        &["function h(a,  i) {for (i = 0; i < 3; i++) a[i] = i * i; return i} BEGIN {print h(q), q[2], i \"|\"}"],
        &["function fib(n) {return n < 2 ? n : fib(n-1) + fib(n-2)} BEGIN {print fib(20)}"],
        &["{a[$1]++} END {for (k in a) n++; print n}"],
        &["BEGIN {a[\"x\"]; if (\"x\" in a) print \"yes\"; print length(a)}"],
    ]);
}

#[test]
fn builtins() {
    run_same(&[
        &["BEGIN {s = \"hello world\"; gsub(/o/, \"0\", s); print s; sub(/l+/, \"[&]\", s); print s}"],
        &["BEGIN {s = \"hello\"; print index(s, \"l\"), substr(s, 2, 3), toupper(s), tolower(\"ABC\"), length(s)}"],
        &["BEGIN {n = split(\"a:b:c\", arr, \":\"); print n, arr[1], arr[3]; n = split(\"a1b22c\", q, /[0-9]+/); print n, q[3]}"],
        &["BEGIN {n = split(\"\", a); print n, length(a); n = split(\" x  y \", b); print n, b[1]}"],
        &["BEGIN {print match(\"foobar\", /o+/), RSTART, RLENGTH; print match(\"x\", /y/), RSTART, RLENGTH}"],
        &["BEGIN {s = \"aaa\"; print gsub(/x*/, \"-\", s), s; t = \"abc\"; gsub(\"\", \"-\", t); print t}"],
        &["BEGIN {s = \"a.b.c\"; gsub(\".\", \"x\", s); print s; t = \"a.b\"; gsub(/\\./, \"\\\\&\", t); print t}"],
        &["{sub(/a/, \"X\"); print}"],
        &["{gsub(/[ab]/, \"<&>\", $0); print; print NF}"],
        &["BEGIN {print substr(\"hello\", 0), substr(\"hello\", 2), substr(\"hello\", 3, -1) \"|\", substr(\"hello\", 2, 100)}"],
        &["BEGIN {printf \"%5s|%-5d|%05.1f|%x|%o|%e|%i|%%\\n\", \"ab\", 42, 3.14159, 255, 8, 1234.5, 7}"],
        &["BEGIN {x = \"A\"; printf \"%c%c\\n\", x, 66}"],
        &["BEGIN {s = sprintf(\"%3d:%s\", 7, \"x\"); print s; printf(\"%s %s\\n\", \"p\", \"q\")}"],
        &["BEGIN {printf \"%s\\n\"}"],
        &["BEGIN {print and(12, 10), or(12, 10), xor(12, 10), lshift(1, 4), rshift(256, 2), compl(0)}"],
        &["BEGIN {print int(3.9), int(-3.9), int(\"4x\")}"],
        &["BEGIN {r = system(\"exit 3\"); print r}"],
        &["BEGIN {system(\"echo from-sh\"); print \"after\"}"],
        &["BEGIN {while ((getline l < \"in\") > 0) n++; print n; close(\"in\"); \"echo hi\" | getline v; print v}"],
        &["BEGIN {print (getline x < \"/nonexistent\")}"],
        &["{print | \"sort -r\"}"],
        &["{print | \"cat\"} END {close(\"cat\"); print \"done\"}"],
        &["BEGIN {print \"x\" > \"out\"; print \"y\" >> \"out\"; close(\"out\"); while ((getline l < \"out\") > 0) print \"got\", l}"],
        &["BEGIN {printf \"a\" > \"/dev/stderr\"; fflush(); print 1}"],
        &["BEGIN {x = mktime(\"1970 01 01 00 00 00\") > -100000; print length(strftime(\"%Y\", 0)), x, (systime() > 0)}"],
    ]);
}

#[test]
fn math() {
    // Debian's BusyBox is built without math support ("Math support is not compiled in").
    run("awk", &["BEGIN {printf \"%.4f %.4f %.4f %.4f %.4f %.4f\\n\", sin(1), cos(1), atan2(1, 2), exp(1), log(10), sqrt(2)}"])
        .ok("0.8415 0.5403 0.4636 2.7183 2.3026 1.4142\n");
    run("awk", &["BEGIN {srand(1); a = rand(); srand(1); b = rand(); print (a == b), (a >= 0 && a < 1), srand(2)}"])
        .ok("1 1 1\n");
    run(
        "awk",
        &["BEGIN {x = 3; x ^= 2; print 2 ** 10, 2^3^2, x, 7 % 3, -7 % 3}"],
    )
    .ok("1024 512 9 1 -1\n");
}

#[test]
fn help() {
    same("awk", &["--help"], b"", |_| {});
}

#[test]
fn posix_where_busybox_differs() {
    // substr rounds its start and length (POSIX); BusyBox truncates the length first.
    run(
        "awk",
        &["BEGIN {print substr(\"hello\", -1, 3) \"|\" substr(\"hello\", 1.5, 2.3)}"],
    )
    .ok("h|el\n");
    // Input "0x10" is 0 as a number (POSIX, gawk, mawk); BusyBox reads it as hex.
    cmd("awk")
        .args(["{print $1 + 0}"])
        .stdin("0x10\n")
        .run()
        .ok("0\n");
    // `cmd | getline` counts NR (POSIX); BusyBox does not.
    run("awk", &["BEGIN {\"echo a b\" | getline; print $2, NR}"]).ok("b 1\n");
}

#[test]
fn one_liners() {
    let text = b"the cat\nthe dog the end\n\nlast line here\n";
    for p in [
        "END {print NR}",
        "NR % 2",
        "NF",
        "{print NF \":\" $0}",
        "{w += NF; c += length + 1} END {print NR, w, c}",
        "{for (i = NF; i > 0; i--) printf \"%s%s\", $i, (i > 1 ? OFS : ORS)}",
        "!seen[$1]++",
        "{for (i = 1; i <= NF; i++) n[$i]++} END {print n[\"the\"]}",
        "length > 8",
        "{ $1 = \"\"; print substr($0, 2) }",
        "{ printf \"%-10s|%5d\\n\", $1, NF }",
        "NR == 2, NR == 3 { print NR }",
        "{ line[NR] = $0 } END { for (i = NR; i > 0; i--) print line[i] }",
    ] {
        same("awk", &[p], text, |_| {});
    }
}

#[test]
fn errors() {
    run_same(&[
        &["BEGIN {print 1/0}"],
        &["BEGIN {x = 0; print 5 % x}"],
        &["BEGIN {printf \"%z\\n\", 1}"],
        &["{print}", "/nonexistent"],
        &["-f", "/nonexistent"],
    ]);
    // Syntax errors: BusyBox's message; exit status 2 as POSIX tools use for them (BusyBox
    // exits 1).
    run("awk", &["BEGIN {"]).fails(2, "awk: cmd. line:1: Unexpected token\n");
    run("awk", &["BEGIN { f( }"]).fails(2, "awk: cmd. line:1: Unexpected token\n");
    run("awk", &["BEGIN {\n\nx = \"abc\n}"])
        .fails(2, "awk: cmd. line:3: Unexpected end of string\n");
    run("awk", &[]).code(1);
    run("awk", &["BEGIN {print > \"/nonexistent/x\"}"]).fails(
        1,
        "awk: can't open '/nonexistent/x': No such file or directory\n",
    );
    // Using a scalar as an array is an error here (as in gawk); BusyBox goes on silently.
    run("awk", &["BEGIN {a = 1; a[1] = 2}"])
        .fails(1, "awk: cmd. line:1: Can't use scalar as array\n");
    run("awk", &["BEGIN {$-1 = 1}"]).fails(1, "awk: cmd. line:1: Access to negative field\n");
}

#[test]
fn runtime_errors_carry_the_line() {
    let progs = |d: &Dir| {
        d.write("div.awk", "BEGIN {\n  x = 0\n  print 1/x\n}\n");
        d.write("a.awk", "BEGIN { x = 1 }\n\n");
        d.write("b.awk", "\nBEGIN { y = 1 % 0 }\n");
        d.write("syn.awk", "\nBEGIN { y = 1 +* 0 }\n");
        d.write(
            "pat.awk",
            "BEGIN {\n  x = 0\n}\n$(-1) == 1 { print }\nEND {\nprint 1\n}\n",
        );
        d.write(
            "fn.awk",
            "function f(a) {\n  return a / 0\n}\nBEGIN {\n  f(1)\n}\n",
        );
        d.write("if.awk", "BEGIN {\n  if (1)\n    $(-2) = 1\n}\n");
    };
    for args in [
        &["BEGIN { x = 0\ny = 1\nprint y % x }"][..],
        &["BEGIN {\n\n  printf \"%z\\n\", 1\n}"],
        &["BEGIN { a = 1\n\nprint 5 / 0 }"],
        &["-f", "div.awk"],
        &["-f", "a.awk", "-f", "b.awk"],
        &["-f", "pat.awk"],
        &["-f", "fn.awk"],
        &["-f", "if.awk"],
        &["-e", "BEGIN { }", "-e", "\nBEGIN { print 1/0 }"],
    ] {
        same("awk", args, b"a b\n", progs);
    }
    // Syntax errors too name the file and its line (exit 2: see errors()).
    let d = Dir::new();
    progs(&d);
    d.cmd("awk")
        .args(["-f", "a.awk", "-f", "syn.awk"])
        .run()
        .fails(2, "awk: syn.awk:2: Unexpected token\n");
    d.cmd("awk")
        .args(["-e", "BEGIN{}", "-e", "\nBEGIN { +* }"])
        .run()
        .fails(2, "awk: cmd. line:2: Unexpected token\n");
    // The line of the statement running when the error happened (BusyBox says the line of
    // the expression node: here its last line, 3).
    run("awk", &["BEGIN {\n  print 1,\n  1 / 0\n}"])
        .fails(1, "awk: cmd. line:2: Division by zero\n");
}

#[test]
fn print_redirect_to_a_conditional() {
    // `print 1 > 2 ? "y" : "n"` writes "1" to the file y (BusyBox, mawk and nawk alike).
    let d = Dir::new();
    let prog = "BEGIN { print 1 > 2 ? \"y\" : \"n\"; print 2 > 0 ? \"a\" : \"b\" \".txt\"; print (1 > 2) ? \"p\" : \"q\" }";
    d.cmd("awk").arg(prog).run().ok("q\n");
    assert_eq!(std::fs::read_to_string(d.join("y")).unwrap(), "1\n");
    assert_eq!(std::fs::read_to_string(d.join("b.txt")).unwrap(), "2\n");
    assert!(!d.join("n").exists() && !d.join("a").exists());
    if has_busybox() {
        let e = Dir::new();
        e.bb("awk").arg(prog).run().ok("q\n");
        assert_eq!(std::fs::read_to_string(e.join("y")).unwrap(), "1\n");
    }
}

#[test]
fn deep_recursion_is_an_error() {
    let o = run("awk", &["function f(n) {return f(n + 1)} BEGIN {f(1)}"]);
    o.fails(1, "awk: cmd. line:1: Function call nesting too deep\n");
    // Deep nesting in the program text is bounded in the parser.
    let deep = format!("BEGIN {{print {}1{}}}", "(".repeat(5000), ")".repeat(5000));
    run("awk", &[&deep]).code(2);
}

#[test]
fn odd_input() {
    // NUL bytes and invalid UTF-8 pass through fields untouched.
    cmd("awk")
        .args(["{print $2, length($0)}"])
        .stdin(b"a\0b c\xff\xfe d\n")
        .run()
        .ok(b"c\xff\xfe 9\n");
    cmd("awk")
        .args(["-F", "\\0", "{print $2}"])
        .stdin(b"x\0y\n")
        .run()
        .code(0);
    // No trailing newline; empty input.
    cmd("awk")
        .args(["{print NR \":\" $0}"])
        .stdin("a\nb")
        .run()
        .ok("1:a\n2:b\n");
    cmd("awk")
        .args(["END {print NR}"])
        .stdin("")
        .run()
        .ok("0\n");
    // A very long record and field.
    let long = "x".repeat(1 << 20);
    let o = cmd("awk")
        .args(["{print length($1), NF}"])
        .stdin(format!("{long} y\n"))
        .run();
    o.ok(format!("{} 2\n", 1 << 20));
}

/// printf's numbers are formatted natively (not by snprintf): a table of directives x
/// values, through printf, print (OFMT), concatenation (CONVFMT) and %c, compared with
/// BusyBox (whose C library's printf is the reference). Left out where BusyBox differs on
/// purpose-less grounds: %d of values beyond 32 bits (it converts to int) and %x of
/// negative numbers (32-bit there).
const PRINTF_TABLE: &str = r#"BEGIN {
  nf = split("%d;%i;%5d;%-5d|;%05d;%+d;% d;%.3d;%.0d;%x;%X;%#x;%#o;%o;%u;%s;%10.4s|;%-8s|", I, ";")
  ni = split("0 1 7 42 255 4096 123456789 3.99 0.5 2147483647", IV, " ")
  for (i = 1; i <= nf; i++) for (j = 1; j <= ni; j++) printf "%s %s [" I[i] "]\n", I[i], IV[j], IV[j] + 0
  nf = split("%d;%+d;%5d;%05d;%.3d", J, ";")
  nj = split("-1 -42 -3.9 -123456", JV, " ")
  for (i = 1; i <= nf; i++) for (j = 1; j <= nj; j++) printf "%s %s [" J[i] "]\n", J[i], JV[j], JV[j] + 0
  nf = split("%f;%.2f;%10.3f;%-10.1f|;%+.0f;%08.3f;% .4f;%.0f;%.10f;%e;%.3E;%-12.2e|;%+.0e;%g;%G;%.10g;%.0g;%.1g;%5.3g;%-9.2g|;%.15g;%.17g;%#.0f", F, ";")
  nv = split("0 1 -1 3.14159 -2.5 0.5 1.5 2.5 0.125 0.375 1e-5 1.2345e-4 123456.789 -0.001 999999.5 9.9999995 1e15 1e16 1e21 1e22 1e100 1e-300 0.1 0.2 2.675 1.005 0.045 100 65 1234567.125 -987.654321", FV, " ")
  for (i = 1; i <= nf; i++) for (j = 1; j <= nv; j++) printf "%s %s [" F[i] "]\n", F[i], FV[j], FV[j] + 0
  for (j = 1; j <= nv; j++) { x = FV[j] + 0; y = x / 3; print x, y, x * 1.1, (y "") }
  CONVFMT = "%.3f"; OFMT = "%.2e"
  for (j = 1; j <= nv; j++) { y = FV[j] / 7; print y, (y "") }
  printf "%c%c%c|%5c|%-3c|\n", 65, "hello", 97.9, "x", 66
}
"#;

#[test]
fn printf_table() {
    same("awk", &["-f", "t.awk"], b"", |d| {
        d.write("t.awk", PRINTF_TABLE);
    });
    // Fields go to printf without a copy while nothing can change the record; an
    // argument that assigns a field makes the earlier ones copies first.
    run_same(&[
        &["{printf \"%s|%5s|%-4d|%.1f|%c\\n\", $1, $2, $3, $3, $1}"],
        &["{printf \"%s %s %s\\n\", $1, ($1 = \"Z\"), $1}"],
        &["{$2 = \"q\"; printf \"%s/%s/%s\\n\", $0, $2, NF}"],
        &["{s = sprintf(\"%3s:%-3s:%d\", $1, $NF, NR); print s}"],
        &["{printf $1 \"\\n\"}"],
        &["BEGIN {printf \"%d %d %.0f %.0f %g %g\\n\", 2147483647, -2147483648, 0.5, 1.5, 1e-5, 123456789}"],
        &["BEGIN {x = 1e16; y = 9007199254740993; z = 123456789012345678; print x, y, z, x \"\", -x, 1e18 + 0, 1e19}"],
    ]);
}

/// Lines of words, some with "the", several read blocks long (records straddle the
/// reader's block boundaries), the last one without "the" and without a newline.
fn words_input() -> Vec<u8> {
    const W: [&str; 12] = [
        "the", "other", "a", "lorem", "there", "of", "ipsum", "th", "he", "xthe", "t;he", "e",
    ];
    let mut s = Vec::new();
    let mut x: u32 = 12345;
    for i in 0..12000 {
        // A few long lines, so a record may span a whole block.
        let n = if i % 997 == 0 { 9000 } else { x % 13 };
        for k in 0..n {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            if k > 0 {
                s.push(b' ');
            }
            s.extend_from_slice(W[(x >> 16) as usize % W.len()].as_bytes());
        }
        s.push(b'\n');
    }
    s.extend_from_slice(b"last of all");
    s
}

/// A program whose one pattern is `/re/` passes over the records without the regex's
/// literal: NR, FNR, END's $0, getline, RS changed mid-file, several files, anchors and
/// RS inside the literal must come out as when every record is tried.
#[test]
fn regex_pattern_skips_records() {
    let input = words_input();
    let setup = |d: &Dir| {
        d.write("w", &input);
        d.write("v", "no\nthe end\nnone");
    };
    for c in [
        &["/the/ {n++} END {print n, NR, $0, NF}"][..],
        &["/the/ {print NR \":\" $0}"],
        &["/the/"],
        &["/^the/ {n++} END {print n, NR}"],
        &["/the$/ {print NR}"],
        &["/[t]he/ {n++} END {print n}"],
        &["/t+he/ {n++} END {print n}"],
        &["/xthe|other/ {n++} END {print n}"],
        &["/the/ {getline; print NR, $1} END {print NR}"],
        &["/the/ {getline x; print NR, x}"],
        &["/the/ {print FILENAME, FNR, NR}", "w", "v", "w"],
        &["/the/ {n++} END {print n, NR}", "v", "w"],
        &["/the/ {print NR; RS = \";\"}"],
        &["BEGIN {RS = \";\"} /the/ {n++} END {print n, NR}"],
        &["BEGIN {RS = \"h\"} /th/ {n++} END {print n, NR}"],
        &["/the/ {n++; if (n == 50) exit} END {print n, NR}"],
        &[
            "/the/ {n++; if (n == 7) nextfile} END {print n, NR}",
            "w",
            "v",
        ],
    ] {
        let mut args = c.to_vec();
        if args.len() == 1 {
            args.push("w");
        }
        same("awk", &args, b"", setup);
    }
    // The expected answers where BusyBox is not installed.
    let d = Dir::new();
    setup(&d);
    let text = String::from_utf8(input.clone()).unwrap();
    let with = text.lines().filter(|l| l.contains("the")).count();
    d.cmd("awk")
        .args(["/the/ {n++} END {print n, NR, $0}", "w"])
        .run()
        .ok(format!("{with} {} last of all\n", text.lines().count()));
}

/// Records are read in place (not copied out of the read block) while they lie whole in
/// it: records across block boundaries, getline (which reads on while $0 stays), $0 and
/// NF assigned, FS and RS changed between records, nextfile and END's $0.
#[test]
fn records_in_place() {
    let input = words_input();
    let setup = |d: &Dir| {
        d.write("w", &input);
        d.write("v", "no\nthe end\nnone");
    };
    for c in [
        &["{n += NF} END {print n, NR, $0, NF}"][..],
        &["{print $1 \"|\" $NF}"],
        &["NR % 1000 == 1 {getline; print NR, $0} END {print $0}"],
        &["{getline x; print $1 \"|\" x}"],
        &["{if (NR % 3 == 0) $0 = \"a b\"; print NF, $0}"],
        &["{NF = 2; print} END {print $0}"],
        &["{$2 = \"\"; print}"],
        &["NR == 100 {FS = \"e\"} {print $1}"],
        &["NR == 5000 {RS = \"e\"} {print NR \": \" $0}"],
        &["NR == 5000 {RS = \"\"} END {print NR, $0}"],
        &["{print; nextfile} END {print $0}", "w", "v", "w"],
        &["END {print NR, $0}", "w", "v"],
        &["FNR == 2 {print FILENAME, $0}", "v", "w", "v"],
    ] {
        let mut args = c.to_vec();
        if args.len() == 1 {
            args.push("w");
        }
        same("awk", &args, b"", setup);
    }
    // From a pipe, which may hand over part of a record at a time.
    same("awk", &["{n += NF} END {print n, NR, $0}"], &input, |_| {});
    same(
        "awk",
        &["/the/ {n++} END {print n, NR, $0}"],
        &input,
        |_| {},
    );
    let d = Dir::new();
    setup(&d);
    d.cmd("awk")
        .args(["{n += NF} END {print NR, $0}", "w"])
        .run()
        .ok("12001 last of all\n");
}
