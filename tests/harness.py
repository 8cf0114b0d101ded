#!/usr/bin/env python3
"""Boots a mink image in QEMU (tools/qemu.py) and judges it as a person would:
by what COM1 says, what the screen shows and how QEMU exits.

A test kernel says "mink-test: ready" and waits; the harness checks the screen,
then sends "run <test> <token>" with a fresh random token. The kernel states
what the test's declaration expects ("mink-test: expect <outcome>" and
"mink-test: expect-serial <text>" lines, never counted as the text itself),
runs it and ends with "mink-test: finished <test> <token> <outcome>", and
QEMU must exit with that outcome's isa-debug-exit code, (value << 1) | 1. A
triple fault under -no-reboot makes QEMU exit 0, which never passes.
"--run ktap" runs every normal test in one boot and prints KTAP as TAP, each
failing test's expectations ("# file:line: expected ...") under its "not ok"
line, and on stderr too, which is what `meson test --print-errorlogs` shows
of a TAP test. A failing test is a "not ok" line and exit status 0, so Meson
reports FAIL with "N/M subtests passed"; anything else wrong (a crash, a hang,
a wrong token) is "Bail out!" and exit status 1.

In every expected text, {greeting} stands for the kernel's greeting as
src/kernel/main.cpp spells it (tools/greeting.py), so the boot tests follow
an edited greeting.

"--run-each KIND" asks the test kernel for its tests ("run list": one
"mink-test: test <kind> <name>" line each) and gives every test of that kind a
boot of its own, two at a time, printing TAP: one line per test (a failing
one's reason on stderr too, exit status 0 as above). The harness
self-tests (selftest_*) are left out: they must fail (tests/selftest).
"""

import argparse
import codecs
import collections
import concurrent.futures
import copy
import os
import re
import secrets
import subprocess
import sys
import time

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools")
sys.path.insert(0, TOOLS)
import greeting  # noqa: E402
import qemu  # noqa: E402

READY = "mink-test: ready"
GREETING = "{greeting}"  # in an expected text: main.cpp's greeting
EXPECT, EXPECT_SERIAL = "mink-test: expect ", "mink-test: expect-serial "
PROMPT = "Type here: keys echo on the screen and serial; `help` lists the commands.\n> "
LISTED_TEST = re.compile(r"^mink-test: test (\S+) (\S+)$", re.M)
KINDS = ["normal", "expect-panic", "fault", "isolated"]  # src/kernel/testing/harness.cpp's words
SELFTEST_PREFIX = "selftest_"
OUTCOME_EXITS = {"passed": "SUCCESS", "failed": "FAILURE", "panicked": "PANIC", "cpu-exception": "CPU_EXCEPTION"}
SETTLE_SECONDS = 2.0  # the screen may trail COM1 a little: early boot code writes serial first
MEMORY_SLACK_MIB = 2  # SeaBIOS keeps ~0.5 MiB (EBDA, option ROMs, its tables) for itself


