; The Multiboot2 header: tells GRUB this ELF is a Multiboot2 kernel and what it
; wants from the loader. linker.ld places it first and ASSERTs it lies in the
; first 32 KiB of the file, 8-byte aligned, as the specification demands.

%define MB2_HEADER_MAGIC        0xE85250D6
%define MB2_ARCH_I386           0           ; 32-bit protected mode entry
%define MB2_TAG_END             0
%define MB2_TAG_FRAMEBUFFER     5
%define MB2_TAG_RELOCATABLE     10
%define MB2_TAG_FLAG_OPTIONAL   1           ; boot anyway if the loader cannot comply
%define MB2_LOAD_PREFER_LOW     1

%include "config.inc"

section .multiboot2 progbits alloc noexec nowrite align=8
header_start:
    dd MB2_HEADER_MAGIC
    dd MB2_ARCH_I386
    dd header_end - header_start
    ; The checksum makes the four header fields sum to zero (mod 2^32).
    dd -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (header_end - header_start))

    ; Framebuffer request. Under UEFI there is no VGA text mode, so without
    ; this tag GRUB hands over no console at all. 0x0x0 = no preference; on
    ; BIOS, grub.cfg asks for text mode instead (gfxpayload=text).
    align 8
    dw MB2_TAG_FRAMEBUFFER
    dw MB2_TAG_FLAG_OPTIONAL
    dd 20
    dd 0                                    ; width
    dd 0                                    ; height
    dd 0                                    ; depth

    ; Relocatable: GRUB may load the image anywhere in [min, max) at this
    ; alignment, instead of at its link address even where its own memory
    ; map says that memory is taken (firmware may hold 1-16 MiB). The
    ; trampoline runs position-independent and maps the rest where it was
    ; linked; 2 MiB alignment lets it do that with 2 MiB pages. Loaded below
    ; 4 GiB, where the trampoline's 32-bit code can reach it.
    align 8
    dw MB2_TAG_RELOCATABLE
    dw 0
    dd 24
    dd KERNEL_LINK_PHYSICAL                 ; lowest load address: above the BIOS area
    dd 0xFFFFFFFF                           ; highest address the image may reach
    dd KERNEL_LOAD_ALIGN
    dd MB2_LOAD_PREFER_LOW

    align 8
    dw MB2_TAG_END
    dw 0
    dd 8
header_end:
