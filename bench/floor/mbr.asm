; The BIOS floor: an MBR that exits QEMU at once (isa-debug-exit, status
; 33). Booting it measures the firmware alone, which no loader can beat.
bits 16
org 0x7c00
    mov dx, 0xf4
    mov al, 0x10
    out dx, al
.halt:
    cli
    hlt
    jmp .halt
times 446 - ($ - $$) db 0
; one active partition entry, for BIOSes that insist on it
db 0x80, 0, 2, 0, 0x0c, 0xfe, 0xff, 0xff
dd 1, 2047
times 510 - ($ - $$) db 0
dw 0xaa55
