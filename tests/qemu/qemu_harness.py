#!/usr/bin/env python3
"""Boots a mink image in QEMU and judges it the way a person would: by what
appears on the serial line and on the screen, and by how QEMU exits.

QEMU starts paused (-S); the harness connects to QMP and to the serial
socket, then resumes it, so no output is lost. A test kernel announces
"mink-test: ready" and waits; the harness checks the screen, then sends
"run <test> <token>" with a random per-run token that the kernel must echo
back, so no stray string can pass a test. The isa-debug-exit device turns the
kernel's verdict into QEMU's exit status: (value << 1) | 1. A triple fault
under -no-reboot makes QEMU exit 0, which is never a pass.
"""

import argparse
import collections
import json
import pathlib
import re
import os
import secrets
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import ppm  # noqa: E402  (next to this file)

READY = "mink-test: ready"
SCREEN_SETTLE_SECONDS = 2.0
MEMORY_SLACK_MIB = 2  # SeaBIOS keeps ~0.5 MiB (EBDA, option ROMs, its tables) for itself


class Failure(Exception):
    pass


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--qemu", default="qemu-system-x86_64")
    p.add_argument("--image", help="ISO (or raw disk image) to boot")
    p.add_argument("--kernel", help="boot this file with QEMU's own Multiboot 1 loader (-kernel) instead")
    p.add_argument("--firmware", choices=["bios", "uefi"], default="bios")
    p.add_argument("--media", choices=["cd", "usb"], default="cd")
    p.add_argument("--ovmf-code", default="/usr/share/OVMF/OVMF_CODE_4M.fd")
    p.add_argument("--ovmf-vars", default="/usr/share/OVMF/OVMF_VARS_4M.fd")
    p.add_argument("--cpu", help="QEMU CPU model, e.g. qemu32 (no long mode)")
    p.add_argument("--memory", default="128M")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds before the boot counts as hung")
    p.add_argument("--expect-serial", action="append", default=[], metavar="TEXT",
                   help="TEXT must appear on the serial line (repeatable)")
    p.add_argument("--expect-usable-mib", type=int, metavar="MIB",
                   help="the kernel's 'Memory: N KiB usable' must be within 2 MiB below MIB "
                        "(firmware keeps a little for itself)")
    p.add_argument("--expect-vga", action="append", default=[], metavar="TEXT",
                   help="TEXT must be in VGA text memory at 0xB8000 (repeatable)")
    p.add_argument("--run", metavar="TEST", help="after the ready line, ask the test kernel to run TEST "
                   "('ktap' runs every normal in-kernel test)")
    p.add_argument("--expect-outcome", default="passed",
                   choices=["passed", "failed", "panicked", "cpu-exception"],
                   help="with --run: the outcome the kernel must report for TEST")
    p.add_argument("--tap", action="store_true",
                   help="print the kernel's KTAP results as TAP for Meson, diagnostics as comments")
    p.add_argument("--debug-exit-port", default="0xf4",
                   help="I/O port of QEMU's isa-debug-exit device (QEMU_DEBUG_EXIT_PORT in meson.build)")
    p.add_argument("--exit-code", action="append", default=[], metavar="NAME=VALUE",
                   help="a named isa-debug-exit value (from meson.build)")
    p.add_argument("--expect-exit", metavar="NAME",
                   help="QEMU must exit with the named isa-debug-exit value; without it the harness "
                        "quits QEMU once every expectation is met")
    p.add_argument("--expect-screen", action="append", default=[], metavar="TEXT",
                   help="TEXT must be drawn on the framebuffer: rendered with --renderer and --font, then "
                        "looked for pixel by pixel in a QEMU screendump (repeatable)")
    p.add_argument("--renderer", help="the render-reference program (the kernel's own font code, built natively)")
    p.add_argument("--font", help="the PSF font the kernel embeds, uncompressed")
    p.add_argument("--screendump", metavar="FILE", help="save the screen (PPM) when the checks pass")
    p.add_argument("--settle", type=float, default=0.0, metavar="SECONDS",
                   help="wait this long after the serial expectations are met before looking at the screen")
    p.add_argument("--qemu-arg", action="append", default=[], help="extra QEMU argument (repeatable)")
    p.add_argument("--verbose", action="store_true", help="print the serial log even on success")
    return p.parse_args(argv)


