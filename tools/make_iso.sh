#!/bin/sh
# Packs a kernel and iso/grub.cfg into a small, reproducible hybrid BIOS+UEFI
# ISO (boots as a CD and written raw to a USB stick) with grub-mkrescue, in two
# stages so that a kernel edit does not re-pack GRUB:
#   make_iso.sh grub BASE grub.cfg [EXTRA_FILE...]   GRUB's part, into folder BASE
#   make_iso.sh pack OUTPUT.iso BASE KERNEL.elf       BASE plus the kernel -> the ISO
#   make_iso.sh OUTPUT.iso KERNEL.elf grub.cfg [EXTRA_FILE...]   both at once
#   make_iso.sh netdir DIR KERNEL.elf grub.cfg   a TFTP folder for network boot
#       (grub-mknetdir: BIOS PXE boot/grub/i386-pc/core.0, UEFI boot/grub/x86_64-efi/core.efi)
# (extra files, e.g. boot modules, are placed in /boot next to the kernel)
#
# Two stages, one ISO: the grub stage runs grub-mkrescue on the tree with a
# zero-filled slot of kKernelSlot bytes at /boot/mink.elf and notes where the
# slot's data lies in the image; the pack stage copies that image and writes
# the kernel over the start of its slot (GRUB reads the ELF by its headers and
# never looks at the zeros after it). A clean build takes the same two steps,
# so an ISO packed after an edit is byte for byte the one a clean build makes
# (tests/repro), and it is still exactly what grub-mkrescue made: hybrid, with
# nothing in it (file sizes, partition tables, boot catalogue) changed.
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

usage="usage: make_iso.sh grub BASE grub.cfg [EXTRA_FILE...] | pack OUTPUT.iso BASE KERNEL.elf
       | OUTPUT.iso KERNEL.elf grub.cfg [EXTRA_FILE...] | netdir DIR KERNEL.elf grub.cfg"
fail() { echo "make_iso.sh: $1" >&2; exit "${2:-1}"; }
need_files() {
    for input in "$@"; do [ -f "$input" ] || fail "$input: no such file; $usage" 2; done
}
# Room for the kernel on the disc: the kernels as packed are 160-415 KiB today
# (the UBSan test kernel is the largest). The ISO must stay within 5 MiB
# (tests/kernel: iso-size), and a larger slot would take it past that.
kernel_slot=$((512 * 1024))
sector=2048

# Reads SOURCE_DATE_EPOCH (see the top) into $epoch.
read_epoch() {
    source_root=$(cd "$(dirname "$0")/.." && pwd)
    epoch=${SOURCE_DATE_EPOCH:-}
    if [ -z "$epoch" ]; then
        epoch=$(git -C "$source_root" log -1 --format=%ct 2>/dev/null) || epoch=$(stat -c %Y "$source_root/meson.build")
    fi
    case $epoch in
        '' | *[!0-9]*) fail "SOURCE_DATE_EPOCH '$epoch' is not a number of seconds" 2 ;;
    esac
}

