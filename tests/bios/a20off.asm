; Test-only MBR for tests/bios/test_bios_a20.sh: turns the A20 gate off
; (port 0x92), optionally makes INT 15h AX=2401h fail, then chain-loads
; the real stage1 from LBA 34 (a free sector between the GPT entries and
; the BIOS boot partition) to 0000:7C00 and jumps to it with the same DL.
; Assembled with -DHOOK_2401 for the variant without a BIOS A20 service.

bits 16
org 0x7e00                          ; runs from its copy at 0x7E00

start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7c00
    cld
    mov si, 0x7c00                  ; move out of the way of the real stage1
    mov di, 0x7e00
    mov cx, 256
    rep movsw
    jmp 0:relocated

relocated:
    mov [drive], dl
%ifdef HOOK_2401
    mov eax, [0x15 * 4]
    mov [old15], eax
    mov word [0x15 * 4], hook15
    mov word [0x15 * 4 + 2], 0
%endif
    in al, 0x92
    and al, ~0x03                   ; A20 off (and never bit 0: reset)
    out 0x92, al
    sti
    mov si, dap
    mov ah, 0x42
    mov dl, [drive]
    int 0x13
    jc $
    mov dl, [drive]
    jmp 0:0x7c00

%ifdef HOOK_2401
; INT 15h: AX=2401h "fails" (CF set, AH=86h unsupported); all else chains.
hook15:
    cmp ax, 0x2401
    je .fail
    jmp far [cs:old15]
.fail:
    mov ah, 0x86
    push bp
    mov bp, sp
    or byte [bp + 6], 1             ; CF in the caller's saved flags
    pop bp
    iret
old15: dd 0
%endif

drive: db 0
align 4
dap: db 0x10, 0
     dw 1                           ; one sector
     dw 0x7c00, 0                   ; to 0000:7C00
     dq 34                          ; the real MBR's copy

    times 440 - ($ - $$) db 0
