/* The final memory map and ExitBootServices (plat_map_capacity,
 * plat_exit_firmware). */
#include "uefi.h"
#include "alloc.h"
#include "loader.h"
#include "mmap_logic.h"
#include "serial.h"
#ifdef HYBOOT_TEST_MAP_CHANGE
#include "fmt.h"
#endif

/* Our allocations after a size query each may split a free range in
 * two: 64 spare descriptors cover them with room to spare. */
#define SPARE_DESCRIPTORS 64
#define EXIT_ATTEMPTS 8

/* The firmware's map, in one buffer for every look at it: the survey at
 * the start, the search for the kernel's 2 MiB-aligned place, the final
 * map (which stays, as loader memory, for the kernel:
 * boot_info.efi_mmap_*). One buffer instead of a pool allocation per
 * look: each AllocatePool/FreePool pair cost 0.3-1.3 ms under OVMF. */
static struct {
    uint8_t *buf;
    UINTN cap, size, key, desc_size;
    UINT32 desc_version;
} raw;

static EFI_STATUS get_map(void)
{
    raw.size = raw.cap;
    return efi_bs->GetMemoryMap(&raw.size, (EFI_MEMORY_DESCRIPTOR *)raw.buf, &raw.key, &raw.desc_size,
                                &raw.desc_version);
}

/* A buffer with room for `spare` more descriptors than the map has now.
 * A buffer outgrown is not freed (FreePages costs milliseconds under
 * OVMF; it is loader memory, which the kernel reclaims). */
static int reserve(UINTN needed, UINTN spare)
{
    UINTN dsize = raw.desc_size ? raw.desc_size : sizeof(EFI_MEMORY_DESCRIPTOR);
    if (raw.buf && raw.cap >= needed + spare * dsize)
        return 0;
    UINTN cap = needed + 2 * spare * dsize;
    cap = (cap + EFI_PAGE_BYTES - 1) & ~(UINTN)(EFI_PAGE_BYTES - 1);
    uint8_t *buf = (uint8_t *)(uintptr_t)alloc_pages(EFIMT_OS_LOADER, cap, BELOW_4G);
    if (!buf)
        return -1;
    raw.buf = buf;
    raw.cap = cap;
    return 0;
}

int efi_map_fetch(const uint8_t **map, uint64_t *size, uint64_t *desc_size)
{
    EFI_STATUS s = get_map();
    for (int tries = 0; s == EFI_BUFFER_TOO_SMALL && tries < 4; tries++) {
        if (reserve(raw.size, SPARE_DESCRIPTORS))
            return -1;
        s = get_map();
    }
    if (EFI_ERROR(s) || !raw.desc_size)
        return -1;
    *map = raw.buf;
    *size = raw.size;
    *desc_size = raw.desc_size;
    return 0;
}

/* Room for the final map: every allocation since the last look (files,
 * modules, the hand-off block) may have added descriptors. */
uint32_t plat_map_capacity(void)
{
    const uint8_t *map;
    uint64_t size, dsize;
    if (efi_map_fetch(&map, &size, &dsize))
        die("GetMemoryMap: no memory map");
    if (reserve(raw.size, SPARE_DESCRIPTORS))
        die("not enough memory for the memory map (%llu bytes)", (unsigned long long)raw.cap);
    /* Each EFI entry becomes at most one protocol entry. */
    return (uint32_t)(raw.cap / raw.desc_size) + 16;
}

/* The kernel's late range must still be firmware memory that is free
 * once it exits: nothing is allocated between choosing it and here, so
 * this only fails if the firmware changed its map on its own. */
static void check_late_kernel_range(void)
{
    if (efi_late_kernel_span &&
        !efi_map_free_after_exit(raw.buf, raw.size, raw.desc_size, efi_late_kernel_base, efi_late_kernel_span))
        die("memory map: the firmware took memory at 0x%llx that was chosen for the kernel",
            (unsigned long long)efi_late_kernel_base);
}

/* GetMemoryMap + ExitBootServices, retried while the map key changes;
 * nothing is printed or allocated in between. */
static void exit_boot_services(void)
{
    EFI_STATUS s = get_map();
    if (EFI_ERROR(s))
        die("GetMemoryMap failed (%s)", efi_status_name(s));
    check_late_kernel_range();
    for (int i = 0; i < EXIT_ATTEMPTS; i++) {
#ifdef HYBOOT_TEST_MAP_CHANGE
        /* Test builds (tests/uefi/test_uefi_ebs_retry.sh): change the map
         * between GetMemoryMap and ExitBootServices, as a firmware event
         * may: once (=1), so the retry below really runs, or every time
         * (=2), so the give-up path does. */
        if (i == 0 || HYBOOT_TEST_MAP_CHANGE == 2) {
            EFI_PHYSICAL_ADDRESS a = 0;
            efi_bs->AllocatePages(AllocateAnyPages, EfiLoaderData, 1, &a);
        }
#endif
        s = efi_bs->ExitBootServices(efi_image, raw.key);
        if (!EFI_ERROR(s)) {
            uefi_exited = 1;
            __asm__ volatile("cli");
#ifdef HYBOOT_TEST_MAP_CHANGE
            char line[96];
            fmt_snprintf(line, sizeof line, "uefi test: ExitBootServices succeeded on attempt %d", i + 1);
            plat_say(line);
#endif
            return;
        }
        /* The map changed under us (an event allocated or freed memory).
         * After a failed ExitBootServices only the memory services may be
         * used: fetch the map again, print nothing. */
        uefi_exited = 1;       /* the console may be gone already */
        if (EFI_ERROR(get_map()))
            die("ExitBootServices: GetMemoryMap failed on retry");
        check_late_kernel_range();
    }
    die("ExitBootServices failed (the memory map key kept changing)");
}

void plat_exit_firmware(struct mm_map *m, struct boot_info *bi)
{
    exit_boot_services();
    /* No firmware from here on, and no interrupts: the firmware's timer
     * is stopped, but its IDT stays loaded until the hand-off. The
     * kernel's late range becomes ours: the EFI map the kernel gets says
     * so too (its spare room holds the split pieces; without room the
     * protocol map, which always says so, is the one to trust). */
    if (efi_late_kernel_span) {
        uint64_t size = raw.size;
        if (!efi_map_retype(raw.buf, &size, raw.cap, raw.desc_size, efi_late_kernel_base,
                            efi_late_kernel_span, EFIMT_OS_KERNEL))
            raw.size = (UINTN)size;
    }
    if (efi_map_translate(m, raw.buf, raw.size, raw.desc_size))
        die("memory map: more entries than room for them");
    bi->efi_system_table = (uintptr_t)efi_st;
    bi->efi_mmap_addr = (uintptr_t)raw.buf;
    bi->efi_mmap_size = raw.size;
    bi->efi_mmap_desc_size = (uint32_t)raw.desc_size;
    bi->efi_mmap_desc_version = raw.desc_version;
}
