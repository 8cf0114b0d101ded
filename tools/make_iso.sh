#!/bin/sh
# Packs a kernel into a small, reproducible hybrid BIOS+UEFI ISO (CD and USB stick).
# Usage: make_iso.sh OUTPUT.iso KERNEL.elf BIOS.cfg EFI.cfg
#
# Why not grub-mkrescue: it always writes a 2.88 MB efi.img, a Mac boot.efi and
# GRUB's normal mode with its modules, and it stamps the ISO's UUID from the
# clock. Here each GRUB core carries exactly the modules it needs and the
# platform's config embedded, so GRUB boots the kernel from its rescue parser
# without reading a single module file (faster), and every date comes from
# SOURCE_DATE_EPOCH (byte-identical ISOs).
#
# SOURCE_DATE_EPOCH: taken from the environment if set; else the time of the
# source tree's last git commit; else (a release tarball) the mtime of the
# top meson.build, which `git archive` sets to that same commit time.
set -eu

usage="usage: make_iso.sh OUTPUT.iso KERNEL.elf BIOS.cfg EFI.cfg"
[ $# -eq 4 ] || { echo "make_iso.sh: expected 4 arguments, got $#; $usage" >&2; exit 2; }
output=$1 kernel=$2 bios_cfg=$3 efi_cfg=$4
for input in "$kernel" "$bios_cfg" "$efi_cfg"; do
    [ -f "$input" ] || { echo "make_iso.sh: $input: no such file; $usage" >&2; exit 2; }
done

grub_bios_dir=/usr/lib/grub/i386-pc
grub_efi_dir=/usr/lib/grub/x86_64-efi
# BIOS: the CD driver, ISO 9660, finding the disc by UUID, the loader.
bios_modules="biosdisk iso9660 search_fs_uuid multiboot2"
# UEFI: partition tables and FAT for the stick's EFI partition, ISO 9660,
# finding the disc by UUID, the loader, and GOP so the kernel gets a framebuffer.
efi_modules="part_gpt part_msdos fat iso9660 search_fs_uuid multiboot2 efi_gop"
# Room for the FAT tables and directories around BOOTX64.EFI in efi.img.
fat_overhead_kib=64
# efi.img is formatted as 1 head x 32 sectors/track, so whole tracks of 16 KiB.
fat_sectors_per_track=32
fat_track_kib=16
# FAT volume serial number: mformat picks a random one unless told.
fat_serial=4d494e4b  # "MINK"

here=$(cd "$(dirname "$0")" && pwd)
source_root=$(dirname "$here")
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git -C "$source_root" log -1 --format=%ct 2>/dev/null) ||
        SOURCE_DATE_EPOCH=$(stat -c %Y "$source_root/meson.build")
fi
case $SOURCE_DATE_EPOCH in
    ''|*[!0-9]*) echo "make_iso.sh: SOURCE_DATE_EPOCH '$SOURCE_DATE_EPOCH' is not a number of seconds" >&2; exit 2 ;;
esac
# xorriso and mtools read it too: volume dates, file dates, FAT entries.
export SOURCE_DATE_EPOCH
# The ISO 9660 volume UUID is its modification date to 1/100 s; GRUB's
# search.fs_uuid finds the disc by it, in the same dashed form.
uuid=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d-%H-%M-%S-00)
iso_date=$(echo "$uuid" | tr -d -)

work=$(mktemp -d "${TMPDIR:-/tmp}/mink-iso.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/iso/boot/grub" "$work/efi/EFI/BOOT"
cp "$kernel" "$work/iso/boot/mink.elf"

run() {  # runs a tool quietly, showing its output only when it fails
    "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; echo "make_iso.sh: failed: $*" >&2; exit 1; }
}

# GRUB cores, each with its platform's config embedded after the root search.
# Comment lines go: the rescue parser does not know comments, and an
# apostrophe in one would open a quote spanning the commands after it.
embed_config() {
    echo "search.fs_uuid $uuid root"
    sed -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' "$1"
}
embed_config "$bios_cfg" >"$work/bios.cfg"
embed_config "$efi_cfg" >"$work/efi.cfg"
# shellcheck disable=SC2086 # one module per word
run grub-mkimage --directory="$grub_bios_dir" --format=i386-pc-eltorito --prefix=/boot/grub \
    --config="$work/bios.cfg" --output="$work/iso/boot/grub/eltorito.img" $bios_modules
# shellcheck disable=SC2086
run grub-mkimage --directory="$grub_efi_dir" --format=x86_64-efi --prefix=/boot/grub \
    --config="$work/efi.cfg" --output="$work/efi/EFI/BOOT/BOOTX64.EFI" $efi_modules

# The EFI system partition image: just big enough for BOOTX64.EFI.
efi_kib=$(( ($(stat -c %s "$work/efi/EFI/BOOT/BOOTX64.EFI") + 1023) / 1024 + fat_overhead_kib ))
efi_kib=$(( (efi_kib + fat_track_kib - 1) / fat_track_kib * fat_track_kib ))
run mformat -i "$work/iso/efi.img" -C -T $((efi_kib * 2)) -h 1 -s $fat_sectors_per_track -N $fat_serial ::
find "$work/efi" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
run mcopy -s -m -i "$work/iso/efi.img" "$work/efi/EFI" ::/

# Every file on the disc dated SOURCE_DATE_EPOCH (xorriso also forces this).
find "$work/iso" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
# Hybrid: El Torito for CDs (BIOS core, efi.img), an MBR that chains to the
# BIOS core and an MBR partition holding efi.img for USB sticks.
run xorriso -as mkisofs -graft-points -r -V MINK --modification-date="$iso_date" \
    -b boot/grub/eltorito.img -no-emul-boot -boot-load-size 4 -boot-info-table \
    --grub2-boot-info --grub2-mbr "$grub_bios_dir/boot_hybrid.img" \
    --efi-boot efi.img -efi-boot-part --efi-boot-image --protective-msdos-label \
    -o "$output" "$work/iso"
