"""Writes the benchmark's figures where people read them (tools/benchmark.py --write):
docs/figures.md whole, with the machine and the run they come from, and the
README's headline table between its two marker lines, touching nothing else.
"""

import datetime
import os
import platform
import re
import subprocess
import textwrap

import qemu

# The bench target's rounds (tools/benchmark.py's defaults); a run with others says so.
DEFAULT_RUNS = 7
DEFAULT_BUILD_RUNS = 3
FULL_COLUMNS = ("measure", "median", "range", "target", "met")
HEADLINE_COLUMNS = ("measure", "median", "against its target")
README_BEGIN = "<!-- figures:begin"
README_END = "<!-- figures:end"

# Fixed text next to the numbers: how each row is measured. It changes only
# when tools/benchmark.py measures differently, so it lives here, next to it.
HOW_MEASURED = """\
## How each row is measured

- **Boots** are timed from starting QEMU to the greeting (`Hello World!`,
  `kGreeting` in `src/kernel/main.cpp`) on COM1, booted as the tests boot
  them (`tools/qemu.py`: CD, SeaBIOS; UEFI from OVMF's pflash on q35; netboot
  through QEMU's user-mode TFTP, under OVMF with the virtio RNG its network
  stack needs), in alternating rounds so that drift in the machine's load
  hits every row alike.
- **The floor** is QEMU's own Multiboot loader (`-kernel`) starting a trivial
  stub (`tools/bench/stub.asm`): no firmware boot menu, no GRUB, the least a
  boot takes. The **BIOS CD boot sector** is a CD whose El Torito boot sector
  prints the line (`tools/bench/boot_sector.asm`): SeaBIOS's CD boot without
  GRUB. The **stub ISO** is the stub packed by the same `tools/make_iso.sh`
  and booted the same way, so the difference to it is what mink's kernel
  itself costs.
- **The kernel's share** is what the kernel reports on COM1 (one serial-only
  `mink-boot-time:` line): TSC cycles from the trampoline (right after its
  CPU checks) to the greeting, under SeaBIOS. QEMU's CPU models state no
  TSC rate (CPUID leaves 0x15/0x16), so the milliseconds use the rate the
  kernel calibrated against its reference clock (the boot summary's `Timer:`
  line); under TCG the guest's TSC follows the host's.
- **The loaded size** is the sum of the ELF's PT_LOAD segments, mostly
  `.bss`.
- **Builds** run in a copy of the source tree: a clean `meson setup` and
  `meson compile iso`; then edit -> ISO and edit -> ELF touch `main.cpp` and
  run `meson compile` for the ISO or the ELF alone, alternately, three pairs
  after each clean build; the ratio is taken pair by pair.
- **The default suite** is `meson test --no-rebuild` in the build folder.
- **The console rows** come from `tools/bench/console_scroll.cpp`, the
  kernel's framebuffer console built natively with the kernel's flags: lines
  written to a full screen (so each one scrolls) per second of CPU time, and
  the bytes it reads back from a framebuffer mapped without access (real GPUs
  serve such reads uncached and slowly; the goal is none).
- **The thread rows** come from the test kernel's `bench_threads`
  (`src/kernel/sched/switch_bench_ktest.cpp`), booted from its ISO under
  SeaBIOS with QEMU's `-icount shift=0`: QEMU then counts virtual time in
  guest instructions, one per nanosecond, and the guest's TSC reads that
  clock, so TSC ticks are instructions, the same on any host (the kernel
  times a loop of two million instructions first, and the benchmark stops
  unless the TSC agrees to 0.1%); a halt counts the virtual time it sleeps
  until the next interrupt. A switch: the boot thread and a partner
  thread `yield()` to each other, 2,000 round trips, and the TSC ticks are
  divided by the switches the scheduler counted; create + join: 200 threads
  that return at once, each created and joined in turn. Each figure is the
  best of 5 trials in one boot (a timer tick lands in some). The anchors
  are other kernels' published figures on real CPUs, in cycles and time,
  not instructions: a scale, not a like-for-like comparison.
"""


class FiguresError(Exception):
    pass


