#!/usr/bin/env python3
"""Fails on an #include that points up a layer of the kernel, or on two
folders that include each other. Layers, bottom up (README "Source layout"):
lib; boot (mink's boot record: plain types); the pure parsers (multiboot,
acpi, and for now proc: lib and boot only; multiboot fills the boot record;
proc reads programs, ELF files and their archive); addr (the words
of memory: address types, the layout, the direct map, where frames come
from); arch (the CPU, the page-table format, PAT and TLB); mm (the memory
manager, which drives arch's page tables); sched (threads, the scheduler
and the locks that block) and rt; drivers (whose interrupts wake threads);
console; shell (the commands, above everything they report on); main.cpp
on top. testing (and every *_ktest.cpp) sits beside the product: it may
include any layer, and no product file includes it.

Usage: check_layers.py SRC_KERNEL_DIR
"""
import pathlib
import re
import sys

RANK = {"lib": 0, "boot": 1, "multiboot": 2, "acpi": 2, "proc": 2, "addr": 3, "arch": 4, "mm": 5, "sched": 6,
        "rt": 6, "drivers": 7, "console": 8, "shell": 9, "testing": 10, "main.cpp": 11}
# Parsers of firmware/loader tables and of programs: no hardware, no kernel services. proc holds only its
# parsers (elf, ustar) today; when processes join it, it leaves PURE and moves up between console and shell
# (a process needs threads, memory and the console for descriptors 0-2; the shell runs programs).
PURE = {"multiboot", "acpi", "proc"}
PURE_MAY_INCLUDE = {"lib", "boot"}
SHARED = {"config.hpp", "x86_constants.hpp"}  # generated constants, shared with NASM


def layer_of(path, root):
    relative = path.relative_to(root)
    if path.name.endswith("_ktest.cpp"):
        return "testing"
    return relative.parts[0]


def main(root):
    root = pathlib.Path(root)
    problems, edges = [], set()
    for path in sorted(root.rglob("*.[ch]pp")):
        layer = layer_of(path, root)
        if layer not in RANK:
            problems.append(f"{path.relative_to(root)}: folder '{layer}' has no layer; add it to {__file__}")
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not match or match.group(1) in SHARED:
                continue
            target = match.group(1).split("/")[0]
            where = f"{path.relative_to(root)}:{number}: includes {match.group(1)}"
            if target not in RANK:
                problems.append(f"{where}, outside every layer")
            elif target == "testing" and layer != "testing":
                problems.append(f"{where}: the product must not include the test build's code")
            elif RANK[target] > RANK[layer]:
                problems.append(f"{where}: {layer} must not reach up to {target}")
            elif layer in PURE and target != layer and target not in PURE_MAY_INCLUDE:
                problems.append(f"{where}: {layer} is pure and may include only lib and boot")
            elif target != layer and not path.name.endswith("_ktest.cpp"):
                edges.add((layer, target))
    for a, b in sorted(edges):
        if (b, a) in edges and a < b:
            problems.append(f"{a} and {b} include each other")
    for problem in problems:
        print(problem)
    print(f"{len(edges)} dependencies between layers checked: {'FAIL' if problems else 'all point down'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
