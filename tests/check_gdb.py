#!/usr/bin/env python3
"""Checks the debugging path a person uses (tools/debug.sh): QEMU paused with
its gdb stub, GDB with tools/gdbinit and the kernel's symbols, a hardware
breakpoint on a kernel symbol that must be hit. On the way, at _start, it
reads the Multiboot2 information GRUB handed over (EBX) and checks the
framebuffer tag GRUB promised: EGA text under BIOS, a linear RGB framebuffer
under UEFI (so GRUB will not warn "no console will be available to OS").

Usage: check_gdb.py --qemu Q --gdb G --gdbinit F --image ISO --elf ELF --symbol NAME
                    [--firmware bios|uefi] [--expect-framebuffer ega-text|rgb]
"""

import argparse
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile

MB2_TAG_END = 0
MB2_TAG_FRAMEBUFFER = 8
MB2_HEADER_SIZE = 8           # total_size, reserved
MB2_TAG_ALIGN = 8
FRAMEBUFFER_TYPES = {0: "indexed", 1: "rgb", 2: "ega-text"}
# Offset of framebuffer_type in the tag: type, size, addr(8), pitch, width, height, bpp.
FRAMEBUFFER_TYPE_OFFSET = 4 + 4 + 8 + 4 + 4 + 4 + 1
# More than any MBI GRUB writes for this kernel; a corrupt total_size is capped here.
MBI_MAX_BYTES = 64 * 1024


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def framebuffer_type(mbi):
    """Returns the framebuffer type name from a Multiboot2 information block, or None."""
    if len(mbi) < MB2_HEADER_SIZE:
        return None
    total = min(struct.unpack_from("<I", mbi, 0)[0], len(mbi))
    offset = MB2_HEADER_SIZE
    while offset + 8 <= total:
        tag_type, size = struct.unpack_from("<II", mbi, offset)
        if tag_type == MB2_TAG_END or size < 8:
            return None
        if tag_type == MB2_TAG_FRAMEBUFFER and size > FRAMEBUFFER_TYPE_OFFSET:
            return FRAMEBUFFER_TYPES.get(mbi[offset + FRAMEBUFFER_TYPE_OFFSET], "unknown")
        offset += (size + MB2_TAG_ALIGN - 1) & ~(MB2_TAG_ALIGN - 1)
    return None


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("--qemu", "--gdb", "--gdbinit", "--image", "--elf", "--symbol"):
        p.add_argument(name, required=True)
    p.add_argument("--firmware", choices=["bios", "uefi"], default="bios")
    p.add_argument("--ovmf-code", default="/usr/share/OVMF/OVMF_CODE_4M.fd")
    p.add_argument("--ovmf-vars", default="/usr/share/OVMF/OVMF_VARS_4M.fd")
    p.add_argument("--expect-framebuffer", choices=sorted(set(FRAMEBUFFER_TYPES.values())))
    p.add_argument("--timeout", type=float, default=40.0, help="seconds before the breakpoint counts as never hit")
    args = p.parse_args(argv)
    for path in (args.image, args.elf, args.gdbinit):
        if not os.path.isfile(path):
            print(f"FAIL: {path}: no such file")
            return 1

    work = tempfile.mkdtemp(prefix="mink-gdb-")
    port = free_port()
    mbi_path = os.path.join(work, "mbi.bin")
    qemu_cmd = [args.qemu, "-S", "-gdb", f"tcp:127.0.0.1:{port}", "-display", "none", "-net", "none",
                "-no-reboot", "-m", "128M", "-serial", "none", "-boot", "d",
                "-drive", f"file={args.image},media=cdrom,format=raw,readonly=on"]
    if args.firmware == "uefi":
        vars_copy = os.path.join(work, "OVMF_VARS.fd")
        shutil.copyfile(args.ovmf_vars, vars_copy)
        qemu_cmd += ["-machine", "q35", "-drive", f"if=pflash,format=raw,readonly=on,file={args.ovmf_code}",
                     "-drive", f"if=pflash,format=raw,file={vars_copy}"]
    gdb_cmd = [args.gdb, "-batch", "-nx", "-x", args.gdbinit, "-ex", f"file {args.elf}",
               "-ex", f"target remote 127.0.0.1:{port}",
               "-ex", "hbreak _start", "-ex", "continue",
               "-ex", f"dump binary memory {mbi_path} $ebx $ebx + {MBI_MAX_BYTES}",
               "-ex", "delete",
               "-ex", f"hbreak {args.symbol}", "-ex", "continue",
               "-ex", "echo mink-gdb: stopped in\\n", "-ex", "info symbol $pc", "-ex", "bt 1"]
    qemu = subprocess.Popen(qemu_cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        try:
            gdb = subprocess.run(gdb_cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                 timeout=args.timeout)
            output = gdb.stdout + gdb.stderr
        except subprocess.TimeoutExpired as expired:
            output = (expired.stdout or b"").decode(errors="replace") if isinstance(expired.stdout, bytes) \
                else (expired.stdout or "")
            print(f"FAIL: breakpoint on {args.symbol} not hit within {args.timeout:.0f} s; GDB said:\n{output}")
            return 1
        after = output.split("mink-gdb: stopped in", 1)
        where = after[1] if len(after) == 2 else ""
        if not re.search(rf"^{re.escape(args.symbol)}( \+ \d+)? in section \.text", where, re.MULTILINE):
            print(f"FAIL: GDB did not stop in {args.symbol}; GDB said:\n{output}")
            return 1
        print(f"ok: breakpoint hit: {where.strip().splitlines()[0]}")
        if args.expect_framebuffer:
            with open(mbi_path, "rb") as f:
                found = framebuffer_type(f.read())
            if found != args.expect_framebuffer:
                print(f"FAIL: GRUB's boot information has framebuffer {found}, expected {args.expect_framebuffer}")
                return 1
            print(f"ok: GRUB handed over a framebuffer tag of type {found}")
        return 0
    finally:
        qemu.kill()
        qemu.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
