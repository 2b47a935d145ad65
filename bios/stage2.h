/* What stage2's firmware setup (main.c) finds and the platform functions
 * (alloc.c, files.c, platform.c) use: one instance, filled once. */
#ifndef HYBOOT_BIOS_STAGE2_H
#define HYBOOT_BIOS_STAGE2_H

#include <stdint.h>

#include "disk.h"
#include "esp.h"
#include "fat.h"
#include "memmap.h"

#define STAGE2_MMAP_CAP 256

struct stage2 {
    struct mm_map mm;          /* the live map: E820 + everything taken since */
    struct disk disk;
    struct esp_info esp;
    struct fat_vol vol;        /* the ESP */
};

extern struct stage2 s2;

#endif
