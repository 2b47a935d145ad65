/* The last step of the UEFI loader, after ExitBootServices:
 *
 *   void handoff(uint64_t boot_info,   rdi
 *                uint64_t entry,       rsi  kernel entry (virtual)
 *                uint64_t stack_top,   rdx  16-byte aligned
 *                uint64_t cr3,         rcx  our PML4
 *                const void *gdtr,     r8   limit:16, base:64
 *                void (*last)(void))   r9   or NULL
 *
 * Interrupts off and DF clear, our page tables (they identity-map this
 * code, so the next instruction is still mapped), our GDT with CS
 * reloaded through a far return, data segments reloaded, an empty IDT,
 * the loader's stack, `last` called there (loader_place_kernel: the
 * kernel's bytes may go into the firmware's memory only now, off its
 * stack and page tables), then a jump (never a call) into the kernel
 * with rdi = boot_info.
 *
 * The empty IDT (limit 0): the firmware's gates name its own code
 * selector, which our GDT does not have, and point into boot-services
 * memory the kernel may reuse; an exception before the kernel loads its
 * IDT is better a clean triple fault (QEMU -no-reboot stops) than a jump
 * into freed firmware code.
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
    sub     $16, %rsp
    movq    $0, (%rsp)
    movq    $0, 8(%rsp)
    lidt    (%rsp)
    mov     %rdx, %rsp
    test    %r9, %r9
    jz      2f
    mov     %rdi, %rbx              /* callee-saved across the call */
    mov     %rsi, %r12
    call    *%r9                    /* rsp 16-byte aligned before the call */
    mov     %rbx, %rdi
    mov     %r12, %rsi
2:  xor     %ebp, %ebp
    jmp     *%rsi
    .size handoff, . - handoff

    .section .note.GNU-stack, "", @progbits
