/* Taking memory out of the boot memory map: every block stage2 hands to
 * the kernel (or uses itself above 1 MiB) is found with mm_find_usable
 * and marked with mm_set at once, so no two users can get the same range. */
#ifndef HYBOOT_BIOS_ALLOC_H
#define HYBOOT_BIOS_ALLOC_H

#include <stdint.h>

#include "memmap.h"

/* Lowest usable [a, a+size) with a % align == 0 between 1 MiB and 4 GiB
 * (stage2 runs without paging), marked `type`. 0 when there is none. */
uint64_t mem_take(struct mm_map *m, uint64_t size, uint64_t align, uint32_t type);
/* Gives a range back as usable (a temporary buffer). */
void mem_give_back(struct mm_map *m, uint64_t base, uint64_t size);

#endif
