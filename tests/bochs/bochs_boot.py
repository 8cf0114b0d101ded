#!/usr/bin/env python3
"""Boots a mink ISO from CD in Bochs, an x86 emulator independent of QEMU, and
judges it: COM1 must say the expected text within the timeout, and Bochs's log
must have no PANIC or ERROR line (it flags there what real CPUs would reject).

Bochs runs headless (its rfb display, never waiting for a viewer), COM1 goes
to a file, and Debian's Bochs, built with its debugger, is told to continue.
Bochs never ends by itself while mink idles: it is stopped once COM1 has
greeted, after a moment for late log lines, or when the timeout runs out.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import greeting  # noqa: E402

BIOS = "/usr/share/bochs/BIOS-bochs-latest"  # package bochsbios
VGA_BIOS = "/usr/share/bochs/VGABIOS-lgpl-latest"  # package vgabios
SETTLE_SECONDS = 0.5
# Bochs's log lines: "<ticks><level>[<device>] message", level p (panic) or e (error).
BAD_LOG_LINE = re.compile(r"^\d+[pe]\[")

CONFIG = """\
megs: {memory}
cpu: model={cpu}
romimage: file={bios}
vgaromimage: file={vga_bios}
ata0-master: type=cdrom, path={image}, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev={com1}
display_library: rfb, options="timeout=0"
sound: driver=dummy
speaker: enabled=0
log: {log}
panic: action=fatal
error: action=report
clock: sync=none
"""


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--image", required=True, help="the ISO to boot from CD")
    p.add_argument("--cpu", required=True, help="Bochs CPU model, e.g. corei7_haswell_4770 (bochs --help cpu)")
    p.add_argument("--memory", type=int, default=128, help="MiB of RAM")
    p.add_argument("--expect-serial", default=greeting.read(), metavar="TEXT",
                   help="COM1 must say TEXT (default: the greeting in src/kernel/main.cpp)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds before the boot counts as hung")
    return p.parse_args(argv)


def boot(args, workdir):
    """Runs Bochs until COM1 says the text or the time runs out; returns (COM1, log, Bochs's output)."""
    paths = {name: os.path.join(workdir, name) for name in ("bochsrc", "com1", "log", "commands", "output")}
    with open(paths["bochsrc"], "w") as f:
        f.write(CONFIG.format(memory=args.memory, cpu=args.cpu, bios=BIOS, vga_bios=VGA_BIOS,
                              image=os.path.abspath(args.image), com1=paths["com1"], log=paths["log"]))
    with open(paths["commands"], "w") as f:
        f.write("continue\n")  # the debugger's prompt comes first
    deadline = time.monotonic() + args.timeout
    with open(paths["output"], "w") as output:
        process = subprocess.Popen(["bochs", "-q", "-f", paths["bochsrc"], "-rc", paths["commands"]],
                                   stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True, cwd=workdir)
        try:
            while time.monotonic() < deadline and process.poll() is None:
                if args.expect_serial in read(paths["com1"]):
                    time.sleep(SETTLE_SECONDS)
                    break
                time.sleep(0.1)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)  # its own session: Bochs and nothing else
            process.wait()
    return read(paths["com1"]), read(paths["log"]), read(paths["output"])


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode(errors="replace").replace("\r", "")
    except FileNotFoundError:
        return ""


def main(argv):
    args = parse_args(argv)
    if shutil.which("bochs") is None:
        print("FAIL: bochs is not installed (Debian packages bochs bochsbios vgabios)")
        return 1
    workdir = tempfile.mkdtemp(prefix="mink-bochs-")
    try:
        started = time.monotonic()
        com1, log, output = boot(args, workdir)
        seconds = time.monotonic() - started
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    bad_lines = [line for line in log.splitlines() if BAD_LOG_LINE.match(line)]
    failures = []
    if args.expect_serial not in com1:
        failures.append(f"COM1 never said {args.expect_serial!r} within {args.timeout:.0f} s")
    if bad_lines:
        failures.append("Bochs's log has PANIC/ERROR lines:\n  " + "\n  ".join(bad_lines[:20]))
    if failures:
        print("FAIL: " + "\n".join(failures) + f"\n--- COM1 ---\n{com1}\n--- Bochs said ---\n{output[-3000:]}"
              + f"\n--- end of Bochs's log ---\n" + "\n".join(log.splitlines()[-30:]))
        return 1
    print(f"ok: COM1 said {args.expect_serial!r} after {seconds:.1f} s on {args.cpu}\n"
          f"ok: no PANIC or ERROR line in Bochs's log ({len(log.splitlines())} lines)\nPASS")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
