//! Reads the header of every applet file under applets/, keeps those whose Cargo feature is
//! on, and writes $OUT_DIR/applets.rs: the `mod` lines and the sorted applet table.
//!
//! Header (the file's leading `//!` lines):
//!   applet: NAME [NAME]...      names the file answers to (first = feature and file name)
//!   dir: bin|sbin|usr/bin|usr/sbin   install dir for --list-full (default usr/bin)
//!   nohelp                      `APPLET --help` is an ordinary argument (echo, test, true)
//!   usage: NAME ARGS...         the usage line
//!   Summary (one or more lines)
//!   detail lines: `-x  text` (two spaces between option and text), shown by --help

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

const GROUPS: &[&str] = &[
    "coreutils",
    "findutils",
    "editors",
    "shell",
    "networking",
    "procps",
    "archival",
    "util-linux",
    "loginutils",
];
const DIRS: &[&str] = &["bin", "sbin", "usr/bin", "usr/sbin"];

struct Header {
    names: Vec<String>,
    dir: u8,
    nohelp: bool,
    help: String,
}

fn fail(msg: String) -> ! {
    eprintln!("rbox build: {msg}");
    println!("cargo:warning={msg}");
    std::process::exit(1);
}

fn parse_header(path: &Path) -> Header {
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
    let lines: Vec<&str> = text
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| {
            let l = &l[3..];
            l.strip_prefix(' ').unwrap_or(l).trim_end()
        })
        .collect();
    let p = path.display();
    let mut it = lines.iter().peekable();
    let names: Vec<String> = match it.next().and_then(|l| l.strip_prefix("applet:")) {
        Some(n) => n.split_whitespace().map(String::from).collect(),
        None => fail(format!("{p}: first line must be `//! applet: NAME...`")),
    };
    if names.is_empty() {
        fail(format!("{p}: `applet:` names no applet"));
    }
    let (mut dir, mut nohelp, mut usage) = (2u8, false, None);
    while let Some(l) = it.peek() {
        if let Some(d) = l.strip_prefix("dir:") {
            let d = d.trim();
            dir = DIRS
                .iter()
                .position(|x| *x == d)
                .unwrap_or_else(|| fail(format!("{p}: bad dir `{d}`"))) as u8;
        } else if **l == "nohelp" {
            nohelp = true;
        } else if let Some(u) = l.strip_prefix("usage:") {
            // A second `usage:` line continues the first (cp's and mv's "or: ..." form).
            usage = Some(match usage {
                Some(prev) => format!("{prev}\n{}", u.trim()),
                None => u.trim().to_string(),
            });
        } else {
            break;
        }
        it.next();
    }
    let usage = usage.unwrap_or_else(|| fail(format!("{p}: missing `//! usage: ...` line")));
    // The summary runs to a blank line or to the first option line; BusyBox prints a
    // blank line before the options only where the header has one (`sync` has none).
    let mut help = format!("Usage: {usage}\n\n");
    while let Some(l) = it.next_if(|l| !l.is_empty() && !l.starts_with('-')) {
        help.push_str(l);
        help.push('\n');
    }
    let blank = it.peek().is_some_and(|l| l.is_empty());
    let details: Vec<&&str> = it.skip_while(|l| l.is_empty()).collect();
    if !details.is_empty() {
        if blank {
            help.push('\n');
        }
        for d in details {
            // "-x  text" -> "\t-x\ttext", the layout BusyBox's verbose usage has.
            match d.find("  ").filter(|_| !d.starts_with('|')) {
                Some(i) => {
                    // Tabs after the gap are kept: `-a  \tText` aligns as BusyBox's "-a\t\tText".
                    let _ = writeln!(help, "\t{}\t{}", &d[..i], d[i..].trim_start_matches(' '));
                }
                // `|text`: the line as it stands, with no indent (a sub-heading).
                None if d.starts_with('|') => {
                    let _ = writeln!(help, "{}", &d[1..]);
                }
                None if d.is_empty() => help.push('\n'),
                // `|text`: a line of its own, without the option indent (find's "Actions:").
                None if d.starts_with('|') => {
                    let _ = writeln!(help, "{}", &d[1..]);
                }
                None => {
                    let _ = writeln!(help, "\t{d}");
                }
            }
        }
    }
    Header {
        names,
        dir,
        nohelp,
        help,
    }
}

