#!/bin/sh
# Boots an ISO in QEMU for a person to look at (meson compile -C build run /
# run-uefi). With a display: a window, serial on this terminal. Without one
# (SSH, CI): BIOS shows the VGA text screen in the terminal (curses); UEFI,
# which has no text mode, shows the serial console here.
# Usage: run.sh bios|uefi ISO [OVMF_CODE OVMF_VARS]
set -eu
firmware=$1 iso=$2 ovmf_code=${3:-} ovmf_vars=${4:-}

# Meson 1.0's `meson compile` runs Ninja with /dev/null as standard input, so
# the terminal display would get no keys: take the terminal back when there is one.
if [ ! -t 0 ] && (true </dev/tty) 2>/dev/null; then
    exec </dev/tty
fi
set -- -drive "file=$iso,media=cdrom,format=raw,readonly=on" -boot d -m 256M -net none -no-reboot

if [ "$firmware" = uefi ]; then
    vars=$(mktemp "${TMPDIR:-/tmp}/mink-ovmf-vars.XXXXXX")
    trap 'rm -f "$vars"' EXIT
    cp "$ovmf_vars" "$vars"
    set -- "$@" -machine q35 -drive "if=pflash,format=raw,readonly=on,file=$ovmf_code" \
        -drive "if=pflash,format=raw,file=$vars"
fi

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "mink: QEMU window opening; serial output follows here. Close the window to quit."
    qemu-system-x86_64 "$@" -serial stdio
elif [ "$firmware" = bios ]; then
    echo "mink: no display; showing the VGA screen in this terminal. Quit: Esc then 2, type quit, Enter."
    sleep 2
    qemu-system-x86_64 "$@" -display curses -serial none
else
    echo "mink: no display; UEFI has no text mode, so serial follows here. Quit: Ctrl-A then X."
    qemu-system-x86_64 "$@" -display none -serial mon:stdio
fi
