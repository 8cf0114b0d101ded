#!/usr/bin/env python3
"""Turns a gzipped PSF console font into a C++ byte array so the kernel carries its font without a filesystem.

Usage: embed_font.py INPUT.psf.gz OUTPUT.cpp SYMBOL
"""

import gzip
import hashlib
import os
import re
import sys

BYTES_PER_LINE = 16
# As aligned as a malloc'd buffer, so code reading header fields as whole words would stay safe.
ALIGNMENT = 16


def render(source_name: str, digest: str, symbol: str, data: bytes) -> str:
    lines = [
        f"// Console font {source_name}, embedded by tools/embed_font.py; do not edit.",
        f"// Source gzip sha256: {digest}",
        "",
        f"extern const unsigned char {symbol}[];",
        f"extern const unsigned long {symbol}_size;",
        "",
        f"alignas({ALIGNMENT}) const unsigned char {symbol}[{len(data)}] = {{",
    ]
    for start in range(0, len(data), BYTES_PER_LINE):
        chunk = data[start : start + BYTES_PER_LINE]
        lines.append("    " + ", ".join(f"0x{byte:02x}" for byte in chunk) + ",")
    lines += ["};", "", f"const unsigned long {symbol}_size = {len(data)};", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    input_path, output_path, symbol = argv[1:]
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", symbol):
        print(f"embed_font.py: '{symbol}' is not a C++ identifier", file=sys.stderr)
        return 2
    with open(input_path, "rb") as source:
        compressed = source.read()
    try:
        data = gzip.decompress(compressed)
    except (OSError, EOFError) as error:
        print(f"embed_font.py: cannot gunzip {input_path}: {error}", file=sys.stderr)
        return 1
    if not data:
        print(f"embed_font.py: {input_path} is empty", file=sys.stderr)
        return 1
    # Only the base name and a content hash go in the output, so builds in different directories match byte for byte.
    text = render(os.path.basename(input_path), hashlib.sha256(compressed).hexdigest(), symbol, data)
    temporary = output_path + ".tmp"
    with open(temporary, "w", encoding="ascii", newline="\n") as output:
        output.write(text)
    os.replace(temporary, output_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
