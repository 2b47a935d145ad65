; hyboot stage2: real-mode entry, mode switches and the BIOS call thunk.
;
; stage1 jumps to 0000:8000 with DL = boot drive. This file is linked
; first (section .entry) so that everything real-mode code touches lies
; below 64 KiB and is addressable with segment registers at 0.
;
; GDT: 08 32-bit code, 10 32-bit data (flat 4 GiB), 18/20 16-bit code and
; data (base 0, limit 64 KiB) for the way back to real mode. The jump to
; the kernel (common/long_mode32.S) brings its own GDT.

%include "layout.inc"                 ; build/bios/, from common/bios_layout.h
%define STACK_TOP STAGE2_STACK_TOP
%define THUNK_DATA THUNK_DATA_ADDR

; The thunk's data lives in page 0 (with the IVT and BDA), never in a page
; holding code: QEMU's TCG retranslates a whole page of code on every
; write to it, which made each BIOS call (and everything sharing a page
; with the stack) crawl. For the same reason the INT vector is not
; patched into an "int imm8" but called through the IVT.
regs       equ THUNK_DATA              ; struct bios_regs, REGS_SIZE bytes
regs_ptr   equ THUNK_DATA + 0x40
saved_esp  equ THUNK_DATA + 0x44
int_target equ THUNK_DATA + 0x48      ; far pointer from the IVT

extern stage2_main
extern stage2_exception
extern __bss_start
extern __bss_end
extern _image_size

global stage2_start
global bios_call
global boot_drive

section .entry progbits alloc exec write align=16
bits 16

; struct stage2_header (common/mbr.h)
stage2_start:
    jmp short entry16
    times 8 - ($ - stage2_start) db 0x90
    db "HYSTAGE2"
    dd _image_size
    dd 0

entry16:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, STACK_TOP
    jmp 0:.flat                       ; CS = 0 for the cs: overrides below
.flat:
    mov [boot_drive], dl
    cld
    lgdt [gdtr]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword 0x08:pm32_entry

bits 32
pm32_entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, STACK_TOP
    ; stage1 loaded whole sectors; whatever followed is not a zero bss.
    mov edi, __bss_start
    mov ecx, __bss_end
    sub ecx, edi
    xor eax, eax
    rep stosb
    call idt_setup                    ; the IDT lives in the bss just zeroed
    movzx eax, byte [boot_drive]
    push eax
    call stage2_main                  ; does not return; halt if it does
.halt:
    cli
    hlt
    jmp .halt

; void bios_call(int vector, struct bios_regs *r)   (cdecl; bios/bioscall.h)
bios_call:
    push ebp
    push ebx
    push esi
    push edi
    movzx eax, byte [esp + 20]
    mov eax, [eax * 4]                ; IVT entry: segment:offset of the handler
    mov [int_target], eax
    mov esi, [esp + 24]
    mov [regs_ptr], esi
    mov edi, regs
    mov ecx, REGS_SIZE / 4
    rep movsd
    mov [saved_esp], esp
    jmp 0x18:.pm16

bits 16
.pm16:
    mov ax, 0x20                      ; 64 KiB limits, as real mode expects
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov eax, cr0
    and al, ~1
    mov cr0, eax
    jmp 0:.rm

.rm:
    xor ax, ax
    mov ss, ax                        ; SP is still the 32-bit ESP (< 64 KiB)
    mov fs, ax
    mov gs, ax
    mov ds, ax
    lidt [rm_idtr]
    mov es, [regs + R_ES]
    mov eax, [regs + R_EAX]
    mov ebx, [regs + R_EBX]
    mov ecx, [regs + R_ECX]
    mov edx, [regs + R_EDX]
    mov esi, [regs + R_ESI]
    mov edi, [regs + R_EDI]
    mov ebp, [regs + R_EBP]
    mov ds, [cs:regs + R_DS]
    sti                               ; the BIOS may wait for IRQs
    pushf                             ; what "int" does: flags, far call,
    cli                               ; handler entered with IF clear
    call far [cs:int_target]
    cli
    cld
    mov [cs:regs + R_EAX], eax
    mov [cs:regs + R_EBX], ebx
    mov [cs:regs + R_ECX], ecx
    mov [cs:regs + R_EDX], edx
    mov [cs:regs + R_ESI], esi
    mov [cs:regs + R_EDI], edi
    mov [cs:regs + R_EBP], ebp
    mov [cs:regs + R_DS], ds
    mov [cs:regs + R_ES], es
    pushfd
    pop dword [cs:regs + R_EFLAGS]
    xor ax, ax
    mov ds, ax
    lgdt [gdtr]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword 0x08:.back

bits 32
.back:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, [saved_esp]
    lidt [pm_idtr]
    mov esi, regs
    mov edi, [regs_ptr]
    mov ecx, REGS_SIZE / 4
    rep movsd
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

bits 32
; A CPU exception in stage2 becomes "hyboot: error: CPU exception ..."
; (bios/main.c) instead of a silent triple fault. Interrupts stay off in
; protected mode, so only the 32 exception vectors get gates.
idt_setup:
    mov edi, pm_idt
    mov esi, exc_stubs
    mov ecx, 32
.gate:
    mov eax, esi
    mov [edi], ax                     ; offset 15..0
    mov word [edi + 2], 0x08          ; 32-bit code selector
    mov word [edi + 4], 0x8e00        ; present, ring 0, 32-bit interrupt gate
    shr eax, 16
    mov [edi + 6], ax                 ; offset 31..16
    add edi, 8
    add esi, EXC_STUB_SIZE
    loop .gate
    lidt [pm_idtr]
    ret

; One stub per vector, all the same size: push a zero where the CPU
; pushes no error code, then the vector, so the handler sees
; (vector, error code, eip) as cdecl arguments.
EXC_STUB_SIZE equ 12
exc_stubs:
%assign v 0
%rep 32
.s %+ v:
%if v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21
    nop
    nop
%else
    push byte 0
%endif
    push byte v
    jmp near exc_common
    times EXC_STUB_SIZE - ($ - .s %+ v) db 0x90
%assign v v + 1
%endrep

exc_common:
    cld
    call stage2_exception             ; does not return

pm_idtr:
    dw 32 * 8 - 1
    dd pm_idt

align 8
gdt:
    dq 0
    dq 0x00cf9a000000ffff             ; 08: 32-bit code, flat
    dq 0x00cf92000000ffff             ; 10: 32-bit data, flat
    dq 0x00009a000000ffff             ; 18: 16-bit code, base 0, 64 KiB
    dq 0x000092000000ffff             ; 20: 16-bit data, base 0, 64 KiB
gdt_end:

gdtr:
    dw gdt_end - gdt - 1
    dd gdt

rm_idtr:                              ; the real-mode interrupt vector table
    dw 0x3ff
    dd 0

boot_drive: db 0

; struct bios_regs (bios/bioscall.h), offsets from common/bios_layout.h
R_EAX    equ BIOS_REGS_EAX
R_EBX    equ BIOS_REGS_EBX
R_ECX    equ BIOS_REGS_ECX
R_EDX    equ BIOS_REGS_EDX
R_ESI    equ BIOS_REGS_ESI
R_EDI    equ BIOS_REGS_EDI
R_EBP    equ BIOS_REGS_EBP
R_EFLAGS equ BIOS_REGS_EFLAGS
R_DS     equ BIOS_REGS_DS
R_ES     equ BIOS_REGS_ES
REGS_SIZE equ BIOS_REGS_SIZE

section .bss
align 8
pm_idt:    resb 32 * 8

section .entry
section .note.GNU-stack noalloc noexec nowrite progbits
