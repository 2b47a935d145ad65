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
    popq    %rax
    cli
    cld
    movq    %rax, boot_entry_rflags(%rip)
    movq    %rsp, boot_entry_rsp(%rip)
    rdtsc                               /* kernel entry time, for the timing line */
    shlq    $32, %rdx
    orq     %rdx, %rax
    movq    %rax, boot_entry_tsc(%rip)
    leaq    kernel_stack_top(%rip), %rsp
    xorl    %ebp, %ebp                  /* end of the frame-pointer chain */
    call    kmain                       /* rdi still holds the boot_info address */
1:  cli
    hlt
    jmp     1b
    .size _start, . - _start

    .section .bss
    .balign 16
kernel_stack:
    .skip   65536
    .globl kernel_stack_top
kernel_stack_top:

    .section .note.GNU-stack, "", @progbits
