/* Which build of the kernel this is: "" for kernel.elf and the padded
 * ones, "alt" for kernel-alt.elf (which tests put on an image to prove
 * the loaders boot whatever kernel file is there). */
#ifndef HYBOOT_KERNEL_VARIANT_H
#define HYBOOT_KERNEL_VARIANT_H

extern const char kernel_variant[];

#endif
