#!/usr/bin/env python3
"""Assembles one NASM file so that its object is the same from any build folder.

NASM writes the input path exactly as given into DWARF (DW_AT_name) and has
no -ffile-prefix-map, and Meson gives it a path relative to the build folder
(../src/boot/x.asm from build/, ../../mink/src/... from elsewhere). So this
runs NASM from the source root on the source-root-relative path
(src/boot/x.asm), then rewrites that path in the dependency file to an
absolute one, since Ninja reads depfiles relative to the build folder.
NASM 2.16's -MD misses %include files, so the depfile comes from -M.

Usage: nasm_reproducible.py NASM SOURCE_ROOT INPUT OUTPUT DEPFILE [NASM ARGS...]
Include directories in NASM ARGS must be absolute (NASM runs elsewhere).
"""

import os
import re
import subprocess
import sys


def main(argv):
    if len(argv) < 5:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    nasm, source_root, source, output, depfile, *nasm_args = argv
    source_root = os.path.realpath(source_root)
    source = os.path.realpath(source)
    relative = os.path.relpath(source, source_root)
    if relative.startswith(".."):
        print(f"nasm_reproducible.py: {source} is not under the source root {source_root}", file=sys.stderr)
        return 2
    for arg in nasm_args:
        if arg.startswith("-I") and not os.path.isabs(arg[2:]):
            print(f"nasm_reproducible.py: include path {arg} must be absolute", file=sys.stderr)
            return 2
    output = os.path.abspath(output)
    depfile = os.path.abspath(depfile)
    # NASM 2.16's -MD lists only the input file, not what it %includes, so
    # edits to config.inc or x86_constants.inc would not rebuild; -M alone lists them.
    # -MT names the target as Ninja knows it (the output path it gave us).
    deps = subprocess.run([nasm, *nasm_args, "-M", "-MT", argv[3], relative],
                          cwd=source_root, stdout=subprocess.PIPE, text=True)
    if deps.returncode != 0:
        return deps.returncode
    result = subprocess.run([nasm, *nasm_args, "-o", output, relative], cwd=source_root)
    if result.returncode != 0:
        return result.returncode
    # Dependency paths are whitespace-separated; only the relative input needs fixing.
    text = re.sub(r"(?<=\s)" + re.escape(relative) + r"(?=\s)", lambda _: source, deps.stdout)
    with open(depfile, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