# GRUB's part, in folder BASE: image.iso (grub-mkrescue's ISO with an empty
# kernel slot) and slot-offset (where the slot's bytes start in it).
grub_stage() {
    base=$1 config=$2
    shift 2
    need_files "$config" "$@"
    hide_extra_grub_platforms grub "$base" "$config" "$@"
    grub_modules=$(grub_module_list)
    read_epoch
    frozen_clock=$(date -u -d "@$epoch" '+%Y-%m-%d %H:%M:%S')
    rm -rf "$base"
    mkdir -p "$base/tree/boot/grub"
    cp "$config" "$base/tree/boot/grub/grub.cfg"
    for extra in "$@"; do cp "$extra" "$base/tree/boot/"; done
    head -c "$kernel_slot" /dev/zero >"$base/tree/boot/mink.elf"
    # Every file on the disc dated SOURCE_DATE_EPOCH.
    find "$base/tree" -exec touch -h -d "@$epoch" {} +
    # GRUB 2.12 also copies its UEFI loaders into the disc's own file system
    # (/efi/boot, 600 KiB); firmware boots them from the El Torito image
    # (efi.img), which holds the same files, so the copies go (xorriso's
    # commands after `--`; under GRUB 2.06, which has none, that is tolerated).
    SOURCE_DATE_EPOCH=$epoch TZ=UTC faketime -f "$frozen_clock" grub-mkrescue --output="$base/image.iso" \
        --install-modules="$grub_modules" --locales= --fonts= --themes= --compress=xz \
        "$base/tree" -- -return_with FAILURE 32 -rm_r /efi -- >"$base/log" 2>&1 || { cat "$base/log" >&2; fail "grub-mkrescue failed"; }
    # The slot's first sector (its data is contiguous, as all ISO 9660 file data is).
    lba=$(xorriso -indev "$base/image.iso" -find /boot/mink.elf -exec report_lba -- 2>/dev/null |
        sed -n 's/^File data lba: *0 *, *\([0-9]*\) *, *\([0-9]*\) *,.*/\1 \2/p')
    [ "${lba#* }" = $((kernel_slot / sector)) ] || fail "cannot find the kernel slot in $base/image.iso ($lba)"
    echo $((${lba% *} * sector)) >"$base/slot-offset"
    rm -rf "$base/tree" "$base/log"
    touch "$base"  # the build's stamp: ninja compares the folder's time
}

# The ISO: GRUB's image with the (stripped) kernel written into its slot.
pack_stage() {
    output=$1 base=$2 kernel=$3
    need_files "$kernel" "$base/image.iso" "$base/slot-offset"
    if [ "$(head -c 4 "$kernel" | tail -c 3)" = ELF ]; then
        llvm-objcopy --strip-debug "$kernel" "$output.kernel"
    else
        cp "$kernel" "$output.kernel"  # a flat Multiboot2 image (tools/benchmark.py's stub)
    fi
    size=$(stat -c %s "$output.kernel")
    [ "$size" -le "$kernel_slot" ] ||
        { rm -f "$output.kernel"; fail "the kernel is $size bytes, more than the ISO's slot ($kernel_slot): raise kernel_slot"; }
    cp "$base/image.iso" "$output.tmp"
    dd if="$output.kernel" of="$output.tmp" bs=$sector seek="$(($(cat "$base/slot-offset") / sector))" conv=notrunc \
        status=none
    rm -f "$output.kernel"
    mv "$output.tmp" "$output"
}

# The network-boot folder: GRUB's PXE and UEFI network cores with their
# modules, grub.cfg and the kernel, the same paths as on the disc (GRUB's root
# is the TFTP server, so grub.cfg's /boot/mink.elf is fetched from there).
netdir_stage() {
    dir=$1 kernel=$2 config=$3
    need_files "$kernel" "$config"
    hide_extra_grub_platforms netdir "$dir" "$kernel" "$config"
    case $(realpath -m "$dir") in "$grub_lib" | "$grub_lib"/*) fail "$dir: not a place for the TFTP folder" 2 ;; esac
    rm -rf "$dir"
    mkdir -p "$dir/boot/grub"
    grub-mknetdir --net-directory="$dir" --subdir=boot/grub --install-modules="$(grub_module_list)" \
        --locales= --fonts= --themes= --compress=xz >"$dir/log" 2>&1 || { cat "$dir/log" >&2; fail "grub-mknetdir failed"; }
    rm "$dir/log"
    cp "$config" "$dir/boot/grub/grub.cfg"
    # Each platform's grub.cfg from grub-mknetdir only says `source
    # boot/grub/grub.cfg`, a relative path GRUB 2.12 no longer finds over TFTP
    # (it drops to its shell): give each platform the config itself.
    for platform_dir in "$dir"/boot/grub/*/; do
        [ -f "$platform_dir/grub.cfg" ] && cp "$config" "$platform_dir/grub.cfg"
    done
    llvm-objcopy --strip-debug "$kernel" "$dir/boot/mink.elf"
    touch "$dir"  # the build's stamp: ninja compares the folder's time
}

