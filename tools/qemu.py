#!/usr/bin/env python3
"""Starts QEMU for mink, in one place: the firmware (SeaBIOS, or OVMF found
through QEMU's firmware descriptors), the boot medium (CD, USB stick, or
QEMU's own Multiboot loader), and a Machine whose QMP monitor and COM1 are
private sockets. The test harness, the benchmark and tools/run.py use it.

  python3 tools/qemu.py firmware uefi|uefi-ia32   prints the code and variable-store paths
"""

import collections
import fnmatch
import glob
import json
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time

QEMU = "qemu-system-x86_64"
# Where QEMU looks for firmware descriptors, first wins for a file name.
DESCRIPTOR_DIRS = [os.path.expanduser("~/.config/qemu/firmware"), "/etc/qemu/firmware", "/usr/share/qemu/firmware"]
# Firmware name: (QEMU's architecture name, Debian package).
UEFI_BUILDS = {"uefi": ("x86_64", "ovmf"), "uefi-ia32": ("i386", "ovmf-ia32")}
# QEMU's machine types, as a versioned name the descriptors' patterns match.
MACHINE_VERSIONS = {"pc": "pc-i440fx-99", "q35": "pc-q35-99"}
Firmware = collections.namedtuple("Firmware", "code vars smm")
Image = collections.namedtuple("Image", "width height pixels")  # pixels: RGB bytes, row by row
# A terminal's control sequences (colours, cursor moves: OVMF's console on COM1 is full of them).
TERMINAL_ESCAPE = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>c])")


class QemuError(Exception):
    pass


def find_uefi(name="uefi", machine="q35"):
    """The UEFI build for MACHINE ("q35" or "pc") that QEMU's descriptors name: no
    enrolled keys (GRUB is unsigned), and one that needs no SMM when there is a choice."""
    arch, package = UEFI_BUILDS[name]
    machine_version = MACHINE_VERSIONS[machine]
    paths = {}
    for folder in reversed(DESCRIPTOR_DIRS):
        paths.update({os.path.basename(p): p for p in glob.glob(os.path.join(folder, "*.json"))})
    found = []
    for file_name in sorted(paths):
        with open(paths[file_name]) as f:
            desc = json.load(f)
        features, mapping = desc.get("features", []), desc.get("mapping", {})
        code = mapping.get("executable", {}).get("filename", "")
        nvram = mapping.get("nvram-template", {}).get("filename", "")
        if ("uefi" in desc.get("interface-types", []) and mapping.get("device") == "flash"
                and "enrolled-keys" not in features and os.path.isfile(code) and os.path.isfile(nvram)
                and any(t.get("architecture") == arch and any(fnmatch.fnmatch(machine_version, m) for m in t["machines"])
                        for t in desc.get("targets", []))):
            found.append(Firmware(code, nvram, "requires-smm" in features))
    if not found:
        raise QemuError(f"no {arch} UEFI firmware for the {machine} machine in QEMU's firmware descriptors ({', '.join(DESCRIPTOR_DIRS)}): "
                        f"install it with `sudo apt-get install {package}`")
    return min(found, key=lambda firmware: firmware.smm)


# Network boot from a TFTP folder (make_iso.sh netdir): GRUB's network core
# for each firmware, and the devices that fetch it through QEMU's built-in TFTP:
# a card whose boot ROM (SeaBIOS: iPXE's) or driver (OVMF's own virtio-net, so
# no ROM) does it. OVMF also needs a random number source: since edk2-stable202405
# (the fix for CVE-2023-45237, "PixieFail") its network drivers start only where
# the firmware offers EFI_RNG_PROTOCOL, which OVMF 2025.02 (Debian 13) makes
# from RDRAND, missing from QEMU's default CPU under TCG, or from a virtio-rng
# device. Without either, OVMF offers no network boot option and starts its
# shell (`BdsDxe: starting Boot0001 "EFI Internal Shell"`). OVMF 2022.11
# (Debian 12) predates the rule and boots the same with or without it. The
# device, not `-cpu ...,+rdrand`, so the kernel sees the same CPU in every boot;
# iPXE's option ROM or a bootindex on the card do not help (no network stack).
NETBOOT = {"bios": ("/boot/grub/i386-pc/core.0", ["e1000,netdev=n0"]),
           "uefi": ("/boot/grub/x86_64-efi/core.efi", ["virtio-net-pci,netdev=n0,romfile=", "virtio-rng-pci"])}