class Qmp:
    """A minimal QMP client: one command at a time, events skipped."""

    def __init__(self, path, deadline):
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise Failure("QEMU did not open its QMP socket")
                time.sleep(0.01)
        self.buffer = b""
        try:
            self._read_message()  # greeting
        except OSError as error:
            raise Failure(f"QEMU dropped the QMP connection ({error}): did it fail to start?")
        self.command("qmp_capabilities")

    def _read_message(self):
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Failure("QEMU closed the QMP connection")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def command(self, name, **arguments):
        message = {"execute": name}
        if arguments:
            message["arguments"] = arguments
        self.sock.sendall(json.dumps(message).encode() + b"\n")
        while True:
            reply = self._read_message()
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise Failure(f"QMP {name} failed: {reply['error'].get('desc')}")

    def close(self):
        self.sock.close()


def qemu_command(args, workdir, qmp_path, serial_path):
    cmd = [args.qemu, "-S", "-no-reboot", "-m", args.memory, "-display", "none", "-net", "none",
           "-qmp", f"unix:{qmp_path},server=on,wait=off",
           "-chardev", f"socket,id=serial0,path={serial_path},server=on,wait=off",
           "-serial", "chardev:serial0",
           "-device", f"isa-debug-exit,iobase={args.debug_exit_port},iosize=0x04"]
    if args.cpu:
        cmd += ["-cpu", args.cpu]
    if args.firmware == "uefi":
        vars_copy = os.path.join(workdir, "OVMF_VARS.fd")
        shutil.copyfile(args.ovmf_vars, vars_copy)
        cmd += ["-machine", "q35",
                "-drive", f"if=pflash,format=raw,readonly=on,file={args.ovmf_code}",
                "-drive", f"if=pflash,format=raw,file={vars_copy}"]
    if args.kernel:
        cmd += ["-kernel", args.kernel]
    elif args.media == "cd":
        cmd += ["-drive", f"file={args.image},media=cdrom,format=raw,readonly=on", "-boot", "d"]
    else:
        cmd += ["-drive", f"if=none,id=stick,format=raw,readonly=on,file={args.image}",
                "-device", "qemu-xhci,id=xhci",
                "-device", "usb-storage,bus=xhci.0,drive=stick,bootindex=1"]
    return cmd + args.qemu_arg


def read_vga_text(qmp, workdir):
    """Returns the 80x25 VGA text screen as 25 lines, as a person would read it."""
    dump = os.path.join(workdir, "vga.bin")
    qmp.command("pmemsave", val=0xB8000, size=80 * 25 * 2, filename=dump)
    with open(dump, "rb") as f:
        cells = f.read()
    chars = "".join(chr(cells[i]) if 0x20 <= cells[i] < 0x7F else " " for i in range(0, len(cells), 2))
    return [chars[row * 80:(row + 1) * 80].rstrip() for row in range(25)]


class Boot:
    def __init__(self, args):
        self.args = args
        self.serial = ""
        self.token = secrets.token_hex(8)
        self.screen_checked = False
        self.command_sent = False
        self.exit_status = None
        self.quit_by_harness = False
        self.qemu_output = ""
        self.elapsed = 0.0
        self.notes = []

    def serial_complete(self):
        return all(text in self.serial for text in self.args.expect_serial)

    def check_screen(self, qmp, workdir):
        # The screen may trail the serial line by a few characters (the early
        # boot code writes serial first), so look again for a short while.
        settle_deadline = time.monotonic() + SCREEN_SETTLE_SECONDS
        while self.args.expect_vga:
            screen = read_vga_text(qmp, workdir)
            missing = [text for text in self.args.expect_vga if not any(text in line for line in screen)]
            if not missing:
                break
            if time.monotonic() > settle_deadline:
                raise Failure(f"VGA text memory does not show {missing[0]!r}; the screen reads:\n  "
                              + "\n  ".join(screen))
            time.sleep(0.05)
        if self.args.expect_vga:
            self.notes.append("VGA text memory shows " + ", ".join(repr(t) for t in self.args.expect_vga))
        for text in self.args.expect_screen:
            self.check_framebuffer_text(qmp, workdir, text)
        if self.args.screendump:
            qmp.command("screendump", filename=os.path.abspath(self.args.screendump))
        self.screen_checked = True


    def check_framebuffer_text(self, qmp, workdir, text):
        """Renders TEXT with the kernel's font code and finds exactly those glyph pixels on screen."""
        reference_path = os.path.join(workdir, "reference.ppm")
        subprocess.run([self.args.renderer, self.args.font, text, reference_path], check=True)
        reference = ppm.read_ppm(reference_path)
        settle_deadline = time.monotonic() + SCREEN_SETTLE_SECONDS
        while True:
            dump_path = os.path.join(workdir, "screen.ppm")
            qmp.command("screendump", filename=dump_path)
            screen = ppm.read_ppm(dump_path)
            row = find_text_row(screen, reference)
            if row is not None:
                self.notes.append(f"the framebuffer shows {text!r} in the kernel's font at text row {row}")
                return
            if time.monotonic() > settle_deadline:
                raise Failure(f"the screen ({screen.width}x{screen.height}) does not show {text!r} "
                              "drawn in the kernel's font")
            time.sleep(0.1)


