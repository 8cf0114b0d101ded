#!/usr/bin/env python3
"""Proves the kernel's memory primitives never call themselves: a compiler
that recognises a copy loop as "memcpy" would turn memcpy into infinite
recursion. Disassembles each of them in the linked kernel and fails if any
call or jump inside it targets one of the four C symbols.

Usage: check_mem_symbols.py LLVM-OBJDUMP KERNEL.elf
"""

import re
import subprocess
import sys

C_SYMBOLS = {"memcpy", "memmove", "memset", "memcmp"}
CHECKED = C_SYMBOLS | {"copy_memory", "move_memory", "fill_memory", "compare_memory"}


def main(objdump, kernel):
    listing = subprocess.run([objdump, "-d", "--no-show-raw-insn", "-C", kernel],
                             check=True, capture_output=True, text=True).stdout
    functions = [(name, body) for name, body in re.findall(r"^[0-9a-f]+ <(.+)>:\n((?:.+\n)*)", listing, re.M)
                 if re.sub(r"\(.*\)$", "", name).split("::")[-1] in CHECKED]
    calls = [f"{name}: {target}" for name, body in functions
             for target in re.findall(r"\b(?:call|jmp)\w*\s+\S+\s+<([^>+]+)", body) if target in C_SYMBOLS]
    if len(functions) < len(CHECKED):
        print(f"FAIL: found only {len(functions)} of the {len(CHECKED)} functions in {kernel}")
        return 1
    if calls:
        print("FAIL: memory primitives call the C symbols they implement:\n  " + "\n  ".join(calls))
        return 1
    print(f"ok: {len(functions)} memory functions, none calls memcpy/memmove/memset/memcmp")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
