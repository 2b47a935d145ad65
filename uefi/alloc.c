/* Page allocations through boot services (see alloc.h). */
#include "uefi.h"
#include "alloc.h"
#include "mem.h"

static uint64_t pages_for(uint64_t bytes) { return (bytes + EFI_PAGE_BYTES - 1) / EFI_PAGE_BYTES; }

uint64_t alloc_pages(uint32_t type, uint64_t bytes, uint64_t max_addr)
{
    EFI_ALLOCATE_TYPE how = max_addr ? AllocateMaxAddress : AllocateAnyPages;
    EFI_PHYSICAL_ADDRESS addr = max_addr;
    EFI_STATUS s = efi_bs->AllocatePages(how, (EFI_MEMORY_TYPE)type, pages_for(bytes), &addr);
    /* Some older firmware rejects the OS-defined types. EfiLoaderData
     * still ends up BOOT_MEM_LOADER, and the kernel range is marked
     * BOOT_MEM_KERNEL explicitly, so the map stays right. */
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

uint64_t alloc_aligned(uint32_t type, uint64_t bytes, uint64_t align)
{
    bytes = pages_for(bytes) * EFI_PAGE_BYTES;
    uint64_t raw = alloc_pages(type, bytes + align, ANY_ADDR);
    if (!raw) return 0;
    uint64_t start = (raw + align - 1) & ~(align - 1);
    /* Give back the head and tail slack; the firmware splits the range. */
    free_pages(raw, start - raw);
    free_pages(start + bytes, raw + align - start);
    return start;
}
