#!/usr/bin/env python3
"""Measures mink's boot and build speed and prints a Markdown table of medians
against the project's targets (meson compile -C build bench).

Boots start QEMU as the tests do (tools/qemu.py) and are timed from starting
it to "Hello World!" on COM1, in alternating rounds so drift in machine load
hits every row alike:
  - BIOS / UEFI: mink.iso from a CD under SeaBIOS / OVMF.
  - floor: a trivial Multiboot stub (tools/bench/stub.asm) that QEMU loads
    itself (-kernel): no firmware boot menu, no GRUB; the least a boot takes.
  - BIOS CD boot sector: a CD whose El Torito boot sector says the line
    (tools/bench/boot_sector.asm): SeaBIOS's CD boot without GRUB.
  - stub ISO: the stub as a Multiboot2 kernel packed by tools/make_iso.sh, so
    mink minus it is what mink's own kernel costs.
  - netboot: build/netboot (meson compile netboot) through QEMU's user-mode
    networking's TFTP, under SeaBIOS (iPXE) and OVMF.
  - kernel's share: the TSC cycles from the trampoline to Hello World!, as the
    kernel itself reports them on COM1 (mink-boot-time), under SeaBIOS.
Builds: a clean `meson setup` + `meson compile iso` of a copy of the source
tree, edit->ISO (touch src/kernel/main.cpp in the copy, `meson compile iso`)
paired with edit->ELF (the same, `meson compile src/mink.elf`), and `meson
test` in the build folder. Nothing is left behind.
Console: tools/bench/console_scroll.cpp, built natively, scrolls the kernel's
framebuffer console at 1920x1080 and 3840x2160 (32 bpp) and counts the bytes
it reads back from video memory (real GPUs serve those reads uncached).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

HELLO = "Hello World!"
# Targets from issue #6.
TARGET_BIOS_OVER_FLOOR = 3.0
TARGET_UEFI_OVER_STUB = 1.05
TARGET_EDIT_TO_ISO_SECONDS = 0.6
TARGET_CLEAN_BUILD_SECONDS = 10.0
TARGET_MESON_TEST_SECONDS = 60.0
TARGET_VIDEO_MEMORY_READ_BYTES = 0
# console_scroll's lines: "1920x1080x32 log lines: 2945 lines/s" and "... : 0 bytes read from video memory per line".
SCROLL_LINE = re.compile(r"^(\d+x\d+)x32 (log|full-width) lines: (\d+) (lines/s|bytes read from video memory per line)$")
TARGET_EDIT_ISO_OVER_ELF = 2.0  # issue #14
EDIT_PAIRS_PER_BUILD = 3
BOOT_TIME_LINE = re.compile(r"mink-boot-time: (\d+) TSC cycles from entry to Hello World!, "
                            r"(?:TSC at (\d+) Hz|TSC rate unknown)")
EDITED_SOURCE = os.path.join("src", "kernel", "main.cpp")


class BenchmarkError(Exception):
    pass


def timed(command, **kwargs):
    start = time.monotonic()
    result = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, **kwargs)
    if result.returncode != 0:
        raise BenchmarkError(f"`{' '.join(command)}` failed (exit {result.returncode}):\n{result.stdout}")
    return time.monotonic() - start


def boot_seconds(boot):
    start = time.monotonic()
    with qemu.Machine(timeout=60, **boot) as machine:
        if machine.wait(HELLO):
            return time.monotonic() - start
        raise BenchmarkError(f"no {HELLO!r} from {boot}; COM1 said:\n{machine.serial}")


def kernel_boot_cycles(boot):
    """The kernel's own report of its share of the boot: (TSC cycles, TSC Hz or None)."""
    with qemu.Machine(timeout=60, **boot) as machine:
        if machine.wait(lambda: BOOT_TIME_LINE.search(machine.serial)):
            cycles, hz = BOOT_TIME_LINE.search(machine.serial).groups()
            return int(cycles), int(hz) if hz else None
        raise BenchmarkError(f"no mink-boot-time line from {boot}; COM1 said:\n{machine.serial}")


def edit_pairs(build, env):
    """Edit->ISO and edit->ELF, pair by pair, in a built folder."""
    iso, elf = [], []
    for _ in range(EDIT_PAIRS_PER_BUILD):
        for target, times in (("iso", iso), (os.path.join("src", "mink.elf"), elf)):
            os.utime(os.path.join(env["MINK_BENCH_SOURCE"], EDITED_SOURCE))
            times.append(timed(["meson", "compile", "-C", build, target], env=env))
    return iso, elf


