/* Building and checking the boot protocol's memory map. Loaders add the
 * firmware's ranges (E820 or the UEFI map translated to BOOT_MEM_*), then
 * normalize, then carve out what they used (kernel, page tables, stack,
 * framebuffer); the kernel's self-test checks the result with mm_check.
 * Works in a caller-provided array: no allocation, no global state. */
#ifndef HYBOOT_MEMMAP_H
#define HYBOOT_MEMMAP_H

#include <stdint.h>
#include "boot_info.h"

struct mm_map {
    struct boot_mmap_entry *e;
    uint32_t count, cap;
};

void mm_init(struct mm_map *m, struct boot_mmap_entry *buf, uint32_t cap);

/* Appends a raw range (zero lengths are dropped). -1 when full. */
int mm_add(struct mm_map *m, uint64_t base, uint64_t length, uint32_t type);

/* Sorts, resolves overlaps (the more restrictive type wins: bad >
 * reserved/NVS > ACPI reclaim > framebuffer > kernel > loader > usable),
 * shrinks usable ranges inward to 4 KiB boundaries, drops empty ranges
 * and merges neighbours of one type. -1 when the array ran out of room. */
int mm_normalize(struct mm_map *m);

/* Gives [base, base+length) the type `type`, whatever it was, splitting
 * entries as needed, and keeps the map normalized. -1 when full. */
int mm_set(struct mm_map *m, uint64_t base, uint64_t length, uint32_t type);

/* mm_set over the whole 4 KiB pages that [base, base+length) touches
 * (a framebuffer need not start or end on a page). */
int mm_set_pages(struct mm_map *m, uint64_t base, uint64_t length, uint32_t type);

/* Lowest address a with min <= a, a + size <= max, a % align == 0 and the
 * whole range usable; 0 when there is none (so min should be > 0). */
uint64_t mm_find_usable(const struct mm_map *m, uint64_t size, uint64_t align,
                        uint64_t min, uint64_t max);

/* Sum of lengths of entries of one type. */
uint64_t mm_total(const struct boot_mmap_entry *e, uint32_t count, uint32_t type);
/* End of the highest entry of one type (0 if none). */
uint64_t mm_top(const struct boot_mmap_entry *e, uint32_t count, uint32_t type);

/* NULL when the map is what the protocol promises: non-empty, sorted by
 * base, no overlaps, no zero lengths, known types, some usable memory.
 * Otherwise a static reason. */
const char *mm_check(const struct boot_mmap_entry *e, uint32_t count);

const char *mm_type_name(uint32_t type);

#endif
