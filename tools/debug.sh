#!/bin/sh
# Boots an ISO in QEMU paused at the first instruction, with GDB attached and the kernel's symbols loaded
# (meson compile -C build debug). Quitting GDB stops QEMU.
# Usage: debug.sh ISO KERNEL.elf SOURCE_ROOT [GDB_PORT]
set -eu
[ $# -ge 3 ] || { echo "usage: debug.sh ISO KERNEL.elf SOURCE_ROOT [GDB_PORT]" >&2; exit 2; }
iso=$1 elf=$2 source_root=$3
# QEMU's usual gdb port; pass another when two sessions run at once.
port=${4:-1234}
for input in "$iso" "$elf"; do
    [ -f "$input" ] || { echo "debug.sh: $input: no such file (build it first: meson compile -C build)" >&2; exit 2; }
done

# Meson 1.0's `meson compile` runs Ninja with /dev/null as standard input, so
# GDB would read EOF and quit at once: take the terminal back when there is one.
if [ ! -t 0 ] && (true </dev/tty) 2>/dev/null; then
    exec </dev/tty
fi

log=$(mktemp "${TMPDIR:-/tmp}/mink-serial.XXXXXX")
set -- -drive "file=$iso,media=cdrom,format=raw,readonly=on" -boot d -m 256M -net none -no-reboot \
    -S -gdb "tcp:127.0.0.1:$port" -serial "file:$log"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    qemu-system-x86_64 "$@" &
else
    qemu-system-x86_64 "$@" -display none &
fi
qemu=$!
trap 'kill $qemu 2>/dev/null; wait $qemu 2>/dev/null; rm -f "$log"' EXIT
trap 'exit 1' HUP INT TERM  # so a closed terminal still runs the cleanup above
echo "mink: QEMU (pid $qemu) is paused at the reset vector; serial goes to $log (tail -f it)."
echo "mink: try: hbreak kernel_main, continue; for the 32-bit trampoline: hbreak _start, stepi, disas32."

# QEMU opens its gdb port a moment after starting: GDB retries a refused
# connection by itself (tcp auto-retry) for up to 15 s.
gdb -q -nx -x "$source_root/tools/gdbinit" \
    -ex "directory $source_root" \
    -ex "set \$mink_elf = \"$elf\"" \
    -ex "file $elf" \
    -ex "target remote 127.0.0.1:$port"
