#!/usr/bin/env python3
"""Regenerates the hot list in link/text-order.ld.

The kernel maps 64 KiB of the executable around each page a process faults in, so what a
command costs in start-up time and resident memory is the number of 64 KiB windows its code
touches. Sorted by symbol, every applet still touched the start-up and exit path (musl's
__libc_start_main, rbox's dispatch, the allocator, getopt, the output buffer) in six to
nine places spread over the text. This runs a few everyday commands under callgrind on an
unstripped build, takes the functions that at least three of them execute, and writes them
as section patterns between the markers of link/text-order.ld, so the linker puts them
side by side at the start of the text.

Rust symbols are written without their hash (`17h<hash>E`): the list stays valid while the
code changes, at the price of taking every instantiation of a generic function. A stale
pattern matches nothing and costs nothing; rerun this when the start-up path changes.

  python3 scripts/hot-text.py [--binary UNSTRIPPED_RBOX]
"""

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, TARGET, apt_install, cargo_build, log  # noqa: E402

LD = os.path.join(ROOT, "link", "text-order.ld")
BEGIN, END = "/* hot: begin (scripts/hot-text.py) */", "/* hot: end */"

# Everyday commands of different applet families; what most of them run is the common path.
COMMANDS = [
    ["true"], ["echo", "hi"], ["basename", "/a/b"], ["env"], ["uname", "-a"],
    ["test", "a", "=", "a"], ["[", "-d", "/", "]"], ["cat", "/etc/hostname"], ["ls", "/"],
    ["ls", "-l", "/"], ["sort", "/etc/hostname"], ["grep", "x", "/etc/hostname"],
    ["sed", "s/a/b/", "/etc/hostname"], ["awk", "BEGIN{}"], ["sh", "-c", "true"],
    ["sh", "-c", "echo $HOME"], ["ps"], ["find", "/etc", "-maxdepth", "1", "-name", "x"],
    ["cut", "-d:", "-f1", "/etc/hostname"], ["head", "-n1", "/etc/hostname"],
    ["tail", "-n1", "/etc/hostname"], ["wc", "-l", "/etc/hostname"], ["date"],
    ["id"], ["mkdir", "-p", "/"], ["stat", "/"], ["du", "-s", "/etc/hostname"],
    ["df", "/"], ["tr", "a", "b"], ["printf", "%s\\n", "x"], ["xargs"], ["seq", "3"],
]
MIN_RUNS = 3
# valgrind calls __libc_start_main "(below main)" and static_init_tls by its alias
# __init_tls; every command runs both.
ALWAYS = [".text.__libc_start_main", ".text.static_init_tls"]


def functions(binary, cmd):
    """The (mangled) names of the functions a command executes."""
    with tempfile.NamedTemporaryFile(suffix=".cg") as f:
        subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no",
                        f"--callgrind-out-file={f.name}", binary] + cmd,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        names = set()
        for ln in open(f.name, errors="replace"):
            m = re.match(r"c?fn=\(\d+\) (.+)$", ln.rstrip("\n"))
            if m:
                names.add(re.sub(r"'\d+$", "", m.group(1)))
        return names


def pattern(name):
    m = re.match(r"^(_ZN.*)17h[0-9a-f]{16}E$", name)
    return f".text.{m.group(1)}17h*" if m else f".text.{name}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary")
    ap.add_argument("--min-runs", type=int, default=MIN_RUNS)
    a = ap.parse_args()
    apt_install(["valgrind"])
    binary = a.binary or cargo_build(
        "x86_64", "stable", None, os.path.join(TARGET, "hot"),
        ["--config", "profile.release.strip=false"])
    count = collections.Counter()
    for cmd in COMMANDS:
        count.update(functions(binary, cmd))
    # Names callgrind invented (addresses in the unnamed .text, "(below main)") match no
    # section; plain .text is listed in the script itself.
    names = {n for n, c in count.items()
             if c >= a.min_runs and re.match(r"^[A-Za-z_.$][\w.$]*$", n)}
    hot = sorted({pattern(n) for n in names} | set(ALWAYS))
    size = {}
    for ln in subprocess.run(["nm", "-S", binary], capture_output=True, text=True).stdout.splitlines():
        p = ln.split()
        if len(p) == 4:
            size[p[3]] = int(p[1], 16)
    log(f"{len(names)} functions run by {a.min_runs} of {len(COMMANDS)} commands, "
        f"{sum(size.get(n, 0) for n in names)} bytes")
    text = open(LD).read()
    i, j = text.index(BEGIN), text.index(END)
    body = "".join(f"    *({p})\n" for p in hot)
    with open(LD, "w") as f:
        f.write(text[:i + len(BEGIN)] + "\n" + body + "    " + text[j:])
    log(f"{len(hot)} patterns written to {os.path.relpath(LD, ROOT)}")


if __name__ == "__main__":
    main()
