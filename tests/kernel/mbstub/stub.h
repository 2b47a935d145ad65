/* What stub.c (multiboot, kernel placement, page tables) shares with
 * v2.c (the boot_info v2 fields: modules, SMBIOS, EDID, fake EFI tables,
 * boot time, and breaking each of them on request). Test-only code. */
#ifndef HYBOOT_MBSTUB_H
#define HYBOOT_MBSTUB_H

#include <stdint.h>

#include "boot_info.h"
#include "memmap.h"

struct mb_module {
    uint32_t start, end, string, reserved;
};

extern struct mm_map stub_map;

__attribute__((noreturn)) void die(const char *why);
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* usable memory below 4 GiB, typed `type` in the map, zeroed */
uint64_t take(uint64_t size, uint64_t align, uint32_t type);
/* "key" (a word, or the "key=" prefix of one) among the stub options */
const char *opt(const char *key);
uint32_t pci_find(uint32_t vendor_device); /* bus 0 devfn << 8, or ~0u */
uint32_t pci_read(uint32_t bus, uint32_t dev, uint32_t fn, uint32_t off);

/* v2.c, in the order stub.c calls them */
void v2_save_modules(const struct mb_module *mods, uint32_t count); /* before anything is allocated */
void v2_mark_modules(void);                                         /* MODULE ranges in the map */
void v2_prepare(void);           /* allocations: module list, strings, EDID copy, fake EFI tables */
void v2_fill(struct boot_info *bi); /* after the map is final: the v2 fields */
void v2_corrupt(struct boot_info *bi); /* corrupt=... for the v2 checks */

#endif
