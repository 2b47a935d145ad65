/* UEFI memory map -> boot protocol map, free of EFI headers so the host
 * unit tests can check it (tests/unit/test_uefi_mmap.c). */
#ifndef HYBOOT_UEFI_MMAP_LOGIC_H
#define HYBOOT_UEFI_MMAP_LOGIC_H

#include <stddef.h>
#include <stdint.h>
#include "memmap.h"

/* EFI_MEMORY_TYPE values (UEFI spec 7.2). */
#define EFIMT_RESERVED          0
#define EFIMT_LOADER_CODE       1
#define EFIMT_LOADER_DATA       2
#define EFIMT_BS_CODE           3
#define EFIMT_BS_DATA           4
#define EFIMT_RT_CODE           5
#define EFIMT_RT_DATA           6
#define EFIMT_CONVENTIONAL      7
#define EFIMT_UNUSABLE          8
#define EFIMT_ACPI_RECLAIM      9
#define EFIMT_ACPI_NVS          10
#define EFIMT_MMIO              11
#define EFIMT_MMIO_PORT         12
#define EFIMT_PAL_CODE          13
#define EFIMT_PERSISTENT        14
#define EFIMT_UNACCEPTED        15
/* Types from the OS range (0x80000000..) of the UEFI spec, for our own
 * allocations (alloc.c). */
#define EFIMT_OS_KERNEL         0x80000001u   /* the kernel's placed image */
#define EFIMT_OS_LOADER         0x80000002u   /* boot_info, map, strings, stack, page tables */
#define EFIMT_OS_MODULE         0x80000003u   /* a module */
#define EFI_MEMORY_RUNTIME_ATTR (1ULL << 63)

/* The raw EFI_MEMORY_DESCRIPTOR fields we read (spec layout; the real
 * stride is the DescriptorSize GetMemoryMap returns, often 48). */
#define EFIMD_OFF_TYPE   0
#define EFIMD_OFF_PHYS   8
#define EFIMD_OFF_PAGES  24
#define EFIMD_OFF_ATTR   32
#define EFIMD_MIN_SIZE   40

/* BOOT_MEM_* for one EFI descriptor. Boot-services memory is usable once
 * we exit boot services; the loader's own image and data (LoaderCode/
 * LoaderData, our EFIMT_OS_LOADER pages) are loader-reclaimable; our
 * kernel and module pages are BOOT_MEM_KERNEL / _MODULE; runtime
 * services, MMIO and anything unknown are reserved; anything flagged
 * EFI_MEMORY_RUNTIME stays reserved whatever its type. */
uint32_t efi_mem_to_boot(uint32_t efi_type, uint64_t attr);

/* Adds every non-empty descriptor of the raw map (map_size bytes,
 * desc_size stride) to m, then normalizes. -1 when m is too small or the
 * stride is impossible. */
int efi_map_translate(struct mm_map *m, const void *map, uint64_t map_size, uint64_t desc_size);

/* End of the highest non-empty descriptor, whatever its type. */
uint64_t efi_map_top(const void *map, uint64_t map_size, uint64_t desc_size);

/* 1 when [base, base+len) is exactly covered by boot-services code/data
 * and conventional memory (none of it runtime): memory that is free once
 * the firmware has exited. */
int efi_map_free_after_exit(const void *map, uint64_t map_size, uint64_t desc_size, uint64_t base,
                            uint64_t len);
/* The highest `align`-aligned start of `bytes` lying wholly in one run
 * of adjacent descriptors of a kind, at or above min_addr and ending at
 * or below max_end (0: no limit); 0 when none. EFI_FIT_FREE: conventional
 * memory (what AllocateAddress can take now); EFI_FIT_BS: boot-services
 * code/data, memory the firmware has used and that is free once it exits.
 * Runtime-flagged memory is never either. */
#define EFI_FIT_FREE 0
#define EFI_FIT_BS   1
uint64_t efi_map_fit(const void *map, uint64_t map_size, uint64_t desc_size, int kind, uint64_t bytes,
                     uint64_t align, uint64_t min_addr, uint64_t max_end);
/* Gives [base, base+len) (4 KiB-aligned) the type new_type in a raw map,
 * splitting descriptors that straddle its ends (the outer pieces are
 * appended, attributes kept); -1 when that needs more than cap bytes. */
int efi_map_retype(void *map, uint64_t *map_size, uint64_t cap, uint64_t desc_size, uint64_t base,
                   uint64_t len, uint32_t new_type);

#endif
