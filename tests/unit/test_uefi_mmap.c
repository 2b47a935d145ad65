/* UEFI memory map -> boot protocol map (uefi/mmap_logic.c). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "mmap_logic.h"

/* Firmware descriptors are usually 48 bytes (40 defined + padding). */
#define DESC 48

struct raw { uint32_t type; uint64_t base, pages, attr; };

static size_t build(uint8_t *buf, const struct raw *r, unsigned n, size_t stride)
{
    memset(buf, 0xa5, n * stride);   /* padding must be ignored */
    for (unsigned i = 0; i < n; i++) {
        uint8_t *d = buf + i * stride;
        memcpy(d + EFIMD_OFF_TYPE, &r[i].type, 4);
        memset(d + 4, 0, 4);
        memcpy(d + EFIMD_OFF_PHYS, &r[i].base, 8);
        memset(d + 16, 0, 8);
        memcpy(d + EFIMD_OFF_PAGES, &r[i].pages, 8);
        memcpy(d + EFIMD_OFF_ATTR, &r[i].attr, 8);
    }
    return n * stride;
}

static void test_types(void)
{
    CHECK(efi_mem_to_boot(EFIMT_CONVENTIONAL, 0) == BOOT_MEM_USABLE, "conventional is usable");
    CHECK(efi_mem_to_boot(EFIMT_BS_CODE, 0) == BOOT_MEM_USABLE &&
          efi_mem_to_boot(EFIMT_BS_DATA, 0) == BOOT_MEM_USABLE, "boot services code/data usable");
    CHECK(efi_mem_to_boot(EFIMT_LOADER_CODE, 0) == BOOT_MEM_LOADER &&
          efi_mem_to_boot(EFIMT_LOADER_DATA, 0) == BOOT_MEM_LOADER, "loader code/data reclaimable, not usable");
    CHECK(efi_mem_to_boot(EFIMT_OS_LOADER, 0) == BOOT_MEM_LOADER, "our loader type -> loader");
    CHECK(efi_mem_to_boot(EFIMT_OS_KERNEL, 0) == BOOT_MEM_KERNEL, "our kernel type -> kernel");
    CHECK(efi_mem_to_boot(EFIMT_RT_CODE, EFI_MEMORY_RUNTIME_ATTR) == BOOT_MEM_RESERVED &&
          efi_mem_to_boot(EFIMT_RT_DATA, EFI_MEMORY_RUNTIME_ATTR) == BOOT_MEM_RESERVED, "runtime services reserved");
    CHECK(efi_mem_to_boot(EFIMT_MMIO, 0) == BOOT_MEM_RESERVED &&
          efi_mem_to_boot(EFIMT_MMIO_PORT, 0) == BOOT_MEM_RESERVED, "MMIO reserved");
    CHECK(efi_mem_to_boot(EFIMT_ACPI_RECLAIM, 0) == BOOT_MEM_ACPI_RECLAIM, "ACPI reclaim");
    CHECK(efi_mem_to_boot(EFIMT_ACPI_NVS, 0) == BOOT_MEM_ACPI_NVS, "ACPI NVS");
    CHECK(efi_mem_to_boot(EFIMT_UNUSABLE, 0) == BOOT_MEM_BAD, "unusable is bad");
    CHECK(efi_mem_to_boot(EFIMT_RESERVED, 0) == BOOT_MEM_RESERVED &&
          efi_mem_to_boot(EFIMT_UNACCEPTED, 0) == BOOT_MEM_RESERVED &&
          efi_mem_to_boot(EFIMT_PERSISTENT, 0) == BOOT_MEM_RESERVED &&
          efi_mem_to_boot(0x70000000u, 0) == BOOT_MEM_RESERVED &&
          efi_mem_to_boot(0x80000007u, 0) == BOOT_MEM_RESERVED, "reserved, unaccepted, OEM, unknown OS types reserved");
    CHECK(efi_mem_to_boot(EFIMT_CONVENTIONAL, EFI_MEMORY_RUNTIME_ATTR) == BOOT_MEM_RESERVED &&
          efi_mem_to_boot(EFIMT_BS_DATA, EFI_MEMORY_RUNTIME_ATTR | 0xf) == BOOT_MEM_RESERVED,
          "FW_EFI_MEMORY_RUNTIME keeps any range reserved");
    CHECK(efi_mem_to_boot(EFIMT_ACPI_NVS, EFI_MEMORY_RUNTIME_ATTR) == BOOT_MEM_ACPI_NVS,
          "runtime ACPI NVS stays NVS");
}

