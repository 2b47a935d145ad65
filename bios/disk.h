/* Reading the boot disk with INT 13h AH=42h; its size from AH=48h. */
#ifndef HYBOOT_BIOS_DISK_H
#define HYBOOT_BIOS_DISK_H

#include <stdint.h>

struct disk {
    uint8_t  drive;              /* BIOS drive number (DL at boot) */
    uint32_t calls;              /* AH=42h calls made so far */
    uint64_t ticks;              /* TSC ticks spent in them (and the copies) */
    uint64_t sectors;            /* disk_sectors' answer, once asked */
    uint8_t  sectors_asked;
    int      err_status;         /* BIOS status of the last failed read */
    uint64_t err_lba;            /* and the sector it failed at */
};

/* A fat_read_fn / disk_read_fn: reads `count` 512-byte sectors at `lba`
 * into buf, which may lie anywhere below 4 GiB. Transfers go through the
 * bounce buffer below 1 MiB, at most BOUNCE_MAX_SECTORS per call, each
 * retried once after a disk reset. Returns 0, or the BIOS status of a
 * read that failed (also kept in d->err_status / d->err_lba): callers
 * such as the ESP search fall back on it. */
int disk_read(void *disk, uint64_t lba, uint32_t count, void *buf);
/* The same for callers with nothing to fall back on: a failure prints
 * "hyboot: error: disk read at LBA <n>: BIOS status 0x<xx>" and halts. */
void disk_read_or_die(struct disk *d, uint64_t lba, uint32_t count, void *buf);

/* The disk's size in 512-byte sectors from INT 13h AH=48h (EDD), or 0
 * when the BIOS does not say (no EDD, a zero or absurd count). */
uint64_t disk_sectors(struct disk *d);

#endif
