/* Reading the boot disk with INT 13h AH=42h. */
#ifndef HYBOOT_BIOS_DISK_H
#define HYBOOT_BIOS_DISK_H

#include <stdint.h>

struct disk {
    uint8_t  drive;              /* BIOS drive number (DL at boot) */
    uint32_t calls;              /* AH=42h calls made so far */
    uint64_t ticks;              /* TSC ticks spent in them (and the copies) */
};

/* A fat_read_fn: reads `count` 512-byte sectors at `lba` into buf, which
 * may lie anywhere below 4 GiB. Transfers go through the bounce buffer
 * below 1 MiB, at most BOUNCE_MAX_SECTORS per call, each retried once
 * after a disk reset. A failure does not return: it prints
 * "hyboot: error: disk read at LBA <n>: BIOS status 0x<xx>" and halts. */
int disk_read(void *disk, uint64_t lba, uint32_t count, void *buf);

#endif
