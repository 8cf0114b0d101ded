#!/usr/bin/env python3
"""Checks that two clean builds of the same source give byte-identical kernel
ELFs and ISOs: each a fresh `meson setup` + `meson compile iso` in its own
folder (at different depths, so relative paths differ too), with its own
TMPDIR, at least a second apart, and SOURCE_DATE_EPOCH left to make_iso.sh.

Usage: check_reproducible.py MESON SOURCE_ROOT CROSS_FILE
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

# The products a person ships or debugs; both must match byte for byte.
PRODUCTS = ["src/mink.elf", "mink.iso"]
# make_iso.sh and xorriso read the clock in whole seconds: builds this far
# apart would differ if any clock time leaked through.
SECONDS_APART = 1.1
# How many differing byte offsets to show on failure.
SHOWN_DIFFERENCES = 8


def build(meson, source_root, cross_file, build_dir, tmp_dir, log):
    env = dict(os.environ, TMPDIR=tmp_dir)
    env.pop("SOURCE_DATE_EPOCH", None)  # exercise the git-derived date
    for command in ([meson, "setup", build_dir, source_root, "--cross-file", cross_file],
                    [meson, "compile", "-C", build_dir, "iso"]):
        result = subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        if result.returncode != 0:
            raise RuntimeError(f"`{' '.join(command)}` failed (exit {result.returncode}); see the log above")


def differences(path_a, path_b):
    with open(path_a, "rb") as f:
        a = f.read()
    with open(path_b, "rb") as f:
        b = f.read()
    if len(a) != len(b):
        return [f"sizes differ: {len(a)} vs {len(b)} bytes"]
    offsets = [i for i in range(len(a)) if a[i] != b[i]]
    return [f"{len(offsets)} bytes differ, first at offsets: "
            + ", ".join(f"0x{i:x}" for i in offsets[:SHOWN_DIFFERENCES])] if offsets else []


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    meson, source_root, cross_file = argv
    cross_file = os.path.abspath(cross_file)
    top = tempfile.mkdtemp(prefix="mink-repro-")
    try:
        dirs = [os.path.join(top, "a", "build"), os.path.join(top, "b", "nested", "deeper", "build-2")]
        log_path = os.path.join(top, "build.log")
        with open(log_path, "w") as log:
            try:
                for index, build_dir in enumerate(dirs):
                    if index:
                        time.sleep(SECONDS_APART)
                    tmp_dir = os.path.join(top, f"tmp{index}")
                    os.makedirs(tmp_dir)
                    build(meson, source_root, cross_file, build_dir, tmp_dir, log)
            except RuntimeError as error:
                log.flush()
                with open(log_path) as f:
                    print(f.read())
                print(f"FAIL: {error}")
                return 1
        failed = False
        for product in PRODUCTS:
            found = differences(*(os.path.join(d, product) for d in dirs))
            if found:
                failed = True
                print(f"FAIL: {product} differs between {dirs[0]} and {dirs[1]}: {found[0]}")
            else:
                print(f"ok: {product} identical ({os.path.getsize(os.path.join(dirs[0], product))} bytes)")
        return 1 if failed else 0
    finally:
        shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
