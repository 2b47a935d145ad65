/* Reading, verifying and placing the kernel named by boot.cfg. */
#ifndef HYBOOT_UEFI_KERNEL_LOAD_H
#define HYBOOT_UEFI_KERNEL_LOAD_H

#include "uefi.h"
#include "bootcfg.h"
#include "elf.h"

struct loaded_kernel {
    struct elf_plan plan;
    uint64_t phys;          /* 2 MiB-aligned base of plan.span bytes (MEM_OS_KERNEL) */
    uint64_t file_size;
    uint64_t read_ticks;
    uint32_t read_calls;
};

/* Every failure is fatal with its "hyboot: error:" line: not found,
 * read error, sha256 mismatch, bad ELF, out of memory. */
void kernel_load(EFI_FILE_HANDLE root, const struct boot_cfg *cfg, struct loaded_kernel *k);

#endif
