#!/usr/bin/env python3
"""Checks that two clean builds of the same source give byte-identical kernel
ELFs and ISOs: each a fresh `meson setup` + `meson compile iso` in its own
folder (at different depths, so relative paths differ too), with its own
TMPDIR, more than a second apart, and SOURCE_DATE_EPOCH left to make_iso.sh.
Then the incremental path, in a copy of the source with its git history:
build clean, edit main.cpp, rebuild (GRUB's part must not be remade) and
compare that ISO to a clean build of the edited copy; then commit the edit
(a later commit date, which the ISO carries), rebuild (now GRUB's part must
be remade) and compare to a clean build of that commit.

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


def grub_part_time(build):
    return os.stat(os.path.join(build, GRUB_BASE)).st_mtime_ns


def rebuilt_like_clean(meson, source, cross_file, incremental, clean, env, what, grub_remade):
    """Rebuilds `incremental`, checks whether GRUB's part was remade, and
    compares the result with a clean build into `clean`."""
    grub_before = grub_part_time(incremental)
    elf_before = open(os.path.join(incremental, PRODUCTS[0]), "rb").read()
    run([meson, "compile", "-C", incremental, "iso"], env)
    kernel_changed = open(os.path.join(incremental, PRODUCTS[0]), "rb").read() != elf_before
    if not grub_remade and not kernel_changed:  # (a commit alone need not change the kernel)
        print(f"FAIL: {what} did not change the kernel, so it proves nothing")
        return False
    if (grub_part_time(incremental) != grub_before) != grub_remade:
        print(f"FAIL: {what} {'did not remake' if grub_remade else 'remade'} GRUB's part of the ISO")
        return False
    print(f"ok: {what} {'remade' if grub_remade else 'did not remake'} GRUB's part of the ISO")
    clean_build(meson, source, cross_file, clean, env)
    return compare([incremental, clean], f"the incremental build after {what} and a clean build")


def edited_then_rebuilt(meson, source_root, cross_file, top, env):
    """An edit, and then its commit, rebuilt incrementally give the ISO a clean build gives."""
    source = os.path.join(top, "source")
    shutil.copytree(source_root, source, symlinks=True, ignore=lambda folder, names: [
        n for n in names if os.path.isdir(os.path.join(folder, n, "meson-private"))])
    git = ["git", "-C", source, "-c", "user.name=repro", "-c", "user.email=repro@localhost"]
    incremental = os.path.join(top, "incremental")
    clean_build(meson, source, cross_file, incremental, env)
    with open(os.path.join(source, EDITED_SOURCE), "a") as edited:
        edited.write('\nextern "C" const char mink_repro_edit[] = "an edit the product keeps";\n')
    if not rebuilt_like_clean(meson, source, cross_file, incremental, os.path.join(top, "clean-after-edit"), env,
                              "a kernel edit", grub_remade=False):
        return False
    if not os.path.isdir(os.path.join(source, ".git")):
        print("skipped: no git history here (a source tarball), so no commit to rebuild after")
        return True
    head_time = int(run(git + ["log", "-1", "--format=%ct"], env).strip())
    commit_env = dict(env, GIT_COMMITTER_DATE=f"@{head_time + 86400} +0000")
    run(git + ["commit", "-q", "-a", "-m", "repro: an edit, committed a day later"], commit_env)
    return rebuilt_like_clean(meson, source, cross_file, incremental, os.path.join(top, "clean-after-commit"), env,
                              "committing it", grub_remade=True)


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
