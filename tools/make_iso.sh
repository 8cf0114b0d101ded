#!/bin/sh
# Packs a kernel and iso/grub.cfg into a small, reproducible hybrid BIOS+UEFI
# ISO (boots as a CD and written raw to a USB stick) with grub-mkrescue.
# Usage: make_iso.sh OUTPUT.iso KERNEL.elf grub.cfg [EXTRA_FILE...]
#        (extra files, e.g. boot modules, are placed in /boot next to the kernel)
#
# Small: only the GRUB modules grub.cfg needs (and their dependencies), no
# locales, fonts or themes, xz-compressed modules, and a kernel without its
# debug sections (GDB reads the unstripped one in the build folder). What is
# left is mostly the 2.88 MB FAT image grub-mkrescue always writes for UEFI.
#
# Reproducible: grub-mkrescue stamps the disc's UUID (which its GRUB cores
# search for) and the FAT image from the clock, so it runs under faketime with
# the clock frozen at SOURCE_DATE_EPOCH: from the environment if set, else the
# last git commit's time, else (a release tarball) the mtime of meson.build.
set -eu

usage="usage: make_iso.sh OUTPUT.iso KERNEL.elf grub.cfg [EXTRA_FILE...]"
[ $# -ge 3 ] || { echo "make_iso.sh: expected at least 3 arguments, got $#; $usage" >&2; exit 2; }
output=$1 kernel=$2 config=$3
shift 3
for input in "$kernel" "$config" "$@"; do
    [ -f "$input" ] || { echo "make_iso.sh: $input: no such file; $usage" >&2; exit 2; }
done

# grub.cfg uses: multiboot2 to load mink, test for `[`, efi_gop for the UEFI
# framebuffer; normal runs grub.cfg itself. --install-modules applies to both
# platforms and i386-pc has no efi_gop, so all_video brings it in on UEFI.
grub_modules="normal multiboot2 test all_video"

source_root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git -C "$source_root" log -1 --format=%ct 2>/dev/null) ||
        SOURCE_DATE_EPOCH=$(stat -c %Y "$source_root/meson.build")
fi
case $SOURCE_DATE_EPOCH in
    ''|*[!0-9]*) echo "make_iso.sh: SOURCE_DATE_EPOCH '$SOURCE_DATE_EPOCH' is not a number of seconds" >&2; exit 2 ;;
esac
export SOURCE_DATE_EPOCH  # xorriso reads it for the volume dates
frozen_clock=$(date -u -d "@$SOURCE_DATE_EPOCH" '+%Y-%m-%d %H:%M:%S')

work=$(mktemp -d "${TMPDIR:-/tmp}/mink-iso.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/iso/boot/grub"
if [ "$(head -c 4 "$kernel" | tail -c 3)" = ELF ]; then
    llvm-objcopy --strip-debug "$kernel" "$work/iso/boot/mink.elf"
else
    cp "$kernel" "$work/iso/boot/mink.elf"  # a flat Multiboot2 image (tools/benchmark.py's stub)
fi
cp "$config" "$work/iso/boot/grub/grub.cfg"
for extra in "$@"; do
    cp "$extra" "$work/iso/boot/"
done
# Every file on the disc dated SOURCE_DATE_EPOCH.
find "$work/iso" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

TZ=UTC faketime -f "$frozen_clock" grub-mkrescue --output="$output" \
    --install-modules="$grub_modules" --locales= --fonts= --themes= --compress=xz \
    "$work/iso" >"$work/log" 2>&1 || { cat "$work/log" >&2; echo "make_iso.sh: grub-mkrescue failed" >&2; exit 1; }
