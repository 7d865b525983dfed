#!/usr/bin/env python3
"""Whole-process benchmarks: rbox against BusyBox (musl, the peer to beat, and Debian's
static glibc build) and GNU, same inputs, same machine, interleaved.

  bench.py [--arch x86_64|aarch64] [--quick] [--only NAME,...]

For every workload in WORKLOADS whose applets rbox has: the median wall time (hyperfine,
runs interleaved in rounds), peak memory (max RSS from /usr/bin/time) and, for start-up
and small workloads, instruction counts (callgrind on x86_64; on aarch64, qemu's own
one-instruction-per-block trace). Writes results/bench-ARCH.md, .svg and .json (QUICK=1 or
--quick: small inputs and few runs; and --only: into results/tmp/), and updates README.md's
figures after a full x86_64 run. A full run (also with --only) writes each row into results/
as it is measured, keeping earlier runs' rows for the rest, so it can be done area by area or
resumed (--resume skips rows already measured at this rbox revision).
"""

import argparse
import datetime
import json
import math
import os
import random
import re
import shlex
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402
from common import (RESULTS, ROOT, TARGET, apt_install, cargo_build, ensure_target,  # noqa: E402
                    ensure_tiny_toolchain, log, out, rbox_list, run)

# ------------------------------------------------------------------------------------------
# The workloads, one line each: (name, kind, command).
#   {APPLET}        the tool under test run as APPLET: a link named APPLET to rbox or BusyBox,
#                   or GNU's /usr/bin/APPLET (a workload rbox has no applet for is skipped)
#   {rbox}          the multicall binary itself (`busybox` for the peers; GNU has none)
#   {in:KIND:SIZE}  a generated input (KIND: words numbers csv long mixed binary; SIZE
#                   like 100m or 1g, scaled down by --quick); {bytes:SIZE} the same number;
#                   {tree:N} a directory tree of N files (like 100k; for ls -R, find, du);
#                   {count:N} the number N, scaled down as the inputs are (seq's count)
#   kind "start":   start-up and small workloads: many runs, and instruction counts
#   kind "big":     throughput: few runs
# Only the tool under test differs between the commands compared; helpers such as the
# other end of a pipe are GNU's and the same for every tool.
WORKLOADS = [
    ("true", "start", "{true}"),
    ("echo hi", "start", "{echo} hi"),
    ("basename /a/b", "start", "{basename} /a/b"),
    ("--list", "start", "{rbox} --list"),
    ("env", "start", "{env}"),
    ("uname -a", "start", "{uname} -a"),
    ("test a = a", "start", "{test} abc = abc"),
    ("test -f FILE", "start", "{test} -f /etc/passwd"),
    ("[ -d DIR ]", "start", "{[} -d /etc ]"),
    ("cat 1G >/dev/null", "big", "{cat} {in:mixed:1g} >/dev/null"),
    ("cat 1G | pipe", "big", "{cat} {in:mixed:1g} | /usr/bin/cat >/dev/null"),
    ("pipe | cat 1G", "big", "/usr/bin/cat {in:mixed:1g} | {cat} >/dev/null"),
    ("cat -n words", "big", "{cat} -n {in:words:100m} >/dev/null"),
    ("cat -v binary", "big", "{cat} -v {in:binary:100m} >/dev/null"),
    ("yes | head -c 1G", "big", "{yes} | /usr/bin/head -c {bytes:1g} >/dev/null"),
]


def _more_workloads():
    """Each applet wave keeps its rows in scripts/workloads/AREA.tsv (name, kind, command,
    tab-separated, and an optional prepare command; `#` comments), so waves written side
    by side never edit one list."""
    d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "workloads")
    rows = []
    for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        if not f.endswith(".tsv"):
            continue
        with open(os.path.join(d, f)) as fh:
            for line in fh:
                line = line.rstrip("\n")
                if line.strip() and not line.startswith("#"):
                    f4 = line.split("\t", 3)
                    rows.append((f4[0], f4[1], f4[2], f4[3] if len(f4) > 3 else ""))
    return rows


WORKLOADS = [(*w, "") for w in WORKLOADS] + _more_workloads()

RUNS = {  # (rounds, runs per round, warm-up runs) by kind and mode
    ("start", "full"): (5, 100, 20), ("big", "full"): (3, 1, 0),  # measure_row's probe run is the warm-up
    ("start", "quick"): (2, 15, 3), ("big", "quick"): (1, 3, 1),
    ("start", "emu"): (3, 30, 5), ("big", "emu"): (2, 2, 1),
}
QUICK_SIZE = {"1g": "16m", "100m": "4m", "10m": "1m", "100k": "2k", "10k": "1k"}
# Under qemu, BusyBox's small writes make 1 GB workloads take minutes per run.
EMU_SIZE = {"1g": "256m"}
BENCH = os.path.join(TARGET, "bench")
INPUTS = os.path.join(BENCH, "inputs")
SCRATCH = os.path.join(BENCH, "tmp")


