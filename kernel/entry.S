/* Kernel entry, from either loader (docs/protocol.md): long mode, paging
 * on, interrupts off, rdi = physical address of struct boot_info, rsp on
 * the loader's stack. We record what the self-test wants to check about
 * that state, move to our own stack and call kmain(rdi). */
    .section .text.entry, "ax", @progbits
    .code64
    .globl _start
    .type _start, @function
_start:
    pushfq                              /* entry RFLAGS (IF and DF checked later) */
    popq    %r13
    cli
    cld
    movq    %rdi, %r12                  /* boot_info */
    movq    %rsp, %r14                  /* the loader's stack */
    rdtsc                               /* kernel entry time, for the timing line */
    shlq    $32, %rdx
    orq     %rdx, %rax
    movq    %rax, %r15

    /* The loader must have zeroed .bss (docs/protocol.md): note whether
     * it did, for the self-test, then zero it anyway so a careless loader
     * costs a failed check rather than random behaviour. */
    xorl    %ebx, %ebx
    leaq    __bss_start(%rip), %rdi
    leaq    __bss_end(%rip), %rcx
    subq    %rdi, %rcx
    shrq    $3, %rcx
    xorl    %eax, %eax
    jrcxz   1f
    repe scasq
    setne   %bl
1:  leaq    __bss_start(%rip), %rdi
    leaq    __bss_end(%rip), %rcx
    subq    %rdi, %rcx
    shrq    $3, %rcx
    rep stosq

    movq    %r13, boot_entry_rflags(%rip)
    movq    %r14, boot_entry_rsp(%rip)
    movq    %r15, boot_entry_tsc(%rip)
    movq    %rbx, boot_entry_bss_dirty(%rip)
    leaq    kernel_stack_top(%rip), %rsp
    xorl    %ebp, %ebp                  /* end of the frame-pointer chain */
    movq    %r12, %rdi
    call    kmain
2:  cli
    hlt
    jmp     2b
    .size _start, . - _start

    .section .bss
    .balign 16
kernel_stack:
    .skip   65536
    .globl kernel_stack_top
kernel_stack_top:

    .section .note.GNU-stack, "", @progbits
