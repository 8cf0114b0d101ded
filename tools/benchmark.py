#!/usr/bin/env python3
"""Measures mink's boot and build speed and prints a Markdown table of medians
against the project's targets. With --write (as `meson compile -C build bench`
runs it) it also writes docs/figures.md whole, with the machine it ran on, and
the README's headline table between its two marker lines, and nothing else.

Boots start QEMU as the tests do (tools/qemu.py) and are timed from starting
it to the greeting on COM1, in alternating rounds so drift in machine load
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
  - kernel's share: the TSC cycles from the trampoline to the greeting, as the
    kernel itself reports them on COM1 (mink-boot-time), under SeaBIOS.
A boot that fails stops the run with its name, medium, firmware and machine,
and what COM1 and the screen showed last (the screen also as
build/bench-failed-<boot>.png).
Builds: a clean `meson setup` + `meson compile iso` of a copy of the source
tree, edit->ISO (touch src/kernel/main.cpp in the copy, `meson compile iso`)
paired with edit->ELF (the same, `meson compile src/mink.elf`), and `meson
test` in the build folder. Nothing else is left behind.
Console: tools/bench/console_scroll.cpp, built natively, scrolls the kernel's
framebuffer console at 1920x1080 and 3840x2160 (32 bpp) and counts the bytes
it reads back from video memory (real GPUs serve those reads uncached).
Threads: the test kernel's bench_threads (src/kernel/sched/
switch_bench_ktest.cpp), booted under SeaBIOS with QEMU's -icount shift=0,
where the guest's TSC counts instructions, prints what a switch between two
kernel threads and a thread's create + join cost in instructions: the same
figures on any host. `--only threads` measures just those, and writes nothing
(meson compile -C build bench-threads).
"""

import argparse
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import figures  # noqa: E402
import greeting  # noqa: E402
import qemu  # noqa: E402

# What a boot says when it is done: mink's greeting (src/kernel/main.cpp, which
# a learner may have edited) or the stubs' line (tools/bench/say_hello.inc).
HELLO = greeting.read()
STUB_HELLO = "Hello World!"
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
BOOT_TIME_LINE = re.compile(r"mink-boot-time: (\d+) TSC cycles from entry to the greeting, "
                            r"(?:TSC at (\d+) Hz|TSC rate unknown)")
# The boot summary's calibration: "Timer: 100 Hz tick, local APIC 1000 kHz, TSC 2100 MHz (HPET)", or "Timer: none".
TIMER_LINE = re.compile(r"Timer: +(?:none|.*, TSC (\d+) MHz \()")
EDITED_SOURCE = os.path.join("src", "kernel", "main.cpp")
# Threads (issue #20): the test kernel's isolated test that prints the figures, run by name as the test harness
# runs one (tests/harness.py; src/kernel/testing/harness.cpp), under -icount shift=0: one instruction per
# nanosecond of virtual time, which the guest's TSC reads.
THREADS_TEST = "bench_threads"
ICOUNT_ARGS = ["-icount", "shift=0"]
TEST_READY = "mink-test: ready"
THREAD_FIGURE_LINE = re.compile(r"^mink-bench: (switch|create\+join) (\d+\.\d) TSC ticks", re.M)
CALIBRATION_LINE = re.compile(r"^mink-bench: calibration (\d+) instructions in (\d+) TSC ticks$", re.M)
CALIBRATION_SLACK = 0.001  # the TSC reads around the loop add a few instructions to its two million
TARGET_SWITCH_INSTRUCTIONS = 150
# Other kernels' published figures, for scale: cycles and time on real CPUs, not QEMU's instructions.
SWITCH_ANCHORS = "seL4's IPC call 381–628 cycles (Skylake/Haswell), L4Ka's full context switch ~0.14 µs"


class BenchmarkError(Exception):
    pass


def timed(command, **kwargs):
    start = time.monotonic()
    result = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, **kwargs)
    if result.returncode != 0:
        raise BenchmarkError(f"`{' '.join(command)}` failed (exit {result.returncode}):\n{result.stdout}")
    return time.monotonic() - start