def paragraph(text, indent=""):
    """TEXT wrapped as the hand-written Markdown around it is, at 76 columns."""
    return textwrap.fill(text, 76, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


def markdown_table(columns, rows):
    lines = ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
    return "\n".join(lines + ["| " + " | ".join(cells) + " |" for cells in rows])


def first_line(command):
    try:
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        return out.splitlines()[0].strip()
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "unknown"


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""


def machine():
    """The host, in one line: cores, CPU model, QEMU's version, the distribution."""
    cpu = re.search(r"^model name\s*:\s*(.+)$", read("/proc/cpuinfo"), re.M)
    qemu_version = first_line([qemu.QEMU, "--version"]).replace("QEMU emulator version ", "")
    distribution = re.search(r'^PRETTY_NAME="?([^"\n]+)', read("/etc/os-release"), re.M)
    distribution = distribution.group(1) if distribution else platform.system()
    debian = read("/etc/debian_version").strip()
    if debian:
        distribution += f", {debian}"
    return (f"{os.cpu_count()} cores, {cpu.group(1) if cpu else platform.machine()}; "
            f"QEMU {qemu_version}, TCG without KVM; {distribution}")


def load_average():
    return f"{os.getloadavg()[0]:.1f}"


class Page:
    """docs/figures.md and the README's headline table, for one run."""

    def __init__(self, source_root, runs, build_runs):
        self.source_root = source_root
        self.readme_path = os.path.join(source_root, "README.md")
        self.figures_path = os.path.join(source_root, "docs", "figures.md")
        self.runs, self.build_runs = runs, build_runs
        self.started = datetime.datetime.now(datetime.timezone.utc)
        self.load_at_start = load_average()
        self.commit = self.source_commit()

    def source_commit(self):
        """The commit measured, and whether tracked files differed from it."""
        git = ["git", "-C", self.source_root]
        try:
            commit = subprocess.run(git + ["rev-parse", "--short=12", "HEAD"], capture_output=True, text=True,
                                    check=True).stdout.strip()
            changes = subprocess.run(git + ["status", "--porcelain", "--untracked-files=no"], capture_output=True,
                                     text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown (not a git checkout)"
        return f"{commit} with uncommitted changes" if changes else commit

    def readme_parts(self):
        """The README as (before and its begin line, old table, its end line and after)."""
        text = read(self.readme_path)
        lines = text.splitlines(keepends=True)
        begins = [i for i, line in enumerate(lines) if line.startswith(README_BEGIN)]
        ends = [i for i, line in enumerate(lines) if line.startswith(README_END)]
        if len(begins) != 1 or len(ends) != 1 or begins[0] > ends[0]:
            raise FiguresError(f"{self.readme_path} needs one '{README_BEGIN} ... -->' line and, after it, one "
                               f"'{README_END} -->' line around its headline table")
        return "".join(lines[:begins[0] + 1]), "".join(lines[begins[0] + 1:ends[0]]), "".join(lines[ends[0]:])

    def check_readme(self):
        self.readme_parts()

    def command(self):
        if (self.runs, self.build_runs) == (DEFAULT_RUNS, DEFAULT_BUILD_RUNS):
            return "`meson compile -C build bench`"
        return (f"`tools/benchmark.py --runs {self.runs} --build-runs {self.build_runs} --write` (fewer rounds "
                f"than `meson compile -C build bench`'s {DEFAULT_RUNS} and {DEFAULT_BUILD_RUNS})")

    def write(self, rounds, full_rows, headline_rows):
        when = self.started.strftime("%Y-%m-%d %H:%M UTC")
        page = "\n".join([
            "<!-- Written whole by tools/benchmark.py (meson compile -C build bench): edits here are lost. -->",
            "# Figures", "",
            paragraph(f"Generated by {self.command()} on {when}, at commit {self.commit}. Do not edit it by hand: "
                      "run the benchmark again. What bounds each figure, and what was tried to lower it: "
                      "[performance.md](performance.md)."), "",
            paragraph(f"- **Machine:** {machine()}.", "  "),
            paragraph(f"- **Load average** (1 minute): {self.load_at_start} at the start, {load_average()} at the "
                      "end; a busy machine gives slower, noisier figures.", "  "), "",
            "## All figures", "", rounds, "",
            markdown_table(FULL_COLUMNS, full_rows), "",
            HOW_MEASURED])
        os.makedirs(os.path.dirname(self.figures_path), exist_ok=True)
        replace(self.figures_path, page)
        before, _, after = self.readme_parts()
        headline = "\n".join([
            markdown_table(HEADLINE_COLUMNS, headline_rows), "",
            paragraph(f"{rounds} One run on {os.cpu_count()} cores, QEMU under TCG, {when}; every figure and the "
                      "machine: [docs/figures.md](docs/figures.md)."), ""])
        replace(self.readme_path, before + headline + after)


def replace(path, text):
    """Writes PATH whole through a temporary file, so a failed write leaves the old one."""
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(temporary, path)
