/* A disk made of a fuzz input, for the harnesses that read media (GPT and
 * ESP location, FAT, --inspect). Real images are mostly zeros, so the
 * input lists only the 512-byte units that are not:
 *
 *   bytes 0..3   disk size in 512-byte units, little-endian (0: just past
 *                the highest unit listed); clamped to FUZZ_DISK_MAX_UNITS
 *   byte  4      flags: bit 0 set = 4096-byte sectors, else 512;
 *                bits 1..7 are the harness's to use
 *   bytes 5..7   ignored
 *   then records: a unit number (4 bytes, little-endian) and that unit's
 *                512 bytes (the last record may be short: zero-padded)
 *
 * A unit listed twice holds its last record; units past the end of the
 * disk are dropped; every other unit reads as zeros. tests/fuzz/seeds.py
 * writes images in this form, so mutations land on the bytes that matter
 * and one seed is a few KiB instead of megabytes. */
#ifndef HYBOOT_FUZZ_DISK_H
#define HYBOOT_FUZZ_DISK_H

#include <stddef.h>
#include <stdint.h>

#define FUZZ_UNIT 512u
/* 64 MiB: room for every layout mkimage writes at its small sizes, and a
 * bound on what one iteration can read (a volume claiming more than the
 * disk must fail its reads, not stream gigabytes of zeros). */
#define FUZZ_DISK_MAX_UNITS (64u * 2048)
#define FUZZ_DISK_HEADER 8u

struct fuzz_unit {
    uint32_t unit;
    uint32_t len;               /* bytes of data, 1..512 */
    const uint8_t *data;
};

struct fuzz_disk {
    uint64_t bytes;             /* disk size */
    uint32_t sector_size;       /* 512 or 4096 */
    uint8_t  flags;             /* byte 4 of the input */
    uint32_t n;                 /* units listed, sorted, each once */
    struct fuzz_unit *units;    /* points into a static array */
    uint64_t reads;             /* read calls so far */
};

/* Parses data into d: 0, or -1 when the input is too short to be a disk. */
int fuzz_disk_parse(struct fuzz_disk *d, const uint8_t *data, size_t size);
/* Reads `count` sectors of d->sector_size at `lba` (the shape of
 * disk_read_fn and fat_read_fn): 0, or 1 past the end of the disk. */
int fuzz_disk_read(void *ctx, uint64_t lba, uint32_t count, void *buf);
/* Copies byte range [off, off+len) of the disk into buf (zeros where
 * nothing is listed; the range must be inside the disk). */
void fuzz_disk_bytes(const struct fuzz_disk *d, uint64_t off, uint64_t len, uint8_t *buf);

#endif
