/* The kernel's page tables (boot protocol): identity map of
 * [0, max(4 GiB, top of RAM)), the kernel at its link address, the
 * framebuffer. Built with common/paging.c in a pool of pages taken from
 * the memory map as BOOT_MEM_LOADER. */
#ifndef HYBOOT_BIOS_PAGETABLES_H
#define HYBOOT_BIOS_PAGETABLES_H

#include <stdint.h>

#include "boot_info.h"
#include "kernel.h"
#include "memmap.h"

struct pt_result {
    uint64_t pml4;
    uint64_t identity_top;
    uint32_t tables;
    int gb_pages;
};

/* Dies when memory runs out. */
void pagetables_build(struct mm_map *m, const struct loaded_kernel *k,
                      const struct boot_framebuffer *fb, struct pt_result *out);

#endif