/// Cargo.toml's [features]: name -> listed members. A deliberately small parser of the
/// layout this repository uses (`name = [ "a", "b" ]`, possibly over several lines).
fn features(manifest: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let mut in_sec = false;
    let mut cur: Option<(String, String)> = None;
    for line in manifest.lines() {
        let l = line.split('#').next().unwrap_or("").trim();
        if l.starts_with('[') && !l.contains('=') && cur.is_none() {
            in_sec = l == "[features]";
            continue;
        }
        if !in_sec || l.is_empty() {
            continue;
        }
        let (name, mut body) = match cur.take() {
            Some(c) => (c.0, c.1 + l),
            None => match l.split_once('=') {
                Some((n, b)) => (n.trim().trim_matches('"').to_string(), b.trim().to_string()),
                None => continue,
            },
        };
        if !body.contains(']') {
            body.push(' ');
            cur = Some((name, body));
            continue;
        }
        let members = body
            .split('"')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s.to_string())
            .collect();
        out.insert(name, members);
    }
    out
}

fn feature_on(name: &str) -> bool {
    let var = format!("CARGO_FEATURE_{}", name.to_uppercase().replace('-', "_"));
    env::var_os(var).is_some()
}

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    println!("cargo:rerun-if-changed=applets");
    println!("cargo:rerun-if-changed=Cargo.toml");
    // The code sorted by symbol so that each applet's functions sit together (see the file).
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rerun-if-changed=link/text-order.ld");
        println!("cargo:rerun-if-changed=link/no-unwind-tables.ld");
        println!("cargo:rerun-if-env-changed=RBOX_UNWIND_TABLES");
        if env::var_os("RBOX_UNWIND_TABLES").is_none() {
            println!(
                "cargo:rustc-link-arg-bins=-T{}",
                root.join("link/no-unwind-tables.ld").display()
            );
        }
        // The hot code starts a 64 KiB window of its own on x86_64, where segments are
        // aligned to 4 KiB and the gap costs no file bytes. aarch64 aligns segments to
        // 64 KiB in the file too: there the alignment would pad the file, so it goes.
        if let Ok(mut order) = fs::read_to_string(root.join("link/text-order.ld")) {
            if env::var("CARGO_CFG_TARGET_ARCH").as_deref() != Ok("x86_64") {
                order = order.replace(" ALIGN(0x10000)", "");
            }
            let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("text-order.ld");
            fs::write(&out, order).unwrap();
            println!("cargo:rustc-link-arg-bins=-T{}", out.display());
        }
    }
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let feats = features(&manifest);

    // (feature/file stem, group, path)
    let mut files: Vec<(String, String, PathBuf)> = Vec::new();
    let mut groups: Vec<PathBuf> = fs::read_dir(root.join("applets"))
        .unwrap_or_else(|e| fail(format!("applets/: {e}")))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    groups.sort();
    for gdir in groups {
        let group = gdir.file_name().unwrap().to_string_lossy().into_owned();
        if !GROUPS.contains(&group.as_str()) {
            fail(format!("applets/{group}: not one of the groups {GROUPS:?}"));
        }
        let mut entries: Vec<PathBuf> = fs::read_dir(&gdir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            let src = if p.is_dir() {
                p.join("mod.rs")
            } else if p.extension().is_some_and(|e| e == "rs") {
                p.clone()
            } else {
                continue;
            };
            if !src.exists() {
                fail(format!("{}: an applet folder needs mod.rs", p.display()));
            }
            files.push((stem, group.clone(), src));
        }
    }

    // Files and features must agree, and each applet must sit in its group's feature.
    let stems: BTreeSet<&str> = files.iter().map(|f| f.0.as_str()).collect();
    for (stem, group, path) in &files {
        if !feats.contains_key(stem) {
            fail(format!(
                "{}: no Cargo feature `{stem}`; add `{stem} = []` to [features] and to `{group}`",
                path.display()
            ));
        }
        if !feats.get(group).is_some_and(|m| m.contains(stem)) {
            fail(format!(
                "feature `{stem}` is not listed in its group feature `{group}`"
            ));
        }
    }
    for name in feats.keys() {
        let n = name.as_str();
        if n != "default" && n != "full" && !GROUPS.contains(&n) && !stems.contains(n) {
            fail(format!("feature `{n}` has no applet file applets/*/{n}.rs"));
        }
    }

    let mut mods = String::new();
    let mut helps = String::new();
    // Every usage text, one after the other, stored compressed (as BusyBox's
    // FEATURE_COMPRESS_USAGE does) and unpacked only when help is shown.
    let mut blob: Vec<u8> = Vec::new();
    let mut table: Vec<(String, String, String, u8)> = Vec::new();
    for (stem, _, path) in &files {
        if !feature_on(stem) {
            continue;
        }
        let h = parse_header(path);
        let m = format!("a_{}", stem.replace(['-', '.'], "_"));
        let _ = writeln!(
            mods,
            "#[path = {:?}]\npub mod {m};",
            path.display().to_string()
        );
        let hc = format!("H_{}", m.to_uppercase());
        let _ = writeln!(
            helps,
            "const {hc}: crate::Help = crate::Help({}, {});",
            blob.len(),
            h.help.len()
        );
        blob.extend_from_slice(h.help.as_bytes());
        for n in h.names {
            table.push((
                n,
                m.clone(),
                hc.clone(),
                h.dir | if h.nohelp { 4 } else { 0 },
            ));
        }
    }
    table.sort_by(|a, b| a.0.cmp(&b.0));
    for w in table.windows(2) {
        if w[0].0 == w[1].0 {
            fail(format!("applet name `{}` is claimed by two files", w[0].0));
        }
    }
    let mut out = mods;
    out.push_str(&helps);
    out.push_str("/// Every compiled-in applet, sorted by name for binary search.\n");
    out.push_str("pub static APPLETS: &[crate::Applet] = &[\n");
    for (name, m, hc, flags) in &table {
        let _ = writeln!(
            out,
            "    crate::Applet {{ name: {name:?}, main: {m}::main, help: {hc}, flags: {flags} }},"
        );
    }
    out.push_str("];\n");
    let z = lz_pack(&blob);
    if lz_unpack(&z) != blob {
        fail("help text compression does not round-trip".into());
    }
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    fs::write(out_dir.join("help.lz"), &z).unwrap();
    let _ = writeln!(
        out,
        "/// The usage texts, packed by build.rs (see `crate::help`).\n\
         pub static HELP_LZ: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/help.lz\"));\n\
         pub const HELP_LEN: usize = {};",
        blob.len()
    );
    fs::write(out_dir.join("applets.rs"), out).unwrap();
}

