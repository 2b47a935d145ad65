/* Reading boot.cfg and the kernel from the ESP, verifying and placing it. */
#ifndef HYBOOT_BIOS_KERNEL_H
#define HYBOOT_BIOS_KERNEL_H

#include <stdint.h>

#include "bootcfg.h"
#include "disk.h"
#include "elf.h"
#include "fat.h"
#include "memmap.h"

/* Fills cfg from /boot/boot.cfg (defaults when it is missing). */
void config_load(struct fat_vol *v, struct boot_cfg *cfg);

struct loaded_kernel {
    struct elf_plan plan;
    uint64_t phys;               /* 2 MiB aligned, plan.span bytes, BOOT_MEM_KERNEL */
    uint64_t file_size;
    uint64_t read_ticks;         /* TSC ticks reading the file */
    uint32_t read_calls;         /* INT 13h calls for it */
};

/* Reads cfg->kernel into a temporary buffer above 1 MiB, checks its
 * sha256 against boot.cfg, plans and places the ELF. Dies on failure. */
void kernel_load(struct fat_vol *v, struct disk *d, struct mm_map *m,
                 const struct boot_cfg *cfg, struct loaded_kernel *k);

#endif