def boot_until(name, boot, screenshot_dir, until, what):
    """Boots BOOT (named NAME) until UNTIL(COM1's text) holds and returns the Machine, still running. A boot
    that times out or stops first raises a BenchmarkError saying which boot it was (medium, firmware, machine),
    what went wrong and what COM1 and the screen showed last; the screen is kept as a PNG in SCREENSHOT_DIR."""
    try:
        machine = qemu.Machine(timeout=60, **boot)
    except qemu.QemuError as error:
        raise BenchmarkError(f"boot '{name}' ({qemu.describe(**boot)}): {error}") from None
    try:
        if machine.wait(lambda: until(machine.serial)):
            return machine
        problem = f"QEMU exited with status {machine.exit_status} before {what}"
    except qemu.QemuError as error:
        problem = f"no {what}: {error}"
    except BaseException:
        machine.close()
        raise
    try:
        seen = machine.last_seen(screenshot=os.path.join(screenshot_dir, f"bench-failed-{name}.png"))
    except qemu.QemuError as error:  # QEMU went away while we looked
        seen = f"(COM1 and the screen could not be read: {error})"
    finally:
        machine.close()  # keeps what QEMU itself printed in .output
    said = f"\nQEMU said:\n{machine.output.strip()}" if machine.output.strip() else ""
    raise BenchmarkError(f"boot '{name}' ({machine.description}): {problem}\n{seen}{said}")


def boot_seconds(name, boot, screenshot_dir):
    start = time.monotonic()
    with boot_until(name, boot, screenshot_dir, lambda serial: HELLO in serial or STUB_HELLO in serial,
                    f"{HELLO!r} on COM1"):
        return time.monotonic() - start


def kernel_boot_cycles(name, boot, screenshot_dir):
    """The kernel's own report of its share of the boot: (TSC cycles, TSC Hz or None). Where the CPU states
    no TSC rate, the rate the kernel calibrated against its reference clock (the boot summary's Timer line)."""
    with boot_until(name, boot, screenshot_dir, BOOT_TIME_LINE.search, "mink-boot-time line on COM1") as machine:
        cycles, hz = BOOT_TIME_LINE.search(machine.serial).groups()
        if hz is None and machine.wait(lambda: TIMER_LINE.search(machine.serial)):
            mhz = TIMER_LINE.search(machine.serial).group(1)
            hz = int(mhz) * 1000000 if mhz else None
        return int(cycles), int(hz) if hz else None


def thread_figures(args):
    """One boot of the test kernel running THREADS_TEST under -icount shift=0: {"switch": instructions,
    "create+join": instructions}. The kernel says TSC ticks; they are read as instructions once its calibration
    line shows one tick per instruction."""
    config = qemu.read_config(os.path.join(args.build_dir, "config.hpp"))
    boot = {"image": args.test_iso, "extra": ICOUNT_ARGS, "debug_exit_port": config["QEMU_DEBUG_EXIT_PORT"]}
    token = secrets.token_hex(8)
    finished = re.compile(rf"^mink-test: finished {THREADS_TEST} {token} (\S+)\n", re.M)
    with boot_until("threads", boot, args.build_dir, lambda serial: TEST_READY in serial,
                    f"{TEST_READY!r} on COM1 from {args.test_iso}") as machine:
        machine.send(f"run {THREADS_TEST} {token}\n")
        machine.wait(lambda: finished.search(machine.serial))  # or QEMU exits first: the checks below say so
        serial = machine.serial
    outcome = finished.search(serial).group(1) if finished.search(serial) else None
    figures_said = dict(THREAD_FIGURE_LINE.findall(serial))
    calibration = CALIBRATION_LINE.search(serial)
    if outcome != "passed" or set(figures_said) != {"switch", "create+join"} or not calibration:
        problem = ("never finished" if outcome is None else f"ended {outcome}" if outcome != "passed"
                   else "passed without its calibration line and both figures")
        said = "\n".join(f"  | {line}" for line in serial.splitlines()[-20:])
        raise BenchmarkError(f"the test kernel's {THREADS_TEST} ({args.test_iso}, {' '.join(ICOUNT_ARGS)}) "
                             f"{problem}; COM1's last lines:\n{said}")
    instructions, ticks = (int(n) for n in calibration.groups())
    if abs(ticks - instructions) > instructions * CALIBRATION_SLACK:
        raise BenchmarkError(f"under {' '.join(ICOUNT_ARGS)} the guest's TSC ran {ticks} ticks over a loop of "
                             f"{instructions} instructions: it does not count instructions in this QEMU, so the "
                             "thread figures, in TSC ticks, would not be instructions")
    print("\n".join(line for line in serial.splitlines() if line.startswith("mink-bench: ")), flush=True)
    return {name: float(value) for name, value in figures_said.items()}


