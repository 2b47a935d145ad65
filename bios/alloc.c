/* Memory for the boot flow, taken out of the live memory map: every block
 * is found with mm_find_usable and marked with mm_set at once, so no two
 * users can get the same range, and the final map already tells the
 * kernel what each range holds. */
#include "loader.h"
#include "mem.h"
#include "stage2.h"

#define MIN_ADDR (1ULL << 20)          /* below 1 MiB is stage2's own ground */
#define MAX_END  (1ULL << 32)          /* stage2 runs without paging */

uint64_t plat_alloc(uint64_t bytes, uint64_t align, uint32_t type, uint64_t max_end)
{
    struct mm_map *m = &s2.mm;
    bytes = (bytes + 4095) & ~4095ULL;
    if (!max_end || max_end > MAX_END)
        max_end = MAX_END;
    uint64_t a = mm_find_usable(m, bytes, align, MIN_ADDR, max_end);
    if (!a)
        return 0;
    if (mm_set(m, a, bytes, type))
        die("memory map full (%u entries)", (unsigned)m->cap);
    return a;
}

void plat_free(uint64_t addr, uint64_t bytes)
{
    bytes = (bytes + 4095) & ~4095ULL;
    if (mm_set(&s2.mm, addr, bytes ? bytes : 4096, BOOT_MEM_USABLE))
        die("memory map full (%u entries)", (unsigned)s2.mm.cap);
}

/* stage2 places the kernel in a block of its own, at once. */
int plat_kernel_late(void) { return 0; }
uint64_t plat_kernel_late_range(uint64_t span) { (void)span; return 0; }

void plat_memory_map(struct mm_map *m)
{
    if (s2.mm.count > m->cap)
        die("memory map: more entries than room for them");
    memcpy(m->e, s2.mm.e, s2.mm.count * sizeof *m->e);
    m->count = s2.mm.count;
}

uint32_t plat_map_capacity(void)
{
    return s2.mm.cap;          /* the live map never holds more */
}
