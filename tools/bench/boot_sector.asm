; The benchmark's bare CD boot (tools/benchmark.py): a no-emulation El Torito
; boot sector that says the line mink says first on COM1 and halts, so its
; boot time is SeaBIOS's CD boot without GRUB.
bits 16
org 0x7C00
%define CD_SECTOR_BYTES 2048
%include "say_hello.inc"
times CD_SECTOR_BYTES - ($ - $$) db 0
