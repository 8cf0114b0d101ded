#!/bin/sh
# Packs a kernel and grub.cfg into a hybrid BIOS+UEFI ISO with grub-mkrescue.
# Usage: make_iso.sh OUTPUT.iso KERNEL.elf grub.cfg
set -eu
output=$1 kernel=$2 config=$3

stage=$(mktemp -d "${TMPDIR:-/tmp}/mink-iso.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
cp "$kernel" "$stage/boot/mink.elf"
cp "$config" "$stage/boot/grub/grub.cfg"

grub-mkrescue --output="$output" "$stage" 2>"$stage.log" || { cat "$stage.log" >&2; rm -f "$stage.log"; exit 1; }
rm -f "$stage.log"
