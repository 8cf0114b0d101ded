#!/usr/bin/env python3
"""Captures the ACPI tables QEMU's firmware builds, for the host tests and fuzz seeds: boots the ISO as the tests
do (tools/qemu.py), waits for the greeting on serial, reads guest physical memory through QMP (pmemsave), finds
the RSDPs and follows each to its RSDT/XSDT and tables. Writes RSDP.bin (the newest revision; RSDP-v1.bin too
when the firmware has a separate ACPI 1.0 one, as OVMF does) and SIG-ADDRESS.bin per table (signature, physical
address in hex), and the DSDT the FADT points to (it is not listed in the RSDT/XSDT), as DSDT-ADDRESS.bin.

Usage: tools/capture_acpi.py pc|q35 bios|uefi ISO OUTPUT_DIR
e.g.   tools/capture_acpi.py q35 uefi build/mink.iso tests/data/acpi/q35-ovmf
"""

import os
import pathlib
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import greeting  # noqa: E402
import qemu  # noqa: E402

RAM_MIB = 128


class GuestMemory:
    """Guest physical memory, read through QMP (pmemsave) while the guest runs."""

    def __init__(self, machine):
        self.machine, self.dump = machine, pathlib.Path(machine.workdir) / "memory.bin"

    def read(self, address, length):
        self.machine.command("pmemsave", val=address, size=length, filename=str(self.dump))
        return self.dump.read_bytes()


def find_rsdps(memory):
    """RSDPs with valid checksums in the BIOS area, else anywhere in RAM (UEFI does not align them to 16 bytes),
    keyed by whether they are ACPI 2.0+; the first of each kind wins."""
    found = {}
    for base, size in ((0xE0000, 0x20000), (0, RAM_MIB << 20)):
        area = memory.read(base, size)
        offset = area.find(b"RSD PTR ")
        while offset >= 0:
            revision = area[offset + 15]
            length = struct.unpack_from("<I", area, offset + 20)[0] if revision >= 2 else 20
            if sum(area[offset:offset + 20]) % 256 == 0 and sum(area[offset:offset + length]) % 256 == 0:
                found.setdefault(revision >= 2, area[offset:offset + length])
            offset = area.find(b"RSD PTR ", offset + 1)
        if found:
            return found
    raise RuntimeError("no RSDP found")


def save_table(memory, address, output):
    length = struct.unpack("<I", memory.read(address, 36)[4:8])[0]
    table = memory.read(address, length)
    signature = table[:4].decode("ascii", "replace")
    (output / f"{signature}-{address:08x}.bin").write_bytes(table)
    print(f"{signature} at {address:#x}, {length} bytes")
    return table


def save_all(memory, rsdp, output):
    roots = [(struct.unpack_from("<I", rsdp, 16)[0], 4)]
    if rsdp[15] >= 2:
        roots.append((struct.unpack_from("<Q", rsdp, 24)[0], 8))
    for address, entry_size in (root for root in roots if root[0] != 0):
        root = save_table(memory, address, output)
        for offset in range(36, len(root), entry_size):
            entry = int.from_bytes(root[offset:offset + entry_size], "little")
            table = save_table(memory, entry, output)
            if table[:4] == b"FACP":
                save_table(memory, dsdt_address(table), output)


def dsdt_address(fadt):
    """X_DSDT (offset 140) when the FADT is long enough to have it and it is set, else DSDT (offset 40)."""
    extended = struct.unpack_from("<Q", fadt, 140)[0] if len(fadt) >= 148 else 0
    return extended or struct.unpack_from("<I", fadt, 40)[0]


def main(machine, firmware, iso, output_dir):
    output = pathlib.Path(output_dir)
    output.mkdir(parents=True, exist_ok=True)
    with qemu.Machine(timeout=60, image=iso, firmware=firmware, machine=machine, memory=f"{RAM_MIB}M") as guest:
        hello = greeting.read()
        if not guest.wait(hello):
            raise qemu.QemuError(f"QEMU stopped before {hello}:\n{guest.serial}")
        memory = GuestMemory(guest)
        rsdps = find_rsdps(memory)
        newest = rsdps.get(True, rsdps.get(False))
        (output / "RSDP.bin").write_bytes(newest)
        save_all(memory, newest, output)
        if True in rsdps and False in rsdps:
            (output / "RSDP-v1.bin").write_bytes(rsdps[False])
            save_all(memory, rsdps[False], output)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[1] not in ("pc", "q35") or sys.argv[2] not in ("bios", "uefi"):
        print(__doc__)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
