/* From 32-bit protected mode into the kernel in long mode: the last step
 * of the two loaders that run 32-bit code, stage2 and BOOTIA32.EFI (32-bit
 * UEFI on a 64-bit CPU). Built for i386 only.
 *
 *   void lm_enter32(const struct lm_jump *j)       (cdecl, noreturn)
 *   struct lm_jump { uint64_t entry, stack_top, boot_info, pml4; }
 *
 * Interrupts off; our own GDT (the firmware's selectors are unknown);
 * paging off (32-bit UEFI may run with it on, identity-mapped, so the
 * code below stays where it is); PAE, CR3, EFER.LME (and NXE when the CPU
 * has it, so NX bits in tables are legal); paging on; a far return into
 * the 64-bit code segment; then rsp, rdi = boot_info, and a jump to the
 * entry. Position-independent (BOOTIA32.EFI is relocated by the
 * firmware): labels are reached relative to a call's return address.
 *
 * The GDT is read-only data (not in .text, where a disassembler would
 * read its bytes as instructions: 9b is fwait) and every descriptor has
 * its accessed bit set, so loading a segment never writes to it (the page
 * may be read-only under UEFI's memory protection). */
#define SEL_CODE32 0x08
#define SEL_DATA   0x10
#define SEL_CODE64 0x18

    .text
    .code32
    .globl lm_enter32
    .type lm_enter32, @function
lm_enter32:
    cli
    cld
    movl    4(%esp), %esi              /* struct lm_jump * */
    call    1f
1:  popl    %ebp                       /* ebp = runtime address of 1 (cpuid clobbers ebx) */
    /* gdtr on the stack: limit, base */
    leal    (gdt - 1b)(%ebp), %eax
    subl    $8, %esp
    movw    $(gdt_end - gdt - 1), (%esp)
    movl    %eax, 2(%esp)
    lgdt    (%esp)
    leal    (2f - 1b)(%ebp), %eax
    pushl   $SEL_CODE32
    pushl   %eax
    lret
2:  movw    $SEL_DATA, %ax
    movw    %ax, %ds
    movw    %ax, %es
    movw    %ax, %fs
    movw    %ax, %gs
    movw    %ax, %ss
    movl    %cr0, %eax
    andl    $0x7fffffff, %eax          /* paging off: CR3 and PAE change under it */
    movl    %eax, %cr0
    movl    24(%esi), %eax             /* pml4 (below 4 GiB) */
    movl    %eax, %cr3
    movl    %cr4, %eax
    orl     $(1 << 5), %eax            /* PAE */
    andl    $~(1 << 17), %eax          /* PCIDE must be clear without LME */
    movl    %eax, %cr4
    movl    $0x80000000, %eax
    cpuid
    xorl    %edi, %edi
    cmpl    $0x80000001, %eax
    jb      3f
    movl    $0x80000001, %eax
    cpuid
    testl   $(1 << 20), %edx           /* NX available? */
    jz      3f
    movl    $(1 << 11), %edi           /* EFER.NXE */
3:  movl    $0xc0000080, %ecx          /* EFER */
    rdmsr
    orl     $(1 << 8), %eax            /* LME */
    orl     %edi, %eax
    wrmsr
    movl    %cr0, %eax
    orl     $0x80000001, %eax          /* PG, PE */
    movl    %eax, %cr0
    leal    (4f - 1b)(%ebp), %eax
    pushl   $SEL_CODE64
    pushl   %eax
    lret

    .code64
4:  movl    %esi, %esi                 /* zero-extend the struct pointer */
    /* No IDT is promised, and the 32-bit one still loaded (stage2's
     * exception stubs, or 32-bit firmware's) would be misread in long
     * mode: an empty one makes an early exception a clean triple fault,
     * as on the 64-bit UEFI path (uefi/handoff.S). */
    pushq   $0
    pushq   $0
    lidt    6(%rsp)
    movq    (%rsi), %rax
    movq    8(%rsi), %rsp
    movq    16(%rsi), %rdi
    xorl    %ebp, %ebp
    jmp     *%rax
    .size lm_enter32, . - lm_enter32

    .section .rodata
    .balign 8
gdt:
    .quad 0
    .quad 0x00cf9b000000ffff           /* 08: 32-bit code, flat, accessed */
    .quad 0x00cf93000000ffff           /* 10: data, flat, accessed */
    .quad 0x00af9b000000ffff           /* 18: 64-bit code, accessed */
gdt_end:

    .section .note.GNU-stack, "", @progbits
