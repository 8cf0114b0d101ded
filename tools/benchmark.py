#!/usr/bin/env python3
"""Measures mink's boot and build speed and prints a Markdown table of medians
against the project's targets (meson compile -C build bench).

Boots are timed from QEMU's process start to "Hello World!" on serial, in
alternating rounds so drift in machine load hits every row alike:
  - BIOS: mink.iso under SeaBIOS (-boot d -net none).
  - floor: a trivial Multiboot 1 stub loaded by QEMU itself (-kernel): no
    firmware boot menu, no GRUB; the least any QEMU boot can take here.
  - BIOS boot sector: a CD whose El Torito boot sector prints the line
    itself: what SeaBIOS's CD boot costs without GRUB.
  - BIOS stub ISO: the same stub as a Multiboot2 kernel in an ISO made by
    tools/make_iso.sh, so BIOS minus this row is what mink's kernel costs.
  - UEFI / UEFI stub ISO: both ISOs under OVMF (-machine q35 -nodefaults
    -vga std -net none -bios OVMF.fd: measured fastest here, and it needs no
    variable store file).
Builds: a clean `meson setup` + `meson compile iso` of a copy of the source
tree in a temporary folder, edit->ISO (touch src/kernel/main.cpp in that copy,
`meson compile iso`), and `meson test` in the given build folder.
Nothing is left behind: temporary folders are removed and QEMU is killed.
"""

import argparse
import os
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HELLO = b"Hello World!"
BOOT_TIMEOUT_SECONDS = 60
# Targets from issue #6.
TARGET_BIOS_OVER_FLOOR = 3.0
TARGET_UEFI_OVER_STUB = 1.05
TARGET_EDIT_TO_ISO_SECONDS = 0.6
TARGET_CLEAN_BUILD_SECONDS = 10.0
TARGET_MESON_TEST_SECONDS = 60.0
ELF_PT_LOAD = 1
EDITED_SOURCE = os.path.join("src", "kernel", "main.cpp")

# A trivial kernel: says the same line on COM1 as mink, then halts. Built as
# a Multiboot 1 image for QEMU's -kernel and as a Multiboot2 image (with the
# same optional framebuffer tag as mink) for GRUB; both flat binaries that
# carry their load address in the header.
STUB_COMMON = r"""
bits 32
%define LOAD_ADDRESS 0x100000
%define COM1 0x3F8
org LOAD_ADDRESS
"""
STUB_MULTIBOOT1 = STUB_COMMON + r"""
%define MB1_MAGIC 0x1BADB002
%define MB1_FLAG_ADDRESSES (1 << 16)        ; the load address fields below are valid
header:
    dd MB1_MAGIC, MB1_FLAG_ADDRESSES, -(MB1_MAGIC + MB1_FLAG_ADDRESSES)
    dd header, LOAD_ADDRESS, 0, 0, start    ; header, load, load end (whole file), bss end, entry
%include "stub_body.inc"
"""
STUB_MULTIBOOT2 = STUB_COMMON + r"""
%define MB2_MAGIC 0xE85250D6
%define MB2_TAG_END 0
%define MB2_TAG_ADDRESS 2
%define MB2_TAG_ENTRY 3
%define MB2_TAG_FRAMEBUFFER 5
%define MB2_TAG_OPTIONAL 1
align 8
header:
    dd MB2_MAGIC, 0, header_end - header, -(MB2_MAGIC + (header_end - header))
    align 8
    dw MB2_TAG_ADDRESS, 0
    dd 24, header, LOAD_ADDRESS, 0, 0       ; header, load, load end (whole file), bss end
    align 8
    dw MB2_TAG_ENTRY, 0
    dd 12, start
    align 8
    dw MB2_TAG_FRAMEBUFFER, MB2_TAG_OPTIONAL
    dd 20, 0, 0, 0
    align 8
    dw MB2_TAG_END, 0
    dd 8
header_end:
%include "stub_body.inc"
"""
# The same line from a no-emulation El Torito boot sector (real mode, at 0x7C00).
BOOT_SECTOR = r"""
bits 16
org 0x7C00
%define COM1 0x3F8
%define CD_SECTOR_BYTES 2048
    mov dx, COM1
    mov si, message
.next:
    lodsb
    test al, al
    jz .halt
    out dx, al
    jmp .next
.halt:
    cli
    hlt
    jmp .halt
message: db "Hello World!", 10, 0
times CD_SECTOR_BYTES - ($ - $$) db 0
"""
STUB_BODY = r"""
start:
    mov dx, COM1
    mov esi, message
.next:
    lodsb
    test al, al
    jz .halt
    out dx, al
    jmp .next
.halt:
    cli
    hlt
    jmp .halt
message: db "Hello World!", 10, 0
"""


class BenchmarkError(Exception):
    pass


