#!/usr/bin/env python3
"""Makes a truncated table from a compiled one: drops its last BYTES bytes and fixes the header's length and
checksum, so the table itself checks out and only the AML inside runs short (a package cut off mid-way).

Usage: truncate.py INPUT.aml BYTES OUTPUT.aml
"""

import struct
import sys

LENGTH_OFFSET, CHECKSUM_OFFSET = 4, 9

if __name__ == "__main__":
    source, cut, output = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    table = bytearray(open(source, "rb").read()[:-cut])
    struct.pack_into("<I", table, LENGTH_OFFSET, len(table))
    table[CHECKSUM_OFFSET] = 0
    table[CHECKSUM_OFFSET] = -sum(table) % 256
    open(output, "wb").write(table)
