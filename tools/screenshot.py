#!/usr/bin/env python3
"""Takes the README's screenshots from real boots: boots the shipped ISO in
QEMU under SeaBIOS and under OVMF, waits for the boot summary on serial, saves
QEMU's screendump and writes it as PNG.

Usage: tools/screenshot.py BUILD_DIR OUTPUT_DIR   (meson compile -C build screenshots)
"""

import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests/qemu"))
import ppm  # noqa: E402


def main(build_dir, output_dir):
    build, output = pathlib.Path(build_dir), pathlib.Path(output_dir)
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for firmware in ("bios", "uefi"):
            dump = pathlib.Path(scratch) / f"{firmware}.ppm"
            command = [sys.executable, str(ROOT / "tests/qemu/qemu_harness.py"), "--image", str(build / "mink.iso"),
                       "--firmware", firmware, "--expect-serial", "Hello World!", "--expect-serial", "Screen:", "--settle", "1",
                       "--screendump", str(dump),
                       "--timeout", "60"]
            result = subprocess.run(command, capture_output=True, text=True)
            if result.returncode != 0:
                print(result.stdout + result.stderr)
                return 1
            image = ppm.read_ppm(dump)
            png = output / f"boot-{firmware}.png"
            ppm.write_png(image, png)
            print(f"{png}: {image.width}x{image.height}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
