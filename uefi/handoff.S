/* The last step of the UEFI loader, after ExitBootServices:
 *
 *   void handoff(uint64_t boot_info,   rdi
 *                uint64_t entry,       rsi  kernel entry (virtual)
 *                uint64_t stack_top,   rdx  16-byte aligned
 *                uint64_t cr3,         rcx  our PML4
 *                const void *gdtr)     r8   limit:16, base:64
 *
 * Interrupts off and DF clear, our page tables (they identity-map this
 * code, so the next instruction is still mapped), our GDT with CS
 * reloaded through a far return, data segments reloaded, the loader's
 * stack, then a jump (never a call) into the kernel with rdi = boot_info.
 */
#define GDT_CODE64 0x08
#define GDT_DATA   0x10

    .text
    .globl handoff
    .type handoff, @function
handoff:
    cli
    cld
    mov     %rcx, %cr3
    lgdt    (%r8)
    lea     1f(%rip), %rax
    pushq   $GDT_CODE64
    pushq   %rax
    lretq
1:  mov     $GDT_DATA, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    mov     %eax, %fs
    mov     %eax, %gs
    mov     %rdx, %rsp
    xor     %ebp, %ebp
    jmp     *%rsi
    .size handoff, . - handoff

    .section .note.GNU-stack, "", @progbits
