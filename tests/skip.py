#!/usr/bin/env python3
"""Stands in for a test whose tools are not installed: says what is missing
and which Debian packages bring it, and exits 77, which Meson reports as SKIP.
The top-level meson.build puts it in front of such a test's command line.

  skip.py WHAT PACKAGES [the test's own command line, ignored]
"""

import sys

SKIP = 77  # Meson's (and Automake's) exit status for a skipped test

if __name__ == "__main__":
    what, packages = sys.argv[1:3]
    print(f"skipped: needs {what} (sudo apt-get install {packages})")
    sys.exit(SKIP)
