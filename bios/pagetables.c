#include "pagetables.h"

#include "alloc.h"
#include "console.h"
#include "paging.h"

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
    uint64_t top = pg_identity_end(ram_top(m));
    int gb = pg_cpu_has_gb_pages();
    uint64_t pages = pg_protocol_pages(top, k->plan.span, gb);
    struct pg_pool pool;
    pool.next = mem_take(m, pages * 4096, 4096, BOOT_MEM_LOADER);
    if (!pool.next)
        die("not enough memory for page tables (%u KiB)", (unsigned)(pages * 4));
    pool.end = pool.next + pages * 4096;

    struct paging pg;
    if (pg_init(&pg, pg_pool_page, &pool, gb))
        die("page tables: out of pages");
    const char *what = pg_map_protocol(&pg, top, k->plan.vbase, k->phys, k->plan.span, fb->addr,
                                       fb->kind == BOOT_FB_RGB ? fb->size : 0);
    if (what)
        die("page tables: %s mapping failed", what);
    out->pml4 = pg.pml4;
    out->identity_top = top;
    out->tables = pg.tables;
    out->gb_pages = gb;
}
