; The 32-bit trampoline. GRUB enters `_start` in 32-bit protected mode with
; paging off, EAX = Multiboot2 magic and EBX = physical address of the boot
; information. Here we refuse machines we cannot run on, with a message a
; person can read, build identity page tables and switch to long mode.

%include "x86.inc"
%include "config.inc"

%define BOOT_PD_COUNT 4                     ; 4 page directories x 1 GiB = 0-4 GiB
%define EARLY_SERIAL_POLLS 100000           ; status reads per character, ~0.1 s at most

extern kernel_stack_top
extern long_mode_entry
extern __bss_start
extern __bss_end
global _start
global multiboot_magic
global multiboot_info

section .boot.text progbits alloc exec nowrite align=16
bits 32
_start:
    ; 1. A stack before anything else, so the routines below can be called.
    mov esp, kernel_stack_top

    ; 2. Keep the loader's registers in memory (.data, which step 3 leaves
    ;    alone): CPUID below overwrites EBX. 64-bit code reads them back.
    mov [multiboot_magic], eax
    mov [multiboot_info], ebx

    ; 3. Zero .bss ourselves: the page tables and stack live there, and a
    ;    loader that forgot would leave garbage page-table entries. The stack
    ;    holds nothing yet, so clearing it is safe.
    mov edi, __bss_start
    mov ecx, __bss_end
    sub ecx, edi
    shr ecx, 2
    xor eax, eax
    cld
    rep stosd

    ; 4. Were we loaded by a Multiboot2 loader? A Multiboot 1 loader (QEMU's
    ;    -kernel, old GRUB) passes a different magic and boot information.
    cmp dword [multiboot_magic], MB2_BOOTLOADER_MAGIC
    jne .bad_magic

    ; 5. CPUID exists when software can flip EFLAGS.ID.
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

    ; 6. The extended leaf must exist before we ask it about long mode. The
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

    call build_identity_page_tables

    ; 7. PAE is a prerequisite of long mode's 4-level paging.
    mov eax, cr4
    or eax, X86_CR4_PAE
    mov cr4, eax
    mov eax, boot_pml4
    mov cr3, eax

    ; 8. Long mode enable. NXE only when the CPU has NX: setting it otherwise
    ;    is a #GP on hardware and silently ignored by QEMU's TCG.
    mov ecx, X86_MSR_IA32_EFER
    rdmsr
    or eax, X86_EFER_LME
    test esi, CPUID_EXT_EDX_NX
    jz .efer_ready
    or eax, X86_EFER_NXE
.efer_ready:
    wrmsr

    ; 9. Paging on (with write protection honoured in ring 0): we are now in
    ;    compatibility mode, until a far jump loads a 64-bit code segment.
    mov eax, cr0
    or eax, X86_CR0_PG | X86_CR0_WP
    mov cr0, eax
    lgdt [gdt64.pointer]
    jmp KERNEL_CODE_SELECTOR:long_mode_entry

.bad_magic:
    mov esi, msg_bad_magic
    call early_puts
    mov eax, [multiboot_magic]
    call early_puthex
    mov esi, msg_bad_magic_hint
    jmp early_fail
.no_cpuid:
    mov esi, msg_no_cpuid
    jmp early_fail
.no_long_mode:
    mov esi, msg_no_long_mode
    jmp early_fail

; Identity-maps 0-4 GiB with 2 MiB pages: GRUB may place the boot information
; and the UEFI framebuffer anywhere below 4 GiB (e.g. 0xFD000000), and 1 GiB
; pages are not available on every CPU. Clobbers EAX, ECX, EDI.
build_identity_page_tables:
    mov eax, boot_pdpt
    or eax, PTE_PRESENT | PTE_WRITABLE
    mov [boot_pml4], eax

    mov edi, boot_pdpt
    mov eax, boot_pd
    or eax, PTE_PRESENT | PTE_WRITABLE
    mov ecx, BOOT_PD_COUNT
.pdpt_entry:
    mov [edi], eax
    add edi, PTE_SIZE
    add eax, PAGE_SIZE
    loop .pdpt_entry

    ; The four page directories are contiguous, so entry k maps k * 2 MiB.
    mov edi, boot_pd
    mov eax, PTE_PRESENT | PTE_WRITABLE | PTE_HUGE
    mov ecx, BOOT_PD_COUNT * PT_ENTRIES
.pd_entry:
    mov [edi], eax
    add edi, PTE_SIZE
    add eax, HUGE_PAGE_SIZE
    loop .pd_entry
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
    mov al, [hex_digits + eax]
    call early_putc
    loop .digit
    ret

; Writes AL to COM1 (initialising it on first use) and to the VGA text
; screen. Preserves every register but EAX.
early_putc:
    push ecx
    push edx
    push edi
    push eax
    cmp byte [early_serial_ready], 0
    jne .serial_ready
    call early_serial_init
.serial_ready:
    ; A bounded wait: a UART that never drains costs a character, not a hang.
    mov dx, COM1_PORT + UART_LSR
    mov ecx, EARLY_SERIAL_POLLS
.wait_thr:
    in al, dx
    test al, UART_LSR_THR_EMPTY
    jnz .send
    loop .wait_thr
.send:
    mov dx, COM1_PORT + UART_THR
    mov eax, [esp]
    out dx, al
    ; VGA: newlines are for the serial log; the screen shows one wrapped line.
    cmp al, `\n`
    je .out
    mov edi, [early_vga_cursor]
    mov ah, VGA_ATTR_ERROR
    mov [VGA_TEXT_BUFFER + edi * 2], ax
    inc dword [early_vga_cursor]
.out:
    pop eax
    pop edi
    pop edx
    pop ecx
    ret

; 115200 baud, 8N1, FIFOs on. Clobbers EAX, EDX.
early_serial_init:
    mov byte [early_serial_ready], 1
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
    mov al, UART_FIFO_INIT
    out dx, al
    ret

section .rodata
hex_digits:         db "0123456789ABCDEF"
msg_bad_magic:      db `\nmink: boot failed: boot magic is `, 0
msg_bad_magic_hint: db `, not Multiboot2 (0x36D76289). Boot mink through GRUB's multiboot2 command.\n`, 0
msg_no_cpuid:       db `\nmink: boot failed: this CPU has no CPUID instruction, so it cannot run a 64-bit kernel.\n`, 0
msg_no_long_mode:   db `\nmink: boot failed: this CPU does not support 64-bit long mode (x86_64). mink needs a 64-bit CPU.\n`, 0

; The 64-bit GDT: a null descriptor, one code and one data segment. Base and
; limit are ignored in long mode. The accessed bit is preset so the CPU never
; writes to this table, which may live in read-only memory.
;
; Access byte: P | DPL(2) | S | Executable | Direction/Conforming | RW | Accessed
; Flags:       G | DB | L | AVL
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
    GDT_DESCRIPTOR 0b1001_1011, 0b1010       ; kernel code: present, ring 0, exec+read; 4K granular, 64-bit
    times KERNEL_DATA_SELECTOR - ($ - gdt64) db 0
    GDT_DESCRIPTOR 0b1001_0011, 0b1100       ; kernel data: present, ring 0, read+write; 4K granular
.pointer:
    dw $ - gdt64 - 1
    dq gdt64

section .data
multiboot_magic:    dd 0
multiboot_info:     dd 0
early_vga_cursor:   dd 0
early_serial_ready: db 0

section .bss
alignb PAGE_SIZE
boot_pml4:  resb PAGE_SIZE
boot_pdpt:  resb PAGE_SIZE
boot_pd:    resb PAGE_SIZE * BOOT_PD_COUNT
