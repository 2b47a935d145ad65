/* x86-64 4-level page tables, built the same way by stage2 (32-bit code,
 * paging off, so physical addresses below 4 GiB are directly addressable)
 * and by the UEFI loader (identity-mapped). Tables must therefore be
 * allocated below 4 GiB. */
#ifndef HYBOOT_PAGING_H
#define HYBOOT_PAGING_H

#include <stdint.h>

#define PG_PRESENT  (1ULL << 0)
#define PG_WRITE    (1ULL << 1)
#define PG_PWT      (1ULL << 3)
#define PG_PCD      (1ULL << 4)
#define PG_HUGE     (1ULL << 7)
#define PG_GLOBAL   (1ULL << 8)
#define PG_NX       (1ULL << 63)

struct paging {
    uint64_t pml4;                    /* physical address, load into CR3 */
    int      gb_pages;                /* CPUID 0x80000001 EDX bit 26 */
    /* Returns the physical address of a zeroed, 4 KiB-aligned page below
     * 4 GiB, or 0 when out of memory. */
    uint64_t (*alloc_page)(void *ctx);
    void     *ctx;
    uint32_t tables;                  /* pages allocated, for reporting */
};

/* Allocates the PML4. -1 when out of memory. */
int pg_init(struct paging *pg, uint64_t (*alloc_page)(void *ctx), void *ctx, int gb_pages);

/* Maps [virt, virt+len) to [phys, phys+len) with `flags` (PG_WRITE,
 * PG_PCD, ...). All three must be 4 KiB multiples. Uses 1 GiB pages (when
 * allowed) and 2 MiB pages wherever virt and phys are aligned alike.
 * -1 when out of memory or when asked to map over a different mapping. */
int pg_map(struct paging *pg, uint64_t virt, uint64_t phys, uint64_t len, uint64_t flags);

/* Does the CPU support 1 GiB pages? (CPUID 0x80000001:EDX[26]) */
int pg_cpu_has_gb_pages(void);

/* A bump allocator for alloc_page over a 4 KiB-aligned range below 4 GiB
 * that the loader obtained its own way: pg_pool_page(&pool) returns a
 * zeroed page, or 0 when the range is used up. */
struct pg_pool {
    uint64_t next, end;
};
uint64_t pg_pool_page(void *pool);

/* ---- the protocol's tables (docs/protocol.md), for both loaders ---------- */

/* The identity map's end: the top of memory, at least 4 GiB, rounded up
 * to 1 GiB. */
uint64_t pg_identity_end(uint64_t mem_top);

/* A physical range mapped on its own, identity and in the direct map. */
struct pg_range {
    uint64_t base, length;
};

/* What the kernel gets mapped. */
struct pg_layout {
    uint64_t ident_end;      /* identity map [0, ident_end) */
    uint64_t hhdm_offset;    /* direct map of [0, ident_end) at this offset; 0: none */
    uint64_t kernel_virt, kernel_phys, kernel_span;
    uint64_t fb_addr, fb_size;   /* framebuffer (fb_size 0: none): identity, and in the direct map */
    /* Memory-map ranges beyond ident_end (reserved windows far above RAM,
     * such as the HyperTransport hole QEMU reports for AMD CPU models):
     * mapped one by one rather than by stretching the linear maps over
     * the gap. Their pages, rounded out to 4 KiB. */
    const struct pg_range *extra;
    uint32_t nextra;
};

/* Pages a pool needs, at most, for pg_map_protocol. */
uint64_t pg_protocol_pages(const struct pg_layout *l, int gb_pages);

/* Maps everything in l. NULL, or which mapping could not be made
 * ("identity map", "direct map", "kernel", "framebuffer"). */
const char *pg_map_protocol(struct paging *pg, const struct pg_layout *l);

#endif
