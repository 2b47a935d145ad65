/* Page allocations through boot services (plat_alloc is built on these). */
#ifndef HYBOOT_UEFI_ALLOC_H
#define HYBOOT_UEFI_ALLOC_H

#include <stdint.h>

#define EFI_PAGE_BYTES 4096ULL
#define BELOW_4G (0x100000000ULL - 1)   /* highest address of AllocateMaxAddress */
#define ANY_ADDR 0                       /* no limit */

/* Physical address of uninitialised pages covering `bytes`, of EFI
 * memory type `type`, ending at or below max_addr (ANY_ADDR: no limit);
 * 0 when the firmware says no. */
uint64_t alloc_pages(uint32_t type, uint64_t bytes, uint64_t max_addr);
void free_pages(uint64_t addr, uint64_t bytes);

/* The firmware's memory map as it is now, in the one buffer every look
 * shares (memmap_efi.c); -1 when the firmware gives none. */
int efi_map_fetch(const uint8_t **map, uint64_t *size, uint64_t *desc_size);

/* The kernel's range in boot-services memory (plat_kernel_late_range),
 * for the checks around ExitBootServices (memmap_efi.c); span 0: none. */
extern uint64_t efi_late_kernel_base, efi_late_kernel_span;

#endif
