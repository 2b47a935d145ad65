/* UEFI memory map translation (see mmap_logic.h). */
#include "mmap_logic.h"
#include "mem.h"

uint32_t efi_mem_to_boot(uint32_t efi_type, uint64_t attr)
{
    uint32_t t;
    switch (efi_type) {
    case EFIMT_CONVENTIONAL:
    case EFIMT_BS_CODE:
    case EFIMT_BS_DATA:
        t = BOOT_MEM_USABLE; break;
    case EFIMT_LOADER_CODE:
    case EFIMT_LOADER_DATA:
    case EFIMT_OS_LOADER:
        t = BOOT_MEM_LOADER; break;
    case EFIMT_OS_KERNEL:
        t = BOOT_MEM_KERNEL; break;
    case EFIMT_OS_MODULE:
        t = BOOT_MEM_MODULE; break;
    case EFIMT_ACPI_RECLAIM:
        t = BOOT_MEM_ACPI_RECLAIM; break;
    case EFIMT_ACPI_NVS:
        t = BOOT_MEM_ACPI_NVS; break;
    case EFIMT_UNUSABLE:
        t = BOOT_MEM_BAD; break;
    default:   /* reserved, runtime services, MMIO, PAL, persistent, unaccepted, OEM */
        t = BOOT_MEM_RESERVED; break;
    }
    /* The OS must keep runtime ranges intact and unmoved for firmware. */
    if ((attr & EFI_MEMORY_RUNTIME_ATTR) &&
        (t == BOOT_MEM_USABLE || t == BOOT_MEM_LOADER || t == BOOT_MEM_ACPI_RECLAIM))
        t = BOOT_MEM_RESERVED;
    return t;
}

static void read_desc(const uint8_t *d, uint32_t *type, uint64_t *base, uint64_t *pages, uint64_t *attr)
{
    memcpy(type, d + EFIMD_OFF_TYPE, 4);
    memcpy(base, d + EFIMD_OFF_PHYS, 8);
    memcpy(pages, d + EFIMD_OFF_PAGES, 8);
    memcpy(attr, d + EFIMD_OFF_ATTR, 8);
}

/* Page counts beyond 2^52 would overflow the byte length. */
#define MAX_PAGES (1ULL << 52)

int efi_map_translate(struct mm_map *m, const void *map, uint64_t map_size, uint64_t desc_size)
{
    if (desc_size < EFIMD_MIN_SIZE) return -1;
    const uint8_t *p = map;
    for (uint64_t off = 0; off + desc_size <= map_size; off += desc_size) {
        uint32_t type;
        uint64_t base, pages, attr;
        read_desc(p + off, &type, &base, &pages, &attr);
        if (pages == 0) continue;   /* real firmware emits zero-length entries */
        if (pages > MAX_PAGES) pages = MAX_PAGES;
        if (mm_add(m, base, pages << 12, efi_mem_to_boot(type, attr)) != 0) return -1;
    }
    return mm_normalize(m);
}

uint64_t efi_map_top(const void *map, uint64_t map_size, uint64_t desc_size)
{
    uint64_t top = 0;
    if (desc_size < EFIMD_MIN_SIZE) return 0;
    const uint8_t *p = map;
    for (uint64_t off = 0; off + desc_size <= map_size; off += desc_size) {
        uint32_t type;
        uint64_t base, pages, attr;
        read_desc(p + off, &type, &base, &pages, &attr);
        if (pages == 0 || pages > MAX_PAGES) continue;
        if (base + (pages << 12) > top) top = base + (pages << 12);
    }
    return top;
}
