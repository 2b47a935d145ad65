/* Page-table builder: walk the tables it builds and check translations. */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "paging.h"

static uint8_t *pool;
static unsigned used, cap = 512;

static uint64_t alloc(void *ctx)
{
    (void)ctx;
    if (used == cap) return 0;
    uint8_t *p = pool + 4096 * used++;
    memset(p, 0, 4096);
    return (uint64_t)(uintptr_t)p;
}

/* Translates va; returns ~0 when unmapped; *size gets the page size. */
static uint64_t walk(uint64_t pml4, uint64_t va, uint64_t *size)
{
    uint64_t *t = (uint64_t *)(uintptr_t)pml4;
    int shift = 39;
    for (int level = 4; level >= 1; level--, shift -= 9) {
        uint64_t e = t[(va >> shift) & 511];
        if (!(e & PG_PRESENT)) return ~0ULL;
        uint64_t addr = e & 0x000ffffffffff000ULL;
        if (level == 1 || (level <= 3 && (e & PG_HUGE))) {
            *size = 1ULL << shift;
            return (addr & ~((1ULL << shift) - 1)) + (va & ((1ULL << shift) - 1));
        }
        t = (uint64_t *)(uintptr_t)addr;
    }
    return ~0ULL;
}

int main(void)
{
    pool = aligned_alloc(4096, 4096 * cap);
    struct paging pg;
    uint64_t sz = 0;

    CHECK(pg_init(&pg, alloc, NULL, 0) == 0, "paging: init");
    CHECK(pg_map(&pg, 0, 0, 4ULL << 30, PG_WRITE) == 0, "paging: identity 4 GiB with 2 MiB pages");
    CHECK(walk(pg.pml4, 0x12345678, &sz) == 0x12345678 && sz == (2u << 20), "paging: identity translation, 2 MiB page");
    CHECK(walk(pg.pml4, (4ULL << 30) + 4096, &sz) == ~0ULL, "paging: nothing past 4 GiB");
    CHECK(pg.tables == 1 + 1 + 4, "paging: 6 tables for 4 GiB of 2 MiB pages");

    uint64_t kv = 0xffffffff80000000ULL, kp = 0x01400000;
    CHECK(pg_map(&pg, kv, kp, 6ULL << 20, PG_WRITE) == 0, "paging: kernel higher half");
    CHECK(walk(pg.pml4, kv + 0x201234, &sz) == kp + 0x201234, "paging: kernel translation");
    CHECK(pg_map(&pg, 0xfd000000, 0xfd000000, 3ULL << 20, PG_WRITE) == 0, "paging: same mapping again is allowed");
    CHECK(pg_map(&pg, 0x200000, 0x400000, 2ULL << 20, PG_WRITE) == -1, "paging: conflicting mapping refused");
    CHECK(pg_map(&pg, 0x1001, 0x1000, 4096, 0) == -1, "paging: unaligned refused");

    CHECK(pg_map(&pg, 0x7f0000001000ULL, 0x300000001000ULL, 8192, PG_WRITE) == 0, "paging: 4 KiB pages where unaligned for 2 MiB");
    CHECK(walk(pg.pml4, 0x7f0000002010ULL, &sz) == 0x300000002010ULL && sz == 4096, "paging: 4 KiB translation");

    struct paging g1;
    used = 0;
    CHECK(pg_init(&g1, alloc, NULL, 1) == 0 && pg_map(&g1, 0, 0, 8ULL << 30, PG_WRITE) == 0, "paging: 8 GiB with 1 GiB pages");
    CHECK(walk(g1.pml4, (5ULL << 30) + 77, &sz) == (5ULL << 30) + 77 && sz == (1u << 30), "paging: 1 GiB translation");
    CHECK(g1.tables == 2, "paging: 2 tables for 8 GiB of 1 GiB pages");

    used = cap - 1;
    struct paging g2;
    CHECK(pg_init(&g2, alloc, NULL, 0) == 0 && pg_map(&g2, 0, 0, 4096, 0) == -1, "paging: out of memory reported");
    /* the protocol's layout through a pg_pool, with the budget it asks for */
    CHECK(pg_identity_end(512ULL << 20) == 4ULL << 30, "paging: identity map at least 4 GiB");
    CHECK(pg_identity_end((6ULL << 30) + 1) == 7ULL << 30, "paging: identity end rounded up to 1 GiB");
    for (int gb = 0; gb <= 1; gb++) {
        uint64_t end = pg_identity_end(6ULL << 30), span = 18ULL << 20;
        struct pg_layout l = { .ident_end = end, .hhdm_offset = 0xffff800000000000ULL,
                               .kernel_virt = 0xffffffff80000000ULL, .kernel_phys = 0x1c00000,
                               .kernel_span = span, .fb_addr = 0x80fd001000ULL, .fb_size = 3 << 20 };
        uint64_t need = pg_protocol_pages(&l, gb);
        struct pg_pool pp = { (uint64_t)(uintptr_t)pool, (uint64_t)(uintptr_t)pool + need * 4096 };
        memset(pool, 0xee, need * 4096);
        struct paging gp;
        const char *what = pg_init(&gp, pg_pool_page, &pp, gb) ? "init"
            : pg_map_protocol(&gp, &l);
        CHECK(what == NULL, gb ? "paging: protocol layout fits its budget (1 GiB pages)"
                                : "paging: protocol layout fits its budget (2 MiB pages)");
        CHECK(walk(gp.pml4, 0xffffffff80000000ULL + 0x123456, &sz) == 0x1c00000 + 0x123456,
              "paging: protocol layout maps the kernel");
        CHECK(walk(gp.pml4, (5ULL << 30) + 5, &sz) == (5ULL << 30) + 5 && walk(gp.pml4, 6ULL << 30, &sz) == ~0ULL, "paging: protocol layout maps identity up to its end");
        CHECK(walk(gp.pml4, 0x80fd001000ULL + 0x2fffff, &sz) == 0x80fd001000ULL + 0x2fffff,
              "paging: protocol layout maps a framebuffer above the identity map");
        CHECK(walk(gp.pml4, 0x80fd000000ULL, &sz) == ~0ULL, "paging: only the framebuffer's own pages");
        CHECK(walk(gp.pml4, 0xffff800000000000ULL + (5ULL << 30) + 77, &sz) == (5ULL << 30) + 77 &&
                  walk(gp.pml4, 0xffff800000000000ULL + 0x1000, &sz) == 0x1000 &&
                  walk(gp.pml4, 0xffff800000000000ULL + (6ULL << 30), &sz) == ~0ULL,
              "paging: direct map of all memory at the HHDM offset, and no further");
        CHECK(walk(gp.pml4, 0xffff800000000000ULL + 0x80fd001000ULL + 5, &sz) == 0x80fd001000ULL + 5,
              "paging: framebuffer in the direct map");
        l.hhdm_offset = 0;
        CHECK(pg_protocol_pages(&l, gb) < need, "paging: no direct map, smaller budget");
    }
    struct pg_pool tiny = { (uint64_t)(uintptr_t)pool, (uint64_t)(uintptr_t)pool + 4096 };
    CHECK(pg_pool_page(&tiny) != 0 && pg_pool_page(&tiny) == 0, "paging: pool runs out");
    CHECK(((uint8_t *)pool)[100] == 0, "paging: pool pages are zeroed");
    free(pool);
    return check_exit();
}
