#!/usr/bin/env python3
"""Writes the seeds of tests/fuzz/elf_fuzz.cpp: the small static executable and static PIE that
tests/host/elf_test.cpp builds (the ELF header, five program headers, a jump-to-self as code, 8 bytes of data),
so that mutations start from files the parser accepts.

Usage: tests/fuzz/elf_seeds.py tests/fuzz/elf_corpus
"""

import pathlib
import struct
import sys

PAGE = 0x1000
LOAD, TLS, GNU_STACK = 1, 7, 0x6474E551
X, W, R = 1, 2, 4
EXEC, DYN = 2, 3
HEADER_SIZE, PROGRAM_HEADER_SIZE, HEADER_COUNT = 64, 56, 5


def program_header(kind, flags, offset, address, file_size, memory_size, alignment):
    return struct.pack("<IIQQQQQQ", kind, flags, offset, address, address, file_size, memory_size, alignment)


def elf(kind, base):
    headers_end = HEADER_SIZE + HEADER_COUNT * PROGRAM_HEADER_SIZE
    code, data = headers_end, headers_end + 0x10
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)  # 64-bit, little-endian, version 1
    header = ident + struct.pack("<HHIQQQIHHHHHH", kind, 62, 1, base + PAGE + code, HEADER_SIZE, 0, 0,
                                 HEADER_SIZE, PROGRAM_HEADER_SIZE, HEADER_COUNT, 0, 0, 0)
    headers = b"".join([
        program_header(LOAD, R, 0, base, headers_end, headers_end, PAGE),
        program_header(LOAD, R | X, code, base + PAGE + code, 0x10, 0x10, PAGE),
        program_header(LOAD, R | W, data, base + 2 * PAGE + data, 8, 0x100, PAGE),
        program_header(GNU_STACK, R | W, 0, 0, 0, 0, 16),
        program_header(TLS, R, data, base + 2 * PAGE + data, 8, 0x10, 8),
    ])
    jump_to_self = b"\xeb\xfe" + bytes(14)
    return header + headers + jump_to_self + bytes(8)


def main(output):
    output = pathlib.Path(output)
    output.mkdir(parents=True, exist_ok=True)
    for name, data in (("seed-exec.elf", elf(EXEC, 0x400000)), ("seed-pie.elf", elf(DYN, 0))):
        (output / name).write_bytes(data)
        print(output / name)


if __name__ == "__main__":
    main(*sys.argv[1:])
