/* Page-table walks (see vm.h). 4-level paging only, which is what both
 * loaders set up. */
#include "vm.h"

#include "cpu.h"

#define PTE_P    1ULL
#define PTE_PS   (1ULL << 7)
#define ADDR_MASK 0x000ffffffffff000ULL

static const uint64_t *table(uint64_t entry)
{
    return (const uint64_t *)(uintptr_t)(entry & ADDR_MASK);
}

uint64_t vm_translate(uint64_t virt, int *ok)
{
    uint64_t size;
    return vm_translate_page(virt, ok, &size);
}

uint64_t vm_translate_page(uint64_t virt, int *ok, uint64_t *page_size)
{
    *ok = 0;
    *page_size = 0;
    uint64_t e = read_cr3();
    for (int level = 3; level >= 0; level--) {
        unsigned shift = 12 + 9 * (unsigned)level;
        e = table(e)[(virt >> shift) & 511];
        if (!(e & PTE_P))
            return 0;
        /* 1 GiB (level 2) and 2 MiB (level 1) pages end the walk */
        if (level == 0 || ((level == 1 || level == 2) && (e & PTE_PS))) {
            uint64_t page_mask = (1ULL << shift) - 1;
            *ok = 1;
            *page_size = page_mask + 1;
            return ((e & ADDR_MASK) & ~page_mask) | (virt & page_mask);
        }
    }
    return 0;
}

int vm_identity(uint64_t phys, uint64_t len)
{
    if (len == 0)
        len = 1;
    if (phys + len < phys || phys + len > 0x0000800000000000ULL)
        return 0;
    /* one walk per page, or per large page where one maps the range */
    uint64_t end = phys + len;
    for (uint64_t a = phys; a < end;) {
        int ok;
        uint64_t size;
        if (vm_translate_page(a, &ok, &size) != a || !ok)
            return 0;
        a = (a & ~(size - 1)) + size;
    }
    return 1;
}

uint64_t vm_find_unmapped(void)
{
    const uint64_t *pml4 = table(read_cr3());
    /* lower half only (canonical), skipping slot 0 where the identity
     * map lives; first a whole free 512 GiB slot, then a free 1 GiB one */
    for (uint64_t i = 1; i < 256; i++)
        if (!(pml4[i] & PTE_P))
            return i << 39;
    for (uint64_t i = 0; i < 256; i++) {
        if (pml4[i] & PTE_PS)
            continue;
        const uint64_t *pdpt = table(pml4[i]);
        for (uint64_t j = 0; j < 512; j++)
            if (!(pdpt[j] & PTE_P))
                return i << 39 | j << 30;
    }
    return 0;
}
