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

/* Our allocations after the size query each may split a free range in
 * two: 64 spare descriptors cover them with room to spare. */
#define SPARE_DESCRIPTORS 64
#define EXIT_ATTEMPTS 8

static struct {
    uint8_t *buf;
    UINTN cap, size, key, desc_size;
    UINT32 desc_version;
} raw;

/* Sizes and allocates the buffer for the final map (it stays, as
 * loader memory, for the kernel: boot_info.efi_mmap_*). */
uint32_t plat_map_capacity(void)
{
    raw.size = 0;
    EFI_STATUS s = efi_bs->GetMemoryMap(&raw.size, NULL, &raw.key, &raw.desc_size, &raw.desc_version);
    if (s != EFI_BUFFER_TOO_SMALL || raw.desc_size == 0)
        die("GetMemoryMap: no memory map (%s)", efi_status_name(s));
    raw.cap = raw.size + SPARE_DESCRIPTORS * raw.desc_size;
    raw.buf = (uint8_t *)(uintptr_t)alloc_pages(EFIMT_OS_LOADER, raw.cap, BELOW_4G);
    if (!raw.buf)
        die("not enough memory for the memory map (%llu bytes)", (unsigned long long)raw.cap);
    /* Each EFI entry becomes at most one protocol entry. */
    return (uint32_t)(raw.cap / raw.desc_size) + 16;
}

static EFI_STATUS get_map(void)
{
    raw.size = raw.cap;
    return efi_bs->GetMemoryMap(&raw.size, (EFI_MEMORY_DESCRIPTOR *)raw.buf, &raw.key, &raw.desc_size,
                                &raw.desc_version);
}

/* GetMemoryMap + ExitBootServices, retried while the map key changes;
 * nothing is printed or allocated in between. */
static void exit_boot_services(void)
{
    EFI_STATUS s = get_map();
    if (EFI_ERROR(s))
        die("GetMemoryMap failed (%s)", efi_status_name(s));
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
    }
    die("ExitBootServices failed (the memory map key kept changing)");
}

void plat_exit_firmware(struct mm_map *m, struct boot_info *bi)
{
    exit_boot_services();
    /* No firmware from here on, and no interrupts: the firmware's timer
     * is stopped, but its IDT stays loaded until the hand-off. */
    if (efi_map_translate(m, raw.buf, raw.size, raw.desc_size))
        die("memory map: more entries than room for them");
    bi->efi_system_table = (uintptr_t)efi_st;
    bi->efi_mmap_addr = (uintptr_t)raw.buf;
    bi->efi_mmap_size = raw.size;
    bi->efi_mmap_desc_size = (uint32_t)raw.desc_size;
    bi->efi_mmap_desc_version = raw.desc_version;
}
