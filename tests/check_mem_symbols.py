#!/usr/bin/env python3
"""Proves the kernel's memory primitives never call themselves: a compiler
that recognises a copy loop as "memcpy" would turn memcpy into infinite
recursion. Disassembles each function in the linked kernel and fails if any
call or jump inside it targets one of the four C symbols.

Usage: check_mem_symbols.py LLVM-OBJDUMP KERNEL.elf
"""

import re
import subprocess
import sys

C_SYMBOLS = ["memcpy", "memmove", "memset", "memcmp"]
IMPLEMENTATIONS = ["copy_memory", "move_memory", "fill_memory", "compare_memory"]


def main(objdump, kernel):
    listing = subprocess.run([objdump, "-d", "--no-show-raw-insn", "-C", kernel],
                             check=True, capture_output=True, text=True).stdout
    functions = {}
    current = None
    for line in listing.splitlines():
        header = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
        if header:
            current = header.group(1)
            functions[current] = []
        elif current and line.strip():
            functions[current].append(line)

    failures = []
    checked = 0
    for name, body in functions.items():
        base = re.sub(r"\(.*\)$", "", name).split("::")[-1]
        if base not in C_SYMBOLS + IMPLEMENTATIONS:
            continue
        checked += 1
        for line in body:
            target = re.search(r"\b(call|jmp)\w*\s+\S+\s+<([^>+]+)", line)
            if target and target.group(2) in C_SYMBOLS:
                failures.append(f"{name}: {line.strip()}")
    if checked < len(C_SYMBOLS) + len(IMPLEMENTATIONS):
        print(f"FAIL: found only {checked} of the {len(C_SYMBOLS) + len(IMPLEMENTATIONS)} functions in {kernel}")
        return 1
    if failures:
        print("FAIL: memory primitives call the C symbols they implement:\n  " + "\n  ".join(failures))
        return 1
    print(f"ok: {checked} memory functions, none calls memcpy/memmove/memset/memcmp")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
