#!/usr/bin/env python3
"""Captures the Multiboot2 boot information GRUB really passes, for the host
tests and the fuzzer's seeds: boots the test ISO under SeaBIOS or OVMF, has
the kernel dump it over serial (the dump_boot_info in-kernel test), and
writes the bytes to a file.

Usage: tools/capture_mbi.py bios|uefi BUILD_DIR OUTPUT.bin
e.g.   tools/capture_mbi.py bios build tests/data/mbi-bios.bin
"""

import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main(firmware, build_dir, output):
    build = pathlib.Path(build_dir)
    harness = [sys.executable, str(ROOT / "tests/qemu/qemu_harness.py"), "--image", str(build / "mink-test.iso"),
               "--firmware", firmware, "--run", "dump_boot_info", "--exit-code", "SUCCESS=0x10",
               "--expect-exit", "SUCCESS", "--verbose", "--timeout", "60"]
    result = subprocess.run(harness, capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stdout, result.stderr, sep="\n")
        return 1
    data = bytearray()
    for offset, hexbytes in re.findall(r"^mbi: ([0-9a-f]{6}) ([0-9a-f]+)$", result.stdout, re.M):
        if int(offset, 16) != len(data):
            print(f"gap in the dump at {offset}")
            return 1
        data += bytes.fromhex(hexbytes)
    total_size = int.from_bytes(data[:4], "little") if len(data) >= 4 else -1
    if total_size != len(data):
        print(f"dump has {len(data)} bytes but total_size says {total_size}")
        return 1
    pathlib.Path(output).write_bytes(data)
    print(f"wrote {len(data)} bytes of {firmware} boot information to {output}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("bios", "uefi"):
        print(__doc__)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
