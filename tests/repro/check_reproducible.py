#!/usr/bin/env python3
"""Checks that two clean builds of the same source give byte-identical kernel
ELFs and ISOs: each a fresh `meson setup` + `meson compile iso` in its own
folder (at different depths, so relative paths differ too), with its own
TMPDIR, more than a second apart, and SOURCE_DATE_EPOCH left to make_iso.sh.

Usage: check_reproducible.py MESON SOURCE_ROOT CROSS_FILE
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

PRODUCTS = ["src/mink.elf", "mink.iso"]  # what a person ships or debugs
SECONDS_APART = 1.1  # make_iso.sh and xorriso read the clock in whole seconds


def main(meson, source_root, cross_file):
    top = tempfile.mkdtemp(prefix="mink-repro-")
    try:
        builds = [os.path.join(top, "a", "build"), os.path.join(top, "b", "nested", "deeper", "build-2")]
        for index, build in enumerate(builds):
            time.sleep(SECONDS_APART * index)
            os.makedirs(os.path.join(top, f"tmp{index}"))
            env = dict(os.environ, TMPDIR=os.path.join(top, f"tmp{index}"))
            env.pop("SOURCE_DATE_EPOCH", None)  # exercise the date make_iso.sh takes from git
            for command in ([meson, "setup", build, source_root, "--cross-file", os.path.abspath(cross_file)],
                            [meson, "compile", "-C", build, "iso"]):
                result = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                if result.returncode != 0:
                    print(f"{result.stdout}\nFAIL: `{' '.join(command)}` failed (exit {result.returncode})")
                    return 1
        failed = False
        for product in PRODUCTS:
            a, b = (open(os.path.join(build, product), "rb").read() for build in builds)
            offsets = [i for i in range(min(len(a), len(b))) if a[i] != b[i]][:8]
            if a != b:
                failed = True
                print(f"FAIL: {product} differs between the builds: {len(a)} and {len(b)} bytes, "
                      f"first differing offsets {[hex(i) for i in offsets]}")
            else:
                print(f"ok: {product} identical ({len(a)} bytes)")
        return 1 if failed else 0
    finally:
        shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[-1])
    sys.exit(main(*sys.argv[1:]))
