/* Checks of the boot inputs, so mkimage refuses what a loader would. */
#ifndef HYBOOT_MK_INPUTS_H
#define HYBOOT_MK_INPUTS_H

#include <stdint.h>

/* The kernel: ELF64, x86-64, executable, sane non-overlapping loadable
 * segments in the higher half (common/elf.c's elf_plan, the very check
 * both loaders run). NULL or a reason. */
const char *mk_kernel_check(const uint8_t *data, uint64_t size);
/* stage2: its header magic, and a size that fits both the BIOS boot
 * partition (`room` bytes) and the memory stage1 loads it into. */
const char *mk_stage2_check(const uint8_t *data, uint64_t size, uint64_t room);

#endif
