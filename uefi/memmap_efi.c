/* GetMemoryMap and ExitBootServices (see memmap_efi.h). */
#include "memmap_efi.h"
#include "alloc.h"
#ifdef HYBOOT_TEST_MAP_CHANGE
#include "fmt.h"
#include "serial.h"
#endif

/* Our allocations after the size query each may split a free range in
 * two: 64 spare descriptors cover them with room to spare. */
#define SPARE_DESCRIPTORS 64
#define EXIT_ATTEMPTS 8

void efi_map_prepare(struct efi_map *m)
{
    m->size = 0;
    m->buf = NULL;
    EFI_STATUS s = efi_bs->GetMemoryMap(&m->size, NULL, &m->key, &m->desc_size, &m->desc_version);
    if (s != EFI_BUFFER_TOO_SMALL || m->desc_size == 0)
        uefi_fatal("GetMemoryMap: no memory map (%s)", efi_status_name(s));
    m->cap = m->size + SPARE_DESCRIPTORS * m->desc_size;
    m->buf = (uint8_t *)(uintptr_t)alloc_pages(MEM_OS_LOADER, m->cap, BELOW_4G);
    if (!m->buf) uefi_fatal("out of memory for the memory map (%llu bytes)", (unsigned long long)m->cap);
}

EFI_STATUS efi_map_get(struct efi_map *m)
{
    m->size = m->cap;
    return efi_bs->GetMemoryMap(&m->size, (EFI_MEMORY_DESCRIPTOR *)m->buf, &m->key,
                                &m->desc_size, &m->desc_version);
}

void efi_exit_boot_services(struct efi_map *m)
{
    EFI_STATUS s = efi_map_get(m);
    if (EFI_ERROR(s))
        uefi_fatal("GetMemoryMap failed (%s)", efi_status_name(s));
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
        s = efi_bs->ExitBootServices(efi_image, m->key);
        if (!EFI_ERROR(s)) {
#ifdef HYBOOT_TEST_MAP_CHANGE
            char line[96];
            fmt_snprintf(line, sizeof line, "hyboot: uefi test: ExitBootServices succeeded on attempt %d\n", i + 1);
            serial_init();
            serial_puts(line);
#endif
            return;
        }
        /* The map changed under us (an event allocated or freed memory).
         * After a failed ExitBootServices only the memory services may be
         * used: fetch the map again, print nothing. */
        if (EFI_ERROR(efi_map_get(m)))
            uefi_fatal_after_exit("ExitBootServices: GetMemoryMap failed on retry");
    }
    uefi_fatal_after_exit("ExitBootServices failed (the memory map key kept changing)");
}