class Failure(Exception):
    pass


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", required=True, help="the build's config.hpp (debug-exit port and codes)")
    p.add_argument("--image", help="the ISO to boot")
    p.add_argument("--kernel", help="boot this with QEMU's own Multiboot 1 loader instead")
    p.add_argument("--netboot", metavar="DIR", help="boot over the network from this TFTP folder instead "
                   "(meson compile netboot; QEMU's user-mode networking serves it)")
    p.add_argument("--firmware", choices=["bios", "uefi", "uefi-ia32"], default="bios")
    p.add_argument("--machine", choices=["pc", "q35"], help="QEMU machine type (default: pc for BIOS, q35 for UEFI)")
    p.add_argument("--media", choices=["cd", "usb"], default="cd")
    p.add_argument("--cpu", help="QEMU CPU model, e.g. qemu32 (no long mode)")
    p.add_argument("--memory", default="128M")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds before the boot counts as hung")
    p.add_argument("--qemu-args", default="", metavar="ARGS",
                   help="more QEMU arguments, space-separated (devices, machine options)")
    p.add_argument("--run", metavar="TEST", help="have the test kernel run TEST ('ktap': every normal test)")
    p.add_argument("--run-each", choices=KINDS, metavar="KIND", help="boot each of the test kernel's tests of KIND "
                   f"({', '.join(KINDS)}) on its own, selftest_* aside; prints TAP")
    p.add_argument("--jobs", type=int, default=2, help="boots at a time for --run-each (default: 2)")
    p.add_argument("--expect-exit", metavar="NAME", help="QEMU must exit with QEMU_EXIT_NAME; without it and "
                   "--run the guest must still run when every expectation is met, and is quit")
    p.add_argument("--expect-poweroff", action="store_true",
                   help="after the typing, QEMU must end by itself, switched off by the guest (status 0 and a QMP "
                        "SHUTDOWN event of reason guest-shutdown, which a triple fault under -no-reboot is not)")
    p.add_argument("--expect-serial", action="append", default=[], metavar="TEXT", help="COM1 must say TEXT")
    p.add_argument("--expect-serial-match", action="append", default=[], metavar="REGEX",
                   help="a line COM1 said must match REGEX")
    p.add_argument("--expect-serial-rise", nargs=2, action="append", default=[], metavar=("REGEX", "LEAST"),
                   help="the number REGEX's group captures must rise by at least LEAST from the first COM1 line "
                        "it matches to the last (a time the guest reports twice, so no host clock is trusted)")
    p.add_argument("--expect-vga", action="append", default=[], metavar="TEXT", help="VGA text memory must show TEXT")
    p.add_argument("--expect-screen", action="append", default=[], metavar="TEXT",
                   help="the framebuffer must show TEXT exactly as --renderer draws it in --font")
    p.add_argument("--renderer", help="render-reference: the kernel's own font code, built for the host")
    p.add_argument("--font", help="the PSF font the kernel embeds, uncompressed")
    p.add_argument("--expect-usable-mib", type=int, metavar="MIB",
                   help="the kernel's 'Memory: N KiB usable' must be within 2 MiB below MIB")
    p.add_argument("--gdb", metavar="SYMBOL", help="first GDB (tools/gdbinit) must stop at a hardware "
                   "breakpoint on SYMBOL of --elf; it detaches and the checks go on")
    p.add_argument("--elf", help="the kernel with symbols, for --gdb")
    p.add_argument("--gdb-null-unmapped", action="store_true",
                   help="where GDB stops, virtual address 0 must not be readable (no identity map left)")
    p.add_argument("--no-boot-errors", action="store_true",
                   help="until the kernel greets, neither COM1 nor (under BIOS, watched all along) the VGA text "
                        "screen may show an error from the firmware or GRUB")
    p.add_argument("--type", metavar="KEYS", help="once the prompt is up, press KEYS on the PS/2 keyboard: QEMU "
                   "qcodes separated by spaces, keys held together joined by '+' (shift+h i backspace ret)")
    p.add_argument("--type-serial", metavar="TEXT", help="once the prompt is up, write TEXT to COM1 as a terminal "
                   "would, with Python's escapes: \\r is Enter, \\x7f Backspace, \\x1b[D the left arrow")
    p.add_argument("--expect-typed", action="append", default=[], metavar="TEXT",
                   help="a line COM1 shows, with its backspaces applied as a terminal would, must contain TEXT")
    p.add_argument("--no-com1", action="store_true", help="the machine has no COM1: judge by the screen alone, "
                   "waiting until it shows every --expect-vga/--expect-screen text")
    p.add_argument("--must-fail", metavar="REASON", help="harness self-test: pass only if the boot fails "
                   "for REASON")
    args = p.parse_args(argv)
    if [bool(args.image), bool(args.kernel), bool(args.netboot)].count(True) != 1:
        p.error("give exactly one of --image, --kernel and --netboot")
    if args.run_each and (args.run or not args.image):
        p.error("--run-each needs --image and no --run")
    args.greeting = greeting.read()
    for texts in (args.expect_serial, args.expect_vga, args.expect_screen):
        texts[:] = [text.replace(GREETING, args.greeting) for text in texts]
    return args


