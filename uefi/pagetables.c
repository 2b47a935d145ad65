/* Loader page tables (see pagetables.h). */
#include "uefi.h"
#include "pagetables.h"
#include "alloc.h"
#include "paging.h"

#define GIB (1ULL << 30)
#define PAGE_MASK 0xfffULL

#define CR4_LA57 (1ULL << 12)

static uint64_t div_up(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

static uint64_t read_cr4(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

void build_page_tables(uint64_t mem_top, const struct loaded_kernel *k,
                       const struct boot_framebuffer *fb, struct loader_tables *out)
{
    /* CR4.LA57 cannot be cleared while paging is on in long mode, and a
     * 4-level PML4 under 5-level paging would be misread: refuse clearly. */
    if (read_cr4() & CR4_LA57)
        uefi_fatal("firmware runs with 5-level paging; this loader builds 4-level tables");
    uint64_t end = mem_top > 4 * GIB ? mem_top : 4 * GIB;
    end = div_up(end, GIB) * GIB;
    int gb = pg_cpu_has_gb_pages();

    /* Worst case: PML4; a PDPT per 512 GiB and, without 1 GiB pages, a
     * PD per GiB of identity map; for the kernel a PDPT and a PD per GiB
     * of span plus one for straddling; for the framebuffer (which may sit
     * above the identity map and need not be 2 MiB aligned) a PDPT, two
     * PDs and two page tables; and a little slack. */
    uint64_t pages = 1 + div_up(end, 512 * GIB) + (gb ? 0 : end / GIB)
                   + 1 + div_up(k->plan.span, GIB) + 1
                   + 5 + 4;
    struct page_pool pool;
    if (page_pool_init(&pool, pages))
        uefi_fatal("out of memory for page tables (%llu pages below 4 GiB)", (unsigned long long)pages);

    struct paging pg;
    if (pg_init(&pg, page_pool_alloc, &pool, gb) ||
        pg_map(&pg, 0, 0, end, PG_WRITE) ||
        pg_map(&pg, k->plan.vbase, k->phys, k->plan.span, PG_WRITE))
        uefi_fatal("cannot build page tables (pool of %llu pages)", (unsigned long long)pages);
    if (fb->kind == BOOT_FB_RGB) {
        uint64_t lo = fb->addr & ~PAGE_MASK;
        uint64_t hi = (fb->addr + fb->size + PAGE_MASK) & ~PAGE_MASK;
        if (pg_map(&pg, lo, lo, hi - lo, PG_WRITE))
            uefi_fatal("cannot map the framebuffer at 0x%llx", (unsigned long long)fb->addr);
    }
    out->cr3 = pg.pml4;
    out->ident_end = end;
    out->tables = pg.tables;
    out->gb_pages = gb;
}
