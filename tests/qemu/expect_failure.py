#!/usr/bin/env python3
"""Harness self-test: runs a command that must FAIL with a given reason.

Proves the QEMU harness reports a broken kernel (a hang, a triple fault, a
forged token) as a failure for the right reason, never as a pass.
Usage: expect_failure.py REASON -- COMMAND [ARG...]
"""

import subprocess
import sys


def main(argv):
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__)
        return 2
    reason, command = argv[0], argv[2:]
    result = subprocess.run(command, capture_output=True, text=True)
    output = result.stdout + result.stderr
    if result.returncode == 0:
        print(f"FAIL: the harness passed a kernel that should have failed ({reason!r}):\n{output}")
        return 1
    if reason not in output:
        print(f"FAIL: the harness failed (exit {result.returncode}) but not because {reason!r}:\n{output}")
        return 1
    print(f"ok: the harness failed as it must: {reason!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
