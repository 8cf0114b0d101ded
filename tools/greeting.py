#!/usr/bin/env python3
"""The kernel's greeting, read from the one place it is written: the kGreeting
line of src/kernel/main.cpp. The tests, the benchmark and tools/run.py wait
for it and look for it on the screen, so a learner who edits the greeting
(the first thing anyone does) keeps a passing suite.

It is read when a test or tool runs, not when Meson configures: a Meson
variable read from main.cpp would make every edit of main.cpp reconfigure
the build, and the edit -> ISO loop is the one a learner waits on most.

  python3 tools/greeting.py   prints the greeting
"""

import ast
import os
import re
import sys

MAIN_CPP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "kernel", "main.cpp")
# constexpr char kGreeting[] = "Hello World!";  (one line; the usual C escapes allowed)
GREETING_LINE = re.compile(r'^constexpr char kGreeting\[\] = ("(?:[^"\\\n]|\\.)*");', re.M)


def read(main_cpp=MAIN_CPP):
    """The text of main.cpp's kGreeting, its escapes decoded."""
    with open(main_cpp, encoding="utf-8") as source:
        found = GREETING_LINE.search(source.read())
    if not found:
        raise SystemExit(f"{main_cpp} has no line 'constexpr char kGreeting[] = \"...\";': the tests and tools "
                         "read the kernel's greeting from it")
    return ast.literal_eval(found.group(1))


if __name__ == "__main__":
    print(read())
