#!/usr/bin/env python3
"""Fails if the shipped kernel carries test code: the in-kernel tests, the
harness, the QEMU exit device, or (unless built with UBSan) UBSan's handlers.

Usage: check_product_symbols.py LLVM_NM KERNEL.elf UBSAN(true|false)
"""
import re
import subprocess
import sys

TEST_ONLY = re.compile(r"ktest|testing|harness|qemu_exit|expectation_failed|selftest")


def main(nm, elf, ubsan):
    names = subprocess.run([nm, "--demangle", "--format=just-symbols", elf], capture_output=True, text=True,
                           check=True).stdout.split("\n")
    bad = [n for n in names if TEST_ONLY.search(n) or (ubsan != "true" and n.startswith("__ubsan_"))]
    for name in bad:
        print("test-only symbol in the shipped kernel:", name)
    print(f"{len(names)} symbols in {elf}: {len(bad)} test-only")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
