/* Reading the boot disk with INT 13h AH=42h; its size and sector size
 * from AH=48h. Sectors are the disk's own: 512 bytes, or 4096 on a 4Kn
 * disk (whose image mkimage wrote with --sector-size 4096). */
#ifndef HYBOOT_BIOS_DISK_H
#define HYBOOT_BIOS_DISK_H

#include <stdint.h>

struct disk {
    uint8_t  drive;              /* BIOS drive number (DL at boot) */
    uint32_t calls;              /* AH=42h calls made so far */
    uint64_t ticks;              /* TSC ticks spent in them (and the copies) */
    uint64_t sectors;            /* disk_probe's answer (0: unknown) */
    uint32_t sector_size;        /* bytes per sector: disk_probe's answer, 512 until then */
    uint8_t  probed;
    int      err_status;         /* BIOS status of the last failed read */
    uint64_t err_lba;            /* and the sector it failed at */
};

/* Asks INT 13h AH=48h (EDD) for the disk's size and sector size, once,
 * before the first read. A BIOS that does not say gets 512-byte sectors
 * and an unknown size; a sector size hyboot cannot read (not a power of
 * two from 512 to 4096) is a "hyboot: error:" line. */
void disk_probe(struct disk *d);

/* A fat_read_fn / disk_read_fn: reads `count` sectors (d->sector_size
 * bytes each) at `lba` into buf, which may lie anywhere below 4 GiB.
 * Transfers go through the 64 KiB bounce buffer below 1 MiB, at most
 * BOUNCE_MAX_SECTORS (and 64 KiB) per call, each
 * retried once after a disk reset. Returns 0, or the BIOS status of a
 * read that failed (also kept in d->err_status / d->err_lba): callers
 * such as the ESP search fall back on it. */
int disk_read(void *disk, uint64_t lba, uint32_t count, void *buf);
/* The same for callers with nothing to fall back on: a failure prints
 * "hyboot: error: disk read at LBA <n>: BIOS status 0x<xx>" and halts. */
void disk_read_or_die(struct disk *d, uint64_t lba, uint32_t count, void *buf);

/* The disk's size in sectors from disk_probe, or 0 when the BIOS does
 * not say (no EDD, a zero or absurd count). */
static inline uint64_t disk_sectors(struct disk *d) { disk_probe(d); return d->sectors; }

#endif
