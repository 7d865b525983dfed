#!/usr/bin/env python3
"""The BusyBox peers rbox is measured against, fetched or built once and cached under
target/peers/ (see /work/shared/PEERS.md for why each step is the way it is):

  debian     Debian's busybox-static (1.35, static glibc), amd64 or arm64 package
  musl       BusyBox 1.35 from Debian's source package, built statically against musl with
             zig cc, from defconfig (CONFIG_TC off): how Alpine and embedded systems ship it
  musl-same  the same, with only the applets rbox has (defconfig minus every other applet),
             for comparing whole binaries of the same applet set

Usage: peers.py [--arch x86_64|aarch64] [--only debian,musl,musl-same] [--applets a,b,...]
Prints the path of each peer binary. Everything it needs is installed on first use.
"""

import argparse
import os
import re
import shutil
import sys
import tempfile

from common import PEERS, apt_install, apt_update, log, out, run

ZIG_VERSION = "0.17.1"
BB_VERSION = "1.35.0"
SRC_DIR = os.path.join(PEERS, "src")
ZIG_DIR = os.path.join(PEERS, "zig")
# Bump when the way a config is derived changes, so cached peers are rebuilt.
CONFIG_REV = 2
ZIG_TARGET = {"x86_64": "x86_64-linux-musl", "aarch64": "aarch64-linux-musl"}
# Extra CFLAGS per arch (CONFIG_EXTRA_CFLAGS; part of the cache stamp). aarch64: store
# ptr_to_globals & co out of line (patch_source), or clang's aarch64 code reads them before
# they are set and awk, top, diff, vi, less... crash at start.
EXTRA_CFLAGS = {"aarch64": "-DBB_ASSIGN_CONST_PTR_CALL"}
# Never touched by the same-set config: the multicall front end (rbox has --list,
# --install and --help too).
FRONT_END = ["BUSYBOX", "FEATURE_INSTALLER", "SHOW_USAGE", "FEATURE_VERBOSE_USAGE", "LONG_OPTS"]


def peer_path(arch, name):
    return os.path.join(PEERS, arch, name, "busybox")


# ---------------------------------------------------------------- Debian's busybox-static

def debian(arch):
    dest = peer_path(arch, "debian")
    if os.path.exists(dest):
        return dest
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    if arch == "x86_64":
        apt_install(["busybox-static"])
        shutil.copy2("/bin/busybox", dest)
        return dest
    # arm64: the package of the same release, unpacked, never installed.
    if "arm64" not in out(["dpkg", "--print-foreign-architectures"]).split():
        run(["dpkg", "--add-architecture", "arm64"])
        apt_update()
    with tempfile.TemporaryDirectory() as tmp:
        r = run(["apt-get", "download", "busybox-static:arm64"], cwd=tmp, check=False, capture=True)
        if r.returncode:
            apt_update()
            run(["apt-get", "download", "busybox-static:arm64"], cwd=tmp, capture=True)
        deb = [f for f in os.listdir(tmp) if f.endswith(".deb")][0]
        run(["dpkg", "-x", deb, "x"], cwd=tmp)
        shutil.copy2(os.path.join(tmp, "x", "bin", "busybox"), dest)
    return dest


# ---------------------------------------------------------------- the musl builds

def ensure_source():
    """Debian's busybox source package, with Debian's patches, unpacked once."""
    src = os.path.join(SRC_DIR, f"busybox-{BB_VERSION}")
    if os.path.exists(os.path.join(src, "Makefile")):
        return src
    apt_install(["dpkg-dev", "build-essential", "bzip2", "xz-utils"])
    os.makedirs(SRC_DIR, exist_ok=True)
    r = run(["apt-get", "source", "--only-source", "busybox"], cwd=SRC_DIR, check=False, capture=True)
    if r.returncode:
        add_deb_src()
        apt_update()
        run(["apt-get", "source", "--only-source", "busybox"], cwd=SRC_DIR, capture=True)
    if not os.path.exists(os.path.join(src, "Makefile")):
        raise SystemExit(f"apt-get source busybox did not give {src}")
    return src