def devloop_rows(boots, edit_iso, edit_elf, cycles):
    """The edit-boot loop's rows: edit->ISO against edit->ELF, network boot, the kernel's share."""
    ratios = [iso / elf for iso, elf in zip(edit_iso, edit_elf)]
    ratio = statistics.median(ratios)
    counts = [c for c, _ in cycles]
    rates = {hz for _, hz in cycles}
    share = f"{statistics.median(counts) / 1e6:.2f} M cycles"
    if None not in rates and len(rates) == 1:
        share += f" ({statistics.median(counts) / rates.pop() * 1e3:.1f} ms)"
    else:
        share += " (the CPU states no TSC rate)"
    return [
        row("edit main.cpp -> ELF", *seconds(edit_elf, 2)),
        row("edit -> ISO / edit -> ELF (pair by pair)", f"{ratio:.2f}x", f"{min(ratios):.2f}–{max(ratios):.2f}",
            f"<= {TARGET_EDIT_ISO_OVER_ELF:.0f}x", ratio <= TARGET_EDIT_ISO_OVER_ELF),
        row("netboot BIOS (PXE, TFTP) to Hello World!", *seconds(boots["netboot-bios"])),
        row("netboot UEFI (TFTP) to Hello World!", *seconds(boots["netboot-uefi"])),
        row("kernel: entry to Hello World! (TSC)", share, f"{min(counts) / 1e6:.2f}–{max(counts) / 1e6:.2f} M")]


def loaded_size(objdump, elf):
    """The sum of the PT_LOAD segments' memory sizes: what the kernel occupies once loaded."""
    headers = subprocess.run([objdump, "-p", elf], check=True, capture_output=True, text=True).stdout
    return sum(int(size, 16) for size in re.findall(r"^ *LOAD .*\n.* memsz (0x[0-9a-f]+)", headers, re.M))


def build_times(args, work):
    """Clean configure+build+ISO and edit->ISO times in a copy of the source tree (no .git, no build folders)."""
    source = os.path.join(work, "source")
    shutil.copytree(args.source_root, source, symlinks=True, ignore=lambda folder, names: [
        n for n in names if n == ".git" or os.path.isdir(os.path.join(folder, n, "meson-private"))])
    env = dict(os.environ, TMPDIR=work, MINK_BENCH_SOURCE=source)
    clean, edit_iso, edit_elf = [], [], []
    for run in range(args.build_runs):
        build = os.path.join(work, f"build-{run}")
        clean.append(timed(["meson", "setup", build, source, "--cross-file",
                            os.path.join(source, "cross", "x86_64-elf.ini")], env=env)
                     + timed(["meson", "compile", "-C", build, "iso"], env=env))
        iso, elf = edit_pairs(build, env)
        edit_iso += iso
        edit_elf += elf
        shutil.rmtree(build)
    return clean, edit_iso, edit_elf