/* A map shaped like OVMF's, unsorted, with a zero-length entry. */
static void test_translate(void)
{
    static const struct raw r[] = {
        { EFIMT_BS_CODE,      0x0,        0xa0,  0xf },
        { EFIMT_CONVENTIONAL, 0x100000,   0x700, 0xf },
        { EFIMT_ACPI_NVS,     0x800000,   0x8,   0xf },
        { EFIMT_CONVENTIONAL, 0x808000,   0x0,   0xf },   /* zero-length: skipped */
        { EFIMT_OS_KERNEL,    0x1000000,  0x200, 0xf },
        { EFIMT_LOADER_CODE,  0x1200000,  0x10,  0xf },
        { EFIMT_OS_LOADER,    0x1210000,  0x20,  0xf },
        { EFIMT_BS_DATA,      0x1230000,  0x1d0, 0xf },
        { EFIMT_RT_DATA,      0x1400000,  0x10,  EFI_MEMORY_RUNTIME_ATTR | 0xf },
        { EFIMT_CONVENTIONAL, 0x1410000,  0x3f0, 0xf },
        { EFIMT_MMIO,         0xffc00000, 0x400, EFI_MEMORY_RUNTIME_ATTR | 1 },
        { EFIMT_CONVENTIONAL, 0x808000,   0x7f8, 0xf },   /* out of order */
    };
    uint8_t buf[sizeof r / sizeof r[0] * DESC];
    size_t size = build(buf, r, sizeof r / sizeof r[0], DESC);
    struct boot_mmap_entry e[32];
    struct mm_map m;
    mm_init(&m, e, 32);
    CHECK(efi_map_translate(&m, buf, size, DESC) == 0, "translate succeeds");
    CHECK(mm_check(m.e, m.count) == NULL, "result passes mm_check (sorted, no overlap, no zero length)");
    int ok = m.count == 10 &&
        e[0].base == 0 && e[0].length == 0xa0000 && e[0].type == BOOT_MEM_USABLE &&
        e[1].base == 0x100000 && e[1].length == 0x700000 && e[1].type == BOOT_MEM_USABLE &&
        e[2].base == 0x800000 && e[2].length == 0x8000 && e[2].type == BOOT_MEM_ACPI_NVS &&
        e[3].base == 0x808000 && e[3].length == 0x7f8000 && e[3].type == BOOT_MEM_USABLE &&
        e[4].base == 0x1000000 && e[4].length == 0x200000 && e[4].type == BOOT_MEM_KERNEL &&
        e[5].base == 0x1200000 && e[5].length == 0x30000 && e[5].type == BOOT_MEM_LOADER &&
        e[6].base == 0x1230000 && e[6].length == 0x1d0000 && e[6].type == BOOT_MEM_USABLE &&
        e[8].base == 0x1410000 && e[8].length == 0x3f0000 && e[8].type == BOOT_MEM_USABLE &&
        e[9].base == 0xffc00000 && e[9].length == 0x400000 && e[9].type == BOOT_MEM_RESERVED;
    CHECK(ok, "entries translated, merged and sorted");
    if (!ok)
        for (uint32_t i = 0; i < m.count; i++)
            printf("    %#llx +%#llx %s\n", (unsigned long long)e[i].base,
                   (unsigned long long)e[i].length, mm_type_name(e[i].type));
    /* 0x1400000 runtime data, then conventional 0x1410000, then MMIO. */
    CHECK(m.count >= 8 && e[7].base == 0x1400000 && e[7].type == BOOT_MEM_RESERVED,
          "runtime data reserved");
    CHECK(efi_map_top(buf, size, DESC) == 0x100000000ULL, "top is the end of the highest entry (MMIO)");
}

static void test_limits(void)
{
    static const struct raw r[] = {
        { EFIMT_CONVENTIONAL, 0x0,      0x10, 0 },
        { EFIMT_RT_CODE,      0x10000,  0x10, EFI_MEMORY_RUNTIME_ATTR },
        { EFIMT_CONVENTIONAL, 0x20000,  0x10, 0 },
    };
    uint8_t buf[3 * 40];
    size_t size = build(buf, r, 3, 40);
    struct boot_mmap_entry e[2];
    struct mm_map m;
    mm_init(&m, e, 2);
    CHECK(efi_map_translate(&m, buf, size, 40) == -1, "translate reports a full array");
    struct boot_mmap_entry e2[4];
    mm_init(&m, e2, 4);
    CHECK(efi_map_translate(&m, buf, size, 40) == 0 && m.count == 3, "40-byte descriptors work");
    CHECK(efi_map_translate(&m, buf, size, 32) == -1, "a stride below 40 bytes is refused");
    mm_init(&m, e2, 4);
    CHECK(efi_map_translate(&m, buf, 0, DESC) == 0 && m.count == 0, "an empty map gives no entries");
    CHECK(efi_map_top(buf, 0, DESC) == 0, "empty map top 0");
}

