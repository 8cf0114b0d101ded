; The benchmark's bare CD boot (tools/benchmark.py): a no-emulation El Torito
; boot sector that says the line mink says first on COM1 and halts, so its
; boot time is SeaBIOS's CD boot without GRUB.
bits 16
org 0x7C00
%define COM1 0x3F8
%define CD_SECTOR_BYTES 2048
    mov dx, COM1
    mov si, message
.next:
    lodsb
    test al, al
    jz .halt
    out dx, al
    jmp .next
.halt:
    cli
    hlt
    jmp .halt
message: db "Hello World!", 10, 0
times CD_SECTOR_BYTES - ($ - $$) db 0
