#!/usr/bin/env python3
"""Writes the seeds of tests/fuzz/ustar_fuzz.cpp: small USTAR archives as Python's tarfile writes them (a
directory, two files, a long name with a prefix), cut after their two end blocks to stay under libFuzzer's
4 KiB, so that mutations start from archives the reader accepts.

Usage: tests/fuzz/ustar_seeds.py tests/fuzz/ustar_corpus
"""

import io
import pathlib
import sys
import tarfile

BLOCK = 512


def archive(entries):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.mode, info.mtime = 0o755, 0
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        end = tar.offset
    return buffer.getvalue()[:end + 2 * BLOCK]


def main(output):
    output = pathlib.Path(output)
    output.mkdir(parents=True, exist_ok=True)
    seeds = {
        "seed-files.tar": [("bin", None), ("hello", b"Hello, world!\n"), ("cat", b"\x7fELF" + bytes(60))],
        "seed-prefix.tar": [("p" * 60 + "/" + "n" * 80, b"long name")],
    }
    for name, entries in seeds.items():
        (output / name).write_bytes(archive(entries))
        print(output / name)


if __name__ == "__main__":
    main(*sys.argv[1:])
