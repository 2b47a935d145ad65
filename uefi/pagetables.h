/* The page tables the kernel starts on, built with common/paging.c
 * before ExitBootServices (every table comes from a pool below 4 GiB). */
#ifndef HYBOOT_UEFI_PAGETABLES_H
#define HYBOOT_UEFI_PAGETABLES_H

#include <stdint.h>
#include "boot_info.h"
#include "kernel_load.h"

struct loader_tables {
    uint64_t cr3;
    uint64_t ident_end;     /* identity map covers [0, ident_end) */
    uint32_t tables;        /* pages used */
    int gb_pages;
};

/* Identity map of [0, max(4 GiB, mem_top)) rounded up to 1 GiB, the
 * kernel span at its link address, the framebuffer (identity, wherever
 * it is). Fatal when out of memory. */
void build_page_tables(uint64_t mem_top, const struct loaded_kernel *k,
                       const struct boot_framebuffer *fb, struct loader_tables *out);

#endif
