; The MBR boot code of a UEFI-only image (mkimage without --stage1): a
; BIOS that boots such a disk anyway prints one line and halts, instead of
; hanging on a blank screen. mkimage copies these bytes to the start of
; LBA 0 (build/mkimage/gen/nobios.h, made from them by the build), and
; --inspect recognises the stub by the same bytes.
bits 16
org 0x7c00

        jmp short start
        nop
        ; Bytes 3..89 stay zero (STAGE1_BPB_GAP_START..END in common/mbr.h):
        ; BIOSes that emulate a USB stick as a floppy write a BPB there.
        times 0x5a - ($ - $$) db 0
start:
        xor ax, ax
        mov ds, ax
        mov si, msg
        cld
.next:  lodsb
        test al, al
        jz .halt
        mov ah, 0x0e            ; teletype output
        mov bx, 7               ; page 0, light grey
        int 0x10
        jmp .next
.halt:  hlt
        jmp .halt

msg:    db "hyboot: no BIOS boot code on this disk (UEFI only)", 13, 10, 0

%if ($ - $$) > 424
%error "nobios stub grows into the stage1 patch area (offset 424)"
%endif