# BusyBox 1.35 declares ptr_to_globals `*const` and, under clang, sets it with an inline
# store plus a memory barrier. clang makes the declaration LLVM `constant` memory, whose loads
# no store or barrier orders, so code may read the pointer before it is set (aarch64's does:
# NULL + offset, SIGSEGV). A call keeps the reads after it, which is how later BusyBox sets
# these pointers. No -D or flag reaches this in 1.35 (BB_GLOBAL_CONST does not cover
# ptr_to_globals, and dropping const would cost a reload after every call), hence this patch,
# inert unless BB_ASSIGN_CONST_PTR_CALL is defined (aarch64 only, EXTRA_CFLAGS).
CONST_PTR_PATCH = [
    ("include/libbb.h",
     """# define ASSIGN_CONST_PTR(pptr, v) do { \\
\t*(void**)not_const_pp(pptr) = (void*)(v); \\
\tbarrier(); \\
} while (0)
""",
     """# ifdef BB_ASSIGN_CONST_PTR_CALL
/* rbox peers.py: out of line, or clang may load the "constant" before this store */
void ASSIGN_CONST_PTR(const void *pptr, void *v) FAST_FUNC;
# else
# define ASSIGN_CONST_PTR(pptr, v) do { \\
\t*(void**)not_const_pp(pptr) = (void*)(v); \\
\tbarrier(); \\
} while (0)
# endif
"""),
    ("libbb/const_hack.c",
     """#if defined(__clang_major__) && __clang_major__ >= 9
""",
     """#if defined(__clang_major__) && __clang_major__ >= 9
# ifdef BB_ASSIGN_CONST_PTR_CALL
void FAST_FUNC ASSIGN_CONST_PTR(const void *pptr, void *v)
{
\t*(void**)not_const_pp(pptr) = v;
\tbarrier();
}
# endif
"""),
]


def patch_source(src):
    """Applies CONST_PTR_PATCH once (the source tree is cached and shared by both arches)."""
    for rel, old, new in CONST_PTR_PATCH:
        path = os.path.join(src, rel)
        text = open(path).read()
        if new in text:
            continue
        if text.count(old) != 1:
            raise SystemExit(f"{path}: the text CONST_PTR_PATCH replaces is not there once")
        with open(path, "w") as f:
            f.write(text.replace(old, new))


def add_deb_src():
    """A deb-src twin of every deb source, so `apt-get source` finds the package."""
    d = "/etc/apt/sources.list.d"
    dest = os.path.join(d, "rbox-deb-src.sources")
    if os.path.exists(dest):
        return
    stanzas = []
    for f in sorted(os.listdir(d)):
        if not f.endswith(".sources"):
            continue
        for st in open(os.path.join(d, f)).read().split("\n\n"):
            if re.search(r"^Types:.*\bdeb\b", st, re.M) and not re.search(r"^Types:.*deb-src", st, re.M):
                lines = [ln for ln in st.splitlines() if not ln.startswith("#")]
                lines = ["Types: deb-src" if ln.startswith("Types:") else ln for ln in lines]
                stanzas.append("\n".join(lines))
    legacy = "/etc/apt/sources.list"
    if os.path.exists(legacy):
        for ln in open(legacy):
            if ln.startswith("deb "):
                stanzas.append("Types: deb-src\n" + legacy_to_deb822(ln))
    if not stanzas:
        raise SystemExit("no deb source found to add a deb-src entry for")
    with open(dest, "w") as f:
        f.write("# Added by rbox's scripts/peers.py for `apt-get source busybox`\n")
        f.write("\n\n".join(stanzas) + "\n")


def legacy_to_deb822(line):
    parts = line.split()[1:]
    opts = ""
    if parts and parts[0].startswith("["):
        while not parts[0].endswith("]"):
            opts += parts.pop(0) + " "
        opts += parts.pop(0)
    m = re.search(r"signed-by=(\S+?)[\] ]", opts + " ")
    s = f"URIs: {parts[0]}\nSuites: {parts[1]}\nComponents: {' '.join(parts[2:])}"
    return s + (f"\nSigned-By: {m.group(1)}" if m else "")