def netboot_args(folder, firmware):
    bootfile, devices = NETBOOT["bios" if firmware == "bios" else "uefi"]
    return (["-netdev", f"user,id=n0,tftp={os.path.abspath(folder)},bootfile={bootfile}"]
            + [arg for device in devices for arg in ("-device", device)] + ["-boot", "n"])


def describe(image=None, kernel=None, netboot=None, media="cd", firmware="bios", machine=None, **_):
    """A boot in words, for messages: the medium, the firmware (with its file) and the machine."""
    if kernel:
        medium = f"{kernel} through QEMU's own Multiboot loader (-kernel)"
    elif netboot:
        bootfile, devices = NETBOOT["bios" if firmware == "bios" else "uefi"]
        medium = f"the network (TFTP {bootfile} from {netboot}, {devices[0].split(',')[0]})"
    else:
        medium = f"{image} as a {'CD' if media == 'cd' else 'USB stick'}"
    if firmware == "bios":
        return f"{medium}, SeaBIOS, {machine or 'pc'}"
    machine = machine or "q35"
    return f"{medium}, OVMF {find_uefi(firmware, machine).code}, {machine}"


def boot_args(workdir, image=None, kernel=None, netboot=None, media="cd", firmware="bios", memory="128M", cpu=None,
              machine=None):
    """QEMU's command line to boot IMAGE (a hybrid ISO, as a CD or a USB stick),
    KERNEL (QEMU's own Multiboot 1 loader) or the TFTP folder NETBOOT over the
    network under FIRMWARE ("bios" is SeaBIOS) on MACHINE ("pc" or "q35"; by
    default pc for BIOS, q35 for UEFI); UEFI writes to a private copy of its
    variable store in WORKDIR."""
    args = [QEMU, "-no-reboot", "-m", memory] + ([] if netboot else ["-net", "none"]) + (["-cpu", cpu] if cpu else [])
    if firmware == "bios" and machine:
        args += ["-machine", machine]
    if firmware != "bios":
        machine = machine or "q35"
        uefi = find_uefi(firmware, machine)
        vars_copy = os.path.join(workdir, "uefi-vars.fd")
        shutil.copyfile(uefi.vars, vars_copy)
        if uefi.smm:  # such builds refuse to start without SMM and a secure flash
            args += ["-machine", f"{machine},smm=on", "-global", "driver=cfi.pflash01,property=secure,value=on"]
        else:
            args += ["-machine", machine]
        args += ["-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={uefi.code}",
                 "-drive", f"if=pflash,format=raw,unit=1,file={vars_copy}"]
    if kernel:
        return args + ["-kernel", kernel]
    if netboot:
        return args + netboot_args(netboot, firmware)
    if media == "cd":
        return args + ["-drive", f"file={image},media=cdrom,format=raw,readonly=on", "-boot", "d"]
    return args + ["-drive", f"if=none,id=stick,format=raw,readonly=on,file={image}", "-device", "qemu-xhci,id=xhci",
                   "-device", "usb-storage,bus=xhci.0,drive=stick,bootindex=1"]


def read_config(path):
    """The values of the build's generated config.hpp (#define NAME VALUE), as numbers."""
    with open(path) as f:
        words = [line.split() for line in f if line.startswith("#define ")]
    return {w[1]: int(w[2], 0) for w in words if len(w) == 3}


def read_ppm(path):
    """A binary 8-bit PPM (P6), as QEMU's screendump writes it."""
    with open(path, "rb") as f:
        data = f.read()
    magic, width, height, maxval = data.split(maxsplit=4)[:4]
    if magic != b"P6" or maxval != b"255":
        raise QemuError(f"{path}: not an 8-bit binary PPM")
    width, height = int(width), int(height)
    return Image(width, height, data[len(data) - width * height * 3:])


