/* GUID Partition Table structures (UEFI spec, chapter 5), checks and the
 * one GPT reader, shared by mkimage (writes and inspects) and stage2
 * (finds the ESP through common/esp_locate.c). */
#ifndef HYBOOT_GPT_H
#define HYBOOT_GPT_H

#include <stdint.h>

#define GPT_SIGNATURE      0x5452415020494645ULL /* "EFI PART" */
#define GPT_REVISION       0x00010000u
#define GPT_HEADER_SIZE    92
#define GPT_ENTRY_SIZE     128
#define GPT_ENTRY_COUNT    128
#define GPT_ENTRIES_BYTES  (GPT_ENTRY_SIZE * GPT_ENTRY_COUNT)  /* 32 sectors of 512 */

struct __attribute__((packed)) gpt_header {
    uint64_t signature;
    uint32_t revision;
    uint32_t header_size;
    uint32_t header_crc32;
    uint32_t reserved;
    uint64_t my_lba;
    uint64_t alternate_lba;
    uint64_t first_usable_lba;
    uint64_t last_usable_lba;
    uint8_t  disk_guid[16];
    uint64_t entries_lba;
    uint32_t entry_count;
    uint32_t entry_size;
    uint32_t entries_crc32;
};
_Static_assert(sizeof(struct gpt_header) == GPT_HEADER_SIZE, "gpt_header");

struct __attribute__((packed)) gpt_entry {
    uint8_t  type_guid[16];
    uint8_t  unique_guid[16];
    uint64_t first_lba;
    uint64_t last_lba;        /* inclusive */
    uint64_t attributes;
    uint16_t name[36];        /* UTF-16LE */
};
_Static_assert(sizeof(struct gpt_entry) == GPT_ENTRY_SIZE, "gpt_entry");

/* GUIDs in on-disk byte order (first three fields little-endian). */
#define GPT_GUID_ESP \
    { 0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11, 0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b }
#define GPT_GUID_BIOS_BOOT \
    { 0x48, 0x61, 0x68, 0x21, 0x49, 0x64, 0x6f, 0x6e, 0x74, 0x4e, 0x65, 0x65, 0x64, 0x45, 0x46, 0x49 }

/* CRC of a header with its header_crc32 field taken as zero. */
uint32_t gpt_header_crc(const struct gpt_header *h);

/* Checks signature, revision, header size, header CRC, my_lba == lba,
 * entry size/count sanity. NULL or a static reason. The entries' CRC is
 * checked separately by the caller once they are read:
 * crc32_update(0, entries, entry_count * entry_size) == entries_crc32. */
const char *gpt_header_check(const struct gpt_header *h, uint64_t lba);

/* ---- reading a GPT from a disk ----------------------------------------- */

/* Reads `count` sectors at `lba` into buf: 0, or a non-zero status (e.g.
 * a BIOS error code, an errno). Same shape as fat_read_fn. */
typedef int (*disk_read_fn)(void *ctx, uint64_t lba, uint32_t count, void *buf);

/* A disk as the GPT and ESP code see it: a read callback, the size when
 * known (every LBA is checked against it before it is read), the sector
 * size (512 or 4096: the GPT header is at LBA 1 and entry arrays are in
 * whole sectors either way), and a scratch buffer of at least one sector
 * (bigger buffers read the entry array in fewer calls). */
struct gpt_disk {
    disk_read_fn read;
    void    *ctx;
    uint64_t sectors;           /* 0: unknown */
    uint32_t sector_size;
    uint8_t *buf;
    uint32_t buf_len;           /* a multiple of sector_size */
};

/* Called for each entry as the array streams by (before its CRC is
 * known: keep what you need, trust it only if gpt_read succeeds). */
typedef void (*gpt_entry_fn)(void *ctx, uint32_t index, const struct gpt_entry *e);

/* Reads the header at `lba` and streams its entry array through fn
 * (which may be NULL). Checks, in this order, without reading anything
 * the checks do not allow: the header LBA inside the disk, the header
 * (gpt_header_check), the entry array inside the disk and clear of the
 * header, its CRC. Returns NULL or a static reason; *bad_lba (when not
 * NULL) gets the LBA of a failed read. */
const char *gpt_read(const struct gpt_disk *d, uint64_t lba, struct gpt_header *h, gpt_entry_fn fn, void *ctx,
                     uint64_t *bad_lba);

/* Sectors the entry array of h occupies. */
uint64_t gpt_entry_sectors(const struct gpt_header *h, uint32_t sector_size);

int guid_is_zero(const uint8_t g[16]);
int guid_equal(const uint8_t a[16], const uint8_t b[16]);
/* "C12A7328-F81F-11D2-BA4B-00A0C93EC93B" form; out holds 37 bytes. */
void guid_format(const uint8_t g[16], char out[37]);

#endif
