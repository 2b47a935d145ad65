/* mbstub: a test-only multiboot-1 loader for the kernel (QEMU -kernel
 * mbstub.elf -initrd kernel.elf). QEMU enters here in 32-bit protected
 * mode, paging off, eax = multiboot magic, ebx = multiboot info. The C
 * part (stub.c) builds boot_info and page tables, then enter_long_mode
 * switches to 64-bit mode and jumps to the kernel. */
    .section .multiboot, "a"
    .balign 4
    .long   0x1badb002              /* magic */
    .long   0x00000003              /* flags: page-align modules, memory info */
    .long   -(0x1badb002 + 0x00000003)

    .section .text
    .code32
    .globl  _start
_start:
    cli
    cld
    movl    $stub_stack_top, %esp
    pushl   %ebx
    pushl   %eax
    call    stub_main
1:  hlt
    jmp     1b

/* void enter_long_mode(uint32_t pml4) -- never returns; the 64-bit side
 * reads lm_entry / lm_boot_info / lm_stack (set by stub.c). */
    .globl  enter_long_mode
enter_long_mode:
    movl    4(%esp), %eax
    movl    %eax, %cr3
    movl    %cr4, %eax
    orl     $0x20, %eax             /* PAE */
    movl    %eax, %cr4
    movl    $0xc0000080, %ecx       /* EFER */
    rdmsr
    orl     $0x100, %eax            /* LME */
    wrmsr
    lgdt    gdt_ptr
    movl    %cr0, %eax
    orl     $0x80000001, %eax       /* PG | PE */
    movl    %eax, %cr0
    ljmp    $0x08, $long_mode

    .code64
long_mode:
    movl    $0x10, %eax
    mov     %ax, %ds
    mov     %ax, %es
    mov     %ax, %ss
    movl    $lm_entry, %eax         /* (32-bit object: absolute via a register) */
    movq    (%rax), %rbx
    movl    $lm_boot_info, %eax
    movq    (%rax), %rdi
    movl    $lm_stack, %eax
    movq    (%rax), %rsp
    rdtsc                           /* boot_info.timing.tsc_kernel_jump (offset 256) */
    shlq    $32, %rdx
    orq     %rdx, %rax
    movq    %rax, 256(%rdi)
    xorl    %eax, %eax
    xorl    %edx, %edx
    jmp     *%rbx

    .section .rodata
    .balign 8
gdt:
    .quad   0
    .quad   0x00af9a000000ffff      /* 64-bit code */
    .quad   0x00cf92000000ffff      /* data */
gdt_ptr:
    .word   gdt_ptr - gdt - 1
    .long   gdt

    .section .bss
    .balign 16
    .skip   16384
stub_stack_top:

    .section .note.GNU-stack, "", @progbits