class Machine:
    """A QEMU guest with its QMP monitor and COM1 on private Unix sockets. It
    starts paused and runs once both are connected (with a GDB port: when GDB
    says continue), so no output is lost. Everything COM1 said is in .serial;
    with gdb=True, QEMU's GDB stub listens on .gdb_address."""

    def __init__(self, timeout=30.0, extra=(), debug_exit_port=None, gdb=False, com1=True, **boot):
        self.workdir = tempfile.mkdtemp(prefix="mink-qemu-")
        self.description, self.firmware = describe(**boot), boot.get("firmware", "bios")
        self.timeout, self.deadline = timeout, time.monotonic() + timeout
        self.serial, self.output, self.exit_status = "", "", None
        self.events = []  # QMP events, as far as they have been read (see shutdown_reason)
        self._qmp = self._qmp_replies = self._com1 = None
        qmp_path, com1_path = os.path.join(self.workdir, "qmp"), os.path.join(self.workdir, "com1")
        command = boot_args(self.workdir, **boot) + [
            "-S", "-display", "none", "-qmp", f"unix:{qmp_path},server=on,wait=off"]
        # Without COM1 the machine has no UART at all (a legacy-free PC): only the screen shows anything.
        command += ["-chardev", f"socket,id=com1,path={com1_path},server=on,wait=off", "-serial", "chardev:com1"] \
            if com1 else ["-serial", "none"]
        if debug_exit_port is not None:
            command += ["-device", f"isa-debug-exit,iobase={debug_exit_port:#x},iosize=0x04"]
        if gdb:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))  # a free port
                self.gdb_address = f"127.0.0.1:{s.getsockname()[1]}"
            command += ["-gdb", f"tcp:{self.gdb_address}"]
        self.process = subprocess.Popen(command + list(extra), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT)
        try:
            self._qmp = self._connect(qmp_path)
            self._qmp_replies = self._qmp.makefile("rb")
            self._qmp_replies.readline()  # the greeting
            self.command("qmp_capabilities")
            if com1:
                self._com1 = self._connect(com1_path)
            if not gdb:
                self.command("cont")
        except (OSError, QemuError) as error:  # QEMU stopped before it ran the guest: its own words say why
            self.close()
            raise QemuError(f"QEMU did not start ({error}); it said:\n{self.output.strip()}") from None
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.close()

    def _connect(self, path):
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(path)
                return sock
            except OSError:
                sock.close()
            if self.process.poll() is not None or time.monotonic() > self.deadline:
                raise QemuError(f"its socket {os.path.basename(path)} never opened")
            time.sleep(0.01)

    def command(self, name, **arguments):
        """Runs one QMP command and returns its result; events are skipped."""
        self._qmp.sendall(json.dumps({"execute": name, "arguments": arguments}).encode() + b"\n")
        while True:
            line = self._qmp_replies.readline()
            if not line:
                raise QemuError(f"QEMU closed its QMP connection during {name}")
            reply = json.loads(line)
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise QemuError(f"QMP {name} failed: {reply['error'].get('desc')}")
            if "event" in reply:
                self.events.append(reply)

    def shutdown_reason(self):
        """Why QEMU stopped, once it has exited, from its QMP SHUTDOWN event: "guest-shutdown" for a poweroff
        (ACPI S5), "guest-reset" for a reset or triple fault under -no-reboot, "host-qmp-quit" for a quit; None
        when it sent none."""
        if self.process.poll() is None:
            return None
        for line in self._qmp_replies:  # QEMU has closed the connection: read to its end
            reply = json.loads(line)
            if "event" in reply:
                self.events.append(reply)
        reasons = [event.get("data", {}).get("reason") for event in self.events if event["event"] == "SHUTDOWN"]
        return reasons[-1] if reasons else None

    def _read_serial(self, seconds):
        if self._com1 is None:
            time.sleep(seconds)
            return
        while select.select([self._com1], [], [], seconds)[0]:
            chunk = self._com1.recv(65536)
            if not chunk:
                return
            self.serial += chunk.decode(errors="replace").replace("\r", "")
            seconds = 0

    def wait(self, until=None):
        """Reads COM1 until UNTIL (a text, or a function) holds: True; or until
        QEMU exits: False. QemuError when the timeout runs out first."""
        done = (lambda: until in self.serial) if isinstance(until, str) else until
        while not (done and done()):
            if self.process.poll() is not None:
                self.exit_status = self.process.returncode
                self._read_serial(0)
                return False
            if time.monotonic() > self.deadline:
                raise QemuError(f"timed out after {self.timeout:.0f} s: the kernel hung or never got there")
            self._read_serial(0.05)
        return True

    def send(self, text):
        """Types TEXT into COM1."""
        self._com1.sendall(text.encode())

    def send_key(self, *qcodes, hold_ms=100):
        """Presses keys together on the guest's keyboard, e.g. send_key("ctrl", "alt", "delete")."""
        self.command("send-key", keys=[{"type": "qcode", "data": key} for key in qcodes], **{"hold-time": hold_ms})

    def vga_text(self):
        """The 80x25 VGA text screen as 25 lines, as a person would read it."""
        path = os.path.join(self.workdir, "vga.bin")
        self.command("pmemsave", val=0xB8000, size=80 * 25 * 2, filename=path)
        with open(path, "rb") as f:
            text = "".join(chr(c) if 0x20 <= c < 0x7F else " " for c in f.read()[::2])
        return [text[row * 80:(row + 1) * 80].rstrip() for row in range(25)]

    def screendump(self, png_path=None):
        """The screen as an Image, or written to PNG_PATH."""
        if png_path:
            return self.command("screendump", filename=os.path.abspath(png_path), format="png")
        path = os.path.join(self.workdir, "screen.ppm")
        self.command("screendump", filename=path)
        return read_ppm(path)

    def last_seen(self, lines=16, screenshot=None):
        """What a person would have seen last, for a failure's message: COM1's last LINES lines (terminal
        escapes removed) and the screen: under SeaBIOS, the VGA text screen's lines; under UEFI (a framebuffer
        with no text to read) its size. With SCREENSHOT, the screen is also written there as a PNG."""
        self._read_serial(0)
        # A cursor move or a clear ends a line of OVMF's console; other escapes (colours) just go.
        said = TERMINAL_ESCAPE.sub(lambda m: "\n" if m.group()[-1] in "HJ" else "", self.serial)
        said = [line.rstrip() for line in said.splitlines() if line.strip()]
        report = ["COM1: nothing"] if not said else \
            [f"COM1's last {min(lines, len(said))} of {len(said)} lines:"] + [f"  | {line}" for line in said[-lines:]]
        if self.process.poll() is not None:
            return "\n".join(report + [f"screen: none, QEMU has exited with status {self.process.returncode}"])
        saved = ""
        if screenshot:
            self.screendump(screenshot)
            saved = f", saved to {os.path.abspath(screenshot)}"
        if self.firmware == "bios":
            text = self.vga_text()
            while text and not text[-1]:
                text.pop()
            if text:
                report += [f"the VGA text screen{saved}:"] + [f"  | {line}" for line in text]
            else:
                report.append(f"the VGA text screen: blank{saved}")
        else:
            image = self.screendump()
            blank = len(set(image.pixels[i:i + 3] for i in range(0, len(image.pixels), 3))) == 1
            report.append(f"the screen: a {image.width}x{image.height} framebuffer"
                          f"{', blank' if blank else ''} (its text is on COM1 above){saved}")
        return "\n".join(report)

    def quit(self):
        self.command("quit")
        self.process.wait(timeout=10)

    def close(self):
        """Stops QEMU if it still runs, keeps what it printed in .output, removes the sockets."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if not self.process.stdout.closed:
            self.output = self.process.stdout.read().decode(errors="replace")
            self.process.stdout.close()
        for handle in (self._qmp_replies, self._qmp, self._com1):
            if handle:
                handle.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def main(argv):
    if len(argv) != 2 or argv[0] != "firmware" or argv[1] not in UEFI_BUILDS:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    try:
        print("\n".join(find_uefi(argv[1])[:2]))
    except QemuError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
