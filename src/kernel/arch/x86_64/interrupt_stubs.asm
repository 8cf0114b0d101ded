; Entry stubs for all 256 vectors: the 32 CPU exceptions and every vector a
; device, an APIC or an `int` instruction may raise. Each makes the stack look
; the same (a dummy error code where the CPU pushes none, then the vector
; number), saves every general register in the order of ExceptionFrame
; (exceptions.hpp) and calls interrupt_dispatch(frame). When that returns, the
; registers come back from the frame and IRETQ resumes the interrupted code.

%include "x86_constants.inc"

extern interrupt_dispatch
global interrupt_stub_table

section .text
bits 64

; The CPU pushes an error code only for #DF (8), #TS (10), #NP (11), #SS (12),
; #GP (13), #PF (14), #AC (17), #CP (21), #VC (29) and #SX (30); never for
; vectors 32-255, whether a device or `int` raised them.
%macro INTERRUPT_STUB 1
align 16
interrupt_stub_ %+ %1:
    %if %1 == 8 || %1 == 10 || %1 == 11 || %1 == 12 || %1 == 13 || %1 == 14 || %1 == 17 || %1 == 21 || %1 == 29 || %1 == 30
    %else
    push 0                                  ; dummy error code: keeps one frame layout
    %endif
    push %1                                 ; vector number
    jmp interrupt_common
%endmacro

%assign vector 0
%rep IDT_VECTOR_COUNT
    INTERRUPT_STUB vector
    %assign vector vector + 1
%endrep

; The CPU aligned RSP to 16 before pushing its 5-word frame; with the error
; code, the vector and 15 registers (22 words in all) RSP is 16-byte aligned
; again at the call, as the System V ABI wants.
interrupt_common:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    mov rdi, rsp                            ; ExceptionFrame*
    cld                                     ; the ABI wants DF clear on calls
    call interrupt_dispatch
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16                             ; drop vector and error code
    iretq

section .rodata
; Stub addresses, indexed by vector, for the IDT builder.
align 8
interrupt_stub_table:
%assign vector 0
%rep IDT_VECTOR_COUNT
    dq interrupt_stub_ %+ vector
    %assign vector vector + 1
%endrep