def console_scroll(args):
    """Per screen size and line kind, median lines/s over the runs and the most bytes read back from video memory."""
    rates, reads = {}, {}
    for _ in range(args.build_runs):
        result = subprocess.run([args.console_scroll, args.font], stdin=subprocess.DEVNULL, capture_output=True,
                                text=True)
        if result.returncode != 0:
            raise BenchmarkError(f"console-scroll failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
        for size, kind, value, unit in (m.groups() for m in map(SCROLL_LINE.match, result.stdout.splitlines()) if m):
            if unit == "lines/s":
                rates.setdefault((size, kind), []).append(int(value))
            else:
                reads[(size, kind)] = max(reads.get((size, kind), 0), int(value))
    if not rates or rates.keys() != reads.keys():
        raise BenchmarkError(f"console-scroll printed no figures:\n{result.stdout}")
    return {key: statistics.median(values) for key, values in rates.items()}, reads


def seconds(times, digits=3):
    """A median and its range, as table cells."""
    return f"{statistics.median(times):.{digits}f} s", f"{min(times):.2f}–{max(times):.2f}"


def row(measure, value, spread="", target="", met=None):
    return f"| {measure} | {value} | {spread} | {target} | {'' if met is None else 'yes' if met else 'no'} |"


def table(args, boots, clean, edit, tests, scroll, more_rows=()):
    med = {name: statistics.median(times) for name, times in boots.items()}
    bios_ratio, uefi_ratio = med["bios"] / med["floor"], med["uefi"] / med["uefi-stub"]
    iso_size, loaded = os.path.getsize(args.iso), loaded_size(args.objdump, args.elf)
    return "\n".join([
        f"Medians: boots over {args.runs} alternating rounds, builds and tests over {args.build_runs} runs "
        f"({os.cpu_count()} CPUs, QEMU TCG).", "",
        "| measure | median | range | target | met |", "| --- | --- | --- | --- | --- |",
        row("BIOS boot to Hello World!", *seconds(boots["bios"])),
        row("floor: Multiboot stub via -kernel", *seconds(boots["floor"])),
        row("BIOS / floor", f"{bios_ratio:.2f}x", "", f"<= {TARGET_BIOS_OVER_FLOOR:.0f}x",
            bios_ratio <= TARGET_BIOS_OVER_FLOOR),
        row("BIOS CD boot sector, no GRUB", *seconds(boots["boot-sector"])),
        row("BIOS stub ISO (GRUB + stub)", *seconds(boots["bios-stub"])),
        row("UEFI boot to Hello World!", *seconds(boots["uefi"])),
        row("UEFI stub ISO", *seconds(boots["uefi-stub"])),
        row("UEFI / UEFI stub ISO", f"{uefi_ratio:.3f}x", "", f"<= {TARGET_UEFI_OVER_STUB:.2f}x",
            uefi_ratio <= TARGET_UEFI_OVER_STUB),
        row("ISO size", f"{iso_size / 2**20:.2f} MiB ({iso_size} B)", "", f"<= {args.iso_limit / 2**20:g} MiB",
            iso_size <= args.iso_limit),
        row("kernel loaded size (PT_LOAD memsz)", f"{loaded / 1024:.1f} KiB ({loaded} B)"),
        row("clean configure + build + ISO", *seconds(clean, 2), f"<= {TARGET_CLEAN_BUILD_SECONDS:.0f} s",
            statistics.median(clean) <= TARGET_CLEAN_BUILD_SECONDS),
        row("edit main.cpp -> ISO", *seconds(edit, 2), f"<= {TARGET_EDIT_TO_ISO_SECONDS} s",
            statistics.median(edit) <= TARGET_EDIT_TO_ISO_SECONDS),
        *more_rows,
        row("meson test (whole suite)", *seconds(tests, 2), f"<= {TARGET_MESON_TEST_SECONDS:.0f} s",
            statistics.median(tests) <= TARGET_MESON_TEST_SECONDS)]
        + [row(f"console scroll, {size}x32, {kind} lines", f"{rate:.0f} lines/s (CPU time)")
           for (size, kind), rate in scroll[0].items()]
        + [row(f"video memory read, {size}x32, {kind} lines", f"{read} B per line", "",
               f"{TARGET_VIDEO_MEMORY_READ_BYTES} B", read <= TARGET_VIDEO_MEMORY_READ_BYTES)
           for (size, kind), read in scroll[1].items()])


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("--build-dir", "--source-root", "--iso", "--elf", "--stub-kernel", "--stub-iso",
                 "--boot-sector-iso", "--netboot"):
        p.add_argument(name, required=True)
    p.add_argument("--iso-limit", type=int, required=True, help="the ISO size limit in bytes (tests/kernel)")
    p.add_argument("--objdump", default="llvm-objdump")
    p.add_argument("--console-scroll", required=True, help="tools/bench/console_scroll.cpp, built")
    p.add_argument("--font", required=True, help="the console font, decompressed PSF")
    p.add_argument("--runs", type=int, default=7, help="alternating boot rounds")
    p.add_argument("--build-runs", type=int, default=3,
                   help=f"clean builds (each followed by {EDIT_PAIRS_PER_BUILD} edit->ISO/ELF pairs), meson test runs")
    args = p.parse_args(argv)
    if shutil.which(qemu.QEMU) is None:  # the build needs no QEMU; the boots measured here do
        sys.exit(f"benchmark failed: it boots in {qemu.QEMU}: "
                 "install it with `sudo apt-get install qemu-system-x86`")
    print("mink benchmark; reproduce with: meson compile -C build bench", flush=True)
    boots = {"bios": {"image": args.iso}, "floor": {"kernel": args.stub_kernel},
             "boot-sector": {"image": args.boot_sector_iso}, "bios-stub": {"image": args.stub_iso},
             "uefi": {"image": args.iso, "firmware": "uefi"}, "uefi-stub": {"image": args.stub_iso, "firmware": "uefi"},
             "netboot-bios": {"netboot": args.netboot}, "netboot-uefi": {"netboot": args.netboot, "firmware": "uefi"}}
    try:
        times = {name: [] for name in boots}
        cycles = []
        for _ in range(args.runs):
            for name, boot in boots.items():
                times[name].append(boot_seconds(boot))
            cycles.append(kernel_boot_cycles(boots["bios"]))
        with tempfile.TemporaryDirectory(prefix="mink-bench-") as work:
            clean, edit, edit_elf = build_times(args, work)
        tests = [timed(["meson", "test", "-C", args.build_dir, "--no-rebuild"]) for _ in range(args.build_runs)]
        scroll = console_scroll(args)
    except (BenchmarkError, qemu.QemuError) as error:
        sys.exit(f"benchmark failed: {error}")
    print(table(args, times, clean, edit, tests, scroll, devloop_rows(times, edit, edit_elf, cycles)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