/// A small LZ77 for the usage texts, decoded by src/help.rs: a token byte T < 0x80 is
/// followed by T+1 literal bytes; T >= 0x80 copies (T & 0x7f) + 3 bytes from a 16-bit
/// little-endian distance back. Greedy matching over 3-byte hash chains.
fn lz_pack(src: &[u8]) -> Vec<u8> {
    const MIN: usize = 3;
    const MAX: usize = 0x7f + MIN;
    let mut out = Vec::new();
    let mut head: std::collections::HashMap<[u8; 3], Vec<usize>> = Default::default();
    let mut lit: Vec<u8> = Vec::new();
    let flush = |out: &mut Vec<u8>, lit: &mut Vec<u8>| {
        for c in lit.chunks(0x80) {
            out.push((c.len() - 1) as u8);
            out.extend_from_slice(c);
        }
        lit.clear();
    };
    let mut i = 0;
    while i < src.len() {
        let (mut best, mut dist) = (0, 0);
        if i + MIN <= src.len() {
            let key = [src[i], src[i + 1], src[i + 2]];
            if let Some(c) = head.get(&key) {
                for &j in c.iter().rev().take(512) {
                    if i - j > 0xffff {
                        break;
                    }
                    let mut n = 0;
                    while n < MAX && i + n < src.len() && src[j + n] == src[i + n] {
                        n += 1;
                    }
                    if n > best {
                        (best, dist) = (n, i - j);
                    }
                }
            }
        }
        let step = if best >= MIN {
            flush(&mut out, &mut lit);
            out.push(0x80 | (best - MIN) as u8);
            out.extend_from_slice(&(dist as u16).to_le_bytes());
            best
        } else {
            lit.push(src[i]);
            1
        };
        for k in i..i + step {
            if k + MIN <= src.len() {
                head.entry([src[k], src[k + 1], src[k + 2]])
                    .or_default()
                    .push(k);
            }
        }
        i += step;
    }
    flush(&mut out, &mut lit);
    out
}

/// The decoder, as src/help.rs has it, to check the packing at build time.
fn lz_unpack(z: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < z.len() {
        let t = z[i] as usize;
        i += 1;
        if t < 0x80 {
            out.extend_from_slice(&z[i..i + t + 1]);
            i += t + 1;
        } else {
            let d = u16::from_le_bytes([z[i], z[i + 1]]) as usize;
            i += 2;
            for _ in 0..(t & 0x7f) + 3 {
                out.push(out[out.len() - d]);
            }
        }
    }
    out
}