#define MIB (1ULL << 20)

/* The kernel's range in boot-services memory (alloc.c's late placement). */
static void test_fit(void)
{
    /* BS data and code adjacent (a 4 MiB run at 32 MiB, unsorted), a
     * lone 1 MiB of BS data, a runtime-flagged BS range, conventional
     * memory below 32 MiB, loader code at 36 MiB */
    static const struct raw r[] = {
        { EFIMT_BS_CODE,      34 * MIB, 512,  0 },
        { EFIMT_CONVENTIONAL, 0,        8192, 0 },
        { EFIMT_BS_DATA,      32 * MIB, 512,  0 },
        { EFIMT_BS_DATA,      40 * MIB, 256,  0 },
        { EFIMT_BS_DATA,      64 * MIB, 2048, EFI_MEMORY_RUNTIME_ATTR },
        { EFIMT_LOADER_CODE,  36 * MIB, 16,   0 },
    };
    uint8_t buf[8 * DESC];
    uint64_t size = build(buf, r, 6, DESC);
    CHECK(efi_map_fit(buf, size, DESC, EFI_FIT_BS, 2 * MIB, 2 * MIB, 16 * MIB, 0) == 34 * MIB,
          "bs range: the highest 2 MiB-aligned start in a run of boot-services memory");
    CHECK(efi_map_fit(buf, size, DESC, EFI_FIT_BS, 4 * MIB, 2 * MIB, 16 * MIB, 0) == 32 * MIB,
          "bs range: adjacent code and data descriptors make one run");
    CHECK(efi_map_fit(buf, size, DESC, EFI_FIT_BS, 6 * MIB, 2 * MIB, 16 * MIB, 0) == 0,
          "bs range: none when no run is long enough (runtime-flagged memory never counts)");
    CHECK(efi_map_fit(buf, size, DESC, EFI_FIT_BS, 2 * MIB, 2 * MIB, 35 * MIB, 0) == 0,
          "bs range: nothing below min_addr");
    CHECK(efi_map_fit(buf, size, DESC, EFI_FIT_FREE, 2 * MIB, 2 * MIB, 0, 0) == 30 * MIB &&
              efi_map_fit(buf, size, DESC, EFI_FIT_FREE, 2 * MIB, 2 * MIB, 0, 17 * MIB) == 14 * MIB,
          "fit: conventional memory, below a limit when asked");
    CHECK(efi_map_free_after_exit(buf, size, DESC, 30 * MIB, 6 * MIB) &&
              !efi_map_free_after_exit(buf, size, DESC, 34 * MIB, 4 * MIB) &&
              !efi_map_free_after_exit(buf, size, DESC, 35 * MIB, 2 * MIB) &&
              !efi_map_free_after_exit(buf, size, DESC, 38 * MIB, 3 * MIB),
          "free after exit: conventional and boot-services memory only, wholly covered");

    /* retype 33..35 MiB: both descriptors split, their outer parts appended */
    uint64_t cap = sizeof buf;
    CHECK(efi_map_retype(buf, &size, cap, DESC, 33 * MIB, 2 * MIB, EFIMT_OS_KERNEL) == 0 && size == 8 * DESC,
          "retype: two straddling descriptors split into four");
    struct boot_mmap_entry e[16];
    struct mm_map m;
    mm_init(&m, e, 16);
    int ok = efi_map_translate(&m, buf, size, DESC) == 0;
    int kernel = 0, below = 0, above = 0;
    for (uint32_t i = 0; ok && i < m.count; i++) {
        if (e[i].type == BOOT_MEM_KERNEL)
            kernel = e[i].base == 33 * MIB && e[i].length == 2 * MIB;
        if (e[i].type == BOOT_MEM_USABLE && e[i].base == 0)
            below = e[i].length == 33 * MIB;     /* conventional + BS data joined */
        if (e[i].type == BOOT_MEM_USABLE && e[i].base == 35 * MIB)
            above = e[i].length == MIB;
    }
    CHECK(ok && kernel && below && above, "retype: the range is the kernel's, the rest as it was");
    uint64_t full = size;
    CHECK(efi_map_retype(buf, &full, size + DESC, DESC, 40 * MIB, 4096, EFIMT_OS_KERNEL) == -1 && full == size,
          "retype: refused, untouched, without room for two pieces");
}

int main(void)
{
    test_fit();
    test_types();
    test_translate();
    test_limits();
    return check_exit();
}
