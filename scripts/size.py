#!/usr/bin/env python3
"""rbox's size report and size budget.

  size.py report [--arch x86_64,aarch64] [--quick]
      Builds rbox (stable and tiny tiers) and the BusyBox peers, prints a markdown report
      and writes it to results/size.md (with the raw figures in results/size.json):
      bytes, applets, bytes per applet, ratios to both peers, the same-applet-set musl
      BusyBox, the fixed cost of the core, each applet group, each applet and each
      dependency. --quick: x86_64 stable and tiny only, no peers (for CI), to results/tmp/.
  size.py sets [--write]
      Only the per-wave same-set rows (below), printed (--write: also into results/size.md's
      sets section): the issues' size criterion, in a few minutes.
  size.py check
      Builds the stable (and, with a nightly toolchain, tiny) x86_64 binary and fails when
      one is larger than size-budget.txt allows.

Costs of parts: a group's cost is (a build with only that group) - (a build with no
applet); an applet's and a dependency's cost is the sum of the sizes of their functions in
an unstripped build of the full binary (symbols named rbox::applets::NAME::..., memchr::...,
and musl's C functions for "libc"). LTO inlines across these lines, so those are estimates;
strings and tables that have no symbol of their own are left in "unattributed".
"""

import argparse
import datetime
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402
from common import (RESULTS, ROOT, TARGET, apt_install, cargo_build, ensure_target,  # noqa: E402
                    ensure_tiny_toolchain, features_of_cargo, log, out, rbox_list)

BUDGET = os.path.join(ROOT, "size-budget.txt")
GROUPS = ["coreutils", "findutils", "editors", "shell", "networking", "procps", "archival",
          "util-linux", "loginutils"]


# The waves whose issues ask that the tiny tier grows no faster than a musl BusyBox with the
# same applets: (label, tag, cargo features). Each is compared with a BusyBox built with
# exactly the applet names that rbox build answers to (`rbox --list`).
CORE = ("true false echo yes cat basename dirname pwd sleep usleep env printenv uname arch "
        "nproc tty whoami logname link unlink sync test ls").split()
FILE = ("cp mv rm mkdir rmdir ln touch chmod chown chgrp stat du df readlink realpath mktemp "
        "mkfifo mknod install truncate fallocate shred dd chroot find xargs which id "
        "groups").split()
TEXT = ("head tail wc sort uniq cut tr paste join comm nl fold expand unexpand tac rev tee "
        "split shuf printf seq od hexdump hd xxd base64 base32 uuencode uudecode md5sum "
        "sha1sum sha256sum sha512sum sha3sum crc32 cksum sum cmp strings dos2unix unix2dos "
        "factor expr cal date getopt tsort").split()
SETS = [("core applets (issue 2)", "core", CORE),
        ("core + file applets (issue 7)", "file", CORE + FILE),
        ("core + text applets (issue 8)", "text", CORE + TEXT)]


def same_sets():
    """[(label, applets, rbox tiny bytes, BusyBox same-set bytes)], x86_64."""
    rows = []
    for label, tag, feats in SETS:
        b = build_tier("x86_64", "tiny", feats, f"set-{tag}")
        if b is None:
            continue
        apps = rbox_list(b)
        p = peers.build("x86_64", f"musl-set-{tag}", apps)
        rows.append((label, len(apps), size_of(b), size_of(p)))
    return rows


def render_sets(rows):
    L = ["| applet set (x86_64) | applets | rbox tiny | BusyBox musl, same applets | ratio |",
         "|---|---:|---:|---:|---:|"]
    for label, n, r, b in rows:
        L.append(f"| {label} | {n} | {kb(r)} | {kb(b)} | {ratio(r, b)} |")
    return "\n".join(L) + "\n"


SETS_BEGIN, SETS_END = "<!-- sets -->", "<!-- /sets -->"


def sets_section(rows, date, rev):
    return (f"{SETS_BEGIN}\n### Same applets, wave by wave ({date}, rbox {rev})\n\n"
            "The tiny tier built with only a wave's applets, against BusyBox built with "
            "exactly the applets that build answers to (`size.py sets`).\n\n"
            + render_sets(rows) + SETS_END)


