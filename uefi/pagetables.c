/* Loader page tables (see pagetables.h). */
#include "uefi.h"
#include "pagetables.h"
#include "alloc.h"
#include "paging.h"

#define CR4_LA57 (1ULL << 12)

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
    uint64_t end = pg_identity_end(mem_top);
    int gb = pg_cpu_has_gb_pages();
    uint64_t pages = pg_protocol_pages(end, k->plan.span, gb);
    /* Every table page is allocated now, before ExitBootServices. */
    struct pg_pool pool;
    pool.next = alloc_pages(MEM_OS_LOADER, pages * EFI_PAGE_BYTES, BELOW_4G);
    if (!pool.next)
        uefi_fatal("out of memory for page tables (%llu pages below 4 GiB)", (unsigned long long)pages);
    pool.end = pool.next + pages * EFI_PAGE_BYTES;

    struct paging pg;
    if (pg_init(&pg, pg_pool_page, &pool, gb))
        uefi_fatal("cannot build page tables (pool of %llu pages)", (unsigned long long)pages);
    const char *what = pg_map_protocol(&pg, end, k->plan.vbase, k->phys, k->plan.span, fb->addr,
                                       fb->kind == BOOT_FB_RGB ? fb->size : 0);
    if (what)
        uefi_fatal("cannot map the %s (pool of %llu pages)", what, (unsigned long long)pages);
    out->cr3 = pg.pml4;
    out->ident_end = end;
    out->tables = pg.tables;
    out->gb_pages = gb;
}