def nbytes(s):
    m = re.fullmatch(r"(\d+)([kmg]?)", s.lower())
    if not m:
        raise SystemExit(f"bad size {s}")
    return int(m.group(1)) * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[m.group(2)]


# ------------------------------------------------------------------------------ inputs

WORDS = ("the of and to in is was for on that with as by at from his it an were are which "
         "this be or has had not first one their its new after but who they have her she two "
         "been other when there all during into school time may years more most only over "
         "city some world would where later up such used many can state about national out "
         "known university united then made season also people between rbox busybox kernel "
         "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor").split()


def gen_block(kind, rng, size):
    """About `size` bytes of one kind of text (or binary), from a seeded generator."""
    if kind == "binary":
        return rng.randbytes(size)
    parts, n = [], 0
    while n < size:
        if kind == "words":
            k = rng.randint(0, 18)
            s = " ".join(rng.choices(WORDS, k=k)) + "\n"
        elif kind == "numbers":
            s = "\n".join(str(rng.randint(-10**9, 10**12)) if rng.random() < 0.8 else
                          f"{rng.uniform(-1e6, 1e6):.6f}" for _ in range(64)) + "\n"
        elif kind == "csv":
            s = "".join(f"{rng.randint(1, 10**7)},{rng.choice(WORDS)} {rng.choice(WORDS)},"
                        f"{rng.uniform(0, 1000):.2f},\"{rng.choice(WORDS)}, {rng.choice(WORDS)}\","
                        f"{rng.randint(1990, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n"
                        for _ in range(32))
        elif kind == "long":
            s = " ".join(rng.choices(WORDS, k=rng.randint(1000, 20000))) + "\n"
        else:
            raise SystemExit(f"unknown input kind {kind}")
        parts.append(s)
        n += len(s)
    return "".join(parts).encode()


def input_file(kind, size):
    """The path of a generated input, made once (seeded: the same bytes on every machine)."""
    n = nbytes(size)
    path = os.path.join(INPUTS, f"{kind}-{size}")
    if os.path.exists(path) and os.path.getsize(path) == n:
        return path
    os.makedirs(INPUTS, exist_ok=True)
    log(f"generating input {kind} {size}")
    tmp = path + ".tmp"
    block = 8 << 20
    with open(tmp, "wb") as f:
        done, i = 0, 0
        while done < n:
            # mixed: words, numbers, csv and long lines in turns, each block its own seed.
            k = kind if kind != "mixed" else ("words", "numbers", "csv", "long")[i % 4]
            rng = random.Random(f"rbox-{kind}-{i}")
            b = gen_block(k, rng, min(block, n - done))[: n - done]
            f.write(b)
            done += len(b)
            i += 1
    os.replace(tmp, path)
    return path


def input_tree(count):
    """A directory tree of `count` files (seeded): directories up to 4 deep, 2-20 entries
    each, files of 0-4 KiB, a few symlinks. Made once."""
    n = nbytes(count)
    root = os.path.join(INPUTS, f"tree-{count}")
    if os.path.exists(os.path.join(root, ".done")):
        return root
    log(f"generating tree of {n} files")
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(f"rbox-tree-{count}")
    made, dirs = 0, [root]
    os.makedirs(root)
    while made < n:
        d = dirs[rng.randrange(len(dirs))]
        if d.count(os.sep) - root.count(os.sep) < 4 and rng.random() < 0.08:
            sub = os.path.join(d, f"d{len(dirs)}")
            os.mkdir(sub)
            dirs.append(sub)
            continue
        f = os.path.join(d, f"{rng.choice(WORDS)}-{made}{rng.choice(['', '.txt', '.c', '.log'])}")
        if made % 97 == 0 and made:
            os.symlink(f"../f{made - 1}", f)
        else:
            with open(f, "wb") as fh:
                fh.write(rng.randbytes(rng.randint(0, 4096)))
        made += 1
    open(os.path.join(root, ".done"), "w").close()
    return root


# ------------------------------------------------------------------------------ tools

class Tool:
    """One program set under test: rbox, a BusyBox, or GNU."""

    def __init__(self, key, label, binary=None, runner=(), applets=None, gnu=False, arch=""):
        self.key, self.label, self.binary, self.runner = key, label, binary, list(runner)
        self.gnu = gnu
        self.applets = set(applets or [])
        self.links = os.path.join(BENCH, "links", arch, key)
        if binary:
            # A link per applet, named as the applet, as the binary is installed.
            shutil.rmtree(self.links, ignore_errors=True)
            os.makedirs(self.links)
            for a in self.applets:
                os.symlink(os.path.abspath(binary), os.path.join(self.links, a))

    def path(self, applet):
        if applet == "rbox":
            return self.binary
        if self.gnu:
            for d in ("/usr/bin", "/bin"):
                p = os.path.join(d, applet)
                if os.path.exists(p) and "busybox" not in os.path.realpath(p):
                    return p
            return None
        return os.path.join(self.links, applet) if applet in self.applets else None


def scale(size, mode):
    return {"quick": QUICK_SIZE, "emu": EMU_SIZE}.get(mode, {}).get(size, size)


