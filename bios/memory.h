/* The BIOS memory map: E820, else E801, else AH=88h; all turned into
 * boot protocol ranges in a struct mm_map. */
#ifndef HYBOOT_BIOS_MEMORY_H
#define HYBOOT_BIOS_MEMORY_H

#include <stdint.h>

#include "memmap.h"

#define SMAP 0x534d4150u               /* "SMAP" */

struct __attribute__((packed)) e820_entry {
    uint64_t base, length;
    uint32_t type;
    uint32_t ext;                      /* ACPI 3.0 extended attributes */
};

/* The one buffer INT 15h AX=E820h writes each answer into (ES:DI). */
extern struct e820_entry e820_buf;

/* Fills m (normalized). Returns the name of the method that answered, or
 * NULL when none did. */
const char *memory_detect(struct mm_map *m);

#endif
