; The 32-bit trampoline. GRUB enters `_start` in 32-bit protected mode with
; paging off, EAX = Multiboot2 magic and EBX = physical address of the boot
; information, at whatever physical address it loaded the image (the header's
; relocatable tag). Here we refuse machines we cannot run on, with a message a
; person can read, map the kernel where it was linked (the top 2 GiB) and
; switch to long mode.
;
; Position-independent: EBP holds the load delta (where GRUB put the image
; minus where it was linked), and every address is EBP + a link-time physical
; address: PHYS(symbol) for the kernel's higher-half symbols.

%include "config.inc"
%include "x86_constants.inc"

%define PHYS(symbol) (symbol - KERNEL_VIRTUAL_OFFSET)
%define BOOT_PD_COUNT 4                     ; 4 page directories x 1 GiB = 0-4 GiB
%define PML4_INDEX(address) (((address) >> 39) & (PAGE_TABLE_ENTRIES - 1))
%define PDPT_INDEX(address) (((address) >> 30) & (PAGE_TABLE_ENTRIES - 1))

extern kernel_stack_top
extern long_mode_entry
extern __bss_start
extern __bss_end
extern __kernel_end
global _start
global boot_handoff
global leave_identity_map

section .boot.text progbits alloc exec nowrite align=16
bits 32
_start:
    cld
    ; 1. Where are we? Only a CALL tells, and there is no stack yet (the
    ;    loader leaves ESP undefined). Borrow the boot information's first
    ;    word, the one memory we know is ours, and give it back.
    mov edx, [ebx]
    lea esp, [ebx + 4]
    call .where
.where:
    pop ebp
    mov [ebx], edx
    sub ebp, .where                         ; EBP = load delta

    ; 2. Hand the loader's registers to the kernel (.data: step 3 keeps it).
    mov [ebp + PHYS(boot_handoff) + HANDOFF_MAGIC], eax
    mov [ebp + PHYS(boot_handoff) + HANDOFF_BOOT_INFO], ebx
    lea ecx, [ebp + KERNEL_LINK_PHYSICAL]
    mov [ebp + PHYS(boot_handoff) + HANDOFF_KERNEL_PHYSICAL], ecx

    ; 3. Zero .bss ourselves: the page tables and stack live there, and a
    ;    loader that forgot would leave garbage page-table entries.
    lea edi, [ebp + PHYS(__bss_start)]
    lea ecx, [ebp + PHYS(__bss_end)]
    sub ecx, edi
    shr ecx, 2
    xor eax, eax
    rep stosd

    ; 4. A real stack, so the routines below can be called.
    lea esp, [ebp + PHYS(kernel_stack_top)]

    ; 5. Were we loaded by a Multiboot2 loader? A Multiboot 1 loader (QEMU's
    ;    -kernel, old GRUB) passes a different magic and boot information.
    cmp dword [ebp + PHYS(boot_handoff) + HANDOFF_MAGIC], MB2_BOOTLOADER_MAGIC
    jne .bad_magic

    ; 6. CPUID exists when software can flip EFLAGS.ID.
    pushfd
    pop eax
    mov ecx, eax
    xor eax, X86_EFLAGS_ID
    push eax
    popfd
    pushfd
    pop eax
    push ecx                                ; restore the original EFLAGS
    popfd
    cmp eax, ecx
    je .no_cpuid

    ; 7. The extended leaf must exist before we ask it about long mode. The
    ;    compare is unsigned: some old CPU models return small garbage values.
    mov eax, CPUID_EXT_MAX_LEAF
    cpuid
    cmp eax, CPUID_EXT_FEATURES
    jb .no_long_mode
    mov eax, CPUID_EXT_FEATURES
    cpuid
    test edx, CPUID_EXT_EDX_LM
    jz .no_long_mode
    mov esi, edx                            ; keep the NX bit for step 9
    ; The TSC as the kernel starts (every long-mode CPU has one), so the
    ; kernel can say how long its own part of the boot took.
    rdtsc
    mov [ebp + PHYS(boot_handoff) + HANDOFF_ENTRY_TSC], eax
    mov [ebp + PHYS(boot_handoff) + HANDOFF_ENTRY_TSC + 4], edx

    call build_boot_page_tables

    ; 8. PAE is a prerequisite of long mode's 4-level paging.
    mov eax, cr4
    or eax, X86_CR4_PAE
    mov cr4, eax
    lea eax, [ebp + PHYS(boot_pml4)]
    mov cr3, eax

    ; 9. Long mode enable. NXE only when the CPU has NX: setting it otherwise
    ;    is a #GP on hardware and silently ignored by QEMU's TCG.
    mov ecx, X86_MSR_IA32_EFER
    rdmsr
    or eax, X86_EFER_LME
    test esi, CPUID_EXT_EDX_NX
    jz .efer_ready
    or eax, X86_EFER_NXE
