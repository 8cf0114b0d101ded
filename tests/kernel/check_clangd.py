#!/usr/bin/env python3
"""Checks that clangd understands the sources as the build compiles them:
`clangd --check` on each FILE must load Meson's compile_commands.json (with
the kernel's cross flags for kernel files) and report no errors. When the
build folder is the source root's build/, clangd must find the database by
itself, as an editor's clangd does (.clangd names it); any other build folder
is named to it.

Usage: check_clangd.py CLANGD SOURCE_ROOT BUILD_ROOT FILE...
"""

import os
import re
import subprocess
import sys

KERNEL_TARGET = "--target=x86_64-unknown-none-elf"  # cross/x86_64-elf.ini


def check(clangd, source_root, build_root, path):
    """A list of what is wrong with clangd's view of PATH (empty when nothing is)."""
    command = [clangd, f"--check={path}"]
    if os.path.realpath(build_root) != os.path.realpath(os.path.join(source_root, "build")):
        command.append(f"--compile-commands-dir={build_root}")
    result = subprocess.run(command, cwd=source_root, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    log = result.stdout + result.stderr
    # clangd --check also tries its own refactorings ("tweak: ... ==> FAIL",
    # counted as errors since clangd 19); a failing one says nothing of how
    # clangd understands the source, so those are left out.
    tweak_failures = [line for line in log.splitlines() if re.match(r"E\[.*tweak: .*FAIL", line)]
    problems = [line for line in log.splitlines() if re.match(r"E\[", line) and line not in tweak_failures]
    found = re.search(r"Compile command from CDB is: (.*)", log)
    if not found:
        problems.append("clangd did not find the build's compile_commands.json (it guessed a command)")
    elif "src/kernel/" in path and KERNEL_TARGET not in found.group(1):
        problems.append(f"the kernel file's command lacks the cross flags ({KERNEL_TARGET}): {found.group(1)}")
    summary = re.search(r"All checks completed, (\d+) errors", log)
    if not summary:
        problems.append(f"clangd did not finish (exit {result.returncode}):\n{log[-2000:]}")
    elif int(summary.group(1)) != len(tweak_failures):
        problems.append(f"clangd reports {int(summary.group(1)) - len(tweak_failures)} errors")
    return problems


def main(clangd, source_root, build_root, *paths):
    failed = False
    for path in paths:
        problems = check(clangd, source_root, build_root, path)
        failed = failed or bool(problems)
        print(f"{'FAIL' if problems else 'ok'}: clangd --check={path}")
        for problem in problems:
            print(f"  {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 5:
        sys.exit(__doc__.strip().splitlines()[-1])
    sys.exit(main(*sys.argv[1:]))
