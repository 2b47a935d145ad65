; A multiboot2 "hello" kernel for the GRUB comparison: prints Hello World!
; on COM1 and exits QEMU through isa-debug-exit, like hyboot's bench mode.
bits 32
section .multiboot2
align 8
mb2_start:
    dd 0xe85250d6                    ; magic
    dd 0                             ; i386 protected mode
    dd mb2_end - mb2_start
    dd -(0xe85250d6 + 0 + (mb2_end - mb2_start))
    dw 0, 0                          ; end tag
    dd 8
mb2_end:

section .text
global _start
_start:
    mov dx, 0x3f9                    ; COM1: 115200 8N1
    xor al, al
    out dx, al                       ; IER off
    mov dx, 0x3fb
    mov al, 0x80
    out dx, al                       ; DLAB
    mov dx, 0x3f8
    mov al, 1
    out dx, al                       ; divisor 1
    mov dx, 0x3f9
    xor al, al
    out dx, al
    mov dx, 0x3fb
    mov al, 3
    out dx, al                       ; 8N1
    mov esi, msg
.next:
    lodsb
    test al, al
    jz .done
    mov ah, al
    mov dx, 0x3fd
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov dx, 0x3f8
    mov al, ah
    out dx, al
    jmp .next
.done:
    mov dx, 0xf4
    mov al, 0x10
    out dx, al                       ; QEMU exits with status 33
.halt:
    cli
    hlt
    jmp .halt

section .rodata
msg: db "Hello World!", 13, 10, 0
