; hyboot stage1: the 440 bytes of MBR code.
;
; Loads stage2 from the BIOS boot partition (LBA and sector count patched
; in by mkimage at STAGE1_PATCH_OFFSET, see common/mbr.h) to 0000:8000,
; checks its "HYSTAGE2" header and jumps to it with DL = boot drive.
;
; Handoff to stage2 (common/bios_layout.h): the TSC read by the first
; instructions is left at HANDOFF_TSC_ADDR (8 bytes), the boot drive at
; HANDOFF_DRIVE_ADDR.
;
; Every failure prints "hyboot: error: <reason>" on the screen (INT 10h
; teletype) and on COM1 (UART programmed directly), then halts for good.

bits 16
org 0x7c00

%include "layout.inc"                  ; build/bios/, from common/bios_layout.h
%define HANDOFF_TSC    HANDOFF_TSC_ADDR
%define HANDOFF_DRIVE  HANDOFF_DRIVE_ADDR
%define STAGE2_ADDR    STAGE2_LOAD_ADDR
%define STAGE2_MAX_SECTORS (STAGE2_MAX_SIZE / 512)
%define COM1           0x3f8
; Sectors per AH=42h call: 32 KiB. stage2 starts 32 KiB-aligned, so no
; chunk crosses a 64 KiB boundary, and it stays under the 127-sector cap
; many BIOSes have. (On a 4Kn disk mkimage makes stage2 one call.)
%define CHUNK          STAGE1_CHUNK_SECTORS

start:
    jmp short main                     ; bytes 0..2: jmp short + nop, as a
    nop                                ; BPB-bearing boot sector starts

    ; Bytes 3..89: the area some BIOSes overwrite with their idea of a BPB
    ; when they emulate a USB stick as a floppy. No code or data lives
    ; here; zeros are a valid "no BPB" for everyone who looks.
    times 90 - ($ - $$) db 0

main:
    mov cx, dx                         ; keep DL: rdtsc overwrites EDX
    rdtsc                              ; firmware handoff stamp, first thing
    cli
    jmp 0:.flat                        ; CS:IP may be 07C0:0000; make it 0000:7Cxx
.flat:
    xor bx, bx
    mov ds, bx
    mov es, bx
    mov ss, bx
    mov sp, 0x7c00
    sti
    cld
    mov di, HANDOFF_TSC
    stosd
    xchg eax, edx
    stosd

    ; Some BIOSes hand over a wrong DL: only 0x80..0x8F is a hard disk.
    mov al, cl
    and al, 0xf0
    cmp al, 0x80
    je .drive_ok
    mov cl, 0x80
.drive_ok:
    mov al, cl
    stosb                              ; HANDOFF_DRIVE

    ; COM1: 115200 8N1 (divisor 1); polled, so no FIFO setup.
    mov si, uart_init
.uart:
    lodsw                              ; al = register offset, ah = value
    test al, al
    js .uart_done                      ; 0xff ends the table
    mov dx, COM1
    add dl, al
    mov al, ah
    out dx, al
    jmp .uart
.uart_done:

    mov si, msg_stage1
    call puts

    ; INT 13h extensions present, with the "fixed disk access" subset?
    mov ah, 0x41
    mov bx, 0x55aa
    call int13
    mov si, err_nolba
    jc error
    cmp bx, 0xaa55
    jne error
    test cl, 1
    jz error

    ; Read stage2 in CHUNK-sector pieces. The patch record becomes the
    ; disk address packet: its LBA field already sits where the packet's
    ; does; magic and count are overwritten with the packet's head.
    mov si, err_nostage2
    mov bp, [patch_sectors]
    dec bp                             ; 0 sectors wraps to 0xffff: refused too
    cmp bp, STAGE2_MAX_SECTORS - 1
    ja error
    inc bp
    mov di, patch
    mov ax, 0x10
    stosw                              ; packet size 16
    stosw                              ; sector count: set per call
    xor ax, ax
    stosw                              ; buffer offset 0
    mov ah, STAGE2_ADDR >> 12
    stosw                              ; buffer segment 0800h
    jmp short read_chunk

; The helpers sit in the middle so that every "j.. error" is a short jump.

; INT 13h on the boot drive.
int13:
    mov dl, [HANDOFF_DRIVE]
    int 0x13
    ret

; Prints the NUL-terminated string at DS:SI with INT 10h teletype and on
; COM1 (waiting for the transmit register: real UARTs drop bytes).
puts:
    lodsb
    test al, al
    jz .done
    mov ah, 0x0e
    xor bx, bx                         ; page 0
    push ax
    int 0x10
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    pop ax
    mov dl, COM1 & 0xff
    out dx, al
    jmp puts
.done:
    ret

; Prints "hyboot: error: " and the reason in SI, then halts for good.
error:
    push si
    mov si, msg_error
    call puts
    pop si
    call puts
.halt:
    cli
    hlt
    jmp .halt

read_chunk:
    mov ax, CHUNK
    cmp ax, bp
    jbe read_count
    mov ax, bp
read_count:
    mov [dap_count], ax
    mov di, 2                          ; one try, then one retry after a reset
read_try:
    mov si, patch
    mov ah, 0x42
    call int13
    jnc read_ok
    xor ah, ah                         ; AH=00h: reset the disk system
    call int13
    dec di
    jnz read_try
    mov si, err_read
    jmp error
read_ok:
    mov eax, [dap_count]               ; count and the zero offset above it
    add [patch_lba], eax               ; stage2 lies below LBA 2^32 (2 TiB)
    mov cx, ax
    shl cx, 5                          ; sectors -> paragraphs
    add [dap_seg], cx
    sub bp, ax
    jnz read_chunk

    ; The partition held a stage2 only if its header says so.
    mov si, err_nostage2
    cmp dword [STAGE2_ADDR + 8], 'HYST'
    jne error
    cmp dword [STAGE2_ADDR + 12], 'AGE2'
    jne error
    mov dl, [HANDOFF_DRIVE]
    jmp 0:STAGE2_ADDR

; (register offset, value) pairs for COM1, 0xff terminated
uart_init:
    db 1, 0x00                         ; IER: no interrupts
    db 3, 0x80                         ; LCR: DLAB on
    db 0, 0x01                         ; DLL: divisor 1 = 115200 baud
    db 1, 0x00                         ; DLM
    db 3, 0x03                         ; LCR: 8N1, DLAB off
    db 0xff

msg_stage1:   db "hyboot: stage1", 13, 10, 0
msg_error:    db "hyboot: error: ", 0
; (errors end the output for good: no line break needed)
err_nolba:    db "no LBA", 0
err_read:     db "read", 0
err_nostage2: db "no stage2", 0

code_end:
    times 424 - ($ - $$) db 0          ; fails to assemble if the code grows past 424

; struct stage1_patch (common/mbr.h) at offset 424; mkimage fills in the
; sector count and LBA. At run time it is reused as the AH=42h packet.
patch:
patch_magic:   dd 0x31535948           ; "HYS1"
patch_sectors: dd 0
patch_lba:     dq 0
dap_count      equ patch + 2
dap_seg        equ patch + 6
