#!/usr/bin/env python3
"""Packs programs into the USTAR archive GRUB loads as one module (src/kernel/proc/ustar.hpp reads it).

Each program goes in under its file name, which the shell will run it by. The archive is reproducible: entries
sorted by name, every date 0, owner 0:0 without names, mode 0755, so the same programs always give the same
bytes. A file that is not a 64-bit x86-64 ELF, a name the shell could not type, or two programs with one name
stop the build with a message.

Usage: make_program_archive.py OUTPUT PROGRAM...
"""

import io
import pathlib
import sys
import tarfile

ELF_MAGIC = b"\x7fELF"
ELF_CLASS_64, ELF_MACHINE_X86_64 = 2, 62
MAX_NAME = 100  # a USTAR name field; longer ones would need the prefix field and a '/'


def check_program(path):
    header = path.read_bytes()[:20]
    if len(header) < 20 or header[:4] != ELF_MAGIC or header[4] != ELF_CLASS_64:
        return "not a 64-bit ELF file"
    if int.from_bytes(header[18:20], "little") != ELF_MACHINE_X86_64:
        return "not an x86-64 program"
    name = path.name
    if len(name.encode()) > MAX_NAME or not name.isascii() or not name.isprintable() or " " in name:
        return f"its name must be at most {MAX_NAME} printable ASCII characters without spaces"
    return None


def entry(name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o755, 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info, io.BytesIO(data)


def main(output, *programs):
    paths = {}
    for path in map(pathlib.Path, programs):
        problem = check_program(path)
        if problem is None and path.name in paths:
            problem = f"{paths[path.name]} has the same name"
        if problem:
            sys.exit(f"{path}: {problem}")
        paths[path.name] = path
    with tarfile.open(output, "w", format=tarfile.USTAR_FORMAT) as archive:
        for name in sorted(paths):
            archive.addfile(*entry(name, paths[name].read_bytes()))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(*sys.argv[1:])
