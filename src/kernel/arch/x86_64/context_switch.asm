; switch_context(save_rsp, next_rsp): the context switch (context.hpp).
; System V: rdi = where to save this thread's stack pointer, rsi = the next
; thread's. Only rbx, rbp and r12-r15 must survive a call, and RSP itself; the
; caller saved anything else it wanted. The push order matches SwitchFrame.

extern thread_start
global switch_context
global thread_trampoline

section .text
bits 64

switch_context:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    mov [rdi], rsp                          ; this thread stops here...
    mov rsp, rsi                            ; ...and the next one goes on from where it stopped
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    ret

; A new thread's first "return" from switch_context lands here, on a fresh
; stack whose RSP is 16-byte aligned, as a call wants it.
thread_trampoline:
    xor ebp, ebp                            ; the end of the frame-pointer chain
    call thread_start                       ; sched/thread.cpp; never returns
    ud2
