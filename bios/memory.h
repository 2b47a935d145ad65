/* The BIOS memory map: E820, else E801, else AH=88h; all turned into
 * boot protocol ranges in a struct mm_map. */
#ifndef HYBOOT_BIOS_MEMORY_H
#define HYBOOT_BIOS_MEMORY_H

#include "memmap.h"

/* Fills m (normalized). Returns the name of the method that answered, or
 * NULL when none did. */
const char *memory_detect(struct mm_map *m);

#endif