.efer_ready:
    wrmsr

    ; 10. Paging on (with write protection honoured in ring 0): we are now in
    ;     compatibility mode, until a far jump loads a 64-bit code segment.
    ;     The GDT's address is only known now, so its pointer is built on
    ;     the stack; so is the far jump's target.
    mov eax, cr0
    or eax, X86_CR0_PG | X86_CR0_WP
    mov cr0, eax
    lea eax, [ebp + PHYS(gdt64)]
    push eax
    push word GDT64_LIMIT
    lgdt [esp]
    add esp, 6
    push dword KERNEL_CODE_SELECTOR
    lea eax, [ebp + long_mode_identity]
    push eax
    retf

.bad_magic:
    lea esi, [ebp + PHYS(msg_bad_magic)]
    call early_puts
    mov eax, [ebp + PHYS(boot_handoff) + HANDOFF_MAGIC]
    call early_puthex
    lea esi, [ebp + PHYS(msg_bad_magic_hint)]
    jmp early_fail
.no_cpuid:
    lea esi, [ebp + PHYS(msg_no_cpuid)]
    jmp early_fail
.no_long_mode:
    lea esi, [ebp + PHYS(msg_no_long_mode)]
    jmp early_fail

; The boot page tables, enough for the kernel to start:
; - 0-4 GiB with 2 MiB pages, both identity-mapped (the instructions around
;   the switch run at their physical address; leave_identity_map removes
;   that once in the higher half) and at the direct map's base (early C++
;   reads the boot information there). 1 GiB pages are not on every CPU.
;   The kernel replaces all of it with its own tables.
; - the image at its link address in the top 2 GiB, with 2 MiB pages onto
;   wherever it was loaded (2 MiB-aligned by the relocatable tag).
; Clobbers EAX, ECX, EDX, EDI.
build_boot_page_tables:
    lea edi, [ebp + PHYS(boot_pml4)]
    lea eax, [ebp + PHYS(boot_pdpt_low) + PTE_PRESENT + PTE_WRITABLE]
    mov [edi + PML4_INDEX(0) * PTE_SIZE], eax
    mov [edi + PML4_INDEX(DIRECT_MAP_BASE) * PTE_SIZE], eax
    lea eax, [ebp + PHYS(boot_pdpt_high) + PTE_PRESENT + PTE_WRITABLE]
    mov [edi + PML4_INDEX(KERNEL_VIRTUAL_OFFSET) * PTE_SIZE], eax

    lea edi, [ebp + PHYS(boot_pdpt_low)]
    lea eax, [ebp + PHYS(boot_pd_low) + PTE_PRESENT + PTE_WRITABLE]
    mov ecx, BOOT_PD_COUNT
.pdpt_entry:
    mov [edi], eax
    add edi, PTE_SIZE
    add eax, PAGE_SIZE
    loop .pdpt_entry

    ; The four page directories are contiguous, so entry k maps k * 2 MiB.
    lea edi, [ebp + PHYS(boot_pd_low)]
    mov eax, PTE_PRESENT | PTE_WRITABLE | PTE_LARGE
    mov ecx, BOOT_PD_COUNT * PAGE_TABLE_ENTRIES
