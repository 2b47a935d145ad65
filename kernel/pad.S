/* The pad of kernel-pad<N>.elf (see pad.h): the build passes PAD_FILE,
 * the N MiB file kernel/tools/mkpad.c wrote. Without PAD_FILE the pad is
 * empty (the plain kernel). Placed in .data so it is file-backed, not
 * zero-filled bss. */
    .section .data.pad, "aw", @progbits
    .balign 4096
    .globl kernel_pad_start, kernel_pad_end
kernel_pad_start:
#ifdef PAD_FILE
    .incbin PAD_FILE
#endif
kernel_pad_end:

    .section .note.GNU-stack, "", @progbits
