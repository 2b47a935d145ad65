/* Getting the firmware's memory map and leaving boot services. */
#ifndef HYBOOT_UEFI_MEMMAP_EFI_H
#define HYBOOT_UEFI_MEMMAP_EFI_H

#include "uefi.h"

struct efi_map {
    uint8_t *buf;
    UINTN cap;          /* bytes allocated for buf */
    UINTN size;         /* bytes GetMemoryMap filled */
    UINTN key;
    UINTN desc_size;
    UINT32 desc_version;
};

/* Allocates a buffer (MEM_OS_LOADER) big enough for the map plus the
 * entries our later allocations add. Fatal on failure. */
void efi_map_prepare(struct efi_map *m);

/* Fills m from GetMemoryMap; returns its status. No allocation. */
EFI_STATUS efi_map_get(struct efi_map *m);

/* GetMemoryMap + ExitBootServices, retried while the map key changes;
 * nothing is printed or allocated in between. On return m holds the
 * final map and boot services are gone. Failure is fatal (on COM1). */
void efi_exit_boot_services(struct efi_map *m);

#endif
