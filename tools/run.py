#!/usr/bin/env python3
"""Boots mink in QEMU for a person; tools/qemu.py builds QEMU's command line.

  run.py run [--firmware uefi] ISO         meson compile -C build run / run-uefi
  run.py debug ISO KERNEL.elf [--port N]    meson compile -C build debug: paused, GDB attached
  run.py screenshots ISO OUTPUT_DIR         meson compile -C build screenshots: docs/boot-*.png
  run.py capture-mbi bios|uefi BUILD OUT    GRUB's boot information for tests/data (dump_boot_info)
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)
import greeting  # noqa: E402
import qemu  # noqa: E402


def has_display():
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def foreground(command):
    """Runs COMMAND as the terminal's foreground job, so the keyboard (and
    Ctrl-C) reaches it alone, not meson, ninja or this script. Meson 1.0's
    `meson compile` gives run targets /dev/null as stdin: this takes the
    terminal back."""
    try:
        tty = os.open("/dev/tty", os.O_RDWR)
    except OSError:  # no terminal: a desktop launcher, CI
        return subprocess.run(command, stdin=subprocess.DEVNULL).returncode
    signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # a background job may then hand the terminal over
    previous = os.tcgetpgrp(tty)
    try:
        return subprocess.run(command, stdin=tty, process_group=0,
                              preexec_fn=lambda: os.tcsetpgrp(tty, os.getpgrp())).returncode
    finally:
        os.tcsetpgrp(tty, previous)
        os.close(tty)


def run(args, workdir):
    command = qemu.boot_args(workdir, image=args.iso, firmware=args.firmware, memory="256M")
    if has_display():
        print("mink: QEMU window opening; serial output follows here. Close the window to quit.")
        command += ["-serial", "stdio"]
    elif args.firmware == "bios":
        print("mink: no display; showing the VGA screen in this terminal. Quit: Alt-2 (QEMU's monitor), "
              "type quit, Enter.")
        time.sleep(2)
        command += ["-display", "curses", "-serial", "none"]
    else:
        print("mink: no display; UEFI has no text mode, so serial follows here. Quit: Ctrl-A then X.")
        command += ["-display", "none", "-serial", "mon:stdio"]
    return foreground(command)


def debug(args, workdir):
    log = os.path.join(workdir, "serial.log")
    open(log, "w").close()  # there before anyone follows it
    command = qemu.boot_args(workdir, image=args.iso, firmware=args.firmware, memory="256M") + [
        "-S", "-gdb", f"tcp:127.0.0.1:{args.port}", "-serial", f"file:{log}"]
    # Its own session: Ctrl-C in GDB interrupts the guest and must not stop QEMU.
    vm = subprocess.Popen(command + ([] if has_display() else ["-display", "none"]), stdin=subprocess.DEVNULL,
                          start_new_session=True)
    for closed in (signal.SIGHUP, signal.SIGTERM):  # a closed terminal still stops QEMU (below)
        signal.signal(closed, lambda *_: sys.exit(1))
    try:
        if args.qemu_only:  # an editor's GDB attaches (.vscode/launch.json); serial follows here
            print(f"mink: QEMU (pid {vm.pid}) is paused, waiting for GDB on 127.0.0.1:{args.port}", flush=True)
            serial = subprocess.Popen(["tail", "-F", "-q", "-n", "+1", log], stdin=subprocess.DEVNULL)
            try:
                return vm.wait()
            finally:
                serial.kill()
                serial.wait()
        print(f"mink: QEMU (pid {vm.pid}) is paused at the reset vector; serial goes to {log} (tail -f it).\n"
              "mink: try: hbreak kernel_main, continue; for the 32-bit trampoline: hbreak _start, stepi, disas32.")
        # GDB retries the connection while QEMU opens its port.
        return foreground(["gdb", "-q", "-nx", "-x", os.path.join(TOOLS, "gdbinit"),
                           "-ex", f"directory {os.path.dirname(TOOLS)}", "-ex", f'set $mink_elf = "{args.elf}"',
                           "-ex", f"file {args.elf}", "-ex", f"target remote 127.0.0.1:{args.port}"])
    finally:
        vm.kill()
        vm.wait()


def screenshots(args, workdir):
    os.makedirs(args.output_dir, exist_ok=True)
    hello = greeting.read()
    for firmware in ("bios", "uefi"):
        with qemu.Machine(image=args.iso, firmware=firmware, timeout=60) as m:
            if not m.wait(lambda: hello in m.serial and "Screen:" in m.serial):
                sys.exit(f"QEMU stopped before the boot summary; COM1 said:\n{m.serial}")
            time.sleep(1)  # the screen may trail COM1
            path = os.path.join(args.output_dir, f"boot-{firmware}.png")
            m.screendump(path)
            print(path)
    return 0


def capture_mbi(args, workdir):
    config = qemu.read_config(os.path.join(args.build_dir, "config.hpp"))
    token = secrets.token_hex(8)
    with qemu.Machine(image=os.path.join(args.build_dir, "mink-test.iso"), firmware=args.firmware, timeout=60,
                      debug_exit_port=config["QEMU_DEBUG_EXIT_PORT"]) as m:
        if m.wait("mink-test: ready"):
            m.send(f"run dump_boot_info {token}\n")
            m.wait()
    if f"mink-test: finished dump_boot_info {token} passed" not in m.serial:
        sys.exit(f"the test kernel did not dump its boot information; COM1 said:\n{m.serial}")
    data = bytearray()
    for offset, hex_bytes in re.findall(r"^mbi: ([0-9a-f]{6}) ([0-9a-f]+)$", m.serial, re.M):
        if int(offset, 16) != len(data):
            sys.exit(f"gap in the dump at {offset}")
        data += bytes.fromhex(hex_bytes)
    if len(data) < 4 or int.from_bytes(data[:4], "little") != len(data):
        sys.exit(f"the dump has {len(data)} bytes, but its total_size says otherwise")
    with open(args.output, "wb") as f:
        f.write(data)
    print(f"wrote {len(data)} bytes of {args.firmware} boot information to {args.output}")
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("run", "debug"):
        command = commands.add_parser(name)
        command.add_argument("--firmware", choices=["bios", "uefi"], default="bios")
        command.add_argument("iso")
    commands.choices["debug"].add_argument("elf")
    commands.choices["debug"].add_argument("--port", type=int, default=1234, help="GDB port (QEMU's usual one)")
    commands.choices["debug"].add_argument("--qemu-only", action="store_true",
                                           help="start no GDB: show serial until stopped (for an editor's GDB)")
    commands.add_parser("screenshots").add_argument("iso")
    commands.choices["screenshots"].add_argument("output_dir")
    capture = commands.add_parser("capture-mbi")
    capture.add_argument("firmware", choices=["bios", "uefi"])
    capture.add_argument("build_dir")
    capture.add_argument("output")
    args = parser.parse_args(argv)
    action = {"run": run, "debug": debug, "screenshots": screenshots, "capture-mbi": capture_mbi}[args.command]
    # The build needs neither; these targets do (the test tools, tools/debian-packages.txt).
    needed = [(qemu.QEMU, "qemu-system-x86")]
    if args.command == "debug" and not args.qemu_only:
        needed.append(("gdb", "gdb"))
    for program, package in needed:
        if shutil.which(program) is None:
            sys.exit(f"mink: {args.command} needs {program}: install it with `sudo apt-get install {package}`")
    try:
        with tempfile.TemporaryDirectory(prefix="mink-run-") as workdir:
            return action(args, workdir)
    except qemu.QemuError as error:
        sys.exit(f"mink: {error}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