def ensure_zig():
    zig = os.path.join(ZIG_DIR, "ziglang", "zig")
    if os.path.exists(zig):
        return zig
    log(f"installing zig (ziglang=={ZIG_VERSION} from PyPI) into {ZIG_DIR}")
    run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--root-user-action=ignore",
         "--target", ZIG_DIR, f"ziglang=={ZIG_VERSION}"])
    return zig


def wrapper(arch):
    """`zig cc -target ARCH-linux-musl`, minus the link flags zig's linker rejects."""
    zig = ensure_zig()
    path = os.path.join(PEERS, f"zigcc-{arch}")
    text = f"""#!/bin/sh
# zig cc for BusyBox's build: drops the flags BusyBox's link script passes and zig rejects.
for a; do
  shift
  case $a in
    -Wl,--warn-common|-Wl,--sort-common|-Wl,--sort-section=alignment|-Wl,--verbose|-Wl,-Map,*) ;;
    *) set -- "$@" "$a" ;;
  esac
done
ZIG_GLOBAL_CACHE_DIR={PEERS}/zig-cache exec {zig} cc -target {ZIG_TARGET[arch]} "$@"
"""
    if not os.path.exists(path) or open(path).read() != text:
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o755)
    return path


def config_lines(path):
    vals = {}
    for ln in open(path):
        m = re.match(r"CONFIG_(\w+)=(.*)", ln)
        if m:
            vals[m.group(1)] = m.group(2)
        m = re.match(r"# CONFIG_(\w+) is not set", ln)
        if m:
            vals[m.group(1)] = "n"
    return vals


def set_config(path, want):
    """Rewrites .config with `want` ({SYMBOL: 'y'|'n'|value}) applied."""
    lines, done = [], set()
    for ln in open(path):
        m = re.match(r"(?:# )?CONFIG_(\w+)(?:=| is not set)", ln)
        if m and m.group(1) in want:
            sym = m.group(1)
            v = want[sym]
            ln = f"# CONFIG_{sym} is not set\n" if v == "n" else f"CONFIG_{sym}={v}\n"
            done.add(sym)
        lines.append(ln)
    for sym, v in want.items():
        if sym not in done:
            lines.append(f"# CONFIG_{sym} is not set\n" if v == "n" else f"CONFIG_{sym}={v}\n")
    with open(path, "w") as f:
        f.writelines(lines)


def applet_symbols(src):
    """{CONFIG symbol: {applet names it enables}} from the `//applet:IF_X(APPLET...(name, ...`
    lines of BusyBox's sources (so `[` maps to TEST1, `[[` to TEST2, `sh` to SH_IS_ASH...)."""
    syms = {}
    for dirpath, dirs, files in os.walk(src):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # .pc: quilt's pre-patch copies
        for fn in files:
            if not fn.endswith(".c"):
                continue
            with open(os.path.join(dirpath, fn), errors="replace") as f:
                for ln in f:
                    if not ln.startswith("//applet:"):
                        continue
                    m = re.search(r"APPLET\w*\(\s*([^,\s]+)\s*,", ln)
                    # `busybox` is the front end (kept whole); IF_s inside APPLET(...)
                    # pick flags, not whether the applet exists.
                    if not m or m.group(1) == "busybox":
                        continue
                    for s in re.findall(r"\bIF_(?!NOT_)(\w+)\(", ln[:m.start()]):
                        syms.setdefault(s, set()).add(m.group(1))
    return syms