def thread_rows(runs):
    """The full table's thread rows, from each run's thread_figures."""
    def median_and_range(name, form):
        values = [run[name] for run in runs]
        return statistics.median(values), f"{min(values):{form}}–{max(values):{form}}"
    switch, switch_range = median_and_range("switch", ".1f")
    create_join, create_join_range = median_and_range("create+join", ",.0f")
    return [row("switch between two kernel threads (-icount shift=0)", f"{switch:.1f} instructions", switch_range,
                f"<= {TARGET_SWITCH_INSTRUCTIONS} instructions; anchors: {SWITCH_ANCHORS}",
                switch <= TARGET_SWITCH_INSTRUCTIONS),
            row("thread create + join (-icount shift=0)", f"{create_join:,.0f} instructions", create_join_range)]


def edit_pairs(build, env):
    """Edit->ISO and edit->ELF, pair by pair, in a built folder."""
    iso, elf = [], []
    for _ in range(EDIT_PAIRS_PER_BUILD):
        for target, times in (("iso", iso), (os.path.join("src", "mink.elf"), elf)):
            os.utime(os.path.join(env["MINK_BENCH_SOURCE"], EDITED_SOURCE))
            times.append(timed(["meson", "compile", "-C", build, target], env=env))
    return iso, elf


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
    """One row of the full table: measure, median, range, target, met."""
    return (measure, value, spread, target, "" if met is None else "yes" if met else "no")