class Boot:
    def __init__(self, args):
        self.args, self.config = args, qemu.read_config(args.config)
        self.token = secrets.token_hex(8)
        self.notes, self.screen_checked, self.quit_by_harness = [], False, False
        self.batch_failed = False  # --run ktap: the kernel reported failing tests, which TAP names
        self.machine = None
        self.shutdown_reason = None  # --expect-poweroff: QEMU's reason for stopping

    def run(self):
        a = self.args
        self.machine = m = qemu.Machine(
            image=a.image, kernel=a.kernel, netboot=a.netboot, media=a.media, firmware=a.firmware,
            machine=a.machine, cpu=a.cpu, memory=a.memory,
            timeout=a.timeout, debug_exit_port=self.config["QEMU_DEBUG_EXIT_PORT"],
            gdb=bool(a.gdb), com1=not a.no_com1, extra=a.qemu_args.split())
        with m:
            if a.no_boot_errors:
                self.watch_boot(m)
            if a.gdb:
                self.stop_in_gdb(m)
            if a.run:
                if m.wait(READY):
                    self.check_screen()
                    m.send(f"run {a.run} {self.token}\n")
                m.wait()
            elif a.expect_exit:
                m.wait()
            elif a.expect_poweroff:
                if self.type_keys(m):
                    m.wait()
                self.shutdown_reason = m.shutdown_reason()  # QMP closes with the machine
            elif a.no_com1:
                self.check_screen(settle_seconds=a.timeout)
                m.quit()
                self.quit_by_harness = True
            elif self.type_keys(m) and m.wait(lambda: all(text in m.serial for text in a.expect_serial)
                                              and all(self.typed_line(text) for text in a.expect_typed)):
                self.check_screen()  # the shipped kernel idles forever: look, then stop it
                m.quit()
                self.quit_by_harness = True
        self.judge()

    def type_keys(self, m):
        """Presses --type's keys and writes --type-serial's text once the prompt is up; True when there is
        nothing (more) to wait for first."""
        a = self.args
        if not a.type and not a.type_serial:
            return True
        if not m.wait(PROMPT):
            return False
        if a.type:
            for chord in a.type.split():
                m.send_key(*chord.split("+"), hold_ms=50)
            self.notes.append(f"typed {a.type!r} at the prompt")
        if a.type_serial:
            m.send(codecs.decode(a.type_serial, "unicode_escape"))
            self.notes.append(f"wrote '{a.type_serial}' to COM1 at the prompt")
        return True

    def typed_line(self, text):
        """The first line of COM1, as a terminal shows it after its backspaces, that contains TEXT."""
        for raw in self.machine.serial.splitlines():
            line, column = [], 0
            for c in raw:
                if c == "\b":
                    column = max(column - 1, 0)
                    continue
                line[column:column + 1] = [c]
                column += 1
            if text in "".join(line):
                return "".join(line).rstrip()
        return None

    def watch_boot(self, m):
        errors = []

        def kernel_greeted():
            if a.firmware == "bios":  # GRUB writes only to the screen there, and clears it before booting
                errors.extend(line for line in m.vga_text() if "error" in line.lower() and line not in errors)
            return a.greeting in m.serial or READY in m.serial

        a = self.args
        m.wait(kernel_greeted)
        before_kernel = m.serial.split(a.greeting)[0].split(READY)[0]
        errors += [line for line in before_kernel.splitlines() if "error" in line.lower()]
        if errors:
            raise Failure("the firmware or GRUB showed errors before the kernel started:\n  " + "\n  ".join(errors))
        self.notes.append("no error on COM1" + (" or the VGA screen" if a.firmware == "bios" else "")
                          + " before the kernel greeted")

    def stop_in_gdb(self, m):
        marker = "mink-gdb: stopped in"
        command = ["gdb", "-batch", "-nx", "-x", os.path.join(TOOLS, "gdbinit"), "-ex", f"file {self.args.elf}",
                   "-ex", f"target remote {m.gdb_address}", "-ex", f"hbreak {self.args.gdb}", "-ex", "continue",
                   "-ex", f"echo {marker}\\n", "-ex", "info symbol $pc"]
        null_marker = "mink-gdb: address 0"
        if self.args.gdb_null_unmapped:
            command += ["-ex", f"echo {null_marker}\\n", "-ex", "x/gx 0"]
        command += ["-ex", "detach"]
        # COM1 is read while GDB runs: a guest whose output nobody reads stalls.
        with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True) as gdb:
            try:
                m.wait(lambda: gdb.poll() is not None)
            finally:
                gdb.kill()
            said = gdb.stdout.read()
        where = (said.split(marker + "\n", 1) + [""])[1]
        if not re.match(rf"{re.escape(self.args.gdb)}( \+ \d+)? in section \.(boot\.)?text", where):
            raise Failure(f"GDB did not stop in {self.args.gdb}; it said:\n{said}")
        self.notes.append(f"GDB stopped at {where.splitlines()[0]}")
        if self.args.gdb_null_unmapped:
            null_read = (said.split(null_marker + "\n", 1) + [""])[1].splitlines()[:1]
            if not null_read or not null_read[0].endswith("Cannot access memory at address 0x0"):
                raise Failure(f"at {self.args.gdb}, GDB read virtual address 0: {null_read}")
            self.notes.append(f"at {self.args.gdb}, nothing is mapped at virtual address 0")

    def check_screen(self, settle_seconds=SETTLE_SECONDS):
        settle_deadline = time.monotonic() + settle_seconds
        for text in self.args.expect_vga:
            while not any(text in line for line in self.machine.vga_text()):
                if time.monotonic() > settle_deadline:
                    raise Failure(f"VGA text memory does not show {text!r}; the screen reads:\n  "
                                  + "\n  ".join(self.machine.vga_text()))
                time.sleep(0.05)
            self.notes.append(f"VGA text memory shows {text!r}")
        for text in self.args.expect_screen:
            reference_path = os.path.join(self.machine.workdir, "reference.ppm")
            subprocess.run([self.args.renderer, self.args.font, text, reference_path], check=True)
            reference = qemu.read_ppm(reference_path)
            while (row := find_text_row(self.machine.screendump(), reference)) is None:
                if time.monotonic() > settle_deadline:
                    raise Failure(f"the screen does not show {text!r} drawn in the kernel's font")
                time.sleep(0.1)
            self.notes.append(f"the framebuffer shows {text!r} in the kernel's font at text row {row}")
        self.screen_checked = True

    def judge(self):
        a, m = self.args, self.machine
        # A poweroff exits with 0 too; only QMP's shutdown reason tells it from a triple fault.
        if m.exit_status == 0 and self.shutdown_reason != "guest-shutdown":
            raise Failure("QEMU exited with 0: the guest triple-faulted (or reset) under -no-reboot"
                          + (f" (QMP shutdown reason: {self.shutdown_reason})" if self.shutdown_reason else ""))
        lines = m.serial.splitlines()
        outcome = next((line[len(EXPECT):] for line in lines if line.startswith(EXPECT)), "passed")
        texts = a.expect_serial + [line[len(EXPECT_SERIAL):] for line in lines if line.startswith(EXPECT_SERIAL)]
        said = "\n".join(line for line in lines if not line.startswith((EXPECT, EXPECT_SERIAL)))
        missing = [text for text in texts if text not in said]
        if missing:
            raise Failure("serial never showed " + ", ".join(repr(text) for text in missing))
        self.notes += [f"serial showed {text!r}" for text in texts]
        for text in a.expect_typed:
            line = self.typed_line(text)
            if line is None:
                raise Failure(f"no serial line showed {text!r} once its backspaces were applied")
            self.notes.append(f"serial line {line!r} (backspaces applied) shows {text!r}")
        for pattern in a.expect_serial_match:
            line = next((line for line in said.splitlines() if re.search(pattern, line)), None)
            if line is None:
                raise Failure(f"no serial line matched {pattern!r}")
            self.notes.append(f"serial line {line!r} matched {pattern!r}")
        for pattern, least in a.expect_serial_rise:
            numbers = [int(found.group(1)) for line in said.splitlines() if (found := re.search(pattern, line))]
            if len(numbers) < 2:
                raise Failure(f"{len(numbers)} serial line(s) matched {pattern!r}; a rise needs two")
            if numbers[-1] - numbers[0] < int(least):
                raise Failure(f"the lines matching {pattern!r} rose from {numbers[0]} to {numbers[-1]}, "
                              f"less than {least}")
            self.notes.append(f"the lines matching {pattern!r} rose from {numbers[0]} to {numbers[-1]} "
                              f"(at least {least})")
        if a.expect_usable_mib:
            self.judge_memory(a.expect_usable_mib)
        expect_exit = a.expect_exit
        if a.run:
            finished = f"mink-test: finished {a.run} {self.token} "
            if finished not in m.serial:
                raise Failure(f"the kernel never reported {finished.strip()!r} with this run's token")
            reported = m.serial.split(finished, 1)[1].split("\n", 1)[0]
            if a.run == "ktap" and (outcome, reported) == ("passed", "failed"):
                outcome, self.batch_failed = reported, True  # its "not ok" lines say which and why
            if reported != outcome or outcome not in OUTCOME_EXITS:
                why = [line for line in lines if line.startswith("# ")]  # the kernel's diagnostics
                raise Failure(f"the kernel reported {a.run} {reported}, expected {outcome}"
                              + "".join(f"\n  {line}" for line in why))
            self.notes.append(f"the kernel reported {a.run} {outcome} with this run's token")
            expect_exit = OUTCOME_EXITS[outcome]
        if expect_exit:
            codes = {(value << 1) | 1: name[len("QEMU_EXIT_"):] for name, value in self.config.items()
                     if name.startswith("QEMU_EXIT_")}
            if codes.get(m.exit_status) != expect_exit:
                raise Failure(f"QEMU exited with {m.exit_status} ({codes.get(m.exit_status, 'unknown')}), "
                              f"expected {expect_exit}")
            self.notes.append(f"QEMU exited with {m.exit_status} ({expect_exit})")
        elif a.expect_poweroff:
            reason = self.shutdown_reason
            if m.exit_status != 0 or reason != "guest-shutdown":
                raise Failure(f"QEMU exited with status {m.exit_status}, shutdown reason {reason}: expected 0 and "
                              "guest-shutdown (a poweroff)")
            self.notes.append("QEMU exited with status 0 after the guest switched it off (guest-shutdown)")
        elif not self.quit_by_harness:
            raise Failure(f"QEMU exited on its own with status {m.exit_status} before the checks were done")
        else:
            self.notes.append("the guest still ran when the checks were done (no reset, no triple fault)")
        if (a.expect_vga or a.expect_screen) and not self.screen_checked:
            raise Failure("the screen was never checked: the kernel did not get that far")

    def judge_memory(self, mib):
        found = re.search(r"^Memory: +(\d+) KiB usable", self.machine.serial, re.M)
        if not found:
            raise Failure("the kernel never reported its usable memory")
        kib = int(found.group(1))
        if not (mib - MEMORY_SLACK_MIB) * 1024 < kib <= mib * 1024:
            raise Failure(f"the kernel reported {kib} KiB usable with {mib} MiB of RAM")
        self.notes.append(f"the kernel reported {kib} KiB usable of {mib} MiB")