def build(arch, name, applets=None):
    """Builds BusyBox for `arch` (defconfig, or defconfig with only `applets`), cached."""
    dest = peer_path(arch, name)
    extra = EXTRA_CFLAGS.get(arch, "")
    stamp_text = f"{BB_VERSION} zig {ZIG_VERSION} {arch}" + (f" cflags {extra}" if extra else "") + (f" config-rev {CONFIG_REV}\n" if applets else "\n") + (" ".join(sorted(applets)) if applets else "defconfig")
    stamp = dest + ".stamp"
    if os.path.exists(dest) and os.path.exists(stamp) and open(stamp).read() == stamp_text:
        return dest
    src = ensure_source()
    patch_source(src)
    cc = wrapper(arch)
    bdir = os.path.join(PEERS, "build", f"{arch}-{name}")
    shutil.rmtree(bdir, ignore_errors=True)
    os.makedirs(bdir)
    mk = ["make", "-s", "-C", src, f"O={bdir}", "HOSTCC=gcc", "CROSS_COMPILE=", f"CC={cc}", "SKIP_STRIP=y"]
    log(f"building BusyBox {BB_VERSION} for {arch}-musl ({name}); about 1-2 minutes per target")
    run(mk + ["defconfig"], capture=True)
    cfg = os.path.join(bdir, ".config")
    want = {"STATIC": "y", "TC": "n"}
    if extra:
        want["EXTRA_CFLAGS"] = f'"{extra}"'
    if applets:
        syms = applet_symbols(src)
        wanted = set(applets)
        for s, names in syms.items():
            if s not in FRONT_END:
                want[s] = "y" if names & wanted else "n"
        missing = wanted - set().union(*syms.values())
        if missing:
            log(f"  BusyBox has no applet named: {' '.join(sorted(missing))}")
        # The "sh is" / "bash is" choices default to ash: make them none unless wanted.
        if want.get("SH_IS_ASH") != "y" and want.get("SH_IS_HUSH") != "y":
            want["SH_IS_NONE"] = "y"
        if want.get("BASH_IS_ASH") != "y" and want.get("BASH_IS_HUSH") != "y":
            want["BASH_IS_NONE"] = "y"
    set_config(cfg, want)
    run(f"yes '' | make -s -C {src} O={bdir} HOSTCC=gcc CROSS_COMPILE= CC={cc} oldconfig >/dev/null")
    got = config_lines(cfg)
    lost = [s for s, v in want.items() if v == "y" and got.get(s) != "y"
            and not (s.startswith(("SH_IS_", "BASH_IS_")))]
    if lost:
        log(f"  note: config symbols that did not survive oldconfig: {' '.join(lost)}")
    r = run(mk + [f"-j{os.cpu_count() or 2}"], check=False, capture=True)
    binary = os.path.join(bdir, "busybox_unstripped")
    if not os.path.exists(binary):
        log(r.stdout[-4000:], r.stderr[-4000:])
        raise SystemExit(f"BusyBox build failed for {arch} ({name}); see {bdir}")
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copy2(binary, dest)
    shutil.copy2(cfg, dest + ".config")
    with open(stamp, "w") as f:
        f.write(stamp_text)
    if applets:
        check_same(arch, dest, applets)
    return dest


def bb_list(arch, binary):
    runner = ["qemu-aarch64-static"] if arch == "aarch64" else []
    return out([*runner, binary, "--list"]).split()


def check_same(arch, binary, applets):
    have = set(bb_list(arch, binary))
    want = set(applets)
    if have != want:
        log(f"  note: the same-set BusyBox has {len(have)} applets, rbox {len(want)};"
            f" only in BusyBox: {' '.join(sorted(have - want)) or '-'};"
            f" only in rbox: {' '.join(sorted(want - have)) or '-'}")


def musl(arch):
    return build(arch, "musl")


def musl_same(arch, applets):
    return build(arch, "musl-same", applets)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--arch", default="x86_64", choices=["x86_64", "aarch64"])
    ap.add_argument("--only", default="debian,musl,musl-same")
    ap.add_argument("--applets", help="comma-separated applet set for musl-same "
                    "(default: `rbox --list` of the built x86_64 binary)")
    a = ap.parse_args()
    only = a.only.split(",")
    if "debian" in only:
        print("debian", debian(a.arch))
    if "musl" in only:
        print("musl", musl(a.arch))
    if "musl-same" in only:
        if a.applets:
            apps = a.applets.split(",")
        else:
            from common import cargo_build, rbox_list
            apps = rbox_list(cargo_build("x86_64"))
        print("musl-same", musl_same(a.arch, apps))


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
