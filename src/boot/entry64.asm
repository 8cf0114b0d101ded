; The 64-bit entry: the first code that runs in long mode. It finishes the CPU
; set-up that C++ relies on, runs global constructors and calls kernel_main.

%include "x86.inc"
%include "config.inc"

%define KERNEL_STACK_SIZE (16 * 1024)

extern kernel_main
extern init_stack_guard
extern multiboot_magic
extern multiboot_info
extern __init_array_start
extern __init_array_end
global long_mode_entry
global kernel_stack_top
global kernel_stack_guard

section .text
bits 64
long_mode_entry:
    ; 1. The far jump loaded CS; the data segment registers still hold 32-bit
    ;    selectors. FS and GS are zeroed: nothing uses them yet.
    mov ax, KERNEL_DATA_SELECTOR
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax

    ; 2. Restart the stack from the top: the trampoline's frames are dead.
    mov rsp, kernel_stack_top

    ; 3. Seed the stack protector's canary now, while no C++ frame is live:
    ;    a protected function running across the change would see its
    ;    canary "overwritten" on return.
    call init_stack_guard

    ; 4. C++ global constructors, in link order.
    mov rbx, __init_array_start
.next_constructor:
    cmp rbx, __init_array_end
    jae .constructors_done
    call [rbx]
    add rbx, 8
    jmp .next_constructor
.constructors_done:

    ; 5. kernel_main(magic, boot_info_physical_address), as the trampoline
    ;    saved them; 32-bit loads zero-extend. RSP is 16-byte aligned here,
    ;    as the System V ABI wants before a call.
    mov edi, [multiboot_magic]
    mov esi, [multiboot_info]
    xor ebp, ebp                            ; terminate frame-pointer chains
    call kernel_main

    ; 6. kernel_main must not return; if it does, stop here quietly.
.halt:
    cli
    hlt
    jmp .halt

section .bss
; The kernel stack, with one page below it that stays unused: once the
; kernel's own page tables unmap it, an overflow faults instead of silently
; overwriting whatever lies below.
alignb PAGE_SIZE
kernel_stack_guard:
    resb PAGE_SIZE
    resb KERNEL_STACK_SIZE
kernel_stack_top:
