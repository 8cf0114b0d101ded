#!/usr/bin/env python3
"""Checks that two clean builds of the same source give byte-identical kernel
ELFs and ISOs: each a fresh `meson setup` + `meson compile iso` in its own
folder (at different depths, so relative paths differ too), with its own
TMPDIR, more than a second apart, and SOURCE_DATE_EPOCH left to make_iso.sh.
Then the incremental path: in a copy of the source, build clean, edit
main.cpp, rebuild (GRUB's part must not be remade), and compare that ISO to a
clean build of the edited copy.

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


EDITED_SOURCE = os.path.join("src", "kernel", "main.cpp")
GRUB_BASE = "grub-base"  # GRUB's part of the ISO (meson.build, tools/make_iso.sh)


class BuildFailed(Exception):
    pass


def run(command, env):
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise BuildFailed(f"{result.stdout}\nFAIL: `{' '.join(command)}` failed (exit {result.returncode})")
    return result.stdout


def clean_build(meson, source_root, cross_file, build, env):
    run([meson, "setup", build, source_root, "--cross-file", os.path.abspath(cross_file)], env)
    run([meson, "compile", "-C", build, "iso"], env)


def compare(builds, what):
    """Prints one line per product; True when all are identical."""
    same = True
    for product in PRODUCTS:
        a, b = (open(os.path.join(build, product), "rb").read() for build in builds)
        offsets = [i for i in range(min(len(a), len(b))) if a[i] != b[i]][:8]
        if a != b:
            same = False
            print(f"FAIL: {product} differs between {what}: {len(a)} and {len(b)} bytes, "
                  f"first differing offsets {[hex(i) for i in offsets]}")
        else:
            print(f"ok: {product} identical between {what} ({len(a)} bytes)")
    return same


def edited_then_rebuilt(meson, source_root, cross_file, top, env):
    """An edit rebuilt incrementally gives the ISO a clean build of the edited tree gives."""
    source = os.path.join(top, "source")
    shutil.copytree(source_root, source, symlinks=True, ignore=lambda folder, names: [
        n for n in names if n == ".git" or os.path.isdir(os.path.join(folder, n, "meson-private"))])
    env = dict(env, SOURCE_DATE_EPOCH=str(int(os.stat(os.path.join(source_root, "meson.build")).st_mtime)))
    incremental, clean = os.path.join(top, "incremental"), os.path.join(top, "clean-after-edit")
    clean_build(meson, source, cross_file, incremental, env)
    grub_before = os.stat(os.path.join(incremental, GRUB_BASE)).st_mtime_ns
    with open(os.path.join(source, EDITED_SOURCE), "a") as edited:
        edited.write('\nextern "C" const char mink_repro_edit[] = "an edit the product keeps";\n')
    elf_before = open(os.path.join(incremental, PRODUCTS[0]), "rb").read()
    run([meson, "compile", "-C", incremental, "iso"], env)
    if open(os.path.join(incremental, PRODUCTS[0]), "rb").read() == elf_before:
        print("FAIL: the edit did not change the kernel, so it proves nothing")
        return False
    if os.stat(os.path.join(incremental, GRUB_BASE)).st_mtime_ns != grub_before:
        print("FAIL: a kernel edit remade GRUB's part of the ISO")
        return False
    print("ok: the kernel edit rebuilt the ISO without remaking GRUB's part")
    clean_build(meson, source, cross_file, clean, env)
    return compare([incremental, clean], "the incremental build and a clean build of the edited tree")


def main(meson, source_root, cross_file):
    top = tempfile.mkdtemp(prefix="mink-repro-")
    try:
        builds = [os.path.join(top, "a", "build"), os.path.join(top, "b", "nested", "deeper", "build-2")]
        for index, build in enumerate(builds):
            time.sleep(SECONDS_APART * index)
            os.makedirs(os.path.join(top, f"tmp{index}"))
            env = dict(os.environ, TMPDIR=os.path.join(top, f"tmp{index}"))
            env.pop("SOURCE_DATE_EPOCH", None)  # exercise the date make_iso.sh takes from git
            clean_build(meson, source_root, cross_file, build, env)
        same = compare(builds, "two clean builds")
        return 0 if edited_then_rebuilt(meson, source_root, cross_file, top, env) and same else 1
    except BuildFailed as error:
        print(error)
        return 1
    finally:
        shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[-1])
    sys.exit(main(*sys.argv[1:]))
