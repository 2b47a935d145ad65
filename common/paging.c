#include "paging.h"
#include "mem.h"

#define PAGE_4K (1ULL << 12)
#define PAGE_2M (1ULL << 21)
#define PAGE_1G (1ULL << 30)
#define ADDR_MASK 0x000ffffffffff000ULL

static uint64_t *table(uint64_t phys) { return (uint64_t *)(uintptr_t)phys; }

int pg_init(struct paging *pg, uint64_t (*alloc_page)(void *ctx), void *ctx, int gb_pages)
{
    pg->alloc_page = alloc_page;
    pg->ctx = ctx;
    pg->gb_pages = gb_pages;
    pg->tables = 0;
    pg->pml4 = alloc_page(ctx);
    if (!pg->pml4) return -1;
    pg->tables = 1;
    return 0;
}

/* The next-level table under entry e, created when absent. 0 when out of
 * memory or when e already maps a large page (a conflicting mapping). */
static uint64_t next_table(struct paging *pg, uint64_t *e)
{
    if (*e & PG_PRESENT)
        return (*e & PG_HUGE) ? 0 : (*e & ADDR_MASK);
    uint64_t t = pg->alloc_page(pg->ctx);
    if (!t) return 0;
    pg->tables++;
    *e = t | PG_PRESENT | PG_WRITE;
    return t;
}

/* Installs one leaf; re-mapping the same page the same way is allowed so
 * that callers can map overlapping ranges (e.g. framebuffer inside the
 * identity map) without bookkeeping. */
static int set_leaf(uint64_t *e, uint64_t val)
{
    if (*e & PG_PRESENT)
        return *e == val ? 0 : -1;
    *e = val;
    return 0;
}

int pg_map(struct paging *pg, uint64_t virt, uint64_t phys, uint64_t len, uint64_t flags)
{
    if ((virt | phys | len) & (PAGE_4K - 1))
        return -1;
    flags |= PG_PRESENT;
    while (len) {
        uint64_t *pml4 = table(pg->pml4);
        unsigned i4 = (virt >> 39) & 511, i3 = (virt >> 30) & 511, i2 = (virt >> 21) & 511, i1 = (virt >> 12) & 511;
        uint64_t pdpt = next_table(pg, &pml4[i4]);
        if (!pdpt) return -1;
        uint64_t *e3 = &table(pdpt)[i3];

        if (pg->gb_pages && !((virt | phys) & (PAGE_1G - 1)) && len >= PAGE_1G) {
            if (set_leaf(e3, phys | flags | PG_HUGE)) return -1;
            virt += PAGE_1G; phys += PAGE_1G; len -= PAGE_1G;
            continue;
        }
        uint64_t pd;
        if ((*e3 & (PG_PRESENT | PG_HUGE)) == (PG_PRESENT | PG_HUGE)) {
            /* already covered by a 1 GiB page: fine if it maps the same way */
            uint64_t want = ((*e3 & ADDR_MASK) & ~(PAGE_1G - 1)) + (virt & (PAGE_1G - 1));
            if (want != phys) return -1;
            uint64_t step = PAGE_1G - (virt & (PAGE_1G - 1));
            if (step > len) step = len;
            virt += step; phys += step; len -= step;
            continue;
        }
        pd = next_table(pg, e3);
        if (!pd) return -1;
        uint64_t *e2 = &table(pd)[i2];

        if (!((virt | phys) & (PAGE_2M - 1)) && len >= PAGE_2M) {
            if (set_leaf(e2, phys | flags | PG_HUGE)) return -1;
            virt += PAGE_2M; phys += PAGE_2M; len -= PAGE_2M;
            continue;
        }
        if ((*e2 & (PG_PRESENT | PG_HUGE)) == (PG_PRESENT | PG_HUGE)) {
            uint64_t want = ((*e2 & ADDR_MASK) & ~(PAGE_2M - 1)) + (virt & (PAGE_2M - 1));
            if (want != phys) return -1;
            uint64_t step = PAGE_2M - (virt & (PAGE_2M - 1));
            if (step > len) step = len;
            virt += step; phys += step; len -= step;
            continue;
        }
        uint64_t pt = next_table(pg, e2);
        if (!pt) return -1;
        if (set_leaf(&table(pt)[i1], phys | flags)) return -1;
        virt += PAGE_4K; phys += PAGE_4K; len -= PAGE_4K;
    }
    return 0;
}

