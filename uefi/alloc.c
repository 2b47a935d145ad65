/* Memory for the boot flow through boot services (plat_alloc & co.).
 * Our long-lived allocations use OS-defined memory types, so the final
 * memory map tells them from the firmware's without bookkeeping: they
 * become BOOT_MEM_KERNEL / _MODULE / _LOADER (mmap_logic.c). */
#include "uefi.h"
#include "alloc.h"
#include "loader.h"
#include "mmap_logic.h"

static uint64_t pages_for(uint64_t bytes) { return (bytes + EFI_PAGE_BYTES - 1) / EFI_PAGE_BYTES; }

static uint32_t efi_type_for(uint32_t boot_type)
{
    switch (boot_type) {
    case BOOT_MEM_KERNEL: return EFIMT_OS_KERNEL;
    case BOOT_MEM_MODULE: return EFIMT_OS_MODULE;
    default:              return EFIMT_OS_LOADER;
    }
}

uint64_t alloc_pages(uint32_t type, uint64_t bytes, uint64_t max_addr)
{
    EFI_ALLOCATE_TYPE how = max_addr ? AllocateMaxAddress : AllocateAnyPages;
    EFI_PHYSICAL_ADDRESS addr = max_addr;
    EFI_STATUS s = efi_bs->AllocatePages(how, (EFI_MEMORY_TYPE)type, pages_for(bytes), &addr);
    /* Some older firmware rejects the OS-defined types. EfiLoaderData
     * still ends up BOOT_MEM_LOADER, and the flow marks kernel and
     * modules explicitly, so the map stays right. */
    if (s == EFI_INVALID_PARAMETER && type >= 0x80000000u) {
        addr = max_addr;
        s = efi_bs->AllocatePages(how, EfiLoaderData, pages_for(bytes), &addr);
    }
    if (EFI_ERROR(s) || addr == 0) return 0;
    return addr;
}

void free_pages(uint64_t addr, uint64_t bytes)
{
    if (addr && bytes) efi_bs->FreePages(addr, pages_for(bytes));
}

uint64_t plat_alloc(uint64_t bytes, uint64_t align, uint32_t type, uint64_t max_end)
{
    uint32_t t = efi_type_for(type);
    /* 32-bit firmware may still report (PAE) memory above 4 GiB; the
     * loader can only write what its pointers reach. */
    if (sizeof(void *) == 4 && (!max_end || max_end > (1ULL << 32)))
        max_end = 1ULL << 32;
    uint64_t max = max_end ? max_end - 1 : ANY_ADDR;
    bytes = pages_for(bytes) * EFI_PAGE_BYTES;
    if (align <= EFI_PAGE_BYTES)
        return alloc_pages(t, bytes, max);
    /* Larger alignment: take bytes + align, give back head and tail. */
    uint64_t raw = alloc_pages(t, bytes + align, max);
    if (!raw) return 0;
    uint64_t start = (raw + align - 1) & ~(align - 1);
    free_pages(raw, start - raw);
    free_pages(start + bytes, raw + align - start);
    return start;
}

void plat_free(uint64_t addr, uint64_t bytes)
{
    free_pages(addr, bytes ? bytes : 1);
}

/* GetMemoryMap into pool memory, translated (mmap_logic.c). */
void plat_memory_map(struct mm_map *m)
{
    UINTN size = 0, key, dsize = 0;
    UINT32 dver;
    m->count = 0;
    EFI_STATUS s = efi_bs->GetMemoryMap(&size, NULL, &key, &dsize, &dver);
    for (int tries = 0; s == EFI_BUFFER_TOO_SMALL && tries < 4; tries++) {
        void *buf = NULL;
        size += 8 * dsize;
        if (EFI_ERROR(efi_bs->AllocatePool(EfiLoaderData, size, &buf)))
            break;
        s = efi_bs->GetMemoryMap(&size, buf, &key, &dsize, &dver);
        if (!EFI_ERROR(s) && efi_map_translate(m, buf, size, dsize))
            s = EFI_BUFFER_TOO_SMALL;       /* more entries than m holds */
        efi_bs->FreePool(buf);
    }
    if (EFI_ERROR(s))
        die("GetMemoryMap: no memory map (%s)", efi_status_name(s));
}