def write_sets(rows):
    """Puts the rows into results/size.md's sets section (the rest of the file is kept)."""
    path = os.path.join(RESULTS, "size.md")
    rev = out(["git", "-C", ROOT, "describe", "--always", "--dirty"], check=False).strip()
    sec = sets_section(rows, datetime.date.today().isoformat(), rev)
    text = open(path).read() if os.path.exists(path) else ""
    if SETS_BEGIN in text and SETS_END in text:
        a, b = text.index(SETS_BEGIN), text.index(SETS_END) + len(SETS_END)
        text = text[:a] + sec + text[b:]
    else:
        # After the first table's ratios, before the parts.
        at = text.find("### What each part costs")
        text = text[:at] + sec + "\n\n" + text[at:] if at >= 0 else text + "\n" + sec + "\n"
    with open(path, "w") as f:
        f.write(text)
    log(f"written to {os.path.relpath(path, ROOT)}")


def size_of(p):
    return os.path.getsize(p)


def runner(arch):
    return ["qemu-aarch64-static"] if arch == "aarch64" else []


def build_tier(arch, tier, features=None, tag=None):
    """A build of rbox; None when this machine's toolchain cannot make it."""
    if tier == "tiny" and not ensure_tiny_toolchain(arch):
        return None
    ensure_target(arch)
    tdir = None
    if tag:
        tdir = os.path.join(TARGET, "size", f"{tier}-{tag}")
    elif tier == "tiny":
        tdir = os.path.join(TARGET, "tiny")
    try:
        return cargo_build(arch, tier, features, tdir)
    except SystemExit as e:
        if tier == "tiny":
            log(f"tiny {arch} did not build ({e}); skipped")
            return None
        raise


def ratio(a, b):
    return f"{a / b:.2f}" if a and b else "-"


def kb(n):
    return f"{n:,}" if n is not None else "-"


# ------------------------------------------------------------- attribution by symbols

STD_CRATES = {"core", "alloc", "std", "std_detect", "panic_abort", "panic_unwind",
              "compiler_builtins", "rustc_demangle", "addr2line", "gimli", "miniz_oxide",
              "object", "adler", "adler2", "hashbrown", "unwind", "__rustc"}
UNWIND_C = ("_Unwind", "unw_", "__unw", "unwind_", "rust_eh_personality", "__gcc_personality")


def demangle_owner(name):
    """The crate (or rbox module) a demangled symbol belongs to: the first path in its name,
    so `<rbox::cx::Out as std::io::Write>::write` belongs to rbox's cx."""
    if "libunwind" in name or name.startswith(UNWIND_C):
        return "libunwind (panic=abort std still links it)"
    m = re.search(r"([A-Za-z_]\w*)::(\w+)(?:::(\w+))?", name)
    if not m:
        return "musl libc (C)"
    crate, a, b = m.group(1), m.group(2), m.group(3)
    if crate == "rbox":
        if a == "applets" and b:
            return f"applet {b[2:] if b.startswith('a_') else b}"
        return f"core {a}" if b else "core lib"
    if crate in STD_CRATES:
        return "Rust std (core, alloc, std)"
    return crate


def attribute(binary):
    """{owner: bytes} from the symbol table of an unstripped binary."""
    txt = out(["nm", "-S", "--size-sort", "-C", binary], check=False)
    owners = {}
    for ln in txt.splitlines():
        p = ln.split(None, 3)
        if len(p) < 4 or p[2] not in "tTwWrRdDbB":
            continue
        if p[2] in "bB":  # bss takes no bytes in the file
            continue
        sz = int(p[1], 16)
        name = re.sub(r"::h[0-9a-f]{16}$", "", p[3])
        o = demangle_owner(name)
        owners[o] = owners.get(o, 0) + sz
    return owners


# ------------------------------------------------------------- the report

