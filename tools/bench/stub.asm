; The benchmark's trivial kernel (tools/benchmark.py): says the line mink says
; first on COM1, then halts. Built as a Multiboot 1 image for QEMU's own loader
; (-kernel) and, with -DMULTIBOOT2, as a Multiboot2 image for GRUB with the same
; optional framebuffer tag as mink; both are flat binaries whose header gives
; the load address.
bits 32
%define LOAD_ADDRESS 0x100000
org LOAD_ADDRESS

%ifdef MULTIBOOT2
%define MB2_MAGIC 0xE85250D6
%define MB2_TAG_END 0
%define MB2_TAG_ADDRESS 2
%define MB2_TAG_ENTRY 3
%define MB2_TAG_FRAMEBUFFER 5
%define MB2_TAG_OPTIONAL 1
align 8
header:
    dd MB2_MAGIC, 0, header_end - header, -(MB2_MAGIC + (header_end - header))
    align 8
    dw MB2_TAG_ADDRESS, 0
    dd 24, header, LOAD_ADDRESS, 0, 0       ; header, load, load end (whole file), bss end
    align 8
    dw MB2_TAG_ENTRY, 0
    dd 12, start
    align 8
    dw MB2_TAG_FRAMEBUFFER, MB2_TAG_OPTIONAL
    dd 20, 0, 0, 0
    align 8
    dw MB2_TAG_END, 0
    dd 8
header_end:
%else
%define MB1_MAGIC 0x1BADB002
%define MB1_FLAG_ADDRESSES (1 << 16)        ; the load address fields below are valid
header:
    dd MB1_MAGIC, MB1_FLAG_ADDRESSES, -(MB1_MAGIC + MB1_FLAG_ADDRESSES)
    dd header, LOAD_ADDRESS, 0, 0, start    ; header, load, load end (whole file), bss end, entry
%endif

start:
%include "say_hello.inc"
