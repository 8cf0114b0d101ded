; Test builds only: a Multiboot 1 header, so QEMU's own loader (-kernel) can
; start the test kernel the way an old loader would — with the Multiboot 1
; magic in EAX, which the trampoline must refuse with a readable message.
; QEMU's Multiboot 1 loader rejects 64-bit ELF files, so the header gives the
; physical load addresses itself (the "a.out kludge"); linker.ld keeps file
; offsets and physical addresses in step so those addresses describe the file.

%define MB1_HEADER_MAGIC        0x1BADB002
%define MB1_FLAG_ADDRESS_FIELDS (1 << 16)

%include "config.inc"
%define PHYS(symbol) (symbol - KERNEL_VIRTUAL_OFFSET)

extern _start
extern __kernel_start
extern __data_load_end
extern __bss_end

section .multiboot1 progbits alloc noexec nowrite align=4
mb1_header:
    dd MB1_HEADER_MAGIC
    dd MB1_FLAG_ADDRESS_FIELDS
    dd -(MB1_HEADER_MAGIC + MB1_FLAG_ADDRESS_FIELDS)
    dd mb1_header                           ; header_addr
    dd __kernel_start                       ; load_addr
    dd PHYS(__data_load_end)                ; load_end_addr: end of the file-backed image
    dd PHYS(__bss_end)                      ; bss_end_addr: the loader zeroes up to here
    dd _start                               ; entry_addr
