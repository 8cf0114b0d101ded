#!/usr/bin/env python3
"""Turns the captured ACPI tables (tests/data/acpi/*/) into seeds for tests/fuzz/acpi_fuzz.cpp: the RSDP, then
every table as a region at the address it was captured from.

Usage: tests/fuzz/acpi_seeds.py tests/data/acpi tests/fuzz/acpi_corpus
"""

import pathlib
import struct
import sys


def seed(folder, rsdp_name):
    rsdp = (folder / rsdp_name).read_bytes()
    data = bytearray([len(rsdp)]) + rsdp
    for table in sorted(t for t in folder.glob("????-*.bin") if not t.name.startswith("RSDP")):
        body = table.read_bytes()
        data += struct.pack("<QH", int(table.stem[5:], 16), len(body)) + body
    return bytes(data)


def main(captures, output):
    output = pathlib.Path(output)
    output.mkdir(parents=True, exist_ok=True)
    for folder in sorted(pathlib.Path(captures).iterdir()):
        for rsdp_name in ("RSDP.bin", "RSDP-v1.bin"):
            if (folder / rsdp_name).exists():
                name = f"seed-{folder.name}{'-v1' if 'v1' in rsdp_name else ''}.bin"
                (output / name).write_bytes(seed(folder, rsdp_name))
                print(output / name)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
