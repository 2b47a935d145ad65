#include "pagetables.h"

#include "alloc.h"
#include "console.h"
#include "mem.h"
#include "paging.h"

#define GIB (1ULL << 30)

struct pool {
    uint64_t next, end;
};

static uint64_t pool_page(void *ctx)
{
    struct pool *p = ctx;
    if (p->next >= p->end)
        return 0;
    uint64_t a = p->next;
    p->next += 4096;
    memset((void *)(uintptr_t)a, 0, 4096);
    return a;
}

/* End of the highest range holding RAM (not merely reserved space). */
static uint64_t ram_top(const struct mm_map *m)
{
    static const uint32_t ram[] = { BOOT_MEM_USABLE, BOOT_MEM_ACPI_RECLAIM, BOOT_MEM_ACPI_NVS,
                                    BOOT_MEM_LOADER, BOOT_MEM_KERNEL };
    uint64_t top = 0;
    for (unsigned i = 0; i < sizeof ram / sizeof ram[0]; i++) {
        uint64_t t = mm_top(m->e, m->count, ram[i]);
        if (t > top)
            top = t;
    }
    return top;
}

void pagetables_build(struct mm_map *m, const struct loaded_kernel *k,
                      const struct boot_framebuffer *fb, struct pt_result *out)
{
    uint64_t top = ram_top(m);
    if (top < 4 * GIB)
        top = 4 * GIB;
    top = (top + GIB - 1) & ~(GIB - 1);
    int gb = pg_cpu_has_gb_pages();

    /* PML4, a PDPT per 512 GiB, a PD per GiB when 2 MiB pages are all we
     * have; the kernel and a framebuffer above the identity map need at
     * most a PDPT, two PDs and two PTs each. */
    uint64_t pages = 1 + (top >> 39) + 1 + (gb ? 0 : top >> 30) + 2 * 5;
    struct pool pool;
    pool.next = mem_take(m, pages * 4096, 4096, BOOT_MEM_LOADER);
    if (!pool.next)
        die("not enough memory for page tables (%u KiB)", (unsigned)(pages * 4));
    pool.end = pool.next + pages * 4096;

    struct paging pg;
    if (pg_init(&pg, pool_page, &pool, gb))
        die("page tables: out of pages");
    if (pg_map(&pg, 0, 0, top, PG_WRITE))
        die("page tables: identity map of %u GiB failed", (unsigned)(top >> 30));
    if (pg_map(&pg, k->plan.vbase, k->phys, k->plan.span, PG_WRITE))
        die("page tables: kernel mapping failed");
    if (fb->kind == BOOT_FB_RGB && fb->size) {
        uint64_t lo = fb->addr & ~4095ULL;
        uint64_t hi = (fb->addr + fb->size + 4095) & ~4095ULL;
        if (pg_map(&pg, lo, lo, hi - lo, PG_WRITE))
            die("page tables: framebuffer mapping failed");
    }
    out->pml4 = pg.pml4;
    out->identity_top = top;
    out->tables = pg.tables;
    out->gb_pages = gb;
}