# The GRUB platforms on the disc: BIOS, 64-bit and 32-bit UEFI (bootia32.efi,
# for 32-bit firmware on 64-bit CPUs, as on Bay Trail tablets). grub-mkrescue
# packs every platform installed under /usr/lib/grub, so any other one (from
# grub-coreboot-bin, grub-ieee1275-bin, ...) is hidden from it: the script
# re-runs itself (with the arguments given) in a private mount namespace
# where /usr/lib/grub holds only ours. The ISO is then the same whatever else
# the build machine has installed.
grub_lib=/usr/lib/grub
grub_platforms="i386-pc i386-efi x86_64-efi"
hide_extra_grub_platforms() {
    extra_platforms=
    for platform_dir in "$grub_lib"/*/; do
        platform=$(basename "$platform_dir")
        [ -f "$platform_dir/modinfo.sh" ] || continue
        case " $grub_platforms " in *" $platform "*) ;; *) extra_platforms="$extra_platforms $platform" ;; esac
    done
    [ -n "$extra_platforms" ] || return 0
    if [ -z "${MINK_GRUB_PLATFORMS_HIDDEN:-}" ]; then
        MINK_GRUB_PLATFORMS_HIDDEN=1 exec unshare --mount --map-root-user "$0" "$@"
    fi
    # Keep the real folder reachable, then lay a tmpfs over it that links
    # back to only our platforms.
    real_grub_lib=$(mktemp -d "${TMPDIR:-/tmp}/mink-grub.XXXXXX")
    mount --bind "$grub_lib" "$real_grub_lib"
    mount -t tmpfs none "$grub_lib"
    for platform in $grub_platforms; do ln -s "$real_grub_lib/$platform" "$grub_lib/$platform"; done
    # Unmount before removing: never let a recursive delete reach the real GRUB folder.
    trap 'umount "$grub_lib"; umount "$real_grub_lib" && rmdir "$real_grub_lib"' EXIT
}

# grub.cfg uses: multiboot2 to load mink, test for `[`, efi_gop for the UEFI
# framebuffer, iorw (outb/inb) to ask the VGA whether it shows text; normal
# runs grub.cfg itself. --install-modules applies to every
# platforms and i386-pc has no efi_gop, so all_video brings it in on UEFI.
# GRUB loads every partition-map module it knows (partmap.lst) when it first
# reads a disk: missing ones print "file ... not found" errors on the screen
# before mink starts, and looking for them takes longer than loading them.
grub_module_list() {
    modules="normal multiboot2 test all_video iorw"
    for platform in $grub_platforms; do
        [ -f "$grub_lib/$platform/partmap.lst" ] ||
            fail "$grub_lib/$platform not found: GRUB for $platform is not installed"
        modules="$modules $(cat "$grub_lib/$platform/partmap.lst")"
    done
    printf '%s\n' $modules | sort -u | tr '\n' ' '
}

case ${1:-} in
    grub)
        [ $# -ge 3 ] || fail "grub: expected BASE grub.cfg; $usage" 2
        shift
        grub_stage "$@"
        ;;
    pack)
        [ $# -eq 4 ] || fail "pack: expected OUTPUT.iso BASE KERNEL.elf; $usage" 2
        shift
        pack_stage "$@"
        ;;
    netdir)
        [ $# -eq 4 ] || fail "netdir: expected DIR KERNEL.elf grub.cfg; $usage" 2
        shift
        netdir_stage "$@"
        ;;
    *)
        [ $# -ge 3 ] || fail "expected at least 3 arguments, got $#; $usage" 2
        output=$1 kernel=$2
        shift 2
        need_files "$kernel"
        base_dir=$(mktemp -d "${TMPDIR:-/tmp}/mink-base.XXXXXX")
        "$0" grub "$base_dir/base" "$@" || { rm -rf "$base_dir"; exit 1; }
        "$0" pack "$output" "$base_dir/base" "$kernel" || { rm -rf "$base_dir"; exit 1; }
        rm -rf "$base_dir"
        ;;
esac