uint64_t pg_pool_page(void *pool)
{
    struct pg_pool *p = pool;
    if (p->next >= p->end)
        return 0;
    uint64_t a = p->next;
    p->next += PAGE_4K;
    memset(table(a), 0, PAGE_4K);
    return a;
}

uint64_t pg_identity_end(uint64_t mem_top)
{
    uint64_t end = mem_top > 4 * PAGE_1G ? mem_top : 4 * PAGE_1G;
    return (end + PAGE_1G - 1) & ~(PAGE_1G - 1);
}

/* Tables for mapping [0, end) with the largest pages: a PDPT per 512
 * GiB and, without 1 GiB pages, a PD per GiB. Shifts, not divisions:
 * stage2 is 32-bit code without libgcc. */
static uint64_t linear_map_pages(uint64_t end, int gb_pages)
{
    return ((end + (1ULL << 39) - 1) >> 39) + (gb_pages ? 0 : (end + PAGE_1G - 1) >> 30);
}

uint64_t pg_protocol_pages(const struct pg_layout *l, int gb_pages)
{
    uint64_t n = 1                                              /* PML4 */
               + linear_map_pages(l->ident_end, gb_pages)       /* identity map */
               + 1 + ((l->kernel_span + PAGE_1G - 1) >> 30) + 1 /* kernel: PDPT, PDs, straddling */
               + 5                                              /* framebuffer: PDPT, 2 PDs, 2 PTs */
               + 4;                                             /* slack */
    if (l->hhdm_offset)
        n += linear_map_pages(l->ident_end, gb_pages) + 1       /* direct map, offset straddling */
           + 5;                                                 /* framebuffer in it */
    for (uint32_t i = 0; i < l->nextra; i++)                    /* each: PDPT, PDs, edge PTs */
        n += (linear_map_pages(l->extra[i].length, gb_pages) + 5) * (l->hhdm_offset ? 2 : 1);
    return n;
}

/* Maps the whole 4 KiB pages of [base, base+len) identity and, with a
 * direct map, at the offset too. */
static int map_pages_both(struct paging *pg, const struct pg_layout *l, uint64_t base, uint64_t len)
{
    uint64_t lo = base & ~(PAGE_4K - 1);
    uint64_t hi = (base + len + PAGE_4K - 1) & ~(PAGE_4K - 1);
    if (pg_map(pg, lo, lo, hi - lo, PG_WRITE))
        return -1;
    return l->hhdm_offset ? pg_map(pg, l->hhdm_offset + lo, lo, hi - lo, PG_WRITE) : 0;
}

const char *pg_map_protocol(struct paging *pg, const struct pg_layout *l)
{
    if (pg_map(pg, 0, 0, l->ident_end, PG_WRITE))
        return "identity map";
    if (l->hhdm_offset && pg_map(pg, l->hhdm_offset, 0, l->ident_end, PG_WRITE))
        return "direct map";
    if (pg_map(pg, l->kernel_virt, l->kernel_phys, l->kernel_span, PG_WRITE))
        return "kernel";
    /* The framebuffer may sit above the identity map (a 64-bit BAR). */
    if (l->fb_size && map_pages_both(pg, l, l->fb_addr, l->fb_size))
        return "framebuffer";
    for (uint32_t i = 0; i < l->nextra; i++)
        if (map_pages_both(pg, l, l->extra[i].base, l->extra[i].length))
            return "memory above the identity map";
    return 0;
}

int pg_cpu_has_gb_pages(void)
{
#if defined(__x86_64__) || defined(__i386__)
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000000u), "c"(0));
    if (a < 0x80000001u) return 0;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000001u), "c"(0));
    return (d >> 26) & 1;
#else
    return 0;
#endif
}