def lit_mask(image, x0, y0, width, height):
    """Which pixels of a region differ from its most common colour (the background)."""
    pixels = [image.rgb(x0 + x, y0 + y) for y in range(height) for x in range(width)]
    background = collections.Counter(pixels).most_common(1)[0][0]
    return [pixel != background for pixel in pixels]


def find_text_row(screen, reference):
    """The text row (font-height bands from the top, at column 0) whose lit
    pixels are exactly the reference's, or None."""
    if reference.width > screen.width:
        return None
    expected = lit_mask(reference, 0, 0, reference.width, reference.height)
    if not any(expected):
        raise Failure("the reference rendering is blank")
    for row in range(screen.height // reference.height):
        if lit_mask(screen, 0, row * reference.height, reference.width, reference.height) == expected:
            return row
    return None


def run(args, boot):
    """Boots, drives and judges one QEMU run, filling in `boot`; raises Failure."""
    exit_values = dict(item.split("=", 1) for item in args.exit_code)
    exit_values = {name: int(value, 0) for name, value in exit_values.items()}
    if args.expect_exit and args.expect_exit not in exit_values:
        raise Failure(f"unknown exit name {args.expect_exit}; known: {', '.join(exit_values)}")
    workdir = tempfile.mkdtemp(prefix="mink-qemu-")
    qmp_path = os.path.join(workdir, "qmp.sock")
    serial_path = os.path.join(workdir, "serial.sock")
    proc = subprocess.Popen(qemu_command(args, workdir, qmp_path, serial_path),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    start = time.monotonic()
    deadline = start + args.timeout
    qmp = None
    try:
        qmp = Qmp(qmp_path, deadline)
        serial = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        serial.connect(serial_path)
        qmp.command("cont")
        drive(args, boot, proc, qmp, serial, workdir, deadline)
    finally:
        if qmp is not None:
            qmp.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        boot.qemu_output = proc.stdout.read().decode(errors="replace")
        shutil.rmtree(workdir, ignore_errors=True)
    boot.elapsed = time.monotonic() - start
    judge(args, boot, exit_values)


def drive(args, boot, proc, qmp, serial, workdir, deadline):
    """Feeds serial output into `boot` and acts on it until QEMU exits or all is seen."""
    while True:
        if proc.poll() is not None:
            boot.exit_status = proc.returncode
            drain(serial, boot)
            return
        if time.monotonic() > deadline:
            raise Failure(f"timed out after {args.timeout:.0f} s: the kernel hung or never got there")
        ready, _, _ = select.select([serial], [], [], 0.05)
        if ready:
            chunk = serial.recv(65536)
            if chunk:
                boot.serial += chunk.decode(errors="replace").replace("\r", "")
        if args.run and not boot.command_sent and READY in boot.serial:
            boot.check_screen(qmp, workdir)
            serial.sendall(f"run {args.run} {boot.token}\n".encode())
            boot.command_sent = True
        if not args.run and not args.expect_exit and boot.serial_complete():
            # The shipped kernel idles forever: check the screen, then stop it.
            time.sleep(args.settle)
            boot.check_screen(qmp, workdir)
            qmp.command("quit")
            proc.wait(timeout=10)
            boot.quit_by_harness = True
            return


def drain(serial, boot):
    serial.setblocking(False)
    try:
        while chunk := serial.recv(65536):
            boot.serial += chunk.decode(errors="replace").replace("\r", "")
    except (BlockingIOError, OSError):
        pass


def judge(args, boot, exit_values):
    if boot.exit_status == 0:
        raise Failure("QEMU exited with 0: the guest triple-faulted (or reset) under -no-reboot")
    missing = [text for text in args.expect_serial if text not in boot.serial]
    if missing:
        raise Failure("serial never showed " + ", ".join(repr(t) for t in missing))
    if args.expect_usable_mib:
        judge_memory(args.expect_usable_mib, boot)
    if args.run:
        judge_outcome(args, boot)
    if args.expect_exit:
        expected = (exit_values[args.expect_exit] << 1) | 1
        if boot.exit_status != expected:
            names = {(v << 1) | 1: n for n, v in exit_values.items()}
            got = names.get(boot.exit_status, "unknown")
            raise Failure(f"QEMU exited with {boot.exit_status} ({got}), expected {expected} ({args.expect_exit})")
        boot.notes.append(f"QEMU exited with {expected} ({args.expect_exit})")
    elif not boot.quit_by_harness:
        raise Failure(f"QEMU exited on its own with status {boot.exit_status} before the checks were done")
    else:
        boot.notes.append("the guest was still running when the checks were done (no reset, no triple fault)")
    if (args.expect_vga or args.expect_screen or args.screendump) and not boot.screen_checked:
        raise Failure("the screen was never checked: the kernel did not reach the point to check it")


def judge_memory(expected_mib, boot):
    found = re.search(r"^Memory: +(\d+) KiB usable", boot.serial, re.M)
    if not found:
        raise Failure("the kernel never reported its usable memory")
    kib = int(found.group(1))
    if not (expected_mib - MEMORY_SLACK_MIB) * 1024 < kib <= expected_mib * 1024:
        raise Failure(f"the kernel reported {kib} KiB usable with {expected_mib} MiB of RAM")
    boot.notes.append(f"the kernel reported {kib} KiB usable of {expected_mib} MiB")


def judge_outcome(args, boot):
    """The kernel must report the outcome of the test it was asked to run, with this run's token."""
    finished = f"mink-test: finished {args.run} {boot.token} "
    if finished not in boot.serial:
        raise Failure(f"the kernel never reported {finished.strip()!r} with this run's token")
    outcome = boot.serial.split(finished, 1)[1].split("\n", 1)[0]
    if outcome != args.expect_outcome:
        raise Failure(f"the kernel reported {args.run} {outcome}, expected {args.expect_outcome}")
    boot.notes.append(f"the kernel reported {args.run} {outcome} with this run's token")


def ktap_to_tap(serial):
    """The KTAP lines of the serial log, as TAP version 13 for Meson."""
    lines = []
    for line in serial.splitlines():
        if line.startswith("KTAP version"):
            lines.append("TAP version 13")
        elif line.startswith(("1..", "ok ", "not ok ", "# ")):
            lines.append(line)
    return lines


def report_failure(args, failure, boot):
    log = [f"--- serial log ({len(boot.serial)} bytes) ---\n{boot.serial}\n--- end of serial log ---"]
    if boot.qemu_output.strip():
        log.append(f"--- QEMU said ---\n{boot.qemu_output}")
    if args.tap:
        for line in ktap_to_tap(boot.serial):
            print(line)
        print("\n".join("# " + line for line in "\n".join(log).splitlines()))
        print(f"Bail out! {failure}")
    else:
        print(f"FAIL: {failure}")
        print("\n".join(log))


def main(argv):
    args = parse_args(argv)
    if bool(args.image) == bool(args.kernel):
        print("give exactly one of --image and --kernel", file=sys.stderr)
        return 2
    boot = Boot(args)
    try:
        run(args, boot)
    except Failure as failure:
        report_failure(args, failure, boot)
        return 1
    if args.tap:
        for line in ktap_to_tap(boot.serial):
            print(line)
        return 0
    if args.verbose:
        print(f"--- serial log ---\n{boot.serial}\n--- end of serial log ---")
    for note in boot.notes:
        print("ok:", note)
    print(f"PASS in {boot.elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
