/* Page allocations through boot services. Our own long-lived allocations
 * use OS-defined memory types so the final memory map can tell them from
 * the firmware's: they become BOOT_MEM_KERNEL / BOOT_MEM_LOADER. */
#ifndef HYBOOT_UEFI_ALLOC_H
#define HYBOOT_UEFI_ALLOC_H

#include <stdint.h>

#define EFI_PAGE_BYTES 4096ULL
#define BELOW_4G (0x100000000ULL - 1)   /* highest address of AllocateMaxAddress */
#define ANY_ADDR 0                       /* no limit */

/* Types from the OS range (0x80000000..) of the UEFI spec. */
#define MEM_OS_KERNEL 0x80000001u   /* the kernel's loaded image */
#define MEM_OS_LOADER 0x80000002u   /* boot_info, map, cmdline, GDT, stack, page tables */

/* Physical address of uninitialised pages covering `bytes`,
 * of EFI memory type `type`, ending at or below max_addr (ANY_ADDR: no
 * limit); 0 when the firmware says no. */
uint64_t alloc_pages(uint32_t type, uint64_t bytes, uint64_t max_addr);
void free_pages(uint64_t addr, uint64_t bytes);

/* Like alloc_pages with ANY_ADDR, but `align`-aligned (a power of two,
 * >= 4 KiB): allocates bytes + align and gives the slack back. */
uint64_t alloc_aligned(uint32_t type, uint64_t bytes, uint64_t align);

#endif
