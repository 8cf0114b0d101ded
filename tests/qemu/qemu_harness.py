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
import json
import os
import secrets
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time

READY = "mink-test: ready"
# The guest writes each character to serial before the screen, and the harness
# may see the serial line before the vCPU thread has done the screen write;
# a person glancing at the screen a moment later would see it: allow that.
SCREEN_GRACE_SECONDS = 1.0
SCREEN_POLL_SECONDS = 0.02


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
    p.add_argument("--expect-vga", action="append", default=[], metavar="TEXT",
                   help="TEXT must be in VGA text memory at 0xB8000 (repeatable)")
    p.add_argument("--run", metavar="TEST", help="after the ready line, ask the test kernel to run TEST")
    p.add_argument("--exit-code", action="append", default=[], metavar="NAME=VALUE",
                   help="a named isa-debug-exit value (from meson.build)")
    p.add_argument("--expect-exit", metavar="NAME",
                   help="QEMU must exit with the named isa-debug-exit value; without it the harness "
                        "quits QEMU once every expectation is met")
    p.add_argument("--screendump", metavar="FILE", help="save the screen (PPM) when the checks pass")
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
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
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
        self.notes = []

    def serial_complete(self):
        return all(text in self.serial for text in self.args.expect_serial)

    def check_screen(self, qmp, workdir):
        if self.args.expect_vga:
            grace_end = time.monotonic() + SCREEN_GRACE_SECONDS
            screen = read_vga_text(qmp, workdir)
            while (not all(any(text in line for line in screen) for text in self.args.expect_vga)
                   and time.monotonic() < grace_end):
                time.sleep(SCREEN_POLL_SECONDS)
                screen = read_vga_text(qmp, workdir)
            for text in self.args.expect_vga:
                if not any(text in line for line in screen):
                    raise Failure(f"VGA text memory does not show {text!r}; the screen reads:\n  "
                                  + "\n  ".join(screen))
            self.notes.append("VGA text memory shows " + ", ".join(repr(t) for t in self.args.expect_vga))
        if self.args.screendump:
            qmp.command("screendump", filename=os.path.abspath(self.args.screendump))
        self.screen_checked = True


def run(args):
    exit_values = dict(item.split("=", 1) for item in args.exit_code)
    exit_values = {name: int(value, 0) for name, value in exit_values.items()}
    if args.expect_exit and args.expect_exit not in exit_values:
        raise Failure(f"unknown exit name {args.expect_exit}; known: {', '.join(exit_values)}")
    boot = Boot(args)
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
    except Failure:
        boot.elapsed = time.monotonic() - start
        raise
    finally:
        if qmp is not None:
            qmp.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        boot.qemu_output = proc.stdout.read().decode(errors="replace")
        shutil.rmtree(workdir, ignore_errors=True)
        run.boot = boot
    boot.elapsed = time.monotonic() - start
    judge(args, boot, exit_values)
    return boot


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
    missing = [text for text in args.expect_serial if text not in boot.serial]
    if missing:
        raise Failure("serial never showed " + ", ".join(repr(t) for t in missing))
    if args.run:
        passed = f"mink-test: passed {args.run} {boot.token}"
        if passed not in boot.serial:
            raise Failure(f"the kernel never reported {passed!r}")
    if args.expect_exit:
        expected = (exit_values[args.expect_exit] << 1) | 1
        if boot.exit_status == 0:
            raise Failure("QEMU exited with 0: the guest triple-faulted (or reset) under -no-reboot")
        if boot.exit_status != expected:
            names = {(v << 1) | 1: n for n, v in exit_values.items()}
            got = names.get(boot.exit_status, "unknown")
            raise Failure(f"QEMU exited with {boot.exit_status} ({got}), expected {expected} ({args.expect_exit})")
        boot.notes.append(f"QEMU exited with {expected} ({args.expect_exit})")
    elif not boot.quit_by_harness:
        raise Failure(f"QEMU exited on its own with status {boot.exit_status} before the checks were done"
                      + (" (0: a triple fault under -no-reboot)" if boot.exit_status == 0 else ""))
    else:
        boot.notes.append("the guest was still running when the checks were done (no reset, no triple fault)")
    if (args.expect_vga or args.screendump) and not boot.screen_checked:
        raise Failure("the screen was never checked: the kernel did not reach the point to check it")


def main(argv):
    args = parse_args(argv)
    if bool(args.image) == bool(args.kernel):
        print("give exactly one of --image and --kernel", file=sys.stderr)
        return 2
    try:
        boot = run(args)
    except Failure as failure:
        boot = getattr(run, "boot", None)
        print(f"FAIL: {failure}")
        if boot is not None:
            print(f"--- serial log ({len(boot.serial)} bytes) ---\n{boot.serial}\n--- end of serial log ---")
            if boot.qemu_output.strip():
                print(f"--- QEMU said ---\n{boot.qemu_output}")
        return 1
    if args.verbose:
        print(f"--- serial log ---\n{boot.serial}\n--- end of serial log ---")
    for note in boot.notes:
        print("ok:", note)
    print(f"PASS in {boot.elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
