/* The jump into the kernel (handoff.S). */
#ifndef HYBOOT_UEFI_HANDOFF_H
#define HYBOOT_UEFI_HANDOFF_H

#include <stdint.h>

/* GDT: null, 64-bit code (0x08), data (0x10). */
#define GDT_ENTRIES 3
#define GDT_CODE64_DESC 0x00af9a000000ffffULL  /* present, DPL 0, code, L=1 */
#define GDT_DATA_DESC   0x00cf92000000ffffULL  /* present, DPL 0, data, writable */

struct __attribute__((packed)) gdtr {
    uint16_t limit;
    uint64_t base;
};

void handoff(uint64_t boot_info, uint64_t entry, uint64_t stack_top, uint64_t cr3,
             const struct gdtr *gdtr) __attribute__((noreturn));

#endif