def run_quiet(command, cwd=None, env=None):
    result = subprocess.run(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise BenchmarkError(f"`{' '.join(command)}` failed (exit {result.returncode}):\n{result.stdout}")


def timed(command, cwd=None, env=None):
    start = time.monotonic()
    run_quiet(command, cwd=cwd, env=env)
    return time.monotonic() - start


def boot_seconds(command):
    """Seconds from starting QEMU to HELLO on its serial (stdout)."""
    start = time.monotonic()
    qemu = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    seen = b""
    try:
        while HELLO not in seen:
            remaining = start + BOOT_TIMEOUT_SECONDS - time.monotonic()
            ready, _, _ = select.select([qemu.stdout], [], [], max(remaining, 0))
            chunk = os.read(qemu.stdout.fileno(), 65536) if ready else b""
            if not chunk:
                raise BenchmarkError(f"no {HELLO.decode()!r} from `{' '.join(command)}`; it said:\n"
                                     + seen.decode(errors="replace"))
            seen += chunk
        return time.monotonic() - start
    finally:
        qemu.kill()
        qemu.wait()


def loaded_size(elf_path):
    """Sum of PT_LOAD p_memsz in a 64-bit little-endian ELF: what the kernel occupies once loaded."""
    with open(elf_path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise BenchmarkError(f"{elf_path} is not a 64-bit ELF")
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    total = 0
    for i in range(phnum):
        p_type, = struct.unpack_from("<I", data, phoff + i * phentsize)
        if p_type == ELF_PT_LOAD:
            total += struct.unpack_from("<Q", data, phoff + i * phentsize + 0x28)[0]
    return total


def copy_sources(source_root, destination):
    """Copies the source tree without .git and build folders (any folder with meson-private)."""
    def ignore(folder, names):
        return [n for n in names if n == ".git" or os.path.isdir(os.path.join(folder, n, "meson-private"))]
    shutil.copytree(source_root, destination, ignore=ignore, symlinks=True)


def build_stubs(work, source_root, nasm):
    with open(os.path.join(work, "stub_body.inc"), "w") as f:
        f.write(STUB_BODY)
    stubs = {}
    for name, text in (("stub-mb1.bin", STUB_MULTIBOOT1), ("stub-mb2.bin", STUB_MULTIBOOT2)):
        asm = os.path.join(work, name + ".asm")
        with open(asm, "w") as f:
            f.write(text)
        run_quiet([nasm, "-f", "bin", "-I", work + "/", "-o", os.path.join(work, name), asm])
        stubs[name] = os.path.join(work, name)
    boot_root = os.path.join(work, "boot-sector-root")
    os.makedirs(boot_root)
    with open(os.path.join(work, "boot-sector.asm"), "w") as f:
        f.write(BOOT_SECTOR)
    run_quiet([nasm, "-f", "bin", "-o", os.path.join(boot_root, "boot.bin"), os.path.join(work, "boot-sector.asm")])
    boot_sector_iso = os.path.join(work, "boot-sector.iso")
    run_quiet(["xorriso", "-as", "mkisofs", "-b", "boot.bin", "-no-emul-boot", "-boot-load-size", "4",
               "-o", boot_sector_iso, boot_root])
    stub_iso = os.path.join(work, "stub.iso")
    run_quiet([os.path.join(source_root, "tools", "make_iso.sh"), stub_iso, stubs["stub-mb2.bin"],
               os.path.join(source_root, "iso", "grub.cfg")],
              env=dict(os.environ, TMPDIR=work))
    return stubs["stub-mb1.bin"], stub_iso, boot_sector_iso


def boot_commands(args, iso, stub_kernel, stub_iso, boot_sector_iso):
    base = [args.qemu, "-display", "none", "-serial", "stdio", "-monitor", "none", "-net", "none",
            "-no-reboot", "-m", "128M"]

    def cd(image):
        return ["-drive", f"file={image},media=cdrom,format=raw,readonly=on"]
    uefi = ["-machine", "q35", "-nodefaults", "-vga", "std", "-bios", args.ovmf]
    return {
        "bios": base + ["-boot", "d"] + cd(iso),
        "floor": base + ["-kernel", stub_kernel],
        "boot-sector": base + ["-boot", "d"] + cd(boot_sector_iso),
        "bios-stub": base + ["-boot", "d"] + cd(stub_iso),
        "uefi": base + uefi + cd(iso),
        "uefi-stub": base + uefi + cd(stub_iso),
    }


def measure(args):
    work = tempfile.mkdtemp(prefix="mink-bench-")
    try:
        build_dir = os.path.abspath(args.build_dir)
        iso = os.path.join(build_dir, "mink.iso")
        elf = os.path.join(build_dir, "src", "mink.elf")
        commands = boot_commands(args, iso, *build_stubs(work, args.source_root, args.nasm))
        boots = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                boots[name].append(boot_seconds(command))

        source_copy = os.path.join(work, "src-copy")
        copy_sources(args.source_root, source_copy)
        env = dict(os.environ, TMPDIR=work)
        clean, edit = [], []
        for run in range(args.build_runs):
            build = os.path.join(work, f"build-{run}")
            clean.append(timed([args.meson, "setup", build, source_copy, "--cross-file",
                                os.path.join(source_copy, "cross", "x86_64-elf.ini")], env=env)
                         + timed([args.meson, "compile", "-C", build, "iso"], env=env))
            os.utime(os.path.join(source_copy, EDITED_SOURCE))
            edit.append(timed([args.meson, "compile", "-C", build, "iso"], env=env))
            shutil.rmtree(build)
        tests = [timed([args.meson, "test", "-C", build_dir, "--no-rebuild"]) for _ in range(args.build_runs)]
        return {"boots": boots, "clean": clean, "edit": edit, "tests": tests,
                "iso_size": os.path.getsize(iso), "loaded": loaded_size(elf)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table(m, args):
    med = {name: statistics.median(times) for name, times in m["boots"].items()}

    def spread(times):
        return f"{min(times):.2f}–{max(times):.2f}"
    bios_ratio = med["bios"] / med["floor"]
    uefi_ratio = med["uefi"] / med["uefi-stub"]
    rows = [
        ("BIOS boot to Hello World!", f"{med['bios']:.3f} s", spread(m["boots"]["bios"]), "", ""),
        ("floor: Multiboot stub via -kernel", f"{med['floor']:.3f} s", spread(m["boots"]["floor"]), "", ""),
        ("BIOS / floor", f"{bios_ratio:.2f}x", "", f"<= {TARGET_BIOS_OVER_FLOOR:.0f}x",
         "yes" if bios_ratio <= TARGET_BIOS_OVER_FLOOR else "no"),
        ("BIOS CD boot sector, no GRUB", f"{med['boot-sector']:.3f} s", spread(m["boots"]["boot-sector"]), "", ""),
        ("BIOS stub ISO (GRUB + stub)", f"{med['bios-stub']:.3f} s", spread(m["boots"]["bios-stub"]), "", ""),
        ("UEFI boot to Hello World!", f"{med['uefi']:.3f} s", spread(m["boots"]["uefi"]), "", ""),
        ("UEFI stub ISO", f"{med['uefi-stub']:.3f} s", spread(m["boots"]["uefi-stub"]), "", ""),
        ("UEFI / UEFI stub ISO", f"{uefi_ratio:.3f}x", "", f"<= {TARGET_UEFI_OVER_STUB:.2f}x",
         "yes" if uefi_ratio <= TARGET_UEFI_OVER_STUB else "no"),
        ("ISO size", f"{m['iso_size'] / 2**20:.2f} MiB ({m['iso_size']} B)", "", "<= 4 MiB",
         "yes" if m["iso_size"] <= 4 * 2**20 else "no"),
        ("kernel loaded size (PT_LOAD memsz)", f"{m['loaded'] / 1024:.1f} KiB ({m['loaded']} B)", "", "", ""),
        ("clean configure + build + ISO", f"{statistics.median(m['clean']):.2f} s", spread(m["clean"]),
         f"<= {TARGET_CLEAN_BUILD_SECONDS:.0f} s",
         "yes" if statistics.median(m["clean"]) <= TARGET_CLEAN_BUILD_SECONDS else "no"),
        ("edit main.cpp -> ISO", f"{statistics.median(m['edit']):.2f} s", spread(m["edit"]),
         f"<= {TARGET_EDIT_TO_ISO_SECONDS} s",
         "yes" if statistics.median(m["edit"]) <= TARGET_EDIT_TO_ISO_SECONDS else "no"),
        ("meson test (whole suite)", f"{statistics.median(m['tests']):.2f} s", spread(m["tests"]),
         f"<= {TARGET_MESON_TEST_SECONDS:.0f} s",
         "yes" if statistics.median(m["tests"]) <= TARGET_MESON_TEST_SECONDS else "no"),
    ]
    lines = [f"Medians: boots over {args.runs} alternating rounds, builds and tests over {args.build_runs} runs "
             f"({os.cpu_count()} CPUs, QEMU TCG).", "",
             "| measure | median | range | target | met |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    return "\n".join(lines)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build-dir", required=True, help="a configured build folder (its mink.iso is booted)")
    p.add_argument("--source-root", required=True)
    p.add_argument("--runs", type=int, default=7, help="alternating boot rounds")
    p.add_argument("--build-runs", type=int, default=3, help="clean builds, edit->ISO and meson test runs")
    p.add_argument("--qemu", default="qemu-system-x86_64")
    p.add_argument("--nasm", default="nasm")
    p.add_argument("--meson", default="meson")
    p.add_argument("--ovmf", default="/usr/share/qemu/OVMF.fd", help="OVMF image for -bios")
    args = p.parse_args(argv)
    if args.runs < 1 or args.build_runs < 1:
        p.error("--runs and --build-runs must be at least 1")
    for path in (os.path.join(args.build_dir, "mink.iso"), args.ovmf):
        if not os.path.isfile(path):
            p.error(f"{path}: no such file")
    args.source_root = os.path.abspath(args.source_root)
    print("mink benchmark; reproduce with: meson compile -C build bench\n  or: "
          + " ".join([sys.executable, os.path.abspath(__file__)] + argv), flush=True)
    try:
        measurements = measure(args)
    except BenchmarkError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    print(table(measurements, args))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
