"""Shared helpers for rbox's measuring scripts (peers.py, size.py, bench.py): paths, running
commands, installing what a fresh Debian machine lacks. Python stdlib only."""

import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "target")
PEERS = os.path.join(TARGET, "peers")
RESULTS = os.path.join(ROOT, "results")

TRIPLE = {"x86_64": "x86_64-unknown-linux-musl", "aarch64": "aarch64-unknown-linux-musl"}
DEB_ARCH = {"x86_64": "amd64", "aarch64": "arm64"}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run(cmd, check=True, capture=False, **kw):
    """Runs a command (list, or str for the shell); returns CompletedProcess."""
    shell = isinstance(cmd, str)
    r = subprocess.run(cmd, shell=shell, check=False, text=True, errors="replace",
                       stdout=subprocess.PIPE if capture else None,
                       stderr=subprocess.PIPE if capture else None, **kw)
    if check and r.returncode != 0:
        msg = cmd if shell else " ".join(cmd)
        if capture:
            log(r.stdout[-3000:] if r.stdout else "", r.stderr[-3000:] if r.stderr else "")
        raise SystemExit(f"failed ({r.returncode}): {msg}")
    return r


def out(cmd, **kw):
    return run(cmd, capture=True, **kw).stdout


_apt_updated = False


def apt_install(pkgs):
    """Installs the Debian packages not yet installed (quick when all are there)."""
    global _apt_updated
    missing = []
    for p in pkgs:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], capture_output=True, text=True)
        if "install ok installed" not in r.stdout:
            missing.append(p)
    if not missing:
        return
    log(f"installing {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if not _apt_updated:
        run(["apt-get", "update", "-qq"], env=env)
        _apt_updated = True
    run(["apt-get", "install", "-y", "-qq", *missing], env=env, capture=True)


def apt_update():
    global _apt_updated
    run(["apt-get", "update", "-qq"], env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    _apt_updated = True


def cargo_build(arch="x86_64", tier="stable", features=None, target_dir=None, extra=()):
    """Builds rbox; returns the binary's path. features=None means the default (full)."""
    triple = TRIPLE[arch]
    cmd = ["cargo"]
    if tier == "tiny":
        cmd.append("+nightly")
    cmd += ["build", "--release", "--quiet", "--target", triple]
    if target_dir is None:
        target_dir = os.path.join(TARGET, "tiny") if tier == "tiny" else TARGET
    cmd += ["--target-dir", target_dir]
    if tier == "tiny":
        # The size tier (as the Makefile's TINY_FLAGS): every crate at opt-level z, no Debug
        # formatting bodies and no panic locations.
        flags = ["-Zunstable-options", "-Cpanic=immediate-abort", "-Cforce-unwind-tables=no",
                 "-Zfmt-debug=none", "-Zlocation-detail=none", "--cfg", "rbox_tiny"] + borrowed_crt(arch)
        cmd += ["--config", f"target.{triple}.rustflags={json.dumps(flags)}",
                "--config", 'profile.release.opt-level="z"',
                "--config", 'profile.release.package."*".opt-level="z"',
                "-Zbuild-std=std,panic_abort", "-Zbuild-std-features="]
    elif tier == "pie":
        cmd += ["--config", f'target.{triple}.rustflags=["-Crelocation-model=pie"]']
    if features is not None:
        cmd += ["--no-default-features", "--features", ",".join(features)]
    cmd += list(extra)
    run(cmd, cwd=ROOT)
    return os.path.join(target_dir, triple, "release", "rbox")


def borrowed_crt(arch):
    """Link flags for a nightly -Zbuild-std build whose target has no nightly rust-std here
    (aarch64 musl: the mirror has none): std is built from source anyway, and the musl
    start files and libc.a come from the stable toolchain's copy for the same target."""
    nightly = out(["rustc", "+nightly", "--print", "sysroot"], check=False).strip()
    if os.path.isdir(os.path.join(nightly, "lib", "rustlib", TRIPLE[arch], "lib")):
        return []
    sc = os.path.join(out(["rustc", "--print", "sysroot"]).strip(), "lib", "rustlib",
                      TRIPLE[arch], "lib", "self-contained")
    if not os.path.isdir(sc):
        return []
    crt = lambda *f: " ".join(os.path.join(sc, x) for x in f)  # noqa: E731
    return ["-Clink-self-contained=no", f"-Lnative={sc}",
            f"-Zpre-link-args={crt('crt1.o', 'crti.o', 'crtbegin.o')}",
            f"-Clink-arg={crt('crtend.o')}", f"-Clink-arg={crt('crtn.o')}"]


def have_nightly():
    r = subprocess.run(["rustup", "toolchain", "list"], capture_output=True, text=True)
    return r.returncode == 0 and "nightly" in r.stdout


def ensure_tiny_toolchain(arch="x86_64"):
    """The nightly pieces `make tiny` needs; False when this machine cannot build tiny."""
    if not have_nightly():
        return False
    comp = out(["rustup", "component", "list", "--toolchain", "nightly", "--installed"], check=False)
    if "rust-src" not in comp:
        if run(["rustup", "component", "add", "rust-src", "--toolchain", "nightly"],
               check=False).returncode:
            return False
    tg = out(["rustup", "target", "list", "--toolchain", "nightly", "--installed"], check=False)
    if TRIPLE[arch] not in tg:
        if run(["rustup", "target", "add", TRIPLE[arch], "--toolchain", "nightly"],
               check=False, capture=True).returncode:
            ensure_target(arch)
            return bool(borrowed_crt(arch))
    return True


def ensure_target(arch):
    tg = out(["rustup", "target", "list", "--installed"], check=False)
    if TRIPLE[arch] not in tg:
        run(["rustup", "target", "add", TRIPLE[arch]])


def rbox_list(binary, runner=()):
    """The applet names a built rbox answers to, from `rbox --list`."""
    return out([*runner, binary, "--list"]).split()


def features_of_cargo():
    """[features] of Cargo.toml: {name: [members]} (a small TOML subset: one line each)."""
    feats, inside = {}, False
    with open(os.path.join(ROOT, "Cargo.toml")) as f:
        for line in f:
            s = line.split("#", 1)[0].strip()
            if s.startswith("["):
                inside = s == "[features]"
                continue
            if inside and "=" in s:
                k, v = s.split("=", 1)
                v = v.strip().strip("[]")
                feats[k.strip().strip('"')] = [x.strip().strip('"') for x in v.split(",") if x.strip()]
    return feats


def which(x):
    return shutil.which(x)
