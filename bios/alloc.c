#include "alloc.h"

#include "console.h"

#define MIN_ADDR (1ULL << 20)          /* below 1 MiB is stage2's own ground */
#define MAX_ADDR (1ULL << 32)

uint64_t mem_take(struct mm_map *m, uint64_t size, uint64_t align, uint32_t type)
{
    size = (size + 4095) & ~4095ULL;
    uint64_t a = mm_find_usable(m, size, align, MIN_ADDR, MAX_ADDR);
    if (!a)
        return 0;
    if (mm_set(m, a, size, type))
        die("memory map full (%u entries)", (unsigned)m->cap);
    return a;
}

void mem_give_back(struct mm_map *m, uint64_t base, uint64_t size)
{
    size = (size + 4095) & ~4095ULL;
    if (mm_set(m, base, size, BOOT_MEM_USABLE))
        die("memory map full (%u entries)", (unsigned)m->cap);
}