.pd_entry:
    mov [edi], eax
    add edi, PTE_SIZE
    add eax, LARGE_PAGE_SIZE
    loop .pd_entry

    ; The image: page-directory entry k of the top 2 GiB maps the link
    ; address k * 2 MiB, which lies at k * 2 MiB + delta.
    lea edi, [ebp + PHYS(boot_pdpt_high)]
    lea eax, [ebp + PHYS(boot_pd_high) + PTE_PRESENT + PTE_WRITABLE]
    mov [edi + PDPT_INDEX(KERNEL_VIRTUAL_OFFSET) * PTE_SIZE], eax
    lea edi, [ebp + PHYS(boot_pd_high)]
    mov eax, KERNEL_LINK_PHYSICAL
.image_entry:
    lea edx, [ebp + eax + PTE_PRESENT + PTE_WRITABLE + PTE_LARGE]
    mov ecx, eax
    shr ecx, LARGE_PAGE_SHIFT               ; 2 MiB pages: the entry's index
    mov [edi + ecx * PTE_SIZE], edx
    add eax, LARGE_PAGE_SIZE
    cmp eax, PHYS(__kernel_end)
    jb .image_entry
    ret

; Prints ESI on COM1 and the VGA text screen and halts for good. Interrupts
; stay off: nothing can wake the CPU and nothing can fault into a missing IDT.
early_fail:
    call early_puts
.halt:
    cli
    hlt
    jmp .halt

; Writes the NUL-terminated string at ESI. Clobbers EAX, ESI.
early_puts:
    lodsb
    test al, al
    jz .done
    call early_putc
    jmp early_puts
.done:
    ret

; Writes EAX as 0x followed by 8 hex digits. Clobbers EAX, ECX, EDX.
early_puthex:
    mov edx, eax
    mov al, '0'
    call early_putc
    mov al, 'x'
    call early_putc
    mov ecx, 8
.digit:
    rol edx, 4
    mov eax, edx
    and eax, 0xF
    mov al, [ebp + PHYS(hex_digits) + eax]
    call early_putc
    loop .digit
    ret

; Writes AL to COM1 (initialising it on first use; a newline as CRLF, like
; the rest of the serial log) and to the VGA text screen. Preserves every
; register but EAX.
early_putc:
    push edi
    push eax
    cmp byte [ebp + PHYS(early_serial_ready)], 0
    jne .serial_ready
    call early_serial_init
.serial_ready:
    cmp al, `\n`
    jne .serial_char
    mov al, `\r`
    call early_serial_putc
    mov eax, [esp]
.serial_char:
    call early_serial_putc
    mov eax, [esp]
    ; VGA: newlines are for the serial log; the screen shows one wrapped line.
    cmp al, `\n`
    je .out
    mov edi, [ebp + PHYS(early_vga_cursor)]
    mov ah, VGA_ATTR_ERROR
    mov [VGA_TEXT_BUFFER + edi * 2], ax
    inc dword [ebp + PHYS(early_vga_cursor)]
.out:
    pop eax
    pop edi
    ret

; Sends AL to COM1 after a bounded wait: a UART that never drains costs a
; character, not a hang. Preserves every register.
early_serial_putc:
    push ecx
    push edx
    push eax
    mov dx, COM1_PORT + UART_LSR
    mov ecx, SERIAL_TRANSMIT_POLLS
.wait_thr:
    in al, dx
    test al, UART_LSR_THR_EMPTY
    jnz .send
    loop .wait_thr
.send:
    pop eax
    mov dx, COM1_PORT + UART_THR
    out dx, al
    pop edx
    pop ecx
    ret