def lit_mask(image, top, width, height):
    """Which pixels of a region differ from its most common colour (the background)."""
    stride = image.width * 3
    pixels = [image.pixels[(top + y) * stride + x * 3:(top + y) * stride + x * 3 + 3]
              for y in range(height) for x in range(width)]
    background = collections.Counter(pixels).most_common(1)[0][0]
    return [pixel != background for pixel in pixels]


def find_text_row(screen, reference):
    """The text row (font-high bands from the top, at column 0) whose lit pixels are exactly the reference's."""
    expected = lit_mask(reference, 0, reference.width, reference.height)
    if not any(expected):
        raise Failure("the reference rendering is blank")
    for row in range(screen.height // reference.height if reference.width <= screen.width else 0):
        if lit_mask(screen, row * reference.height, reference.width, reference.height) == expected:
            return row
    return None


def ktap_as_tap(serial):
    """The KTAP lines of COM1 in TAP's order, each test's diagnostics (printed
    while it ran) under its "not ok" line; and the failing tests, each with its
    diagnostics."""
    tap, failures, pending = [], [], []
    for line in serial.splitlines():
        if line.startswith("# "):
            pending.append(line)
        elif line.startswith("not ok "):
            tap += [line] + pending
            failures.append("\n".join([line] + ["  " + diagnostic for diagnostic in pending]))
            pending = []
        elif line.startswith(("1..", "ok ")):
            tap += pending + [line]
            pending = []
    return tap + pending, failures


def boot_once(args):
    """Runs one boot as ARGS say: the Boot, and why it failed (None if it passed)."""
    boot = Boot(args)
    try:
        boot.run()
    except (Failure, qemu.QemuError) as error:
        return boot, str(error)
    return boot, None


def run_one(args, test):
    """Boots the test kernel to run TEST alone: its failure (None if it passed) and what the boot printed."""
    one = copy.copy(args)
    one.run, one.run_each = test, None
    boot, failure = boot_once(one)
    serial = boot.machine.serial if boot.machine else ""
    output = boot.machine.output.strip() if boot.machine else ""
    return failure, f"--- serial ({len(serial)} bytes) ---\n{serial}\n--- QEMU said ---\n{output}"


def run_each(args):
    """--run-each: the kernel's list of tests, then a boot per test of the kind, as TAP."""
    print("TAP version 13", flush=True)
    failure, log = run_one(args, "list")
    if failure:
        print("\n".join("# " + line for line in log.splitlines()) + f"\nBail out! listing the tests: {failure}")
        return 1
    listed = LISTED_TEST.findall(log)
    tests = [name for kind, name in listed if kind == args.run_each and not name.startswith(SELFTEST_PREFIX)]
    print(f"# the test kernel lists {len(listed)} tests; {len(tests)} of kind {args.run_each}, each booted alone")
    if not tests:  # "1..0" would read as a skip: a kernel that lists none is broken
        print(f"Bail out! the test kernel lists no {args.run_each} test:\n" + "\n".join(
            "# " + line for line in log.splitlines()))
        return 1
    print(f"1..{len(tests)}", flush=True)
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        boots = {pool.submit(run_one, args, test): test for test in tests}
        for number, done in enumerate(concurrent.futures.as_completed(boots), 1):
            failure, log = done.result()
            if failure:
                failed += 1
                print(f"not ok {number} {boots[done]}\n"
                      + "\n".join("# " + line for line in f"FAIL: {failure}\n{log}".splitlines()), flush=True)
                said = [line for line in log.splitlines() if line.startswith("# ") and line not in failure]
                print(f"not ok {number} {boots[done]}: {failure}" + "".join(f"\n  {line}" for line in said),
                      file=sys.stderr, flush=True)
            else:
                print(f"ok {number} {boots[done]}", flush=True)
    if failed:
        print(f"{failed} of {len(tests)} {args.run_each} tests failed (their boot logs: meson-logs/testlog.txt in the build folder)",
              file=sys.stderr)
    return 0  # the "not ok" lines fail the test


def main(argv):
    args = parse_args(argv)
    if args.run_each:
        return run_each(args)
    boot, failure = boot_once(args)
    serial = boot.machine.serial if boot.machine else ""
    if args.must_fail:
        if failure is None or args.must_fail not in failure:
            print(f"FAIL: the boot should have failed because {args.must_fail!r}, but "
                  + (f"failed with: {failure}" if failure else "it passed") + f"\n--- serial ---\n{serial}")
            return 1
        print(f"ok: the harness failed the boot as it must: {failure}")
        return 0
    tap = args.run == "ktap"
    if tap:
        lines, failed_tests = ktap_as_tap(serial)
        print("TAP version 13\n" + "\n".join(lines))
        if failed_tests:
            print(f"{len(failed_tests)} in-kernel test{'s' * (len(failed_tests) != 1)} failed:\n" + "\n".join(failed_tests), file=sys.stderr)
        if boot.batch_failed and not failed_tests and not failure:
            failure = "the kernel reported failing tests but printed no 'not ok' line"
    if failure:
        output = boot.machine.output.strip() if boot.machine else ""
        log = f"--- serial ({len(serial)} bytes) ---\n{serial}\n--- QEMU said ---\n{output}"
        if tap:
            print("\n".join("# " + line for line in log.splitlines()) + f"\nBail out! {failure}")
        else:
            print(f"FAIL: {failure}\n{log}")
        return 1
    if not tap:
        print("".join(f"ok: {note}\n" for note in boot.notes) + "PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
