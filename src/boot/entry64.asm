; The 64-bit entry: the first code that runs in long mode. It finishes the CPU
; set-up that C++ relies on, runs global constructors and calls kernel_main.

%include "config.inc"

%define KERNEL_STACK_SIZE (16 * 1024)

extern kernel_main
extern leave_identity_map
extern init_stack_guard
extern boot_handoff
extern __init_array_start
extern __init_array_end
global long_mode_entry
global kernel_stack_top
global kernel_stack_guard

section .text
bits 64
long_mode_entry:
    ; 1. Restart the stack from the top, at its link address: the
    ;    trampoline's frames are dead, and its stack pointer was physical.
    lea rsp, [rel kernel_stack_top]

    ; 2. Nothing runs at physical addresses any more: drop the identity map
    ;    (it reloads the GDT register at the table's link address first).
    call leave_identity_map

    ; 3. The far jump loaded CS; the data segment registers still hold 32-bit
    ;    selectors. FS and GS are zeroed: nothing uses them yet.
    mov ax, KERNEL_DATA_SELECTOR
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax

    ; 4. Seed the stack protector's canary now, while no C++ frame is live:
    ;    a protected function running across the change would see its
    ;    canary "overwritten" on return.
    call init_stack_guard

    ; 5. C++ global constructors, in link order.
    lea rbx, [rel __init_array_start]
.next_constructor:
    lea rax, [rel __init_array_end]
    cmp rbx, rax
    jae .constructors_done
    call [rbx]
    add rbx, 8
    jmp .next_constructor
.constructors_done:

    ; 6. kernel_main(&boot_handoff): what the loader said and where the
    ;    image lies, as the trampoline recorded it. RSP is 16-byte aligned
    ;    here, as the System V ABI wants before a call.
    lea rdi, [rel boot_handoff]
    xor ebp, ebp                            ; terminate frame-pointer chains
    call kernel_main

    ; 7. kernel_main must not return; if it does, stop here quietly.
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