; 115200 baud, 8N1, FIFOs on. Preserves every register.
early_serial_init:
    push eax
    push edx
    mov byte [ebp + PHYS(early_serial_ready)], 1
    mov dx, COM1_PORT + UART_IER
    xor al, al
    out dx, al
    mov dx, COM1_PORT + UART_LCR
    mov al, UART_LCR_DLAB
    out dx, al
    mov dx, COM1_PORT + UART_DLL
    mov al, UART_DIVISOR_115200
    out dx, al
    mov dx, COM1_PORT + UART_DLM
    xor al, al
    out dx, al
    mov dx, COM1_PORT + UART_LCR
    mov al, UART_LCR_8N1
    out dx, al
    mov dx, COM1_PORT + UART_FCR
    mov al, UART_FCR_INIT
    out dx, al
    pop edx
    pop eax
    ret

; The first 64-bit instructions, still at their physical (identity-mapped)
; address: jump to the kernel at its link address in the top 2 GiB.
bits 64
long_mode_identity:
    mov rax, long_mode_entry
    jmp rax

section .text
bits 64
; The identity map existed only for the instructions around the switch; the
; 64-bit entry calls this first, on its higher-half stack, so that from here
; on a null pointer reaches nothing. The GDT register still holds the table's
; physical address, so it is reloaded at the link address before the lower
; half goes; rewriting CR3 then flushes the stale translations.
; Clobbers RAX.
leave_identity_map:
    lea rax, [rel gdt64]
    sub rsp, 16
    mov [rsp + 2], rax
    mov word [rsp], GDT64_LIMIT
    lgdt [rsp]
    add rsp, 16
    lea rax, [rel boot_pml4]
    mov qword [rax + PML4_INDEX(0) * PTE_SIZE], 0
    mov rax, cr3
    mov cr3, rax
    ret

section .rodata
hex_digits:         db "0123456789ABCDEF"
msg_bad_magic:      db `\nmink: boot failed: boot magic is `, 0
msg_bad_magic_hint: db `, not Multiboot2 (0x36D76289). Boot mink through GRUB's multiboot2 command.\n`, 0
msg_no_cpuid:       db `\nmink: boot failed: this CPU has no CPUID instruction, so it cannot run a 64-bit kernel.\n`, 0
msg_no_long_mode:   db `\nmink: boot failed: this CPU does not support 64-bit long mode (x86_64). mink needs a 64-bit CPU.\n`, 0

; The 64-bit GDT: a null descriptor, one code and one data segment, with the
; access bytes and flags the kernel's own GDT uses (their bits are spelled out
; in src/boot/meson.build). Base and limit are ignored in long mode. The
; accessed bit is preset so the CPU never writes to this table, which lives in
; read-only memory.
%macro GDT_DESCRIPTOR 2
    dw 0xFFFF                               ; limit 0-15
    dw 0                                    ; base 0-15
    db 0                                    ; base 16-23
    db %1                                   ; access byte
    db (%2 << 4) | 0xF                      ; flags, limit 16-19
    db 0                                    ; base 24-31
%endmacro
align 8
gdt64:
    dq 0
    ; Each descriptor sits at its selector's offset (config.inc); TIMES fails
    ; the build if the table and the selectors ever disagree.
    times KERNEL_CODE_SELECTOR - ($ - gdt64) db 0
    GDT_DESCRIPTOR GDT_ACCESS_KERNEL_CODE, GDT_FLAGS_CODE64
    times KERNEL_DATA_SELECTOR - ($ - gdt64) db 0
    GDT_DESCRIPTOR GDT_ACCESS_KERNEL_DATA, GDT_FLAGS_DATA
GDT64_LIMIT equ $ - gdt64 - 1

section .data
; The hand-off record (boot/boot_handoff.hpp): what the loader said and
; where the image lies, read by kernel_main.
align 8
boot_handoff:       times HANDOFF_SIZE db 0
early_vga_cursor:   dd 0
early_serial_ready: db 0

section .bss
alignb PAGE_SIZE
boot_pml4:      resb PAGE_SIZE
boot_pdpt_low:  resb PAGE_SIZE
boot_pd_low:    resb PAGE_SIZE * BOOT_PD_COUNT
boot_pdpt_high: resb PAGE_SIZE
boot_pd_high:   resb PAGE_SIZE