def expand(template, tool, mode, wrap=""):
    """The shell command for `tool`, or None when it lacks an applet the workload needs.
    `wrap` goes in front of the tool under test (for /usr/bin/time, valgrind)."""
    missing = False

    def sub(m):
        nonlocal missing
        body = m.group(1)
        if body == "tmp":
            os.makedirs(SCRATCH, exist_ok=True)
            return SCRATCH
        if body.startswith("count:"):
            # A plain number (seq's count), scaled down as the inputs are.
            n = int(body.split(":")[1])
            return str({"quick": n // 25, "emu": n // 4}.get(mode, n))
        if body.startswith(("in:", "bytes:", "tree:")):
            parts = body.split(":")
            size = scale(parts[-1], mode)
            if parts[0] == "bytes":
                return str(nbytes(size))
            if parts[0] == "tree":
                return input_tree(size)
            return input_file(parts[1], size)
        p = tool.path(body)
        if p is None:
            missing = True
            return ""
        return " ".join([wrap, *map(shlex.quote, tool.runner), shlex.quote(p)]).strip()

    cmd = re.sub(r"\{([^{}]+)\}", sub, template)
    return None if missing else cmd


def tool_applets(template):
    return [m for m in re.findall(r"\{([^{}:]+)\}", template) if m != "tmp"]


def needs_shell(cmd):
    return any(c in cmd for c in "|<>&;")


# ------------------------------------------------------------------------------ measuring

def hyperfine(cmds, kind, mode, prep=""):
    """Median seconds per command, runs interleaved: several hyperfine rounds over all."""
    rounds, runs, warm = RUNS[(kind, mode)]
    if not cmds:
        return []
    times = [[] for _ in cmds]
    shell = bool(prep) or any(needs_shell(c) for c in cmds)
    for r in range(rounds):
        with tempfile.NamedTemporaryFile(suffix=".json") as js:
            args = ["hyperfine", "--style", "none", "--runs", str(runs), "--export-json", js.name]
            # Big workloads warm the page cache once; after that a warm-up run is only time spent.
            later = 0 if kind == "big" else max(1, warm // 4)
            args += ["--warmup", str(warm if r == 0 else later)]
            if not shell:
                args.append("-N")
            if prep:
                args += ["--prepare", prep]
            # Rotate the order each round so no tool always runs first.
            order = list(range(len(cmds)))
            order = order[r % len(order):] + order[: r % len(order)]
            run(args + [cmds[i] for i in order], capture=True)
            data = json.load(open(js.name))
            for i, res in zip(order, data["results"]):
                times[i] += res["times"]
    return [statistics.median(t) for t in times]


def max_rss(cmd, reps, prep=""):
    """Peak resident memory in KiB of the tool under test: the smallest of reps runs (the
    same binary reads 440 or 488 KiB from run to run, as the kernel maps file pages around
    a fault in blocks; the smallest is the figure that repeats)."""
    vals = []
    for _ in range(reps):
        with tempfile.NamedTemporaryFile() as f:
            c = cmd.replace("@RSS@", f.name)
            if prep:
                run(["sh", "-c", prep], capture=True)
            run(["sh", "-c", c], capture=True)
            txt = open(f.name).read().split()
            if txt:
                vals.append(int(txt[-1]))
    return min(vals) if vals else None


def instructions_callgrind(cmd):
    with tempfile.NamedTemporaryFile() as f:
        c = cmd.replace("@LOG@", f.name)
        run(["sh", "-c", c], capture=True)
        m = re.search(r"Collected : (\d+)", open(f.name).read())
        return int(m.group(1)) if m else None


def instructions_qemu(cmd):
    """Instructions an aarch64 program executes, counted by qemu: with one instruction per
    translated block and no block chaining, the exec log has one line per instruction."""
    with tempfile.NamedTemporaryFile() as f:
        c = cmd.replace("@LOG@", f.name)
        run(["sh", "-c", c], capture=True)
        n = 0
        with open(f.name, "rb") as fh:
            for ln in fh:
                if ln.startswith(b"Trace "):
                    n += 1
        return n


# ------------------------------------------------------------------------------ setup

def setup_tools(arch, quick, variants=True):
    apt_install(["hyperfine", "valgrind", "time", "qemu-user-static", "busybox-static"])
    ensure_target(arch)
    emu = ["qemu-aarch64-static"] if arch == "aarch64" else []
    rbox = cargo_build(arch, "stable")
    apps = rbox_list(rbox, emu)
    tools = [Tool("rbox", "rbox", rbox, emu, apps, arch=arch)]
    m = peers.musl(arch)
    tools.append(Tool("musl", "BusyBox musl", m, emu, peers.bb_list(arch, m), arch=arch))
    d = peers.debian(arch)
    tools.append(Tool("debian", "BusyBox Debian", d, emu, peers.bb_list(arch, d), arch=arch))
    if arch == "x86_64":
        tools.append(Tool("gnu", "GNU", gnu=True))
    extra = []  # start-up variants, instruction counts only
    if not variants:
        return tools, extra, apps
    pie = cargo_build(arch, "pie", None, os.path.join(TARGET, "pie"))
    with open(pie, "rb") as f:
        is_pie = f.read(18)[16] == 3  # e_type ET_DYN (aarch64 musl gives no static-PIE)
    if is_pie:
        extra.append(Tool("rbox-pie", "rbox static-PIE", pie, emu, apps, arch=arch))
    if ensure_tiny_toolchain(arch):
        tiny = cargo_build(arch, "tiny")
        extra.append(Tool("rbox-tiny", "rbox tiny", tiny, emu, apps, arch=arch))
    return tools, extra, apps


def versions(arch, tools):
    v = {}
    v["rbox"] = (out(["git", "-C", ROOT, "describe", "--always", "--dirty"], check=False).strip()
                 or "unknown")
    dv = out(["dpkg-query", "-W", "-f=${Version}", "busybox-static"], check=False).strip()
    v["BusyBox Debian"] = f"busybox-static {dv} ({'arm64' if arch == 'aarch64' else 'amd64'})"
    v["BusyBox musl"] = (f"{peers.BB_VERSION} from Debian's source package, zig "
                         f"{peers.ZIG_VERSION} cc, musl, static, defconfig without tc")
    if arch == "x86_64":
        v["GNU"] = out(["/usr/bin/cat", "--version"], check=False).splitlines()[0]
    else:
        v["qemu"] = out(["qemu-aarch64-static", "--version"], check=False).splitlines()[0]
    v["hyperfine"] = out(["hyperfine", "--version"], check=False).strip()
    v["valgrind"] = out(["valgrind", "--version"], check=False).strip()
    v["rustc"] = out(["rustc", "--version"], check=False).strip()
    return v


def machine():
    model = "unknown"
    for ln in open("/proc/cpuinfo"):
        if ln.startswith("model name"):
            model = ln.split(":", 1)[1].strip()
            break
    return {"nproc": os.cpu_count(), "cpu": model, "kernel": os.uname().release,
            "arch": os.uname().machine}


# ------------------------------------------------------------------------------ main

def previous(arch):
    """The rows of the last full run in results/, by name (they are kept for rows this run
    does not measure, so a full run may be done area by area, or resumed)."""
    try:
        with open(os.path.join(RESULTS, f"bench-{arch}.json")) as f:
            old = json.load(f)
    except (OSError, ValueError):
        return {}, {}
    if old.get("quick"):
        return {}, {}
    for w in old.get("workloads", []):
        w.setdefault("date", old.get("date"))
        w.setdefault("rev", old.get("versions", {}).get("rbox"))
    return {w["name"]: w for w in old.get("workloads", [])}, old.get("size") or {}


def merged(res, prev, prev_size):
    """res with the earlier rows this run has not (yet) measured, in WORKLOADS order."""
    now = {w["name"]: w for w in res["workloads"]}
    rows, kept = [], []
    for name, *_ in WORKLOADS:
        if name in now:
            rows.append(now[name])
        elif name in prev:
            rows.append(prev[name])
            kept.append((name, prev[name].get("date"), prev[name].get("rev")))
    return dict(res, workloads=rows, kept=kept, size=res["size"] or prev_size)


# A quick emulated run (CI) keeps the start-up rows and these big ones: one per engine
# (codec, awk, regex, sort, tree walk). All of them under qemu took CI 20 minutes; the
# quick x86_64 run still measures every row.
QUICK_EMU_BIG = {"gunzip -c words 100M", "gzip -c words 100M", "awk field sum",
                 "grep -c -E 'ab+c'", "sed s/a/b/g", "sort", "wc -l", "tar cf tree", "find"}


def bench(arch, quick, only, resume=False):
    mode = "quick" if quick else ("emu" if arch == "aarch64" else "full")
    prev, prev_size = ({}, {}) if quick else previous(arch)
    # The static-PIE and tiny builds only count start-up instructions: a run of big rows
    # alone does without them, and so does a quick run (CI: each is a whole LTO build, the
    # aarch64 tiny one with std rebuilt, and CI checks `make tiny` on its own).
    starts = not quick and any(k == "start" for n, k, *_ in WORKLOADS if not only or n in only)
    tools, extra, apps = setup_tools(arch, quick, starts)
    res = {"date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), "arch": arch,
           "quick": quick, "partial": bool(only), "mode": mode,
           "scaled": {"quick": QUICK_SIZE, "emu": EMU_SIZE}.get(mode, {}),
           "machine": machine(), "versions": versions(arch, tools),
           "tools": [t.label for t in tools], "extra": [t.label for t in extra],
           "musl_label": tools[1].label, "workloads": [], "pending": [], "size": {}}
    for name, kind, tmpl, prep in WORKLOADS:
        if only and name not in only:
            continue
        if quick and arch == "aarch64" and not only and kind != "start" \
                and name not in QUICK_EMU_BIG:
            continue
        # The procps rows start their sleepers and walk /proc under qemu: 3.5 of a quick
        # emulated run's 6 minutes for what the x86_64 quick run already checks.
        if quick and arch == "aarch64" and not only and "{procs:" in tmpl:
            continue
        lacking = [a for a in tool_applets(tmpl) if tools[0].path(a) is None]
        if lacking:
            res["pending"].append((name, lacking))
            continue
        if resume and prev.get(name, {}).get("rev") == res["versions"].get("rbox"):
            continue
        log(f"{name}")
        try:
            w = measure(name, kind, tmpl, prep, tools, extra, arch, mode, quick)
        except SystemExit as e:
            # A row whose command fails for some tool is reported, not fatal: the others
            # are still measured (results list it under "failed").
            log(f"workload {name!r} failed: {e}")
            res.setdefault("failed", []).append((name, str(e)[:300]))
            continue
        w["date"], w["rev"] = res["date"], res["versions"].get("rbox")
        res["workloads"].append(w)
        if not quick:
            # Each row lands as it is measured: an interrupted run keeps what it did.
            write(merged(res, prev, prev_size), final=False)
    # Sizes need the tiny and same-set BusyBox builds: a partial run keeps the last ones, and
    # a quick run has none (`make size-check` is CI's size gate).
    res["size"] = {} if only or quick else sizes(arch, tools, apps)
    write(res if quick else merged(res, prev, prev_size))
    if res.get("failed"):
        log("failed workloads: " + ", ".join(n for n, _ in res["failed"]))


def measure(name, kind, tmpl, prep, tools, extra, arch, mode, quick):
    """One workload's times, peak memory and (start-up rows) instruction counts."""
    m = re.search(r"\{procs:(\d+)\}", tmpl)
    if not m:
        return measure_row(name, kind, tmpl, prep, tools, extra, arch, mode, quick)
    n = int(m.group(1)) // (10 if quick else 1)
    import subprocess
    kids = [subprocess.Popen(["/usr/bin/sleep", "100000"], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(n)]
    try:
        return measure_row(name, kind, tmpl.replace(m.group(0), "").strip(), prep, tools,
                           extra, arch, mode, quick)
    finally:
        for k in kids:
            k.kill()
        for k in kids:
            k.wait()


SLOW = 120


def probe(cmd, prep):
    """Runs cmd once (after prep); False when it takes longer than SLOW seconds."""
    import subprocess
    if prep:
        run(prep, check=False)
    p = subprocess.Popen(["sh", "-c", cmd], stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        p.wait(timeout=SLOW)
        return True
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, 9)
        p.wait()
        return False


def measure_row(name, kind, tmpl, prep, tools, extra, arch, mode, quick):
    cmds = [expand(tmpl, t, mode) for t in tools]
    # The prepare step uses only GNU tools and placeholders: expanded for any tool alike.
    prep = prep and expand(prep, tools[0], mode)
    live = [i for i, c in enumerate(cmds) if c]
    w = {"name": name, "kind": kind, "cmd": tmpl, "time": {}, "rss": {}, "insn": {}}
    if kind == "big" and mode == "full":
        # One probe run per tool first (it warms the page cache too): a tool that takes
        # longer than SLOW seconds is stopped there and shown as "> SLOW s", since repeating
        # it (BusyBox's diff -u of 100 MB runs for over 12 minutes) would stall the run.
        for i in list(live):
            if not probe(cmds[i], prep):
                live.remove(i)
                w.setdefault("slow", {})[tools[i].label] = SLOW
    med = hyperfine([cmds[i] for i in live], kind, mode, prep)
    for i, m in zip(live, med):
        w["time"][tools[i].label] = m
    # A big workload's peak memory hardly varies from run to run: one run is enough.
    reps = 1 if quick or kind == "big" else 7
    for t in tools:
        c = expand(tmpl, t, mode, "/usr/bin/time -f %M -o @RSS@")
        if c and t.label not in w.get("slow", {}):
            w["rss"][t.label] = max_rss(c, reps, prep)
    if kind == "start":
        pre = f"{prep}; " if prep else ""
        for t in tools + extra:
            if arch == "x86_64":
                c = expand(tmpl, t, mode, "valgrind --tool=callgrind "
                           "--callgrind-out-file=/dev/null --log-file=@LOG@")
                c = c and "env -i " + c
                w["insn"][t.label] = c and instructions_callgrind(pre + c)
            else:
                c = expand(tmpl, t, mode)
                if c:
                    c = "env -i " + c.replace(
                        "qemu-aarch64-static", "qemu-aarch64-static -singlestep "
                        "-d exec,nochain -D @LOG@", 1)
                    w["insn"][t.label] = instructions_qemu(pre + c)
    return w


def sizes(arch, tools, apps):
    s = {"rbox stable": os.path.getsize(tools[0].binary), "applets": len(apps)}
    if ensure_tiny_toolchain(arch):
        s["rbox tiny"] = os.path.getsize(cargo_build(arch, "tiny"))
    ms = peers.musl_same(arch, apps)
    s["musl same-set"] = os.path.getsize(ms)
    s["musl"] = os.path.getsize(tools[1].binary)
    s["musl applets"] = len(tools[1].applets)
    s["debian"] = os.path.getsize(tools[2].binary)
    s["debian applets"] = len(tools[2].applets)
    return s


# ------------------------------------------------------------------------------ output

def fmt_time(s):
    if s is None:
        return "-"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms" if s < 0.1 else f"{s * 1e3:.0f} ms"
    return f"{s:.2f} s"


def fmt_int(n):
    return "-" if n is None else f"{n:,}"


def rat(a, b):
    return a / b if a and b else None


def num_rat(r):
    return f"{r:.2f}" if r >= 0.1 else f"{r:.2g}"


def fmt_rat(r):
    return "-" if r is None else f"**{r:.2f}**" if r > 1.05 else num_rat(r)


def ratio_rows(res):
    """(label, metric, rbox/musl, rbox/Debian) for the chart."""
    rows = []
    m, d = res["musl_label"], "BusyBox Debian"
    for w in res["workloads"]:
        for metric in ("time", "rss", "insn"):
            v = w[metric]
            r = v.get("rbox")
            if r:
                rows.append((w["name"], metric, rat(r, v.get(m)), rat(r, v.get(d))))
    s = res["size"]
    if s:
        n = s["applets"]
        for tier in ("rbox stable", "rbox tiny"):
            if s.get(tier):
                rows.append((f"{tier.split()[1]}, same applets", "size",
                             rat(s[tier], s["musl same-set"]), None))
                rows.append((f"{tier.split()[1]}, bytes/applet", "size",
                             rat(s[tier] / n, s["musl"] / s["musl applets"]),
                             rat(s[tier] / n, s["debian"] / s["debian applets"])))
    return rows


def write(res, final=True):
    arch, quick = res["arch"], res["quick"]
    dest = os.path.join(RESULTS, "tmp") if quick else RESULTS
    os.makedirs(dest, exist_ok=True)
    base = os.path.join(dest, f"bench-{arch}")
    with open(base + ".json", "w") as f:
        json.dump(res, f, indent=1)
    svg = chart(res)
    with open(base + ".svg", "w") as f:
        f.write(svg)
    md = markdown(res, os.path.basename(base) + ".svg")
    with open(base + ".md", "w") as f:
        f.write(md)
    if not final:
        return
    print(md)
    log(f"written: {os.path.relpath(base, ROOT)}.md, .svg, .json")
    if not quick and arch == "x86_64":
        update_readme(res)


def markdown(res, svg_name):
    arch, mach, v = res["arch"], res["machine"], res["versions"]
    tools = res["tools"]
    m, d = res["musl_label"], "BusyBox Debian"
    L = [f"# rbox benchmarks, {arch} ({res['date']}{', QUICK' if res['quick'] else ''})", ""]
    if arch == "aarch64":
        L += ["**Emulated**: every binary runs under qemu-aarch64-static on an x86_64 host. "
              "Wall times and memory include the emulator and are a rough proxy at best; the "
              "instruction counts (qemu counting each guest instruction) are the figures to "
              "lean on.", ""]
    L += [f"Machine: {mach['nproc']} × {mach['cpu']}, Linux {mach['kernel']} ({mach['arch']}).",
          "", "Compared:", ""]
    L += [f"- {k}: {val}" for k, val in v.items()]
    L += ["", f"![rbox / BusyBox ratios]({svg_name})", "",
          "Ratios are rbox / peer: below 1.00 rbox is faster, smaller or uses less; above "
          "1.05 in **bold**.", ""]
    L += ["## Time (median wall clock)", ""]
    hdr = ["workload"] + tools + [f"rbox / {m}", "rbox / Debian"] + (["rbox / GNU"] if "GNU" in tools else [])
    L += ["| " + " | ".join(hdr) + " |", "|---" + "|---:" * (len(hdr) - 1) + "|"]
    for w in res["workloads"]:
        t, slow = w["time"], w.get("slow", {})

        def cell(x):
            return f"> {fmt_time(slow[x])}" if x in slow else fmt_time(t.get(x))

        def ratio(x):
            r = t.get("rbox")
            return f"< {num_rat(r / slow[x])}" if x in slow and r else fmt_rat(rat(r, t.get(x)))
        row = [code(w['name'])] + [cell(x) for x in tools]
        row += [ratio(m), ratio(d)]
        if "GNU" in tools:
            row.append(ratio("GNU"))
        L.append("| " + " | ".join(row) + " |")
    L += ["", "## Peak memory (max RSS, KiB)", ""]
    hdr = ["workload"] + tools + [f"rbox / {m}", "rbox / Debian"]
    L += ["| " + " | ".join(hdr) + " |", "|---" + "|---:" * (len(hdr) - 1) + "|"]
    for w in res["workloads"]:
        r = w["rss"]
        row = [code(w['name'])] + [fmt_int(r.get(x)) for x in tools]
        row += [fmt_rat(rat(r.get("rbox"), r.get(m))), fmt_rat(rat(r.get("rbox"), r.get(d)))]
        L.append("| " + " | ".join(row) + " |")
    how = ("valgrind --tool=callgrind, under env -i" if arch == "x86_64"
           else "qemu-aarch64-static -singlestep -d exec,nochain, under env -i")
    L += ["", f"## Instructions executed ({how})", ""]
    cols = tools + res["extra"]
    hdr = ["workload"] + cols + [f"rbox / {m}", "rbox / Debian"]
    L += ["| " + " | ".join(hdr) + " |", "|---" + "|---:" * (len(hdr) - 1) + "|"]
    for w in res["workloads"]:
        if not w["insn"]:
            continue
        n = w["insn"]
        row = [code(w['name'])] + [fmt_int(n.get(x)) for x in cols]
        row += [fmt_rat(rat(n.get("rbox"), n.get(m))), fmt_rat(rat(n.get("rbox"), n.get(d)))]
        L.append("| " + " | ".join(row) + " |")
    s = res["size"]
    if s:
        n = s["applets"]
        L += ["", "## Size (stripped bytes)", "",
              "| binary | bytes | applets | bytes/applet |", "|---|---:|---:|---:|"]
        for label, b, k in (("rbox stable", s.get("rbox stable"), n),
                            ("rbox tiny", s.get("rbox tiny"), n),
                            ("BusyBox musl, same applets", s["musl same-set"], n),
                            ("BusyBox musl, defconfig", s["musl"], s["musl applets"]),
                            ("BusyBox Debian", s["debian"], s["debian applets"])):
            if b:
                L.append(f"| {label} | {b:,} | {k} | {b // k:,} |")
        L += ["", "`make size` breaks these down by part (results/size.md)."]
    L += ["", "## Workloads", "", "| workload | command |", "|---|---|"]
    for w in res["workloads"]:
        L.append(f"| {code(w['name'])} | {code(w['cmd'])} |")
    if res.get("kept"):
        L += ["", "Rows kept from earlier runs (date, rbox revision): " +
              ", ".join(f"`{n}` ({d}, {r})" for n, d, r in res["kept"]) + "."]
    if res["pending"]:
        L += ["", "Not measured yet (rbox has no such applet): " +
              ", ".join(f"`{n}` ({' '.join(a)})" for n, a in res["pending"]) + "."]
    if res.get("failed"):
        L += ["", "Failed (a command exited non-zero for some tool; fix the row): " +
              ", ".join(f"`{n}`" for n, _ in res["failed"]) + "."]
    mode = res.get("mode", "full")
    runs = ", ".join(f"{k}: {RUNS[(k, mode)][0]} rounds of {RUNS[(k, mode)][1]} runs per tool"
                     for k in ("start", "big"))
    L += ["", f"Runs ({mode}): {runs}, after warm-up runs."]
    if res.get("scaled"):
        L += ["", "Sizes scaled down in this run: " +
              ", ".join(f"{k} → {v}" for k, v in res["scaled"].items()) + "."]
    L += ["", "Inputs are generated by scripts/bench.py from fixed seeds (words, numbers, CSV, "
          "long lines, and random bytes; `mixed` cycles through the four text kinds in 8 MiB "
          "blocks). Timings: hyperfine, the tools' runs interleaved in rounds with the order "
          "rotated; memory: `/usr/bin/time -f %M` around the tool alone (not the other end of "
          "a pipe), the smallest of 7 runs (one run for big workloads). A tool whose first run "
          f"of a big workload takes over {SLOW} s is stopped there and shown as `> {SLOW}.00 s`."]
    notes = os.path.join(RESULTS, "findings.md")
    if os.path.exists(notes):
        L += ["", open(notes).read().strip()]
    return "\n".join(L) + "\n"


def chart(res):
    """A diverging bar chart of rbox/BusyBox-musl ratios on a log scale, 1.0 in the middle;
    a diamond marks rbox/Debian. Panels: time, memory, instructions, size."""
    rows = ratio_rows(res)
    panels = [("time", "Wall time"), ("rss", "Peak memory"), ("insn", "Instructions"),
              ("size", "Size")]
    lo, hi = 1 / 16, 16
    W, label_w, bar_h, gap = 760, 190, 16, 6
    plot_w = W - label_w - 60
    x1 = label_w + plot_w / 2

    def xpos(r):
        r = min(max(r, lo), hi)
        return x1 + math.log(r, hi) * plot_w / 2

    parts, y = [], 58
    for key, title in panels:
        pr = [r for r in rows if r[1] == key and r[2]]
        if not pr:
            continue
        parts.append(f'<text x="10" y="{y + 12}" class="h">{title}</text>')
        y += 22
        top = y
        for name, _, rm, rd in pr:
            xa, xb = sorted((x1, xpos(rm)))
            color = "#2e8540" if rm <= 1.0 else "#c0392b"
            parts.append(f'<text x="{label_w - 8}" y="{y + 12}" text-anchor="end">{esc(name)}</text>')
            parts.append(f'<rect x="{xa:.1f}" y="{y}" width="{max(xb - xa, 1):.1f}" '
                         f'height="{bar_h}" fill="{color}"/>')
            # The value sits right of the bar when rbox is behind, else right of the 1.0 line.
            tx = xpos(rm) + 4 if rm > 1 else x1 + 4
            parts.append(f'<text x="{tx:.1f}" y="{y + 12}" class="v">{num_rat(rm)}</text>')
            if rd:
                xd = xpos(rd)
                yc = y + bar_h / 2
                parts.append(f'<path d="M{xd:.1f},{yc - 5} l5,5 l-5,5 l-5,-5 z" class="d"/>')
            y += bar_h + gap
        parts.append(f'<line x1="{x1}" y1="{top - 4}" x2="{x1}" y2="{y}" class="one"/>')
        y += 14
    ticks = []
    for t in (1 / 16, 1 / 4, 1, 4, 16):
        x = xpos(t)
        lab = f"1/{int(1 / t)}" if t < 1 else f"{int(t)}"
        ticks.append(f'<text x="{x:.1f}" y="{y + 6}" text-anchor="middle" class="v">{lab}</text>')
    H = y + 20
    title = (f"rbox / BusyBox ({res['musl_label']} bars, Debian diamonds), {res['arch']}"
             f"{' (emulated)' if res['arch'] == 'aarch64' else ''}")
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">
<style>.h{{font-weight:bold;font-size:13px}} .v{{font-size:11px;fill:#333}} .one{{stroke:#000;stroke-width:1.5}} .d{{fill:#fff;stroke:#555;stroke-width:1.2}}</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="20" class="h">{esc(title)}</text>
<text x="10" y="38" class="v">{esc(res['date'])}, {res['machine']['nproc']} × {esc(res['machine']['cpu'])}; lower is better, log scale; green: rbox ahead, red: behind</text>
{chr(10).join(parts)}
{chr(10).join(ticks)}
</svg>
"""


def code(s):
    """A code span for a markdown table cell (a `|` would end the cell, even in code)."""
    return "`" + s.replace("|", "\\|") + "`"


def esc(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def update_readme(res):
    """Puts the latest table and chart between the markers in README.md's Size and speed."""
    path = os.path.join(ROOT, "README.md")
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if not os.path.exists(path):
        return
    text = open(path).read()
    if start not in text or end not in text:
        return
    arch = res["arch"]
    m, d = res["musl_label"], "BusyBox Debian"
    L = [start, "", f"Latest run: {res['date']}, {res['machine']['nproc']} × "
         f"{res['machine']['cpu']} ({arch}); full report in "
         f"[results/bench-{arch}.md](results/bench-{arch}.md), emulated aarch64 in "
         "[results/bench-aarch64.md](results/bench-aarch64.md), sizes by part in "
         "[results/size.md](results/size.md).", "",
         f"![rbox / BusyBox ratios](results/bench-{arch}.svg)", "",
         "| workload | rbox | BusyBox musl | BusyBox Debian | time vs musl | memory vs musl "
         "| instructions vs musl |", "|---|---:|---:|---:|---:|---:|---:|"]
    for w in res["workloads"]:
        t, r, n = w["time"], w["rss"], w["insn"]
        L.append(f"| {code(w['name'])} | {fmt_time(t.get('rbox'))} | {fmt_time(t.get(m))} | "
                 f"{fmt_time(t.get(d))} | {fmt_rat(rat(t.get('rbox'), t.get(m)))} | "
                 f"{fmt_rat(rat(r.get('rbox'), r.get(m)))} | "
                 f"{fmt_rat(rat(n.get('rbox'), n.get(m)))} |")
    s = res["size"]
    if s:
        L += ["", f"Size: rbox {s['rbox stable']:,} bytes stable"
              + (f", {s['rbox tiny']:,} tiny" if s.get("rbox tiny") else "")
              + f" for {s['applets']} applets; BusyBox musl with the same applets "
              f"{s['musl same-set']:,}; full BusyBox musl {s['musl']:,} for "
              f"{s['musl applets']} applets, Debian's {s['debian']:,} for "
              f"{s['debian applets']}."]
    L += ["", end]
    new = text[: text.index(start)] + "\n".join(L) + text[text.index(end) + len(end):]
    with open(path, "w") as f:
        f.write(new)
    log("README.md updated")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", default="x86_64", choices=["x86_64", "aarch64"])
    ap.add_argument("--quick", action="store_true", default=os.environ.get("QUICK") == "1")
    ap.add_argument("--only", help="comma-separated workload names, or @FILE with one name "
                    "a line (names may hold commas)")
    ap.add_argument("--resume", action="store_true",
                    help="skip rows results/ already has from this rbox revision")
    a = ap.parse_args()
    only = None
    if a.only and a.only.startswith("@"):
        only = {n for n in open(a.only[1:]).read().splitlines() if n}
    elif a.only:
        only = set(a.only.split(","))
    bench(a.arch, a.quick, only, a.resume)


if __name__ == "__main__":
    main()
