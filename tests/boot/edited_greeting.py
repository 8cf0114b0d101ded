#!/usr/bin/env python3
"""Edits the greeting as a learner would, first thing, and proves the boot
tests follow it: copies the working tree (the files git tracks or would
track, uncommitted changes included) into a scratch folder, changes
kGreeting in its src/kernel/main.cpp, configures and builds it there, and
runs its boot and boot-paths suites. They must pass, and the harness must
have looked for the new greeting (tools/greeting.py reads it).

  edited_greeting.py SOURCE_ROOT [meson setup options...]

Long (a whole build, then ~30 boots): it runs with the slow tests.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77  # Meson's exit status for a skipped test
NEW_GREETING = "Hi from an edited main.cpp!"
GREETING_LINE = re.compile(r'^constexpr char kGreeting\[\] = ".*";$', re.M)
SUITES = ["boot", "boot-paths"]


def copy_working_tree(source, scratch):
    """The files git tracks or would track, as they are in the working tree."""
    listed = subprocess.run(["git", "-C", source, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            check=True, stdout=subprocess.PIPE).stdout.decode().split("\0")
    for path in filter(None, listed):
        origin = os.path.join(source, path)
        if not os.path.lexists(origin):  # deleted but not yet committed
            continue
        os.makedirs(os.path.dirname(os.path.join(scratch, path)), exist_ok=True)
        shutil.copy2(origin, os.path.join(scratch, path), follow_symlinks=False)


def run(command, cwd):
    print("$ " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)


def main(argv):
    source, setup_options = os.path.abspath(argv[0]), argv[1:]
    if not os.path.exists(os.path.join(source, ".git")) or shutil.which("git") is None:
        print(f"skipped: {source} is not a git working tree (this test copies the files git lists)")
        return SKIP
    with tempfile.TemporaryDirectory(prefix="mink-edited-greeting-") as scratch:
        copy_working_tree(source, scratch)
        main_cpp = os.path.join(scratch, "src", "kernel", "main.cpp")
        with open(main_cpp) as f:
            text = f.read()
        edited, count = GREETING_LINE.subn(f'constexpr char kGreeting[] = "{NEW_GREETING}";', text)
        if count != 1:
            print(f"FAIL: src/kernel/main.cpp has {count} kGreeting lines, expected 1")
            return 1
        with open(main_cpp, "w") as f:
            f.write(edited)
        print(f"in a copy of the working tree at {scratch}, kGreeting is now {NEW_GREETING!r}", flush=True)
        steps = [["meson", "setup", "build", "--cross-file", "cross/x86_64-elf.ini"] + setup_options,
                 ["meson", "test", "-C", "build", "--print-errorlogs"] + [f"--suite={s}" for s in SUITES]]
        for command in steps:
            result = run(command, scratch)
            if result.returncode != 0:
                print(result.stdout + f"\nFAIL: `{' '.join(command)}` exited with {result.returncode}")
                return 1
        print("\n".join(line for line in result.stdout.splitlines() if re.match(r"^ *\d+/\d+ ", line)))
        with open(os.path.join(scratch, "build", "meson-logs", "testlog.txt")) as f:
            looked_for = f.read().count(repr(NEW_GREETING))  # the harness's notes: "serial showed '...'"
        if looked_for == 0:
            print(f"FAIL: no boot test reported finding {NEW_GREETING!r}: did the harness read the greeting?")
            return 1
        print(f"PASS: the {' and '.join(SUITES)} suites pass with the greeting {NEW_GREETING!r} "
              f"({looked_for} checks found it)")
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
