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

/* Boot-services code and data: the firmware's, free once it has exited. */
static int is_bs(uint32_t type, uint64_t attr)
{
    return (type == EFIMT_BS_CODE || type == EFIMT_BS_DATA) && !(attr & EFI_MEMORY_RUNTIME_ATTR);
}

int efi_map_free_after_exit(const void *map, uint64_t map_size, uint64_t desc_size, uint64_t base,
                            uint64_t len)
{
    if (desc_size < EFIMD_MIN_SIZE || len == 0 || base + len < base) return 0;
    const uint8_t *p = map;
    uint64_t covered = 0, end = base + len;
    for (uint64_t off = 0; off + desc_size <= map_size; off += desc_size) {
        uint32_t type;
        uint64_t s, pages, attr;
        read_desc(p + off, &type, &s, &pages, &attr);
        if (pages == 0 || pages > MAX_PAGES) continue;
        uint64_t e = s + (pages << 12);
        uint64_t lo = s > base ? s : base, hi = e < end ? e : end;
        if (lo >= hi) continue;
        if (!is_bs(type, attr) && !(type == EFIMT_CONVENTIONAL && !(attr & EFI_MEMORY_RUNTIME_ATTR)))
            return 0;
        covered += hi - lo;
    }
    /* overlapping descriptors would count twice: only an exact cover passes */
    return covered == len;
}

#define FIT_RANGES 128

static int fit_kind(uint32_t type, uint64_t attr, int kind)
{
    if (kind == EFI_FIT_BS)
        return is_bs(type, attr);
    return type == EFIMT_CONVENTIONAL && !(attr & EFI_MEMORY_RUNTIME_ATTR);
}

uint64_t efi_map_fit(const void *map, uint64_t map_size, uint64_t desc_size, int kind, uint64_t bytes,
                     uint64_t align, uint64_t min_addr, uint64_t max_end)
{
    if (desc_size < EFIMD_MIN_SIZE || bytes == 0 || !align || (align & (align - 1))) return 0;
    /* One pass over the map, then sorted and joined: the loader runs this
     * under emulation too, where every pass over the map costs. Past
     * FIT_RANGES descriptors the rest are not candidates (never wrong,
     * only a choice less). */
    struct { uint64_t s, e; } r[FIT_RANGES];
    unsigned n = 0;
    const uint8_t *p = map;
    for (uint64_t off = 0; off + desc_size <= map_size && n < FIT_RANGES; off += desc_size) {
        uint32_t type;
        uint64_t s, pages, attr;
        read_desc(p + off, &type, &s, &pages, &attr);
        if (!fit_kind(type, attr, kind) || pages == 0 || pages > MAX_PAGES) continue;
        unsigned k = n++;
        for (; k > 0 && r[k - 1].s > s; k--)
            r[k] = r[k - 1];
        r[k].s = s;
        r[k].e = s + (pages << 12);
    }
    uint64_t best = 0;
    for (unsigned i = 0; i < n;) {
        uint64_t s = r[i].s, e = r[i].e;
        for (i++; i < n && r[i].s == e; i++)
            e = r[i].e;
        if (max_end && e > max_end)
            e = max_end;
        uint64_t at = e >= bytes ? (e - bytes) & ~(align - 1) : 0;
        if (e >= bytes && at >= s && at >= min_addr && at > best)
            best = at;
    }
    /* overlapping or odd descriptors: the exact check decides */
    return best && efi_map_free_after_exit(map, map_size, desc_size, best, bytes) ? best : 0;
}

static void write_desc(uint8_t *d, uint32_t type, uint64_t base, uint64_t pages)
{
    memcpy(d + EFIMD_OFF_TYPE, &type, 4);
    memcpy(d + EFIMD_OFF_PHYS, &base, 8);
    memcpy(d + EFIMD_OFF_PAGES, &pages, 8);
}

int efi_map_retype(void *map, uint64_t *map_size, uint64_t cap, uint64_t desc_size, uint64_t base,
                   uint64_t len, uint32_t new_type)
{
    /* only the descriptors across base and across base+len split: two
     * pieces at most, room checked before anything changes */
    if (desc_size < EFIMD_MIN_SIZE || (base | len) & 4095 || *map_size + 2 * desc_size > cap) return -1;
    uint8_t *p = map;
    uint64_t end = base + len;
    /* descriptors split off are appended and looked at in turn */
    for (uint64_t off = 0; off + desc_size <= *map_size; off += desc_size) {
        uint32_t type;
        uint64_t s, pages, attr;
        read_desc(p + off, &type, &s, &pages, &attr);
        if (pages == 0 || pages > MAX_PAGES) continue;
        uint64_t e = s + (pages << 12);
        if (e <= base || s >= end || type == new_type) continue;
        uint64_t lo = s, hi = e;
        if (s < base) lo = base;
        if (e > end) hi = end;
        if (lo != s || hi != e) {
            if (lo != s) {     /* the part below stays as it was */
                memcpy(p + *map_size, p + off, desc_size);
                write_desc(p + *map_size, type, s, (lo - s) >> 12);
                *map_size += desc_size;
            }
            if (hi != e) {     /* and the part above */
                memcpy(p + *map_size, p + off, desc_size);
                write_desc(p + *map_size, type, hi, (e - hi) >> 12);
                *map_size += desc_size;
            }
        }
        write_desc(p + off, new_type, lo, (hi - lo) >> 12);
    }
    return 0;
}