def report(archs, quick):
    apt_install(["binutils", "qemu-user-static"])  # nm; running the aarch64 build
    feats = features_of_cargo()
    res = {"date": datetime.date.today().isoformat(), "archs": {}, "parts": {},
           "rustc": out(["rustc", "--version"], check=False).strip(),
           "nightly": out(["rustc", "+nightly", "--version"], check=False).strip(),
           "rbox": out(["git", "-C", ROOT, "describe", "--always", "--dirty"], check=False).strip()}
    for arch in archs:
        r = {}
        stable = build_tier(arch, "stable")
        apps = rbox_list(stable, runner(arch))
        r["applets"] = apps
        r["stable"] = size_of(stable)
        tiny = build_tier(arch, "tiny")
        r["tiny"] = size_of(tiny) if tiny else None
        if not quick:
            for name, fn in (("debian", lambda: peers.debian(arch)),
                             ("musl", lambda: peers.musl(arch)),
                             ("musl_same", lambda: peers.musl_same(arch, apps))):
                p = fn()
                r[name] = size_of(p)
                r[name + "_applets"] = len(peers.bb_list(arch, p))
        res["archs"][arch] = r

    # What each part costs (x86_64).
    parts = res["parts"]
    none = build_tier("x86_64", "stable", [], "none")
    parts["core, empty applet table (stable; dispatch optimised away)"] = size_of(none)
    one = build_tier("x86_64", "stable", ["true"], "true")
    parts["core + true (stable)"] = size_of(one)
    tnone = build_tier("x86_64", "tiny", [], "none")
    if tnone:
        parts["core, empty applet table (tiny)"] = size_of(tnone)
        tone = build_tier("x86_64", "tiny", ["true"], "true")
        parts["core + true (tiny)"] = size_of(tone)
    groups = {}
    if not quick:
        for g in GROUPS:
            if feats.get(g):
                b = build_tier("x86_64", "stable", [g], f"group-{g}")
                groups[g] = (len(feats[g]), size_of(b) - size_of(none))
    res["groups"] = groups
    if not quick:
        res["sets"] = same_sets()
    tdir = os.path.join(TARGET, "size", "unstripped")
    unstripped = cargo_build("x86_64", "stable", None, tdir, ["--config", "profile.release.strip=false"])
    res["owners"] = attribute(unstripped)
    if tnone:
        tdir = os.path.join(TARGET, "size", "tiny-unstripped")
        t = cargo_build("x86_64", "tiny", None, tdir, ["--config", "profile.release.strip=false"])
        res["owners_tiny"] = attribute(t)
        res["tiny_x86_64"] = res["archs"]["x86_64"]["tiny"]
    res["stable_x86_64"] = res["archs"]["x86_64"]["stable"]

    md = render(res, quick)
    dest = os.path.join(RESULTS, "tmp") if quick else RESULTS
    os.makedirs(dest, exist_ok=True)
    with open(os.path.join(dest, "size.md"), "w") as f:
        f.write(md)
    with open(os.path.join(dest, "size.json"), "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
    print(md)
    log(f"written to {os.path.relpath(dest, ROOT)}/size.md")


def render(res, quick):
    L = []
    L.append(f"## Size ({res['date']})\n")
    L.append(f"rbox {res.get('rbox', '')}; stable tier: {res.get('rustc', '')}; tiny tier: "
             f"{res.get('nightly', '')}; BusyBox {peers.BB_VERSION} (musl builds: zig "
             f"{peers.ZIG_VERSION} cc, static).\n")
    L.append("Stripped static binaries. Bytes per applet divide the whole binary by the applet "
             "count, which flatters a 400-applet BusyBox against a small rbox; the same-set "
             "row compares whole binaries with the same applets.\n")
    L.append("| binary | x86_64 bytes | applets | bytes/applet | aarch64 bytes | applets | bytes/applet |")
    L.append("|---|---:|---:|---:|---:|---:|---:|")

    def row(label, key, nkey=None):
        cells = [label]
        for arch in ("x86_64", "aarch64"):
            r = res["archs"].get(arch, {})
            b = r.get(key)
            n = r.get(nkey) if nkey else len(r.get("applets", [])) or None
            cells += [kb(b), str(n) if n and b else "-", kb(b // n) if b and n else "-"]
        L.append("| " + " | ".join(cells) + " |")

    row("rbox stable", "stable")
    row("rbox tiny", "tiny")
    if not quick:
        row("BusyBox musl, same applets", "musl_same", "musl_same_applets")
        row("BusyBox musl, defconfig", "musl", "musl_applets")
        row("BusyBox Debian (glibc)", "debian", "debian_applets")
        L.append("")
        L.append("Ratios rbox / BusyBox (below 1.00: rbox is smaller).\n")
        L.append("| ratio | x86_64 | aarch64 |")
        L.append("|---|---:|---:|")
        for label, a, b, per in (
                ("stable / musl same-set (whole binary)", "stable", "musl_same", False),
                ("tiny / musl same-set (whole binary)", "tiny", "musl_same", False),
                ("stable / musl defconfig, bytes per applet", "stable", "musl", True),
                ("tiny / musl defconfig, bytes per applet", "tiny", "musl", True),
                ("stable / Debian, bytes per applet", "stable", "debian", True),
                ("tiny / Debian, bytes per applet", "tiny", "debian", True)):
            cells = [label]
            for arch in ("x86_64", "aarch64"):
                r = res["archs"].get(arch, {})
                x, y = r.get(a), r.get(b)
                if per and x and y:
                    x, y = x / len(r["applets"]), y / r[b + "_applets"]
                cells.append(ratio(x, y))
            L.append("| " + " | ".join(cells) + " |")
    if res.get("sets"):
        L.append("")
        L.append(sets_section(res["sets"], res["date"], res.get("rbox", "")))
    L.append("")
    L.append("### What each part costs (x86_64)\n")
    L.append("| part | bytes |")
    L.append("|---|---:|")
    for k, v in res["parts"].items():
        L.append(f"| {k} | {kb(v)} |")
    for g, (n, b) in res.get("groups", {}).items():
        L.append(f"| group {g} ({n} applets), over the core | {kb(b)} |")
    L.append("")
    L.append("By symbol, in the full stable x86_64 binary (functions and named data; LTO "
             "inlines across these lines, so these are estimates):\n")
    L.append("| owner | stable | tiny |")
    L.append("|---|---:|---:|")
    owners, tiny = res["owners"], res.get("owners_tiny", {})
    for k in sorted(set(owners) | set(tiny), key=lambda k: (-owners.get(k, 0), k)):
        L.append(f"| {k} | {kb(owners.get(k, 0))} | {kb(tiny.get(k, 0)) if tiny else '-'} |")
    rest = res["stable_x86_64"] - sum(owners.values())
    trest = res["tiny_x86_64"] - sum(tiny.values()) if tiny else None
    L.append(f"| unattributed (headers, strings, tables, unwind info) | {kb(rest)} | {kb(trest)} |")
    L.append("")
    return "\n".join(L) + "\n"


# ------------------------------------------------------------- the budget

def read_budget():
    b = {}
    for ln in open(BUDGET):
        ln = ln.split("#", 1)[0].split()
        if len(ln) == 2:
            b[ln[0]] = int(ln[1])
    return b


def check():
    b = read_budget()
    bad = False
    stable = build_tier("x86_64", "stable")
    n = len(rbox_list(stable))
    figures = [("stable-x86_64", stable), ("tiny-x86_64", build_tier("x86_64", "tiny"))]
    if b.get("applets") is not None and n != b["applets"]:
        log(f"size-check: rbox has {n} applets, the budget was set for {b['applets']}")
    for key, path in figures:
        if key not in b:
            continue
        if path is None:
            print(f"{key}: no toolchain for this tier here; not checked")
            continue
        got, lim = size_of(path), b[key]
        if got > lim:
            bad = True
            print(f"{key}: {got:,} bytes, over the budget of {lim:,} by {got - lim:,}: "
                  f"shrink it, or raise {key} in size-budget.txt in the commit that adds the "
                  f"applets that earn it (say why in its message)")
        else:
            slack = lim - got
            note = " (the budget may be lowered)" if slack > lim * 0.03 else ""
            print(f"{key}: {got:,} bytes, budget {lim:,}, {slack:,} to spare{note}")
    if bad:
        sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["report", "check", "sets"])
    ap.add_argument("--arch", default="x86_64,aarch64")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--write", action="store_true", help="sets: also into results/size.md")
    a = ap.parse_args()
    if a.cmd == "check":
        check()
    elif a.cmd == "sets":
        rows = same_sets()
        print(render_sets(rows))
        if a.write:
            write_sets(rows)
    else:
        archs = ["x86_64"] if a.quick else a.arch.split(",")
        report(archs, a.quick)


if __name__ == "__main__":
    main()
