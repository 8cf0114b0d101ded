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

# The GRUB platforms on the disc: BIOS, 64-bit and 32-bit UEFI (bootia32.efi,
# for 32-bit firmware on 64-bit CPUs, as on Bay Trail tablets). grub-mkrescue packs
# every platform installed under /usr/lib/grub, so any other one (from
# grub-coreboot-bin, grub-ieee1275-bin, ...) is hidden from it: the script
# re-runs itself in a private mount namespace where /usr/lib/grub holds only ours.
# The ISO is then the same whatever else the build machine has installed.
grub_lib=/usr/lib/grub
grub_platforms="i386-pc i386-efi x86_64-efi"
extra_platforms=
for dir in "$grub_lib"/*/; do
    platform=$(basename "$dir")
    [ -f "$dir/modinfo.sh" ] || continue
    case " $grub_platforms " in *" $platform "*) ;; *) extra_platforms="$extra_platforms $platform" ;; esac
done
if [ -n "$extra_platforms" ]; then
    if [ -z "${MINK_GRUB_PLATFORMS_HIDDEN:-}" ]; then
        MINK_GRUB_PLATFORMS_HIDDEN=1 exec unshare --mount --map-root-user "$0" "$output" "$kernel" "$config" "$@"
    fi
    # Keep the real folder reachable, then lay a tmpfs over it that links
    # back to only our platforms.
    real_grub_lib=$(mktemp -d "${TMPDIR:-/tmp}/mink-grub.XXXXXX")
    mount --bind "$grub_lib" "$real_grub_lib"
    mount -t tmpfs none "$grub_lib"
    for platform in $grub_platforms; do ln -s "$real_grub_lib/$platform" "$grub_lib/$platform"; done
fi

# grub.cfg uses: multiboot2 to load mink, test for `[`, efi_gop for the UEFI
# framebuffer, iorw (outb/inb) to ask the VGA whether it shows text; normal
# runs grub.cfg itself. --install-modules applies to both
# platforms and i386-pc has no efi_gop, so all_video brings it in on UEFI.
# GRUB loads every partition-map module it knows (partmap.lst) when it first
# reads a disk: missing ones print "file ... not found" errors on the screen
# before mink starts, and looking for them takes longer than loading them.
grub_modules="normal multiboot2 test all_video iorw"
for platform in $grub_platforms; do
    [ -f "$grub_lib/$platform/partmap.lst" ] ||
        { echo "make_iso.sh: $grub_lib/$platform not found: GRUB for $platform is not installed" >&2; exit 1; }
    grub_modules="$grub_modules $(cat "$grub_lib/$platform/partmap.lst")"
done
grub_modules=$(printf '%s\n' $grub_modules | sort -u | tr '\n' ' ')

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
# Unmount before removing: never let a recursive delete reach the real GRUB folder.
trap 'rm -rf "$work"; [ -z "${real_grub_lib:-}" ] || { umount "$grub_lib"; umount "$real_grub_lib" && rmdir "$real_grub_lib"; }' EXIT
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