class Results:
    """One run's measurements, and the medians the tables share."""

    def __init__(self, args, boots, cycles, clean, edit_iso, edit_elf, tests, scroll, threads):
        self.args, self.boots, self.cycles, self.scroll, self.threads = args, boots, cycles, scroll, threads
        self.clean, self.edit_iso, self.edit_elf, self.tests = clean, edit_iso, edit_elf, tests
        self.med = med = {name: statistics.median(times) for name, times in boots.items()}
        self.bios_ratio, self.uefi_ratio = med["bios"] / med["floor"], med["uefi"] / med["uefi-stub"]
        self.edit_ratios = [iso / elf for iso, elf in zip(edit_iso, edit_elf)]
        self.edit_ratio = statistics.median(self.edit_ratios)
        self.iso_size, self.loaded = os.path.getsize(args.iso), loaded_size(args.objdump, args.elf)

    def kernel_share(self):
        """The kernel's share: median TSC cycles, and milliseconds where every boot knew its TSC rate."""
        counts = [c for c, _ in self.cycles]
        rates = [hz for _, hz in self.cycles]
        share = f"{statistics.median(counts) / 1e6:.2f} M TSC cycles"
        if None not in rates:
            share += f" ({statistics.median(counts) / statistics.median(rates) * 1e3:.1f} ms)"
        else:
            share += " (TSC rate unknown)"
        return share, f"{min(counts) / 1e6:.2f}–{max(counts) / 1e6:.2f} M"

    def full_rows(self):
        boots, args = self.boots, self.args
        scroll_rates, scroll_reads = self.scroll
        return [
            row("BIOS boot to Hello World!", *seconds(boots["bios"])),
            row("floor: Multiboot stub via -kernel", *seconds(boots["floor"])),
            row("BIOS / floor", f"{self.bios_ratio:.2f}x", "", f"<= {TARGET_BIOS_OVER_FLOOR:.0f}x",
                self.bios_ratio <= TARGET_BIOS_OVER_FLOOR),
            row("BIOS CD boot sector, no GRUB", *seconds(boots["boot-sector"])),
            row("BIOS stub ISO (GRUB + stub)", *seconds(boots["bios-stub"])),
            row("UEFI boot to Hello World!", *seconds(boots["uefi"])),
            row("UEFI stub ISO", *seconds(boots["uefi-stub"])),
            row("UEFI / UEFI stub ISO", f"{self.uefi_ratio:.3f}x", "", f"<= {TARGET_UEFI_OVER_STUB:.2f}x",
                self.uefi_ratio <= TARGET_UEFI_OVER_STUB),
            row("ISO size", f"{self.iso_size / 2**20:.2f} MiB ({self.iso_size} B)", "",
                f"<= {args.iso_limit / 2**20:g} MiB", self.iso_size <= args.iso_limit),
            row("kernel loaded size (PT_LOAD memsz)", f"{self.loaded / 1024:.1f} KiB ({self.loaded} B)"),
            row("clean configure + build + ISO", *seconds(self.clean, 2), f"<= {TARGET_CLEAN_BUILD_SECONDS:.0f} s",
                statistics.median(self.clean) <= TARGET_CLEAN_BUILD_SECONDS),
            row("edit main.cpp -> ISO", *seconds(self.edit_iso, 2), f"<= {TARGET_EDIT_TO_ISO_SECONDS} s",
                statistics.median(self.edit_iso) <= TARGET_EDIT_TO_ISO_SECONDS),
            row("edit main.cpp -> ELF", *seconds(self.edit_elf, 2)),
            row("edit -> ISO / edit -> ELF (pair by pair)", f"{self.edit_ratio:.2f}x",
                f"{min(self.edit_ratios):.2f}–{max(self.edit_ratios):.2f}", f"<= {TARGET_EDIT_ISO_OVER_ELF:.0f}x",
                self.edit_ratio <= TARGET_EDIT_ISO_OVER_ELF),
            row("netboot BIOS (PXE, TFTP) to Hello World!", *seconds(boots["netboot-bios"])),
            row("netboot UEFI (TFTP) to Hello World!", *seconds(boots["netboot-uefi"])),
            row("kernel: entry to Hello World! (TSC)", *self.kernel_share()),
            row("meson test (default suite)", *seconds(self.tests, 2), f"<= {TARGET_MESON_TEST_SECONDS:.0f} s",
                statistics.median(self.tests) <= TARGET_MESON_TEST_SECONDS)] + thread_rows(self.threads) + [
            row(f"console scroll, {size}x32, {kind} lines", f"{rate:.0f} lines/s (CPU time)")
            for (size, kind), rate in scroll_rates.items()] + [
            row(f"video memory read, {size}x32, {kind} lines", f"{read} B per line", "",
                f"{TARGET_VIDEO_MEMORY_READ_BYTES} B", read <= TARGET_VIDEO_MEMORY_READ_BYTES)
            for (size, kind), read in scroll_reads.items()]

    def headline_rows(self):
        """The README's few rows: what a reader of the README cares about, each against its target."""
        def against(text, target, met):
            verdict = f"target {target}: {'met' if met else 'missed'}"
            return f"{text}; {verdict}" if text else verdict
        med_clean, med_edit, med_tests = (statistics.median(t) for t in (self.clean, self.edit_iso, self.tests))
        switch, create_join = (statistics.median([run[name] for run in self.threads])
                               for name in ("switch", "create+join"))
        return [
            ("BIOS boot to Hello World! (SeaBIOS, CD)", f"{self.med['bios']:.2f} s",
             against(f"{self.bios_ratio:.2f}x the floor (a stub QEMU loads itself)",
                     f"<= {TARGET_BIOS_OVER_FLOOR:.0f}x", self.bios_ratio <= TARGET_BIOS_OVER_FLOOR)),
            ("UEFI boot to Hello World! (OVMF, CD)", f"{self.med['uefi']:.2f} s",
             against(f"{self.uefi_ratio:.3f}x GRUB booting a stub", f"<= {TARGET_UEFI_OVER_STUB:.2f}x",
                     self.uefi_ratio <= TARGET_UEFI_OVER_STUB)),
            ("the kernel's own share: entry to Hello World!", self.kernel_share()[0],
             "no target: firmware and GRUB take the rest of the boot"),
            ("edit main.cpp -> bootable ISO", f"{med_edit:.2f} s",
             against(f"{self.edit_ratio:.2f}x edit -> ELF", f"<= {TARGET_EDIT_ISO_OVER_ELF:.0f}x",
                     self.edit_ratio <= TARGET_EDIT_ISO_OVER_ELF)),
            ("clean configure + build + ISO", f"{med_clean:.1f} s",
             against("", f"<= {TARGET_CLEAN_BUILD_SECONDS:.0f} s", med_clean <= TARGET_CLEAN_BUILD_SECONDS)),
            ("ISO size", f"{self.iso_size / 2**20:.2f} MiB",
             against("", f"<= {self.args.iso_limit / 2**20:g} MiB", self.iso_size <= self.args.iso_limit)),
            ("default test suite (`meson test`)", f"{med_tests:.0f} s",
             against("", f"<= {TARGET_MESON_TEST_SECONDS:.0f} s", med_tests <= TARGET_MESON_TEST_SECONDS)),
            ("switch between two kernel threads (QEMU `-icount shift=0`)", f"{switch:.1f} instructions",
             against("", f"<= {TARGET_SWITCH_INSTRUCTIONS} instructions", switch <= TARGET_SWITCH_INSTRUCTIONS)
             + f"; anchors: {SWITCH_ANCHORS}"),
            ("thread create + join (QEMU `-icount shift=0`)", f"{create_join:,.0f} instructions", "no target")]

    def rounds(self):
        runs, build_runs = self.args.runs, self.args.build_runs
        return (f"Medians: boots over {runs} alternating round{'s' * (runs != 1)}; builds, tests and thread "
                f"figures over {build_runs} run{'s' * (build_runs != 1)}.")


