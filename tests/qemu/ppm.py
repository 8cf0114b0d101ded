"""Reading QEMU screendumps (binary PPM, P6) and writing them as PNG, with
nothing but the Python standard library."""

import struct
import zlib


class Image:
    def __init__(self, width, height, pixels):
        self.width, self.height, self.pixels = width, height, pixels  # pixels: RGB bytes, row-major

    def rgb(self, x, y):
        i = (y * self.width + x) * 3
        return tuple(self.pixels[i:i + 3])


def _tokens(data):
    """Yields the header fields of a PPM and finally the offset of the pixel data."""
    i = 0
    for _ in range(4):
        while data[i:i + 1].isspace() or data[i:i + 1] == b"#":
            if data[i:i + 1] == b"#":
                i = data.index(b"\n", i)
            i += 1
        start = i
        while not data[i:i + 1].isspace():
            i += 1
        yield data[start:i]
    yield i + 1


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, width, height, maxval, offset = _tokens(data)
    if magic != b"P6" or int(maxval) != 255:
        raise ValueError(f"{path}: not an 8-bit binary PPM")
    width, height = int(width), int(height)
    return Image(width, height, data[offset:offset + width * height * 3])


def write_png(image, path):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    stride = image.width * 3
    raw = b"".join(b"\x00" + image.pixels[y * stride:(y + 1) * stride] for y in range(image.height))
    header = struct.pack(">IIBBBBB", image.width, image.height, 8, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
                + chunk(b"IEND", b""))
