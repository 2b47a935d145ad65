/* Memory for the boot flow through boot services (plat_alloc & co.).
 * Our long-lived allocations use OS-defined memory types, so the final
 * memory map tells them from the firmware's without bookkeeping: they
 * become BOOT_MEM_KERNEL / _MODULE / _LOADER (mmap_logic.c). */
#include "uefi.h"
#include "alloc.h"
#include "loader.h"
#include "elf.h"
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

/* The highest `align`-aligned start of `bytes` of free (conventional)
 * memory ending at or below max (ANY_ADDR: anywhere), taken with
 * AllocateAddress; 0 when there is none. One allocation and no give-back:
 * freeing the slack of a larger allocation cost 4-20 ms per FreePages
 * under OVMF (docs/performance.md). */
static uint64_t alloc_aligned_at(uint32_t type, uint64_t bytes, uint64_t align, uint64_t max)
{
    const uint8_t *map;
    uint64_t size, dsize;
    if (efi_map_fetch(&map, &size, &dsize))
        return 0;
    uint64_t best = efi_map_fit(map, size, dsize, EFI_FIT_FREE, bytes, align, 0, max ? max + 1 : 0);
    if (!best)
        return 0;
    EFI_PHYSICAL_ADDRESS addr = best;
    if (EFI_ERROR(efi_bs->AllocatePages(AllocateAddress, (EFI_MEMORY_TYPE)type, pages_for(bytes), &addr)))
        return 0;
    return addr;
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
    uint64_t at = alloc_aligned_at(t, bytes, align, max);
    if (at)
        return at;
    /* Firmware that refused the address: take bytes + align, give back
     * head and tail. */
    uint64_t raw = alloc_pages(t, bytes + align, max);
    if (!raw) return 0;
    uint64_t start = (raw + align - 1) & ~(align - 1);
    free_pages(raw, start - raw);
    free_pages(start + bytes, raw + align - start);
    return start;
}

uint64_t efi_late_kernel_base, efi_late_kernel_span;

/* The kernel goes into boot-services memory, copied at the jump (64-bit
 * loader only: the 32-bit one enters long mode through long_mode32.S and
 * places it at once). Boot-services memory is what the firmware has
 * already used: under QEMU the first write to a never-touched 2 MiB of
 * guest RAM costs ~5 ms (the host faults in a huge page), a third of
 * this loader's time (docs/performance.md); on a real machine it is
 * merely as good as any other free memory. */
int plat_kernel_late(void)
{
    return sizeof(void *) == 8;
}

/* 1 when [at, at+span) holds a firmware table the kernel is handed (ACPI,
 * SMBIOS and the rest of the configuration table): those must survive
 * even where the firmware put them in boot-services memory. */
static int holds_config_table(uint64_t at, uint64_t span)
{
    for (UINTN i = 0; i < efi_st->NumberOfTableEntries; i++) {
        uint64_t t = (uintptr_t)efi_st->ConfigurationTable[i].VendorTable;
        if (t + 4096 > at && t < at + span)
            return 1;
    }
    return 0;
}

uint64_t plat_kernel_late_range(uint64_t span)
{
    const uint8_t *map;
    uint64_t size, dsize;
    if (efi_map_fetch(&map, &size, &dsize))
        return 0;
    /* above the first 16 MiB: low memory is where legacy devices and
     * firmware quirks live */
    uint64_t at = efi_map_fit(map, size, dsize, EFI_FIT_BS, span, ELF_SPAN_ALIGN, 16ULL << 20, 0);
    if (!at || holds_config_table(at, span))
        return 0;
    efi_late_kernel_base = at;
    efi_late_kernel_span = span;
    return at;
}

/* Temporary buffers (a file before its bytes are placed) are not given
 * back: FreePages costs milliseconds under OVMF, and the pages are
 * BOOT_MEM_LOADER in the final map, which the kernel reclaims anyway. */
void plat_free(uint64_t addr, uint64_t bytes)
{
    (void)addr;
    (void)bytes;
}

/* The firmware's map (memmap_efi.c's buffer), translated (mmap_logic.c). */
void plat_memory_map(struct mm_map *m)
{
    const uint8_t *map;
    uint64_t size, dsize;
    m->count = 0;
    if (efi_map_fetch(&map, &size, &dsize))
        die("GetMemoryMap: no memory map");
    if (efi_map_translate(m, map, size, dsize))
        die("memory map: more than %u entries", (unsigned)m->cap);
}