def measure(args):
    """Every measurement: the thread figures first (they take seconds and fail fast), then boots (in alternating
    rounds), builds, the test suite and the console."""
    threads = [thread_figures(args) for _ in range(args.build_runs)]
    boots = {"bios": {"image": args.iso}, "floor": {"kernel": args.stub_kernel},
             "boot-sector": {"image": args.boot_sector_iso}, "bios-stub": {"image": args.stub_iso},
             "uefi": {"image": args.iso, "firmware": "uefi"}, "uefi-stub": {"image": args.stub_iso, "firmware": "uefi"},
             "netboot-bios": {"netboot": args.netboot}, "netboot-uefi": {"netboot": args.netboot, "firmware": "uefi"}}
    times = {name: [] for name in boots}
    cycles = []
    for _ in range(args.runs):
        for name, boot in boots.items():
            times[name].append(boot_seconds(name, boot, args.build_dir))
        cycles.append(kernel_boot_cycles("bios", boots["bios"], args.build_dir))
    with tempfile.TemporaryDirectory(prefix="mink-bench-") as work:
        clean, edit_iso, edit_elf = build_times(args, work)
    tests = [timed(["meson", "test", "-C", args.build_dir, "--no-rebuild"]) for _ in range(args.build_runs)]
    return Results(args, times, cycles, clean, edit_iso, edit_elf, tests, console_scroll(args), threads)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("--build-dir", "--source-root", "--iso", "--elf", "--stub-kernel", "--stub-iso",
                 "--boot-sector-iso", "--netboot", "--test-iso"):
        p.add_argument(name, required=True)
    p.add_argument("--iso-limit", type=int, required=True, help="the ISO size limit in bytes (tests/kernel)")
    p.add_argument("--objdump", default="llvm-objdump")
    p.add_argument("--console-scroll", required=True, help="tools/bench/console_scroll.cpp, built")
    p.add_argument("--font", required=True, help="the console font, decompressed PSF")
    p.add_argument("--runs", type=int, default=figures.DEFAULT_RUNS, help="alternating boot rounds")
    p.add_argument("--build-runs", type=int, default=figures.DEFAULT_BUILD_RUNS,
                   help=f"clean builds (each followed by {EDIT_PAIRS_PER_BUILD} edit->ISO/ELF pairs), meson test runs")
    p.add_argument("--write", action="store_true",
                   help="write docs/figures.md and the README's headline table in the source tree")
    p.add_argument("--only", choices=["threads"], help="measure only these figures and print them (with "
                   "--build-runs boots); writes nothing, since the page is written whole")
    args = p.parse_args(argv)
    if args.only and args.write:
        p.error("--only writes nothing: the figures page is written whole, from a whole run")
    if shutil.which(qemu.QEMU) is None:  # the build needs no QEMU; the boots measured here do
        sys.exit(f"benchmark failed: it boots in {qemu.QEMU}: "
                 "install it with `sudo apt-get install qemu-system-x86`")
    print(f"mink benchmark; reproduce with: meson compile -C build bench{'-' + args.only if args.only else ''}",
          flush=True)
    if args.only == "threads":
        try:
            rows = thread_rows([thread_figures(args) for _ in range(args.build_runs)])
        except (BenchmarkError, qemu.QemuError) as error:
            sys.exit(f"benchmark failed: {error}")
        print(figures.markdown_table(figures.FULL_COLUMNS, rows))
        return 0
    page = figures.Page(args.source_root, args.runs, args.build_runs)
    try:
        if args.write:
            page.check_readme()  # before minutes of measuring, not after
        results = measure(args)
    except (BenchmarkError, qemu.QemuError, figures.FiguresError) as error:
        sys.exit(f"benchmark failed: {error}")
    print(results.rounds(), "", figures.markdown_table(figures.FULL_COLUMNS, results.full_rows()), sep="\n")
    if args.write:
        page.write(results.rounds(), results.full_rows(), results.headline_rows())
        print(f"wrote {page.figures_path} and the README's headline table", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
